"""The one shape every source is read into before it is interpreted.

Each reader (Word, text export, CSV, spreadsheet) turns its file into a
:class:`SourceDocument`: the table as plain rows of cell texts, numbered the
way an editor finds them in the source, and the narrative before the table as
format-neutral blocks. Interpreting what the rows mean happens once, for all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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
class SourceDocument:
    path: Path
    rows: tuple[SourceRow, ...]
    narrative: tuple[Block, ...] = ()  # what stands before the table
    title: str | None = None  # a paragraph the source styles as its title


_AROUND_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_LINE_BREAKS = re.compile(r"[\t\n\r\v\f\u2028\u2029]")


def clean_cell(text: str, where: Location, problems: Diagnostics) -> str:
    """One line of text for a table cell: line breaks become spaces, characters no
    writer can print are dropped and named, so nothing disappears silently."""
    text = _LINE_BREAKS.sub(" ", text)
    return drop_unprintable(text, where, problems)


def drop_unprintable(text: str, where: Location, problems: Diagnostics) -> str:
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


def decode(data: bytes, path: Path, problems: Diagnostics) -> str:
    """UTF-8 (with or without the mark Excel puts first); else Windows-1252, as
    Excel on a Norwegian Windows saves, said aloud so the editor can check."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.warning(
            Location(path),
            "filen er ikke UTF-8 og er lest som Windows-1252 (vanlig for Excel på Windows)",
            "sjekk at æ, ø og å er riktige i resultatet",
        )
        return data.decode("cp1252", errors="replace")


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


def plain_text(runs: tuple[Run, ...]) -> str:
    return "".join(run.text for run in runs)
