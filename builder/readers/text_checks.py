"""Checks on text pasted from other programs: characters that no writer can
carry (control characters, lone surrogates, Unicode line separators) are
errors naming the character and its place; stray white space at the ends of
a value is a warning.

Text is kept in Unicode's composed form (NFC): a Mac or a web page may hand
over "å" as "a" plus a combining ring, which the same fonts cannot draw,
although an editor sees, and means, the same letter.
"""

from __future__ import annotations

import re
import unicodedata

from builder.diagnostics import Diagnostics, Location

# Control characters have no Unicode name; these are the ones editors meet.
_CONTROL_NAMES = {
    "\t": "tabulator",
    "\n": "linjeskift",
    "\v": "vertikal tabulator",
    "\f": "sideskift",
    "\r": "vognretur",
    "\x00": "null-tegn",
    "\x1b": "escape",
    "\x7f": "delete",
}

_SPACE_RUN = re.compile(r"\s{2,}")
_PASTE_HINT = "slett det; slike tegn kommer ofte med når tekst limes inn fra andre programmer"
_LINE_BREAK_HINT = "skriv verdien på én linje, eller bruk '>' i stedet for '|' foran en lang tekst"


def character_name(char: str) -> str:
    """``U+00A0 NO-BREAK SPACE``: the code point, then a name an editor can search for."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# What no writer can carry: C0 and C1 controls, lone surrogates, the two
# non-characters XML forbids, private use (Unicode category Co: no font has a
# meaning for it) and U+2028/U+2029, which end a line for YAML but not for an
# editor's line count. One character class, so a whole file is checked in one
# regular-expression scan rather than character by character.
_ALWAYS = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029"
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)
_FORBIDDEN_IN_VALUE = re.compile(f"[\t\n\r{_ALWAYS}]")
_FORBIDDEN_IN_FILE = re.compile(f"[{_ALWAYS}]")


def is_clean(value: str) -> bool:
    """True when check_text would find nothing to say about a single value:
    the usual case, answered without making a Location for it."""
    return value == value.strip() and not _FORBIDDEN_IN_VALUE.search(value) and not _SPACE_RUN.search(value)


def check_text(text: str, where: Location, problems: Diagnostics, *, multiline: bool = False) -> bool:
    """Report what in ``text`` cannot be printed; True when nothing was wrong.

    A multi-line text (a whole file) names the line and column of each bad
    character; a single value names its place within the value.
    """
    ok = True
    for match in (_FORBIDDEN_IN_FILE if multiline else _FORBIDDEN_IN_VALUE).finditer(text):
        index, char = match.start(), match.group()
        ok = False
        line_break = char in "\n\r"
        problems.error(
            _position(text, index, where, multiline),
            (f"tegnet {character_name(char)} kan ikke stå i en verdi" if line_break
             else f"tegnet {character_name(char)} kan ikke skrives ut")
            + ("" if multiline else f" (tegn nr. {index + 1} i verdien)"),
            _LINE_BREAK_HINT if line_break else _PASTE_HINT,
        )  # fmt: skip
    if not multiline and text and (text != text.strip()):
        problems.warning(
            where, "verdien begynner eller slutter med mellomrom", "fjern mellomrommet hvis det ikke skal stå der"
        )
    if not multiline and _SPACE_RUN.search(text.strip()):
        # PDF shows a run of spaces as one; Word shows them all
        problems.warning(where, "verdien har flere mellomrom etter hverandre", "skriv ett mellomrom")
    return ok


def _position(text: str, index: int, where: Location, multiline: bool) -> Location:
    if not multiline or where.line is None:
        return where
    line = where.line + text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    column = index - start + 1 if line > where.line else (where.column or 1) + index
    return Location(where.path, line, column)
