"""``oversikt publish``: a folder for the website, with the overview as HTML,
a page per member, the PDF and DOCX files and the data as CSV and JSON."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.commands.common import (
    EXIT_OK,
    add_all_warnings_argument,
    add_content_argument,
    add_edition_options,
    refuse,
    report,
)


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "publish",
        help="lag en mappe til nettstedet: HTML, PDF, Word og data",
        description="Sjekker innholdet og lager en mappe som kan lastes opp til nettstedet som den er: "
        "oversikten som nettside (index.html), én side per kommune, PDF- og Word-filene og dataene som CSV og JSON."
        " Filer i mappen som publish ikke har laget, skrives ikke over uten --force.",
    )
    add_content_argument(parser)
    parser.add_argument(
        "--out", default="site", type=Path, metavar="MAPPE", help="mappen filene skrives til (standard: site)"
    )
    parser.add_argument("--strict", action="store_true", help="behandle advarsler som feil")
    parser.add_argument(
        "--force", action="store_true",
        help="skriv over filer i mappen som ikke er laget av publish (de som ikke står i .oversikt-publisert)",
    )  # fmt: skip
    add_edition_options(parser)
    add_all_warnings_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from builder.outputs import OutputRefused, check_apart

    try:
        check_apart(args.content, args.out, "--out")
        from builder.publish import publish

        written, diagnostics = publish(
            args.content, args.out, strict=args.strict, changes_since=args.changes_since,
            summary=args.summary, processes=True, force=args.force,
        )  # fmt: skip
    except OutputRefused as refusal:
        return refuse(str(refusal))
    report(diagnostics, args.all_warnings)
    for path in written:
        print(path)
    return EXIT_OK
