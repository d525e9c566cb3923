"""Every file of the hostile corpus (tests/hostile_imports.py) imported by a
real ``oversikt import`` process, under a memory limit and a time limit: it
ends in exit 0 or 1 with a message naming the file, never in an internal
error, and a failed import leaves ``--into`` empty."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hostile_imports import CASES, Case

try:
    import resource
except ImportError:  # not on Windows
    resource = None

MEMORY = 1024**3
SECONDS = 30


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_import(source, into) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "builder", "import", str(source), "--into", str(into)],
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=limit_memory,
    )


@pytest.mark.skipif(resource is None, reason="the memory limit needs the resource module (POSIX only)")
@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_file_ends_in_a_message_about_the_file(case: Case, tmp_path):
    source = case.make(tmp_path)
    into = tmp_path / "into"
    into.mkdir()
    done = run_import(source, into)
    assert done.returncode == case.exit_code, done.stderr
    assert "intern feil" not in done.stderr and "Traceback" not in done.stderr
    assert case.message in done.stderr
    if case.exit_code:
        assert f"{source}" in done.stderr and ": error: " in done.stderr
        assert list(into.iterdir()) == [], "a failed import writes nothing"
    else:
        assert (into / "agreements.yaml").is_file()


def test_the_corpus_is_large_enough():
    kinds = {case.name.split("_")[0] for case in CASES}
    assert len(CASES) >= 25 and kinds == {"docx", "xlsx", "csv", "txt"}
