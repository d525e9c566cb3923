"""The ``oversikt`` command: parses arguments, calls the library, prints.

Exit codes: 0 success (warnings allowed), 1 content errors, 2 usage errors,
3 an internal error (a bug in oversikt, never the editor's fault).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from importlib import resources
from pathlib import Path

from builder import __version__
from builder.build import FORMATS, build, prepare
from builder.diagnostics import ContentError, Diagnostics

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"ukjent format {', '.join(unknown) or value!r}; velg blant {','.join(FORMATS)}"
        )
    return chosen


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oversikt",
        description="Lager «Oversikt over interkommunale samarbeid» som Word og PDF fra innholdsfiler.",
    )
    parser.add_argument("--version", action="version", version=f"oversikt {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="KOMMANDO", required=True)

    build_verb = verbs.add_parser(
        "build", help="bygg Word- og PDF-filene", description="Sjekker innholdet og bygger utgavene."
    )
    build_verb.add_argument(
        "content", nargs="?", default="content", type=Path, help="innholdsmappen (standard: content)"
    )
    build_verb.add_argument("--out", default="build", type=Path, help="mappen filene skrives til (standard: build)")
    build_verb.add_argument(
        "--format", default=",".join(FORMATS), type=_formats, help="docx, pdf eller begge: docx,pdf"
    )
    build_verb.add_argument("--strict", action="store_true", help="behandle advarsler som feil")

    check_verb = verbs.add_parser(
        "check", help="sjekk innholdet uten å skrive noe", description="Sjekker innholdet og skriver ingenting."
    )
    check_verb.add_argument(
        "content", nargs="?", default="content", type=Path, help="innholdsmappen (standard: content)"
    )
    check_verb.add_argument("--strict", action="store_true", help="behandle advarsler som feil")

    init_verb = verbs.add_parser(
        "init",
        help="start en ny utgave fra en mal",
        description="Lager en ny innholdsmappe som kan bygges med en gang.",
    )
    init_verb.add_argument("directory", type=Path, help="mappen som skal lages")

    import_verb = verbs.add_parser(
        "import",
        help="lag innholdsfiler fra fjorårets oversikt",
        description="Leser en oversikt fra Word (.docx), tekst (.txt), CSV eller Excel (.xlsx)"
        " og skriver report.yaml, agreements.yaml og text/*.md.",
    )
    import_verb.add_argument("source", type=Path, help="fila som skal importeres")
    import_verb.add_argument("--into", required=True, type=Path, help="mappen innholdsfilene skrives til")
    import_verb.add_argument("--force", action="store_true", help="skriv over filer som finnes fra før")
    return parser


def _report(diagnostics: Diagnostics) -> None:
    for diagnostic in diagnostics.sorted():
        print(diagnostic, file=sys.stderr)
    if diagnostics.items:
        print(diagnostics.summary(), file=sys.stderr)


def _build(args: argparse.Namespace) -> int:
    written, diagnostics = build(args.content, args.out, args.format, strict=args.strict)
    _report(diagnostics)
    for path in written:
        print(path)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    prepared = prepare(args.content, strict=args.strict)
    _report(prepared.diagnostics)
    print(f"{args.content}: i orden ({prepared.diagnostics.summary()})")
    return EXIT_OK


def _init(args: argparse.Namespace) -> int:
    target: Path = args.directory
    if target.exists() and any(target.iterdir()):
        print(f"oversikt: {target} finnes og er ikke tom; velg en ny mappe", file=sys.stderr)
        return EXIT_USAGE
    template = resources.files("builder").joinpath("data/template")
    with resources.as_file(template) as source:
        shutil.copytree(source, target, dirs_exist_ok=True)
    print(f"Ny utgave i {target}. Rediger filene der og kjør: oversikt build {target}")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    # imported here: only this verb needs the spreadsheet reader, which is slow to load
    from builder.importing import import_source

    result = import_source(args.source, args.into, force=args.force)
    _report(result.diagnostics)
    for path in result.written:
        print(path)
    print(
        f"Importerte {result.agreements} samarbeid i {result.categories} kategorier til {args.into}."
        f" Sjekk verdiene merket «guessed», og kjør: oversikt build {args.into}"
    )
    return EXIT_OK


VERBS = {"build": _build, "check": _check, "init": _init, "import": _import}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return VERBS[args.verb](args)
    except ContentError as error:
        _report(error.diagnostics)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug in oversikt: say so briefly, without a traceback
        print(f"oversikt: intern feil ({type(error).__name__}: {error}); meld fra til utviklerne", file=sys.stderr)
        return EXIT_INTERNAL
