from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

from builder.build import build  # noqa: E402


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def content_dir() -> Path:
    return ROOT / "content"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """content/ built once into both formats, shared by the read-back tests."""
    out = tmp_path_factory.mktemp("build")
    written, _ = build(ROOT / "content", out)
    return {path.suffix.lstrip("."): path for path in written}


@pytest.fixture
def make_edition(tmp_path):
    """A copy of tests/editions/base with the given edits, in a fresh folder."""
    from edits import make_edition as make

    count = 0

    def factory(*edits) -> Path:
        nonlocal count
        count += 1
        return make(tmp_path / f"content{count}", *edits)

    return factory
