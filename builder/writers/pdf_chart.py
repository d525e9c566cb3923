"""The PDF's chart: a :class:`Chart` drawn as vectors, under its title, as
the content of a Figure structure element whose /Alt is the chart's text
alternative, and its note, if any, in the table's size below it.
"""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether

from builder.model import LINE_HEIGHT, Chart, Layout
from builder.writers.chart_drawing import chart_drawing
from builder.writers.pdf_tagging import StructNode, Tagger
from builder.writers.pdf_text import escape, tagged


class ChartFlowable(Flowable):
    """A drawing tagged as a Figure: what it draws is the Figure's content."""

    def __init__(self, drawing, tagger: Tagger, node: StructNode):
        super().__init__()
        self.drawing, self.tagger, self.node = drawing, tagger, node
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self) -> None:
        with self.tagger.content(self.canv, self.node, top=self.height):
            renderPDF.draw(self.drawing, self.canv, 0, 0)


def chart_flowables(
    chart: Chart, layout: Layout, fonts: dict[str, str], body: ParagraphStyle, tagger: Tagger, parent: StructNode
) -> list[Flowable]:
    """The chart's title (a paragraph), the chart (a figure) and its note, kept on one page."""
    title_style = ParagraphStyle("chart_title", parent=body, fontName=fonts["bold"])
    title = tagged(escape(chart.title), title_style, tagger, parent.add("P"))
    figure = parent.add("Figure", alt=chart.alt_text, attributes={"O": "Layout", "Placement": "Block"})
    parts = [title, ChartFlowable(chart_drawing(chart, layout, fonts["regular"]), tagger, figure)]
    if chart.note:
        size = layout.fonts.table_pt
        note_style = ParagraphStyle(
            "chart_note", parent=body, fontSize=size, leading=size * LINE_HEIGHT, spaceBefore=size
        )
        parts.append(tagged(escape(chart.note), note_style, tagger, parent.add("P")))
    return [KeepTogether(parts)]
