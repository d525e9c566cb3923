"""Renders a :class:`Document` as PDF with reportlab's platypus: the layout's
fonts embedded, the table's header row repeated on every page, page numbers
in the footer, and, through :mod:`pdf_tagging` and :mod:`pdf_finish`, a
tagged PDF/UA-1 file that identifies itself as PDF/A-2a.

Every flowable that shows text is tagged: it carries the structure node it
belongs to and brackets what it draws as that node's marked content. What is
decoration (grid lines, shading, page numbers, the header row drawn again on
later pages) is drawn as an artifact.
"""

from __future__ import annotations

import io

from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, ListFlowable, ListItem, SimpleDocTemplate

from builder.adapters.reportlab_drawing import BytesPageCanvas, ListWithBulletHook, indented_flowable
from builder.measure.characters import with_stand_ins
from builder.measure.fonts import faces_drawn, missing_glyphs, register_fonts
from builder.model import (
    AgreementTable,
    BulletList,
    Chart,
    DataTable,
    Document,
    Heading,
    Layout,
    Paragraph,
    Title,
)
from builder.walk import BlockVisitor, plain, walk
from builder.writers import MissingGlyphs
from builder.writers.pdf_finish import Metadata, finish
from builder.writers.pdf_table import agreement_table, data_table
from builder.writers.pdf_tagging import StructNode, Tagger
from builder.writers.pdf_text import Styles, escape, markup, tagged

# How a list's labels are named in its structure attributes; for any other
# bullet (a dash has no name) "None" says the labels are plain text in the Lbl elements.
LIST_NUMBERING = {"•": "Disc", "◦": "Circle", "▪": "Square", "■": "Square"}


def render_pdf(document: Document, layout: Layout) -> bytes:
    faces = faces_drawn(document)
    fonts = register_fonts(layout, faces)
    missing = missing_glyphs(document, layout, faces)
    if missing:
        raise MissingGlyphs(missing)
    styles = Styles(layout, fonts)
    tagger = Tagger()
    tree = StructNode("Document")
    story = [flowable for flowables in walk(document.blocks, _Story(layout, styles, fonts, tagger, tree))
             for flowable in flowables]  # fmt: skip
    story = _headings_kept_with_what_follows(story)
    buffer = io.BytesIO()
    width, height = layout.page_cm
    margins = layout.margins_cm
    template = SimpleDocTemplate(
        buffer,
        pagesize=(width * cm, height * cm),
        leftMargin=margins["left"] * cm,
        rightMargin=margins["right"] * cm,
        topMargin=margins["top"] * cm,
        bottomMargin=margins["bottom"] * cm,
        title=document.title,
        subject=document.subject,
        creator="oversikt",
        lang=document.language_tag,
        invariant=1,
        # pikepdf's pass (pdf_finish) compresses the pages; reportlab's own
        # compression, and its ASCII85, which made qpdf decode and compress every page again, were work thrown away
        pageCompression=0,
        displayDocTitle=1,
        # reportlab starts every page by selecting this font; the default,
        # Helvetica, would be a font resource that is not embedded (PDF/A)
        initialFontName=fonts["regular"],
    )
    on_page = _on_page(document, layout, fonts["regular"], tagger)
    template.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=BytesPageCanvas)
    metadata = Metadata(
        title=document.title,
        subject=document.subject,
        language=document.language_tag,
        created=document.created,
        creator="oversikt",
    )
    return finish(buffer.getvalue(), tree, tagger, metadata)


class _Story(BlockVisitor[list]):
    """The flowables of each block, each tagged as the structure node it adds under ``tree``."""

    def __init__(self, layout: Layout, styles: Styles, fonts: dict[str, str], tagger: Tagger, tree: StructNode):
        self.layout, self.styles, self.fonts, self.tagger, self.tree = layout, styles, fonts, tagger, tree

    def title(self, block: Title) -> list:
        node = self.tree.add("H1", outline=block.text, outline_level=0)
        return [tagged(escape(block.text), self.styles.title, self.tagger, node)]

    def heading(self, block: Heading) -> list:
        level = self.layout.outline.heading_level(block.level)  # the title is the one H1
        node = self.tree.add(f"H{level}", outline=plain(block.runs), outline_level=level - 1)
        return [tagged(markup(block.runs), self.styles.heading, self.tagger, node)]

    def paragraph(self, block: Paragraph) -> list:
        return [tagged(markup(block.runs), self.styles.body, self.tagger, self.tree.add("P"))]

    def bullet_list(self, block: BulletList) -> list:
        return [_list(block.items, self.styles, 0, self.layout, self.tagger, self.tree)]

    def agreement_table(self, block: AgreementTable) -> list:
        return [agreement_table(block, self.layout, self.styles, self.tagger, self.tree)]

    def data_table(self, block: DataTable) -> list:
        # a table of counts is short: whole on the next page rather than
        # a row or two left alone (one taller than a page still splits)
        return [KeepTogether([data_table(block, self.layout, self.styles, self.tagger, self.tree)])]

    def chart(self, block: Chart) -> list:
        from builder.writers.pdf_chart import chart_flowables  # reportlab.graphics only where there is a chart

        return chart_flowables(block, self.layout, self.fonts, self.styles.body, self.tagger, self.tree)


def _on_page(document: Document, layout: Layout, font: str, tagger: Tagger):
    """What starts every page: the tagger learns of it, and the page number
    is drawn as a pagination artifact."""

    def draw(canvas, template) -> None:
        tagger.begin_page(canvas)
        canvas.saveState()
        canvas.setFont(font, layout.fonts.footer_pt)
        text = document.footer_page_label.format(page=canvas.getPageNumber())
        with tagger.artifact(canvas, pagination="Footer"):
            canvas.drawCentredString(
                template.pagesize[0] / 2, layout.margins_cm["bottom"] * cm / 2, with_stand_ins(text)
            )
        canvas.restoreState()

    return draw


def _headings_kept_with_what_follows(story: list[Flowable]) -> list[Flowable]:
    """The story with a :class:`_RoomForHeadings` before each run of headings
    that a list, a chart or a table of counts follows.

    Why: reportlab keeps a heading (keepWithNext) with the next flowable
    only where that may go in a KeepTogether, and a list or a block already
    kept together may not (reportlab.platypus.doctemplate._ktAllow): the
    heading stayed alone at the foot of a page, the list on the next."""
    result: list[Flowable] = []
    run: list[Flowable] = []
    for flowable in story:
        if flowable.getKeepWithNext():
            run.append(flowable)
            continue
        if run and isinstance(flowable, (ListFlowable, KeepTogether)):
            result.append(_RoomForHeadings(run, flowable))
        result += run
        result.append(flowable)
        run = []
    return result + run


class _RoomForHeadings(CondPageBreak):
    """Goes on to the next page unless the headings and the start of what
    follows them fit on this one: a list's first item, or a kept-together
    block whole."""

    def __init__(self, headings: list[Flowable], following: Flowable):
        super().__init__(0)
        self.headings, self.following = headings, following

    def wrap(self, available_width, available_height):
        height = sum(_height(f, available_width, available_height) + f.getSpaceBefore() for f in self.headings)
        following = self.following
        if isinstance(following, _TaggedList) and following.first is not None:
            height += _height(following.first, available_width - following.indent, available_height)
        else:
            height += _height(following, available_width, available_height)
        self.height = height
        return super().wrap(available_width, available_height)


def _height(flowable: Flowable, width: float, height: float) -> float:
    return flowable.wrap(width, height)[1] + flowable.getSpaceAfter()


class _TaggedList(ListWithBulletHook):
    """A bullet list whose bullets are the marked content of their Lbl nodes."""

    def __init__(self, entries, tagger: Tagger, first: Flowable | None, indent: float, **options):
        super().__init__(entries, **options)
        self.tagger = tagger
        # the first item's first paragraph (None in a list without items), how far the items stand in
        self.first, self.indent = first, indent

    def wrap_bullet(self, drawer):
        return _LabelledBullet(drawer, self.tagger)


class _LabelledBullet:
    def __init__(self, drawer, tagger: Tagger):
        self.drawer, self.tagger = drawer, tagger

    def drawOn(self, indenter, canvas, x, y, _sW=0) -> None:  # noqa: N802 - reportlab's name
        label = indented_flowable(indenter).label  # the item's first paragraph knows its Lbl
        with self.tagger.content(canvas, label):
            self.drawer.drawOn(indenter, canvas, x, y, _sW)

    def __getattr__(self, name: str):
        return getattr(self.drawer, name)


def _list(items, styles: Styles, depth: int, layout: Layout, tagger: Tagger, parent: StructNode) -> ListFlowable:
    bullet = layout.outline.bullet(depth)
    node = parent.add("L", attributes={"O": "List", "ListNumbering": LIST_NUMBERING.get(bullet, "None")})
    entries = []
    first: Flowable | None = None
    for item in items:
        entry = node.add("LI")
        label = entry.add("Lbl")
        body = entry.add("LBody")
        flowables: list[Flowable] = [tagged(markup(item.runs), styles.bullet, tagger, body.add("P"), label=label)]
        first = first or flowables[0]
        if item.children:
            flowables.append(_list(item.children, styles, depth + 1, layout, tagger, body))
        entries.append(ListItem(flowables))
    indent = 0.6 * cm
    return _TaggedList(
        entries,
        tagger,
        first,
        indent,
        bulletType="bullet",
        start=bullet,
        bulletFontName=styles.body.fontName,
        bulletFontSize=styles.body.fontSize,
        leftIndent=indent,
        spaceAfter=layout.space_after_pt if depth == 0 else 0,
    )
