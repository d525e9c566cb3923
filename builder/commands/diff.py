"""``oversikt diff``: what was added, ended and changed between two editions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from builder.commands.common import EXIT_OK, report

if TYPE_CHECKING:
    from builder.model import Block


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "diff",
        help="vis endringene mellom to utgaver",
        description="Viser samarbeid som er nye, avsluttet eller endret (type, kommuner, vertskommune,"
        " andre deltakere, status, kommentar) fra den gamle utgaven til den nye.",
    )
    parser.add_argument("old", type=Path, metavar="GAMMEL", help="den gamle innholdsmappen")
    parser.add_argument("new", type=Path, metavar="NY", help="den nye innholdsmappen")
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
    from builder.walk import walk

    return "\n".join(line for lines in walk(blocks, _lines()) for line in lines) + "\n"


def _lines():
    """A visitor that gives each block's lines for a terminal; the section on
    changes has no title, tables or charts."""
    from builder.walk import BlockVisitor, list_items, plain

    class Lines(BlockVisitor[list[str]]):
        def heading(self, block) -> list[str]:
            return [plain(block.runs)]

        paragraph = heading

        def bullet_list(self, block) -> list[str]:
            return ["  " * (depth + 1) + "- " + plain(item.runs) for depth, item in list_items(block.items)]

        def agreement_table(self, block) -> list[str]:
            return []

        title = data_table = chart = agreement_table

    return Lines()
