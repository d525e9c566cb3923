"""A :class:`Chart` as a reportlab drawing: horizontal grouped bars on a value
axis with whole-number ticks, a look per series (a grey, then the greys again
hatched) that tells apart in grey-scale print, the number at the end of every
bar that is not zero, and a legend with the same looks.

Both writers use it: the PDF draws it as vectors, the DOCX embeds it as a
picture rendered from the very same drawing.
"""

from __future__ import annotations

import math
from typing import Literal

from reportlab.graphics.shapes import Drawing, Group, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth

from builder.model import LINE_HEIGHT, Chart, Layout, contrast_ratio
from builder.writers.chart_geometry import GAP, GROUP_GAP, HATCH_SPACING, value_axis

# The chart's proportions (chart_geometry) are in units of the layout's sizes,
# its table text size or its bar thickness: the sizes come from the layout.


def chart_drawing(chart: Chart, layout: Layout, font: str) -> Drawing:
    """The drawing, as wide as the page's text; ``font`` is a registered font name."""
    size = layout.fonts.table_pt
    bar = layout.chart.bar_pt
    width = layout.usable_width_cm * cm
    looks = layout.chart.series_looks(len(chart.series))
    gap = size * GAP
    rule = layout.table.grid_pt  # the axes and outlines, as thick as the table's rules
    grid = colors.HexColor("#" + layout.chart.grid_color)

    plot_left = max((stringWidth(name, font, size) for name in chart.categories), default=0) + gap
    plot_width = width - plot_left - size  # room for half the last tick's number
    largest = max((max(values, default=0) for values in chart.values), default=0)
    step, top = value_axis(largest, plot_width, gap + stringWidth(str(largest), font, size))
    legend = _legend(chart.series, looks, font, size, plot_width)
    legend_height = legend[-1][0] + size * 2 * GAP if legend else 0
    pitch = len(chart.series) * bar + bar * GROUP_GAP  # one category's bars and the space after them
    plot_height = len(chart.categories) * pitch
    axis_height = size * (1 + GAP) * 2 + gap  # ticks, their numbers, and the axis label under them

    # the renderer starts by selecting this font; its default, Helvetica,
    # would be a font in the PDF that is not embedded (PDF/A)
    drawing = Drawing(width, legend_height + plot_height + axis_height, initialFontName=font, initialFontSize=size)

    def x(value: float) -> float:
        return plot_left + value / top * plot_width

    def text(left: float, baseline: float, words: str, anchor: Literal["start", "middle", "end"] = "start") -> String:
        return String(left, baseline, words, fontName=font, fontSize=size, textAnchor=anchor)

    plot_bottom = axis_height
    plot_top = plot_bottom + plot_height
    digits_middle = size * 0.35  # from the baseline to the middle of a digit
    for tick in range(0, top + 1, step):
        drawing.add(Line(x(tick), plot_bottom, x(tick), plot_top, strokeColor=grid, strokeWidth=rule))
        drawing.add(Line(x(tick), plot_bottom, x(tick), plot_bottom - gap / 2, strokeWidth=rule))
        drawing.add(text(x(tick), plot_bottom - gap / 2 - size, str(tick), "middle"))
    drawing.add(text(x(top / 2), size * GAP, chart.axis_label, "middle"))

    for index, name in enumerate(chart.categories):
        group_top = plot_top - index * pitch - bar * GROUP_GAP / 2
        drawing.add(text(plot_left - gap, group_top - len(chart.series) * bar / 2 - digits_middle, name, "end"))
        for values, (fill, pattern) in zip(chart.values, looks, strict=True):
            value = values[index]
            if value:  # a zero is no bar and no number: the chart's note says so
                drawing.add(_bar(plot_left, group_top - bar, x(value) - plot_left, bar, (fill, pattern), layout))
                drawing.add(text(x(value) + gap / 2, group_top - bar / 2 - digits_middle, str(value)))
            group_top -= bar
    drawing.add(Line(plot_left, plot_bottom, plot_left + plot_width, plot_bottom, strokeWidth=rule))
    drawing.add(Line(plot_left, plot_bottom, plot_left, plot_top, strokeWidth=rule))

    for row_top, items in legend:
        for left, name, look in items:
            baseline = drawing.height - row_top
            drawing.add(_bar(plot_left + left, baseline - size * 0.1, size, size, look, layout))
            drawing.add(text(plot_left + left + size + gap / 2, baseline, name))
    return _fitted(drawing, layout)


def _fitted(drawing: Drawing, layout: Layout) -> Drawing:
    """The drawing, made smaller if it and the lines of its title and note
    would not fit on one page (many members and forms): a chart cannot split."""
    page = layout.usable_height_cm * cm
    title = 2 * layout.fonts.body_pt * layout.line_spacing * LINE_HEIGHT  # two lines at most
    note = 3 * layout.fonts.table_pt * LINE_HEIGHT  # two lines and the space above them
    # at least a third of the page, whatever the layout's sizes leave: the
    # title and the note may then go on the page before, the chart never off it
    room = max(page - title - note - 3 * layout.space_after_pt, page / 3)
    if drawing.height > room:
        factor = room / drawing.height
        drawing.scale(factor, factor)
        drawing.width, drawing.height = drawing.width * factor, room
    return drawing


def _legend(series, looks, font: str, size: float, width: float) -> list[tuple[float, list]]:
    """The legend's rows within ``width``: (distance of the row's baseline from
    the drawing's top, [(left, name, look)]), a row filled before the next begins."""
    rows: list[tuple[float, list]] = [(size, [])]
    left = 0.0
    for name, look in zip(series, looks, strict=True):
        item = size + size * GAP / 2 + stringWidth(name, font, size)
        if rows[-1][1] and left + item > width:
            rows.append((size + len(rows) * size * (1 + GAP), []))
            left = 0.0
        rows[-1][1].append((left, name, look))
        left += item + size * GAP * 3
    return rows if series else []


def _bar(x: float, y: float, width: float, height: float, look: tuple[str, str | None], layout: Layout) -> Group:
    """A rectangle in its look: the grey with a dark outline, and the pattern's
    lines, in black or white, whichever stands out more from the grey."""
    fill, pattern = look
    rule = layout.table.grid_pt
    grey = colors.HexColor("#" + fill)
    # types-reportlab types Rect's **kw as the TypedDict itself, not as Unpack[...] of it as for the other shapes
    shape = Group(Rect(x, y, width, height, fillColor=grey, strokeColor=colors.black, strokeWidth=rule))  # type: ignore[arg-type]
    if pattern:
        ink = colors.black if contrast_ratio(fill, "000000") >= contrast_ratio(fill, "FFFFFF") else colors.white
        for x1, y1, x2, y2 in _hatching(x, y, width, height, pattern, layout.chart.bar_pt * HATCH_SPACING):
            shape.add(Line(x1, y1, x2, y2, strokeColor=ink, strokeWidth=rule))
    return shape


def _hatching(x: float, y: float, width: float, height: float, pattern: str, spacing: float):
    """The pattern's line segments inside the rectangle, on a grid shared by
    every rectangle so that neighbouring bars' lines run on."""
    directions = {"diagonal": (1,), "backdiagonal": (-1,), "cross": (1, -1)}[pattern]
    for slope in directions:
        # the lines y = slope * x + c, for c on the shared grid, cut at the rectangle's edges
        corners = [y - slope * x, y - slope * (x + width), y + height - slope * x, y + height - slope * (x + width)]
        first = math.ceil(min(corners) / spacing)
        for step in range(first, math.floor(max(corners) / spacing) + 1):
            c = step * spacing
            low, high = sorted(((y - c) / slope, (y + height - c) / slope))
            start, end = max(x, low), min(x + width, high)
            if end > start:
                yield start, slope * start + c, end, slope * end + c
