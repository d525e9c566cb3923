"""One writer per output format; each turns a Document and a Layout into bytes.

Writers are imported when first used: a DOCX-only build need not load
reportlab.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.model import Document, Layout

Writer = Callable[["Document", "Layout"], bytes]

_MODULES = {
    "docx": ("builder.writers.docx_writer", "render_docx"),
    "pdf": ("builder.writers.pdf_writer", "render_pdf"),
    "html": ("builder.writers.html_writer", "render_html"),
}
FORMATS = tuple(_MODULES)  # every format a build can make
DEFAULT_FORMATS = ("docx", "pdf")  # what a build makes when not told: the paper formats


def writer(fmt: str) -> Writer:
    """The function that renders ``fmt``, its module loaded on first use."""
    module, name = _MODULES[fmt]
    return getattr(importlib.import_module(module), name)


class MissingGlyphs(Exception):  # noqa: N818 - a finding about the content, not a failure of the writer
    """Characters the PDF's fonts cannot draw; the build names where they stand."""

    def __init__(self, characters: set[str]):
        super().__init__(characters)
        self.characters = characters
