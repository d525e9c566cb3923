"""Reads an overview kept as a Word file (DOCX): the paragraphs before the
table become the narrative (headings, lists with their levels, italic and
bold kept), every table row becomes a row of cell texts.

Word files come from many hands, so text is collected from every run of a
paragraph, including those inside hyperlinks, fields and content controls,
and symbols inserted from a symbol font (a Wingdings check mark) are read.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.exceptions import XmlchemyError
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun
from lxml.etree import XMLSyntaxError

from builder.diagnostics import Diagnostics, Location
from builder.importing.package import check_package
from builder.importing.source import (
    LIST_LEVELS,
    MAX_COLUMNS,
    SourceDocument,
    SourceRow,
    clean_cell,
    drop_unprintable,
    merge_runs,
    too_large,
)
from builder.model import Block, BulletList, Heading, ListItem, Paragraph, Run

# Tags and attributes read for every element of a large table, named once
_BODY = qn("w:body")
_P = qn("w:p")
_TBL = qn("w:tbl")
_TR = qn("w:tr")
_TC = qn("w:tc")
_R = qn("w:r")
_T = qn("w:t")
_TAB = qn("w:tab")
_BR = qn("w:br")
_CR = qn("w:cr")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_SYM = qn("w:sym")
_SDT = qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")
_CUSTOM_XML = qn("w:customXml")
_TC_PR = qn("w:tcPr")
_GRID_SPAN = qn("w:gridSpan")
_GRID_BEFORE = f"{qn('w:trPr')}/{qn('w:gridBefore')}"
_V_MERGE = qn("w:vMerge")
_VAL = qn("w:val")
_TYPE = qn("w:type")
_CHAR = qn("w:char")

# Symbol fonts put their glyphs in the private use area; these are the ones
# people use for a mark in a table.
_SYMBOLS = {"F0FC": "✓", "F0FE": "☑", "F0FB": "✗", "F0FD": "☒", "F078": "x", "F0B4": "×"}
_HEADING = re.compile(r"^(heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = ("title", "tittel")
# Word's built-in list styles in English and Norwegian: "List Bullet 2", "Punktliste 2"
_LIST_STYLE = re.compile(r"^(?:list (?:bullet|number)|punktliste|nummerert liste)\s*(\d)?$", re.IGNORECASE)
_SKIPPED = {qn("w:del"), qn("w:moveFrom")}  # deleted or moved-away text in tracked changes
_PICTURES = {
    qn("w:drawing"),
    qn("w:pict"),
    qn("w:object"),
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}
_RESAVE = "åpne filen i Word og lagre den på nytt som .docx"
# What python-docx raises on a part missing or of the wrong kind, an attribute
# holding what Word never writes there, XML nested past libxml2's limit
_FILE_FAULTS = (PythonDocxError, XmlchemyError, OpcError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError)


def read_docx(path: Path, data: bytes, problems: Diagnostics) -> SourceDocument | None:
    package = check_package(path, data, "Word-filen", _RESAVE, problems)
    if package is None:
        return None
    package.close()
    try:
        document = docx.Document(io.BytesIO(data))
    except _FILE_FAULTS as exc:
        problems.error(Location(path), f"Word-filen kan ikke leses: {exc}", _RESAVE)
        return None
    body = document.element.find(_BODY)
    if body is None:
        problems.error(Location(path), "Word-filen har ikke noe innhold (word/document.xml mangler w:body)", _RESAVE)
        return None
    try:
        return _read_body(document, body, path, problems)
    except _FILE_FAULTS as exc:
        problems.error(Location(path), f"Word-filen har en ugyldig verdi: {exc}", _RESAVE)
        return None


def _read_body(document, body, path: Path, problems: Diagnostics) -> SourceDocument | None:
    narrative: list[Block] = []
    trailing: list[Block] = []
    title: str | None = None
    rows: list[SourceRow] = []
    pending: list[tuple[int, ListItem]] = []  # list items waiting to become one list
    styles = _Styles(document)
    for element in _children(body, _P, _TBL):
        if element.tag == _TBL:
            _flush(pending, trailing if rows else narrative)
            if not _add_table_rows(element, rows, path, problems):
                return None
            continue
        paragraph = WordParagraph(element, document)
        kind, level = _kind(paragraph, styles)
        runs = merge_runs(_runs(paragraph, styles, Location(path), problems))
        blocks = trailing if rows else narrative
        if not runs:
            _flush(pending, blocks)
        elif kind == "title" and title is None and not narrative and not rows:
            title = "".join(run.text for run in runs)
        elif kind == "list":
            pending.append((level, ListItem(runs)))
        else:
            _flush(pending, blocks)
            blocks.append(Heading(level, runs) if kind == "heading" else Paragraph(runs))
    _flush(pending, trailing if rows else narrative)
    if trailing:
        problems.warning(
            Location(path),
            "teksten etter tabellen er lagt til i fortellingen, som i oversikten står foran tabellen",
            "flytt den i text/ om den skal stå et annet sted",
        )
    if not rows:
        problems.error(Location(path), "fant ingen tabell i Word-filen", "oversikten må ha samarbeidene i en tabell")
        return None
    return SourceDocument(path, tuple(rows), tuple(narrative + trailing), title)


class _Styles:
    """The document's styles, each looked up once: python-docx searches them all
    on every lookup, which made a file of thousands of paragraphs slow."""

    def __init__(self, document) -> None:
        self._part = document.part
        self._found: dict[tuple[str | None, WD_STYLE_TYPE], BaseStyle | None] = {}

    def get(self, style_id: str | None, kind: WD_STYLE_TYPE) -> BaseStyle | None:
        key = (style_id, kind)
        if key not in self._found:
            self._found[key] = self._part.get_style(style_id, kind)
        return self._found[key]


def _kind(paragraph: WordParagraph, styles: _Styles) -> tuple[str, int]:
    """("title" | "heading" | "list" | "paragraph", level), level 1-based for
    headings and 0-based for list items."""
    style = styles.get(paragraph._p.style, WD_STYLE_TYPE.PARAGRAPH)
    name = (style.name or "") if style is not None else ""
    if name.casefold() in _TITLE_STYLES:
        return "title", 0
    if heading := _HEADING.match(name):
        return "heading", int(heading[2])
    numbered, level = _numbering(paragraph._p.pPr)
    chain, seen = style, set()
    while numbered is None and chain is not None and chain.style_id not in seen:  # a file may make a loop
        seen.add(chain.style_id)
        numbered, level = _numbering(chain.element.pPr)
        chain = chain.base_style
    named = _LIST_STYLE.match(name)
    if numbered is None and named is None:
        return "paragraph", 0
    if numbered is False:
        return "paragraph", 0
    if level is None:
        # Word's own list styles ("List Bullet 2") carry the level in the name only
        level = int(named[1]) - 1 if named and named[1] else 0
    return "list", level


def _numbering(properties) -> tuple[bool | None, int | None]:
    """(whether the paragraph is numbered, None when it does not say; its level if given)."""
    numbering = properties.find(qn("w:numPr")) if properties is not None else None
    if numbering is None:
        return None, None
    number = numbering.find(qn("w:numId"))
    if number is not None and number.get(_VAL) == "0":  # numbering switched off
        return False, None
    level = numbering.find(qn("w:ilvl"))
    value = level.get(_VAL, "0") if level is not None else None
    return True, (min(int(value), LIST_LEVELS - 1) if value is not None and value.isdigit() else None)


def _flush(pending: list[tuple[int, ListItem]], blocks: list[Block]) -> None:
    """Turn consecutive list paragraphs into one nested list."""
    if not pending:
        return
    base = min(level for level, _ in pending)
    blocks.append(BulletList(_nest(pending, base)))
    pending.clear()


def _nest(items: list[tuple[int, ListItem]], level: int) -> tuple[ListItem, ...]:
    result: list[ListItem] = []
    index = 0
    while index < len(items):
        own_level, item = items[index]
        index += 1
        deeper = []
        while index < len(items) and items[index][0] > own_level:
            deeper.append(items[index])
            index += 1
        children = _nest(deeper, min(lvl for lvl, _ in deeper)) if deeper else ()
        result.append(ListItem(item.runs, children))
    return tuple(result)


def _runs(paragraph: WordParagraph, styles: _Styles, where: Location, problems: Diagnostics) -> list[Run]:
    runs = []
    for element in paragraph._p.iter(_R):
        if any(ancestor.tag in _SKIPPED for ancestor in element.iterancestors()):
            continue
        word_run = WordRun(element, paragraph)
        _warn_of_pictures(element, where, problems)
        text = drop_unprintable(_run_text(element), where, problems)
        run_style = styles.get(element.style, WD_STYLE_TYPE.CHARACTER)
        style = (run_style.name or "").casefold() if run_style is not None else ""
        italic = bool(word_run.italic) or "emphasis" in style or "utheving" in style
        bold = bool(word_run.bold) or style in ("strong", "sterk")
        runs.append(Run(text, italic, bold))
    return runs


def _run_text(run) -> str:
    parts = []
    for child in run.iterchildren():
        tag = child.tag
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("" if child.get(_TYPE) == "page" else "\n")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        elif tag == _SYM:
            code = (child.get(_CHAR) or "").upper()
            parts.append(_SYMBOLS.get(code) or _SYMBOLS.get("F0" + code[-2:], "") or _plain_symbol(code))
    return "".join(parts)


def _plain_symbol(code: str) -> str:
    """Any other symbol as its character; one from a private area is dropped, and named, later."""
    try:
        return chr(int(code, 16))
    except ValueError:
        return ""


def _add_table_rows(table, rows: list[SourceRow], path: Path, problems: Diagnostics) -> bool:
    """Add each row of ``table`` (a w:tbl) to ``rows`` as its cells' texts, a
    cell spanning columns followed by empty ones, a cell merged with the one
    above holding its text. False, with an error, past the limits."""
    above: list[str] = []  # the previous row by grid column, for vertical merges
    for row in _children(table, _TR):
        number = len(rows) + 1
        where = Location(path, number)
        cells = [""] * _grid_value(row.find(_GRID_BEFORE))  # the row starts this many columns in
        count = 0
        for cell in _children(row, _TC):
            count += 1
            properties = cell.find(_TC_PR)
            span = max(1, _grid_value(properties.find(_GRID_SPAN) if properties is not None else None))
            if too_large(number, len(cells) + span, where, problems):
                return False
            merge = properties.find(_V_MERGE) if properties is not None else None
            if merge is not None and merge.get(_VAL, "continue") == "continue":
                text = above[len(cells)] if len(cells) < len(above) else ""
            else:
                text = clean_cell(_cell_text(cell, where, problems), where, problems)
            cells += [text] + [""] * (span - 1)
        if too_large(number, len(cells), where, problems):
            return False
        above = cells
        rows.append(SourceRow(number, tuple(cells), spans_all=count == 1 and len(cells) > 1))
    return True


def _children(element, *tags: str):
    """The children of ``element`` with one of ``tags`` (qualified names), in
    order, also those inside content controls and custom XML."""
    for child in element.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, *tags)
        elif child.tag == _SDT and (content := child.find(_SDT_CONTENT)) is not None:
            yield from _children(content, *tags)


def _grid_value(element) -> int:
    """A count of grid columns (w:gridSpan, w:gridBefore), 0 when not given;
    bounded, so a hostile value is refused as too wide rather than built."""
    value = element.get(_VAL) if element is not None else None
    return min(int(value), MAX_COLUMNS + 1) if value and value.isdigit() else 0


def _cell_text(cell, where: Location, problems: Diagnostics) -> str:
    """The text of a cell's paragraphs; a table inside the cell is read into it,
    its cells' texts one after the other, and said aloud."""
    texts = []
    for child in _children(cell, _P, _TBL):
        if child.tag == _P:
            texts.append(_paragraph_text(child, where, problems))
        else:
            problems.warning(
                where,
                "cellen har en tabell inni seg; teksten i den er tatt med i cellen",
                "sjekk raden i agreements.yaml",
            )
            rows = _children(child, _TR)
            texts += [_cell_text(inner, where, problems) for row in rows for inner in _children(row, _TC)]
    return " ".join(text for text in texts if text.strip())


def _paragraph_text(paragraph, where: Location, problems: Diagnostics) -> str:
    """Only the text: table cells keep no styles, and reading styles run by run
    is what made large tables slow."""
    parts = []
    for run in paragraph.iter(_R):
        if not any(ancestor.tag in _SKIPPED for ancestor in run.iterancestors()):
            _warn_of_pictures(run, where, problems)
            parts.append(_run_text(run))
    return drop_unprintable("".join(parts), where, problems)


def _warn_of_pictures(run, where: Location, problems: Diagnostics) -> None:
    """Pictures and embedded objects are not imported; say so, since a check
    mark drawn as a picture would otherwise vanish."""
    if any(child.tag in _PICTURES for child in run.iterchildren()):
        problems.warning(
            where,
            "et bilde eller innebygd objekt kan ikke importeres og er ikke tatt med",
            "skriv det som tekst i innholdsfilene om det trengs, et merke som x",
        )
