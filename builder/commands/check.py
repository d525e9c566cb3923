"""``oversikt check``: validate the content and write nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder.commands.common import EXIT_OK, add_all_warnings_argument, add_content_argument, report


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "check", help="sjekk innholdet uten å skrive noe", description="Sjekker innholdet og skriver ingenting."
    )
    add_content_argument(parser)
    parser.add_argument("--strict", action="store_true", help="behandle advarsler som feil")
    add_all_warnings_argument(parser)
    parser.add_argument(
        "--enhetsregisteret", metavar="FIL", type=Path,
        help="sjekk samarbeidenes organisasjonsnummer mot Enhetsregisterets nedlasting av alle enheter"
        " (JSON eller CSV, gjerne gzip-pakket, fra data.brreg.no); ingenting hentes fra nettet",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from builder.build import prepare

    prepared = prepare(args.content, strict=args.strict)
    if args.enhetsregisteret is not None:
        _check_register(args, prepared)
    note = _turn_note(prepared)
    if note:
        print(f"{args.content}: info: {note}", file=sys.stderr)
    report(prepared.diagnostics, args.all_warnings)
    print(f"{args.content}: i orden ({prepared.diagnostics.summary()})")
    return EXIT_OK


def _turn_note(prepared) -> str | None:
    """Why the member names read upwards in the table, if they do."""
    from builder.measure import turn_note
    from builder.model import AgreementTable

    table = next(block for block in prepared.document.blocks if isinstance(block, AgreementTable))
    return turn_note(table, prepared.layout)


def _check_register(args: argparse.Namespace, prepared) -> None:
    """Warnings at the org.nrs the register disagrees with; errors (exit 1)
    when the register file cannot be read, or with --strict, any warning."""
    from builder.diagnostics import ContentError
    from builder.enhetsregisteret import check_against_register

    with_numbers = [a for a in prepared.edition.agreements if a.orgnr]
    locations = prepared.reading.places.orgnr  # where the reader found them
    if len(locations) != len(with_numbers):
        raise RuntimeError(f"{len(locations)} orgnr in the file, {len(with_numbers)} in the edition")
    problems = prepared.diagnostics
    check_against_register(args.enhetsregisteret, list(zip(with_numbers, locations, strict=True)), problems)
    if args.strict:
        problems.promote_warnings()
    if problems.errors:
        raise ContentError(problems)
