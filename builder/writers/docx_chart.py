"""The DOCX's chart: the drawing the PDF shows, rendered as a PNG picture
with the chart's text alternative as the picture's description, its title
as a caption above it and its note, if any, below it.

Word has no vector format reportlab can write, and python-docx no chart API;
pdfium (pypdfium2) rasterises the drawing exactly as the PDF draws it.
"""

from __future__ import annotations

import io

import docx
from docx.shared import Cm, Pt

from builder.adapters.docx import picture_properties
from builder.model import Chart, Layout

DPI = 200  # sharp on paper, small in the file


def chart_png(chart: Chart, layout: Layout) -> tuple[bytes, float]:
    """The chart as PNG bytes, and its width in cm."""
    import pypdfium2
    from reportlab.graphics import renderPDF

    from builder.measure.fonts import register_fonts
    from builder.writers.chart_drawing import chart_drawing

    drawing = chart_drawing(chart, layout, register_fonts(layout, ("regular",))["regular"])
    pdf = pypdfium2.PdfDocument(renderPDF.drawToString(drawing))
    try:
        image = pdf[0].render(scale=DPI / 72, grayscale=False).to_pil()
    finally:
        pdf.close()
    output = io.BytesIO()
    image.convert("RGB").save(output, format="PNG", optimize=True)
    return output.getvalue(), drawing.width / 72 * 2.54


def add_chart(word: docx.document.Document, chart: Chart, layout: Layout) -> None:
    caption = word.add_paragraph()
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(layout.space_after_pt * 2)
    title = caption.add_run(chart.title)
    title.bold = True
    title.font.size = Pt(layout.fonts.body_pt)
    png, width_cm = chart_png(chart, layout)
    holder = word.add_paragraph()
    picture = holder.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    properties = picture_properties(picture)
    properties.set("name", chart.title)
    properties.set("descr", chart.alt_text)
    if chart.note:
        holder.paragraph_format.keep_with_next = True
        note = word.add_paragraph().add_run(chart.note)
        note.font.size = Pt(layout.fonts.table_pt)
