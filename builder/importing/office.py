"""Reads a Word 97–2003 file (.doc) or an OpenDocument text (.odt) by having
LibreOffice convert it to DOCX, then reading that as any Word file: one
reader for what Word shows, and the converted file goes through the same
package checks as a .docx from anyone.

LibreOffice runs headless in a profile of its own made for the one
conversion (so it neither meets a LibreOffice the user has open nor leaves
anything behind), in a process group of its own that is killed whole when
the conversion takes longer than ``OVERSIKT_CONVERT_SECONDS`` (60 by
default). Without LibreOffice, the message says how to save the file as
.docx instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from builder.diagnostics import Diagnostics, Location
from builder.importing.kinds import EXPECTED, content_kind, describe
from builder.importing.source import SourceDocument
from builder.importing.word import read_docx
from builder.processes import kill_group

CONVERT_SECONDS = 60.0
_SAVE_AS_DOCX = "åpne filen i Word og velg Fil > Lagre som > Word-dokument (*.docx), og importer .docx-filen"
_NAMES = {".doc": "Word 97–2003-filen", ".odt": "OpenDocument-filen"}


def read_office(path: Path, data: bytes, problems: Diagnostics) -> SourceDocument | None:
    expected = EXPECTED[path.suffix.lower()]
    assert expected is not None, "read only for .doc and .odt"
    if content_kind(data) != expected:  # LibreOffice would read any text as a document
        problems.error(
            Location(path),
            f"filen er ikke {describe(expected)}, selv om endelsen sier det; den er skadet eller en annen filtype",
            _SAVE_AS_DOCX,
        )
        return None
    converted = _convert(path, data, problems)
    if converted is None:
        return None
    return read_docx(path, converted, problems)


def _convert(path: Path, data: bytes, problems: Diagnostics) -> bytes | None:
    where, suffix = Location(path), path.suffix.lower()
    what = _NAMES.get(suffix, "filen")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        problems.error(where, f"{what} kan bare importeres når LibreOffice er installert", _SAVE_AS_DOCX)
        return None
    seconds = _seconds()
    with tempfile.TemporaryDirectory(prefix="oversikt-convert-") as scratch:
        folder = Path(scratch)
        source = folder / f"kilde{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "docx",
            "--outdir",
            str(folder / "ut"),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # one group, killed whole
        )
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            kill_group(process)
            message = f"LibreOffice brukte mer enn {seconds:g} sekunder på å gjøre om {what} og ble stoppet"
            problems.error(where, message, _SAVE_AS_DOCX)
            return None
        finally:
            kill_group(process)  # whatever it left running
        converted = folder / "ut" / "kilde.docx"
        if process.returncode != 0 or not converted.is_file():
            problems.error(where, f"LibreOffice kunne ikke gjøre om {what} til .docx; den er skadet", _SAVE_AS_DOCX)
            return None
        return converted.read_bytes()


def _seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("OVERSIKT_CONVERT_SECONDS", CONVERT_SECONDS)))
    except ValueError:
        return CONVERT_SECONDS
