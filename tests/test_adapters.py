"""The adapters' guard: every library internal that builder/adapters relies
on is still there, so an upgrade that removes one fails here, naming it,
rather than somewhere in a build."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADAPTERS = ("reportlab", "reportlab_drawing", "jinja2", "argparse", "openpyxl", "docx", "pikepdf")


def _name(owner: object) -> str:
    return getattr(owner, "__qualname__", None) or getattr(owner, "__name__", repr(owner))


@pytest.mark.parametrize("library", ADAPTERS)
def test_attributes_relied_on_exist(library):
    adapter = importlib.import_module(f"builder.adapters.{library}")
    missing = [f"{_name(owner)}.{name}" for owner, name in adapter.RELIES_ON if not hasattr(owner, name)]
    assert not missing, f"{library} no longer has: {', '.join(missing)}"


def _check_instance(adapter, instances: dict[type, object]) -> None:
    """Each of the adapter's INSTANCE_ATTRIBUTES, on a real object of its class."""
    missing = []
    for cls, name in adapter.INSTANCE_ATTRIBUTES:
        instance = instances[cls]
        assert isinstance(instance, cls)
        if not hasattr(instance, name):
            missing.append(f"{_name(cls)}.{name}")
    assert not missing, f"{adapter.__name__} relies on attributes no longer there: {', '.join(missing)}"


def test_reportlab_internals_on_real_objects(tmp_path):
    # in a process of its own: reportlab keeps fonts, faces and documents' states
    # in module-level registries, and what this check does to them must not
    # reach the builds of the tests that run after it in this process
    result = subprocess.run(
        [sys.executable, __file__, "reportlab", str(tmp_path)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def _reportlab_internals_on_real_objects(tmp_path: Path) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.pdfdoc import PDFDocument, PDFPages
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import ListItem, Paragraph, SimpleDocTemplate
    from reportlab.platypus.flowables import LIIndenter

    from builder.adapters import reportlab as adapter
    from builder.adapters import reportlab_drawing as drawing

    # a copy of the font under a name of its own: reportlab keeps what it read of a
    # font file for every font made from that file, and the builds' fonts must not see this one
    copy = tmp_path / "AdapterGuard.ttf"
    copy.write_bytes((ROOT / "layouts/fonts/Carlito-Regular.ttf").read_bytes())
    font = TTFont("AdapterGuard", str(copy))
    canvas = Canvas(io.BytesIO())
    document = drawing.canvas_document(canvas)
    pdfmetrics.registerFont(font)
    # encoding a line makes the font's state for this document, whose subsets the adapter rewrites
    text = drawing.show_text_operators(canvas, "AdapterGuard", 9.5, "ab (c)")
    assert text.endswith(" 9.5 Tf (ab \\(c\\)) Tj")
    # again, the characters known: encoded from the font's codes, as reportlab's own loop encodes them
    assert drawing.show_text_operators(canvas, "AdapterGuard", 9.5, "ab (c)") == text
    assert drawing._split_string(font, "c(ba", document) == font.splitString("c(ba", document)
    state = font.state[document]
    paragraph = Paragraph("x", ParagraphStyle("guard"))
    _check_instance(adapter, {TTFont: font, TTFontFace: font.face, TTFont.State: state})
    _check_instance(
        drawing,
        {
            Canvas: canvas,
            TTFont: font,
            TTFont.State: state,
            LIIndenter: LIIndenter(paragraph),
            PDFDocument: document,
            PDFPages: document.Pages,
        },
    )
    assert adapter.glyph_map(font)[ord("a")] and adapter.width_map(font)[ord("a")]
    drawn = [list(subset) for subset in state.subsets]
    adapter.rewrite_drawn_codes(font, document, {ord("a"): ord("b")})
    assert ord("a") in drawn[0] and ord("a") not in state.subsets[0]
    # the list's bullet hook: its drawers pass through wrap_bullet
    wrapped = []

    class Hooked(drawing.ListWithBulletHook):
        def wrap_bullet(self, drawer):
            wrapped.append(drawer)
            return drawer

    SimpleDocTemplate(io.BytesIO()).build([Hooked([ListItem(Paragraph("y", ParagraphStyle("guard")))])])
    assert wrapped
    # an uncompressed page's content stream goes to reportlab as bytes, written as drawn
    written = io.BytesIO()
    pages = drawing.BytesPageCanvas(written, pageCompression=0)
    pages.drawString(10, 10, "guard")
    pages.showPage()
    assert isinstance(drawing.canvas_document(pages).Pages.pages[-1].stream, bytes)
    pages.save()
    assert b"(guard) Tj" in written.getvalue()


def test_openpyxl_internals_on_a_read_only_sheet():
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from builder.adapters import openpyxl as adapter

    book = openpyxl.Workbook()
    book.active["A1"] = 1
    saved = io.BytesIO()
    book.save(saved)
    sheet = openpyxl.load_workbook(saved, read_only=True).active
    _check_instance(adapter, {ReadOnlyWorksheet: sheet})
    assert adapter.worksheet_part(sheet) == "xl/worksheets/sheet1.xml"


def test_docx_internals_on_a_real_document():
    import docx
    from docx.shape import InlineShape
    from docx.text.paragraph import Paragraph
    from PIL import Image

    from builder.adapters import docx as adapter

    word = docx.Document()
    paragraph = word.add_paragraph()
    png = io.BytesIO()
    Image.new("RGB", (2, 2)).save(png, "PNG")
    picture = paragraph.add_run().add_picture(png)
    _check_instance(adapter, {Paragraph: paragraph, InlineShape: picture})
    assert adapter.paragraph_xml(paragraph).tag.endswith("}p")
    assert adapter.picture_properties(picture).tag.endswith("}docPr")


def test_pikepdf_bundled_profile():
    from builder.adapters import pikepdf as adapter

    profile = adapter.srgb_profile()
    assert profile[36:40] == b"acsp"  # an ICC profile's signature
    assert b"sRGB" in profile


def test_argparse_speaks_and_restores():
    import argparse

    from builder.adapters import argparse as adapter

    original = argparse._  # type: ignore[attr-defined]
    with adapter.speaking(lambda text: text.upper(), lambda one, many, n: one if n == 1 else many):
        help_text = argparse.ArgumentParser(prog="x").format_help()
    assert "OPTIONS" in help_text or "OPTIONAL ARGUMENTS" in help_text
    assert argparse._ is original  # type: ignore[attr-defined]


def test_jinja2_tree_hook_and_filters():
    from jinja2 import nodes

    from builder.adapters import jinja2 as adapter

    seen = []

    class Sandbox(adapter.TreeRewritingSandbox):
        def rewrite_tree(self, tree: nodes.Template) -> nodes.Template:
            seen.append(tree)
            return tree

    assert Sandbox().from_string("{% for x in [1] %}{{ x }}{% endfor %}").render() == "1"
    assert seen and list(seen[0].find_all(nodes.For))
    assert [list(part) for part in adapter.slice_items([1, 2, 3], 2)] == [[1, 2], [3]]


if __name__ == "__main__":  # test_reportlab_internals_on_real_objects, in its own process
    sys.path.insert(0, str(ROOT))
    _reportlab_internals_on_real_objects(Path(sys.argv[2]))
