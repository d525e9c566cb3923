"""One writer per output format; each turns a Document and a Layout into bytes."""

from __future__ import annotations

from collections.abc import Callable

from builder.model import Document, Layout


def _docx(document: Document, layout: Layout) -> bytes:
    from builder.writers.docx_writer import render_docx

    return render_docx(document, layout)


def _pdf(document: Document, layout: Layout) -> bytes:
    from builder.writers.pdf_writer import render_pdf

    return render_pdf(document, layout)


# Writers are imported when first used: a DOCX-only build need not load reportlab.
WRITERS: dict[str, Callable[[Document, Layout], bytes]] = {"docx": _docx, "pdf": _pdf}
