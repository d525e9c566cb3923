"""Checks a Word or Excel file (a ZIP of XML parts) that came from someone
else before python-docx or openpyxl read it.

Such a file may be broken, or made to exhaust the machine: a ZIP that unpacks
to gigabytes, XML whose entities expand without end or fetch other files. So
the sizes the ZIP declares are checked first, then every XML part is parsed
once with lxml's safe settings (no DTD loaded, no entity resolved, no network,
libxml2's own limits on depth and size kept) while counting what is unpacked,
and a part with a DTD is refused where the parser meets it, since Word and
Excel never write one.
Reading the parts afterwards cannot unpack more than was checked: zipfile
stops at the declared size and verifies the checksum.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from builder.diagnostics import Diagnostics, Location

MIB = 1024 * 1024
MAX_PARTS = 10_000
MAX_PART_SIZE = 64 * MIB  # unpacked; the XML of a 30,000-row table is about 25 MiB
MAX_TOTAL_SIZE = 256 * MIB
# Deflate packs at most about 1,000:1; table XML packs well, but not that well
MAX_RATIO = 500
RATIO_FROM = MIB  # smaller parts do no harm whatever their ratio
_CHUNK = MIB
_ENCRYPTED = 0x1  # the ZIP flag bit for an encrypted part
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def check_package(path: Path, data: bytes, what: str, hint: str, problems: Diagnostics) -> zipfile.ZipFile | None:
    """``data``, the file at ``path``, opened as a ZIP whose XML parts are safe
    to parse; None, with an error ("``what`` kan ikke leses: …", ``hint``),
    when it is not."""
    where = Location(path)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        parts = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        problems.error(where, f"{what} kan ikke leses: den er skadet eller ikke en ZIP-fil ({exc})", hint)
        return None
    problem = _header_problem(parts)
    if problem is None:
        for part in parts:
            if part.filename.lower().endswith(_XML_SUFFIXES) and (problem := _xml_problem(package, part)):
                break
    if problem is not None:
        problems.error(where, f"{what} kan ikke leses: {problem}", hint)
        package.close()
        return None
    return package


def _header_problem(parts: list[zipfile.ZipInfo]) -> str | None:
    if len(parts) > MAX_PARTS:
        return f"filen består av {len(parts)} deler; mer enn {MAX_PARTS} kan ikke importeres"
    total = 0
    for part in parts:
        total += part.file_size
        if part.flag_bits & _ENCRYPTED:
            return f"delen {part.filename} er kryptert"
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return f"delen {part.filename} er pakket på en måte Word og Excel ikke bruker"
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            return f"delen {part.filename} er pakket {ratio}:1, som i en ZIP-bombe, og pakkes ikke ut"
        if part.file_size > MAX_PART_SIZE:
            size = part.file_size // MIB
            return f"delen {part.filename} pakkes ut til {size} MiB; grensen er {MAX_PART_SIZE // MIB} MiB"
    if total > MAX_TOTAL_SIZE:
        return f"filen pakkes ut til {total // MIB} MiB; grensen er {MAX_TOTAL_SIZE // MIB} MiB"
    return None


class _DoctypeFound(Exception):
    pass


class _Checker:
    """A parser target that builds nothing (the check stays fast and small
    whatever the part's size) and stops the parser at a DTD, before libxml2
    reads a single entity declaration of it."""

    def doctype(self, *_) -> None:
        raise _DoctypeFound

    def close(self) -> None:
        return None


def _xml_problem(package: zipfile.ZipFile, part: zipfile.ZipInfo) -> str | None:
    """What is wrong with one XML part, parsed as it is unpacked."""
    # types-lxml's ParserTarget protocol asks for every target method (start, end, data, ...);
    # lxml calls only those a target has, and _Checker has none of those on purpose
    parser = etree.XMLParser(  # type: ignore[call-overload]
        target=_Checker(), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
    )
    unpacked = 0
    try:
        with package.open(part) as stream:
            while chunk := stream.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > part.file_size:  # zipfile stops here itself; say so should that change
                    return f"delen {part.filename} pakkes ut til mer enn ZIP-filen oppgir"
                parser.feed(chunk)
        parser.close()
    except _DoctypeFound:
        return (
            f"delen {part.filename} har en dokumenttypedefinisjon (<!DOCTYPE>), som Word og Excel aldri skriver"
            " og som kan skjule entiteter som fyller minnet; filen leses ikke av sikkerhetshensyn"
        )
    except etree.XMLSyntaxError as exc:
        line = f"linje {exc.lineno}: " if exc.lineno else ""
        return f"delen {part.filename} er ikke gyldig XML ({line}{exc.msg})"
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        # a wrong checksum, a truncated file, an unknown compression or encryption
        return f"delen {part.filename} kan ikke pakkes ut ({exc})"
    return None
