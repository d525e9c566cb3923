"""The command line speaks bokmål: no English text of argparse's own in help or usage errors."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from builder.cli import VERBS

# argparse's English texts (Python 3.10-3.13) that would show through untranslated
ENGLISH = (
    "usage:",
    "positional arguments",
    "optional arguments",
    "options:",
    "show this help message and exit",
    "show program's version number and exit",
    "error:",
    "argument ",
    "the following arguments are required",
    "invalid choice",
    "choose from",
    "unrecognized arguments",
    "expected one argument",
    "expected at most one argument",
    "ambiguous option",
    "invalid ",
    "subcommands",
)

VERB_NAMES = ("build", "check", "init", "import", "roll", "diff", "publish", "serve")


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "builder", *argv], capture_output=True, text=True, encoding="utf-8", timeout=60
    )


def _assert_bokmal(text: str) -> None:
    found = [phrase for phrase in ENGLISH if phrase in text]
    assert not found, f"English argparse text {found} in:\n{text}"


@pytest.fixture(autouse=True)
def _in_empty_folder(tmp_path, monkeypatch):
    # so that a parse that wrongly succeeds finds nothing to build
    monkeypatch.chdir(tmp_path)


def test_every_verb_is_covered():
    assert len(VERBS) == len(VERB_NAMES)


@pytest.mark.parametrize("argv", [("--help",)] + [(verb, "--help") for verb in VERB_NAMES])
def test_help_is_bokmal(argv):
    result = _run(*argv)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("bruk: oversikt")
    assert "\nvalg:\n" in result.stdout and "vis denne hjelpeteksten og avslutt" in result.stdout
    _assert_bokmal(result.stdout)


@pytest.mark.parametrize(
    "argv, expected",
    [
        ((), "disse argumentene mangler: KOMMANDO"),
        (("frob",), "ugyldig valg: 'frob'"),
        (("build", "--format", "xx"), "argumentet --format: ukjent format 'xx'"),
        (("build", "--out"), "argumentet --out: skal ha én verdi"),
        (("check", "--nonsense"), "ukjente argumenter: --nonsense"),
        (("roll",), "disse argumentene mangler: INNHOLD, --to, --into"),
        (("roll", "content", "--to", "i morgen", "--into", "ny"), "argumentet --to: "),
        (("import", "fil.docx"), "disse argumentene mangler: --into"),
        (("diff", "gammel"), "disse argumentene mangler: NY"),
        (("init",), "disse argumentene mangler: MAPPE"),
        (("publish", "--strict=ja"), "tar ingen verdi, men fikk 'ja'"),
        (("build", "--s"), "tvetydig valg: --s kan være"),
        (("serve", "--port", "x"), "argumentet --port: «x» er ikke en port"),
        (("serve", "--port", "70000"), "argumentet --port: «70000» er ikke en port"),
    ],
)
def test_usage_errors_are_bokmal(argv, expected):
    result = _run(*argv)
    assert result.returncode == 2
    assert "bruk: oversikt" in result.stderr and ": feil: " in result.stderr
    assert expected in result.stderr
    _assert_bokmal(result.stderr)


def test_argparse_is_english_again_afterwards():
    # the translation is lent to argparse while oversikt parses, never left behind in the process
    from builder.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    assert "usage:" in argparse.ArgumentParser(prog="x").format_usage()
