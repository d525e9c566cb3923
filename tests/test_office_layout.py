"""The pages as they are laid out: our PDF, and the Word file as an office
suite lays it out (LibreOffice, headless, converting it to PDF), both read
back with pdfplumber.

Every LibreOffice test is in this module, so their cost shows in one place:
the editions are built once and all their Word files converted in one
``soffice`` call (some seconds), in a profile and font configuration of
their own. The font configuration adds the Carlito files the PDF embeds;
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
from itertools import pairwise, product
from pathlib import Path

import pdfplumber
import pytest
from conftest import EXAMPLES, ROOT, write_sami_edition
from pages import Page, page_end_problems, plain, read_pages, with_extra_lines
from year_2020 import make_2020

from builder.build import prepare, prepare_all
from builder.model import AgreementRow, AgreementTable, BulletList, DataTable, Document, Layout, ListItem
from builder.writers.docx_writer import render_docx
from builder.writers.pdf_writer import render_pdf

SOFFICE = shutil.which("soffice")
# LibreOffice: the quick loop (-m "not slow") leaves these out.
pytestmark = [
    pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice); .ci/run installs it"),
    pytest.mark.slow,
]

EXTRA_LINES = range(15)  # enough to move the table's start over most of a page
YEAR_LINES = range(0, 15, 2)  # the 2020 edition's sweep: its changes section's headings over a page foot
FORMATS = ("pdf", "docx")  # our PDF; the Word file as LibreOffice lays it out
EVEN_PT = 0.5  # the most two gaps between list lines may differ
ROTATED = {"char_dir_rotated": "btt", "line_dir_rotated": "ltr"}  # turned header text reads from the bottom up
TALL_COMMENT = " ".join(f"Del {n} av en lang kommentar om samarbeidet." for n in range(1, 38))  # 1,600 letters
TALL_AFTER = "comment: Jfr. digitaliseringsstrategien vedtatt i kommunestyrene"  # the agreement that gets it


@dataclass(frozen=True)
class LaidOut:
    name: str
    document: Document
    layout: Layout
    pages: dict[str, list[Page]]  # format -> its pages, read back
    files: dict[str, Path]  # format -> the PDF read


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> list[LaidOut]:
    """The 2019 edition with 0…14 lines added before the table, without and with its summary, the Sami
    edition, each example and the 2019 edition with a comment taller than a
    page, built; their Word files converted in one call;
    every page read back once."""
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
    # rendered here rather than by build(), which starts render processes for each edition
    for name, (document, layout) in prepared.items():
        (folder / f"{name}.docx").write_bytes(render_docx(document, layout))
        (folder / f"{name}.pdf").write_bytes(render_pdf(document, layout))
    converted = folder / "office"
    convert([folder / f"{name}.docx" for name in prepared], converted, folder)
    laid_out = []
    for name, (document, layout) in prepared.items():
        margin = layout.margins_cm["bottom"] / 2.54 * 72
        files = {"pdf": folder / f"{name}.pdf", "docx": converted / f"{name}.pdf"}
        pages = {kind: read_pages(path, margin) for kind, path in files.items()}
        laid_out.append(LaidOut(name, document, layout, pages, files))
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


def flattened(items: tuple[ListItem, ...], depth: int = 0):
    for item in items:
        yield plain(item.runs), depth
        yield from flattened(item.children, depth + 1)


def list_gaps(laid: LaidOut, kind: str) -> list[tuple[int, list[float]]]:
    """For each list on one page: its deepest level and the distances
    between the baselines of its lines, first item to last."""
    lists = [list(flattened(block.items)) for block in laid.document.blocks if isinstance(block, BulletList)]
    page_lines = [line for page in laid.pages[kind] for line in [*page.body, None]]  # None ends a page
    found = []
    for items in lists:
        first, last = items[0][0], items[-1][0]
        for start, line in enumerate(page_lines):
            if line is None or not first.startswith(line.text):
                continue
            end = next(
                i for i in range(start, len(page_lines)) if not page_lines[i] or last.startswith(page_lines[i].text)
            )
            if page_lines[end] is not None:  # not one that goes over a page
                bottoms = [line.bottom for line in page_lines[start : end + 1]]
                found.append((max(depth for _, depth in items), [b - a for a, b in pairwise(bottoms)]))
            break
    return found


# --- the tests --------------------------------------------------------------


@pytest.mark.parametrize("kind", FORMATS)
def test_no_page_ends_with_a_category_row_the_header_or_a_heading(laid_out, kind):
    problems = [
        problem for laid in laid_out for problem in page_end_problems(laid.name, laid.document, laid.pages[kind])
    ]
    assert sum(laid.name.startswith("2020-") for laid in laid_out) == 4 * len(YEAR_LINES), "region and each member"
    assert problems == []


@pytest.mark.parametrize("kind", FORMATS)
def test_the_footer_is_one_size(laid_out, kind):
    for laid in laid_out:
        for page in laid.pages[kind]:
            (footer,) = page.footer
            assert footer.text == laid.document.footer_page_label.format(page=page.number)
            assert footer.sizes == {laid.layout.fonts.footer_pt}, (laid.name, page.number, footer.sizes)


@pytest.mark.parametrize("kind", FORMATS)
def test_list_lines_are_evenly_spaced_at_every_level(laid_out, kind):
    checked = []
    for laid in laid_out[:1] + laid_out[2 * len(EXTRA_LINES) :]:  # the sweeps' other editions have the same lists
        for depth, gaps in list_gaps(laid, kind):
            assert max(gaps) - min(gaps) <= EVEN_PT, (laid.name, gaps)
            checked.append(depth)
    assert max(checked) >= 1, "a list with second-level items was read"


def agreement_table(laid: LaidOut) -> AgreementTable:
    return next(block for block in laid.document.blocks if isinstance(block, AgreementTable))


def header_words(laid: LaidOut, kind: str) -> list[dict]:
    """The words of the agreement table's first header row, turned or not:
    those between its first word and its first category's."""
    table = agreement_table(laid)
    first, below = table.header[0].split()[0], table.groups[0].heading.split()[0]
    with pdfplumber.open(laid.files[kind]) as pdf:
        for page in pdf.pages:
            words = page.extract_words(**ROTATED)
            top = min((word["top"] for word in words if word["text"] == first), default=None)
            if top is not None:
                bottom = min(word["top"] for word in words if word["text"] == below and word["top"] > top)
                return [word for word in words if top - 1 <= word["top"] and word["bottom"] <= bottom]
    raise AssertionError(f"{laid.name}: no page shows '{first}'")


def broken_header_words(laid: LaidOut, kind: str) -> list[str]:
    """The header's words, and its runs of words bound by no-break spaces,
    that do not come back whole and on one line (across, or up a turned cell)."""
    found = header_words(laid, kind)
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
    editions = [laid for laid in laid_out if laid.name in ("lines-00", "sami-nn", *(path.name for path in EXAMPLES))]
    assert len(editions) == 2 + len(EXAMPLES)
    assert agreement_table(editions[0]).header[1].endswith("§\u00a0i\u00a0kommuneloven"), "the layout binds them"
    turned = [word for word in header_words(editions[1], kind) if not word["upright"]]
    assert sorted(word["text"] for word in turned) == sorted(agreement_table(editions[1]).header[2:-1])
    assert [problem for laid in editions for problem in broken_header_words(laid, kind)] == []


def expected_rows(table: AgreementTable) -> list[list[str]]:
    """The table's category and agreement rows, as text without white space."""
    rows = []
    for group in table.groups:
        rows.append([group.heading])
        rows += [row_cells(row, table.mark) for row in group.rows]
    return [["".join(cell.split()) for cell in row] for row in rows]


def row_cells(row: AgreementRow, mark: str) -> list[str]:
    return [plain(row.name), row.form, *(mark if taking_part else "" for taking_part in row.marks), row.comment]


def table_rows(laid: LaidOut, kind: str) -> list[list[str]]:
    """The agreement table's rows as the pages show them, page by page, the
    header rows left out; a row split over two pages comes back as two."""
    width = len(agreement_table(laid).header)
    header = ["".join(label.split()) for label in agreement_table(laid).header]
    rows = []
    with pdfplumber.open(laid.files[kind]) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                cells = [["".join((cell or "").split()) for cell in row if cell is not None] for row in table]
                if cells[0] == header:  # the agreement table goes on under its header on every page
                    rows += [row for row in cells[1:] if len(row) in (1, width)]
    return rows


@pytest.mark.parametrize("kind", FORMATS)
def test_ordinary_rows_are_never_split(laid_out, kind):
    """Every row of the sweep's editions comes back whole from one page."""
    for laid in laid_out[: 2 * len(EXTRA_LINES)]:
        assert table_rows(laid, kind) == expected_rows(agreement_table(laid)), laid.name


@pytest.mark.parametrize("kind", FORMATS)
def test_a_row_taller_than_a_page_is_split_with_all_its_text(laid_out, kind):
    """The comment of about 1,600 letters goes on over the page break (the
    Word file's narrower comment column takes three pages), every letter of
    it, and the table's other rows stay whole."""
    laid = next(laid for laid in laid_out if laid.name == "tall-row")
    expected, shown = expected_rows(agreement_table(laid)), table_rows(laid, kind)
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
        with pdfplumber.open(laid.files[kind]) as pdf:
            pages[laid.name] = [
                page.page_number
                for page in pdf.pages
                for table in page.extract_tables()
                if ["".join((cell or "").split()) for cell in table[0]] == header
            ]
    assert {name: numbers for name, numbers in pages.items() if len(numbers) != 1} == {}
