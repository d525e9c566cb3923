"""A header cell of the PDF's tables turned to read upwards, for a layout
that turns the member headers when their names do not fit across.

It reads from the bottom of the cell up, as Word's bottom-to-top text
direction (``btLr``) sets the same cell in the DOCX, and stands centred
across its column.
"""

from __future__ import annotations

from reportlab.platypus import Flowable


class TurnedCell(Flowable):
    """``cell`` (a tagged flowable) set on one line of ``length`` points and
    turned a quarter to the left; its text's start at the bottom of the box,
    whatever its length, so that turned names line up like a column of text."""

    def __init__(self, cell: Flowable, length: float):
        super().__init__()
        self.cell, self.length = cell, length

    @property
    def drawn(self) -> bool:
        """Whether the cell has been drawn as content once (later: as a repeat)."""
        return getattr(self.cell, "drawn", False)

    def wrap(self, available_width, available_height):
        self.across = self.cell.wrap(self.length, 1e9)[1]  # the height of its one line, across the column
        self.width = available_width
        self.height = self.length
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        # the text's line, turned: its top faces left, its start at the bottom
        canvas.translate((self.width + self.across) / 2, 0)
        canvas.rotate(90)
        self.cell.drawOn(canvas, 0, 0)
        canvas.restoreState()
