"""``oversikt publish``: the folder's files, its relative links, the open
data (CSV for Excel, JSON that validates against the shipped schema), and a
build that is reproducible and written all or nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
import yaml
from edits import replace
from html_readback import parse

from builder.cli import main
from builder.diagnostics import ContentError
from builder.publish import MARKER, SCHEMA, publish

MEMBER_PAGES = ["gausdal.html", "lillehammer.html", "oyer.html"]


@pytest.fixture(scope="module")
def site(content_dir, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    publish(content_dir, folder)
    return folder


def _yaml_agreements(content_dir: Path) -> list[tuple[str, dict]]:
    data = yaml.safe_load((content_dir / "agreements.yaml").read_text("utf-8"))
    return [(c["name"], a) for c in data["categories"] for a in c["agreements"]]


def test_the_folder_holds_pages_documents_and_data(site):
    stems = ["oversikt-2019", *(f"oversikt-2019-{m}" for m in ("gausdal", "lillehammer", "oyer"))]
    expected = {"index.html", *MEMBER_PAGES, "oversikt-2019.csv", "oversikt-2019.json", SCHEMA.name}
    expected |= {"oversikt-2019.xlsx", "datasett.jsonld"}
    expected |= {f"{stem}.{fmt}" for stem in stems for fmt in ("pdf", "docx")}
    assert {p.name for p in site.iterdir()} == expected | {MARKER}
    marker = (site / MARKER).read_text("utf-8").splitlines()
    assert [line for line in marker if not line.startswith("#")] == sorted(expected), "the files it made, in order"


def _links(page: Path) -> list[str]:
    return parse(page).xpath("//a/@href")


def test_links_are_relative_and_resolve(site):
    for page in site.glob("*.html"):
        for href in _links(page):
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc and not parts.path.startswith("/"), href
            if parts.path:
                assert (site / unquote(parts.path)).is_file(), f"{page.name} links to {href}"
            if parts.fragment:
                target = site / unquote(parts.path) if parts.path else page
                assert parse(target).xpath(f"//*[@id='{parts.fragment}']"), f"{page.name}: #{parts.fragment}"


def test_index_links_the_documents_the_data_and_every_member_page(site):
    links = _links(site / "index.html")
    for name in ["oversikt-2019.pdf", "oversikt-2019.docx", "oversikt-2019.csv", "oversikt-2019.json", *MEMBER_PAGES]:
        assert name in links
    oyer = parse(site / "oyer.html")
    assert "index.html" in oyer.xpath("//a/@href") and "oversikt-2019-oyer.pdf" in oyer.xpath("//a/@href")
    assert oyer.findtext(".//title") == "Oversikt over interkommunale samarbeid for Øyer per 1. januar 2019"


def test_csv_has_one_row_per_agreement_and_opens_in_excel(site, content_dir):
    data = (site / "oversikt-2019.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "a byte order mark, so Excel reads UTF-8"
    header, *rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == ["kategori", "navn", "type samarbeid", "Lillehammer", "Gausdal", "Øyer",
                      "vertskommune", "andre deltakere", "status", "startet", "kommentar",
                      "organisasjonsnummer", "formål", "eierandeler", "vedtak", "lenke"]  # fmt: skip
    agreements = _yaml_agreements(content_dir)
    assert len(rows) == len(agreements) == 57
    for row, (category, agreement) in zip(rows, agreements, strict=True):
        assert row[:2] == [category, agreement["name"]]
        members = agreement.get("members", [])
        expected = ["Lillehammer", "Gausdal", "Øyer"] if members == "all" else members
        assert [m for m, mark in zip(header[3:6], row[3:6], strict=True) if mark == "x"] == expected
        assert row[6] == agreement.get("host", "")
        assert row[10] == (agreement.get("comment") or "").strip()


def test_json_validates_against_the_shipped_schema(site, content_dir):
    data = json.loads((site / "oversikt-2019.json").read_text("utf-8"))
    schema = json.loads(SCHEMA.read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert list(validator.iter_errors(data)) == []
    assert (site / SCHEMA.name).read_bytes() == SCHEMA.read_bytes()
    names = [a["name"] for c in data["categories"] for a in c["agreements"]]
    assert names == [a["name"] for _, a in _yaml_agreements(content_dir)]
    assert data["as_of"] == "2019-01-01" and data["members"] == ["Lillehammer", "Gausdal", "Øyer"]
    broken = dict(data, as_of="1. januar 2019")
    assert list(validator.iter_errors(broken)), "the schema can fail"


def test_schema_ships_in_the_package():
    assert SCHEMA.is_relative_to(Path(__import__("builder").__file__).parent)


def test_publish_is_reproducible(content_dir, site, tmp_path):
    again = tmp_path / "again"
    assert main(["publish", str(content_dir), "--out", str(again)]) == 0
    for path in site.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_publish_writes_all_or_nothing(content_dir, tmp_path):
    site = tmp_path / "site"
    (site / "oyer.html").mkdir(parents=True)  # a folder where a page goes
    with pytest.raises(ContentError) as raised:
        publish(content_dir, site)
    assert "oyer.html" in str(raised.value.diagnostics.errors[0])
    assert [p.name for p in site.iterdir()] == ["oyer.html"], "nothing written, no temporary left"


def test_publish_of_a_nynorsk_edition(root, tmp_path):
    written, _ = publish(root / "examples" / "nord-sami", tmp_path)
    names = {p.name for p in written}
    assert {"index.html", "karasjohka.html", "porsangu.html", "oversikt-2024.csv"} <= names
    index = parse(tmp_path / "index.html")
    assert index.get("lang") == "nn-NO" and "Last ned" in index.xpath("//nav/h2/text()")


def test_data_carry_every_fact_of_an_agreement(make_edition, tmp_path):
    content = make_edition(
        replace(
            "agreements.yaml",
            "        comment: Lillehammer vertskommune\n",
            "        comment: Lillehammer vertskommune\n        host: Lillehammer\n        partners: [Ringebu, Sel]\n"
            "        status: planned\n        since: 2020-03-01\n",
        )
    )
    publish(content, tmp_path)
    data = json.loads(next(tmp_path.glob("oversikt-[0-9][0-9][0-9][0-9].json")).read_text("utf-8"))
    (agreement,) = [a for c in data["categories"] for a in c["agreements"] if a["name"] == "Felles personvernombud"]
    assert agreement["host"] == "Lillehammer" and agreement["partners"] == ["Ringebu", "Sel"]
    assert agreement["status"] == "planned" and agreement["since"] == "2020-03-01"
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    assert list(validator.iter_errors(data)) == []
    rows = list(csv.reader(io.StringIO(next(tmp_path.glob("*.csv")).read_text("utf-8-sig"))))
    (row,) = [row for row in rows if row[1] == "Felles personvernombud"]
    assert row[-10:-5] == ["Lillehammer", "Ringebu og Sel", "under utredning", "2020-03-01", "Lillehammer vertskommune"]
