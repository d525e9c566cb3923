"""The characters reportlab would change, kept as written in the PDF.

reportlab's paragraph takes every Unicode space but U+00A0 (U+202F NARROW
NO-BREAK SPACE and U+2007 FIGURE SPACE among them) for a place to break a
line and prints a plain space there, and its TrueType fonts draw U+00A0 with
the code of the plain space, so a reader of the PDF copies a plain space.

So the PDF writer hands reportlab a stand-in for each of them: a code point
from the supplementary private use area (which the content checks refuse in
any text, so no stand-in is ever written by an editor), which reportlab
takes for a letter. The font draws the stand-in with the character's own
glyph and width, and the font's ToUnicode map names the character itself.
A no-break space then neither breaks a line nor becomes a plain space, in
paragraphs and in the table's fast path alike, and the text taken from the
PDF is the text written.

The other characters that no writer can carry are refused by the content
checks (:mod:`builder.readers.text_checks`); a character a font lacks is
refused by the build, with its place.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.ttfonts import TTFont

from builder.adapters.reportlab import glyph_map, rewrite_drawn_codes, width_map

# Every space reportlab's paragraph would break at or print as U+0020 (its
# _wsc list, with U+00A0, which its fonts map), apart from the plain space
# and the controls and line separators that the content checks refuse.
KEPT = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000"

_STAND_IN_OFFSET = 0xF0000  # plane 15, private use: U+00A0 stands in as U+F00A0
STAND_INS = {ord(char): ord(char) + _STAND_IN_OFFSET for char in KEPT}
_ORIGINALS = {stand_in: original for original, stand_in in STAND_INS.items()}
_ANY_KEPT = re.compile(f"[{KEPT}]")


def with_stand_ins(text: str) -> str:
    """``text`` as handed to reportlab: each kept character replaced by its stand-in."""
    # looked for first: translate looks up every character in a dict, twenty
    # times slower than the search, and most text has none of them
    return text.translate(STAND_INS) if _ANY_KEPT.search(text) else text


class KeepingFont(TTFont):
    """A TrueType font that draws each stand-in as the character it stands
    for, and names that character in the text the PDF gives back."""

    def __init__(self, name: str, filename: str, **options: Any):
        super().__init__(name, filename, **options)
        glyphs, widths = glyph_map(self), width_map(self)
        for original, stand_in in STAND_INS.items():
            if original in glyphs:  # a character the font lacks is refused before drawing
                glyphs[stand_in] = glyphs[original]
                widths[stand_in] = widths[original]

    def addObjects(self, doc: PDFDocument) -> None:  # noqa: N802 - reportlab's name
        # the subsets list the code points drawn; the ToUnicode map and the
        # glyphs are made from them, so the stand-ins become their originals here
        rewrite_drawn_codes(self, doc, _ORIGINALS)
        super().addObjects(doc)
