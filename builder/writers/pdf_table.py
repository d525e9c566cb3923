"""The tables in the PDF (the agreement table and the summary's): a ruled
grid whose header row is drawn again on every page, bold shaded category
rows across the full width, and every cell tagged (TH for headers, TD for
data, one TR per row).

Why not one reportlab Table: it measures every remaining row again each time
it splits at the end of a page, which makes a long table quadratic (62 s for
5,000 agreements). Here each row is measured once; the flowable
:class:`PagedTable` hands the rows that fit on the current page, under the
header, to :class:`_PageOfRows`, which draws them, and passes the rest on.
A row taller than a page is split line by line, cell by cell, into a part
that fills the page and the rest, which goes on under the header of the
next page (reportlab's Table could not split such a row wherever it fell).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from types import MappingProxyType
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable

from builder.model import (
    LINE_HEIGHT,
    MEMBER,
    NAME,
    AgreementRow,
    AgreementTable,
    DataTable,
    Layout,
    TableColumns,
    measured,
)
from builder.writers.pdf_tagging import StructNode, Tagger, Text
from builder.writers.pdf_text import (
    LineCodes,
    Lines,
    Styles,
    TaggedLines,
    TaggedParagraph,
    escape,
    markup,
    plain_lines,
    tagged,
    text_cell,
)
from builder.writers.pdf_turned import TurnedCell

# reportlab's frames keep this much inside the margins, above and below
FRAME_PADDING = 6

# A body cell: plain lines shared by equal cells, with the node whose content
# they are where this cell draws them; or a paragraph, which tags itself.
Cell: TypeAlias = tuple[Lines, StructNode] | TaggedParagraph


def agreement_table(
    table: AgreementTable, layout: Layout, styles: Styles, tagger: Tagger, parent: StructNode
) -> PagedTable:
    columns = measured(table)
    widths = list(columns.widths_pt)
    padding = layout.table.cell_padding_pt
    inner = [width - 2 * padding for width in widths]
    centred = columns.centred
    header, body = _start(
        table.caption, table.description, table.header, centred, inner, columns, styles, tagger, parent
    )
    rows: list[tuple[list, bool]] = []  # (cells, is a category row)
    full_width = sum(widths) - 2 * padding
    marks = _Marks(table, styles, tagger, inner)
    for group in table.groups:
        cell = body.add("TR").add(
            "TD", attributes={"O": "Table", "ColSpan": len(widths)}, outline=group.heading, outline_level=1
        )
        rows.append(([_cell(group.heading, styles.category, full_width, tagger, cell)] + [""] * (len(widths) - 1),
                     True))  # fmt: skip
        for agreement in group.rows:
            cells = _agreement_row(table, agreement, marks, body.add("TR"), styles, tagger, inner)
            rows.append((cells, False))
    return _paged(header, rows, widths, layout, styles, tagger)


def data_table(table: DataTable, layout: Layout, styles: Styles, tagger: Tagger, parent: StructNode) -> PagedTable:
    """A plain grid of counts: the first column names the rows (their headers), the others are centred."""
    columns = measured(table)
    widths = list(columns.widths_pt)
    inner = [width - 2 * layout.table.cell_padding_pt for width in widths]
    centred = columns.centred
    header, body = _start(table.caption, table.description, table.header, centred, inner, columns, styles, tagger,
                          parent)  # fmt: skip
    rows = []
    for texts in table.rows:
        row = body.add("TR")
        cells = []
        for text, width, role, middle in zip(texts, inner, table.roles, centred, strict=True):
            node = row.add("TH", attributes={"O": "Table", "Scope": "Row"}) if role == NAME else row.add("TD")
            cells.append(_cell(text, styles.mark if middle else styles.cell, width, tagger, node))
        rows.append((cells, False))
    paged = _paged(header, rows, widths, layout, styles, tagger)
    paged.spaceAfter = layout.space_after_pt
    return paged


def _start(caption: str, description: str, labels, centred, inner: list[float], columns: TableColumns,
           styles: Styles, tagger: Tagger, parent: StructNode):  # fmt: skip
    """The Table node with its header row of column headers; returns the header
    cells (flowables, drawn once as content and after that as repeats) and the
    TBody node the rows go under."""
    node = parent.add("Table", title=caption, attributes={"O": "Table", "Summary": Text(description)})
    head_row = node.add("THead").add("TR")
    header: list[Flowable] = []
    plain, middle = _header_styles(styles, columns.header_pt)
    for index, (label, width) in enumerate(zip(labels, inner, strict=True)):
        cell = head_row.add("TH", attributes={"O": "Table", "Scope": "Column"})
        if columns.turned[index]:
            length = columns.turned_length_pt
            header.append(TurnedCell(_flowable(_cell(label, plain, length, tagger, cell), tagger), length))
            continue
        style = middle if centred[index] else plain
        header.append(_flowable(_cell(label, style, width, tagger, cell), tagger))
    return header, node.add("TBody")


def _header_styles(styles: Styles, size: float) -> tuple[ParagraphStyle, ParagraphStyle]:
    """The header row's styles, left and centred, at the size the columns were fitted for."""
    if size == styles.cell_bold.fontSize:
        return styles.cell_bold, styles.mark_bold
    plain, middle = (
        ParagraphStyle(f"{style.name}_{size}", parent=style, fontSize=size, leading=size * LINE_HEIGHT)
        for style in (styles.cell_bold, styles.mark_bold)
    )
    return plain, middle


def _paged(header: list, rows: list, widths: list[float], layout: Layout, styles: Styles, tagger: Tagger) -> PagedTable:
    frame_height = layout.usable_height_cm * cm
    frame_height -= 2 * FRAME_PADDING
    paged = PagedTable(_MeasuredRows(header, rows, widths, _Grid(layout, tagger), frame_height))
    paged.spaceBefore = layout.space_after_pt
    return paged


# Every row header's attributes: one mapping for every row
ROW_HEADER = MappingProxyType({"O": "Table", "Scope": "Row"})


def _agreement_row(
    table: AgreementTable, agreement: AgreementRow, marks: _Marks, row: StructNode, styles: Styles, tagger: Tagger,
    inner: list[float],
) -> list[Cell]:  # fmt: skip
    """The cells of one agreement; its name is the row's header for the cells
    beside it. Every data cell is a TD, an empty one too, so every row has every column.

    Written for speed, as a large register has tens of thousands of cells:
    the member columns' cells are shared lines (see :class:`_Marks`) and the
    nodes are made without :meth:`StructNode.add`'s keywords."""
    cells: list[Cell] = []
    nodes = row.children
    taking_part = iter(agreement.marks)
    member_lines = marks.lines
    for column, role in enumerate(table.roles):
        if role == MEMBER:
            node = StructNode("TD")
            part = next(taking_part)
            lines = member_lines[column][part]
            cells.append((lines, node) if lines is not None else marks.paragraph(column, part, node))
        elif role == NAME:
            node = StructNode("TH", ROW_HEADER)
            content = agreement.name
            plain = len(content) == 1 and not (content[0].emphasis or content[0].strong)
            cells.append(
                _cell(content[0].text, styles.cell, inner[column], tagger, node)
                if plain
                else tagged(markup(content), styles.cell, tagger, node)
            )
        else:
            node = StructNode("TD")
            text = getattr(agreement, role)
            lines = plain_lines(text, styles.cell, inner[column])  # _cell, inline
            cells.append((lines, node) if lines is not None else tagged(escape(text), styles.cell, tagger, node))
        nodes.append(node)
    return cells


class _Marks:
    """The member columns' cells: the mark or nothing. Their lines are the
    same in every row, so they are looked up once per column, not per cell."""

    def __init__(self, table: AgreementTable, styles: Styles, tagger: Tagger, widths: list[float]):
        """``widths``: every column's, by index."""
        self.mark, self.style, self.tagger, self.widths = table.mark, styles.mark, tagger, widths
        # (empty, marked) per member column, as text_cell makes any cell: lines where they print the same
        self.lines = {
            column: (plain_lines("", self.style, widths[column]), plain_lines(self.mark, self.style, widths[column]))
            for column, role in enumerate(table.roles) if role == MEMBER
        }  # fmt: skip

    def paragraph(self, column: int, taking_part: bool, node: StructNode) -> Cell:
        """A mark that needs a paragraph (one wider than its column): one of its own."""
        return _cell(self.mark if taking_part else "", self.style, self.widths[column], self.tagger, node)


def _cell(text: str, style, width: float, tagger: Tagger, node: StructNode) -> Cell:
    cell = text_cell(text, style, width, tagger, node)
    return (cell, node) if isinstance(cell, Lines) else cell


def _split_cell(cell: Cell | str, width: float, height: float) -> tuple[Cell | str, Cell | str]:
    """The lines of a cell within ``height``, and the rest; a category row's
    placeholders ("") stay placeholders."""
    if isinstance(cell, str):  # only ever ""
        return "", ""
    if isinstance(cell, tuple):
        lines, node = cell
        count = int(height / lines.style.leading + 1e-9)
        return (Lines(lines.lines[:count], lines.style), node), (Lines(lines.lines[count:], lines.style), node)
    cell.wrap(width, height)
    parts = cell.split(width, height)
    nothing = (Lines((), cell.style), cell.node)  # an empty cell, no marked content
    if not parts:
        return nothing, cell
    if len(parts) == 1:
        return parts[0], nothing
    return parts[0], parts[1]


def _has_text(cell: Cell | str) -> bool:
    return cell != "" and (not isinstance(cell, tuple) or bool(cell[0].lines))


def _flowable(cell: Cell, tagger: Tagger) -> Flowable:
    """A cell as a flowable, for the header row."""
    return TaggedLines(cell[0], tagger, cell[1]) if isinstance(cell, tuple) else cell


class _Grid:
    """How the table looks on every page: colours, lines and padding."""

    def __init__(self, layout: Layout, tagger: Tagger):
        self.padding = layout.table.cell_padding_pt
        self.tagger = tagger
        self.category_color = colors.HexColor("#" + layout.table.category_shading)
        self.header_color = colors.HexColor("#" + layout.table.header_shading)
        self.line_color = colors.HexColor("#" + layout.table.grid_color)
        self.line_width = layout.table.grid_pt
        self.line_codes = LineCodes()
        # per column (and one for the spanning category cell): each Lines drawn
        # there, shared by equal cells, and its operators to the end of its marked content
        self.drawn: dict[int, dict[Lines, str]] = {}


@dataclass
class _MeasuredRows:
    """The table's rows with their heights, measured once for every page."""

    header: list[Flowable]
    rows: list[tuple[list[Cell | str], bool]]  # (cells, is a category row: its placeholders "")
    widths: list[float]
    grid: _Grid
    frame_height: float
    header_form: str | None = None  # the header row as a form, once drawn on a later page

    def __post_init__(self) -> None:
        self.header_height = self._height(self.header, False)
        self.heights = [self._height(*row) for row in self.rows]
        self.ends = [0.0, *accumulate(self.heights)]  # ends[i]: the rows above row i, stacked

    def _columns(self, cells: Sequence, category: bool = False):
        """Each cell with its width; a category row's one cell spans the table
        (the rest are placeholders)."""
        if category:
            return [(cells[0], sum(self.widths))]
        return zip(cells, self.widths, strict=True)

    def _height(self, cells: Sequence[Flowable | Cell | str], category: bool) -> float:
        """As reportlab's Table measures a row: its tallest cell and the padding above and below."""
        padding = self.grid.padding
        return (
            max([
                cell[0].height if cell.__class__ is tuple else cell.wrap(width - 2 * padding, 1e9)[1]
                for cell, width in self._columns(cells, category)
            ])
            + padding
        )  # fmt: skip

    def table(self, start: int, stop: int) -> Flowable:
        """Rows ``start:stop`` under the header, as drawn on one page."""
        return _PageOfRows(self, start, stop)

    def taller_than_a_page(self, index: int) -> bool:
        return self.header_height + self.heights[index] > self.frame_height

    def split_row(self, index: int, room: float) -> bool:
        """Split row ``index`` line by line into the part that fits in
        ``room`` and the rest, a row of its own below it; False when no line fits.

        Both parts' cells are content of the same nodes: a reader meets one
        row, continued on the next page as a paragraph is."""
        cells, category = self.rows[index]
        text_height = room - self.grid.padding  # a row is its tallest cell and the padding above and below
        widths = [sum(self.widths)] + [0.0] * (len(cells) - 1) if category else self.widths
        parts = [
            _split_cell(cell, width - 2 * self.grid.padding, text_height)
            for cell, width in zip(cells, widths, strict=True)
        ]
        first, rest = [part[0] for part in parts], [part[1] for part in parts]
        if not any(_has_text(cell) for cell in first):
            return False
        self.rows[index : index + 1] = [(first, category), (rest, category)]
        self.heights[index : index + 1] = [self._height(first, category), self._height(rest, category)]
        self.ends = [0.0, *accumulate(self.heights)]
        return True


class PagedTable(Flowable):
    """The rows from ``start`` on, cut page by page into the rows that fit."""

    def __init__(self, measured: _MeasuredRows, start: int = 0):
        super().__init__()
        self.measured, self.start = measured, start
        self.width = sum(measured.widths)

    def wrap(self, available_width, available_height):
        rows = self.measured
        return self.width, rows.header_height + rows.ends[-1] - rows.ends[self.start]

    def split(self, available_width, available_height):
        rows, start = self.measured, self.start
        room = available_height - rows.header_height + rows.ends[start]
        stop = bisect_right(rows.ends, room) - 1  # the rows whose bottom is within the room
        if stop >= len(rows.rows):
            return [rows.table(start, stop)]
        if rows.taller_than_a_page(stop):
            # a row that fits on no page starts here if a quarter of the page
            # is left for it (or the whole page is), and goes on over the next
            room -= rows.ends[stop]
            enough = min(rows.frame_height / 4, rows.frame_height - rows.header_height) - 1  # 1 pt for rounding
            if room >= enough and rows.split_row(stop, room):
                return [rows.table(start, stop + 1), PagedTable(rows, stop + 1)]
        while stop > start and rows.rows[stop - 1][1]:
            stop -= 1  # a category heading goes over the page with its first agreement
        if stop <= start:
            return []  # the row goes on the next page, whole or split there
        return [rows.table(start, stop), PagedTable(rows, stop)]

    def draw(self) -> None:
        table = self.measured.table(self.start, len(self.measured.rows))
        table.wrapOn(self.canv, self.width, self.wrap(self.width, 0)[1])
        table.drawOn(self.canv, 0, 0)


class _PageOfRows(Flowable):
    """One page's rows under the header, drawn directly rather than as a
    reportlab Table, whose per-cell bookkeeping (a saved and restored state,
    a translation and a wrap for every cell) was most of a large register's
    time: the shading and grid lines as one artifact, the header row, then
    each cell's text as the marked content of its node."""

    def __init__(self, measured: _MeasuredRows, start: int, stop: int):
        super().__init__()
        self.measured, self.start, self.stop = measured, start, stop
        self.width = sum(measured.widths)
        self.height = measured.header_height + measured.ends[stop] - measured.ends[start]

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def _rows(self):
        """(cells, is a category row, top, height) from the top of the page's table down."""
        measured = self.measured
        top = self.height
        yield measured.header, False, top, measured.header_height
        top -= measured.header_height
        for index in range(self.start, self.stop):
            cells, category = measured.rows[index]
            height = measured.heights[index]
            yield cells, category, top, height
            top -= height

    def draw(self) -> None:
        canvas, grid = self.canv, self.measured.grid
        rows = list(self._rows())
        with grid.tagger.artifact(canvas):
            self._shade(rows)
            self._rule(rows)
        self._header()
        self._cells(rows[1:])

    def _header(self) -> None:
        """The header row: its cells' content the first time, and after that,
        on every later page, a repeat for the eye (a pagination artifact), drawn
        once into a form that every later page shows."""
        canvas, measured = self.canv, self.measured
        bottom = self.height - measured.header_height
        if not any(getattr(cell, "drawn", False) for cell in measured.header):
            canvas.saveState()
            canvas.translate(0, bottom)
            self._header_cells()
            canvas.restoreState()
            return
        if measured.header_form is None:
            number = 1
            while canvas.hasForm(f"TableHeader{number}"):
                number += 1
            measured.header_form = f"TableHeader{number}"
            canvas.beginForm(measured.header_form, 0, 0, self.width, measured.header_height)
            self._header_cells()  # drawn already: the cells draw themselves as repeats
            canvas.endForm()
        with measured.grid.tagger.artifact(canvas, pagination="Header"):
            canvas.saveState()
            canvas.translate(0, bottom)
            canvas.doForm(measured.header_form)
            canvas.restoreState()

    def _header_cells(self) -> None:
        """The header row's cells, the row's bottom at y = 0."""
        measured = self.measured
        padding = measured.grid.padding
        top = measured.header_height - padding / 2
        for cell, left, width in zip(measured.header, accumulate(measured.widths, initial=0.0), measured.widths,
                                     strict=False):  # fmt: skip
            cell.wrapOn(self.canv, width - 2 * padding, top)
            cell.drawOn(self.canv, left + padding, top - cell.height)

    def _cells(self, rows) -> None:
        """Each body cell's text as the marked content of its node, the page's
        cells written as one literal: a call into the canvas per cell and
        line was a large share of a large register's time. A row's cells are
        placed with one translation to the row's top, formatted once."""
        canvas, measured = self.canv, self.measured
        grid = measured.grid
        tagger, codes, padding = grid.tagger, grid.line_codes, grid.padding
        lefts = accumulate(measured.widths, initial=0.0)
        drawn = grid.drawn
        columns = [
            (left + padding, width - 2 * padding, drawn.setdefault(index, {}))
            for index, (left, width) in enumerate(zip(lefts, measured.widths, strict=False))
        ]
        spanning = [(padding, self.width - 2 * padding, drawn.setdefault(-1, {}))]
        operators: list[str] = []
        page, owners = tagger.current_page()

        def flush() -> None:
            if operators:
                canvas.addLiteral("\n".join(operators))
                operators.clear()

        color = None
        for cells, category, top, _ in rows:
            top -= padding / 2
            place = f"q 1 0 0 1 0 {fp_str(top)} cm\n"
            # a category row's one cell spans the table; its other cells are placeholders
            for cell, (left, inner, known) in zip(cells, spanning if category else columns, strict=False):
                if cell.__class__ is tuple:
                    lines, node = cell
                    if not lines.lines:
                        continue
                    if lines.style.textColor is not color:  # set once, not per cell: text shows in the fill colour
                        flush()
                        color = lines.style.textColor
                        canvas.setFillColor(color)
                    shown = known.get(lines)
                    if shown is None:
                        shown = known[lines] = f"{lines.operators(canvas, left, inner, codes)} Q\nEMC"
                    if node.outline is None:
                        # Tagger.content_operator, inline: a large register has tens of thousands of cells
                        mcid = len(owners)
                        owners.append(node)
                        node.marked.append((page, mcid))
                        operators.append(f"/{node.role} <</MCID {mcid}>> BDC\n{place}{shown}")
                    else:
                        operators.append(f"{tagger.content_operator(canvas, node, top)}\n{place}{shown}")
                else:
                    flush()
                    color = None  # a paragraph sets its own colour
                    if cell.width != inner:  # measured at this width already
                        cell.wrapOn(canvas, inner, top)
                    cell.drawOn(canvas, left, top - cell.height)
        flush()

    def _shade(self, rows) -> None:
        canvas, grid = self.canv, self.measured.grid
        header_top, header_height = rows[0][2], rows[0][3]
        canvas.setFillColor(grid.header_color)
        canvas.rect(0, header_top - header_height, self.width, header_height, stroke=0, fill=1)
        canvas.setFillColor(grid.category_color)
        for _, category, top, height in rows:
            if category:
                canvas.rect(0, top - height, self.width, height, stroke=0, fill=1)

    def _rule(self, rows) -> None:
        """Every row's top and the table's bottom across; the column lines down
        the table, broken only by category rows, whose one cell spans the
        table. Written as one path of operators rather than through
        reportlab's path object, which costs a call per point."""
        canvas, grid = self.canv, self.measured.grid
        xs = [fp_str(x) for x in accumulate(self.measured.widths, initial=0.0)]
        right = xs[-1]
        path = [f"0 {top} m {right} {top} l" for top in [fp_str(row[2]) for row in rows]]
        path.append(f"0 0 m {right} 0 l")
        path += [f"{x} {fp_str(self.height)} m {x} 0 l" for x in (xs[0], right)]
        for top, bottom in self._runs_between_categories(rows):
            top_text, bottom_text = fp_str(top), fp_str(bottom)
            path += [f"{x} {top_text} m {x} {bottom_text} l" for x in xs[1:-1]]
        canvas.setStrokeColor(grid.line_color)
        canvas.setLineWidth(grid.line_width)
        canvas.addLiteral("\n".join(path) + " S")

    @staticmethod
    def _runs_between_categories(rows) -> list[tuple[float, float]]:
        """(top, bottom) of each run of rows that are not category rows."""
        runs: list[tuple[float, float]] = []
        start = None
        for _, category, top, height in rows:
            if category:
                if start is not None:
                    runs.append((start, top))
                start = None
            elif start is None:
                start = top
            bottom = top - height
        if start is not None:
            runs.append((start, bottom))
        return runs
