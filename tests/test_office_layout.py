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
  before it): no page ends with a category row, the header row (with or
  without its category) or a heading;
- the footer ("Side 3") is one size;
- the lines of a list, first and second level, are evenly spaced.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pytest
from conftest import EXAMPLES, ROOT, write_sami_edition

from builder.build import prepare
from builder.model import AgreementTable, BulletList, DataTable, Document, Heading, Layout, ListItem
from builder.writers.docx_writer import render_docx
from builder.writers.pdf_writer import render_pdf

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (soffice); .ci/run installs it")

EXTRA_LINES = range(15)  # enough to move the table's start over most of a page
FORMATS = ("pdf", "docx")  # our PDF; the Word file as LibreOffice lays it out
BULLETS = set("•–◦")
SAME_LINE_PT = 2.0  # words whose baselines are this close are on one line
EVEN_PT = 0.5  # the most two gaps between list lines may differ


@dataclass(frozen=True)
class Line:
    text: str  # the words left to right, a list item's bullet left out
    bottom: float  # the baseline, from the top of the page
    bold: bool  # every word bold
    sizes: frozenset[float]


@dataclass(frozen=True)
class Page:
    number: int
    body: list[Line]  # top down
    footer: list[Line]  # below the bottom margin


@dataclass(frozen=True)
class LaidOut:
    name: str
    document: Document
    layout: Layout
    pages: dict[str, list[Page]]  # format -> its pages, read back


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory) -> list[LaidOut]:
    """The 2019 edition with 0…14 lines added before the table, the Sami
    edition and each example, built; their Word files converted in one call;
    every page read back once."""
    folder = tmp_path_factory.mktemp("office")
    editions = []
    for count in EXTRA_LINES:
        content = folder / f"lines-{count:02d}"
        shutil.copytree(ROOT / "content", content)
        text = content / "text" / "forbehold.md"
        text.write_text(text.read_text("utf-8") + "".join(f"\nEkstra linje {n}.\n" for n in range(count)), "utf-8")
        editions.append((content.name, content))
    editions.append(("sami-nn", write_sami_edition(folder / "sami-nn")))
    editions += [(path.name, path) for path in EXAMPLES]
    prepared = {name: prepare(content) for name, content in editions}
    # rendered here rather than by build(), which starts render processes for each edition
    for name, edition in prepared.items():
        (folder / f"{name}.docx").write_bytes(render_docx(edition.document, edition.layout))
        (folder / f"{name}.pdf").write_bytes(render_pdf(edition.document, edition.layout))
    converted = folder / "office"
    convert([folder / f"{name}.docx" for name in prepared], converted, folder)
    laid_out = []
    for name, edition in prepared.items():
        margin = edition.layout.margins_cm["bottom"] / 2.54 * 72
        pages = {
            "pdf": read_pages(folder / f"{name}.pdf", margin),
            "docx": read_pages(converted / f"{name}.pdf", margin),
        }
        laid_out.append(LaidOut(name, edition.document, edition.layout, pages))
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


# --- reading the pages ------------------------------------------------------


def read_pages(path: Path, bottom_margin_pt: float) -> list[Page]:
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words(extra_attrs=["fontname", "size"])
            limit = page.height - bottom_margin_pt
            body = lines([word for word in words if word["bottom"] <= limit])
            pages.append(Page(page.page_number, body, lines([word for word in words if word["bottom"] > limit])))
    return pages


def lines(words: list[dict]) -> list[Line]:
    """Words as lines, top down."""
    groups: list[list[dict]] = []
    for word in sorted(words, key=lambda word: word["bottom"]):
        if groups and word["bottom"] - groups[-1][0]["bottom"] < SAME_LINE_PT:
            groups[-1].append(word)
        else:
            groups.append([word])
    result = []
    for group in groups:
        group.sort(key=lambda word: word["x0"])
        if group[0]["text"] in BULLETS and len(group) > 1:
            group = group[1:]
        result.append(
            Line(
                " ".join(word["text"] for word in group),
                group[0]["bottom"],
                all("Bold" in word["fontname"] for word in group),
                frozenset(round(word["size"], 1) for word in group),
            )
        )
    return result


def plain(runs) -> str:
    return "".join(run.text for run in runs)


def page_end_problems(laid: LaidOut, kind: str) -> list[str]:
    """What a page ends with that it must not: a category row, the header row
    (alone or with its category) or a heading."""
    categories, header_words, headings = set(), set(), set()
    for block in laid.document.blocks:
        if isinstance(block, AgreementTable):
            categories |= {group.heading for group in block.groups}
        if isinstance(block, (AgreementTable, DataTable)):
            header_words |= {word for label in block.header for word in label.split()}
        if isinstance(block, Heading):
            headings.add(plain(block.runs))
    problems = []
    for page in laid.pages[kind][:-1]:  # the last page ends the document
        last = page.body[-1]
        where = f"{laid.name} page {page.number} ends with"
        if last.bold and last.text in categories:
            problems.append(f"{where} the category {last.text!r}")
        elif last.bold and set(last.text.split()) <= header_words:
            problems.append(f"{where} the header row")
        elif last.bold and last.text in headings:
            problems.append(f"{where} the heading {last.text!r}")
    return problems


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
    problems = [problem for laid in laid_out for problem in page_end_problems(laid, kind)]
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
    for laid in laid_out[:1] + laid_out[len(EXTRA_LINES) :]:  # the sweep's other editions have the same lists
        for depth, gaps in list_gaps(laid, kind):
            assert max(gaps) - min(gaps) <= EVEN_PT, (laid.name, gaps)
            checked.append(depth)
    assert max(checked) >= 1, "a list with second-level items was read"
