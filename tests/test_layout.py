"""The official layout holds in both formats: A4 portrait with the layout's
margins, the fonts, a ruled table whose header repeats, bold shaded category
rows across the full width, centred marks and page numbers."""

from __future__ import annotations

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from readback import pdf_text

from builder.diagnostics import Diagnostics
from builder.readers.layout import find_layout, read_layout


@pytest.fixture(scope="module")
def layout(content_dir):
    return read_layout(find_layout("oversikt", content_dir), Diagnostics())


@pytest.fixture(scope="module")
def word(built):
    return docx.Document(str(built["docx"]))


def test_docx_page_is_a4_portrait_with_layout_margins(word, layout):
    section = word.sections[0]
    assert abs(section.page_width - Cm(21)) < Cm(0.01) and abs(section.page_height - Cm(29.7)) < Cm(0.01)
    assert abs(section.left_margin - Cm(layout.margins_cm["left"])) < Cm(0.01)
    assert abs(section.top_margin - Cm(layout.margins_cm["top"])) < Cm(0.01)


def test_docx_fonts_and_language(word, layout):
    assert word.styles["Normal"].font.name == layout.fonts.family
    assert word.styles["Normal"].font.size.pt == layout.fonts.body_pt
    assert word.core_properties.language == "nb-NO"
    assert word.core_properties.title == "Oversikt over interkommunale samarbeid per 1. januar 2019"
    lang = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "nb-NO"


def test_docx_table_header_repeats_rows_do_not_split_and_grid_is_ruled(word):
    (table,) = word.tables
    assert table.style.name == "Table Grid"
    rows = table.rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])


def test_docx_category_rows_merged_bold_and_shaded(word, layout):
    (table,) = word.tables
    categories = [row for row in table.rows if len({id(c._tc) for c in row.cells}) == 1]
    assert len(categories) == 13
    for row in categories:
        cell = row.cells[0]
        assert cell._tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(len(table.columns))
        assert cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == layout.table.category_shading
        assert all(run.bold for run in cell.paragraphs[0].runs)


def test_docx_marks_centred_and_see_below_italic(word):
    (table,) = word.tables
    marks = [cell for row in table.rows[1:] for cell in row.cells[2:5] if cell.text == "x"]
    assert marks and all(cell.paragraphs[0].alignment == 1 for cell in marks)  # WD_ALIGN_PARAGRAPH.CENTER
    see_below = [run for row in table.rows for run in row.cells[0].paragraphs[0].runs if run.text == "Se under*"]
    assert len(see_below) == 1 and see_below[0].italic


def test_docx_footer_has_a_page_number_field(word):
    footer = word.sections[0].footer.paragraphs[0]._p
    fields = footer.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
    assert footer.xpath("string(.)").startswith("Side ")


def test_pdf_pages_are_a4_with_fonts_embedded(built):
    with pikepdf.open(built["pdf"]) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            width, height = float(page.mediabox[2]), float(page.mediabox[3])
            assert (round(width), round(height)) == (595, 842)
        fonts = {}
        for page in pdf.pages:
            for font in page.resources.get("/Font", {}).values():
                fonts[str(font.get("/BaseFont"))] = font
        assert any("Carlito" in name for name in fonts)
        for font in fonts.values():
            descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = descendant.FontDescriptor
            assert "/FontFile2" in descriptor, f"{font.BaseFont} is not embedded"
            assert "/ToUnicode" in font


def test_pdf_metadata_title_and_language(built):
    with pikepdf.open(built["pdf"]) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Oversikt over interkommunale samarbeid per 1. januar 2019"
        assert str(pdf.Root.Lang) == "nb-NO"


def test_pdf_page_numbers_in_footer(built):
    with pikepdf.open(built["pdf"]) as pdf:
        count = len(pdf.pages)
    text = pdf_text(built["pdf"])
    for number in range(1, count + 1):
        assert f"Side {number}" in text
