"""The layout's fonts for the PDF: registered with reportlab once per process,
and asked which characters they cannot draw. Only reportlab's font modules
are imported, so a check or a DOCX-only build does not load platypus.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from builder.model import Layout


def register_fonts(layout: Layout) -> dict[str, str]:
    """Register the layout's four font files once; returns style -> font name."""
    names = {}
    for style, path in layout.fonts.files.items():
        name = f"{layout.name}-{path.stem}"
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(path)))
        names[style] = name
    pdfmetrics.registerFontFamily(
        names["regular"], normal=names["regular"], bold=names["bold"],
        italic=names["italic"], boldItalic=names["bold_italic"],
    )  # fmt: skip
    return names


def missing_glyphs(text: str, layout: Layout) -> set[str]:
    """Characters in ``text`` that one of the layout's fonts cannot draw
    (any text may be bold or italic, so every style must have them)."""
    wanted = {c for c in set(text) if c not in "\n\t"}
    missing: set[str] = set()
    for name in register_fonts(layout).values():
        available = pdfmetrics.getFont(name).face.charToGlyph
        missing |= {c for c in wanted if ord(c) not in available}
    return missing
