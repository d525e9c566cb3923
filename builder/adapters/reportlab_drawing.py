"""reportlab's canvas and platypus internals that the PDF writer uses, in one
place; only the PDF writer loads this module (the font internals, which
measuring uses too, are in :mod:`builder.adapters.reportlab`).

reportlab documents its canvas and flowables for drawing, not for changing
how they draw; two things the PDF needs have no public API:

- :func:`show_text_operators`: a line of text as the operators reportlab's
  own text object writes for it (font subset, size, escaped string). Needs
  the canvas's document (``canvas._doc``), which names a TrueType font's
  subsets. Why: a register's table repeats the same marks thousands of times
  and the text object costs some 25 µs a line, so the table writes cached
  operators with the public ``canvas.addLiteral``. A public replacement is
  ``canvas.beginText()``/``drawText`` (correct, slower); kept for speed.
- :class:`ListWithBulletHook`: ``ListFlowable._makeBullet``, where a list
  makes each item's bullet drawer, and the item's flowable behind the
  drawer's indenter (``LIIndenter._flowable``). Why: the bullet is drawn as
  the marked content of the item's Lbl node in the tagged PDF. No public
  hook exists; the alternative is drawing bullets ourselves as a table.

A new major version may change any of these: tests/test_adapters.py checks
:data:`RELIES_ON` and draws with each, and fails naming what went.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ListFlowable
from reportlab.platypus.flowables import LIIndenter

# (owner, attribute) pairs this module uses; instance attributes
# (Canvas._doc, LIIndenter._flowable) are checked on real objects by
# tests/test_adapters.py, since a class does not carry them
RELIES_ON: tuple[tuple[Any, str], ...] = (
    (ListFlowable, "_makeBullet"),
    (TTFont, "splitString"),
    (TTFont, "getSubsetInternalName"),
    (TTFont, "addObjects"),
)
INSTANCE_ATTRIBUTES: tuple[tuple[type, str], ...] = (
    (Canvas, "_doc"),
    (LIIndenter, "_flowable"),
)


def canvas_document(canvas: Canvas) -> Any:
    """The PDF document a canvas writes into (what fonts key their subsets by)."""
    return canvas._doc


def show_text_operators(canvas: Canvas, font_name: str, size: float, text: str) -> str:
    """The operators that select the font and show ``text``, for inside a text
    object, encoded as reportlab's text object encodes them for a TrueType font."""
    font, document, size_text = getFont(font_name), canvas._doc, fp_str(size)
    return " ".join(
        f"{font.getSubsetInternalName(subset, document)} {size_text} Tf ({escapePDF(chunk)}) Tj"
        for subset, chunk in font.splitString(text, document)
    )


class ListWithBulletHook(ListFlowable):
    """A ListFlowable whose bullet drawers pass through :meth:`wrap_bullet`."""

    def wrap_bullet(self, drawer: Any) -> Any:
        return drawer

    def _makeBullet(self, value, params=None):  # noqa: N802 - reportlab's name
        return self.wrap_bullet(super()._makeBullet(value, params))


def indented_flowable(indenter: Any) -> Any:
    """The list item's flowable that a bullet drawer's indenter holds."""
    return indenter._flowable
