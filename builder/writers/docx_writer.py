"""Renders a :class:`Document` as a Word file an editor can keep editing:
Title and Heading styles, Word bullet lists, one table with a repeating
header row, merged category rows and page numbers in the footer.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table

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

LIST_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")


def render_docx(document: Document, layout: Layout) -> bytes:
    word = docx.Document()
    _page(word, layout)
    _styles(word, document, layout)
    _properties(word, document)
    _footer(word, document, layout)
    for block in document.blocks:
        if isinstance(block, Title):
            word.add_paragraph(block.text, style="Title")
        elif isinstance(block, Heading):
            _runs(word.add_paragraph(style=f"Heading {min(block.level, 3)}"), block.runs)
        elif isinstance(block, Paragraph):
            _runs(word.add_paragraph(), block.runs)
        elif isinstance(block, BulletList):
            _list(word, block.items, 0)
        elif isinstance(block, AgreementTable):
            _table(word, block, layout)
        elif isinstance(block, DataTable):
            _data_table(word, block, layout)
        elif isinstance(block, Chart):
            from builder.writers.docx_chart import add_chart  # only documents with a chart need reportlab

            add_chart(word, block, layout)
    buffer = io.BytesIO()
    word.save(buffer)
    return _reproducible_zip(buffer.getvalue(), document)


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
    for level in (1, 2, 3):
        _font(word.styles[f"Heading {level}"], fonts.family, fonts.heading_pt, color)


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


def _properties(word: docx.document.Document, document: Document) -> None:
    core = word.core_properties
    core.title = document.title
    core.subject = document.subject
    core.language = document.language_tag
    core.author = ""
    core.last_modified_by = ""
    core.comments = ""
    core.keywords = ""
    core.revision = 1
    core.created = core.modified = document.created
    core.last_printed = document.created


def _footer(word: docx.document.Document, document: Document, layout: Layout) -> None:
    paragraph = word.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, _, after = document.footer_page_label.partition("{page}")
    if before:
        paragraph.add_run(before).font.size = Pt(layout.fonts.footer_pt)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    number.append(text)
    field.append(number)
    paragraph._p.append(field)
    if after:
        paragraph.add_run(after).font.size = Pt(layout.fonts.footer_pt)


def _runs(paragraph, runs: Inline) -> None:
    for run in runs:
        parts = run.text.split("\n")
        for index, part in enumerate(parts):
            word_run = paragraph.add_run(part)
            word_run.italic = run.emphasis or None
            word_run.bold = run.strong or None
            if index < len(parts) - 1:
                word_run.add_break()


def _list(word: docx.document.Document, items: tuple[ListItem, ...], depth: int) -> None:
    style = LIST_STYLES[min(depth, len(LIST_STYLES) - 1)]
    for item in items:
        _runs(word.add_paragraph(style=style), item.runs)
        _list(word, item.children, depth + 1)


def _table(word: docx.document.Document, table: AgreementTable, layout: Layout) -> None:
    rows = 1 + sum(1 + len(group.rows) for group in table.groups)
    columns = len(table.header)
    grid = word.add_table(rows=rows, cols=columns)
    grid.style = word.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = layout.column_widths_cm(table.member_count)
    _table_properties(grid, table, layout.table.cell_padding_pt)
    size = Pt(layout.fonts.table_pt)
    header = grid.rows[0]
    _row_flags(header, header_row=True)
    for index, label in enumerate(table.header):
        cell = header.cells[index]
        _cell_text(cell, label, size, bold=True, center=0 < index < columns - 1 and index != 1)
        _shade(cell, layout.table.header_shading)
    row_index = 1
    for group in table.groups:
        row = grid.rows[row_index]
        _row_flags(row)
        merged = row.cells[0].merge(row.cells[columns - 1])
        _cell_text(merged, group.heading, size, bold=True)
        _shade(merged, layout.table.category_shading)
        row_index += 1
        for agreement in group.rows:
            row = grid.rows[row_index]
            _row_flags(row)
            cells = row.cells
            paragraph = cells[0].paragraphs[0]
            _runs(paragraph, agreement.name)
            for run in paragraph.runs:
                run.font.size = size
            _cell_text(cells[1], agreement.form, size)
            for offset, mark in enumerate(agreement.marks):
                _cell_text(cells[2 + offset], table.mark if mark else "", size, center=True)
            _cell_text(cells[columns - 1], agreement.comment, size)
            row_index += 1
    # Word reads the widths of the cells, LibreOffice those of the grid: set both
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    # the table's paragraphs need no space after; the grid separates them
    for row in grid.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.line_spacing = 1.0


def _data_table(word: docx.document.Document, table: DataTable, layout: Layout) -> None:
    """A plain grid: a shaded header row that repeats, the first column naming
    the rows, the other columns (counts) centred."""
    grid = word.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = word.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _table_properties(grid, table, layout.table.cell_padding_pt)
    size = Pt(layout.fonts.table_pt)
    widths = layout.data_table_widths_cm(len(table.header))
    for index, (row, texts) in enumerate(zip(grid.rows, (table.header, *table.rows), strict=True)):
        _row_flags(row, header_row=index == 0)
        for column, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            _cell_text(cell, text, size, bold=index == 0, center=column > 0)
            if index == 0:
                _shade(cell, layout.table.header_shading)
            cell.width = Cm(widths[column])
            cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)


def _table_properties(grid: Table, table: AgreementTable | DataTable, padding_pt: float) -> None:
    properties = grid._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margin = OxmlElement(f"w:{side}")
        vertical = side in ("top", "bottom")
        margin.set(qn("w:w"), str(round(padding_pt * (10 if vertical else 20))))  # twentieths of a point
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), table.caption)
    description = OxmlElement("w:tblDescription")
    description.set(qn("w:val"), table.description)
    properties.append(caption)
    properties.append(description)


def _row_flags(row, header_row: bool = False) -> None:
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    properties.append(cant_split)
    if header_row:
        properties.append(OxmlElement("w:tblHeader"))


def _cell_text(cell, text: str, size: Pt, bold: bool = False, center: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        run = paragraph.add_run(text)
        run.font.size = size
        run.bold = bold or None


def _shade(cell, color: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), color)
    cell._tc.get_or_add_tcPr().append(shading)


def _reproducible_zip(data: bytes, document: Document) -> bytes:
    """python-docx stamps each zip entry with the time of saving; use the edition's date."""
    stamp = document.created.timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()
