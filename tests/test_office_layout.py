"""The pages as they are laid out: our PDF, and the Word file as an office
suite lays it out (LibreOffice, headless, converting it to PDF), both read
back with pdfplumber.

Every LibreOffice test is in this module, so their cost shows in one place:
the editions are built once and all their Word files converted in one
``soffice`` call (some seconds), in a profile and font configuration of
their own. Each check runs on our PDF too, which needs no office suite: the
PDF's runs are not skipped where LibreOffice is missing, and only the Word
file's are marked slow. Each PDF is read once (its lines, its tables, its
turned words), whichever tests look at it. The font configuration adds the Carlito files the PDF embeds;
LibreOffice draws the Word file's Calibri with Carlito, whose metrics are
Calibri's, so the office suite lays out the text with the widths Word would.

- the table's start swept over a page (0 to 14 one-line paragraphs added
  before it, without and with the summary), and the 2020 edition's summary
  and section on changes (tests/year_2020.py), the region's and each
  member's, swept the same way: no page ends with a category row, the
  header row (with or without its category) or a heading ("Endringer siden
  …", «Nye samarbeid (…)»), and the summary's table stands on one page;
- the footer ("Side 3") is one size;
- the lines of a list, first and second level, are evenly spaced;
- no word of the agreement table's header is broken, and the words a
  no-break space binds ("§ i kommuneloven") stand on one line: on the 2019
  edition, the five-member Sami edition (its member names turned) and each example;
- no ordinary row is split over two pages, and a row taller than a page (a
  1,600-letter comment) is, with all of its text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import pdfplumber
import pytest
from conftest import EXAMPLES, ROOT, write_sami_edition
from pages import EVEN_PT, Page, list_gaps, page_end_problems, plain, read_page, with_extra_lines
from year_2020 import make_2020

from builder.build import prepare, prepare_all
from builder.model import AgreementRow, AgreementTable, DataTable, Document, Layout
from builder.writers.docx_writer import render_docx
from builder.writers.pdf_writer import render_pdf

SOFFICE = shutil.which("soffice")
# The Word file as LibreOffice lays it out: the quick loop (-m "not slow") leaves it out
OFFICE = pytest.param(
    "docx",
    marks=[pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice); .ci/run installs it"),
           pytest.mark.slow],
)  # fmt: skip
FORMATS = ("pdf", OFFICE)  # our PDF, read as it is; the Word file as LibreOffice lays it out

EXTRA_LINES = range(15)  # enough to move the table's start over most of a page
YEAR_LINES = range(0, 15, 2)  # the 2020 edition's sweep: its changes section's headings over a page foot
ROTATED = {"char_dir_rotated": "btt", "line_dir_rotated": "ltr"}  # turned header text reads from the bottom up
TALL_COMMENT = " ".join(f"Del {n} av en lang kommentar om samarbeidet." for n in range(1, 38))  # 1,600 letters
TALL_AFTER = "comment: Jfr. digitaliseringsstrategien vedtatt i kommunestyrene"  # the agreement that gets it
HEADER_EDITIONS = ("lines-00", "sami-nn", *(path.name for path in EXAMPLES))  # whose headers differ


@dataclass(frozen=True)
class LaidOut:
    name: str
    document: Document
    layout: Layout
    pages: list[Page]  # read back
    tables: list[list[list[list[str | None]]]]  # each page's tables as pdfplumber finds them (the sweeps' and tall-row)
    turned: list[list[dict]]  # each page's words, turned text read upwards (HEADER_EDITIONS only)


@dataclass(frozen=True)
class Editions:
    folder: Path
    prepared: dict[str, tuple[Document, Layout]]  # name -> what each format is made from


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> Editions:
    """The 2019 edition with 0…14 lines added before the table, without and with its summary, the Sami
    edition, each example and the 2019 edition with a comment taller than a
    page, and the 2020 edition's region and member documents moved down the page, prepared."""
    folder = tmp_path_factory.mktemp("office")
    editions = []
    for summary, count in product((False, True), EXTRA_LINES):
        content = folder / f"{'summary' if summary else 'lines'}-{count:02d}"
        shutil.copytree(ROOT / "content", content)
        text = content / "text" / "forbehold.md"
        text.write_text(text.read_text("utf-8") + "".join(f"\nEkstra linje {n}.\n" for n in range(count)), "utf-8")
        if summary:  # the summary's table and chart, after the text
            report = content / "report.yaml"
            report.write_text(report.read_text("utf-8") + "summary: true\n", "utf-8")
        editions.append((content.name, content))
    editions.append(("sami-nn", write_sami_edition(folder / "sami-nn")))
    tall = folder / "tall-row"
    shutil.copytree(ROOT / "content", tall)
    agreements = tall / "agreements.yaml"
    assert TALL_AFTER in agreements.read_text("utf-8")
    agreements.write_text(agreements.read_text("utf-8").replace(TALL_AFTER, f"comment: {TALL_COMMENT}"), "utf-8")
    editions.append((tall.name, tall))
    editions += [(path.name, path) for path in EXAMPLES]
    prepared = {name: (edition.document, edition.layout) for name, content in editions if (edition := prepare(content))}
    # the 2020 edition's summary and changes section, the region's and each member's, moved down the page
    year = make_2020(folder / "2020")
    for who in (None, ("all",)):
        for one in prepare_all(year, members=who, changes_since=ROOT / "content", summary=True):
            for count in YEAR_LINES:
                name = f"2020-{one.member or 'region'}-{count:02d}"
                prepared[name] = (with_extra_lines(one.document, count), one.layout)
    return Editions(folder, prepared)


@pytest.fixture(scope="module")
def pdf_laid_out(editions) -> list[LaidOut]:
    """Our PDF of each edition, rendered here (rather than by build(), which
    starts render processes for each edition) and read back. The 2020
    edition's are left out: tests/test_pdf_pages.py sweeps its PDF line by line."""
    prepared = {name: made for name, made in editions.prepared.items() if not name.startswith("2020-")}
    for name, (document, layout) in prepared.items():
        (editions.folder / f"{name}.pdf").write_bytes(render_pdf(document, layout))
    return read_back(prepared, editions.folder)


@pytest.fixture(scope="module")
def docx_laid_out(editions) -> list[LaidOut]:
    """The Word file of each edition, converted by LibreOffice in one call, read back."""
    for name, (document, layout) in editions.prepared.items():
        (editions.folder / f"{name}.docx").write_bytes(render_docx(document, layout))
    converted = editions.folder / "office"
    convert([editions.folder / f"{name}.docx" for name in editions.prepared], converted, editions.folder)
    return read_back(editions.prepared, converted)


@pytest.fixture
def laid_out(request, kind) -> list[LaidOut]:
    return request.getfixturevalue(f"{kind}_laid_out")


def read_back(prepared: dict[str, tuple[Document, Layout]], folder: Path) -> list[LaidOut]:
    """Each PDF opened once: its pages' lines, and the tables and turned words of the editions whose tests read them."""
    laid_out = []
    for name, (document, layout) in prepared.items():
        margin = layout.margins_cm["bottom"] / 2.54 * 72
        with pdfplumber.open(folder / f"{name}.pdf") as pdf:
            pages = [read_page(page, margin) for page in pdf.pages]
            with_tables = name.startswith(("lines-", "summary-")) or name == "tall-row"
            tables = [page.extract_tables() if with_tables else [] for page in pdf.pages]
            turned = [page.extract_words(**ROTATED) if name in HEADER_EDITIONS else [] for page in pdf.pages]
        laid_out.append(LaidOut(name, document, layout, pages, tables, turned))
    return laid_out


def convert(documents: list[Path], out: Path, work: Path) -> None:
    """Word files to PDF with LibreOffice, in one call, in a profile of its own."""
    fonts = work / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{ROOT / 'layouts' / 'fonts'}</dir>\n  <cachedir>{work / 'font-cache'}</cachedir>\n"
        "</fontconfig>\n",
        "utf-8",
    )
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), *map(str, documents)],
        check=True, capture_output=True, timeout=300, env={**os.environ, "FONTCONFIG_FILE": str(fonts)},
    )  # fmt: skip


# --- the tests --------------------------------------------------------------


@pytest.mark.parametrize("kind", FORMATS)
def test_no_page_ends_with_a_category_row_the_header_or_a_heading(laid_out, kind):
    problems = [problem for laid in laid_out for problem in page_end_problems(laid.name, laid.document, laid.pages)]
    year_2020 = 0 if kind == "pdf" else 4 * len(YEAR_LINES)  # the PDF's: tests/test_pdf_pages.py
    assert sum(laid.name.startswith("2020-") for laid in laid_out) == year_2020, "region and each member"
    assert problems == []


@pytest.mark.parametrize("kind", FORMATS)
def test_the_footer_is_one_size(laid_out, kind):
    for laid in laid_out:
        for page in laid.pages:
            (footer,) = page.footer
            assert footer.text == laid.document.footer_page_label.format(page=page.number)
            assert footer.sizes == {laid.layout.fonts.footer_pt}, (laid.name, page.number, footer.sizes)


@pytest.mark.parametrize("kind", FORMATS)
def test_list_lines_are_evenly_spaced_at_every_level(laid_out, kind):
    checked = []
    for laid in laid_out[:1] + laid_out[2 * len(EXTRA_LINES) :]:  # the sweeps' other editions have the same lists
        for depth, gaps in list_gaps(laid.document, laid.pages):
            assert max(gaps) - min(gaps) <= EVEN_PT, (laid.name, gaps)
            checked.append(depth)
    assert max(checked) >= 1, "a list with second-level items was read"


def agreement_table(laid: LaidOut) -> AgreementTable:
    return next(block for block in laid.document.blocks if isinstance(block, AgreementTable))


def header_words(laid: LaidOut) -> list[dict]:
    """The words of the agreement table's first header row, turned or not:
    those between its first word and its first category's."""
    table = agreement_table(laid)
    first, below = table.header[0].split()[0], table.groups[0].heading.split()[0]
    for words in laid.turned:
        top = min((word["top"] for word in words if word["text"] == first), default=None)
        if top is not None:
            bottom = min(word["top"] for word in words if word["text"] == below and word["top"] > top)
            return [word for word in words if top - 1 <= word["top"] and word["bottom"] <= bottom]
    raise AssertionError(f"{laid.name}: no page shows '{first}'")


def broken_header_words(laid: LaidOut) -> list[str]:
    """The header's words, and its runs of words bound by no-break spaces,
    that do not come back whole and on one line (across, or up a turned cell)."""
    found = header_words(laid)
    problems = []
    for label in agreement_table(laid).header:
        for bound in label.split(" "):
            parts = bound.split("\u00a0")
            words = [word for word in found if word["text"] in parts]
            lines = {round(word["bottom"] if word["upright"] else word["x0"]) for word in words}
            if sorted({word["text"] for word in words}) != sorted(set(parts)) or len(lines) != 1:
                problems.append(f"{laid.name}: {bound!r} in {label!r} reads {[word['text'] for word in words]}")
    return problems


@pytest.mark.parametrize("kind", FORMATS)
def test_no_header_word_is_broken(laid_out, kind):
    """ "kommuneloven" not "kommunelov"+"en", "Guovdageaidnu" not "Guovdage"+"aidnu",
    "§ i kommuneloven" on one line, on the editions whose headers differ."""
    editions = [laid for laid in laid_out if laid.name in HEADER_EDITIONS]
    assert len(editions) == 2 + len(EXAMPLES)
    assert agreement_table(editions[0]).header[1].endswith("§\u00a0i\u00a0kommuneloven"), "the layout binds them"
    turned = [word for word in header_words(editions[1]) if not word["upright"]]
    assert sorted(word["text"] for word in turned) == sorted(agreement_table(editions[1]).header[2:-1])
    assert [problem for laid in editions for problem in broken_header_words(laid)] == []


def expected_rows(table: AgreementTable) -> list[list[str]]:
    """The table's category and agreement rows, as text without white space."""
    rows = []
    for group in table.groups:
        rows.append([group.heading])
        rows += [row_cells(row, table.mark) for row in group.rows]
    return [["".join(cell.split()) for cell in row] for row in rows]


def row_cells(row: AgreementRow, mark: str) -> list[str]:
    return [plain(row.name), row.form, *(mark if taking_part else "" for taking_part in row.marks), row.comment]


def table_rows(laid: LaidOut) -> list[list[str]]:
    """The agreement table's rows as the pages show them, page by page, the
    header rows left out; a row split over two pages comes back as two."""
    width = len(agreement_table(laid).header)
    header = ["".join(label.split()) for label in agreement_table(laid).header]
    rows = []
    for tables in laid.tables:
        for table in tables:
            cells = [["".join((cell or "").split()) for cell in row if cell is not None] for row in table]
            if cells[0] == header:  # the agreement table goes on under its header on every page
                rows += [row for row in cells[1:] if len(row) in (1, width)]
    return rows


@pytest.mark.parametrize("kind", FORMATS)
def test_ordinary_rows_are_never_split(laid_out, kind):
    """Every row of the sweep's editions comes back whole from one page."""
    for laid in laid_out[: 2 * len(EXTRA_LINES)]:
        assert table_rows(laid) == expected_rows(agreement_table(laid)), laid.name


@pytest.mark.parametrize("kind", FORMATS)
def test_a_row_taller_than_a_page_is_split_with_all_its_text(laid_out, kind):
    """The comment of about 1,600 letters goes on over the page break (the
    Word file's narrower comment column takes three pages), every letter of
    it, and the table's other rows stay whole."""
    laid = next(laid for laid in laid_out if laid.name == "tall-row")
    expected, shown = expected_rows(agreement_table(laid)), table_rows(laid)
    (tall,) = [index for index, row in enumerate(expected) if row[-1] == "".join(TALL_COMMENT.split())]
    end = tall + len(shown) - len(expected) + 1  # the row's parts are shown[tall:end]
    assert end - tall >= 2, "the row goes on on the next page"
    assert shown[:tall] == expected[:tall] and shown[end:] == expected[tall + 1 :]
    first, *rest = shown[tall:end]
    assert first[:-1] == expected[tall][:-1] and all(set(part[:-1]) == {""} for part in rest)
    assert "".join(part[-1] for part in shown[tall:end]) == expected[tall][-1]


@pytest.mark.parametrize("kind", FORMATS)
def test_the_summary_table_stands_on_one_page(laid_out, kind):
    """A table of counts is short: it goes whole to the next page rather than
    leave a row or two on another, as its header row would show."""
    pages = {}
    for laid in laid_out[len(EXTRA_LINES) : 2 * len(EXTRA_LINES)]:
        (summary,) = [block for block in laid.document.blocks if isinstance(block, DataTable)]
        header = ["".join(label.split()) for label in summary.header]
        pages[laid.name] = [
            number
            for number, tables in enumerate(laid.tables, start=1)
            for table in tables
            if ["".join((cell or "").split()) for cell in table[0]] == header
        ]
    assert {name: numbers for name, numbers in pages.items() if len(numbers) != 1} == {}
