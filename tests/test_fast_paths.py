"""The fast paths the writers take for large registers give the same document
as the readable, slow way of making it.

- DOCX: the table written as one XML string (builder/writers/docx_table.py)
  against the same table built cell by cell with python-docx's table API.
- PDF: cells drawn as pre-broken lines (pdf_text.plain_lines), against every cell as a
  reportlab paragraph; same structure tree, same text in every element, same
  table read back.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from readback import docx_tables, pdf_structure, pdf_table_rows

from builder.build import prepare
from builder.model import AgreementTable, measured
from builder.writers import pdf_text
from builder.writers.docx_writer import render_docx
from builder.writers.pdf_writer import render_pdf

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import generate  # noqa: E402


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A register of 100 agreements × 8 members: five pages, the header repeated on each."""
    return prepare(generate(tmp_path_factory.mktemp("large") / "content", 100, 8))


@pytest.fixture(scope="module", params=["content", "large"])
def prepared(request, content_dir, large):
    return prepare(content_dir) if request.param == "content" else large


# --- DOCX --------------------------------------------------------------------


def slow_docx_table(table: AgreementTable, layout) -> docx.document.Document:
    """The table made the readable way, cell by cell, with python-docx."""
    word = docx.Document()
    columns = len(table.header)
    grid = word.add_table(rows=0, cols=columns)
    grid.style = word.styles["Table Grid"]
    fitted = measured(table)
    widths = fitted.twips
    size = Pt(layout.fonts.table_pt)

    def fill(cell, runs, centred=False, color=None, keep_with_next=False):
        paragraph = cell.paragraphs[0]
        # the header and category rows keep with the row below them
        paragraph.paragraph_format.keep_with_next = keep_with_next or None
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in runs:
            if run.text:
                added = paragraph.add_run(run.text)
                added.bold = run.strong or None
                added.italic = run.emphasis or None
                added.font.size = size
                if color:
                    added.font.color.rgb = RGBColor.from_string(color)

    def shade(cell, fill_color):
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), fill_color)
        cell._tc.get_or_add_tcPr().append(shading)

    from builder.model import Run

    header = grid.add_row()
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    if any(fitted.turned):
        header.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        header.height = Twips(round((fitted.turned_length_pt + layout.table.cell_padding_pt) * 20))
    for index, label in enumerate(table.header):
        turned = fitted.turned[index]
        fill(
            header.cells[index], (Run(label, strong=True),), centred=1 < index < columns - 1 and not turned,
            keep_with_next=True,
        )  # fmt: skip
        shade(header.cells[index], layout.table.header_shading)
        if turned:
            direction = OxmlElement("w:textDirection")
            direction.set(qn("w:val"), "btLr")
            header.cells[index]._tc.get_or_add_tcPr().append(direction)
            header.cells[index].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for group in table.groups:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        fill(merged, (Run(group.heading, strong=True),), color=layout.table.category_text, keep_with_next=True)
        shade(merged, layout.table.category_shading)
        for agreement in group.rows:
            cells = grid.add_row().cells
            fill(cells[0], agreement.name)
            fill(cells[1], (Run(agreement.form),))
            for offset, mark in enumerate(agreement.marks):
                fill(cells[2 + offset], (Run(table.mark),) if mark else (), centred=True)
            fill(cells[-1], (Run(agreement.comment),))
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Twips(width)
    return word


def docx_table_summary(table) -> list:
    """What a reader of the table sees, row by row: header flag and height, and per cell
    its span, shading, alignment, whether it keeps with the next row, text
    direction and runs with their formatting."""
    rows = []
    for row in table.rows:
        header = row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None
        header = (header, row.height, row.height_rule)
        cells = []
        for tc in row._tr.findall(qn("w:tc")):
            properties = tc.tcPr
            span = properties.find(qn("w:gridSpan")) if properties is not None else None
            shading = properties.find(qn("w:shd")) if properties is not None else None
            paragraphs = tc.findall(qn("w:p"))
            runs = []
            for paragraph in paragraphs:
                for run in paragraph.findall(qn("w:r")):
                    run_properties = run.find(qn("w:rPr"))
                    bold = run_properties is not None and run_properties.find(qn("w:b")) is not None
                    italic = run_properties is not None and run_properties.find(qn("w:i")) is not None
                    color = run_properties.find(qn("w:color")) if run_properties is not None else None
                    text = "".join(t.text or "" for t in run.findall(qn("w:t")))
                    runs.append((text, bold, italic, color.get(qn("w:val")) if color is not None else None))
            centred = any(
                p.pPr is not None
                and p.pPr.find(qn("w:jc")) is not None
                and p.pPr.find(qn("w:jc")).get(qn("w:val")) == "center"
                for p in paragraphs
            )
            keep_with_next = any(p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None for p in paragraphs)
            direction = properties.find(qn("w:textDirection")) if properties is not None else None
            vertical = properties.find(qn("w:vAlign")) if properties is not None else None
            cells.append(
                (
                    int(span.get(qn("w:val"))) if span is not None else 1,
                    shading.get(qn("w:fill")) if shading is not None else None,
                    centred,
                    keep_with_next,
                    direction.get(qn("w:val")) if direction is not None else None,
                    vertical.get(qn("w:val")) if vertical is not None else None,
                    runs,
                )
            )
        rows.append((header, cells))
    return rows


def test_docx_fast_table_equals_the_table_built_cell_by_cell(prepared, tmp_path):
    table = next(b for b in prepared.document.blocks if isinstance(b, AgreementTable))
    fast_path = tmp_path / "fast.docx"
    fast_path.write_bytes(render_docx(prepared.document, prepared.layout))
    (fast,) = docx.Document(str(fast_path)).tables
    slow = slow_docx_table(table, prepared.layout).tables[0]
    assert docx_table_summary(fast) == docx_table_summary(slow)
    assert [c.width for c in fast.columns] == [c.width for c in slow.columns]


def test_docx_fast_table_reads_back_like_the_slow_one(prepared, tmp_path):
    table = next(b for b in prepared.document.blocks if isinstance(b, AgreementTable))
    fast_path, slow_path = tmp_path / "fast.docx", tmp_path / "slow.docx"
    fast_path.write_bytes(render_docx(prepared.document, prepared.layout))
    slow_docx_table(table, prepared.layout).save(str(slow_path))
    assert docx_tables(fast_path)[0] == docx_tables(slow_path)[0]


# --- PDF ---------------------------------------------------------------------


def _outline(element) -> list:
    return [(element.role, element.attributes, element.text, [_outline(child) for child in element.children])]


def test_pdf_lines_give_the_same_tree_and_text_as_paragraphs(prepared, tmp_path, monkeypatch):
    fast_path = tmp_path / "fast.pdf"
    fast_path.write_bytes(render_pdf(prepared.document, prepared.layout))
    # the readable path: every cell a reportlab paragraph
    monkeypatch.setattr(pdf_text, "plain_lines", lambda *args: None)
    slow_path = tmp_path / "slow.pdf"
    slow_path.write_bytes(render_pdf(prepared.document, prepared.layout))
    assert _outline(pdf_structure(fast_path)) == _outline(pdf_structure(slow_path))
    fast_rows = pdf_table_rows(fast_path)
    assert fast_rows == pdf_table_rows(slow_path)
    assert fast_rows.count(fast_rows[0]) >= 3, "the table goes over pages, its header row repeated"


def test_pdf_fast_path_was_taken(prepared):
    """Guard for the test above: plain cells really are drawn as lines."""
    styles = pdf_text.Styles(prepared.layout, {"regular": "Helvetica", "bold": "Helvetica-Bold"})
    assert pdf_text.plain_lines("Lillehammer vertskommune", styles.cell, 200) is not None
    # a no-break space takes the fast path too, as the stand-in a paragraph gets (builder.measure.characters)
    assert pdf_text.plain_lines("no\u00a0break", styles.cell, 200).lines == ("no\U000f00a0break",)
    assert pdf_text.plain_lines("x" * 200, styles.cell, 50) is None


def test_pdf_rows_are_as_tall_as_reportlabs_table_makes_them(prepared):
    """The table measures its rows itself, as reportlab's Table would measure the same rows."""
    from reportlab.platypus import Table

    from builder.measure.fonts import register_fonts
    from builder.writers.pdf_table import _flowable, agreement_table
    from builder.writers.pdf_tagging import StructNode, Tagger

    layout = prepared.layout
    styles = pdf_text.Styles(layout, register_fonts(layout))
    table = next(b for b in prepared.document.blocks if isinstance(b, AgreementTable))
    measured = agreement_table(table, layout, styles, Tagger(), StructNode("Document")).measured
    # agreement rows only: in reportlab's Table a category row's placeholder
    # cells are strings in its default font, and only an agreement row is
    # ever split inside (a category row is one line)
    rows = [(row, height) for row, height in zip(measured.rows, measured.heights, strict=True) if not row[1]][:40]
    padding = layout.table.cell_padding_pt
    reference = Table(
        [measured.header, *([_flowable(cell, Tagger()) for cell in cells] for (cells, _), _ in rows)],
        colWidths=measured.widths,
        style=[
            ("FONTNAME", (0, 0), (-1, -1), styles.cell.fontName),
            *((side, (0, 0), (-1, -1), padding) for side in ("LEFTPADDING", "RIGHTPADDING")),
            *((side, (0, 0), (-1, -1), padding / 2) for side in ("TOPPADDING", "BOTTOMPADDING")),
        ],
    )
    reference.wrap(sum(measured.widths), 1e9)
    assert [measured.header_height, *(height for _, height in rows)] == pytest.approx(reference._rowHeights)
