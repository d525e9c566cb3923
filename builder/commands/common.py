"""What every verb shares: exit codes, how problems are printed, common arguments."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from builder.writers import FORMATS

if TYPE_CHECKING:
    from builder.diagnostics import Diagnostics

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # the shell's 128 + SIGINT, 128 + SIGTERM


def report(diagnostics: Diagnostics, all_warnings: bool = False) -> None:
    for line in diagnostics.lines(all_warnings=all_warnings):
        print(line, file=sys.stderr)
    if diagnostics.items:
        print(diagnostics.summary(), file=sys.stderr)


def refuse(message: str) -> int:
    """A wrong use of the command, found after parsing."""
    print(f"oversikt: {message}", file=sys.stderr)
    return EXIT_USAGE


def add_content_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "content", nargs="?", default="content", type=Path, metavar="INNHOLD", help="innholdsmappen (standard: content)"
    )


def add_edition_options(parser: argparse.ArgumentParser) -> None:
    """--changes-since and --summary: what an edition shows besides the table,
    the same for every verb that makes one (build, publish, serve)."""
    parser.add_argument(
        "--changes-since", metavar="MAPPE", type=Path,
        help="ta med «Endringer siden …» fra utgaven i denne mappen (fjorårets innholdsmappe)",
    )  # fmt: skip
    parser.add_argument(
        "--summary", action=argparse.BooleanOptionalAction, default=None,
        help="ta med (eller --no-summary: ikke ta med) oppsummeringen med tabell og diagram,"
        " uansett hva report.yaml sier",
    )  # fmt: skip


def add_all_warnings_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--all-warnings", action="store_true",
        help="vis hver advarsel for seg, også når den samme gjelder mange steder",
    )  # fmt: skip


def formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"ukjent format {', '.join(unknown) or value!r}; velg blant {','.join(FORMATS)}"
        )
    return chosen


def date(value: str) -> dt.date:
    """An edition's date, as 'as_of' may have it."""
    from builder.model import EDITION_YEARS
    from builder.norwegian import parse_date

    if (day := parse_date(value)) is None:
        message = f"'{value}' er ingen dato; skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ, for eksempel 2020-01-01"
        raise argparse.ArgumentTypeError(message)
    if day.year not in EDITION_YEARS:
        first, last = EDITION_YEARS.start, EDITION_YEARS.stop - 1
        raise argparse.ArgumentTypeError(f"'{value}' er i år {day.year}; skriv en dato fra {first} til {last}")
    return day
