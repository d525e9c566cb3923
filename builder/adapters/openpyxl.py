"""openpyxl's internals that the XLSX import uses, in one place.

- :func:`worksheet_part`: a read-only worksheet's part in the package
  (``ReadOnlyWorksheet._worksheet_path``). Why: the import surveys the
  sheet's XML itself (formulas without saved values, the real extent), and
  openpyxl names the part only there. A public replacement is reading the
  workbook's relationships (xl/workbook.xml and its .rels) ourselves to map
  the sheet's name to its part: possible, some 30 lines.

tests/test_adapters.py checks :data:`RELIES_ON` on a real read-only sheet.
"""

from __future__ import annotations

from typing import Any

from openpyxl.worksheet._read_only import ReadOnlyWorksheet

# an instance attribute: checked on a sheet opened read-only
INSTANCE_ATTRIBUTES: tuple[tuple[type, str], ...] = ((ReadOnlyWorksheet, "_worksheet_path"),)
RELIES_ON: tuple[tuple[Any, str], ...] = ()


def worksheet_part(sheet: Any) -> str:
    """The package path of a read-only worksheet's XML, such as ``xl/worksheets/sheet1.xml``."""
    return sheet._worksheet_path
