"""``oversikt init``: a new edition from the template, ready to build."""

from __future__ import annotations

import argparse
from pathlib import Path

from builder.commands.common import EXIT_OK, refuse


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "init",
        help="start en ny utgave fra en mal",
        description="Lager en ny innholdsmappe som kan bygges med en gang.",
    )
    parser.add_argument("directory", type=Path, metavar="MAPPE", help="mappen som skal lages")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    target: Path = args.directory
    if target.exists() and any(target.iterdir()):
        return refuse(f"{target} finnes og er ikke tom; velg en ny mappe")
    import shutil
    from importlib import resources

    from builder.diagnostics import Diagnostics
    from builder.outputs import write_folder

    template = resources.files("builder").joinpath("data/template")
    with resources.as_file(template) as source:
        write_folder(target, lambda folder: shutil.copytree(source, folder), Diagnostics(), option=None)
    print(f"Ny utgave i {target}. Rediger filene der og kjør: oversikt build {target}")
    return EXIT_OK
