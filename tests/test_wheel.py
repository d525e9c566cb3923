"""The package works installed from a wheel, run from another directory: the
default layout and its fonts ship inside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv

import docx
import pytest

# Builds and installs a wheel: the quick loop (-m "not slow") leaves it out.
pytestmark = pytest.mark.slow


def test_wheel_installs_and_builds_outside_the_checkout(root, tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(root)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = dist.glob("oversikt-*.whl")
    environment = tmp_path / "env"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)

    # an edition away from the checkout, so only the installed layout can serve it
    content = tmp_path / "elsewhere" / "content"
    shutil.copytree(root / "content", content)
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [str(environment / "bin" / "oversikt"), "build", str(content), "--out", "out"],
        cwd=work, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    word = docx.Document(str(work / "out" / "oversikt-2019.docx"))
    assert word.core_properties.title == "Oversikt over interkommunale samarbeid per 1. januar 2019"
    assert (work / "out" / "oversikt-2019.pdf").stat().st_size > 10_000
