"""``oversikt check``: validate the content and write nothing."""

from __future__ import annotations

import argparse

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
    report(prepared.diagnostics, args.all_warnings)
    print(f"{args.content}: i orden ({prepared.diagnostics.summary()})")
    return EXIT_OK
