"""Renders a :class:`Document` as a Word file an editor can keep editing:
Title and Heading styles, Word bullet lists, one table with a repeating
header row, merged category rows and page numbers in the footer.

What assistive technology needs is in the file, not only in the look: the
language in the core properties and in the style defaults, the title as the
top of the outline with headings below it, one multilevel bullet list whose
levels are the List Bullet styles (so a nested item is a nested item), the
header row marked as a header that repeats, and the table's title and
description as its alt text.
"""

from __future__ import annotations

import io
import zipfile

import docx
import docx.text.paragraph
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from builder import __version__
from builder.adapters.docx import paragraph_xml
from builder.model import (
    AgreementTable,
    BulletList,
    Chart,
    DataTable,
    Document,
    Heading,
    Inline,
    Layout,
    ListItem,
    Paragraph,
    Title,
)
from builder.walk import BlockVisitor, walk
from builder.writers.docx_table import data_table_xml, table_xml

LIST_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")  # one per level of the layout's bullets
LIST_INDENT_TWIPS = 360  # per level, as the template's List Bullet styles
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


def render_docx(document: Document, layout: Layout) -> bytes:
    word = docx.Document()
    _page(word, layout)
    _styles(word, document, layout)
    _bullet_numbering(word, layout)
    _properties(word, document)
    _application(word)
    _footer(word, document)
    body = _Body(word, layout)
    walk(document.blocks, body)
    buffer = io.BytesIO()
    word.save(buffer)
    return _package(buffer.getvalue(), document, body.tables)


class _Body(BlockVisitor[None]):
    """Adds each block to the Word document's body."""

    def __init__(self, word: docx.document.Document, layout: Layout):
        self.word, self.layout = word, layout
        self.styles = _style_ids(word, layout)
        self.tables: dict[bytes, bytes] = {}  # placeholder -> table, spliced in when saved

    def title(self, block: Title) -> None:
        _paragraph(self.word, self.styles["Title"]).add_run(block.text)

    def heading(self, block: Heading) -> None:
        _runs(_paragraph(self.word, self.styles[_heading_style(self.layout, block.level)]), block.runs)

    def paragraph(self, block: Paragraph) -> None:
        _runs(self.word.add_paragraph(), block.runs)

    def bullet_list(self, block: BulletList) -> None:
        last = _list(self.word, block.items, 0, self.styles)
        last.paragraph_format.space_after = Pt(self.layout.space_after_pt)

    def agreement_table(self, block: AgreementTable) -> None:
        _table(self.word, table_xml(block, self.layout, *_table_styles(self.word, self.layout)), self.tables)

    def data_table(self, block: DataTable) -> None:
        _table(self.word, data_table_xml(block, self.layout, *_table_styles(self.word, self.layout)), self.tables)

    def chart(self, block: Chart) -> None:
        from builder.writers.docx_chart import add_chart  # only documents with a chart need reportlab

        add_chart(self.word, block, self.layout)


def _page(word: docx.document.Document, layout: Layout) -> None:
    section = word.sections[0]
    width, height = layout.page_cm
    if layout.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(width), Cm(height)
    margins = layout.margins_cm
    section.top_margin, section.bottom_margin = Cm(margins["top"]), Cm(margins["bottom"])
    section.left_margin, section.right_margin = Cm(margins["left"]), Cm(margins["right"])


def _styles(word: docx.document.Document, document: Document, layout: Layout) -> None:
    fonts = layout.fonts
    color = RGBColor.from_string(layout.text_color)
    normal = word.styles["Normal"]
    _font(normal, fonts.family, fonts.body_pt, color)
    normal.paragraph_format.space_after = Pt(layout.space_after_pt)
    normal.paragraph_format.line_spacing = layout.line_spacing
    # the language of all text, so spelling and screen readers use Norwegian
    defaults = word.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), document.language_tag)
    title = word.styles["Title"]
    _font(title, fonts.family, fonts.title_pt, color)
    title.font.bold = True
    title.paragraph_format.space_after = Pt(layout.space_after_pt * 2)
    _remove_border(title)
    _outline_level(title, 0)
    for name in _heading_styles(layout):
        _font(word.styles[name], fonts.family, fonts.heading_pt, color)
    for name in LIST_STYLES:
        # Word leaves out the space between paragraphs only of one style
        # (contextual spacing), so a nested item would stand apart from its
        # neighbours: no list level has space of its own; a list's last item
        # gets the space after it (render_docx), as the PDF's list has
        word.styles[name].paragraph_format.space_after = Pt(0)
    word.styles["Footer"].font.size = Pt(fonts.footer_pt)  # "Side" and the number field alike


def _heading_style(layout: Layout, level: int) -> str:
    """The style of a heading of ``level`` in the text: Heading n at the level
    the layout shows it at (the title, the top of the outline, is level 1),
    as the PDF's H1 title and Hn headings."""
    return f"Heading {layout.outline.heading_level(level)}"


def _heading_styles(layout: Layout) -> list[str]:
    """Every Heading style a heading in the text may be given."""
    outline = layout.outline
    return [f"Heading {level}" for level in range(outline.heading_shift + 1, outline.deepest_heading + 1)]


def _outline_level(style, level: int) -> None:
    """Word's navigation pane and screen readers take heading levels from here."""
    properties = style.element.get_or_add_pPr()
    outline = properties.find(qn("w:outlineLvl"))
    if outline is None:
        outline = OxmlElement("w:outlineLvl")
        properties.append(outline)
    outline.set(qn("w:val"), str(level))


def _font(style, family: str, size_pt: float, color: RGBColor) -> None:
    style.font.name = family
    style.font.size = Pt(size_pt)
    style.font.color.rgb = color
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), family)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(theme), None)


def _remove_border(style) -> None:
    """The default Title style draws a rule under the title; the official one has none."""
    paragraph_properties = style.element.find(qn("w:pPr"))
    if paragraph_properties is not None:
        for border in paragraph_properties.findall(qn("w:pBdr")):
            paragraph_properties.remove(border)


def _bullet_numbering(word: docx.document.Document, layout: Layout) -> None:
    """One multilevel bullet list whose levels are the List Bullet styles.

    The template gives each List Bullet style a list of its own, so a nested
    item would be the first level of another list. Here the styles share one
    numbering definition at levels 0, 1, 2: the numbering still reaches the
    paragraphs through their style, and a nested item is level 2 of its list.
    """
    numbering = word.part.numbering_part.element
    abstract_id = 1 + max(int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum")))
    num_id = 1 + max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num")))
    abstract = _element("w:abstractNum", {"w:abstractNumId": abstract_id})
    abstract.append(_element("w:multiLevelType", {"w:val": "multilevel"}))
    for level, style_name in enumerate(LIST_STYLES):
        style = word.styles[style_name]
        bullet = layout.outline.bullet(level)
        definition = _element("w:lvl", {"w:ilvl": level})
        for tag, value in (("w:start", 1), ("w:numFmt", "bullet"), ("w:pStyle", style.style_id),
                           ("w:lvlText", bullet), ("w:lvlJc", "left")):  # fmt: skip
            definition.append(_element(tag, {"w:val": value}))
        left = LIST_INDENT_TWIPS * (level + 1)
        tabs = _element("w:tabs", children=[_element("w:tab", {"w:val": "num", "w:pos": left})])
        indent = _element("w:ind", {"w:left": left, "w:hanging": LIST_INDENT_TWIPS})
        definition.append(_element("w:pPr", children=[tabs, indent]))
        abstract.append(definition)
        numbering_properties = style.element.get_or_add_pPr().get_or_add_numPr()
        numbering_properties.get_or_add_ilvl().val = level
        numbering_properties.get_or_add_numId().val = num_id
    # the schema wants every abstractNum before the first num
    numbering.find(qn("w:num")).addprevious(abstract)
    number = _element("w:num", {"w:numId": num_id})
    number.append(_element("w:abstractNumId", {"w:val": abstract_id}))
    numbering.append(number)


def _element(tag: str, attributes: dict | None = None, children: list | None = None):
    element = OxmlElement(tag)
    for name, value in (attributes or {}).items():
        element.set(qn(name), str(value))
    for child in children or ():
        element.append(child)
    return element


CORE_PROPERTY_LENGTH = 255  # python-docx refuses a longer title or subject in the file's properties


def _properties(word: docx.document.Document, document: Document) -> None:
    core = word.core_properties
    core.title = _shortened(document.title)  # whole on the first page
    core.subject = _shortened(document.subject)
    core.language = document.language_tag
    core.author = ""
    core.last_modified_by = ""
    core.comments = ""
    core.keywords = ""
    core.revision = 1
    core.created = core.modified = document.created
    core.last_printed = document.created


def _application(word: docx.document.Document) -> None:
    """The extended properties name oversikt and its version, not the
    template's Word; python-docx's template thumbnail (a blank page) goes."""
    package = word.part.package
    for rel_id, relationship in list(package.rels.items()):
        if relationship.reltype in (RELATIONSHIP_TYPE.THUMBNAIL, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES):
            del package.rels[rel_id]
    properties = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>oversikt/{__version__}</Application></Properties>"
    )
    part = Part(PackURI("/docProps/app.xml"), CONTENT_TYPE.OFC_EXTENDED_PROPERTIES, properties.encode(), package)
    package.relate_to(part, RELATIONSHIP_TYPE.EXTENDED_PROPERTIES)


def _footer(word: docx.document.Document, document: Document) -> None:
    """The footer's text and page number field, in the Footer style's size."""
    paragraph = word.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = document.footer_page_label.partition("{page}")
    if before:
        paragraph.add_run(before)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    paragraph_xml(paragraph).append(field)
    if after:
        paragraph.add_run(after)


def _style_ids(word: docx.document.Document, layout: Layout) -> dict[str, str]:
    """The ids of the styles paragraphs are given, by style name."""
    names = ("Title", *_heading_styles(layout), *LIST_STYLES)
    return {name: word.styles[name].style_id for name in names}


def _paragraph(word: docx.document.Document, style_id: str):
    """A new paragraph in the style with ``style_id``. Set by id, not as
    ``add_paragraph(style=name)``: python-docx then scans every style for
    the default one, for each paragraph (a fifth of a small document's render)."""
    paragraph = word.add_paragraph()
    paragraph_xml(paragraph).style = style_id
    return paragraph


def _runs(paragraph, runs: Inline) -> None:
    for run in runs:
        parts = run.text.split("\n")
        for index, part in enumerate(parts):
            word_run = paragraph.add_run(part)
            word_run.italic = run.emphasis or None
            word_run.bold = run.strong or None
            if index < len(parts) - 1:
                word_run.add_break()


def _list(
    word: docx.document.Document, items: tuple[ListItem, ...], depth: int, styles: dict[str, str]
) -> docx.text.paragraph.Paragraph:
    """The items as paragraphs, nested ones in the next List Bullet style; returns the last paragraph."""
    style_id = styles[LIST_STYLES[min(depth, len(LIST_STYLES) - 1)]]
    for item in items:
        last = _paragraph(word, style_id)
        _runs(last, item.runs)
        if item.children:
            last = _list(word, item.children, depth + 1, styles)
    return last


def _table(word: docx.document.Document, xml: str, tables: dict[bytes, bytes]) -> None:
    """A placeholder paragraph where the table goes; the table's XML replaces
    it in the saved document.xml (see docx_table for why)."""
    # lxml writes this element exactly so; text never serialises to "<w:p",
    # since its "<" is escaped, so the placeholder cannot be met elsewhere
    marker = f"{PLACEHOLDER_RSID + len(tables):08X}"
    paragraph_xml(word.add_paragraph()).set(qn("w:rsidR"), marker)
    tables[f'<w:p w:rsidR="{marker}"/>'.encode()] = xml.encode()


def _table_styles(word: docx.document.Document, layout: Layout) -> tuple[str, str]:
    """The style ids of the tables' grid and of their cells' paragraphs."""
    try:
        text_style = word.styles[TABLE_TEXT_STYLE]  # the first table adds it
    except KeyError:
        text_style = _table_text_style(word, layout)
    return word.styles["Table Grid"].style_id, text_style.style_id


PLACEHOLDER_RSID = 0x0E1A0000


TABLE_TEXT_STYLE = "Table Text"


def _table_text_style(word: docx.document.Document, layout: Layout):
    """The paragraph style of every table cell: the table's size, no space
    after (the grid separates the rows) and single line spacing."""
    style = word.styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = word.styles["Normal"]
    style.font.size = Pt(layout.fonts.table_pt)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    return style


def _package(data: bytes, document: Document, tables: dict[bytes, bytes]) -> bytes:
    """The saved package again, with the tables in place of their placeholders
    and every entry stamped with the document's time, not the time of saving
    (python-docx stamps the clock), so the same content gives the same bytes."""
    stamp = max(document.created.timetuple()[:6], ZIP_EPOCH)
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/document.xml":
                for placeholder, table in tables.items():
                    if content.count(placeholder) != 1:
                        raise ValueError(f"table placeholder {placeholder!r} not found once in document.xml")
                    content = content.replace(placeholder, table)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, content)
    return output.getvalue()


def _shortened(text: str) -> str:
    """A property's text, cut with "…" where it is longer than a property holds."""
    return text if len(text) <= CORE_PROPERTY_LENGTH else text[: CORE_PROPERTY_LENGTH - 1] + "…"
