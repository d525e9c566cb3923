"""Imports last year's overview (Word, also .doc and .odt, text export, CSV or spreadsheet) into
content files, so that a region starts from what it has instead of retyping.

Each source kind has its reader (``word``, ``text``, ``tabular``) that turns
the file into one neutral :class:`~builder.importing.source.SourceDocument`;
``interpret`` understands its rows once for all kinds, and ``content_files``
writes the result. Nothing is written unless every file can be, and never
over an existing file unless asked to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from builder.diagnostics import ContentError, Diagnostics, Location
from builder.importing.content_files import DEFAULT_LAYOUT, content_files, narrative_files
from builder.importing.header import Labels
from builder.importing.interpret import interpret
from builder.importing.kinds import EXPECTED, content_kind, describe
from builder.importing.office import read_office
from builder.importing.package import MIB
from builder.importing.source import SourceDocument
from builder.importing.spreadsheet import read_xlsx
from builder.importing.tabular import read_csv
from builder.importing.text import read_text_export
from builder.importing.word import read_docx
from builder.model import BulletList, Heading, ListItem, NarrativeSource, Paragraph
from builder.narrative import render_narrative
from builder.outputs import check_apart, write_atomically
from builder.readers.edition import REPORT_FILE
from builder.readers.layout import find_layout, read_layout

Reader = Callable[[Path, bytes, Diagnostics], "SourceDocument | None"]

READERS: dict[str, Reader] = {
    ".docx": read_docx,
    ".doc": read_office,  # converted by LibreOffice, then read as .docx
    ".odt": read_office,
    ".txt": read_text_export,
    ".tsv": read_text_export,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
}

_RESAVE_AS_KNOWN = "åpne filen i programmet den kom fra og lagre den som .docx, .xlsx eller .csv"
# The largest files read, well above any overview
MAX_TEXT_SIZE = 16 * MIB  # a CSV row of millions of cells fills memory; this bounds it to some 500 MB
MAX_PACKAGE_SIZE = 128 * MIB  # a Word or Excel file, pictures included

_OTHER_KINDS = {
    ".xls": "lagre regnearket som .xlsx eller .csv og importer det",
    ".ods": "lagre regnearket som .xlsx eller .csv og importer det",
    ".pdf": "kopier teksten ut av PDF-filen til en .txt-fil, med tabulator mellom cellene, og importer den",
}


@dataclass(frozen=True)
class ImportResult:
    written: list[Path]
    diagnostics: Diagnostics
    categories: int
    agreements: int


def import_source(source: Path | str, into: Path | str, *, force: bool = False) -> ImportResult:
    """Read ``source`` and write an edition into ``into``.

    Raises ContentError, having written nothing, when the source cannot be
    read, holds no usable table, or a file exists in ``into`` and ``force``
    is not set; OutputRefused when ``into`` lies inside another edition's
    folder. Rows it could not interpret are warnings in the result.
    """
    source, into = Path(source), Path(into)
    _check_outside_editions(into)
    problems = Diagnostics()
    document = _read(source, problems)
    labels = _labels(into, problems)
    edition = interpret(document, labels, problems) if document and labels else None
    if edition is None or problems.errors:
        raise ContentError(problems)
    files = content_files(edition)
    targets = {into / name: text.encode("utf-8") for name, text in files.items()}
    existing = sorted(path for path in targets if path.exists())
    if existing and not force:
        for path in existing:
            problems.error(
                Location(path),
                "filen finnes fra før og er ikke skrevet over",
                "bruk --force for å skrive over, eller velg en tom mappe med --into",
            )
        raise ContentError(problems)
    _check_narrative(edition.narrative, files, into, problems)
    write_atomically(targets, problems, option="--into")
    return ImportResult(list(targets), problems, len(edition.categories), len(edition.agreements))


def _check_outside_editions(into: Path) -> None:
    """The new edition's folder must not lie inside another's (a folder with
    report.yaml), whose roll would copy it and whose files it would mix with."""
    for folder in into.resolve().parents:
        if (folder / REPORT_FILE).is_file():
            check_apart(folder, into, "--into")


def _read(source: Path, problems: Diagnostics) -> SourceDocument | None:
    suffix = source.suffix.lower()
    reader = READERS.get(suffix)
    where = Location(source)
    if reader is None:
        known = ", ".join(sorted(READERS))
        problems.error(
            where,
            f"filtypen '{suffix or source.name}' kan ikke importeres",
            _OTHER_KINDS.get(suffix, f"kjente filtyper er {known}"),
        )
        return None
    if not source.exists():
        problems.error(where, "filen finnes ikke")
        return None
    if not source.is_file():
        problems.error(where, "dette er ikke en vanlig fil", _RESAVE_AS_KNOWN)
        return None
    limit = MAX_TEXT_SIZE if EXPECTED[suffix] is None else MAX_PACKAGE_SIZE
    try:
        with source.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        problems.error(where, f"filen kan ikke leses: {exc.strerror}")
        return None
    if len(data) > limit:
        problems.error(
            where, f"filen er større enn {limit // MIB} MiB, mer enn en oversikt kan være", "sjekk at det er riktig fil"
        )
        return None
    if _wrong_kind(source, suffix, data, problems):
        return None
    return reader(source, data, problems)


def _wrong_kind(source: Path, suffix: str, data: bytes, problems: Diagnostics) -> bool:
    """Whether the file is, by its content, not what its name says (said as an error)."""
    kind, expected = content_kind(data), EXPECTED[suffix]
    if kind is None or kind == expected:
        return False  # what it should be, or too broken to tell: the reader says what is wrong
    own = next((own for own, content in EXPECTED.items() if content == kind), None)
    if own is not None:
        hint = f"gi filen endelsen {own} og importer den på nytt"
    else:
        hint = _OTHER_KINDS.get(f".{kind}", _RESAVE_AS_KNOWN)
    problems.error(Location(source), f"filen ser ut til å være {describe(kind)}, ikke det endelsen {suffix} sier", hint)
    return True


def _labels(into: Path, problems: Diagnostics) -> Labels | None:
    """The labels of the layout the edition will use, to recognise them in the source."""
    path = find_layout(DEFAULT_LAYOUT, into)
    layout = read_layout(path, problems) if path else None
    return layout.labels if layout else None


def _check_narrative(narrative, files: dict[str, str], into: Path, problems: Diagnostics) -> None:
    """Read each written text file back as a build would; where it does not give
    the source's text and styles exactly, say so."""
    for name, blocks in narrative_files(narrative).items():
        path = into / "text" / name
        back = render_narrative((NarrativeSource(path, files[f"text/{name}"]),), {}, "og", Diagnostics())
        if _visible(back) != _visible(blocks):
            problems.warning(
                Location(path),
                "teksten kunne ikke skrives helt likt kilden i Markdown (kursiv eller fet skrift tett inntil tegn)",
                "sammenlign med kilden og rett i filen",
            )


def _visible(blocks) -> tuple:
    """Blocks without empty runs, which markdown-it leaves after a closing "**"
    and no writer shows."""
    result = []
    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            block = replace(block, runs=tuple(run for run in block.runs if run.text))
        elif isinstance(block, BulletList):
            block = BulletList(_visible_items(block.items))
        result.append(block)
    return tuple(result)


def _visible_items(items: tuple[ListItem, ...]) -> tuple[ListItem, ...]:
    return tuple(ListItem(tuple(r for r in item.runs if r.text), _visible_items(item.children)) for item in items)
