"""The layout's font files: loaded and registered with reportlab once per
process, for the measure step's widths and the PDF's drawing alike, and
asked which characters they cannot draw. Only reportlab's font modules are
imported, so a check or a DOCX-only build does not load platypus.
"""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from builder.adapters.reportlab import glyph_map
from builder.measure import BrokenFont
from builder.measure.characters import KeepingFont
from builder.model import (
    AgreementTable,
    BulletList,
    Chart,
    DataTable,
    Document,
    Heading,
    Inline,
    Layout,
    Paragraph,
    Title,
)
from builder.walk import BlockVisitor, document_text, list_items, walk

FACES = ("regular", "bold", "italic", "bold_italic")


def register_fonts(layout: Layout, faces: tuple[str, ...] = FACES) -> dict[str, str]:
    """Register the layout's font files for ``faces``, each once; returns
    face -> font name for all four (the family names them all).

    Why not always all four: reportlab reads a font file in Python, a tenth
    of a small edition's PDF, and most editions never draw bold italic."""
    names = {face: f"{layout.name}-{path.stem}" for face, path in layout.fonts.files.items()}
    registered = set(pdfmetrics.getRegisteredFontNames())
    for face in faces:
        if names[face] not in registered:
            path = str(layout.fonts.files[face])
            try:
                font = KeepingFont(names[face], path)
            except Exception as error:  # noqa: BLE001 - whatever a malformed file makes reportlab's parser raise
                reason = str(error) if isinstance(error, TTFError) else "filen er skadet eller avkortet"
                raise BrokenFont(path, layout.name, reason) from None
            pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        names["regular"], normal=names["regular"], bold=names["bold"],
        italic=names["italic"], boldItalic=names["bold_italic"],
    )  # fmt: skip
    return names


def faces_drawn(document: Document) -> tuple[str, ...]:
    """The faces the PDF writer draws ``document`` in: regular and bold
    always (text; title, headings and the table's header and category
    rows), italic and bold italic where a run is emphasised (bold italic:
    in a heading, or where the run is strong too)."""
    faces = {"regular", "bold"}
    for runs, bold in (inline for inlines in walk(document.blocks, _Inlines()) for inline in inlines):
        for run in runs:
            if run.emphasis:
                faces.add("bold_italic" if bold or run.strong else "italic")
    return tuple(face for face in FACES if face in faces)


class _Inlines(BlockVisitor[list[tuple[Inline, bool]]]):
    """A block's run sequences that may carry emphasis, each with whether its style is bold."""

    def title(self, block: Title) -> list[tuple[Inline, bool]]:
        return []  # plain text

    def heading(self, block: Heading) -> list[tuple[Inline, bool]]:
        return [(block.runs, True)]

    def paragraph(self, block: Paragraph) -> list[tuple[Inline, bool]]:
        return [(block.runs, False)]

    def bullet_list(self, block: BulletList) -> list[tuple[Inline, bool]]:
        return [(item.runs, False) for _, item in list_items(block.items)]

    def agreement_table(self, block: AgreementTable) -> list[tuple[Inline, bool]]:
        return [(row.name, False) for group in block.groups for row in group.rows]

    def data_table(self, block: DataTable) -> list[tuple[Inline, bool]]:
        return []  # plain text

    def chart(self, block: Chart) -> list[tuple[Inline, bool]]:
        return []  # plain text


def missing_glyphs(document: Document, layout: Layout, faces: tuple[str, ...] | None = None) -> set[str]:
    """Characters of ``document`` that a font it is drawn in cannot draw
    (any text may be in any of those faces, so each must have them all);
    ``faces`` are :func:`faces_drawn`, for a caller that has them already."""
    wanted = {c for c in set(document_text(document)) if c not in "\n\t"}
    missing: set[str] = set()
    if faces is None:
        faces = faces_drawn(document)
    names = register_fonts(layout, faces)
    for face in faces:
        available = glyph_map(pdfmetrics.getFont(names[face]))
        missing |= {c for c in wanted if ord(c) not in available}
    return missing
