"""Reads an overview kept as a spreadsheet: CSV (any of the separators Excel
writes) or XLSX (the active sheet, through openpyxl). Such files hold only
the table, possibly with a title in the rows above it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from builder.diagnostics import Diagnostics, Location
from builder.importing.source import SourceDocument, SourceRow, clean_cell, decode

SEPARATORS = ";,\t"


def read_csv(path: Path, problems: Diagnostics) -> SourceDocument | None:
    text = decode(path.read_bytes(), path, problems)
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=SEPARATORS)
        separator = dialect.delimiter
    except csv.Error:
        separator = ";" if text.count(";") > text.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows = []
    start = 1
    try:
        for record in reader:
            where = Location(path, start)
            if any(cell.strip() for cell in record):
                rows.append(SourceRow(start, tuple(clean_cell(cell, where, problems) for cell in record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.error(Location(path, reader.line_num), f"CSV-filen kan ikke leses videre: {exc}")
        return None
    return SourceDocument(path, tuple(rows))


def read_xlsx(path: Path, problems: Diagnostics) -> SourceDocument | None:
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        problems.error(Location(path), f"regnearket kan ikke leses: {exc}", "lagre det på nytt som .xlsx")
        return None
    sheet = workbook.active
    others = [ws.title for ws in workbook.worksheets if ws is not sheet and ws.max_row > 1]
    if others:
        problems.warning(
            Location(path),
            f"bare arket «{sheet.title}» er lest; arkene {', '.join(f'«{name}»' for name in others)} er ikke tatt med",
            "gjør arket med tabellen til det aktive og importer på nytt om det er feil ark",
        )
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    width = max((i + 1 for row in values for i, value in enumerate(row) if _text(value).strip()), default=0)
    spanning = {
        merged.min_row
        for merged in sheet.merged_cells.ranges
        if merged.min_col == 1 and merged.max_col >= width > 1 and merged.min_row == merged.max_row
    }
    rows = []
    for number, row in enumerate(values, start=1):
        where = Location(path, number)
        cells = tuple(clean_cell(_text(value), where, problems) for value in row[:width])
        if any(cell.strip() for cell in cells):
            rows.append(SourceRow(number, cells, spans_all=number in spanning))
    return SourceDocument(path, tuple(rows))


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value)
