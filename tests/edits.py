"""Small editions for tests: a copy of ``tests/editions/base`` with a few
edits, as an editor would make them by hand.

The base edition is tiny and fixed so that a test can name the line and
column where a mistake stands; change it only together with the tests.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

BASE_EDITION = Path(__file__).parent / "editions" / "base"


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` by ``new`` in ``file`` (``old=None``: write the whole
    file; ``new=None``: delete it). Bytes are written as they are, so a test
    can put a file in another encoding."""

    file: str
    old: str | bytes | None
    new: str | bytes | None

    def apply(self, content: Path) -> None:
        path = content / self.file
        if self.new is None:
            path.unlink()
            return
        new = self.new.encode("utf-8") if isinstance(self.new, str) else self.new
        if self.old is None:
            path.write_bytes(new)
            return
        old = self.old.encode("utf-8") if isinstance(self.old, str) else self.old
        data = path.read_bytes()
        assert data.count(old) == 1, f"{self.file} must hold {self.old!r} exactly once"
        path.write_bytes(data.replace(old, new))


def replace(file: str, old: str | bytes, new: str | bytes) -> Edit:
    return Edit(file, old, new)


def write(file: str, text: str | bytes) -> Edit:
    return Edit(file, None, text)


def delete(file: str) -> Edit:
    return Edit(file, None, None)


def make_edition(target: Path, *edits: Edit) -> Path:
    shutil.copytree(BASE_EDITION, target)
    for edit in edits:
        edit.apply(target)
    return target


def tree_digest(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with a hash of its bytes and its mode."""
    digest = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_dir():
            digest[name] = f"dir {path.stat().st_mode:o}"
        else:
            digest[name] = f"{hashlib.sha256(path.read_bytes()).hexdigest()} {path.stat().st_mode:o}"
    return digest
