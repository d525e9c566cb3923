"""Outputs are written whole or not at all: ``check`` writes nothing, ``build``
never changes the content folder, and a build that fails at any step leaves
earlier outputs as they were, with no temporary file behind."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from edits import replace, tree_digest
from platforms import needs_resource

from builder.cli import main
from builder.diagnostics import ContentError, Diagnostics
from builder.outputs import write_atomically

GLYPH_ERROR = replace("agreements.yaml", "Med Ringebu", "Med 中 Ringebu")  # found late: after assembling


def _state(folder: Path) -> dict[str, tuple[bytes | None, int]]:
    """Every entry in ``folder`` with its bytes (None for a folder) and modification time."""
    return {p.name: (None if p.is_dir() else p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_check_writes_nothing(make_edition, tmp_path, monkeypatch, capsys):
    content = make_edition()
    monkeypatch.chdir(tmp_path)
    before = tree_digest(tmp_path)
    assert main(["check", str(content)]) == 0
    assert capsys.readouterr().out == f"{content}: i orden (0 feil, 0 advarsler)\n"
    assert tree_digest(tmp_path) == before


def test_build_changes_nothing_in_the_content_folder(make_edition, tmp_path, capsys):
    content = make_edition()
    before = tree_digest(content)
    assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 0
    assert tree_digest(content) == before
    assert sorted(capsys.readouterr().out.split()) == [
        str(tmp_path / "out" / "oversikt-2019.docx"),
        str(tmp_path / "out" / "oversikt-2019.pdf"),
    ]


def test_failed_build_leaves_earlier_outputs_untouched(make_edition, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(make_edition()), "--out", str(out)]) == 0
    earlier = _state(out)

    assert main(["build", str(make_edition(GLYPH_ERROR)), "--out", str(out)]) == 1
    assert "U+4E2D" in capsys.readouterr().err
    assert _state(out) == earlier


def test_a_target_that_is_a_folder_stops_the_build_before_any_file_is_written(make_edition, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(make_edition()), "--out", str(out)]) == 0
    (out / "oversikt-2019.pdf").unlink()
    (out / "oversikt-2019.pdf").mkdir()
    earlier = _state(out)

    content = make_edition(replace("report.yaml", "region: Lillehammer-regionen", "region: Gjøvikregionen"))
    assert main(["build", str(content), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{out / 'oversikt-2019.pdf'}: error: kan ikke skrive utdata: det finnes en mappe med samme navn" in err
    assert _state(out) == earlier, "the DOCX must not be replaced when the PDF cannot be"


def test_output_folder_under_a_file(make_edition, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("not a folder")
    before = tree_digest(tmp_path)
    assert main(["build", str(make_edition()), "--out", str(tmp_path / "notes.txt" / "out")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{tmp_path / 'notes.txt' / 'out'}: error: kan ikke skrive utdata: en del av stien er en fil, ikke en mappe"
        " (velg en annen mappe med --out)",
        "1 feil, 0 advarsler",
    ]
    after = tree_digest(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith("content")} == {
        k: v for k, v in before.items() if not k.startswith("content")
    }


def test_output_folder_that_is_a_file(make_edition, tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder")
    assert main(["build", str(make_edition()), "--out", str(tmp_path / "out")]) == 1
    assert "kan ikke skrive utdata: det finnes en fil med samme navn som mappen" in capsys.readouterr().err
    assert (tmp_path / "out").read_text() == "not a folder"


def _limit_file_size(limit: int):
    import resource
    import signal

    def apply() -> None:
        # a write beyond the limit then fails with EFBIG instead of killing the process
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@needs_resource
def test_a_write_that_fails_halfway_leaves_no_partial_or_temporary_file(make_edition, tmp_path):
    """The operating system refuses the second file part way through (a file
    size limit, as a full disk would); the first, already complete, must not
    replace the earlier output either."""
    content = make_edition()
    out = tmp_path / "out"
    assert main(["build", str(content), "--out", str(out)]) == 0
    sizes = {p.suffix.lstrip("."): p.stat().st_size for p in out.iterdir()}
    small, large = sorted(sizes, key=sizes.get)
    earlier = _state(out)

    changed = replace("report.yaml", "region: Lillehammer-regionen", "region: Gjøvikregionen")
    changed.apply(content)
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", str(content), "--out", str(out), "--format", f"{small},{large}"],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size((sizes[small] + sizes[large]) // 2),
    )
    assert result.returncode == 1, result.stderr
    assert (
        f"{out / f'oversikt-2019.{large}'}: error: kan ikke skrive utdata: filen blir større enn stedet tillater"
        in (result.stderr)
    )
    assert "Traceback" not in result.stderr
    assert _state(out) == earlier


def test_a_file_made_new_is_removed_again_when_a_later_one_cannot_replace_its_own(tmp_path, monkeypatch):
    """Of the files being written, one that did not exist before has been
    renamed into place when the next one's rename is refused (a locked
    file, on any platform): it is removed again, the earlier file is kept
    as it was, and nothing else is left."""
    earlier = tmp_path / "oversikt-2019.pdf"
    earlier.write_bytes(b"forrige utgave")
    renames = []
    rename = os.replace

    def refusing_the_second(source, target):
        renames.append(Path(target).name)
        if len(renames) == 2:
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return rename(source, target)

    monkeypatch.setattr(os, "replace", refusing_the_second)
    new = tmp_path / "oversikt-2019.html"
    with pytest.raises(ContentError) as refused:
        write_atomically({new: b"<!doctype html>", earlier: b"ny utgave"}, Diagnostics())
    assert renames[:2] == ["oversikt-2019.html", "oversikt-2019.pdf"], "the new file was in place when the other failed"
    assert [str(d.location.path) for d in refused.value.diagnostics.errors] == [str(earlier)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oversikt-2019.pdf"]
    assert earlier.read_bytes() == b"forrige utgave"
