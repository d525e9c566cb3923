"""Reading built files back the way a reader of them would: python-docx for
Word, pdfplumber for PDF. Shared by the tests; no test mocks a renderer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pdfplumber

REFERENCE = Path(__file__).parent / "fixtures" / "oversikt-2019.txt"


@dataclass(frozen=True)
class Reference:
    """The 2019 document as text: narrative lines, categories and rows."""

    narrative: list[str]  # non-empty lines before the table, bullets with their "- "
    header: list[str]
    categories: list[tuple[str, list[list[str]]]]  # (name, rows of cells)


def read_reference(path: Path = REFERENCE) -> Reference:
    lines = path.read_text("utf-8").split("\n")
    narrative = [line for line in lines if line.strip() and "\t" not in line]
    header: list[str] = []
    categories: list[tuple[str, list[list[str]]]] = []
    for line in lines:
        if "\t" not in line:
            continue
        cells = line.split("\t")
        if cells[0].startswith("Pr. "):
            header = cells
        elif not any(cells[1:]):
            categories.append((cells[0], []))
        else:
            categories[-1][1].append(cells + [""] * (len(header) - len(cells)))
    return Reference(narrative, header, categories)


def docx_tables(path: Path) -> list[list[list[str]]]:
    """Every table's rows as cell texts; a merged row comes back as one cell."""
    document = docx.Document(str(path))
    tables = []
    for table in document.tables:
        rows = []
        for row in table.rows:
            cells = []
            seen = set()
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                cells.append(cell.text)
            rows.append(cells)
        tables.append(rows)
    return tables


def docx_paragraphs(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of every body paragraph outside tables."""
    document = docx.Document(str(path))
    return [(p.style.name, p.text) for p in document.paragraphs]


def pdf_table_rows(path: Path) -> list[list[str]]:
    """The rows of the table on every page, in order; cells with their line breaks joined by spaces."""
    rows = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                for row in table:
                    rows.append([" ".join((cell or "").split()) for cell in row if cell is not None])
    return rows


def pdf_text(path: Path) -> str:
    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdf_table_cells(path: Path) -> list[list[str]]:
    """The table's rows on every page with each cell's text as laid out:
    a line break where the PDF broke the line, spaces as drawn, ligature
    characters as they are (pdfplumber would otherwise spell them out)."""
    rows = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.find_tables():
                for row in table.extract(expand_ligatures=False, keep_blank_chars=True):
                    rows.append([cell for cell in row if cell is not None])
    return rows


def pdf_shows(expected: str, cell: str) -> bool:
    """Whether a PDF cell shows ``expected``, allowing only for what laying
    out text does to white space.

    A PDF holds positioned glyphs, not text: a run of spaces is drawn as one
    gap, spaces at the ends of a line are not drawn, and a no-break space is
    drawn with the space glyph (reportlab maps it so), which reads back as
    U+0020. Where a line ends, the break stood either at a space or inside a
    word too long for the column. So white-space runs are compared as one
    space, and each line break may stand for a space or for nothing. Every
    other character must come back, in order.
    """
    lines = [" ".join(line.split()) for line in cell.split("\n")]
    pattern = "[ ]?".join(re.escape(line) for line in lines if line)
    return re.fullmatch(pattern, " ".join(expected.split())) is not None


@dataclass(frozen=True)
class Figure:
    """A marked-content /Figure on a PDF page: its /Alt text and the drawing operators inside it."""

    page: int  # 0-based
    alt: str
    operators: list[str]


def pdf_figures(path: Path) -> list[Figure]:
    import pikepdf

    figures = []
    with pikepdf.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages):
            inside: list[list[str]] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name == "BDC" and str(operands[0]) == "/Figure":
                    inside.append([])
                    alt = str(operands[1].get("/Alt"))
                elif name == "EMC" and inside:
                    figures.append(Figure(number, alt, inside.pop()))
                elif inside:
                    inside[-1].append(name)
    return figures


@dataclass(frozen=True)
class Picture:
    description: str  # the picture's alt text (docPr descr)
    image: bytes


def docx_pictures(path: Path) -> list[Picture]:
    """Every inline picture in the body, with its description and image bytes."""
    document = docx.Document(str(path))
    pictures = []
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        pictures.append(Picture(shape._inline.docPr.get("descr"), document.part.related_parts[blip.embed].blob))
    return pictures


def pdf_tables(path: Path) -> list[list[list[str]]]:
    """Every table pdfplumber finds, page by page, cells joined as in pdf_table_rows."""
    tables = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                tables.append([[" ".join((cell or "").split()) for cell in row if cell is not None] for row in table])
    return tables
