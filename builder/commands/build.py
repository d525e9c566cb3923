"""``oversikt build``: check the content and write the DOCX and PDF files."""

from __future__ import annotations

import argparse
import contextlib
import re
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
from builder.processes import Renderers
from builder.writers import DEFAULT_FORMATS, FORMATS


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


_FLOW_FORMATS = re.compile(r"^formats:[ \t]*\[([a-z, \t]*)\][ \t]*(?:#.*)?$", re.MULTILINE)


def glance_at_formats(report: Path) -> tuple[str, ...] | None:
    """The formats report.yaml chooses, seen without a YAML parser (which
    loads after the render processes start): none written, the default; one
    line ``formats: [docx, pdf]``, those; anything else, None (read properly later)."""
    try:
        text = report.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if not re.search(r"^formats[ \t]*:", text, re.MULTILINE):
        return DEFAULT_FORMATS
    found = _FLOW_FORMATS.findall(text)
    names = (
        tuple(dict.fromkeys(name.strip() for name in found[0].split(",") if name.strip())) if len(found) == 1 else ()
    )
    return names if names and all(name in FORMATS for name in names) else None


def run(args: argparse.Namespace) -> int:
    from builder.outputs import OutputRefused, check_apart

    try:
        check_apart(args.content, args.out, "--out")
    except OutputRefused as refusal:
        return refuse(str(refusal))
    # the render processes start first, so that they load their writers
    # while this process loads the readers and reads the content; without
    # --format, report.yaml chooses, and where a glance cannot tell what it
    # chose, the formats are rendered here once it is read
    chosen = args.format or glance_at_formats(args.content / "report.yaml")
    with Renderers(chosen) if chosen else contextlib.nullcontext() as renderers:
        from builder.build import build

        written, diagnostics = build(
            args.content, args.out, chosen, strict=args.strict, member=args.member,
            changes_since=args.changes_since, summary=args.summary, renderers=renderers,
        )  # fmt: skip
    report(diagnostics, args.all_warnings)
    for path in written:
        print(path)
    return EXIT_OK
