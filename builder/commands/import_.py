"""``oversikt import``: content files from last year's document."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.commands.common import EXIT_OK, add_all_warnings_argument, refuse, report


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "import",
        help="lag innholdsfiler fra fjorårets oversikt",
        description="Leser en oversikt fra Word (.docx), tekst (.txt), CSV eller Excel (.xlsx)"
        " og skriver report.yaml, agreements.yaml og text/*.md.",
    )
    parser.add_argument("source", type=Path, metavar="FIL", help="fila som skal importeres")
    parser.add_argument("--into", required=True, type=Path, metavar="MAPPE", help="mappen innholdsfilene skrives til")
    parser.add_argument("--force", action="store_true", help="skriv over filer som finnes fra før")
    add_all_warnings_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported here: only this verb needs the spreadsheet reader, which is slow to load
    from builder.importing import import_source
    from builder.outputs import OutputRefused

    try:
        result = import_source(args.source, args.into, force=args.force)
    except OutputRefused as refusal:
        return refuse(str(refusal))
    report(result.diagnostics, args.all_warnings)
    for path in result.written:
        print(path)
    print(
        f"Importerte {result.agreements} samarbeid i {result.categories} kategorier til {args.into}."
        f" Sjekk verdiene merket «guessed», og kjør: oversikt build {args.into}"
    )
    return EXIT_OK
