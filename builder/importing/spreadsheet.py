"""Reads an overview kept as an Excel spreadsheet (XLSX): the table on the
active sheet, possibly with a title in the rows above it.

A sheet's XML is first read once on its own (:func:`_survey`): where its
filled cells end, which cells are merged, and which formulas have no saved
value, since openpyxl reads those as empty and a participation mark would
vanish. openpyxl then reads the values (shared strings, dates, numbers) of
that area only, in read-only mode, so neither the dimension the sheet claims
nor a lone cell at XFD1048576 makes it build a grid of billions of cells.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter, range_boundaries
from openpyxl.utils.exceptions import CellCoordinatesException, InvalidFileException

from builder.adapters.openpyxl import worksheet_part
from builder.diagnostics import Diagnostics, Location
from builder.importing.package import check_package
from builder.importing.source import MAX_COLUMNS, SourceDocument, SourceRow, clean_cell, too_large

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RESAVE = "åpne filen i Excel og lagre den på nytt som .xlsx"
MAX_EXCEL_COLUMN = 16_384  # XFD
MAX_EXCEL_ROW = 1_048_576
MAX_LISTED = 10  # formulas without a value named one by one; the rest are counted
# Result types whose empty <v> is a real value (a formula giving "")
_TEXT_TYPES = ("str", "inlineStr")


@dataclass
class _Survey:
    """What a sheet's XML says about its filled area."""

    width: int = 0  # the rightmost column with anything in it
    height: int = 0  # the lowest such row
    filled_rows: int = 0
    spanning: set[int] = field(default_factory=set)  # rows with one cell merged across the table
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, first col, last row, last col)
    unsaved: list[tuple[int, str]] = field(default_factory=list)  # (row, cell) of formulas without a saved value


def read_xlsx(path: Path, data: bytes, problems: Diagnostics) -> SourceDocument | None:
    package = check_package(path, data, "regnearket", _RESAVE, problems)
    if package is None:
        return None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        # a part missing or holding what Excel never writes (openpyxl's typed values raise TypeError)
        problems.error(Location(path), f"regnearket kan ikke leses: {exc}", _RESAVE)
        package.close()
        return None
    try:
        return _read_workbook(workbook, package, path, problems)
    finally:
        workbook.close()
        package.close()


def _read_workbook(workbook, package: zipfile.ZipFile, path: Path, problems: Diagnostics) -> SourceDocument | None:
    sheets = workbook.worksheets
    sheet = workbook.active if workbook.active in sheets else (sheets[0] if sheets else None)
    if sheet is None:
        problems.error(Location(path), "regnearket har ingen ark med celler", _RESAVE)
        return None
    others = [ws.title for ws in sheets if ws is not sheet and (ws.max_row or 0) > 1]
    if others:
        problems.warning(
            Location(path),
            f"bare arket «{sheet.title}» er lest; arkene {', '.join(f'«{name}»' for name in others)} er ikke tatt med",
            "gjør arket med tabellen til det aktive og importer på nytt om det er feil ark",
        )
    try:
        survey = _survey(package, worksheet_part(sheet), path, problems)
    except etree.XMLSyntaxError as exc:  # XML nested past libxml2's limit
        problems.error(Location(path), f"regnearket kan ikke leses: {exc.msg}", _RESAVE)
        return None
    if survey is None:
        return None
    for row, cell in survey.unsaved[:MAX_LISTED]:
        problems.error(
            Location(path, row),
            f"cellen {cell} har en formel uten lagret verdi",
            "åpne og lagre filen i Excel, så verdien lagres med formelen",
        )
    if len(survey.unsaved) > MAX_LISTED:
        problems.error(Location(path), f"{len(survey.unsaved) - MAX_LISTED} celler til har formler uten lagret verdi")
    if survey.unsaved:
        return None
    rows = []
    if survey.width:
        lines = sheet.iter_rows(min_row=1, max_row=survey.height, max_col=survey.width, values_only=True)
        try:
            for number, values in enumerate(lines, start=1):
                if all(value is None for value in values):
                    continue  # a row with nothing, perhaps one of a million before a far cell
                where = Location(path, number)
                cells = tuple(clean_cell(_text(value), where, problems) for value in values)
                if any(cell.strip() for cell in cells):
                    rows.append(SourceRow(number, cells, spans_all=number in survey.spanning))
        except (IndexError, ValueError, TypeError, OverflowError) as exc:
            # openpyxl converting a value Excel never writes: text where a number
            # belongs, a shared string that is not there, a date past the calendar
            problems.error(Location(path), f"regnearket har en celle som ikke kan leses: {exc}", _RESAVE)
            return None
    return SourceDocument(path, tuple(rows))


def _survey(package: zipfile.ZipFile, part: str, path: Path, problems: Diagnostics) -> _Survey | None:
    """The sheet's filled area, its merges and its formulas without a value;
    None, with an error, when the area is past the limits."""
    survey = _Survey()
    row_number = 0
    with package.open(part.lstrip("/")) as stream:
        # the package check has parsed this part safely; these settings stay safe all the same
        events = etree.iterparse(
            stream, events=("end",), tag=(f"{_MAIN}row", f"{_MAIN}mergeCell"), resolve_entities=False, no_network=True
        )
        for _, element in events:
            if element.tag == f"{_MAIN}mergeCell":
                _add_merge(survey, element.get("ref", ""))
                element.clear()
                continue
            row_number = _number(element.get("r")) or row_number + 1
            column = 0
            filled = False
            for cell in element.iterchildren(f"{_MAIN}c"):
                column = _column(cell.get("r"), column + 1)
                if not _has_content(cell, survey, row_number, column):
                    continue
                filled = True
                survey.width = max(survey.width, column)
                if column > MAX_COLUMNS:
                    problems.error(
                        Location(path, row_number),
                        f"cellen {_name(column, row_number)} står til høyre for kolonne {MAX_COLUMNS},"
                        " lenger ut enn en tabell kan gå",
                        "slett cellen, eller sjekk at dette er riktig fil",
                    )
                    return None
            if filled:
                if row_number > MAX_EXCEL_ROW:
                    problems.error(
                        Location(path, row_number),
                        f"arket har en rad nummer {row_number}, men Excel har bare {MAX_EXCEL_ROW} rader",
                        _RESAVE,
                    )
                    return None
                survey.filled_rows += 1
                survey.height = row_number
                if too_large(survey.filled_rows, 0, Location(path, row_number), problems):
                    return None
            element.clear()
            parent = element.getparent()  # sheetData, which a row with rows before it always has
            while parent is not None and element.getprevious() is not None:  # the rows read so far, cleared but held
                del parent[0]
    width = survey.width
    survey.spanning = {
        top for top, left, bottom, right in survey.merged if left == 1 and right >= width > 1 == bottom - top + 1
    }
    return survey


def _has_content(cell, survey: _Survey, row: int, column: int) -> bool:
    value = cell.find(f"{_MAIN}v")
    formula = cell.find(f"{_MAIN}f")
    if formula is not None and (value is None or (not value.text and cell.get("t") not in _TEXT_TYPES)):
        survey.unsaved.append((row, _name(column, row)))
        return True
    inline = cell.find(f"{_MAIN}is")
    return bool(value is not None and value.text) or (inline is not None and bool("".join(inline.itertext())))


def _column(reference: str | None, next_column: int) -> int:
    """A cell's column: from its reference ("B7"), else the next in the row."""
    if reference:
        try:
            return column_index_from_string(coordinate_from_string(reference)[0])
        except (CellCoordinatesException, ValueError):
            pass
    return next_column


def _name(column: int, row: int) -> str:
    """A cell's name as Excel shows it, "B7"."""
    return f"{get_column_letter(min(column, MAX_EXCEL_COLUMN))}{row}"


def _add_merge(survey: _Survey, reference: str) -> None:
    """A merged range ("A3:F3") as (first row, first column, last row, last column)."""
    try:
        left, top, right, bottom = range_boundaries(reference)
    except (CellCoordinatesException, ValueError, TypeError):
        return
    if top is not None and left is not None and bottom is not None and right is not None:  # not whole rows or columns
        survey.merged.append((top, left, bottom, right))


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


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
