"""Pages read back from a PDF: their lines of words, what a page must not
end with, and the spacing of a list's lines. Shared by the PDF's own page
tests (no office suite needed) and the office-layout tests (our PDF, and
LibreOffice's PDF of the Word file).

Two readers give the same lines: :func:`read_page` takes a page pdfplumber
has opened (the office tests read its tables too), and :func:`read_pages`
reads a whole file with PDFium (pypdfium2), some ten times faster, for the
sweeps that read dozens of PDFs. A word is its characters up to a space or
a gap; its ``bottom`` is pdfplumber's lower edge, or PDFium's baseline: both
measured from the top of the page, the same for every word of a line."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium

from builder.model import AgreementTable, BulletList, DataTable, Document, Heading, ListItem

BULLETS = set("•–◦")
SAME_LINE_PT = 2.0  # words whose baselines are this close are on one line
EVEN_PT = 0.5  # the most two gaps between a list's lines may differ
WORD_GAP_PT = 3.0  # characters further apart than this are two words (pdfplumber's x tolerance)


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


def read_pages(path: Path, bottom_margin_pt: float) -> list[Page]:
    """Every page of the PDF at ``path``, read with PDFium."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            words = _pdfium_words(page)
            limit = page.get_height() - bottom_margin_pt
            body = lines([word for word in words if word["bottom"] <= limit])
            pages.append(Page(index + 1, body, lines([word for word in words if word["bottom"] > limit])))
            page.close()
        return pages
    finally:
        document.close()


def _pdfium_words(page: pypdfium2.PdfPage) -> list[dict]:
    """The page's words as pdfplumber gives them (text, x0, bottom, fontname, size), from PDFium's characters."""
    height = page.get_height()
    text_page = page.get_textpage()
    handle = text_page.raw
    left, right, low, high, x, y = (ctypes.c_double() for _ in range(6))
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    words: list[dict] = []
    current: dict | None = None
    last_right = 0.0
    for index in range(pdfium.FPDFText_CountChars(handle)):
        char = chr(pdfium.FPDFText_GetUnicode(handle, index))
        if pdfium.FPDFText_IsGenerated(handle, index) or char.isspace():
            current = None  # a space, or the line break PDFium puts between text objects
            continue
        pdfium.FPDFText_GetCharBox(handle, index, left, right, low, high)
        pdfium.FPDFText_GetCharOrigin(handle, index, x, y)
        baseline = height - y.value
        if current is not None and (abs(baseline - current["bottom"]) > 0.1 or left.value - last_right > WORD_GAP_PT):
            current = None
        if current is None:
            pdfium.FPDFText_GetFontInfo(handle, index, name, len(name), flags)
            size = pdfium.FPDFText_GetFontSize(handle, index)
            current = {"text": "", "x0": left.value, "bottom": baseline, "fontname": name.value.decode(), "size": size}
            words.append(current)
        current["text"] += char
        last_right = right.value
    text_page.close()
    return words


def read_page(page: pdfplumber.page.Page, bottom_margin_pt: float) -> Page:
    words = page.extract_words(extra_attrs=["fontname", "size"])
    limit = page.height - bottom_margin_pt
    body = lines([word for word in words if word["bottom"] <= limit])
    return Page(page.page_number, body, lines([word for word in words if word["bottom"] > limit]))


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


def page_end_problems(name: str, document: Document, pages: list[Page]) -> list[str]:
    """What a page of ``document`` ends with that it must not: a category
    row, the header row (alone or with its category) or a heading."""
    categories, header_words, headings = set(), set(), set()
    for block in document.blocks:
        if isinstance(block, AgreementTable):
            categories |= {group.heading for group in block.groups}
        if isinstance(block, (AgreementTable, DataTable)):
            header_words |= {word for label in block.header for word in label.split()}
        if isinstance(block, Heading):
            headings.add(plain(block.runs))
    problems = []
    for page in pages[:-1]:  # the last page ends the document
        last = page.body[-1]
        where = f"{name} page {page.number} ends with"
        if last.bold and last.text in categories:
            problems.append(f"{where} the category {last.text!r}")
        elif last.bold and set(last.text.split()) <= header_words:
            problems.append(f"{where} the header row")
        elif last.bold and last.text in headings:
            problems.append(f"{where} the heading {last.text!r}")
    return problems


def with_extra_lines(document: Document, count: int) -> Document:
    """``document`` with ``count`` one-line paragraphs after its title, which
    move everything after them down the page: a sweep over where a page ends."""
    from dataclasses import replace

    from builder.model import Paragraph, Run

    extra = tuple(Paragraph((Run(f"Ekstra linje {n}."),)) for n in range(count))
    return replace(document, blocks=(document.blocks[0], *extra, *document.blocks[1:]))


def flattened(items: tuple[ListItem, ...], depth: int = 0) -> Iterator[tuple[str, int]]:
    for item in items:
        yield plain(item.runs), depth
        yield from flattened(item.children, depth + 1)


def list_gaps(document: Document, pages: list[Page]) -> list[tuple[int, list[float]]]:
    """For each list on one page: its deepest level and the distances
    between the baselines of its lines, first item to last."""
    lists = [list(flattened(block.items)) for block in document.blocks if isinstance(block, BulletList)]
    page_lines = [line for page in pages for line in [*page.body, None]]  # None ends a page
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
