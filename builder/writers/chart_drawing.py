"""A :class:`Chart` as a reportlab drawing: horizontal grouped bars, one grey
per series with a dark outline and the number at the end of every bar, and a
legend, so it reads the same in grey scale as in colour.

Both writers use it: the PDF draws it as vectors, the DOCX embeds it as a
picture rendered from the very same drawing.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth

from builder.model import Chart, Layout
from builder.writers.pdf_characters import KeepingFont

GROUP_GAP = 0.8  # space between two categories, in bar thicknesses
LABEL_GAP = 6  # pt between a category name and the axis


def chart_font(layout: Layout) -> str:
    """The layout's regular font, registered with reportlab under the name the
    PDF writer gives it, so that a PDF embeds it once."""
    path = layout.fonts.files["regular"]
    name = f"{layout.name}-{path.stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(KeepingFont(name, str(path)))
    return name


def series_fills(layout: Layout, count: int) -> list[colors.Color]:
    """One fill per series: the layout's greys, or as many evenly spaced between its first and last."""
    fills = [colors.HexColor("#" + fill) for fill in layout.chart.fills]
    if count <= len(fills):
        return fills[:count]
    first, last = fills[0], fills[-1]
    return [colors.linearlyInterpolatedColor(first, last, 0, count - 1, i) for i in range(count)]


def chart_drawing(chart: Chart, layout: Layout, font: str) -> Drawing:
    """The drawing, as wide as the page's text; ``font`` is a registered font name."""
    size = layout.fonts.table_pt
    width = layout.usable_width_cm * cm
    bar = layout.chart.bar_pt
    series = len(chart.series)
    plot_height = len(chart.categories) * bar * (series + GROUP_GAP)
    label_width = max((stringWidth(name, font, size) for name in chart.categories), default=0)
    legend_height = size * 2.2
    axis_height = size * 2.5
    drawing = Drawing(width, plot_height + axis_height + legend_height)
    # the renderer starts by selecting this font; its default, Helvetica,
    # would be a font in the PDF that is not embedded (PDF/A)
    drawing.initialFontName, drawing.initialFontSize = font, size

    bars = HorizontalBarChart()
    bars.x = label_width + LABEL_GAP
    bars.y = axis_height
    bars.width = width - bars.x - size * 3  # room for the number after the longest bar
    bars.height = plot_height
    # reportlab stacks a group's bars from the bottom up: series in reverse
    # order put the first at the top, as the legend and the table read
    bars.data = [list(values) for values in reversed(chart.values)]
    bars.barWidth = bar
    bars.groupSpacing = bar * GROUP_GAP
    bars.barSpacing = 0
    bars.useAbsolute = 1
    bars.strokeColor = None
    bars.categoryAxis.categoryNames = list(chart.categories)
    bars.categoryAxis.reverseDirection = 1  # the first category at the top, as in the table
    bars.categoryAxis.labels.fontName = font
    bars.categoryAxis.labels.fontSize = size
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.categoryAxis.labels.dx = -LABEL_GAP / 2
    bars.categoryAxis.tickLeft = 0
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max((max(values, default=0) for values in chart.values), default=0) or 1
    bars.valueAxis.valueStep = _step(bars.valueAxis.valueMax)
    bars.valueAxis.labels.fontName = font
    bars.valueAxis.labels.fontSize = size
    bars.valueAxis.labelTextFormat = "%d"
    bars.valueAxis.visibleGrid = 1
    bars.valueAxis.gridStrokeColor = colors.HexColor("#D9D9D9")
    bars.valueAxis.gridStrokeWidth = 0.5
    bars.barLabelFormat = "%d"
    bars.barLabels.fontName = font
    bars.barLabels.fontSize = size
    bars.barLabels.boxAnchor = "w"
    bars.barLabels.dx = 2
    fills = series_fills(layout, series)
    for index, fill in enumerate(reversed(fills)):
        bars.bars[index].fillColor = fill
        bars.bars[index].strokeColor = colors.black
        bars.bars[index].strokeWidth = 0.5
    drawing.add(bars)

    legend = Legend()
    legend.x = bars.x
    legend.y = drawing.height - size * 0.4
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = 1
    legend.deltax = max(stringWidth(name, font, size) for name in chart.series) + size * 3
    legend.dxTextSpace = size * 0.6
    legend.dx = legend.dy = size
    legend.fontName = font
    legend.fontSize = size
    legend.strokeColor = colors.black
    legend.strokeWidth = 0.5
    legend.colorNamePairs = list(zip(fills, chart.series, strict=True))
    drawing.add(legend)
    return drawing


def _step(largest: int) -> int:
    """A tick step that gives five to ten ticks."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        if largest / step <= 10:
            return step
    return 1000
