"""The render processes (builder/parallel.py): started before the content is
read, they render what they are sent, their failures reach the build as
errors, and none is left behind, whatever happens."""

from __future__ import annotations

import dataclasses
import os
import signal

import docx
import pytest
from edits import replace
from readback import pdf_text

from builder.build import build, prepare
from builder.cli import main
from builder.diagnostics import ContentError
from builder.model import Title
from builder.parallel import Renderers
from builder.writers import MissingGlyphs

A, T = "agreements.yaml", "text/innledning.md"


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_processes_render_what_the_build_reads(content_dir, tmp_path):
    prepared = prepare(content_dir)
    with Renderers(("docx", "pdf")) as renderers:
        pids = [worker.pid for worker in renderers._workers.values()]
        assert len(pids) == 2, "one process per format on a machine with more than one core"
        (files,) = renderers.render([(prepared.document, prepared.layout)])
    assert all(_reaped(pid) for pid in pids)
    (tmp_path / "a.docx").write_bytes(files["docx"])
    (tmp_path / "a.pdf").write_bytes(files["pdf"])
    title = prepared.document.title
    assert docx.Document(str(tmp_path / "a.docx")).paragraphs[0].text == title
    assert title in pdf_text(tmp_path / "a.pdf")


def test_processes_never_sent_work_are_ended(make_edition, tmp_path):
    """A build that finds errors sends nothing; its processes must not linger."""
    content = make_edition(replace(A, "Med Ringebu", "Med\vRingebu"))
    renderers = Renderers(("docx", "pdf"))
    pids = [worker.pid for worker in renderers._workers.values()]
    with pytest.raises(ContentError):
        build(content, tmp_path / "out", ("docx", "pdf"), renderers=renderers)
    assert all(_reaped(pid) for pid in pids)
    assert not (tmp_path / "out").exists()


def test_a_character_the_pdf_cannot_draw_comes_back_from_its_process(content_dir):
    prepared = prepare(content_dir)
    document = prepared.document
    blocks = tuple(
        dataclasses.replace(block, text=block.text + " 中") if isinstance(block, Title) else block
        for block in document.blocks
    )
    with Renderers(("pdf",)) as renderers, pytest.raises(MissingGlyphs) as raised:
        renderers.render([(dataclasses.replace(document, blocks=blocks), prepared.layout)])
    assert raised.value.characters == {"中"}


def test_the_glyph_problem_is_reported_with_the_others(make_edition, tmp_path, capsys, monkeypatch):
    """The PDF's process checks the characters when all else is well; when
    something else is wrong, the check is made at once, so one run names all."""
    content = make_edition(replace(A, "Med Ringebu", "Med 中 Ringebu"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "igår")
    assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "har ikke tegnet U+4E2D" in err and "SOURCE_DATE_EPOCH er 'igår'" in err
    assert "2 feil" in err


def test_a_docx_only_build_still_refuses_what_the_pdf_cannot_draw(make_edition, tmp_path, capsys):
    """The same content gives the same verdict whichever formats are built."""
    content = make_edition(replace(A, "Med Ringebu", "Med 中 Ringebu"))
    assert main(["build", str(content), "--out", str(tmp_path / "out"), "--format", "docx"]) == 1
    assert "har ikke tegnet U+4E2D" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_process_that_dies_is_an_internal_error_not_a_hang(content_dir):
    prepared = prepare(content_dir)
    with Renderers(("pdf",)) as renderers:
        (worker,) = renderers._workers.values()
        os.kill(worker.pid, signal.SIGKILL)
        with pytest.raises(RuntimeError, match="the pdf writer stopped"):
            renderers.render([(prepared.document, prepared.layout)])


def test_on_one_core_the_formats_render_here(content_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    renderers = Renderers(("docx", "pdf"))
    assert renderers._workers == {}
    written, _ = build(content_dir, tmp_path, ("docx", "pdf"), renderers=renderers)
    assert sorted(path.suffix for path in written) == [".docx", ".pdf"]
    assert "Lillehammer" in pdf_text(tmp_path / "oversikt-2019.pdf")


def test_every_members_missing_characters_are_named(make_edition, tmp_path, capsys):
    """The PDF's process stops at the first edition with a character its fonts
    lack; the build still names those of every member's edition."""
    content = make_edition(
        replace(A, "comment: Med Ringebu", "comment: Med 中 Ringebu"),
        replace(A, "members: [Lillehammer, Øyer]", "members: [Øyer]"),
        replace(A, 'comment: "Lillehammer vertskommune"', 'comment: "Øyer 漢 vertskommune"'),
    )
    assert main(["build", str(content), "--out", str(tmp_path / "out"), "--member", "all"]) == 1
    err = capsys.readouterr().err
    assert "har ikke tegnet U+4E2D" in err and "har ikke tegnet U+6F22" in err
    assert not (tmp_path / "out").exists()
