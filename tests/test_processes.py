"""The command's process machinery (builder/processes.py): the render
process, forked once the documents are made, renders the PDF of what it
inherits, its failures reach the build as errors with their tracebacks, it
is never left behind, and the library renders in the caller's process. Where
the tests name both ways, the one with the render process and the one
without (``OVERSIKT_PROCESSES=0``, as on Windows) are both run."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import textwrap

import docx
import pytest
from edits import replace
from platforms import needs_fork, needs_sigkill, needs_two_cores
from readback import pdf_text

from builder.build import build, prepare
from builder.cli import main
from builder.diagnostics import ContentError
from builder.model import Document, Title
from builder.processes import forking, render_beside
from builder.writers import MissingGlyphs, writer

A, T = "agreements.yaml", "text/innledning.md"


@pytest.fixture(autouse=True)
def processes_when_asked(monkeypatch):
    """Processes wherever the system has them, however busy the machine
    running the tests is; a test that wants none sets 0."""
    monkeypatch.setenv("OVERSIKT_PROCESSES", "1")


@pytest.fixture(params=["processes", "in-process"])
def way(request, monkeypatch) -> str:
    """Each test that takes this runs with render processes and without."""
    if request.param == "processes":
        if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
            pytest.skip("no fork, or one core: only the in-process way exists here")
    else:
        monkeypatch.setenv("OVERSIKT_PROCESSES", "0")
    assert forking() == (request.param == "processes")
    return request.param


@needs_fork
@needs_two_cores
def test_by_default_the_render_process_is_used_unless_the_cores_are_overloaded(monkeypatch):
    monkeypatch.delenv("OVERSIKT_PROCESSES")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (2.5, 0.5, 0.5))
    assert forking()
    monkeypatch.setattr(os, "getloadavg", lambda: (3.2, 0.5, 0.5))
    assert not forking()
    monkeypatch.setenv("OVERSIKT_PROCESSES", "1")
    assert forking()


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **env}
    )


def _rendered(jobs: list, formats: tuple[str, ...]) -> list[dict[str, bytes]]:
    """As the build renders: beside a render process where one may be forked, else here."""
    if forking():
        return render_beside(jobs, formats)
    return [{fmt: writer(fmt)(*job) for fmt in formats} for job in jobs]


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The ids of the processes forked while the test runs."""
    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forked


def _python_path(first: str) -> str:
    """``first``, then the path the tests run with (which finds this oversikt)."""
    return os.pathsep.join(path for path in (first, os.environ.get("PYTHONPATH", "")) if path)


@needs_fork
@needs_two_cores
def test_the_render_process_renders_the_pdf_of_what_the_build_made(content_dir, tmp_path, forks):
    prepared = prepare(content_dir)
    (files,) = render_beside([(prepared.document, prepared.layout)], ("docx", "pdf"))
    assert len(forks) == 1, "one render process, on a machine with more than one core"
    assert _reaped(forks[0])
    (tmp_path / "a.docx").write_bytes(files["docx"])
    (tmp_path / "a.pdf").write_bytes(files["pdf"])
    title = prepared.document.title
    assert docx.Document(str(tmp_path / "a.docx")).paragraphs[0].text == title
    assert title in pdf_text(tmp_path / "a.pdf")


@needs_fork
@needs_two_cores
def test_the_documents_are_inherited_not_pickled(content_dir, monkeypatch, forks):
    """The render process is forked once the documents are made: it has
    them, and the fonts they were measured with, without a copy sent."""

    def refuse(self, protocol):
        raise AssertionError("a document was pickled")

    prepared = prepare(content_dir)
    monkeypatch.setattr(Document, "__reduce_ex__", refuse)
    (files,) = render_beside([(prepared.document, prepared.layout)], ("pdf", "html"))
    assert len(forks) == 1 and files["pdf"].startswith(b"%PDF")


def test_no_render_process_for_formats_it_does_not_render(content_dir, forks):
    prepared = prepare(content_dir)
    (files,) = render_beside([(prepared.document, prepared.layout)], ("docx", "html"))
    assert forks == [] and sorted(files) == ["docx", "html"]


@pytest.mark.parametrize("chosen", [[], ["--format", "html,pdf,docx"]])
def test_both_ways_give_the_same_bytes(content_dir, tmp_path, monkeypatch, chosen):
    """The render process is speed machinery only: the outputs are the same without it."""
    outputs = {}
    for setting in ("1", "0"):
        monkeypatch.setenv("OVERSIKT_PROCESSES", setting)
        assert main(["build", str(content_dir), "--out", str(tmp_path / setting), *chosen]) == 0
        outputs[setting] = {path.name: path.read_bytes() for path in (tmp_path / setting).iterdir()}
    assert outputs["1"] == outputs["0"] and len(outputs["1"]) == (3 if chosen else 2)


@pytest.mark.parametrize(
    ("written", "made"),
    [
        ("formats: [pdf]\n", [".pdf"]),
        ("formats:\n  - html\n  - docx   # a block list, as an editor may write it\n", [".docx", ".html"]),
    ],
)
def test_report_yamls_formats_are_what_the_command_builds(make_edition, tmp_path, written, made, way):
    """Whatever formats report.yaml chooses, with the PDF or without, are built."""
    content = make_edition()
    (content / "report.yaml").write_text((content / "report.yaml").read_text("utf-8") + written, "utf-8")
    assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 0
    assert sorted(path.suffix for path in (tmp_path / "out").iterdir()) == made


# Counts the openings of report.yaml by the command, then by the library's
# build() alone, in the same process
_COUNTING_OPENS = textwrap.dedent(
    """
    import sys
    opened = []
    def hook(event, args):
        if event == "open" and str(args[0]).endswith("report.yaml"):
            opened.append(str(args[0]))
    sys.addaudithook(hook)
    from builder.cli import main
    from builder.build import build
    content, out, *chosen = sys.argv[1:]
    code = main(["build", content, "--out", out, *chosen])
    by_the_command = len(opened)
    opened.clear()
    build(content, out + "-library", tuple(chosen[1].split(",")) if chosen else None)
    print(code, by_the_command, len(opened))
    """
)


@pytest.mark.parametrize("chosen", [[], ["--format", "docx"]])
def test_the_build_command_reads_report_yaml_no_more_than_the_library(content_dir, tmp_path, chosen, way):
    """The formats are not glanced at before the content is read: the
    command opens report.yaml only as the library's build() does."""
    result = _run("-c", _COUNTING_OPENS, str(content_dir), str(tmp_path / "out"), *chosen)
    code, by_the_command, by_the_library = result.stdout.split()[-3:]
    assert code == "0" and by_the_command == by_the_library, result.stderr


def test_the_library_renders_in_the_callers_process(content_dir, tmp_path, monkeypatch):
    def no_fork():
        raise AssertionError("build() forked without being asked to")

    monkeypatch.setattr(os, "fork", no_fork, raising=False)
    written, _ = build(content_dir, tmp_path)
    assert sorted(path.suffix for path in written) == [".docx", ".pdf"]
    assert "Lillehammer" in pdf_text(tmp_path / "oversikt-2019.pdf")


def test_a_build_that_finds_errors_forks_nothing(make_edition, tmp_path, way, forks):
    content = make_edition(replace(A, "Med Ringebu", "Med\vRingebu"))
    with pytest.raises(ContentError):
        build(content, tmp_path / "out", ("docx", "pdf"), processes=True)
    assert forks == []
    assert not (tmp_path / "out").exists()


def test_a_character_the_pdf_cannot_draw_comes_back_from_its_process(content_dir, way):
    prepared = prepare(content_dir)
    document = prepared.document
    blocks = tuple(
        dataclasses.replace(block, text=block.text + " 中") if isinstance(block, Title) else block
        for block in document.blocks
    )
    with pytest.raises(MissingGlyphs) as raised:
        _rendered([(dataclasses.replace(document, blocks=blocks), prepared.layout)], ("docx", "pdf"))
    assert raised.value.characters == {"中"}


def test_a_writers_exception_comes_back_with_its_traceback(content_dir, way):
    """A bug in a writer, raised in its process, is raised in the build with
    where it happened: the writer's own frames, sent as text."""
    prepared = prepare(content_dir)
    broken = dataclasses.replace(prepared.layout, fonts=None)  # no writer expects this
    with pytest.raises(Exception) as raised:
        _rendered([(prepared.document, broken)], ("pdf",))
    error = raised.value
    assert not isinstance(error, (ContentError, MissingGlyphs))
    if way == "processes":
        assert error.__cause__ is not None, "the render process's traceback, as text"
        frames = str(error.__cause__)
    else:
        frames = "".join(__import__("traceback").format_tb(error.__traceback__))
    assert "builder/writers/pdf" in frames.replace("\\", "/")


def test_the_glyph_problem_is_reported_with_the_others(make_edition, tmp_path, capsys, monkeypatch, way):
    """The PDF's process checks the characters when all else is well; when
    something else is wrong, the check is made at once, so one run names all."""
    content = make_edition(replace(A, "Med Ringebu", "Med 中 Ringebu"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "igår")
    assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "har ikke tegnet U+4E2D" in err and "SOURCE_DATE_EPOCH er 'igår'" in err
    assert "2 feil" in err


def test_a_docx_only_build_still_refuses_what_the_pdf_cannot_draw(make_edition, tmp_path, capsys, way):
    """The same content gives the same verdict whichever formats are built."""
    content = make_edition(replace(A, "Med Ringebu", "Med 中 Ringebu"))
    assert main(["build", str(content), "--out", str(tmp_path / "out"), "--format", "docx"]) == 1
    assert "har ikke tegnet U+4E2D" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# In place of the render process's work (found there by name: the fork has this module)
def _killed(fmt: str) -> None:
    import signal

    os.kill(os.getpid(), signal.SIGKILL)


def _terminated(fmt: str) -> None:
    import signal

    os.kill(os.getpid(), signal.SIGTERM)


@needs_fork
@needs_two_cores
@needs_sigkill
def test_a_process_that_dies_is_an_internal_error_not_a_hang(content_dir, monkeypatch):

    prepared = prepare(content_dir)
    monkeypatch.setattr("builder.processes._render_inherited", _killed)
    with pytest.raises(RuntimeError, match="the pdf writer stopped"):
        render_beside([(prepared.document, prepared.layout)], ("pdf",))


@needs_fork
@needs_two_cores
@needs_sigkill
def test_a_process_ended_by_sigterm_ends_the_build_as_sigterm_would(content_dir, monkeypatch):
    """SIGTERM sent to the whole process group (a CI job's time-out) may end
    the render process before this one's handler runs: that is the command
    being terminated (exit 143), not an internal error."""

    from builder.processes import Terminated

    prepared = prepare(content_dir)
    monkeypatch.setattr("builder.processes._render_inherited", _terminated)
    with pytest.raises(Terminated):
        render_beside([(prepared.document, prepared.layout)], ("pdf",))


def test_on_one_core_the_formats_render_here(content_dir, tmp_path, monkeypatch, forks):
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    written, _ = build(content_dir, tmp_path, ("docx", "pdf"), processes=True)
    assert forks == []
    assert sorted(path.suffix for path in written) == [".docx", ".pdf"]
    assert "Lillehammer" in pdf_text(tmp_path / "oversikt-2019.pdf")


def test_every_members_missing_characters_are_named(make_edition, tmp_path, capsys, way):
    """The PDF's writer stops at the first edition with a character its fonts
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


# What only the PDF's render process draws with: the main process reads,
# checks, assembles and measures (reportlab's fonts), then renders the other
# formats while the PDF renders beside it; platypus, the canvas and pikepdf
# loaded there would be time the build waits for and nothing uses
DRAWN_IN_THE_RENDER_PROCESS = ("reportlab.platypus", "reportlab.pdfgen", "pikepdf")


@needs_fork
@needs_two_cores
def test_the_main_process_loads_no_pdf_drawing_library(content_dir, tmp_path):
    """Seen at the moment of the fork and at the end of a three-format build:
    the main process measured with reportlab's fonts but never loaded the
    PDF's drawing libraries (platypus alone took some 50 ms)."""
    script = textwrap.dedent(
        f"""
        import json, os, sys
        seen = []
        real_fork = os.fork
        def fork():
            seen.append(sorted(sys.modules))
            return real_fork()
        os.fork = fork
        from builder.cli import main
        code = main(["build", {str(content_dir)!r}, "--out", {str(tmp_path)!r}, "--format", "docx,pdf,html"])
        print(json.dumps([code, seen, sorted(sys.modules)]))
        """
    )
    result = _run("-c", script, OVERSIKT_PROCESSES="1")
    code, seen, at_the_end = json.loads(result.stdout.splitlines()[-1])
    assert code == 0 and len(seen) == 1, result.stderr
    for modules in (*seen, at_the_end):
        assert "reportlab.pdfbase.ttfonts" in modules, "the columns are measured with the PDF's fonts here"
        drawn = [name for name in modules if name.startswith(DRAWN_IN_THE_RENDER_PROCESS)]
        assert not drawn, drawn


# a pikepdf that cannot be loaded, as after an upgrade that went wrong
BROKEN_PIKEPDF = "raise ImportError('libqpdf.so.29: cannot open shared object file')\n"


@pytest.mark.parametrize("processes", ["1", "0"])
def test_a_writer_that_cannot_be_loaded_says_why(content_dir, tmp_path, processes):
    (tmp_path / "broken" / "pikepdf").mkdir(parents=True)
    (tmp_path / "broken" / "pikepdf" / "__init__.py").write_text(BROKEN_PIKEPDF)
    env = {"PYTHONPATH": _python_path(str(tmp_path / "broken")), "OVERSIKT_PROCESSES": processes}
    result = _run("-m", "builder", "build", str(content_dir), "--out", str(tmp_path / "out"), **env)
    assert result.returncode == 3, result.stderr
    assert "intern feil" in result.stderr and "libqpdf.so.29: cannot open shared object file" in result.stderr
    assert "stopped (exit code" not in result.stderr
    assert "Traceback" not in result.stderr, "the traceback only when asked for"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("asked", ["--debug", "OVERSIKT_DEBUG=1"])
@pytest.mark.parametrize("processes", ["1", "0"])
def test_debug_shows_the_traceback_of_an_internal_error(content_dir, tmp_path, processes, asked):
    """With --debug or OVERSIKT_DEBUG=1, an internal error shows where it
    happened, down to the line in the render process that raised it."""
    (tmp_path / "broken" / "pikepdf").mkdir(parents=True)
    (tmp_path / "broken" / "pikepdf" / "__init__.py").write_text(BROKEN_PIKEPDF)
    env = {"PYTHONPATH": _python_path(str(tmp_path / "broken")), "OVERSIKT_PROCESSES": processes}
    debug = [asked] if asked == "--debug" else []
    if not debug:
        env["OVERSIKT_DEBUG"] = "1"
    result = _run("-m", "builder", *debug, "build", str(content_dir), "--out", str(tmp_path / "out"), **env)
    assert result.returncode == 3, result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert os.path.join("broken", "pikepdf", "__init__.py") in result.stderr
    assert "builder/writers/pdf" in result.stderr.replace("\\", "/")
    assert result.stderr.rstrip().splitlines()[-1].startswith("oversikt: intern feil")
