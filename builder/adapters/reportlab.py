"""reportlab's internals that the PDF writer uses, in one place.

reportlab documents its canvas, flowables and fonts for drawing, not for
changing how they draw; four things the PDF needs have no public API:

- :func:`show_text_operators`: a line of text as the operators reportlab's
  own text object writes for it (font subset, size, escaped string). Needs
  the canvas's document (``canvas._doc``), which names a TrueType font's
  subsets. Why: a register's table repeats the same marks thousands of times
  and the text object costs some 25 µs a line, so the table writes cached
  operators with the public ``canvas.addLiteral``. A public replacement is
  ``canvas.beginText()``/``drawText`` (correct, slower); kept for speed.
- :func:`glyph_map`, :func:`width_map`, :func:`rewrite_drawn_codes`: a
  TrueType font's character-to-glyph and width tables (``font.face``) and
  the code points it has drawn per document (``font.state[doc].subsets``),
  from which the ToUnicode map is made. Why: the stand-ins of
  builder/measure/characters.py, so that no-break and narrow spaces stay
  what they are in the PDF. No public API exists; ``charToGlyph`` is also
  the only way to ask a registered font which characters it has (fontTools
  could read the file again, at the cost of a second parse).
- :class:`ListWithBulletHook`: ``ListFlowable._makeBullet``, where a list
  makes each item's bullet drawer, and the item's flowable behind the
  drawer's indenter (``LIIndenter._flowable``). Why: the bullet is drawn as
  the marked content of the item's Lbl node in the tagged PDF. No public
  hook exists; the alternative is drawing bullets ourselves as a table.

A new major version may change any of these: tests/test_adapters.py checks
:data:`RELIES_ON` and draws with each, and fails naming what went.
"""

from __future__ import annotations

from typing import Any, cast

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ListFlowable
from reportlab.platypus.flowables import LIIndenter

# (owner, attribute) pairs this module uses; instance attributes
# (Canvas._doc, TTFont.face, TTFontFace.charToGlyph/charWidths,
# TTFont.state, TTFont.State.subsets, LIIndenter._flowable) are checked on real objects
# by tests/test_adapters.py, since a class does not carry them
RELIES_ON: tuple[tuple[Any, str], ...] = (
    (ListFlowable, "_makeBullet"),
    (TTFont, "splitString"),
    (TTFont, "getSubsetInternalName"),
    (TTFont, "addObjects"),
    (TTFont, "State"),
)
INSTANCE_ATTRIBUTES: tuple[tuple[type, str], ...] = (
    (Canvas, "_doc"),
    (TTFont, "face"),
    (TTFont, "state"),
    (TTFontFace, "charToGlyph"),
    (TTFontFace, "charWidths"),
    (TTFont.State, "subsets"),
    (LIIndenter, "_flowable"),
)


def canvas_document(canvas: Canvas) -> Any:
    """The PDF document a canvas writes into (what fonts key their subsets by)."""
    return canvas._doc  # type: ignore[attr-defined]  # private, so not in types-reportlab


def show_text_operators(canvas: Canvas, font_name: str, size: float, text: str) -> str:
    """The operators that select the font and show ``text``, for inside a text
    object, encoded as reportlab's text object encodes them for a TrueType font."""
    font = cast(TTFont, getFont(font_name))  # types-reportlab's getFont says Font, which TTFont is not a subclass of
    document, size_text = canvas_document(canvas), fp_str(size)
    return " ".join(
        f"{font.getSubsetInternalName(subset, document)} {size_text} Tf ({escapePDF(chunk)}) Tj"
        for subset, chunk in font.splitString(text, document)
    )


def glyph_map(font: Any) -> dict[int, int]:
    """A TrueType font's glyph for each code point it has (changes to it count)."""
    return font.face.charToGlyph


def width_map(font: Any) -> dict[int, int]:
    """A TrueType font's width for each code point it has (changes to it count)."""
    return font.face.charWidths


def rewrite_drawn_codes(font: TTFont, document: Any, code_of: dict[int, int]) -> None:
    """Replaces the code points ``font`` has drawn in ``document`` by
    ``code_of``'s, before the font's subsets, glyphs and ToUnicode map are
    written (call from ``addObjects`` before reportlab's)."""
    state = font.state.get(document)
    if state is not None:
        state.subsets = [[code_of.get(code, code) for code in subset] for subset in state.subsets]


class ListWithBulletHook(ListFlowable):
    """A ListFlowable whose bullet drawers pass through :meth:`wrap_bullet`."""

    def wrap_bullet(self, drawer: Any) -> Any:
        return drawer

    def _makeBullet(self, value: Any, params: Any = None) -> Any:  # noqa: N802 - reportlab's name
        return self.wrap_bullet(super()._makeBullet(value, params))  # type: ignore[misc]  # private: not in the stubs


def indented_flowable(indenter: Any) -> Any:
    """The list item's flowable that a bullet drawer's indenter holds."""
    return indenter._flowable
