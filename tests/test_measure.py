"""The measure step decides the tables' columns and the page once, after
assemble; the writers only read what it decided. Checked on the real
outputs: the widths the DOCX writes are the ones stored on the block, the
fit runs once per table whatever the formats, and a document that skipped
the step is refused by every writer rather than set some other way."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

import builder.measure.columns as columns_module
from builder.build import build, prepare
from builder.measure import measure
from builder.model import AgreementTable, DataTable, NotMeasured
from builder.writers import FORMATS, writer

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import generate  # noqa: E402


def tables(document) -> list[AgreementTable | DataTable]:
    return [block for block in document.blocks if isinstance(block, AgreementTable | DataTable)]


def test_every_table_of_a_prepared_document_is_measured(content_dir):
    prepared = prepare(content_dir, summary=True)
    found = tables(prepared.document)
    assert any(isinstance(table, DataTable) for table in found), "the summary brings a table of counts"
    for table in found:
        assert table.columns is not None
        assert len(table.columns.widths_pt) == len(table.header)
        assert table.columns.centred == tuple(role == "member" for role in table.roles)
        # the widths fill the text area, to the twip
        assert sum(table.columns.twips) == pytest.approx(prepared.layout.usable_width_cm / 2.54 * 72 * 20, abs=1)


def test_the_word_file_has_the_widths_stored_on_the_block(content_dir):
    """The writer reads the measure step's widths: change them on the block
    and the Word file's grid follows, with no second fit to put them back."""
    prepared = prepare(content_dir)
    index, table = next((i, b) for i, b in enumerate(prepared.document.blocks) if isinstance(b, AgreementTable))
    assert table.columns is not None
    twips = table.columns.twips
    moved = [width_pt + (20 if n == 0 else -20 if n == 1 else 0) for n, width_pt in enumerate(table.columns.widths_pt)]
    blocks = list(prepared.document.blocks)
    blocks[index] = replace(table, columns=replace(table.columns, widths_pt=tuple(moved)))
    data = writer("docx")(replace(prepared.document, blocks=tuple(blocks)), prepared.layout)
    grid = docx.Document(io.BytesIO(data)).tables[0]._tbl.find(qn("w:tblGrid"))
    written = [int(column.get(qn("w:w"))) for column in grid.findall(qn("w:gridCol"))]
    assert written == [twips[0] + 400, twips[1] - 400, *twips[2:]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_writer_refuses_a_document_that_was_not_measured(content_dir, fmt):
    prepared = prepare(content_dir)
    blocks = tuple(replace(b, columns=None) if isinstance(b, AgreementTable) else b for b in prepared.document.blocks)
    with pytest.raises(NotMeasured):
        writer(fmt)(replace(prepared.document, blocks=blocks), prepared.layout)


def test_columns_are_fitted_once_per_table_for_every_format(content_dir, tmp_path, monkeypatch):
    """One fit per table for a build of all three formats: before the measure
    step, the build fitted the agreement table in each writer again."""
    fits = []
    real_fit = columns_module.fit
    monkeypatch.setattr(columns_module, "fit", lambda *args: fits.append(args[0]) or real_fit(*args))
    written, _ = build(content_dir, tmp_path, ("docx", "pdf", "html"), summary=True)
    assert len(written) == 3
    assert len(fits) == len(tables(prepare(content_dir, summary=True).document)) == 2


def test_a_table_too_wide_for_a_portrait_page_turns_the_pages(tmp_path):
    """Twelve members with a layout that may not turn their names: the
    measure step sets the pages landscape and fits the table to them."""
    content = generate(tmp_path / "innhold", 30, 12)
    (content / "layouts").mkdir()
    (content / "layouts" / "bred.yaml").write_text("extends: oversikt\ntable:\n  many_members: landscape\n", "utf-8")
    report = content / "report.yaml"
    report.write_text(report.read_text("utf-8").replace("layout: oversikt", "layout: bred"), "utf-8")
    prepared = prepare(content)
    assert prepared.layout.landscape
    (table,) = tables(prepared.document)
    assert table.columns is not None and not any(table.columns.turned)
    assert sum(table.columns.twips) == pytest.approx(prepared.layout.usable_width_cm / 2.54 * 72 * 20, abs=1)
    # measuring again on the landscape layout decides the same: the step is settled
    again, layout = measure(prepared.document, prepared.layout)
    assert layout == prepared.layout and tables(again)[0].columns == table.columns


def test_the_word_and_web_writers_load_no_font_code(content_dir):
    """Rendering DOCX and HTML of a measured document (the 2019 edition has
    no chart) imports neither reportlab nor the measure step's font modules."""
    script = (
        "import pickle, sys\n"
        "document, layout = pickle.loads(sys.stdin.buffer.read())\n"
        "from builder.writers import writer\n"
        "writer('docx')(document, layout); writer('html')(document, layout)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('reportlab', 'builder.measure.')))\n"
        "print(loaded)\n"
    )
    import pickle

    prepared = prepare(content_dir)
    assert not any(block.__class__.__name__ == "Chart" for block in prepared.document.blocks)
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=pickle.dumps((prepared.document, prepared.layout)),
        capture_output=True,
        check=True,
    )
    assert result.stdout.decode().strip() == "[]"


def test_fonts_are_loaded_once_per_process(content_dir, tmp_path):
    """Two builds of every format with the summary's chart, in one process:
    each font file is read once, for the measure step, the PDF and the Word
    file's chart together, and not again for the second build."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from builder.measure import characters\n"
        "loaded = []\n"
        "real_init = characters.KeepingFont.__init__\n"
        "def counting(self, name, filename, **options):\n"
        "    loaded.append(Path(filename).name)\n"
        "    real_init(self, name, filename, **options)\n"
        "characters.KeepingFont.__init__ = counting\n"
        "from builder.build import build\n"
        "for run in ('en', 'to'):\n"
        "    build(sys.argv[1], Path(sys.argv[2]) / run, ('docx', 'pdf', 'html'), summary=True)\n"
        "    print(run, sorted(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(content_dir), str(tmp_path)], capture_output=True, text=True, check=True
    )
    first, second = result.stdout.splitlines()
    # the faces the edition is drawn in (its text has emphasis, no bold italic), each once
    assert first == "en ['Carlito-Bold.ttf', 'Carlito-Italic.ttf', 'Carlito-Regular.ttf']"
    assert second == first.replace("en", "to", 1)
