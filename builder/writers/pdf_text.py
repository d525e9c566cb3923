"""Text for the PDF writer: paragraph styles from the layout, runs as
reportlab markup, and the two flowables that show text and tag themselves:
a reportlab paragraph, and a cheaper block of lines already broken.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape as _html_escape
from typing import cast

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as PdfParagraph

from builder.adapters.reportlab_drawing import show_text_operators
from builder.measure.characters import with_stand_ins
from builder.model import LINE_HEIGHT, Inline, Layout
from builder.writers.pdf_tagging import StructNode, Tagger


class Styles:
    def __init__(self, layout: Layout, fonts: dict[str, str]):
        size = layout.fonts
        color = colors.HexColor("#" + layout.text_color)
        leading = layout.line_spacing * LINE_HEIGHT
        self.body = ParagraphStyle(
            "body", fontName=fonts["regular"], fontSize=size.body_pt, leading=size.body_pt * leading,
            spaceAfter=layout.space_after_pt, textColor=color,
        )  # fmt: skip
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=fonts["bold"], fontSize=size.title_pt,
            leading=size.title_pt * LINE_HEIGHT, spaceAfter=layout.space_after_pt * 2,
        )  # fmt: skip
        # a heading goes over the page with what follows it (reportlab keeps
        # the two together: the next paragraph whole where it fits on a page)
        self.heading = ParagraphStyle(
            "heading", parent=self.body, fontName=fonts["bold"], fontSize=size.heading_pt,
            leading=size.heading_pt * LINE_HEIGHT, spaceBefore=layout.space_after_pt, keepWithNext=1,
        )  # fmt: skip
        self.bullet = ParagraphStyle("bullet", parent=self.body, spaceAfter=0)
        self.cell = ParagraphStyle(
            "cell", parent=self.body, fontSize=size.table_pt, leading=size.table_pt * LINE_HEIGHT, spaceAfter=0,
        )  # fmt: skip
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=fonts["bold"])
        self.category = ParagraphStyle(
            "category", parent=self.cell_bold, textColor=colors.HexColor("#" + layout.table.category_text)
        )
        self.mark = ParagraphStyle("mark", parent=self.cell, alignment=TA_CENTER)
        self.mark_bold = ParagraphStyle("mark_bold", parent=self.cell_bold, alignment=TA_CENTER)


def escape(text: str) -> str:
    """Text as reportlab paragraph markup: &, < and > escaped, what
    xml.sax.saxutils.escape does, without loading urllib as that module does,
    and the spaces reportlab would change as their stand-ins (see :mod:`builder.measure.characters`)."""
    return with_stand_ins(_html_escape(text, quote=False))


def markup(runs: Inline) -> str:
    """Runs as reportlab paragraph markup; the text itself is always escaped."""
    parts = []
    for run in runs:
        text = escape(run.text).replace("\n", "<br/>")
        if run.emphasis:
            text = f"<i>{text}</i>"
        if run.strong:
            text = f"<b>{text}</b>"
        parts.append(text)
    return "".join(parts)


def tagged(
    text: str, style: ParagraphStyle, tagger: Tagger, node: StructNode, label: StructNode | None = None
) -> TaggedParagraph:
    """A paragraph of ``text`` (markup) drawn as the content of ``node``;
    ``label`` is the Lbl node of the list item the paragraph starts, for its bullet."""
    paragraph = TaggedParagraph(text, style)
    paragraph.tag(tagger, node, label)
    return paragraph


class TaggedParagraph(PdfParagraph):
    """A paragraph whose drawing is the marked content of a structure node.

    reportlab makes the parts of a split paragraph with the constructor's own
    signature, so the node is attached after construction (see :func:`tagged`).
    """

    def tag(self, tagger: Tagger, node: StructNode, label: StructNode | None = None) -> None:
        self.tagger, self.node, self.label = tagger, node, label
        self.drawn = False

    def split(self, available_width, available_height):
        # the parts of a paragraph broken over a page (reportlab makes them with
        # this class's constructor) stay content of its node
        parts = cast(list[TaggedParagraph], super().split(available_width, available_height))
        for part in parts:
            part.tag(self.tagger, self.node, self.label)
        return parts

    def draw(self) -> None:
        if self.drawn:
            # the header row's own flowables are drawn again at the top of
            # every later page: a repeat for the eye, not a second header
            with self.tagger.artifact(self.canv, pagination="Header"):
                super().draw()
            return
        self.drawn = True
        with self.tagger.content(self.canv, self.node, top=self.height):
            super().draw()


# White space other than the plain space that is left once the stand-ins are
# in (none that the content checks let through) needs reportlab's paragraph:
# the simple line breaker below would break at it.
_OTHER_SPACE = re.compile(r"[^\S ]")


class Lines:
    """Plain text in one style, broken into lines for one width once, and
    the PDF operators that draw it: no tagging, no flowable.

    Why not a paragraph: a register of thousands of agreements has tens of
    thousands of cells, and a reportlab paragraph parses markup and breaks
    lines again at every wrap. Only text that reportlab's paragraph would
    break the same way is made into lines (see :func:`plain_lines`); equal
    cells share one, and its operators are made once per place in a row.
    """

    __slots__ = ("lines", "style", "height", "_operators")

    def __init__(self, lines: tuple[str, ...], style: ParagraphStyle):
        self.lines, self.style = lines, style
        self.height = len(lines) * style.leading
        self._operators: dict[tuple[float, float], str] = {}

    def operators(self, canvas, left: float, width: float, codes: LineCodes) -> str:
        """The operators that draw the lines in the current fill colour, the
        first line's top at y = 0 where a reportlab paragraph would put it,
        from ``left`` on, or centred in ``width``; the caller places them."""
        operators = self._operators.get((left, width))
        if operators is None:
            style = self.style
            show = codes.get
            baselines = _baselines(style, len(self.lines))
            if style.alignment == TA_CENTER:
                font, size = style.fontName, style.fontSize
                parts = [
                    f"BT {fp_str(left + (width - _width(line, font, size)) / 2)} {y} Td {show(canvas, style, line)} ET"
                    for line, y in zip(self.lines, baselines, strict=False)
                ]
            else:
                x = fp_str(left)
                parts = [
                    f"BT {x} {y} Td {show(canvas, style, line)} ET"
                    for line, y in zip(self.lines, baselines, strict=False)
                ]
            operators = self._operators[(left, width)] = "\n".join(parts)
        return operators


def _baselines(style: ParagraphStyle, count: int) -> list[str]:
    """The baselines of ``count`` lines in ``style``, the first line's top at
    y = 0 where a reportlab paragraph would put it, as PDF numbers; made once
    per style and grown as longer cells come (every line of a register's table
    formatted its own numbers)."""
    key = (style.fontName, style.fontSize, style.leading)
    known = _BASELINES.get(key)
    if known is None or len(known) < count:
        y = -(style.fontSize if rl_config.paraFontSizeHeightOffset else _ascent(style))
        known = []
        for _ in range(max(count, 8)):
            known.append(fp_str(y))
            y -= style.leading
        _BASELINES[key] = known
    return known


_BASELINES: dict[tuple[str, float, float], list[str]] = {}


# Cached: a register's table repeats its marks, forms and many a comment.
@lru_cache(maxsize=65536)
def plain_lines(text: str, style: ParagraphStyle, width: float) -> Lines | None:
    """``text`` broken greedily into lines within ``width``, as reportlab's
    paragraph breaks it; None when the text needs the paragraph (other
    white space, or a word wider than the cell, which the paragraph splits).
    The lines hold the stand-ins of the spaces reportlab would change, as a
    paragraph's do, so they break and print as a paragraph's."""
    text = with_stand_ins(text)
    if _OTHER_SPACE.search(text):
        return None
    font, size = style.fontName, style.fontSize
    space = _width(" ", font, size)
    shrink = style.spaceShrinkage * space  # the paragraph lets each space of a line give this much
    known = _WORD_WIDTHS.get((font, size))
    if known is None or len(known) > _WORDS_KEPT:  # a long-running server starts afresh now and then
        known = _WORD_WIDTHS[(font, size)] = {}
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in text.split():
        word_width = known.get(word)
        if word_width is None:
            word_width = known[word] = stringWidth(word, font, size)
        if word_width > width:
            return None
        if line and used + space + word_width > width + shrink * len(line):
            lines.append(" ".join(line))
            line, used = [word], word_width
        else:
            used += (space if line else 0) + word_width
            line.append(word)
    if line:
        lines.append(" ".join(line))
    return Lines(tuple(lines), style)


class TaggedLines(Flowable):
    """:class:`Lines` as a flowable that draws them as the content of a
    node, for where a flowable is wanted (the header row's cells)."""

    def __init__(self, lines: Lines, tagger: Tagger, node: StructNode):
        super().__init__()
        self.lines, self.tagger, self.node = lines, tagger, node
        self.height = lines.height
        self.drawn = False

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.height

    def draw(self) -> None:
        if not self.lines.lines:
            return
        canvas = self.canv
        canvas.setFillColor(self.lines.style.textColor)
        if self.drawn:  # a header row's cell again on a later page: as for a paragraph, a repeat
            opening = self.tagger.artifact_operator("Header")
        else:
            opening = self.tagger.content_operator(canvas, self.node, self.height)
            self.drawn = True
        operators = self.lines.operators(canvas, 0, self.width, LineCodes())
        canvas.addLiteral(f"{opening}\nq 1 0 0 1 0 {fp_str(self.height)} cm {operators} Q\nEMC")


class LineCodes:
    """The operators that select the font and show one line of text, for
    inside a text object; made once per font, size and text in a document.

    Why: a register's table repeats the same marks, forms and comments
    thousands of times, and reportlab's text object costs some 25 µs a line.
    The encoding is reportlab's own, as its text object does it for a
    TrueType font (the layouts' fonts are TrueType files, embedded as
    subsets): the font's split into subsets, their names and the escaping.
    """

    def __init__(self) -> None:
        self.codes: dict[ParagraphStyle, dict[str, str]] = {}  # by style, then line: a style's font and size are fixed

    def get(self, canvas, style: ParagraphStyle, line: str) -> str:
        known = self.codes.get(style)
        if known is None:
            known = self.codes[style] = {}
        code = known.get(line)
        if code is None:
            code = known[line] = show_text_operators(canvas, style.fontName, style.fontSize, line)
        return code


# Each word's width by font and size: registers repeat their words a great
# deal, and a dictionary per font is cheaper to ask than the cache of _width.
# Grows with the words seen (a register has some tens of thousands), up to _WORDS_KEPT.
_WORD_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
_WORDS_KEPT = 200_000


@lru_cache(maxsize=65536)
def _width(text: str, font: str, size: float) -> float:
    """A word's or line's width; registers repeat their words a great deal."""
    return stringWidth(text, font, size)


def _ascent(style: ParagraphStyle) -> float:
    font = cast(TTFont, getFont(style.fontName))  # every font the PDF registers is TrueType
    return font.face.ascent * style.fontSize / 1000


def text_cell(
    text: str, style: ParagraphStyle, width: float, tagger: Tagger, node: StructNode
) -> Lines | TaggedParagraph:
    """Plain text as shared lines where that prints the same, else a paragraph
    tagged as the content of ``node``; the caller tags lines where it draws them."""
    return plain_lines(text, style, width) or tagged(escape(text), style, tagger, node)
