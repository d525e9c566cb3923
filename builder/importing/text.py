"""Reads a tab-separated text export of an overview (text copied out of the
Word or PDF file): the narrative first, then one table line per row, cells
separated by tabs, ``<i>…</i>`` where the original was italic.
"""

from __future__ import annotations

from pathlib import Path

from builder.diagnostics import Diagnostics, Location
from builder.importing.narrative_lines import blocks_from_lines, strip_markup
from builder.importing.source import (
    MAX_COLUMNS,
    SourceDocument,
    SourceRow,
    clean_cell,
    decode,
    drop_unprintable,
    too_large,
    without_trailing_empties,
)


def read_text_export(path: Path, data: bytes, problems: Diagnostics) -> SourceDocument | None:
    text = decode(data, path, problems)
    if text is None:
        return None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    table_lines = [index for index, line in enumerate(lines) if "\t" in line]
    if not table_lines:
        problems.error(
            Location(path),
            "fant ingen tabell: ingen linje har tabulator mellom cellene",
            "kopier tabellen fra Word slik at cellene skilles med tabulator, eller lagre den som CSV",
        )
        return None
    first, last = table_lines[0], table_lines[-1]
    rows: list[SourceRow] = []
    for index in range(first, last + 1):
        if not lines[index].strip():
            continue
        where = Location(path, index + 1)
        cells = without_trailing_empties(lines[index].split("\t", MAX_COLUMNS))  # the rest of a wider row in one
        if too_large(len(rows) + 1, len(cells), where, problems):
            return None
        rows.append(SourceRow(index + 1, tuple(clean_cell(strip_markup(cell), where, problems) for cell in cells)))
    before = [drop_unprintable(line, Location(path, n + 1), problems) for n, line in enumerate(lines[:first])]
    after = [drop_unprintable(line, Location(path, last + 2 + n), problems) for n, line in enumerate(lines[last + 1 :])]
    narrative = blocks_from_lines(before)
    trailing = blocks_from_lines(after)
    if trailing:
        line = last + 2 + next(n for n, text in enumerate(after) if text.strip())
        problems.warning(
            Location(path, line),
            "teksten etter tabellen er lagt til i fortellingen, som i oversikten står foran tabellen",
            "flytt den i text/ om den skal stå et annet sted",
        )
    return SourceDocument(path, tuple(rows), tuple(narrative + trailing))
