"""The tables in the PDF (the agreement table and the summary's): a ruled
grid whose header row is drawn again on every page, bold shaded category
rows across the full width, and every cell tagged (TH for headers, TD for
data, one TR per row).

Why not one reportlab Table: it measures every remaining row again each time
it splits at the end of a page, which makes a long table quadratic (62 s for
5,000 agreements). Here each row is measured once; the flowable
:class:`PagedTable` hands the rows that fit on the current page, under the
header, to :class:`_PageOfRows`, which draws them, and passes the rest on.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from reportlab.lib import colors
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Table, TableStyle

from builder.model import AgreementRow, AgreementTable, DataTable, Layout
from builder.writers.pdf_tagging import StructNode, Tagger, Text
from builder.writers.pdf_text import LineCodes, Styles, TaggedLines, markup, tagged, text_cell


def agreement_table(
    table: AgreementTable, layout: Layout, styles: Styles, tagger: Tagger, parent: StructNode
) -> PagedTable:
    widths = [width * cm for width in layout.column_widths_cm(table.member_count)]
    padding = layout.table.cell_padding_pt
    inner = [width - 2 * padding for width in widths]
    last = len(widths) - 1
    header, body = _start(
        table.caption, table.description, table.header, lambda i: 1 < i < last, inner, styles, tagger, parent
    )
    rows: list[tuple[list, bool]] = []  # (cells, is a category row)
    full_width = sum(widths) - 2 * padding
    for group in table.groups:
        cell = body.add("TR").add(
            "TD", attributes={"O": "Table", "ColSpan": len(widths)}, outline=group.heading, outline_level=1
        )
        rows.append(([text_cell(group.heading, styles.category, full_width, tagger, cell)] + [""] * last, True))
        for agreement in group.rows:
            rows.append((_agreement_row(agreement, table.mark, body.add("TR"), styles, tagger, inner), False))
    return _paged(header, rows, widths, layout, styles, tagger)


def data_table(table: DataTable, layout: Layout, styles: Styles, tagger: Tagger, parent: StructNode) -> PagedTable:
    """A plain grid of counts: the first column names the rows (their headers), the others are centred."""
    widths = [width * cm for width in layout.data_table_widths_cm(len(table.header))]
    inner = [width - 2 * layout.table.cell_padding_pt for width in widths]
    header, body = _start(
        table.caption, table.description, table.header, lambda i: i > 0, inner, styles, tagger, parent
    )
    rows = []
    for texts in table.rows:
        row = body.add("TR")
        name = row.add("TH", attributes={"O": "Table", "Scope": "Row"})
        cells = [text_cell(texts[0], styles.cell, inner[0], tagger, name)]
        cells += [_data_cell(text, styles.mark, inner[i], tagger, row) for i, text in enumerate(texts[1:], start=1)]
        rows.append((cells, False))
    paged = _paged(header, rows, widths, layout, styles, tagger)
    paged.spaceAfter = layout.space_after_pt
    return paged


def _start(caption: str, description: str, labels, centred, inner: list[float], styles: Styles,
           tagger: Tagger, parent: StructNode):  # fmt: skip
    """The Table node with its header row of column headers; returns the header
    cells and the TBody node the rows go under."""
    node = parent.add("Table", title=caption, attributes={"O": "Table", "Summary": Text(description)})
    head_row = node.add("THead").add("TR")
    header = [
        text_cell(
            label,
            styles.mark_bold if centred(index) else styles.cell_bold,
            width,
            tagger,
            head_row.add("TH", attributes={"O": "Table", "Scope": "Column"}),
        )
        for index, (label, width) in enumerate(zip(labels, inner, strict=True))
    ]
    return header, node.add("TBody")


def _paged(header: list, rows: list, widths: list[float], layout: Layout, styles: Styles, tagger: Tagger) -> PagedTable:
    frame_height = (layout.page_cm[1] - layout.margins_cm["top"] - layout.margins_cm["bottom"]) * cm
    paged = PagedTable(_MeasuredRows(header, rows, widths, _Grid(layout, styles, tagger), frame_height))
    paged.spaceBefore = layout.space_after_pt
    return paged


def _agreement_row(
    agreement: AgreementRow, mark: str, row: StructNode, styles: Styles, tagger: Tagger, inner: list[float]
) -> list:
    """The cells of one agreement; its name is the row's header for the cells beside it."""
    name = row.add("TH", attributes={"O": "Table", "Scope": "Row"})
    plain_name = len(agreement.name) == 1 and not (agreement.name[0].emphasis or agreement.name[0].strong)
    cells = [
        text_cell(agreement.name[0].text, styles.cell, inner[0], tagger, name)
        if plain_name
        else tagged(markup(agreement.name), styles.cell, tagger, name)
    ]
    cells.append(_data_cell(agreement.form, styles.cell, inner[1], tagger, row))
    cells += [
        _data_cell(mark if taking_part else "", styles.mark, inner[2 + index], tagger, row)
        for index, taking_part in enumerate(agreement.marks)
    ]
    cells.append(_data_cell(agreement.comment, styles.cell, inner[-1], tagger, row))
    return cells


def _data_cell(text: str, style, width: float, tagger: Tagger, row: StructNode):
    """A data cell; an empty one is still a TD, so every row has every column."""
    return text_cell(text, style, width, tagger, row.add("TD"))


class _Grid:
    """How the table looks on every page: colours, lines and padding."""

    def __init__(self, layout: Layout, styles: Styles, tagger: Tagger):
        padding = layout.table.cell_padding_pt
        self.padding = padding
        self.tagger = tagger
        self.category_color = colors.HexColor("#" + layout.table.category_shading)
        self.header_color = colors.HexColor("#" + layout.table.header_shading)
        self.line_color = colors.HexColor("#" + layout.table.grid_color)
        self.line_width = layout.table.grid_pt
        self.render_callback = _TableArtifacts(tagger)
        self.line_codes = LineCodes()
        self.commands = [
            ("GRID", (0, 0), (-1, -1), self.line_width, self.line_color),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            # the cells draw with their own fonts, but the table selects this
            # one before each cell; its default, Helvetica, is not embedded
            ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),
            ("BACKGROUND", (0, 0), (-1, 0), self.header_color),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding / 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding / 2),
        ]

    def splitting_table(self, header: list, rows: list[tuple[list, bool]], widths: list[float],
                        split_in_row: float) -> Table:  # fmt: skip
        """A reportlab Table for a row taller than a page, which it splits inside
        the row; every other row is drawn by :class:`_PageOfRows`."""
        commands = list(self.commands)
        for index, (_, category) in enumerate(rows, start=1):
            if category:
                commands += [
                    ("SPAN", (0, index), (-1, index)),
                    ("BACKGROUND", (0, index), (-1, index), self.category_color),
                ]
        return Table(
            [header] + [cells for cells, _ in rows],
            colWidths=widths,
            repeatRows=1,
            style=TableStyle(commands),
            splitByRow=1,
            splitInRow=split_in_row,
            renderCB=self.render_callback,
        )


@dataclass
class _MeasuredRows:
    """The table's rows with their heights, measured once for every page."""

    header: list
    rows: list[tuple[list, bool]]  # (cells, is a category row)
    widths: list[float]
    grid: _Grid
    frame_height: float

    def __post_init__(self) -> None:
        self.header_height = self._height(self.header, False)
        self.heights = [self._height(*row) for row in self.rows]
        self.ends = [0.0, *accumulate(self.heights)]  # ends[i]: the rows above row i, stacked

    def _height(self, cells: list, category: bool) -> float:
        """As reportlab's Table measures a row: its tallest cell and the padding above and below."""
        padding = self.grid.padding
        if category:  # its one cell spans the table; the rest are empty strings
            return cells[0].wrap(sum(self.widths) - 2 * padding, 1e9)[1] + padding
        return (
            max(cell.wrap(width - 2 * padding, 1e9)[1] for cell, width in zip(cells, self.widths, strict=True))
            + padding
        )

    def table(self, start: int, stop: int, split_in_row: float = 0) -> Flowable:
        """Rows ``start:stop`` under the header, as drawn on one page; a row
        that must split inside is left to a reportlab Table to measure and split."""
        if split_in_row:
            return self.grid.splitting_table(self.header, self.rows[start:stop], self.widths, split_in_row)
        return _PageOfRows(self, start, stop)


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
        while stop > start and rows.rows[stop - 1][1]:
            stop -= 1  # a category heading goes over the page with its first agreement
        if stop <= start:
            if rows.header_height + rows.heights[start] <= rows.frame_height:
                return []  # the row fits on the next page
            # a row taller than a page: reportlab splits it inside the row,
            # where at least a quarter page of it fits (else on the next page)
            tall = rows.table(start, start + 1, split_in_row=rows.frame_height / 4)
            parts = tall.split(available_width, available_height)
            return [*parts, PagedTable(rows, start + 1)] if parts else []
        return [rows.table(start, stop), PagedTable(rows, stop)]

    def draw(self) -> None:
        table = self.measured.table(self.start, len(self.measured.rows))
        table.wrapOn(self.canv, self.width, self.wrap(self.width, 0)[1])
        table.drawOn(self.canv, 0, 0)


class _PageOfRows(Flowable):
    """One page's rows under the header, drawn directly rather than as a
    reportlab Table, whose per-cell bookkeeping (a saved and restored state,
    a translation and a wrap for every cell) was most of a large register's
    time: the shading and grid lines as one artifact, then each cell's text
    as the marked content of its node."""

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
        self._cells(rows)

    def _cells(self, rows) -> None:
        """Each cell's text as the marked content of its node, the page's
        cells written as one literal: a call into the canvas per cell and
        line was a large share of a large register's time."""
        canvas, measured = self.canv, self.measured
        grid = measured.grid
        padding = grid.padding
        lefts = accumulate(measured.widths, initial=0.0)
        columns = [(left + padding, width - 2 * padding) for left, width in zip(lefts, measured.widths, strict=False)]
        spanning = [(padding, self.width - 2 * padding)]
        operators: list[str] = []

        def flush() -> None:
            if operators:
                canvas.addLiteral("\n".join(operators))
                operators.clear()

        color = None
        for cells, category, top, _ in rows:
            top -= padding / 2
            # a category row's one cell spans the table; its other cells are placeholders
            for cell, (left, inner) in zip(cells, spanning if category else columns, strict=False):
                if isinstance(cell, TaggedLines):
                    if not cell.lines:
                        continue
                    if cell.style.textColor != color:  # set once, not per cell: text shows in the fill colour
                        flush()
                        color = cell.style.textColor
                        canvas.setFillColor(color)
                    operators.append(cell.operators(canvas, left, top, inner, grid.line_codes))
                else:
                    flush()
                    color = None  # a paragraph sets its own colour
                    if cell.width != inner:  # measured at this width already, as header cells are on every page
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
        each row but a category row, whose one cell spans the table. Written
        as one path of operators rather than through reportlab's path object,
        which costs a call per point."""
        canvas, grid = self.canv, self.measured.grid
        xs = [fp_str(x) for x in accumulate(self.measured.widths, initial=0.0)]
        right = xs[-1]
        path = []
        for _, category, top, height in rows:
            top, bottom = fp_str(top), fp_str(top - height)
            path.append(f"0 {top} m {right} {top} l")
            path += [f"{x} {top} m {x} {bottom} l" for x in ((xs[0], right) if category else xs)]
        path.append(f"0 0 m {right} 0 l S")
        canvas.setStrokeColor(grid.line_color)
        canvas.setLineWidth(grid.line_width)
        canvas.addLiteral("\n".join(path))


class _TableArtifacts:
    """reportlab's render callback for tables (``renderCB``): the shading and
    the grid lines are drawn as artifacts; the cells tag themselves."""

    def __init__(self, tagger: Tagger):
        self.tagger = tagger

    def __call__(self, table: Table, event: str, *details) -> None:
        if event in ("startBG", "startLines"):
            self.tagger.begin_artifact(table.canv)
        elif event in ("endBG", "endLines"):
            self.tagger.end(table.canv)
