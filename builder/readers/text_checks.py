"""Checks on text pasted from other programs: characters that no writer can
carry (control characters, lone surrogates) are errors naming the character
and its place; stray white space at the ends of a value is a warning.
"""

from __future__ import annotations

import unicodedata

from builder.diagnostics import Diagnostics, Location


def character_name(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _forbidden(char: str, multiline: bool) -> bool:
    code = ord(char)
    if char in "\n\r":
        return not multiline
    if char == "\t":
        return not multiline
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF)
        or unicodedata.category(char) == "Co"  # private use: no font has a meaning for it
    )


def check_text(text: str, where: Location, problems: Diagnostics, *, multiline: bool = False) -> bool:
    """Report what in ``text`` cannot be printed; True when nothing was wrong."""
    ok = True
    for index, char in enumerate(text):
        if not _forbidden(char, multiline):
            continue
        ok = False
        problems.error(
            _position(text, index, where, multiline),
            f"tegnet {character_name(char)} kan ikke skrives ut"
            + ("" if multiline else f" (tegn nr. {index + 1} i verdien)"),
            "slett det; slike tegn kommer ofte med når tekst limes inn fra andre programmer",
        )
    if not multiline and text and (text != text.strip()):
        problems.warning(
            where, "verdien begynner eller slutter med mellomrom", "fjern mellomrommet hvis det ikke skal stå der"
        )
    return ok


def _position(text: str, index: int, where: Location, multiline: bool) -> Location:
    if not multiline or where.line is None:
        return where
    line = where.line + text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return Location(where.path, line, index - start + 1)
