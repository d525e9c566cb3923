"""``oversikt import`` reads the facts back out of the comment column (host,
partners, status), so that last year's Word file goes through roll, diff and
build as content/ does. Expectations come from content/'s YAML."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from readback import REFERENCE, docx_tables

from builder.build import build, prepare
from builder.cli import main
from builder.diagnostics import Diagnostics
from builder.importing import import_source
from builder.importing.facts import CommentReader
from builder.readers.layout import find_layout, read_layout
from builder.rolling import roll

FACT_KEYS = ("host", "partners", "status")


def facts(content_dir: Path) -> list[tuple]:
    """Every agreement's facts as the edition reads them."""
    edition = prepare(content_dir).edition
    return [
        (c.name, a.name, a.form, a.members, a.host, a.partners, a.status, a.comment)
        for c in edition.categories
        for a in c.agreements
    ]


def yaml_facts(content_dir: Path) -> dict[str, list[str]]:
    """The agreements content/ gives each fact, from the YAML itself."""
    data = yaml.safe_load((content_dir / "agreements.yaml").read_text("utf-8"))
    agreements = [a for c in data["categories"] for a in c["agreements"]]
    return {key: [a["name"] for a in agreements if key in a] for key in FACT_KEYS}


@pytest.fixture(scope="module")
def imported(built, tmp_path_factory) -> Path:
    into = tmp_path_factory.mktemp("imported") / "2019"
    assert not import_source(built["docx"], into).diagnostics.errors
    return into


def test_own_docx_gives_back_the_facts_of_content(imported, content_dir):
    counts = {key: len(names) for key, names in yaml_facts(content_dir).items()}
    assert counts["host"] > 10 and counts["partners"] > 3 and counts["status"] == 2
    assert facts(imported) == facts(content_dir)


def test_reference_text_gives_back_the_facts_of_content(content_dir, tmp_path):
    import_source(REFERENCE, tmp_path / "imported")
    assert facts(tmp_path / "imported") == facts(content_dir)


def test_each_recovered_fact_is_marked_guessed(imported, content_dir):
    lines = (imported / "agreements.yaml").read_text("utf-8").splitlines()
    fact_lines = [line for line in lines if re.match(rf"\s+({'|'.join(FACT_KEYS)}):", line)]
    assert len(fact_lines) == sum(len(names) for names in yaml_facts(content_dir).values())
    assert all("# guessed from the comment" in line for line in fact_lines)


def test_import_roll_diff_build_as_on_content(imported, content_dir, tmp_path, capsys):
    to = dt.date(2020, 1, 1)
    from_content = roll(content_dir, to, tmp_path / "content-2020")
    from_import = roll(imported, to, tmp_path / "imported-2020")
    terminated = yaml_facts(content_dir)["status"]
    assert [p.agreement.name for p in from_import.left_out] == terminated
    assert [p.agreement.name for p in from_content.left_out] == terminated

    assert main(["diff", str(content_dir), str(from_content.target)]) == 0
    expected = capsys.readouterr().out
    assert main(["diff", str(imported), str(from_import.target)]) == 0
    assert capsys.readouterr().out == expected
    assert all(name in expected for name in terminated)

    tables = []
    for rolled in (from_content, from_import):
        (written,), _ = build(rolled.target, tmp_path / rolled.target.name, ("docx",), summary=True)
        tables.append(docx_tables(written))
    assert tables[0] == tables[1]
    summary = tables[1][0]
    hosted = next(row for row in summary if row[0] == "Vertskommune for")
    members = prepare(content_dir).edition.members
    data = yaml.safe_load((content_dir / "agreements.yaml").read_text("utf-8"))
    kept = [a for c in data["categories"] for a in c["agreements"] if a.get("status") != "terminated"]
    assert hosted[1:-1] == [str(sum(a.get("host") == m for a in kept)) for m in members]
    assert int(hosted[1]) > 0


@pytest.fixture(scope="module")
def reader() -> CommentReader:
    layout = read_layout(find_layout("oversikt", Path(".")), Diagnostics())
    return CommentReader(layout.labels, ("Lillehammer", "Gausdal", "Øyer"))


@pytest.mark.parametrize(
    ("comment", "comment_left", "partners", "host", "status"),
    [
        ("Med Ringebu og Nord-Fron", "", ("Ringebu", "Nord-Fron"), None, "active"),
        ("Med Ringebu, Sel og Oppland fylkeskommune. Lillehammer vertskommune", "",
         ("Ringebu", "Sel", "Oppland fylkeskommune"), "Lillehammer", "active"),
        ("Øyer vertskommune. Nord-Fron er med", "Nord-Fron er med", (), "Øyer", "active"),
        # not as the layout words a host: it would print otherwise, so it stays a comment
        ("Lillehammer er vertskommune", "Lillehammer er vertskommune", (), None, "active"),
        ("Med OFK. Avtalen er sagt opp.", "", ("OFK",), None, "terminated"),
        ("Telling/valgoppgjør. Under utredning.", "Telling/valgoppgjør", (), None, "planned"),
        ("Gausdal vertskommune. Under utgreiing.", "", (), "Gausdal", "planned"),  # nynorsk
        # not facts: no names, a member as partner, the words in another order
        ("Med flere kommuner og OFK", "Med flere kommuner og OFK", (), None, "active"),
        ("Med eierpost i Eidsiva", "Med eierpost i Eidsiva", (), None, "active"),
        ("46 kommuner, Hamar vertskommune", "46 kommuner, Hamar vertskommune", (), None, "active"),
        ("Med Gausdal", "Med Gausdal", (), None, "active"),
        ("Lærdal vertskommune: natt", "Lærdal vertskommune: natt", (), None, "active"),
        ("Med Nes Gol Hol Ål", "Med Nes Gol Hol Ål", (), None, "active"),
        # words before the name, or a person's name: no guess, and the words stay
        ("Tidligere Lillehammer vertskommune", "Tidligere Lillehammer vertskommune", (), None, "active"),
        ("Ikke Gausdal vertskommune", "Ikke Gausdal vertskommune", (), None, "active"),
        ("Gjelder Øyer vertskommune", "Gjelder Øyer vertskommune", (), None, "active"),
        ("NAV Gausdal vertskommune", "NAV Gausdal vertskommune", (), None, "active"),
        ("Tidligere vertskommune", "Tidligere vertskommune", (), None, "active"),
        ("Med Kari Nordmann", "Med Kari Nordmann", (), None, "active"),
        ("Med Ringebu og Kari Nordmann", "Med Ringebu og Kari Nordmann", (), None, "active"),
        ("Med NAV", "Med NAV", (), None, "active"),
        ("Med Ringebu. Tidligere Lillehammer vertskommune", "Tidligere Lillehammer vertskommune", ("Ringebu",),
         None, "active"),
        # places of two words, which say where they lie
        ("Med Indre Østfold og Nordre Land. Østre Toten vertskommune", "", ("Indre Østfold", "Nordre Land"),
         "Østre Toten", "active"),
        # a line break reads as a space, with or without spaces around it (issue 24)
        ("Med Ringebu.\nKommunalsjefgruppe koordinerer.", "Kommunalsjefgruppe koordinerer.", ("Ringebu",), None,
         "active"),
        ("Med OFK. \nAvtalen er sagt opp.", "", ("OFK",), None, "terminated"),
        ("Med OFK.\n Avtalen er  sagt opp.", "", ("OFK",), None, "terminated"),
    ],
)  # fmt: skip
def test_comment_reader(reader, comment, comment_left, partners, host, status):
    found = reader.read(comment)
    assert (found.comment, found.partners, found.host, found.status) == (comment_left, partners, host, status)
