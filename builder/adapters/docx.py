"""python-docx's internals that the DOCX writer and the Word import use.

- :func:`paragraph_xml`: a paragraph's ``<w:p>`` element (``Paragraph._p``).
  Why: the writer sets a style by id (``add_paragraph(style=name)`` scans
  every style for each paragraph: a fifth of a small document's render),
  adds a PAGE field and marks the table placeholders; the import reads the
  paragraph's properties and runs in document order, numbering included.
  python-docx has no public access to a paragraph's XML; its public
  ``Paragraph.style`` could replace the writer's use (slower) and nothing
  replaces fields or numbering.
- :func:`picture_properties`: an inline picture's ``<wp:docPr>``
  (``InlineShape._inline``). Why: the chart's name and alt text (descr) for
  accessibility; python-docx has no public API for them.

tests/test_adapters.py checks :data:`INSTANCE_ATTRIBUTES` on real objects.
"""

from __future__ import annotations

from typing import Any

from docx.shape import InlineShape
from docx.text.paragraph import Paragraph

# instance attributes: checked on a real document's paragraph and picture
INSTANCE_ATTRIBUTES: tuple[tuple[type, str], ...] = ((Paragraph, "_p"), (InlineShape, "_inline"))
RELIES_ON: tuple[tuple[Any, str], ...] = ()


def paragraph_xml(paragraph: Paragraph) -> Any:
    """The paragraph's ``<w:p>`` element (an lxml element python-docx extends)."""
    return paragraph._p


def picture_properties(picture: InlineShape) -> Any:
    """The inline picture's ``<wp:docPr>``, whose ``name`` and ``descr`` name and describe it."""
    return picture._inline.docPr
