"""The oversikt command: verbs, help, formats, output names and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from builder.cli import main


@pytest.mark.parametrize("verb", ["build", "check", "init", "import", "roll", "diff"])
def test_every_verb_has_help(verb, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([verb, "--help"])
    assert exit_info.value.code == 0
    assert "bruk: oversikt " + verb in capsys.readouterr().out


def test_build_prints_the_files_written(content_dir, tmp_path, capsys):
    assert main(["build", str(content_dir), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert out.out.split() == [str(tmp_path / "oversikt-2019.docx"), str(tmp_path / "oversikt-2019.pdf")]
    assert "warning:" in out.err  # the reference's quirks


def test_format_option_limits_the_outputs(content_dir, tmp_path):
    assert main(["build", str(content_dir), "--out", str(tmp_path), "--format", "pdf"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["oversikt-2019.pdf"]


def test_unknown_format_is_a_usage_error(content_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", str(content_dir), "--out", str(tmp_path), "--format", "odt"])
    assert exit_info.value.code == 2
    assert "odt" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_check_writes_nothing(content_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(content_dir)]) == 0
    assert "i orden" in capsys.readouterr().out
    assert not list(tmp_path.iterdir())


def test_strict_turns_warnings_into_errors(content_dir, capsys):
    assert main(["check", str(content_dir), "--strict"]) == 1
    err = capsys.readouterr().err
    assert "error: ingen av kommunene deltar" in err and "warning:" not in err


def test_init_makes_an_edition_that_builds(tmp_path):
    edition = tmp_path / "ny"
    assert main(["init", str(edition)]) == 0
    assert main(["build", str(edition), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".pdf"]


def test_init_refuses_a_folder_with_files(content_dir, capsys):
    assert main(["init", str(content_dir)]) == 2
    assert "ikke tom" in capsys.readouterr().err


def test_python_dash_m_runs_the_same_command(root, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "builder", "check", str(root / "content")],
        capture_output=True, text=True, cwd=root, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "i orden" in result.stdout
