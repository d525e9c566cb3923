"""The one place the command's text leaves for the terminal.

Messages quote what the editor wrote: a key, a value, a file name. Written
to a terminal as it is, an escape sequence in a YAML value would clear the
screen, set the window's title or hide the rest of the line, and a name
that is not UTF-8 (a byte os.fsdecode kept as a lone surrogate) would stop
a terminal that takes strict UTF-8. So while the command runs, its standard
output and standard error are wrapped (:func:`escaped_output`), and
everything written to them, by oversikt, argparse or a traceback alike, is
shown with such characters escaped, the way Python writes them in a
string: ``\\x1b``, ``\\x9b``, ``\\u202e``, and ``\\xff`` for a byte of a
name that is not UTF-8. Letters, ``§ – « »`` and every other printable
character, in any script, are written as they are.

What is escaped:

- the C0 controls but tab and line feed, DEL and the C1 controls. A
  carriage return is escaped too: it moves back to the start of the line,
  so a value could write over what a message said before it;
- the bidirectional embeddings, overrides and isolates (U+202A–U+202E and
  U+2066–U+2069). They reorder the text after them on the screen, so that
  a value could make a message read as something else ("Trojan Source");
  oversikt's content is Norwegian and Sami, where they have no use. The
  left-to-right and right-to-left marks (U+200E, U+200F) change no order
  of their own and stay;
- lone surrogates: U+DC80–U+DCFF are the bytes 0x80–0xFF of a name that
  is not UTF-8 (Python's surrogateescape), so they are shown as those
  bytes; any other (a YAML ``"\\ud800"``) as its code point.

A character the terminal's encoding has no code for (``č`` on a Windows
code page) is written ``\\u010d`` rather than stopping the command.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by os.fsdecode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """``text`` as it may be written to a terminal (see the module's docstring)."""
    return _UNSAFE.sub(_escaped, text)


class _EscapingStream(io.TextIOBase):
    """A text stream that writes to ``stream`` what :func:`shown` makes of it."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        safe = shown(text)
        try:
            self._stream.write(safe)
        except UnicodeEncodeError:  # nothing was written: a text stream encodes the whole text first
            encoding = getattr(self._stream, "encoding", None) or "ascii"
            self._stream.write(safe.encode(encoding, "backslashreplace").decode(encoding))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    # typeshed declares TextIOBase.encoding and .errors writable str attributes; at
    # run time they are read-only properties, and a wrapped stream may have neither.
    @property
    def encoding(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "encoding", None)

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._stream, "errors", None)


@contextmanager
def escaped_output() -> Iterator[None]:
    """While inside, whatever is printed to sys.stdout or sys.stderr is shown
    escaped; the streams are put back on leaving."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _EscapingStream(saved[0]), _EscapingStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
