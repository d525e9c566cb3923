"""``oversikt roll``: next year's edition from this year's."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.commands.common import EXIT_OK, add_all_warnings_argument, date, refuse, report


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "roll",
        help="lag neste års utgave",
        description="Kopierer utgaven til en ny mappe med ny dato. Samarbeid som er sagt opp, tas ut;"
        " planlagte beholdes og meldes til vurdering, sammen med årstall skrevet rett i teksten.",
    )
    parser.add_argument("content", type=Path, metavar="INNHOLD", help="årets innholdsmappe")
    parser.add_argument(
        "--to",
        required=True,
        type=date,
        metavar="DATO",
        help="datoen for den nye utgaven, f.eks. 2020-01-01 eller 01.01.2020",
    )
    parser.add_argument(
        "--into", required=True, type=Path, metavar="MAPPE", help="den nye innholdsmappen (ny eller tom)"
    )
    add_all_warnings_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from builder import norwegian
    from builder.outputs import OutputRefused
    from builder.rolling import RollRefused, roll

    try:
        rolled = roll(args.content, args.to, args.into)
    except (RollRefused, OutputRefused) as refusal:
        return refuse(str(refusal))
    report(rolled.diagnostics, args.all_warnings)
    print(f"Ny utgave per {norwegian.date_long(args.to)} i {rolled.target}.")
    if rolled.left_out:
        print(f"Tatt ut fordi avtalen er sagt opp ({len(rolled.left_out)}):")
        for item in rolled.left_out:
            print(f"  - {norwegian.before_more(item.agreement.name)} ({item.category})")
    if rolled.planned:
        print(f"Under utredning, til vurdering ({len(rolled.planned)}):")
        for item in rolled.planned:
            print(f"  - {norwegian.before_more(item.agreement.name)} ({item.category})")
    print(f"Se over advarslene, og kjør: oversikt diff {args.content} {rolled.target}")
    return EXIT_OK
