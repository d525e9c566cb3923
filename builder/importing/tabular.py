"""Reads an overview kept as CSV, with any of the separators Excel writes.
Such a file holds only the table, possibly with a title in the rows above it.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from builder.diagnostics import Diagnostics, Location
from builder.importing.source import SourceDocument, SourceRow, clean_cell, decode, too_large, without_trailing_empties

SEPARATORS = ";,\t"


def read_csv(path: Path, data: bytes, problems: Diagnostics) -> SourceDocument | None:
    text = decode(data, path, problems)
    if text is None:
        return None
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=SEPARATORS)
        separator = dialect.delimiter
    except csv.Error:
        separator = ";" if text.count(";") > text.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows: list[SourceRow] = []
    start = 1
    try:
        for record in reader:
            where = Location(path, start)
            cells = without_trailing_empties(record)
            if cells:
                if too_large(len(rows) + 1, len(cells), where, problems):
                    return None
                rows.append(SourceRow(start, tuple(clean_cell(cell, where, problems) for cell in cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.error(Location(path, reader.line_num), f"CSV-filen kan ikke leses videre: {exc}")
        return None
    return SourceDocument(path, tuple(rows))
