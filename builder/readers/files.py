"""Reading a content file safely: only a regular file, of a bounded size, and,
where a folder is given, one that lies inside it once links are followed.

A content folder may come from someone else (a shared drive, an e-mail). A
file in it that is a device, a FIFO or a link to one would be read forever
(``/dev/zero``) or never (a FIFO no one writes to), and a link out of the
folder would print whatever it points to. The file is opened without
blocking and checked on the open descriptor, so what is checked is what is
read.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

# A register of 20,000 agreements is some 5 MB of YAML and a large font some
# 20 MB; a file far beyond that is a mistake, not content.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Files read as if they held other bytes: what a form would save, checked
# before anything is written (see :func:`substituted`)
_substitutes: ContextVar[dict[Path, bytes] | None] = ContextVar("substitutes", default=None)

# Counts of the reads made while :func:`counted` is open: each command reads
# each file once, and the tests hold it to that
_counters: list[Counter[Path]] = []

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotReadable(Exception):  # noqa: N818 - a finding about the file, not a failure of ours
    """A file refused before it is read; the message and hint are for the editor."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint)
        self.message, self.hint = message, hint


def kind(mode: int) -> str:
    """What a file that is not a regular one is, in an editor's words."""
    if stat.S_ISDIR(mode):
        return "en mappe"
    if stat.S_ISFIFO(mode):
        return "en FIFO (navngitt rør)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "en enhet"
    if stat.S_ISSOCK(mode):
        return "en socket"
    return "ikke en vanlig fil"


def check_within(path: Path, folder: Path) -> None:
    """Refuse ``path`` when, with every link followed, it lies outside ``folder``."""
    try:
        resolved, root = path.resolve(), folder.resolve()
    except (RuntimeError, OSError):  # Python 3.11 reports a loop of links as RuntimeError
        raise NotReadable("filen er en lenke som går i ring", "erstatt lenken med selve filen") from None
    if not resolved.is_relative_to(root):
        raise NotReadable(
            f"filen er en lenke til {resolved}, som ligger utenfor {folder}",
            "kopier filen inn i mappen i stedet for å lenke til den",
        )


def check_regular(info: os.stat_result) -> None:
    """Refuse what is not a regular file, or one larger than MAX_FILE_BYTES."""
    if not stat.S_ISREG(info.st_mode):
        raise NotReadable(f"dette er {kind(info.st_mode)}, ikke en vanlig fil", "bruk en vanlig fil")
    if info.st_size > MAX_FILE_BYTES:
        raise _too_large()


def _too_large() -> NotReadable:
    return NotReadable(
        f"filen er større enn {MAX_FILE_BYTES // (1024 * 1024)} MB",
        "sjekk at det er riktig fil; del den opp om den er det",
    )


def read_bytes(path: Path, within: Path | None = None) -> bytes:
    """The bytes of ``path``; NotReadable when it is no regular file, is too
    large or lies outside ``within``, OSError as opening and reading give it."""
    if within is not None:
        check_within(path, within)
    substitutes = _substitutes.get()
    if substitutes and (data := substitutes.get(path.resolve())) is not None:
        return data
    for counter in _counters:
        counter[path.resolve()] += 1
    with os.fdopen(os.open(path, _OPEN_FLAGS), "rb") as stream:
        check_regular(os.fstat(stream.fileno()))
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise _too_large()
    return data


@contextmanager
def substituted(files: dict[Path, bytes]) -> Iterator[None]:
    """Within this block, and in this thread, each of ``files`` reads as the
    bytes given instead of what is on disk: the readers check a change as
    the edition would be with it, and nothing is written until it passes."""
    token = _substitutes.set({path.resolve(): data for path, data in files.items()})
    try:
        yield
    finally:
        _substitutes.reset(token)


@contextmanager
def counted() -> Iterator[Counter[Path]]:
    """How many times each file (its resolved path) is read from disk within
    this block, in any thread: what a test observes to see a command read
    each file once. A substituted file is not read, and not counted."""
    counter: Counter[Path] = Counter()
    _counters.append(counter)
    try:
        yield counter
    finally:
        _counters.remove(counter)
