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


# --- what reaches the terminal (builder/terminal.py) ---------------------------


@pytest.mark.parametrize(
    ("text", "shown_as"),
    [
        ("\x1b[2J", "\\x1b[2J"),  # clear the screen
        ("\x1b]0;tittel\x07", "\\x1b]0;tittel\\x07"),  # the window's title
        ("\x1b[8mskjult", "\\x1b[8mskjult"),  # hidden text
        ("\x00\x08\x0b\x0c\r\x7f", "\\x00\\x08\\x0b\\x0c\\x0d\\x7f"),  # C0 controls but tab and line feed, and DEL
        ("\x85\x9b31m", "\\x85\\x9b31m"),  # C1 controls: a CSI in one byte
        ("a\u202eb\u202a\u2066c\u2069", "a\\u202eb\\u202a\\u2066c\\u2069"),  # bidirectional overrides and isolates
        ("innhold\udcff", "innhold\\xff"),  # a byte of a name that is not UTF-8, as os.fsdecode keeps it
        ("\ud800", "\\ud800"),  # any other lone surrogate
    ],
)
def test_what_a_terminal_would_run_is_shown_escaped(text, shown_as):
    from builder.terminal import shown

    assert shown(text) == shown_as


def test_letters_and_typography_are_shown_as_they_are():
    from builder.terminal import shown

    text = "æøå ÆØÅ áčđŋšŧž § 28 – 1B «sitat» — ’ … ï\tkolonne\nlinje 2 \u200e\u00a0 ذ"
    assert shown(text) == text


def test_everything_printed_goes_through_the_escaping(make_edition, capsys):
    """argparse's messages too, and on a terminal whose encoding lacks a
    letter the letter is written as its code point, not an internal error."""
    content = make_edition()
    (content / "report.yaml").write_text(
        (content / "report.yaml").read_text("utf-8") + '"\\e]0;tittel\\a": 1\n', "utf-8"
    )
    assert main(["check", str(content)]) == 1
    err = capsys.readouterr().err
    assert "ukjent nøkkel '\\x1b]0;tittel\\x07'" in err and "\x1b" not in err
    with pytest.raises(SystemExit):
        main(["roll", str(content), "--to", "\x1b[8m", "--into", str(content.parent / "neste")])
    assert "argumentet --to: '\\x1b[8m' er ingen dato" in capsys.readouterr().err


def test_a_letter_the_terminals_encoding_lacks_is_written_as_its_code_point(monkeypatch):
    import io

    from builder.terminal import escaped_output

    latin1 = io.TextIOWrapper(io.BytesIO(), encoding="cp1252", errors="strict")
    monkeypatch.setattr(sys, "stdout", latin1)
    with escaped_output():
        print("Porsáŋgu – Øyer \x1b")
    latin1.flush()
    assert latin1.buffer.getvalue().decode("cp1252") == "Porsá\\u014bgu – Øyer \\x1b\n"
    assert sys.stdout is latin1  # put back on leaving
