"""Every verb that writes replaces all its files or none, also when the
replacing itself fails: a file that Word or Acrobat holds open (made
immutable here with ``chattr +i``, which refuses the rename as Windows does),
or a SIGTERM from a CI job's time-out. The earlier files stay byte for byte,
no temporary or backup is left behind, and the message names the file and
says what to do. What a killed command did leave, the next one clears."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from edits import replace
from platforms import immutable, needs_chattr, needs_resource, needs_sigkill, needs_sigterm_handling
from readback import REFERENCE

from builder.cli import main

CHANGED = replace("report.yaml", "region: Lillehammer-regionen", "region: Gjøvikregionen")


def _state(folder: Path) -> dict[str, tuple[bytes, int] | None]:
    """Every file under ``folder``, hidden ones too, with its bytes and
    modification time; and every folder (whose time changes with any name in it)."""
    return {
        str(path.relative_to(folder)): None if path.is_dir() else (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def _names(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


@needs_chattr
@pytest.mark.parametrize("locked", ["docx", "pdf"])
def test_a_locked_output_leaves_both_earlier_outputs_as_they_were(make_edition, tmp_path, capsys, locked):
    content, out = make_edition(), tmp_path / "out"
    assert main(["build", str(content), "--out", str(out)]) == 0
    earlier = _state(out)
    CHANGED.apply(content)
    capsys.readouterr()

    target = out / f"oversikt-2019.{locked}"
    with immutable(target):
        assert main(["build", str(content), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{target}: error: filen er åpen i et annet program, låst eller skrivebeskyttet" in err
    assert "ingen av filene er endret" in err
    assert ("lukk filen i Word" if locked == "docx" else "lukk filen i Acrobat") in err
    assert "velg en annen mappe" not in err
    assert _state(out) == earlier, "both outputs byte for byte as they were, and nothing else there"

    assert main(["build", str(content), "--out", str(out)]) == 0, "unlocked, the same build goes through"
    assert _state(out) != earlier and _names(out) == sorted(earlier)


@needs_chattr
@pytest.mark.parametrize("locked", ["oversikt-2019-lillehammer.docx", "oversikt-2019-gausdal.pdf"])
def test_every_members_files_are_one_set(make_edition, tmp_path, capsys, locked):
    content, out = make_edition(), tmp_path / "out"
    assert main(["build", str(content), "--out", str(out), "--member", "all"]) == 0
    earlier = _state(out)
    assert len(earlier) == 6 and locked in earlier
    CHANGED.apply(content)

    with immutable(out / locked):
        assert main(["build", str(content), "--out", str(out), "--member", "all"]) == 1
    assert f"{out / locked}: error: filen er åpen i et annet program" in capsys.readouterr().err
    assert _state(out) == earlier


@needs_chattr
@pytest.mark.parametrize("locked", ["report.yaml", "agreements.yaml", "text/innledning.md"])
def test_import_force_over_a_locked_file_changes_nothing(tmp_path, capsys, locked):
    into = tmp_path / "imported"
    assert main(["import", str(REFERENCE), "--into", str(into)]) == 0
    earlier = _state(into)
    assert locked in earlier
    source = tmp_path / "changed.txt"
    source.write_text(REFERENCE.read_text("utf-8").replace("Lillehammer-regionen", "Gjøvikregionen"), "utf-8")
    capsys.readouterr()

    with immutable(into / locked):
        assert main(["import", str(source), "--into", str(into), "--force"]) == 1
    err = capsys.readouterr().err
    assert f"{into / locked}: error: filen er åpen i et annet program, låst eller skrivebeskyttet" in err
    assert "lukk filen i programmet som har den åpen, og prøv igjen" in err
    assert _state(into) == earlier


@needs_chattr
def test_a_publish_that_fails_puts_back_what_it_had_removed(make_edition, tmp_path, capsys):
    """The files of a member that left go in the publish's one step: when the
    last of them cannot go, the two removed before it are put back."""
    content = make_edition(replace("report.yaml", "Gausdal, Øyer]", "Gausdal, Øyer, Sel]"))
    site = tmp_path / "site"
    assert main(["publish", str(content), "--out", str(site)]) == 0
    earlier = _state(site)
    replace("report.yaml", "Gausdal, Øyer, Sel]", "Gausdal, Øyer]").apply(content)
    capsys.readouterr()

    with immutable(site / "sel.html"):  # the last of the three, by name
        assert main(["publish", str(content), "--out", str(site)]) == 1
    assert f"{site / 'sel.html'}: error: filen er åpen i et annet program" in capsys.readouterr().err
    assert _state(site) == earlier

    assert main(["publish", str(content), "--out", str(site)]) == 0
    assert not {"sel.html", "oversikt-2019-sel.pdf", "oversikt-2019-sel.docx"} & set(_names(site))


def _new_edition(verb: str, target: Path, make_edition) -> list[str]:
    if verb == "init":
        return ["init", str(target)]
    return ["roll", str(make_edition()), "--to", "2020-01-01", "--into", str(target)]


@needs_chattr
@pytest.mark.parametrize("verb", ["init", "roll"])
def test_a_new_edition_in_a_locked_folder_is_refused_with_nothing_left(make_edition, tmp_path, capsys, verb):
    parent = tmp_path / "locked"
    parent.mkdir()
    (parent / "notes.txt").write_text("the editor's")
    target = parent / "2020"
    with immutable(parent):
        assert main(_new_edition(verb, target, make_edition)) == 1
    err = capsys.readouterr().err
    assert f"{target}: error: kan ikke lage mappen: ingen tilgang til å skrive her" in err
    assert "Traceback" not in err and "intern feil" not in err
    assert _names(parent) == ["notes.txt"]


@needs_chattr
@pytest.mark.parametrize("verb", ["init", "roll"])
def test_a_locked_empty_target_folder_is_left_as_it_was(make_edition, tmp_path, capsys, verb):
    target = tmp_path / "2020"
    target.mkdir()
    command = _new_edition(verb, target, make_edition)
    before = _names(tmp_path)
    with immutable(target):
        assert main(command) == 1
    assert f"{target}: error: kan ikke lage mappen" in capsys.readouterr().err
    assert _names(tmp_path) == before and list(target.iterdir()) == []


@pytest.mark.parametrize("verb", ["init", "roll"])
def test_a_new_edition_is_made_whole_with_no_scratch_left(make_edition, tmp_path, capsys, verb):
    target = tmp_path / "new" / "2020"
    assert main(_new_edition(verb, target, make_edition)) == 0
    assert main(["check", str(target)]) == 0
    assert [path.name for path in (tmp_path / "new").iterdir()] == ["2020"]


# Runs the command with os.replace made to stop at its Nth call: there it
# either waits to be sent a signal from outside, or is killed on the spot
_STOPPING = textwrap.dedent(
    """
    import os, sys, time
    stop_at, how = int(sys.argv[1]), sys.argv[2]
    calls = 0
    real_replace = os.replace

    def replace(source, target):
        global calls
        calls += 1
        if calls == stop_at:
            if how == "kill":
                os.kill(os.getpid(), 9)
            print("replacing", flush=True)
            time.sleep(60)
        return real_replace(source, target)

    os.replace = replace
    sys.argv[1:] = sys.argv[3:]
    from builder.cli import run
    run()
    """
)


def _stopped_build(content: Path, out: Path, stop_at: int, how: str) -> subprocess.Popen:
    command = [sys.executable, "-c", _STOPPING, str(stop_at), how, "build", str(content), "--out", str(out)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@needs_sigterm_handling
@pytest.mark.parametrize("stop_at", [1, 2], ids=["before-any-replaced", "one-replaced"])
def test_sigterm_during_the_write_puts_everything_back(make_edition, tmp_path, stop_at):
    """SIGTERM is Ctrl-C: sent while the outputs are being replaced (the
    first, or the second when the first is done), the earlier outputs are
    put back and nothing of the build is left."""
    import signal

    content, out = make_edition(), tmp_path / "out"
    assert main(["build", str(content), "--out", str(out)]) == 0
    earlier = _state(out)
    CHANGED.apply(content)

    build = _stopped_build(content, out, stop_at, "wait")
    assert build.stdout.readline() == "replacing\n"
    build.send_signal(signal.SIGTERM)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 143, err
    assert "Traceback" not in err
    assert _state(out) == earlier


@needs_sigkill
def test_the_next_build_clears_what_a_killed_one_left(make_edition, tmp_path):
    """SIGKILL cannot be handled: the temporaries stay until the next build
    into the folder, which clears them (and those of earlier versions), and
    nothing of the editor's."""
    content, out = make_edition(), tmp_path / "out"
    assert main(["build", str(content), "--out", str(out)]) == 0
    editors = [".oversikt-2019.pdf.tmp", "oversikt-2019.pdf.oversikt-tmp", ".notes.abcdefgh.tmp", "~$ersikt-2019.docx"]
    for name in editors:
        (out / name).write_text("the editor's")
    earlier_versions = [".oversikt-2019.pdf.k2j4_x9a.tmp", ".oversikt-2019-oyer.docx.0abcdefg.tmp"]
    for name in earlier_versions:
        (out / name).write_text("left by an earlier version")
    CHANGED.apply(content)

    killed = _stopped_build(content, out, 2, "kill")
    killed.communicate(timeout=60)
    assert killed.returncode == -9
    left = [name for name in _names(out) if name.endswith(".oversikt-tmp") and name not in editors]
    assert len(left) == 3, "the PDF's temporary and both backups (the DOCX is replaced)"

    assert main(["build", str(content), "--out", str(out)]) == 0
    assert _names(out) == sorted(["oversikt-2019.docx", "oversikt-2019.pdf", *editors])
    assert all((out / name).read_text() == "the editor's" for name in editors)


@needs_resource
def test_an_import_that_cannot_write_leaves_no_folder_behind(tmp_path):
    """The folders made for the content files go again when the files cannot
    be written (here a file size limit, as a full disk would)."""
    into = tmp_path / "new" / "imported"
    command = [sys.executable, "-m", "builder", "import", str(REFERENCE), "--into", str(into)]
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=_limit_file_size(100))
    assert result.returncode == 1, result.stderr
    assert "kan ikke skrive utdata: filen blir større enn stedet tillater" in result.stderr
    assert list(tmp_path.iterdir()) == []


def _limit_file_size(limit: int):
    import resource
    import signal

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write beyond the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@needs_chattr
def test_a_file_the_failed_build_made_new_is_removed(make_edition, tmp_path, capsys):
    """The HTML did not exist before; it is in place when the locked DOCX
    refuses to be replaced, and is removed again: the folder is as it was."""
    content, out = make_edition(), tmp_path / "out"
    assert main(["build", str(content), "--out", str(out), "--format", "docx"]) == 0
    earlier = _state(out)
    CHANGED.apply(content)

    with immutable(out / "oversikt-2019.docx"):
        assert main(["build", str(content), "--out", str(out), "--format", "html,docx"]) == 1
    assert f"{out / 'oversikt-2019.docx'}: error: filen er åpen i et annet program" in capsys.readouterr().err
    assert _state(out) == earlier
