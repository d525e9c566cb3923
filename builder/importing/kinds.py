"""What a file to import really is, judged by its content and not its name:
files arrive by e-mail, and a Word file renamed ``.csv`` or a PDF named
``.docx`` should be refused with what it seems to be, not read as garbage.
"""

from __future__ import annotations

import io
import zipfile

import filetype

# What the content of each importable suffix is: its kind, or None for text,
# which filetype recognises by not recognising it
EXPECTED = {
    ".docx": "docx",
    ".doc": "doc",
    ".odt": "odt",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".csv": None,
    ".txt": None,
    ".tsv": None,
}
_DESCRIPTIONS = {
    "docx": "en Word-fil (.docx)",
    "xlsx": "et Excel-regneark (.xlsx)",
    "pptx": "en PowerPoint-fil (.pptx)",
    "doc": "en eldre Word-fil (.doc)",
    "xls": "et eldre Excel-regneark (.xls)",
    "odt": "et OpenDocument-tekstdokument (.odt)",
    "ods": "et OpenDocument-regneark (.ods)",
    "pdf": "en PDF-fil",
    "rtf": "en RTF-fil",
    "zip": "et ZIP-arkiv",
}
# Office files are ZIPs; which one is told by the folder its parts are in,
# wherever in the ZIP they are (filetype looks at the first 8 KB only)
_ZIP_KINDS = {"zip", "docx", "xlsx", "pptx"}
_OFFICE_FOLDERS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def content_kind(data: bytes) -> str | None:
    """The kind of file ``data`` is by its content ("docx", "pdf", "zip", …),
    None for text or anything not recognised."""
    found = filetype.guess(data)
    kind = found.extension if found else None
    if kind not in _ZIP_KINDS:
        return kind
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        return kind  # a broken ZIP: checking the package says what is wrong with it
    folders = {_OFFICE_FOLDERS.get(name[: name.find("/") + 1]) for name in names}
    return next((own for own in _OFFICE_FOLDERS.values() if own in folders), "zip")


def describe(kind: str) -> str:
    return _DESCRIPTIONS.get(kind, f"en fil av typen .{kind}")
