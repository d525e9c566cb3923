"""reportlab's canvas and platypus internals that the PDF writer uses, in one
place; only the PDF writer loads this module (the font internals, which
measuring uses too, are in :mod:`builder.adapters.reportlab`, so that the
command's main process measures without loading platypus).

reportlab documents its canvas and flowables for drawing, not for changing
how they draw; three things the PDF needs have no public API:

- :func:`show_text_operators`: a line of text as the operators reportlab's
  own text object writes for it (font subset, size, escaped string). Needs
  the canvas's document (``canvas._doc``), which names a TrueType font's
  subsets. Why: a register's table repeats the same marks thousands of times
  and the text object costs some 25 µs a line, so the table writes cached
  operators with the public ``canvas.addLiteral``. A public replacement is
  ``canvas.beginText()``/``drawText`` (correct, slower); kept for speed.
  :func:`show_text_operators` reads the codes a font has given to the
  characters it drew (``state.assignments``) to encode a line without
  reportlab's per-character loop.
- :class:`ListWithBulletHook`: ``ListFlowable._makeBullet``, where a list
  makes each item's bullet drawer, and the item's flowable behind the
  drawer's indenter (``LIIndenter._flowable``). Why: the bullet is drawn as
  the marked content of the item's Lbl node in the tagged PDF. No public
  hook exists; the alternative is drawing bullets ourselves as a table.
- :class:`BytesPageCanvas`: the page's content stream as reportlab keeps
  it (``canvas._doc.Pages.pages``, ``PDFPage.stream``). Why: the PDF
  writer has reportlab write its pages uncompressed, since pikepdf's pass
  decompresses and compresses every page again anyway (reportlab's
  ASCII85 encoding makes qpdf decode it); an uncompressed stream given as
  text goes through reportlab's Python character map, a tenth of a second
  for a large register's pages, while bytes are written as they are. The
  public alternative is compressed pages (the same file, more time).

A new major version may change any of these: tests/test_adapters.py checks
:data:`RELIES_ON` and draws with each, and fails naming what went.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfdoc import PDFDocument, PDFPage, PDFPages
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ListFlowable
from reportlab.platypus.flowables import LIIndenter

# (owner, attribute) pairs this module uses; instance attributes
# (Canvas._doc, TTFont.state, TTFont.State.assignments, LIIndenter._flowable,
# PDFDocument.Pages, PDFPages.pages) are checked on real objects by
# tests/test_adapters.py, since a class does not carry them
RELIES_ON: tuple[tuple[Any, str], ...] = (
    (ListFlowable, "_makeBullet"),
    (TTFont, "splitString"),
    (TTFont, "getSubsetInternalName"),
    (TTFont, "addObjects"),
    (Canvas, "showPage"),
    (PDFPage, "stream"),
)
INSTANCE_ATTRIBUTES: tuple[tuple[type, str], ...] = (
    (Canvas, "_doc"),
    (TTFont, "state"),
    (TTFont.State, "assignments"),
    (LIIndenter, "_flowable"),
    (PDFDocument, "Pages"),
    (PDFPages, "pages"),
)


def canvas_document(canvas: Canvas) -> Any:
    """The PDF document a canvas writes into (what fonts key their subsets by)."""
    return canvas._doc  # type: ignore[attr-defined]  # private, so not in types-reportlab


def show_text_operators(canvas: Canvas, font_name: str, size: float, text: str) -> str:
    """The operators that select the font and show ``text``, for inside a text
    object, encoded as reportlab's text object encodes them for a TrueType font."""
    font = cast(TTFont, getFont(font_name))  # types-reportlab's getFont says Font, which TTFont is not a subclass of
    document, size_text = canvas_document(canvas), _number(size)
    return " ".join(
        f"{font.getSubsetInternalName(subset, document)} {size_text} Tf ({escapePDF(chunk)}) Tj"
        for subset, chunk in _split_string(font, text, document)
    )


@lru_cache(maxsize=64)
def _number(size: float) -> str:
    """A font size as reportlab writes it; a table asks for the same few sizes thousands of times."""
    return fp_str(size)


def _split_string(font: Any, text: str, document: Any) -> list[tuple[int, bytes]]:
    """``font.splitString(text, document)``, the text's codes in the font's
    subsets, taken straight from the codes the font has given (its state's
    ``assignments``) when every character has one in the first subset, as
    nearly every line of a register's table has: reportlab's loop looks at
    each character in Python, and that was a tenth of drawing the table."""
    state: Any = font.state.get(document)
    if state is not None and text and "\xa0" not in text:  # splitString draws U+00A0 as a space
        try:
            codes = bytes(map(state.assignments.__getitem__, map(ord, text)))
        except (KeyError, ValueError):  # a character new to the document, or a code beyond the first subset
            pass
        else:
            return [(0, codes)]
    return font.splitString(text, document)


class ListWithBulletHook(ListFlowable):
    """A ListFlowable whose bullet drawers pass through :meth:`wrap_bullet`."""

    def wrap_bullet(self, drawer: Any) -> Any:
        return drawer

    def _makeBullet(self, value: Any, params: Any = None) -> Any:  # noqa: N802 - reportlab's name
        return self.wrap_bullet(super()._makeBullet(value, params))  # type: ignore[misc]  # private: not in the stubs


def indented_flowable(indenter: Any) -> Any:
    """The list item's flowable that a bullet drawer's indenter holds."""
    return indenter._flowable


class BytesPageCanvas(Canvas):
    """A canvas that hands each finished page's content stream to reportlab
    as bytes, encoded as reportlab encodes a page it compresses (UTF-8;
    operators are ASCII), so that an uncompressed page is written as it is."""

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        super().showPage()
        page = canvas_document(self).Pages.pages[-1]
        if isinstance(page.stream, str):
            page.stream = page.stream.encode("utf-8")
