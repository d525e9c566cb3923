"""What Windows needs, checked where it can be on this machine (no Windows here; see docs/utvikling.md)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import docx
import pypdf

from builder.cli import main
from builder.processes import forking

BUILDER = Path(__file__).resolve().parent.parent / "builder"

# calls that exist only on POSIX systems, and the one module allowed to make
# them because it makes them only after checking that they exist
POSIX_ONLY = re.compile(r"os\.fork\b|os\.nice\b|os\.getloadavg\b|signal\.SIGKILL\b|os\.O_NONBLOCK\b|os\.killpg\b|"
                        r"signal\.pthread_sigmask\b|"
                        r"os\.getuid\b|^\s*import (fcntl|resource|termios|pwd|grp)\b|^\s*from (fcntl|resource) ",
                        re.MULTILINE)  # fmt: skip
GUARDED = {"processes.py"}


def test_posix_only_calls_stay_in_the_guarded_module():
    found = [
        f"{path.relative_to(BUILDER)}:{number}: {line.strip()}"
        for path in BUILDER.rglob("*.py")
        if path.name not in GUARDED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if POSIX_ONLY.search(line.split("#")[0])  # code, not a comment that names the call
    ]
    assert not found


def test_without_fork_the_command_renders_in_sequence(content_dir, tmp_path, monkeypatch):
    # as on Windows: no os.fork; asked for processes, the command still builds, one format after the other
    monkeypatch.delattr(os, "fork", raising=False)
    monkeypatch.setenv("OVERSIKT_PROCESSES", "1")
    assert not forking()
    out = tmp_path / "ut æøå"
    assert main(["build", str(content_dir), "--out", str(out)]) == 0
    table = docx.Document(out / "oversikt-2019.docx").tables[0]
    header = [cell.text for cell in table.rows[0].cells][1:]
    assert header == ["Type samarbeid §\u00a0i\u00a0kommuneloven", "Lillehammer", "Gausdal", "Øyer", "Kommentarer"]
    text = "".join(page.extract_text() for page in pypdf.PdfReader(out / "oversikt-2019.pdf").pages)
    assert "Oversikt over interkommunale samarbeid per 1. januar 2019" in text
    assert "Legevakt" in text
