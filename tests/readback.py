"""Reading built files back the way a reader of them would: python-docx for
Word, pdfplumber and pikepdf for PDF. Shared by the tests; no test mocks a renderer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pikepdf.pdfa
from docx.oxml.ns import qn

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
                    rows.append(spaced([cell or "" for cell in row if cell is not None]))
    return rows


def spaced(cells: list[str]) -> list[str]:
    """Cells as :func:`pdf_table_rows` reads them: each run of white space,
    the no-break spaces too, as one plain space."""
    return [" ".join(cell.split()) for cell in cells]


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
    gap, and spaces at the ends of a line are not drawn. Where a line ends,
    the break stood either at a space or inside a word too long for the column. So white-space runs are compared as one
    space, and each line break may stand for a space or for nothing. Every
    other character must come back, in order.
    """
    lines = [" ".join(line.split()) for line in cell.split("\n")]
    pattern = "[ ]?".join(re.escape(line) for line in lines if line)
    return re.fullmatch(pattern, " ".join(expected.split())) is not None


# --- tagged PDF: the structure tree with the text each element marks --------


@dataclass
class TaggedElement:
    """A structure element read back from a PDF, with the text of its own
    marked content gathered from the glyphs drawn for it."""

    role: str  # "H1", "TD", … without the slash
    attributes: dict[str, object]  # from /A: names without the slash, numbers, texts
    title: str | None
    alt: str | None  # /Alt, a figure's text alternative
    text: str  # the element's own marked content, whitespace collapsed
    marked: list[tuple[int, int]]  # (page index, MCID)
    children: list[TaggedElement]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def find_all(self, role: str) -> list[TaggedElement]:
        return [element for element in self.walk() if element.role == role]

    @property
    def all_text(self) -> str:
        return " ".join(part for part in (element.text for element in self.walk()) if part)


def pdf_marked_text(path: Path) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence with an MCID, by (page index, MCID).

    A line break inside a sequence becomes a space, as it does for a reader.
    """
    texts: dict[tuple[int, int], list[str]] = {}
    last_top: dict[tuple[int, int], float] = {}
    with pdfplumber.open(str(path)) as pdf:
        for index, page in enumerate(pdf.pages):
            for char in page.chars:
                if char.get("mcid") is None:
                    continue
                key = (index, char["mcid"])
                parts = texts.setdefault(key, [])
                if key in last_top and abs(char["top"] - last_top[key]) > 1:
                    parts.append(" ")
                last_top[key] = char["top"]
                parts.append(char["text"])
    return {key: " ".join("".join(parts).split()) for key, parts in texts.items()}


def pdf_artifact_text(path: Path) -> list[str]:
    """Per page, the text drawn as artifacts, in drawing order, with whitespace
    collapsed; a new line or a jump to another cell counts as a space."""
    pages = []
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            parts: list[str] = []
            previous = None
            for char in page.chars:
                if char.get("tag") != "Artifact":
                    continue
                if previous and (abs(char["top"] - previous["top"]) > 1 or char["x0"] - previous["x1"] > 1):
                    parts.append(" ")
                parts.append(char["text"])
                previous = char
            pages.append(" ".join("".join(parts).split()))
    return pages


def pdf_structure(path: Path) -> TaggedElement:
    """The structure tree under /StructTreeRoot (its one child, the Document)."""
    texts = pdf_marked_text(path)
    with pikepdf.open(str(path)) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        kids = _kids(pdf.Root.StructTreeRoot)
        assert len(kids) == 1, "the structure tree has one root element"
        return _element(kids[0], None, pages, texts)


def _kids(node) -> list:
    if "/K" not in node:
        return []
    kids = node.K
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _element(node, page, pages, texts) -> TaggedElement:
    if "/Pg" in node:
        page = pages[node.Pg.objgen]
    children, marked = [], []
    for kid in _kids(node):
        if isinstance(kid, int):
            marked.append((page, int(kid)))
        elif kid.get("/Type") == "/MCR":
            marked.append((pages[kid.Pg.objgen] if "/Pg" in kid else page, int(kid.MCID)))
        else:
            children.append(_element(kid, page, pages, texts))
    attributes = {}
    if "/A" in node:
        for key, value in node.A.items():
            if isinstance(value, pikepdf.Name):
                value = str(value)[1:]
            elif isinstance(value, pikepdf.String):
                value = str(value)
            else:
                value = int(value)
            attributes[key[1:]] = value
    return TaggedElement(
        role=str(node.S)[1:],
        attributes=attributes,
        title=str(node.T) if "/T" in node else None,
        alt=str(node.Alt) if "/Alt" in node else None,
        text=" ".join(texts.get(key, "") for key in marked).strip(),
        marked=marked,
        children=children,
    )


# --- DOCX: what Word and screen readers take from the XML -----------------


def docx_numbering(paragraph) -> tuple[str, int, str] | None:
    """(numId, level, number format) a paragraph is numbered with, found as
    Word finds it: on the paragraph, else on its style or the styles below."""
    numbering = None
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        numbering = properties.numPr
    style = paragraph.style
    while numbering is None and style is not None:
        properties = style.element.pPr
        if properties is not None and properties.numPr is not None:
            numbering = properties.numPr
        style = style.base_style
    if numbering is None or numbering.numId is None:
        return None
    num_id = str(numbering.numId.val)
    level = numbering.ilvl.val if numbering.ilvl is not None else 0
    part = paragraph.part.numbering_part.element
    (number,) = [n for n in part.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id]
    abstract_id = number.find(qn("w:abstractNumId")).get(qn("w:val"))
    (abstract,) = [a for a in part.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id]
    (definition,) = [d for d in abstract.findall(qn("w:lvl")) if d.get(qn("w:ilvl")) == str(level)]
    return num_id, level, definition.find(qn("w:numFmt")).get(qn("w:val"))


@dataclass(frozen=True)
class Figure:
    """A marked-content /Figure on a PDF page: its /Alt text and the drawing operators inside it."""

    page: int  # 0-based
    alt: str
    operators: list[str]


def pdf_figures(path: Path) -> list[Figure]:
    """Every Figure structure element, with its /Alt and the drawing operators
    of its marked content on the page."""
    alts: dict[tuple[int, int], str] = {}
    for element in pdf_structure(path).find_all("Figure"):
        for key in element.marked:
            alts[key] = element.alt
    figures = []
    with pikepdf.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages):
            inside: list[tuple[int, list[str]]] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                name = str(operator)
                if name in ("BDC", "BMC"):
                    mcid = (
                        operands[1].get("/MCID")
                        if name == "BDC" and isinstance(operands[1], pikepdf.Dictionary)
                        else None
                    )
                    inside.append((None if mcid is None else int(mcid), []))
                elif name == "EMC" and inside:
                    mcid, operators = inside.pop()
                    if (number, mcid) in alts:
                        figures.append(Figure(number, alts[(number, mcid)], operators))
                    elif inside:
                        inside[-1][1].extend(operators)
                elif inside:
                    inside[-1][1].append(name)
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


# What pikepdf's PDF/A validator cannot approve in our files: it does not read
# XMP extension schemas, so the pdfuaid property that PDF/A-2 allows through
# one is named; and it checks level B only, so the level A claim is named too.
_PDFUA_IDENTIFICATION = {
    "XMP namespace pdfaExtension=http://www.aiim.org/pdfa/ns/extension/ is not permitted",
    "XMP namespace pdfaProperty=http://www.aiim.org/pdfa/ns/property# is not permitted",
    "XMP namespace pdfaSchema=http://www.aiim.org/pdfa/ns/schema# is not permitted",
    "XMP property pdfuaid:part is not permitted",
    "XMP property pdfaExtension:schemas is not permitted",
}
_LEVEL_A = "pdfaid:conformance is 'A', expected 'B'"


def pdfa_findings_beyond_the_known(path: Path | str) -> list:
    """pikepdf's PDF/A-2b findings for ``path``, less the two it cannot approve."""
    return [
        finding
        for finding in pikepdf.pdfa.validate_written(str(path), "2b").findings
        if not (finding.rule.endswith("6.6.2.3.1-1") and finding.message in _PDFUA_IDENTIFICATION)
        and not (finding.rule.endswith("6.6.4-3") and finding.message == _LEVEL_A)
    ]
