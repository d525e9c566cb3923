"""The agreement table as WordprocessingML, written as one XML string.

Why not python-docx's table API: ``table.rows[i]`` and ``row.cells`` walk
the whole table on every call, so filling a table cell by cell is quadratic
(109 s for 5,000 agreements × 8 members). The ``w:tbl`` is written as text
instead and spliced into the saved ``document.xml`` (see docx_writer), so
it is neither parsed nor moved between lxml documents. The result has the
same rows, cells, merges, shading, widths and runs as the python-docx API
gives (tests/test_fast_paths.py builds the table both ways and compares).

Text is escaped here and only here; a cell's paragraphs use the table
paragraph style, so sizes and spacing are written once, in the style.

Pagination follows the PDF's. Word has no "keep this row with the next
row"; a row whose paragraphs all keep with the next paragraph
(``w:keepNext``) does that in Word and LibreOffice, and ``w:cantSplit``
keeps each row whole. So the header row and every category row keep with
the row below them: a category goes over the page with its first agreement,
and the header is never left alone with its category. Word has no widow or
orphan control for rows either; every row of the summary table keeps with
the next, so that the short table goes whole to the next page as the PDF's
does (one taller than a page is split, in Word as in the PDF).
"""

from __future__ import annotations

from html import escape  # XML's five escapes; xml.sax.saxutils would load urllib (30 ms)

from builder.model import (
    LINE_HEIGHT,
    MEMBER,
    NAME,
    AgreementTable,
    DataTable,
    Inline,
    Layout,
    Run,
    TableColumns,
    measured,
)


def table_xml(table: AgreementTable, layout: Layout, grid_style_id: str, text_style_id: str) -> str:
    """The ``w:tbl`` element for ``table`` as text, in a document that binds
    the ``w`` prefix (as ``document.xml`` does)."""
    columns = measured(table)
    widths = columns.twips
    style = layout.table
    roles = table.roles
    cell = _CellWriter(text_style_id, layout.fonts.table_pt)
    parts = _start(table.caption, table.description, table.header, columns, style, grid_style_id, cell)
    full_width = sum(widths)
    row_start = _RowStart(layout)
    mark = (Run(table.mark),)
    for group in table.groups:
        heading = (Run(group.heading, strong=True),)
        parts.append(row_start([(group.heading, full_width)]))
        parts.append(
            cell.text(full_width, heading, False, shading=style.category_shading, span=len(widths),
                      color=style.category_text, keep_with_next=True)
        )  # fmt: skip
        parts.append("</w:tr>")
        for row in group.rows:
            cells = []
            texts = []  # the cells that may be long, for the row's height
            for role, content, width in zip(roles, table.cells(row), widths, strict=True):
                if role == MEMBER:
                    cells.append(cell.text(width, mark if content else (), True))
                elif role == NAME:
                    cells.append(cell.text(width, content, False))
                    texts.append(("".join(run.text for run in content), width))
                else:
                    cells.append(cell.text(width, (Run(content),), False))
                    texts.append((content, width))
            parts.append(row_start(texts))
            parts += cells
            parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def data_table_xml(table: DataTable, layout: Layout, grid_style_id: str, text_style_id: str) -> str:
    """A plain grid of counts: the first column names the rows, the others are centred."""
    columns = measured(table)
    widths = columns.twips
    cell = _CellWriter(text_style_id, layout.fonts.table_pt)
    centred = columns.centred
    parts = _start(table.caption, table.description, table.header, columns, layout.table, grid_style_id, cell)
    last_row = len(table.rows) - 1
    for row_index, texts in enumerate(table.rows):
        keep = row_index < last_row  # the table whole on one page, as the PDF's
        parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        parts += [
            cell.text(width, (Run(text),), middle, keep_with_next=keep)
            for text, width, middle in zip(texts, widths, centred, strict=True)
        ]
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


class _RowStart:
    """A row's start: kept on one page (``w:cantSplit``), unless its text may
    fill more than a third of a page. Word would cut off what of a kept row
    does not fit on a page, and a tall row kept whole leaves a gap above it.

    The writer cannot measure text as Word lays it out, so the height is an
    overestimate: every letter as wide as a narrow one."""

    LETTER_EM = 0.4  # narrower than the average letter of the layouts' fonts

    def __init__(self, layout: Layout):
        size = layout.fonts.table_pt
        self.letter_pt = size * self.LETTER_EM
        self.line_pt = size * LINE_HEIGHT * layout.line_spacing
        page_pt = layout.usable_height_cm * 72 / 2.54
        self.most_lines = page_pt / 3 / self.line_pt

    def __call__(self, cells: list[tuple[str, int]]) -> str:
        """``cells``: the texts that may be long, with their columns' widths in twips."""
        lines = max(len(text) * self.letter_pt / (width / 20) for text, width in cells)
        return "<w:tr>" if lines > self.most_lines else "<w:tr><w:trPr><w:cantSplit/></w:trPr>"


def _start(caption: str, description: str, labels, columns: TableColumns, style, grid_style_id: str,
           cell: _CellWriter) -> list[str]:  # fmt: skip
    """The table's properties, its grid and its header row, marked to repeat;
    turned headers read from the bottom up, the row tall enough for the longest."""
    widths = columns.twips
    height = ""
    if any(columns.turned):
        twips = round((columns.turned_length_pt + style.cell_padding_pt) * 20)
        height = f'<w:trHeight w:val="{twips}" w:hRule="atLeast"/>'
    parts = [
        "<w:tbl><w:tblPr>",
        f'<w:tblStyle w:val="{escape(grid_style_id)}"/><w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>',
        '<w:tblLayout w:type="fixed"/>',
        _cell_margins(style.cell_padding_pt),
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0"'
        ' w:noHBand="0" w:noVBand="1"/>',
        f'<w:tblCaption w:val="{escape(caption)}"/>',
        f'<w:tblDescription w:val="{escape(description)}"/>',
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{width}"/>' for width in widths),
        "</w:tblGrid>",
        f"<w:tr><w:trPr><w:cantSplit/>{height}<w:tblHeader/></w:trPr>",
    ]
    for index, label in enumerate(labels):
        turned = columns.turned[index]
        parts.append(
            cell.text(widths[index], (Run(label, strong=True),), columns.centred[index] and not turned,
                      shading=style.header_shading, turned=turned, size_pt=columns.header_pt, keep_with_next=True)
        )  # fmt: skip
    parts.append("</w:tr>")
    return parts


def _cell_margins(padding_pt: float) -> str:
    sides = []
    for side in ("top", "left", "bottom", "right"):
        vertical = side in ("top", "bottom")
        twips = round(padding_pt * (10 if vertical else 20))  # half the padding above and below
        sides.append(f'<w:{side} w:w="{twips}" w:type="dxa"/>')
    return "<w:tblCellMar>" + "".join(sides) + "</w:tblCellMar>"


class _CellWriter:
    def __init__(self, text_style_id: str, size_pt: float):
        self.paragraph_style = f'<w:pStyle w:val="{escape(text_style_id)}"/>'
        self.size_pt = size_pt  # the table paragraph style's
        # a register's table repeats its marks, empty cells and forms in
        # every row: each distinct cell is written once
        self._written: dict[tuple, str] = {}

    def _open(
        self, width: int, centred: bool, shading: str | None, span: int, turned: bool, keep_with_next: bool
    ) -> str:
        properties = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            properties += f'<w:gridSpan w:val="{span}"/>'
        if shading:
            properties += f'<w:shd w:val="clear" w:color="auto" w:fill="{shading}"/>'
        if turned:  # read from the bottom up, the line centred across the column
            properties += '<w:textDirection w:val="btLr"/><w:vAlign w:val="center"/>'
        keep = "<w:keepNext/>" if keep_with_next else ""
        alignment = '<w:jc w:val="center"/>' if centred else ""
        return f"<w:tc><w:tcPr>{properties}</w:tcPr><w:p><w:pPr>{self.paragraph_style}{keep}{alignment}</w:pPr>"

    def text(
        self, width: int, runs: Inline, centred: bool, *, shading: str | None = None, span: int = 1,
        color: str | None = None, turned: bool = False, size_pt: float | None = None, keep_with_next: bool = False,
    ) -> str:  # fmt: skip
        """A cell; ``size_pt`` sets its text at another size than the style's (a smaller header row)."""
        key = (width, runs, centred, shading, span, color, turned, size_pt, keep_with_next)
        written = self._written.get(key)
        if written is None:
            size = None if size_pt is None or size_pt == self.size_pt else round(size_pt * 2)
            written = self._written[key] = (
                self._open(width, centred, shading, span, turned, keep_with_next)
                + "".join(_run(r, color, size) for r in runs if r.text)
                + "</w:p></w:tc>"
            )
        return written


def _run(run: Run, color: str | None, half_points: int | None = None) -> str:
    properties = ("<w:b/>" if run.strong else "") + ("<w:i/>" if run.emphasis else "")
    if color:
        properties += f'<w:color w:val="{color}"/>'
    if half_points:
        properties += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    content = []
    for index, line in enumerate(run.text.split("\n")):
        if index:
            content.append("<w:br/>")
        for piece_index, piece in enumerate(line.split("\t")):
            if piece_index:
                content.append("<w:tab/>")
            if piece:
                content.append(f'<w:t xml:space="preserve">{escape(piece, quote=False)}</w:t>')
    return f"<w:r>{'<w:rPr>' + properties + '</w:rPr>' if properties else ''}{''.join(content)}</w:r>"
