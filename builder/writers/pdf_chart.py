"""The PDF's summary blocks: a :class:`Chart` drawn as vectors with its title
above it and its text alternative on the drawing, and a :class:`DataTable`.

The alternative text goes into the page content as a marked-content
sequence (``/Figure <</Alt (…)>> BDC … EMC``), so that it travels with the
drawing; the structure tree, when the PDF gets one, can take it from
:attr:`ChartFlowable.alt_text`.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph

from builder.model import Chart, DataTable, Layout
from builder.writers.chart_drawing import chart_drawing


def pdf_text_string(text: str) -> str:
    """A PDF text string that holds any character: UTF-16BE with its byte order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class ChartFlowable(Flowable):
    """A drawing that carries its text alternative."""

    def __init__(self, drawing, alt_text: str):
        super().__init__()
        self.drawing = drawing
        self.alt_text = alt_text
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        self.canv.addLiteral(f"/Figure <</Alt {pdf_text_string(self.alt_text)}>> BDC")
        renderPDF.draw(self.drawing, self.canv, 0, 0)
        self.canv.addLiteral("EMC")


def chart_flowables(chart: Chart, layout: Layout, fonts: dict[str, str], body: ParagraphStyle) -> list[Flowable]:
    """The chart's title and the chart, kept on one page."""
    title = PdfParagraph(escape(chart.title), ParagraphStyle("chart_title", parent=body, fontName=fonts["bold"]))
    figure = ChartFlowable(chart_drawing(chart, layout, fonts["regular"]), chart.alt_text)
    return [KeepTogether([title, figure])]


def data_table(table: DataTable, layout: Layout, styles) -> Table:
    """A ruled grid with a shaded header row that repeats on a new page; the
    first column names the rows, the others (counts) are centred. ``styles``
    has the agreement table's paragraph styles: cell, cell_bold, mark, mark_bold."""
    header = [
        PdfParagraph(escape(text), styles.cell_bold if index == 0 else styles.mark_bold)
        for index, text in enumerate(table.header)
    ]
    rows = [
        [PdfParagraph(escape(text), styles.cell if index == 0 else styles.mark) for index, text in enumerate(row)]
        for row in table.rows
    ]
    style = layout.table
    padding = style.cell_padding_pt
    grid = Table(
        [header, *rows],
        colWidths=[width * cm for width in layout.data_table_widths_cm(len(table.header))],
        repeatRows=1,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), style.grid_pt, colors.HexColor("#" + style.grid_color)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + style.header_shading)),
                ("LEFTPADDING", (0, 0), (-1, -1), padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                ("TOPPADDING", (0, 0), (-1, -1), padding / 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding / 2),
            ]
        ),
    )
    grid.spaceBefore = grid.spaceAfter = layout.space_after_pt
    return grid
