"""Pages read back from a PDF with pdfplumber: their lines of words, and
what a page must not end with. Shared by the PDF's own page tests (no
office suite needed) and the office-layout tests (LibreOffice's PDF of the
Word file)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from builder.model import AgreementTable, DataTable, Document, Heading

BULLETS = set("•–◦")
SAME_LINE_PT = 2.0  # words whose baselines are this close are on one line


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
