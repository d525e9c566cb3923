"""Checks the agreements' org.nrs against Enhetsregisteret's bulk download of
every entity (``/enhetsregisteret/api/enheter/lastned``: gzip JSON, an array
of objects; or ``…/lastned/csv``), a file the user downloads. Nothing is
fetched: this module never touches the network.

The real file is some 150 MB packed and over a million entities. It is read
as a stream (ijson for JSON, the csv module for CSV) and only the entities
the edition names are kept. It is untrusted input: what it unpacks to is
bounded (:data:`MAX_UNPACKED_BYTES`, against a gzip bomb), and a file that is
not what it should be is an error at the file, never a crash.

Each problem with an agreement is a warning at its ``orgnr`` line: not in the
register (deleted, or mistyped with a valid check digit), bankrupt, being
wound up, or registered with an organisation form other than the
agreement's. Names are not compared: the overview uses everyday names, the
register legal ones.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import ijson

from builder import orgnr
from builder.diagnostics import Diagnostics, Location
from builder.model import Agreement

MAX_UNPACKED_BYTES = 4 * 1024**3  # the real file unpacks to about 1.5 GB; far past that it is no register
READ_SIZE = 1024 * 1024
GZIP_MAGIC = b"\x1f\x8b"

# The register's organisation forms (organisasjonsform.kode) each form of
# cooperation may be registered as. A vertskommune agreement has no entity
# of its own; the other forms are not checked.
REGISTER_FORMS: dict[str, tuple[str, ...]] = {
    "IKS": ("IKS",),  # interkommunalt selskap
    "AS": ("AS", "ASA"),  # aksjeselskap, allmennaksjeselskap
    "Samvirkeforetak": ("SA",),
    "Stiftelse": ("STI",),
    "KO": ("ANNA",),  # kommunalt oppgavefellesskap: annen juridisk person
    "IPR": ("ANNA",),  # interkommunalt politisk råd: annen juridisk person
}
TRUE_WORDS = ("true", "j", "ja")


@dataclass(frozen=True)
class Entity:
    """What the check needs of one entity in the register."""

    number: str
    form: str
    bankrupt: bool
    winding_up: bool
    forced_winding_up: bool
    deleted: str  # slettedato; "" while the entity exists


class RegisterUnreadable(Exception):
    """The file is not a register download this can read: a message for the user, and a hint."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class _Bounded(io.RawIOBase):
    """A stream that refuses to give more than ``limit`` bytes, and counts them."""

    def __init__(self, source, limit: int):
        self.source = source
        self.limit = limit
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(min(len(buffer), self.limit + 1 - self.count))
        self.count += len(data)
        if self.count > self.limit:
            raise RegisterUnreadable(
                f"filen pakkes ut til mer enn {_size(self.limit)}, langt mer enn Enhetsregisteret",
                "last ned filen på nytt fra data.brreg.no",
            )
        buffer[: len(data)] = data
        return len(data)


def _size(count: int) -> str:
    return f"{count / 1024**3:g} GiB" if count >= 1024**3 else f"{count / 1024**2:.0f} MiB"


def read_register(path: Path, wanted: set[str], limit: int | None = None) -> dict[str, Entity]:
    """The entities in the register file at ``path`` whose org.nr is in
    ``wanted``. Raises RegisterUnreadable when the file is not a register
    download (JSON or CSV, gzipped or not), and OSError when it cannot be read."""
    with open(path, "rb") as raw:
        packed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        source = gzip.GzipFile(fileobj=raw, mode="rb") if packed else raw
        bounded = _Bounded(source, MAX_UNPACKED_BYTES if limit is None else limit)
        stream = io.BufferedReader(bounded, READ_SIZE)
        try:
            start = stream.peek(64).lstrip()[:1]
            if start == b"[":
                return _from_json(stream, wanted, bounded)
            return _from_csv(stream, wanted)
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            raise RegisterUnreadable(
                f"filen er ikke en hel gzip-fil ({error})", "last ned filen på nytt; den kan være avbrutt"
            ) from None


def _from_json(stream, wanted: set[str], bounded: _Bounded) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    try:
        for item in ijson.items(stream, "item"):
            if not isinstance(item, dict):
                raise RegisterUnreadable(
                    "filen er en JSON-liste, men ikke av enheter", "bruk nedlastingen av alle enheter fra data.brreg.no"
                )
            number = item.get("organisasjonsnummer")
            if number in wanted:
                form = item.get("organisasjonsform")
                found[number] = Entity(
                    number=number,
                    form=str(form.get("kode", "")) if isinstance(form, dict) else "",
                    bankrupt=item.get("konkurs") is True,
                    winding_up=item.get("underAvvikling") is True,
                    forced_winding_up=item.get("underTvangsavviklingEllerTvangsopplosning") is True,
                    deleted=str(item.get("slettedato") or ""),
                )
    except ijson.JSONError as error:
        raise RegisterUnreadable(
            f"filen er ikke gyldig JSON nær byte {bounded.count:,} (utpakket)".replace(",", " "),
            f"{_first_line(error)}; last ned filen på nytt fra data.brreg.no",
        ) from None
    except RecursionError:
        raise RegisterUnreadable("filen har for mange nivåer inne i hverandre", None) from None
    return found


def _from_csv(stream, wanted: set[str]) -> dict[str, Entity]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    found: dict[str, Entity] = {}
    rows = None
    try:
        header_line = text.readline()
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        header = next(csv.reader([header_line], delimiter=delimiter), [])
        if "organisasjonsnummer" not in header:
            raise RegisterUnreadable(
                "filen er verken Enhetsregisterets JSON eller CSV:"
                " første linje har ingen kolonne 'organisasjonsnummer'",
                "bruk nedlastingen av alle enheter fra data.brreg.no (JSON eller CSV)",
            )
        column = {name: index for index, name in enumerate(header)}
        rows = csv.reader(text, delimiter=delimiter)
        number_at = column["organisasjonsnummer"]

        def cell(row: list[str], name: str) -> str:
            index = column.get(name)
            return row[index] if index is not None and index < len(row) else ""

        for row in rows:
            if number_at < len(row) and row[number_at] in wanted:
                found[row[number_at]] = Entity(
                    number=row[number_at],
                    form=cell(row, "organisasjonsform.kode"),
                    bankrupt=cell(row, "konkurs").strip().lower() in TRUE_WORDS,
                    winding_up=cell(row, "underAvvikling").strip().lower() in TRUE_WORDS,
                    forced_winding_up=cell(row, "underTvangsavviklingEllerTvangsopplosning").strip().lower()
                    in TRUE_WORDS,
                    deleted=cell(row, "slettedato"),
                )
    except csv.Error as error:
        line = 1 if rows is None else rows.line_num + 1
        raise RegisterUnreadable(f"CSV-filen kan ikke leses på linje {line}: {error}") from None
    except UnicodeDecodeError:
        raise RegisterUnreadable(
            "filen er verken JSON eller UTF-8-tekst", "bruk nedlastingen fra data.brreg.no"
        ) from None
    return found


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or ["ugyldig JSON"])[0][:200]


def check_against_register(
    path: Path, places: list[tuple[Agreement, Location]], problems: Diagnostics, limit: int | None = None
) -> None:
    """A warning at the org.nr of each agreement in ``places`` that the
    register at ``path`` says something is wrong with; an error at the file
    when it cannot be read."""
    wanted = {agreement.orgnr for agreement, _ in places if agreement.orgnr}
    try:
        register = read_register(path, wanted, limit)
    except RegisterUnreadable as error:
        problems.error(Location(path), error.message, error.hint)
        return
    except OSError as error:
        problems.error(Location(path), f"registerfilen kan ikke leses: {error.strerror or error}")
        return
    for agreement, where in places:
        number = agreement.orgnr
        if number is None:
            continue
        shown = orgnr.shown(number)
        entity = register.get(number)
        if entity is None or entity.deleted:
            deleted = f" (slettet {entity.deleted})" if entity is not None else ""
            problems.warning(
                where,
                f"{shown} ('{agreement.name}') finnes ikke i Enhetsregisteret{deleted}",
                "enheten kan være slettet, eller nummeret feilskrevet med et kontrollsiffer som tilfeldigvis stemmer",
            )
            continue
        if entity.bankrupt:
            problems.warning(where, f"{shown} ('{agreement.name}') er konkurs, sier Enhetsregisteret")
        if entity.winding_up or entity.forced_winding_up:
            how = "under tvangsavvikling eller tvangsoppløsning" if entity.forced_winding_up else "under avvikling"
            problems.warning(where, f"{shown} ('{agreement.name}') er {how}, sier Enhetsregisteret")
        expected = REGISTER_FORMS.get(agreement.form or "")
        if expected is not None and entity.form not in expected:
            problems.warning(
                where,
                f"{shown} ('{agreement.name}') er registrert som {entity.form or 'ukjent form'} i Enhetsregisteret,"
                f" men samarbeidet er oppgitt som {agreement.form}",
                f"{agreement.form} registreres som {' eller '.join(expected)}; rett 'form' eller 'orgnr'",
            )
