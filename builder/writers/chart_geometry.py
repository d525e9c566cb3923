"""Geometry every chart writer shares, whatever it draws with: the chart's
proportions and the value axis' whole-number steps. Pure arithmetic, no
drawing library."""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import count

MOST_INTERVALS = 6  # the value axis has at most this many steps

# Proportions of the chart, in units of its sizes (its text size, or its bar
# thickness), the same in the PDF's and the DOCX's drawing and the HTML's SVG.
GROUP_GAP = 0.8  # between two categories, in bar thicknesses
HATCH_SPACING = 0.4  # between two hatching lines, in bar thicknesses
GAP = 0.6  # between a label and what it labels, in text sizes


def value_axis(largest: int, plot_width: float, label_room: float) -> tuple[int, int]:
    """(step, top) of the value axis: a whole-number step of 1, 2 or 5 times a
    power of ten that gives at most MOST_INTERVALS steps, and as top the first
    tick past the largest value that leaves ``label_room`` after its bar for its number."""
    step = next(s for s in _steps() if math.ceil((largest + 1) / s) <= MOST_INTERVALS)
    top = (largest // step + 1) * step
    while (1 - largest / top) * plot_width < label_room < plot_width:
        top += step
    return step, top


def _steps() -> Iterator[int]:
    for power in count():
        for factor in (1, 2, 5):
            yield factor * 10**power
