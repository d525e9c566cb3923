"""The HTML edition, read back with lxml: the 2019 table row for row, the
table's headers and groups, marks a screen reader reads as words, the
page's language, title, headings and lists, and text printed as written."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from edits import replace
from html_readback import agreement_table, parse, seen_text, table_rows
from readback import spaced
from test_reference import expected_header, expected_rows
from test_text_in_writers import TRICKY, _agreement

from builder.build import build, prepare
from builder.model import AgreementTable, Chart
from builder.writers import DEFAULT_FORMATS, FORMATS
from builder.writers.html_writer import render_html

A, R = "agreements.yaml", "report.yaml"


@pytest.fixture(scope="module")
def html_2019(content_dir, tmp_path_factory) -> bytes:
    (path,), _ = build(content_dir, tmp_path_factory.mktemp("html"), ("html",))
    assert path.name == "oversikt-2019.html"
    return path.read_bytes()


@pytest.fixture(scope="module")
def nord_sami(root):
    prepared = prepare(root / "examples" / "nord-sami")
    return prepared, parse(render_html(prepared.document, prepared.layout))


def test_html_table_matches_reference_row_for_row(html_2019):
    header, *body = table_rows(agreement_table(parse(html_2019)))
    assert header == spaced(expected_header())  # the no-break spaces seen as spaces
    assert body == expected_rows()
    assert len(body) == 70


def test_table_headers_caption_and_row_groups(html_2019):
    table = agreement_table(parse(html_2019))
    assert table.xpath("string(caption)") == "Interkommunale samarbeid per 1. januar 2019"
    header = table.xpath("./thead/tr/*")
    assert [cell.tag for cell in header] == ["th"] * 6 and {cell.get("scope") for cell in header} == {"col"}
    groups = table.xpath("./tbody")
    assert len(groups) == 13, "one row group per category"
    for group in groups:
        category, *agreements = group.xpath("./tr")
        (heading,) = category.xpath("./*")
        assert heading.tag == "th" and heading.get("scope") == "rowgroup" and heading.get("colspan") == "6"
        assert agreements, "a category heads its agreements"
        for row in agreements:
            name, *cells = row.xpath("./*")
            assert name.tag == "th" and name.get("scope") == "row"
            assert [cell.tag for cell in cells] == ["td"] * 5
    description = table.get("aria-describedby")
    assert "57 samarbeid i 13 kategorier" in parse(html_2019).get_element_by_id(description).text_content()


def test_see_below_note_and_parts_marked_as_in_print(html_2019):
    table = agreement_table(parse(html_2019))
    notes = table.xpath(".//th[@scope='row']/em")
    assert notes and all(note.text == "Se under*" for note in notes)
    names = [seen_text(th) for th in table.xpath(".//th[@scope='row']")]
    assert sum(name.endswith("*") and not name.endswith("Se under*") for name in names) >= 1


def test_marks_are_read_as_taking_part_not_as_x(html_2019, nord_sami):
    table = agreement_table(parse(html_2019))
    marks = table.xpath(".//td[contains(@class, 'mark')][span[@class='x']]")
    assert len(marks) == sum(row[2:5].count("x") for row in expected_rows() if len(row) > 1)
    for cell in marks:
        (x,) = cell.xpath("./span[@class='x']")
        assert x.text == "x" and x.get("aria-hidden") == "true"
        (spoken,) = cell.xpath("./span[@class='vh']")
        assert spoken.text == "deltar"
        hidden = [span for span in cell.xpath(".//span") if span.get("aria-hidden") == "true"]
        assert {span.get("class") for span in hidden} <= {"x", "lead", "label member-name"}
    _, page = nord_sami
    assert {span.text for span in agreement_table(page).xpath(".//td[contains(@class, 'mark')]/span[@class='vh']")} == {
        "deltek"
    }
    # a 2018 form printed as its paragraph is read out in the edition's language too
    spoken = {span.text for span in agreement_table(page).xpath(".//td[contains(@class, 'form')]/span[@class='vh']")}
    assert " (kommunalt oppgåvefellesskap)" in spoken


def test_language_title_and_headings_in_order(html_2019, nord_sami):
    page = parse(html_2019)
    assert page.get("lang") == "nb-NO"
    assert page.findtext(".//title") == "Oversikt over interkommunale samarbeid per 1. januar 2019"
    (h1,) = page.xpath("//h1")
    assert h1.text == page.findtext(".//title")
    prepared, sami = nord_sami
    assert sami.get("lang") == "nn-NO"
    levels = [int(h.tag[1]) for h in sami.xpath("//h1 | //h2 | //h3 | //h4 | //h5 | //h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), "no level skipped"
    assert levels == [1, 2], "the title, then the summary"


def test_lists_are_real_nested_lists(html_2019):
    page = parse(html_2019)
    (outer,) = page.xpath("//li[starts-with(normalize-space(text()), 'Samarbeid etter kommuneloven')]")
    nested = [seen_text(li) for li in outer.xpath("./ul/li")]
    assert nested == [
        "§ 27: interkommunalt samarbeid med eget styre",
        "§ 28 – 1B: administrativt vertskommunesamarbeid",
    ]
    assert "Gevinstrealisering (som stordriftsfordeler)" in [seen_text(li) for li in page.xpath("//main/ul/li")]


def test_emphasis_and_strong(make_edition):
    content = make_edition(replace("text/innledning.md", "Oversikten gjelder", "*Merk:* **viktig** Oversikten gjelder"))
    prepared = prepare(content)
    page = parse(render_html(prepared.document, prepared.layout))
    assert page.xpath("//p/em")[0].text == "Merk:" and page.xpath("//p/strong")[0].text == "viktig"


def test_self_contained_no_script_nothing_fetched(html_2019):
    text = html_2019.decode("utf-8")
    page = parse(html_2019)
    assert not page.xpath("//script | //link | //img | //iframe | //object | //embed | //@src")
    assert not re.search(r"@import|url\((?!#)|https?:", text), "nothing is fetched from elsewhere"
    assert re.search(r"font-family:Carlito, Calibri, sans-serif", text)


def test_print_stylesheet_repeats_header_and_keeps_categories_with_their_rows(html_2019):
    (print_css,) = re.findall(r"@media print\{(.*?)\n\}\n", html_2019.decode("utf-8"), re.S)
    assert "thead{display:table-header-group}" in print_css
    assert "tr.category{break-after:avoid" in print_css


def test_tricky_text_printed_as_written(make_edition):
    rows = "".join(_agreement(text, text) for text in TRICKY)
    content = make_edition(
        replace(A, "    agreements:\n      - name: Felles personvernombud",
                f"    agreements:\n{rows}      - name: Felles personvernombud"),
        replace(R, "region: Lillehammer-regionen", "region: '<b>Region</b> & {{ 7*7 }}'"),
    )  # fmt: skip
    prepared = prepare(content)
    page = parse(render_html(prepared.document, prepared.layout))
    rows = {row[0]: row for row in table_rows(agreement_table(page))}
    for text in TRICKY:
        expected = " ".join(text.split())
        assert rows[expected] == [expected, "Avtale", "x", "x", "x", expected]
    assert not page.xpath("//main//b | //main//font | //main//br"), "no markup from the data"
    paragraphs = [seen_text(p) for p in page.xpath("//p")]
    assert "Gausdal, Lillehammer og Øyer utgjør <b>Region</b> & {{ 7*7 }}." in paragraphs
    subject = page.xpath("string(//meta[@name='description']/@content)")
    assert subject == "Interkommunale samarbeid i <b>Region</b> & {{ 7*7 }}"


def test_summary_is_a_table_and_a_chart_with_a_text_alternative(nord_sami):
    prepared, page = nord_sami
    (chart,) = [block for block in prepared.document.blocks if isinstance(block, Chart)]
    (table,) = page.xpath("//table[@class='data']")
    assert table.xpath("./thead/tr/th/@scope") == ["col"] * (len(chart.series) + 2)
    assert table.xpath("./tbody/tr/th/@scope") == ["row"] * len(table.xpath("./tbody/tr"))
    region = table.getparent()
    assert region.get("role") == "region" and region.get("tabindex") == "0", "a wide grid scrolls in its own box"
    (svg,) = page.xpath("//figure/*[local-name()='svg']")
    assert svg.get("role") == "img"
    assert page.get_element_by_id(svg.get("aria-labelledby")).text == chart.alt_text
    bars = [rect for rect in svg.xpath(".//*[local-name()='rect'][@height][not(ancestor::*[local-name()='pattern'])]")]
    assert len(bars) == sum(1 for series in chart.values for value in series if value)
    numbers = [t.text for t in svg.xpath(".//*[local-name()='text']")]
    assert all(str(v) in numbers for series in chart.values for v in series if v)
    assert page.xpath("string(//figure/figcaption)") == chart.title


def test_changes_section(content_dir, tmp_path):
    import datetime as dt

    from builder.rolling import roll

    rolled = roll(content_dir, dt.date(2020, 1, 1), tmp_path / "2020")
    (path,), _ = build(rolled.target, tmp_path / "out", ("html",), changes_since=content_dir)
    page = parse(path)
    assert "Endringer siden 1. januar 2019" in [seen_text(h) for h in page.xpath("//h2")]
    ended = [seen_text(h) for h in page.xpath("//h3")]
    assert any(text.startswith("Avsluttede samarbeid (") for text in ended)
    assert page.xpath("//h3[starts-with(., 'Avsluttede')]/following-sibling::ul[1]/li")


def test_member_edition(content_dir, tmp_path):
    written, _ = build(content_dir, tmp_path, ("html",), member="all")
    assert sorted(p.name for p in written) == [f"oversikt-2019-{m}.html" for m in ("gausdal", "lillehammer", "oyer")]
    prepared = prepare(content_dir, member="Øyer")
    (table,) = [b for b in prepared.document.blocks if isinstance(b, AgreementTable)]
    page = parse(tmp_path / "oversikt-2019-oyer.html")
    assert page.findtext(".//title") == "Oversikt over interkommunale samarbeid for Øyer per 1. januar 2019"
    rows = table_rows(agreement_table(page))[1:]
    assert len(rows) == len(table.groups) + sum(len(g.rows) for g in table.groups)


def test_formats_available_and_built_by_default(content_dir, tmp_path):
    assert set(FORMATS) == {"docx", "pdf", "html"} and DEFAULT_FORMATS == ("docx", "pdf")
    plain = subprocess.run([sys.executable, "-m", "builder", "build", str(content_dir), "--out", str(tmp_path / "a")],
                           capture_output=True, text=True)  # fmt: skip
    assert plain.returncode == 0, plain.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["oversikt-2019.docx", "oversikt-2019.pdf"]
    # the three formats in one command: the PDF in its render process, the others beside it
    run = subprocess.run([sys.executable, "-m", "builder", "build", str(content_dir), "--out", str(tmp_path / "b"),
                          "--format", "html,docx,pdf"], capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in (tmp_path / "b").iterdir())
    assert names == ["oversikt-2019.docx", "oversikt-2019.html", "oversikt-2019.pdf"]
    html = (tmp_path / "b" / "oversikt-2019.html").read_bytes()
    assert table_rows(agreement_table(parse(html)))[1:] == expected_rows()
