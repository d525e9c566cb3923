"""What ``import`` had to guess, as it marks it in the files it writes: a
comment ``# guessed …`` after the value (``host: Lillehammer  # guessed from
the comment "Lillehammer vertskommune"``). The workbench lists them, and a
guess is done with when the editor confirms it (the mark is taken away) or
changes the value (the mark goes with the old value).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# a key, its value and the mark; the mark's '#' stands after white space, as a YAML comment does
_MARKED = re.compile(
    r"^(?P<keep>\s*(?:-\s+)?(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?))(?P<mark>[ \t]+#[ \t]*guessed\b.*)$"
)


# the form's words for the keys a guess can stand on
LABELS = {
    "name": "Navn", "form": "Type samarbeid", "members": "Kommuner", "host": "Vertskommune",
    "partners": "Andre deltakere", "status": "Status", "part_of": "Del av", "region": "Region", "as_of": "Dato",
    "language": "Språk",
}  # fmt: skip

# import writes its marks in English, as the files' other comments are; the workbench says them in bokmål
_SAID = (
    (re.compile(r'guessed from the comment "(.*)"'), "gjettet ut fra kommentaren «{0}»"),
    (re.compile(r"guessed from the narrative: check it"), "gjettet ut fra teksten; sjekk at det stemmer"),
    (
        re.compile(r"guessed: the source gives no date.*"),
        "fjorårets fil har ingen dato; skriv datoen oversikten gjelder",
    ),
    (
        re.compile(r"guessed: the table's labels say neither.*"),
        "tabellen sier verken bokmål eller nynorsk; sjekk språket",
    ),
    (re.compile(r"guessed: the source does not name the region.*"), "fjorårets fil sier ikke hva regionen heter"),
    (re.compile(r"guessed: the table starts without one"), "tabellen begynner uten kategori"),
    (re.compile(r"guessed: the nearest row above with «Se under»"), "nærmeste rad over med «Se under»"),
    (re.compile(r"guessed: the source marks (.*)"), "fjorårets fil merker {0} uklart"),
)


def in_bokmal(reason: str) -> str:
    """A mark's words as the workbench shows them; one it does not know, as written."""
    for pattern, said in _SAID:
        if match := pattern.fullmatch(reason):
            return said.format(*match.groups())
    return reason


@dataclass(frozen=True)
class Guess:
    file: str  # relative to the content folder
    line: int  # 1-based
    key: str
    value: str  # as the file writes it
    reason: str  # the mark's words: what it was guessed from
    text: str  # the whole line, to see that it is still the one confirmed

    @property
    def label(self) -> str:
        return LABELS.get(self.key, self.key)

    @property
    def said(self) -> str:
        return in_bokmal(self.reason)


def guesses(file: str, text: str) -> list[Guess]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if (match := _MARKED.match(line)) and not _in_quotes(match.group("keep")):
            reason = match.group("mark").strip().removeprefix("#").strip()
            found.append(Guess(file, number, match.group("key"), match.group("value"), reason, line))
    return found


def confirmed(text: str, line: int, seen: str) -> str | None:
    """``text`` with the mark on ``line`` taken away; None when that line is no longer ``seen``."""
    lines = text.splitlines(keepends=True)
    if not 1 <= line <= len(lines) or lines[line - 1].rstrip("\r\n") != seen:
        return None
    body = lines[line - 1].rstrip("\r\n")
    match = _MARKED.match(body)
    if match is None:
        return None
    lines[line - 1] = match.group("keep").rstrip() + lines[line - 1][len(body) :]
    return "".join(lines)


def unmarked_where_changed(before: str, after: str) -> str:
    """``after`` without the marks on the lines an edit changed: a value the
    editor changed is no longer a guess."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            for index in range(j1, j2):
                body = new[index].rstrip("\r\n")
                if (match := _MARKED.match(body)) and not _in_quotes(match.group("keep")):
                    new[index] = match.group("keep").rstrip() + new[index][len(body) :]
    return "".join(new)


def _in_quotes(text: str) -> bool:
    """Whether the text ends inside a quoted string (so a '#' after it is part of the value)."""
    quote = None
    for char in text:
        if quote is None and char in "'\"":
            quote = char
        elif char == quote:
            quote = None
    return quote is not None
