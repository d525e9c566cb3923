"""Renders a :class:`Document` as PDF with reportlab's platypus: the layout's
fonts embedded, the table's header row repeated on every page, the title and
language in the metadata, and page numbers in the footer.
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
    Chart,
    DataTable,
    Document,
    Heading,
    Inline,
    Layout,
    Paragraph,
    Title,
)
from builder.writers.pdf_chart import chart_flowables, data_table

BULLETS = ("•", "–", "◦")


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
    fonts = register_fonts(layout)
    styles = _Styles(layout, fonts)
    story = []
    for block in document.blocks:
        if isinstance(block, Title):
            story.append(PdfParagraph(escape(block.text), styles.title))
        elif isinstance(block, Heading):
            story.append(PdfParagraph(markup(block.runs), styles.heading))
        elif isinstance(block, Paragraph):
            story.append(PdfParagraph(markup(block.runs), styles.body))
        elif isinstance(block, BulletList):
            story.append(_list(block.items, styles, 0, layout))
        elif isinstance(block, AgreementTable):
            story.append(_table(block, layout, styles))
        elif isinstance(block, DataTable):
            story.append(data_table(block, layout, styles))
        elif isinstance(block, Chart):
            story.extend(chart_flowables(block, layout, fonts, styles.body))
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
        author="",
        creator="oversikt",
        lang=document.language_tag,
        invariant=1,
        initialFontName=fonts["regular"],  # else every page names Helvetica, a font that is not embedded
        displayDocTitle=1,
    )
    footer = _footer(document, layout, fonts["regular"])
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _footer(document: Document, layout: Layout, font: str):
    def draw(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont(font, layout.fonts.footer_pt)
        text = document.footer_page_label.format(page=canvas.getPageNumber())
        canvas.drawCentredString(template.pagesize[0] / 2, layout.margins_cm["bottom"] * cm / 2, text)
        canvas.restoreState()

    return draw


def _list(items, styles: _Styles, depth: int, layout: Layout) -> ListFlowable:
    entries = []
    for item in items:
        flowables = [PdfParagraph(markup(item.runs), styles.bullet)]
        if item.children:
            flowables.append(_list(item.children, styles, depth + 1, layout))
        entries.append(ListItem(flowables))
    return ListFlowable(
        entries,
        bulletType="bullet",
        start=BULLETS[min(depth, len(BULLETS) - 1)],
        bulletFontName=styles.body.fontName,
        bulletFontSize=styles.body.fontSize,
        leftIndent=0.6 * cm,
        spaceAfter=layout.space_after_pt if depth == 0 else 0,
    )


def _table(table: AgreementTable, layout: Layout, styles: _Styles) -> Table:
    columns = len(table.header)
    last = columns - 1
    header = [
        PdfParagraph(escape(label), styles.mark_bold if 1 < index < last else styles.cell_bold)
        for index, label in enumerate(table.header)
    ]
    data = [header]
    commands = [
        ("GRID", (0, 0), (-1, -1), layout.table.grid_pt, colors.HexColor("#" + layout.table.grid_color)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),  # the spanned-over empty cells too
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + layout.table.header_shading)),
        ("LEFTPADDING", (0, 0), (-1, -1), layout.table.cell_padding_pt),
        ("RIGHTPADDING", (0, 0), (-1, -1), layout.table.cell_padding_pt),
        ("TOPPADDING", (0, 0), (-1, -1), layout.table.cell_padding_pt / 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), layout.table.cell_padding_pt / 2),
    ]
    category_color = colors.HexColor("#" + layout.table.category_shading)
    for group in table.groups:
        row = len(data)
        data.append([PdfParagraph(escape(group.heading), styles.cell_bold)] + [""] * last)
        commands += [("SPAN", (0, row), (-1, row)), ("BACKGROUND", (0, row), (-1, row), category_color)]
        for agreement in group.rows:
            data.append(
                [
                    PdfParagraph(markup(agreement.name), styles.cell),
                    PdfParagraph(escape(agreement.form), styles.cell),
                    *(PdfParagraph(escape(table.mark) if mark else "", styles.mark) for mark in agreement.marks),
                    PdfParagraph(escape(agreement.comment), styles.cell),
                ]
            )
    widths = [width * cm for width in layout.column_widths_cm(table.member_count)]
    # A row taller than a page must split or reportlab gives up with a
    # LayoutError; splitting only where a quarter page of it fits keeps
    # ordinary rows whole, moved to the next page.
    frame_height = (layout.page_cm[1] - layout.margins_cm["top"] - layout.margins_cm["bottom"]) * cm
    grid = Table(
        data, colWidths=widths, repeatRows=1, style=TableStyle(commands), splitByRow=1, splitInRow=frame_height / 4
    )
    grid.spaceBefore = layout.space_after_pt
    return grid
