"""reportlab's font internals, in one place: what measuring text and the PDF
writer both use (the drawing side is in :mod:`builder.adapters.reportlab_drawing`).

The two are apart because the command's main process measures the columns
with the fonts and checks their characters, and must not load reportlab's
canvas and platypus for it (some 50 ms, a regular expression per Unicode
class in ``reportlab.platypus.paragraph``): only the PDF writer draws.

reportlab documents its fonts for drawing, not for asking them what they
hold; one thing the PDF needs has no public API:

- :func:`glyph_map`, :func:`width_map`, :func:`rewrite_drawn_codes`: a
  TrueType font's character-to-glyph and width tables (``font.face``) and
  the code points it has drawn per document (``font.state[doc].subsets``),
  from which the ToUnicode map is made. Why: the stand-ins of
  builder/measure/characters.py, so that no-break and narrow spaces stay
  what they are in the PDF. No public API exists; ``charToGlyph`` is also
  the only way to ask a registered font which characters it has (fontTools
  could read the file again, at the cost of a second parse).

A new major version may change any of these: tests/test_adapters.py checks
:data:`RELIES_ON` and draws with each, and fails naming what went.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

# (owner, attribute) pairs this module uses; instance attributes
# (TTFont.face, TTFontFace.charToGlyph/charWidths, TTFont.state,
# TTFont.State.subsets) are checked on real objects by tests/test_adapters.py,
# since a class does not carry them
RELIES_ON: tuple[tuple[Any, str], ...] = ((TTFont, "State"),)
INSTANCE_ATTRIBUTES: tuple[tuple[type, str], ...] = (
    (TTFont, "face"),
    (TTFont, "state"),
    (TTFontFace, "charToGlyph"),
    (TTFontFace, "charWidths"),
    (TTFont.State, "subsets"),
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
