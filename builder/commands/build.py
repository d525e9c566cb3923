"""``oversikt build``: check the content and write the DOCX and PDF files."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.commands.common import (
    EXIT_OK,
    add_all_warnings_argument,
    add_content_argument,
    add_edition_options,
    formats,
    refuse,
    report,
)


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "build", help="bygg Word- og PDF-filene (og HTML)", description="Sjekker innholdet og bygger utgavene."
    )
    add_content_argument(parser)
    parser.add_argument(
        "--out", default="build", type=Path, metavar="MAPPE", help="mappen filene skrives til (standard: build)"
    )
    parser.add_argument(
        "--format", type=formats, metavar="FORMATER",
        help="ett eller flere av docx, pdf og html, skilt med komma (standard: formats i report.yaml, ellers docx,pdf)",
    )  # fmt: skip
    parser.add_argument("--strict", action="store_true", help="behandle advarsler som feil")
    parser.add_argument(
        "--member", metavar="KOMMUNE", help="bygg én kommunes egen oversikt, eller all for én per kommune"
    )
    add_edition_options(parser)
    add_all_warnings_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from builder.outputs import OutputRefused, check_apart

    try:
        check_apart(args.content, args.out, "--out")
    except OutputRefused as refusal:
        return refuse(str(refusal))
    from builder.build import build

    written, diagnostics = build(
        args.content, args.out, args.format, strict=args.strict, member=args.member,
        changes_since=args.changes_since, summary=args.summary, processes=True,
    )  # fmt: skip
    report(diagnostics, args.all_warnings)
    for path in written:
        print(path)
    return EXIT_OK
