"""The agreements as an Excel workbook (``oversikt-<år>.xlsx``), for people:
the CSV's columns and names on one sheet, the header row frozen, filters on,
each column as wide as its text, dates as dates and member marks as ``x``.

Every cell is a literal value. openpyxl takes a text that begins with ``=``
for a formula; here every text cell is written as a string whatever it
begins with, so nothing from the content can ever run in a spreadsheet.
The same content gives the same bytes: the workbook's times are the
edition's date and every zip entry is stamped with it.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

Cell = str | int | dt.date | None

# A zip entry's time: year, month, day, hour, minute, second
ZipTime = tuple[int, int, int, int, int, int]
ZIP_EPOCH: ZipTime = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
WIDEST_COLUMN = 80  # characters: a long comment wraps in the cell rather than push the sheet off the screen
DATE_FORMAT = "dd.mm.yyyy"  # how Norwegian writes a date


def workbook_bytes(rows: list[list[Cell]], sheet_title: str, as_of: dt.date) -> bytes:
    """``rows`` (the first the header) as an XLSX file."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # the one a new workbook has, its active sheet
    sheet.title = _sheet_title(sheet_title)
    widths: dict[int, int] = {}
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column)
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # a text, never a formula, whatever it begins with
                shown = max((len(line) for line in value.splitlines()), default=0)
            elif isinstance(value, dt.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
                shown = len(DATE_FORMAT)
            else:
                cell.value = value
                shown = len(str(value)) if value is not None else 0
            if row_index == 1:
                cell.font = Font(bold=True)
            widths[column] = max(widths.get(column, 0), shown)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, WIDEST_COLUMN)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(rows[0]), 1))}{len(rows)}"
    stamp = dt.datetime.combine(as_of, dt.time())
    workbook.properties.creator = "oversikt"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    saved = io.BytesIO()
    with zipfile.ZipFile(saved, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # save_workbook would stamp 'modified' with the clock
    when: ZipTime = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    return _stamped(saved.getvalue(), max(when, ZIP_EPOCH))


def _stamped(data: bytes, stamp: ZipTime) -> bytes:
    """The package again with every entry stamped ``stamp``, not the time of saving."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()


def _sheet_title(title: str) -> str:
    """A sheet's name: at most 31 characters, none of those Excel forbids in one."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip("' ")
    return cleaned[:31] or "Samarbeid"
