"""The one shape every source is read into before it is interpreted.

Each reader (Word, text export, CSV, spreadsheet) turns its file into a
:class:`SourceDocument`: the table as plain rows of cell texts, numbered the
way an editor finds them in the source, and the narrative before the table as
format-neutral blocks. Interpreting what the rows mean happens once, for all.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder.diagnostics import Diagnostics, Location
from builder.model import Block, Run
from builder.readers.text_checks import character_name


@dataclass(frozen=True)
class SourceRow:
    number: int  # the line (text, CSV) or row (Word table, spreadsheet) an editor finds it at
    cells: tuple[str, ...]
    spans_all: bool = False  # one merged cell across the whole table row


@dataclass(frozen=True)
class SourceTable:
    """One of several tables in a source, which may hold the agreements or be
    part of the narrative (a box around a caveat, a small table of its own)."""

    position: int  # how many of the narrative's blocks stand before it
    rows: tuple[SourceRow, ...]
    as_text: Callable[[Diagnostics], tuple[Block, ...]]  # the table read as narrative, in its place
    # what reading its rows found: said only when it holds the agreements
    problems: Diagnostics = field(default_factory=Diagnostics)


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    rows: tuple[SourceRow, ...]
    narrative: tuple[Block, ...] = ()  # what stands before the table
    title: str | None = None  # a paragraph the source styles as its title
    # A source of several tables gives them here, rows empty: which one holds
    # the agreements is decided with the layout's labels (importing.tables)
    tables: tuple[SourceTable, ...] = ()


# What an import reads at most: an overview has a few hundred rows and a
# column per member, so these only stop a file made to exhaust the machine.
MAX_ROWS = 100_000
MAX_COLUMNS = 1_000
LIST_LEVELS = 9  # as deep as Word nests lists; deeper items are kept at the deepest level


def too_large(rows: int, width: int, where: Location, problems: Diagnostics) -> bool:
    """Whether a table of ``rows`` rows, the last ``width`` cells wide, is past
    the limits; if so, said as an error at ``where``."""
    if rows > MAX_ROWS:
        problems.error(
            where,
            f"tabellen har mer enn {MAX_ROWS} rader, flere enn en oversikt kan ha",
            "sjekk at dette er riktig fil, eller del tabellen opp",
        )
    elif width > MAX_COLUMNS:
        problems.error(
            where,
            f"raden er {width} celler bred; en tabell kan ha høyst {MAX_COLUMNS} kolonner",
            "sjekk at dette er riktig fil, og slett tomme kolonner til høyre for tabellen",
        )
    else:
        return False
    return True


def without_trailing_empties(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


_AROUND_BREAK = re.compile(r"[ \t]*\n[ \t]*")
# A line break or tab with the spaces around it, or two spaces or more: one space.
# (A no-break space is kept: it is put there on purpose.)
_WHITE_SPACE = re.compile(r"[ \t\n\r\v\f\u2028\u2029]*[\t\n\r\v\f\u2028\u2029][ \t\n\r\v\f\u2028\u2029]*| {2,}")


def clean_cell(text: str, where: Location, problems: Diagnostics) -> str:
    """One line of text for a table cell, its white space collapsed as it reads
    ("OFK. ⏎Avtalen" is "OFK. Avtalen"); characters no writer can print are
    dropped and named, so nothing disappears silently."""
    text = _WHITE_SPACE.sub(" ", text)
    return drop_unprintable(text, where, problems)


def drop_unprintable(text: str, where: Location, problems: Diagnostics) -> str:
    if not _MAYBE_UNPRINTABLE.search(text):
        return text
    kept = []
    for char in text:
        if _unprintable(char):
            problems.warning(
                where,
                f"tegnet {character_name(char)} kan ikke skrives ut og er ikke tatt med",
                "sjekk teksten i kilden",
            )
        else:
            kept.append(char)
    return "".join(kept)


# Every character _unprintable may refuse (private use is category Co), to pass
# the common text by in one search
_MAYBE_UNPRINTABLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff\U000f0000-\U0010ffff]"
)


def _unprintable(char: str) -> bool:
    code = ord(char)
    if char in "\t\n":
        return False
    return (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or 0xD800 <= code <= 0xDFFF
        or code in (0xFFFE, 0xFFFF)
        or unicodedata.category(char) == "Co"
    )


# Byte-order marks, longest first: UTF-32 LE starts with the UTF-16 LE mark
_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# Share of control characters above which a file is data, not text
_BINARY_SHARE = 0.01
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def decode(data: bytes, path: Path, problems: Diagnostics) -> str | None:
    """The text of a file: in the encoding its byte-order mark names (Excel's
    "Unicode text" is UTF-16 with one), else UTF-8, else Windows-1252, as Excel
    on a Norwegian Windows saves, said aloud so the editor can check. None, with
    an error, for a file that is not text."""
    for mark, codec, name in _MARKS:
        if data.startswith(mark):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                problems.error(
                    Location(path),
                    f"filen begynner som {name}-tekst, men byte {exc.start} er ikke gyldig {name}",
                    "lagre filen på nytt som UTF-8 eller «Unicode-tekst»",
                )
                return None
            return text if _is_text(text, path, problems) else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if not _is_text(text, path, problems):
            return None
        problems.warning(
            Location(path),
            "filen er ikke UTF-8 og er lest som Windows-1252 (vanlig for Excel på Windows)",
            "sjekk at æ, ø og å er riktige i resultatet",
        )
        return text
    return text if _is_text(text, path, problems) else None


def _is_text(text: str, path: Path, problems: Diagnostics) -> bool:
    """Text has no NUL and hardly any other control characters; data read as
    text has many (UTF-16 without its mark has a NUL in every other byte)."""
    if "\0" in text or len(_CONTROLS.findall(text)) > _BINARY_SHARE * len(text):
        problems.error(
            Location(path),
            "filen er ikke tekst, men binære data",
            "åpne den i programmet den kom fra og lagre den som CSV eller tekst (UTF-8 eller «Unicode-tekst»)",
        )
        return False
    return True


def merge_runs(runs: list[Run]) -> tuple[Run, ...]:
    """The runs a Markdown reader would give back for these: white space never
    emphasised, neighbouring runs of one style joined, no white space at the
    ends of the paragraph or around a line break."""
    split: list[Run] = []
    for run in runs:
        text = _AROUND_BREAK.sub("\n", run.text)
        core = text.strip()
        if not core or not (run.emphasis or run.strong):
            split.append(Run(text))
            continue
        start = text.index(core)
        split += [Run(text[:start]), Run(core, run.emphasis, run.strong), Run(text[start + len(core) :])]
    merged: list[Run] = []
    for run in split:
        if not run.text:
            continue
        if merged and (merged[-1].emphasis, merged[-1].strong) == (run.emphasis, run.strong):
            merged[-1] = Run(_AROUND_BREAK.sub("\n", merged[-1].text + run.text), run.emphasis, run.strong)
        else:
            merged.append(run)
    if merged:
        merged[0] = Run(merged[0].text.lstrip(), merged[0].emphasis, merged[0].strong)
        merged[-1] = Run(merged[-1].text.rstrip(), merged[-1].emphasis, merged[-1].strong)
    return tuple(run for run in merged if run.text)
