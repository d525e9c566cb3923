"""Renders a :class:`Document` as PDF with reportlab's platypus: the layout's
fonts embedded, the table's header row repeated on every page, page numbers
in the footer, and, through :mod:`pdf_tagging` and :mod:`pdf_finish`, a
tagged PDF/UA-1 file that identifies itself as PDF/A-2b.

Every flowable that shows text is tagged: it carries the structure node it
belongs to and brackets what it draws as that node's marked content. What is
decoration (grid lines, shading, page numbers, the header row drawn again on
later pages) is drawn as an artifact.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import ListFlowable, ListItem, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph

from builder.model import (
    AgreementTable,
    BulletList,
    Document,
    Heading,
    Inline,
    Layout,
    Paragraph,
    Title,
)
from builder.writers.pdf_tagging import StructNode, Tagger, Text

BULLETS = ("•", "–", "◦")
# How a list's labels are named in its structure attributes; PDF has no name
# for a dash, and "None" says the labels are plain text in the Lbl elements.
LIST_NUMBERING = {"•": "Disc", "–": "None", "◦": "Circle"}


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


class _Styles:
    def __init__(self, layout: Layout, fonts: dict[str, str]):
        size = layout.fonts
        color = colors.HexColor("#" + layout.text_color)
        leading = layout.line_spacing * 1.2
        self.body = ParagraphStyle(
            "body", fontName=fonts["regular"], fontSize=size.body_pt, leading=size.body_pt * leading,
            spaceAfter=layout.space_after_pt, textColor=color,
        )  # fmt: skip
        self.title = ParagraphStyle(
            "title", parent=self.body, fontName=fonts["bold"], fontSize=size.title_pt,
            leading=size.title_pt * 1.2, spaceAfter=layout.space_after_pt * 2,
        )  # fmt: skip
        self.heading = ParagraphStyle(
            "heading", parent=self.body, fontName=fonts["bold"], fontSize=size.heading_pt,
            leading=size.heading_pt * 1.2, spaceBefore=layout.space_after_pt,
        )  # fmt: skip
        self.bullet = ParagraphStyle("bullet", parent=self.body, spaceAfter=0)
        self.cell = ParagraphStyle(
            "cell", parent=self.body, fontSize=size.table_pt, leading=size.table_pt * 1.2, spaceAfter=0,
        )  # fmt: skip
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=fonts["bold"])
        self.category = ParagraphStyle(
            "category", parent=self.cell_bold, textColor=colors.HexColor("#" + layout.table.category_text)
        )
        self.mark = ParagraphStyle("mark", parent=self.cell, alignment=TA_CENTER)
        self.mark_bold = ParagraphStyle("mark_bold", parent=self.cell_bold, alignment=TA_CENTER)


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


def render_pdf(document: Document, layout: Layout) -> bytes:
    # pikepdf loads when a PDF is written, not when a build only checks glyphs
    from builder.writers.pdf_finish import Metadata, finish

    fonts = register_fonts(layout)
    styles = _Styles(layout, fonts)
    tagger = Tagger()
    tree = StructNode("Document")
    story = []
    for block in document.blocks:
        if isinstance(block, Title):
            node = tree.add("H1", outline=block.text, outline_level=0)
            story.append(_tagged(escape(block.text), styles.title, tagger, node))
        elif isinstance(block, Heading):
            level = min(block.level + 1, 6)  # the title is the one H1
            node = tree.add(f"H{level}", outline=_plain(block.runs), outline_level=block.level)
            story.append(_tagged(markup(block.runs), styles.heading, tagger, node))
        elif isinstance(block, Paragraph):
            story.append(_tagged(markup(block.runs), styles.body, tagger, tree.add("P")))
        elif isinstance(block, BulletList):
            story.append(_list(block.items, styles, 0, layout, tagger, tree))
        elif isinstance(block, AgreementTable):
            story.append(_table(block, layout, styles, tagger, tree))
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
        displayDocTitle=1,
        # reportlab starts every page by selecting this font; the default,
        # Helvetica, would be a font resource that is not embedded (PDF/A)
        initialFontName=fonts["regular"],
    )
    on_page = _on_page(document, layout, fonts["regular"], tagger)
    template.build(story, onFirstPage=on_page, onLaterPages=on_page)
    metadata = Metadata(
        title=document.title,
        subject=document.subject,
        language=document.language_tag,
        created=document.created,
        creator="oversikt",
    )
    return finish(buffer.getvalue(), tree, tagger, metadata)


def _plain(runs: Inline) -> str:
    return "".join(run.text for run in runs)


def _tagged(
    text: str, style: ParagraphStyle, tagger: Tagger, node: StructNode, label: StructNode | None = None
) -> _TaggedParagraph:
    """A paragraph of ``text`` drawn as the content of ``node``; ``label`` is
    the Lbl node of the list item the paragraph starts, for its bullet."""
    paragraph = _TaggedParagraph(text, style)
    paragraph._tag(tagger, node, label)
    return paragraph


class _TaggedParagraph(PdfParagraph):
    """A paragraph whose drawing is the marked content of a structure node.

    reportlab makes the parts of a split paragraph with the constructor's own
    signature, so the node is attached after construction (see :func:`_tagged`).
    """

    def _tag(self, tagger: Tagger, node: StructNode, label: StructNode | None) -> None:
        self.tagger, self.node, self.label = tagger, node, label
        self.drawn = False

    def split(self, available_width, available_height):
        # the parts of a paragraph broken over a page stay content of its node
        parts = super().split(available_width, available_height)
        for part in parts:
            part._tag(self.tagger, self.node, self.label)
        return parts

    def draw(self) -> None:
        if self.drawn:
            # repeatRows draws the header row's own flowables again at the top
            # of every later page: a repeat for the eye, not a second header
            with self.tagger.artifact(self.canv, pagination="Header"):
                super().draw()
            return
        self.drawn = True
        with self.tagger.content(self.canv, self.node, top=self.height):
            super().draw()


def _on_page(document: Document, layout: Layout, font: str, tagger: Tagger):
    """What starts every page: the tagger learns of it, and the page number
    is drawn as a pagination artifact."""

    def draw(canvas, template) -> None:
        tagger.begin_page(canvas)
        canvas.saveState()
        canvas.setFont(font, layout.fonts.footer_pt)
        text = document.footer_page_label.format(page=canvas.getPageNumber())
        with tagger.artifact(canvas, pagination="Footer"):
            canvas.drawCentredString(template.pagesize[0] / 2, layout.margins_cm["bottom"] * cm / 2, text)
        canvas.restoreState()

    return draw


class _TaggedList(ListFlowable):
    """A bullet list whose bullets are the marked content of their Lbl nodes."""

    def __init__(self, entries, tagger: Tagger, **options):
        super().__init__(entries, **options)
        self.tagger = tagger

    # reportlab has no public hook for the bullet's drawing; this is where
    # ListFlowable makes each item's bullet drawer
    def _makeBullet(self, value, params=None):
        return _LabelledBullet(super()._makeBullet(value, params), self.tagger)


class _LabelledBullet:
    def __init__(self, drawer, tagger: Tagger):
        self.drawer, self.tagger = drawer, tagger

    def drawOn(self, indenter, canvas, x, y, _sW=0) -> None:  # noqa: N802 - reportlab's name
        label = indenter._flowable.label  # the item's first paragraph knows its Lbl
        with self.tagger.content(canvas, label):
            self.drawer.drawOn(indenter, canvas, x, y, _sW)

    def __getattr__(self, name: str):
        return getattr(self.drawer, name)


def _list(items, styles: _Styles, depth: int, layout: Layout, tagger: Tagger, parent: StructNode) -> ListFlowable:
    bullet = BULLETS[min(depth, len(BULLETS) - 1)]
    node = parent.add("L", attributes={"O": "List", "ListNumbering": LIST_NUMBERING[bullet]})
    entries = []
    for item in items:
        entry = node.add("LI")
        label = entry.add("Lbl")
        body = entry.add("LBody")
        flowables = [_tagged(markup(item.runs), styles.bullet, tagger, body.add("P"), label=label)]
        if item.children:
            flowables.append(_list(item.children, styles, depth + 1, layout, tagger, body))
        entries.append(ListItem(flowables))
    return _TaggedList(
        entries,
        tagger,
        bulletType="bullet",
        start=bullet,
        bulletFontName=styles.body.fontName,
        bulletFontSize=styles.body.fontSize,
        leftIndent=0.6 * cm,
        spaceAfter=layout.space_after_pt if depth == 0 else 0,
    )


class _TableArtifacts:
    """reportlab's render callback for tables (``renderCB``): the shading and
    the grid lines are drawn as artifacts; the cells' paragraphs tag themselves."""

    def __init__(self, tagger: Tagger):
        self.tagger = tagger

    def __call__(self, table: Table, event: str, *details) -> None:
        if event in ("startBG", "startLines"):
            self.tagger.begin_artifact(table.canv)
        elif event in ("endBG", "endLines"):
            self.tagger.end(table.canv)


def _table(table: AgreementTable, layout: Layout, styles: _Styles, tagger: Tagger, parent: StructNode) -> Table:
    columns = len(table.header)
    last = columns - 1
    node = parent.add("Table", title=table.caption, attributes={"O": "Table", "Summary": Text(table.description)})
    head_row = node.add("THead").add("TR")
    header = [
        _tagged(
            escape(label),
            styles.mark_bold if 1 < index < last else styles.cell_bold,
            tagger,
            head_row.add("TH", attributes={"O": "Table", "Scope": "Column"}),
        )
        for index, label in enumerate(table.header)
    ]
    body = node.add("TBody")
    data = [header]
    commands = [
        ("GRID", (0, 0), (-1, -1), layout.table.grid_pt, colors.HexColor("#" + layout.table.grid_color)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # the cells are paragraphs with their own fonts, but the table selects
        # this one before each cell; its default, Helvetica, is not embedded
        ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + layout.table.header_shading)),
        ("LEFTPADDING", (0, 0), (-1, -1), layout.table.cell_padding_pt),
        ("RIGHTPADDING", (0, 0), (-1, -1), layout.table.cell_padding_pt),
        ("TOPPADDING", (0, 0), (-1, -1), layout.table.cell_padding_pt / 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), layout.table.cell_padding_pt / 2),
    ]
    category_color = colors.HexColor("#" + layout.table.category_shading)
    for group in table.groups:
        row = len(data)
        cell = body.add("TR").add(
            "TD", attributes={"O": "Table", "ColSpan": columns}, outline=group.heading, outline_level=1
        )
        data.append([_tagged(escape(group.heading), styles.category, tagger, cell)] + [""] * last)
        commands += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), category_color)]
        for agreement in group.rows:
            data.append(_agreement_row(agreement, table.mark, body.add("TR"), styles, tagger))
    widths = [width * cm for width in layout.column_widths_cm(table.member_count)]
    # A row taller than a page must split or reportlab gives up with a
    # LayoutError; splitting only where a quarter page of it fits keeps
    # ordinary rows whole, moved to the next page. The parts of a split row
    # stay the content of the same cells in the structure tree.
    frame_height = (layout.page_cm[1] - layout.margins_cm["top"] - layout.margins_cm["bottom"]) * cm
    grid = Table(
        data,
        colWidths=widths,
        repeatRows=1,
        style=TableStyle(commands),
        splitByRow=1,
        splitInRow=frame_height / 4,
        renderCB=_TableArtifacts(tagger),
    )
    grid.spaceBefore = layout.space_after_pt
    return grid


def _agreement_row(agreement, mark: str, row: StructNode, styles: _Styles, tagger: Tagger) -> list:
    """The cells of one agreement; its name is the row's header for the cells beside it."""
    name = row.add("TH", attributes={"O": "Table", "Scope": "Row"})
    cells = [_tagged(markup(agreement.name), styles.cell, tagger, name)]
    cells.append(_cell(agreement.form, styles.cell, tagger, row))
    cells += [_cell(mark if taking_part else "", styles.mark, tagger, row) for taking_part in agreement.marks]
    cells.append(_cell(agreement.comment, styles.cell, tagger, row))
    return cells


def _cell(text: str, style: ParagraphStyle, tagger: Tagger, row: StructNode) -> PdfParagraph:
    """A data cell; an empty one is still a TD, so every row has every column."""
    node = row.add("TD")
    if not text:
        return PdfParagraph("", style)
    return _tagged(escape(text), style, tagger, node)
