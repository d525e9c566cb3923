"""``oversikt diff``: what was added, ended and changed between two editions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from builder.commands.common import EXIT_OK, report

if TYPE_CHECKING:
    from builder.model import Block, ListItem


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "diff",
        help="vis endringene mellom to utgaver",
        description="Viser samarbeid som er nye, avsluttet eller endret (type, kommuner, vertskommune,"
        " andre deltakere, status, kommentar) fra den gamle utgaven til den nye.",
    )
    parser.add_argument("old", type=Path, help="den gamle innholdsmappen")
    parser.add_argument("new", type=Path, help="den nye innholdsmappen")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from builder.build import changes_between
    from builder.diagnostics import Diagnostics

    warnings = Diagnostics()
    blocks = changes_between(args.old, args.new, warnings)
    report(warnings)
    print(plain_text(blocks), end="")
    return EXIT_OK


def plain_text(blocks: tuple[Block, ...]) -> str:
    """Headings, paragraphs and nested lists as lines for a terminal."""
    from builder.model import BulletList, Heading, Paragraph

    lines: list[str] = []

    def items(entries: tuple[ListItem, ...], depth: int) -> None:
        for entry in entries:
            lines.append("  " * depth + "- " + "".join(run.text for run in entry.runs))
            items(entry.children, depth + 1)

    for block in blocks:
        if isinstance(block, (Heading, Paragraph)):
            lines.append("".join(run.text for run in block.runs))
        elif isinstance(block, BulletList):
            items(block.items, 1)
    return "\n".join(lines) + "\n"
