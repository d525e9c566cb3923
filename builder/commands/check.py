"""``oversikt check``: validate the content and write nothing."""

from __future__ import annotations

import argparse
import sys

from builder.commands.common import EXIT_OK, add_all_warnings_argument, add_content_argument, report


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "check", help="sjekk innholdet uten å skrive noe", description="Sjekker innholdet og skriver ingenting."
    )
    add_content_argument(parser)
    parser.add_argument("--strict", action="store_true", help="behandle advarsler som feil")
    add_all_warnings_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from builder.build import prepare

    prepared = prepare(args.content, strict=args.strict)
    note = _turn_note(prepared)
    if note:
        print(f"{args.content}: info: {note}", file=sys.stderr)
    report(prepared.diagnostics, args.all_warnings)
    print(f"{args.content}: i orden ({prepared.diagnostics.summary()})")
    return EXIT_OK


def _turn_note(prepared) -> str | None:
    """Why the member names read upwards in the table, if they do."""
    from builder.model import AgreementTable
    from builder.writers.column_widths import turn_note

    table = next(block for block in prepared.document.blocks if isinstance(block, AgreementTable))
    return turn_note(table, prepared.layout)
