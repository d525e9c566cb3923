"""Reads an overview kept as a Word file (DOCX) as Word shows it, tracked
changes accepted and hidden text hidden (``accepted``): the paragraphs become
the narrative (headings, lists with their levels, italic and bold kept), each
table both rows of cell texts and, should it hold no agreements (a box
around a caveat), narrative in its place (``tables`` decides which).

Word files come from many hands, so text is collected from every run of a
paragraph, including those inside hyperlinks, fields, content controls and
smart tags (a field's code is never text, only its result), symbols inserted
from a symbol font (a Wingdings check mark) are read, and a list may be
Word's numbering, a list style in any language, or bullets typed by hand
("•" and a tab), nested by their indentation.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.exceptions import PythonDocxError
from docx.opc.exceptions import OpcError
from docx.oxml.exceptions import XmlchemyError
from docx.oxml.ns import qn
from docx.styles.style import CharacterStyle
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run as WordRun
from lxml.etree import XMLSyntaxError

from builder.adapters.docx import paragraph_xml
from builder.diagnostics import Diagnostics, Location
from builder.importing.accepted import Shown, show_accepted
from builder.importing.package import check_package
from builder.importing.source import (
    LIST_LEVELS,
    MAX_COLUMNS,
    SourceDocument,
    SourceRow,
    SourceTable,
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
_SYMBOLS = {"F0B7": "•", "F0FC": "✓", "F0FE": "☑", "F0FB": "✗", "F0FD": "☒", "F078": "x", "F0B4": "×"}
_HEADING = re.compile(r"^(heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TITLE_STYLES = ("title", "tittel")
# Word's built-in list styles in English and Norwegian: "List Bullet 2", "Punktliste 2"
_LIST_STYLE = re.compile(r"^(?:list (?:bullet|number)|punktliste|nummerert liste)\s*(\d)?$", re.IGNORECASE)
_IND = qn("w:ind")
_LEFT = qn("w:left")
_START = qn("w:start")
_TAB_STOP = 720  # a typed tab before a bullet indents it by Word's default tab stop, half an inch
# A list item typed by hand: a bullet, then a tab or a space
_TYPED_BULLET = re.compile(r"^(?P<lead>[ \t]*)[•◦▪‣·*\-–](?:\t| +)")
_SPACES = re.compile(r"[ \t]{2,}|\t")
_SOFT_HYPHEN = "\u00ad"  # shown only where Word breaks a word at the end of a line
_MAX_NESTING = 32  # tables in tables read as narrative; deeper ones as plain text
_PICTURES = {
    qn("w:drawing"),
    qn("w:pict"),
    qn("w:object"),
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
        _say_what_was_shown(show_accepted(body), path, problems)
        return _WordReader(document, path, problems).read(body)
    except _FILE_FAULTS as exc:
        problems.error(Location(path), f"Word-filen har en ugyldig verdi: {exc}", _RESAVE)
        return None


def _say_what_was_shown(shown: Shown, path: Path, problems: Diagnostics) -> None:
    if shown.changes:
        problems.warning(
            Location(path),
            f"dokumentet har {shown.changes} {'endring' if shown.changes == 1 else 'endringer'} som ikke er godtatt;"
            " de er lest som om de var godtatt",
            "se over teksten i innholdsfilene, eller godta eller avvis endringene i Word og importer på nytt",
        )
    if shown.hidden:
        problems.warning(
            Location(path),
            f"dokumentet har skjult tekst ({shown.hidden} {'sted' if shown.hidden == 1 else 'steder'});"
            " den vises ikke i Word og er ikke tatt med",
            "vis den i Word (Hjem > Vis/skjul ¶) og gjør den synlig om den skal med",
        )


class _WordReader:
    """Reads the body of one document: its paragraphs as narrative blocks, its
    tables both as rows and as text, numbered in the order they stand."""

    def __init__(self, document, path: Path, problems: Diagnostics) -> None:
        self.document = document
        self.path = path
        self.problems = problems
        self.styles = _Styles(document)
        self.rows_read = 0

    def read(self, body) -> SourceDocument | None:
        narrative = _Narrative(self, self.problems, may_have_title=True)
        tables: list[SourceTable] = []
        for element in _children(body, _P, _TBL):
            if element.tag == _TBL:
                narrative.flush()
                narrative.may_have_title = False
                table = self._table(element, len(narrative.blocks))
                if table is None:
                    return None
                tables.append(table)
            else:
                narrative.add(element)
        narrative.flush()
        if not tables:
            self.problems.error(
                Location(self.path), "fant ingen tabell i Word-filen", "oversikten må ha samarbeidene i en tabell"
            )
            return None
        return SourceDocument(self.path, (), tuple(narrative.blocks), narrative.title, tuple(tables))

    def _table(self, table, position: int) -> SourceTable | None:
        own = Diagnostics()
        rows = _table_rows(table, self.rows_read, self.path, own)
        if rows is None:
            self.problems.items.extend(own.items)
            return None
        self.rows_read += len(rows)
        return SourceTable(position, tuple(rows), lambda problems: self.table_text(table, problems, 1), own)

    def table_text(self, table, problems: Diagnostics, depth: int) -> tuple[Block, ...]:
        """A table that holds no agreements as narrative: the paragraphs of its
        cells in reading order, tables nested in them read the same way."""
        if depth > _MAX_NESTING:  # the XML parser's depth limit bounds this; keep the text plain
            text = " ".join(_paragraph_text(p, Location(self.path), problems) for p in table.iter(_P))
            runs = merge_runs([Run(text)])
            return (Paragraph(runs),) if runs else ()
        narrative = _Narrative(self, problems, may_have_title=False)
        for row in _children(table, _TR):
            for cell in _children(row, _TC):
                if _continues_above(cell):
                    continue
                for child in _children(cell, _P, _TBL):
                    if child.tag == _TBL:
                        narrative.flush()
                        narrative.blocks += self.table_text(child, problems, depth + 1)
                    else:
                        narrative.add(child)
        narrative.flush()
        return tuple(narrative.blocks)


class _Narrative:
    """Paragraphs read one by one into blocks: consecutive list items, typed
    bullets among them, become one nested list; an empty paragraph between
    items (or one left empty by a deletion) does not end it."""

    def __init__(self, reader: _WordReader, problems: Diagnostics, *, may_have_title: bool) -> None:
        self.reader = reader
        self.problems = problems
        self.may_have_title = may_have_title
        self.title: str | None = None
        self.blocks: list[Block] = []
        self.pending: list[_Item] = []

    def add(self, element) -> None:
        reader = self.reader
        paragraph = WordParagraph(element, reader.document)
        kind, level = _kind(paragraph, reader.styles)
        raw = _runs(paragraph, reader.styles, Location(reader.path), self.problems)
        typed = _typed_bullet(raw) if kind == "paragraph" else None
        if typed is not None:
            leading_tabs, raw = typed
        runs = merge_runs([Run(_SPACES.sub(" ", run.text), run.emphasis, run.strong) for run in raw])
        if not runs:
            return
        if kind == "title" and self.may_have_title and self.title is None and not self.blocks:
            self.title = "".join(run.text for run in runs)
        elif kind == "list":
            self.pending.append(_Item(level, 0, ListItem(runs)))
        elif typed is not None:
            indent = _indent(paragraph, reader.styles) + leading_tabs * _TAB_STOP
            self.pending.append(_Item(None, indent, ListItem(runs)))
        else:
            self.flush()
            self.blocks.append(Heading(level, runs) if kind == "heading" else Paragraph(runs))
        self.may_have_title = self.may_have_title and self.title is None and not self.pending

    def flush(self) -> None:
        """Turn the list items read into one nested list; typed bullets get
        their level from their indentation, the least indented first."""
        if not self.pending:
            return
        indents = sorted({item.indent for item in self.pending if item.level is None})
        levels = [
            item.level if item.level is not None else min(indents.index(item.indent), LIST_LEVELS - 1)
            for item in self.pending
        ]
        items = [(level, item.item) for level, item in zip(levels, self.pending, strict=True)]
        self.blocks.append(BulletList(_nest(items, min(levels))))
        self.pending.clear()


@dataclass(frozen=True)
class _Item:
    level: int | None  # from the numbering or the style; None for a typed bullet
    indent: int  # twentieths of a point, for a typed bullet
    item: ListItem


def _typed_bullet(runs: list[Run]) -> tuple[int, list[Run]] | None:
    """A paragraph typed as a list item ("•" and a tab, "- " …): the tabs
    typed before the bullet and the runs without it; None for any other."""
    text = "".join(run.text for run in runs)
    match = _TYPED_BULLET.match(text)
    if match is None or not text[match.end() :].strip():
        return None
    leading_tabs = match["lead"].count("\t")
    drop = match.end()
    rest = []
    for run in runs:
        cut = min(drop, len(run.text))
        drop -= cut
        rest.append(Run(run.text[cut:], run.emphasis, run.strong))
    return leading_tabs, rest


def _indent(paragraph: WordParagraph, styles: _Styles) -> int:
    """The paragraph's left indentation in twentieths of a point, its own or its style's."""
    chain = [paragraph_xml(paragraph).pPr]
    style = styles.get(paragraph_xml(paragraph).style, WD_STYLE_TYPE.PARAGRAPH)
    seen = set()
    while style is not None and style.style_id not in seen:
        seen.add(style.style_id)
        chain.append(style.element.pPr)
        style = style.base_style
    for properties in chain:
        found = properties.find(_IND) if properties is not None else None
        if found is None:
            continue
        value = found.get(_LEFT) or found.get(_START)
        if value is not None and value.lstrip("-").isdigit():
            return int(value)
    return 0


class _Styles:
    """The document's styles, each looked up once: python-docx searches them all
    on every lookup, which made a file of thousands of paragraphs slow."""

    def __init__(self, document) -> None:
        self._part = document.part
        self._found: dict[tuple[str | None, WD_STYLE_TYPE], CharacterStyle | None] = {}

    def get(self, style_id: str | None, kind: WD_STYLE_TYPE) -> CharacterStyle | None:
        """A paragraph or a character style (the only kinds asked for): both
        are CharacterStyles, which have a base style."""
        key = (style_id, kind)
        if key not in self._found:
            self._found[key] = self._part.get_style(style_id, kind)
        return self._found[key]


def _kind(paragraph: WordParagraph, styles: _Styles) -> tuple[str, int]:
    """("title" | "heading" | "list" | "paragraph", level), level 1-based for
    headings and 0-based for list items. The style is known by its name or its
    id: Norwegian Word names its built-in styles in English ("heading 1") and
    gives them Norwegian ids ("Overskrift1"); other tools do the opposite."""
    style = styles.get(paragraph_xml(paragraph).style, WD_STYLE_TYPE.PARAGRAPH)
    names = [style.name or "", style.style_id or ""] if style is not None else []
    if any(name.casefold() in _TITLE_STYLES for name in names):
        return "title", 0
    if heading := next((found for name in names if (found := _HEADING.match(name))), None):
        return "heading", int(heading[2])
    numbered, level = _numbering(paragraph_xml(paragraph).pPr)
    chain, seen = style, set()
    while numbered is None and chain is not None and chain.style_id not in seen:  # a file may make a loop
        seen.add(chain.style_id)
        numbered, level = _numbering(chain.element.pPr)
        chain = chain.base_style
    named = next((found for name in names if (found := _LIST_STYLE.match(name))), None)
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
    for element in paragraph_xml(paragraph).iter(_R):
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
    return "".join(parts).replace(_SOFT_HYPHEN, "")


def _plain_symbol(code: str) -> str:
    """Any other symbol as its character; one from a private area is dropped, and named, later."""
    try:
        return chr(int(code, 16))
    except ValueError:
        return ""


def _table_rows(table, before: int, path: Path, problems: Diagnostics) -> list[SourceRow] | None:
    """Each row of ``table`` (a w:tbl) as its cells' texts, numbered on from
    ``before`` rows read: a cell spanning columns followed by empty ones, a
    cell merged with the one above holding its text. None, with an error,
    past the limits."""
    rows: list[SourceRow] = []
    above: list[str] = []  # the previous row by grid column, for vertical merges
    for row in _children(table, _TR):
        number = before + len(rows) + 1
        where = Location(path, number)
        cells = [""] * _grid_value(row.find(_GRID_BEFORE))  # the row starts this many columns in
        count = 0
        for cell in _children(row, _TC):
            count += 1
            properties = cell.find(_TC_PR)
            span = max(1, _grid_value(properties.find(_GRID_SPAN) if properties is not None else None))
            if too_large(number, len(cells) + span, where, problems):
                return None
            if _continues_above(cell):
                text = above[len(cells)] if len(cells) < len(above) else ""
            else:
                text = clean_cell(_cell_text(cell, where, problems), where, problems)
            cells += [text] + [""] * (span - 1)
        if too_large(number, len(cells), where, problems):
            return None
        above = cells
        rows.append(SourceRow(number, tuple(cells), spans_all=count == 1 and len(cells) > 1))
    return rows


def _continues_above(cell) -> bool:
    """Whether the cell is merged with the one above it (w:vMerge without "restart")."""
    properties = cell.find(_TC_PR)
    merge = properties.find(_V_MERGE) if properties is not None else None
    return merge is not None and merge.get(_VAL, "continue") == "continue"


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
