"""The ``oversikt`` command: parses arguments, calls the verb, prints.

Each verb lives in its own module under ``builder/commands``.
Exit codes: 0 success (warnings allowed), 1 content errors, 2 usage errors,
3 an internal error (a bug in oversikt, never the editor's fault; --debug shows
its traceback), 130 Ctrl-C, 143 SIGTERM.

This module loads nothing but :mod:`builder.processes` until the command
runs: :func:`run` answers SIGTERM from its first moment, and the verbs are
loaded inside :func:`main`, where a SIGTERM or Ctrl-C that comes while they
load ends the command like one that comes later.
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from builder.processes import run_command

# the verbs' modules under builder.commands, in the order --help lists them
VERBS = ("build", "check", "init", "import_", "roll", "diff", "publish", "serve")


def _parser():
    import argparse
    import importlib

    from builder import __version__

    parser = argparse.ArgumentParser(
        prog="oversikt",
        description="Lager «Oversikt over interkommunale samarbeid» som Word og PDF fra innholdsfiler.",
    )
    parser.add_argument(
        "--version", action="version", version=f"oversikt {__version__}", help="vis versjonsnummeret og avslutt"
    )
    parser.add_argument(
        "--debug", action="store_true", help="vis hele sporingen (traceback) ved intern feil; også OVERSIKT_DEBUG=1"
    )
    verbs = parser.add_subparsers(dest="verb", metavar="KOMMANDO", required=True)
    for verb in VERBS:
        importlib.import_module(f"builder.commands.{verb}").add_to(verbs)
    return parser


def main(argv: list[str] | None = None) -> int:
    from builder.terminal import escaped_output

    # everything printed, argparse's words and a traceback too, leaves through
    # builder.terminal: a value's escape sequence is shown, never run
    with escaped_output():
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    from builder.commands.bokmal import in_bokmal
    from builder.commands.common import EXIT_CONTENT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_TERMINATED, report
    from builder.processes import Terminated

    # only argparse and the verbs' argument definitions are loaded before the
    # verb runs, which loads what it works with
    with in_bokmal():
        args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt as interrupt:
        return EXIT_TERMINATED if isinstance(interrupt, Terminated) else EXIT_INTERRUPTED
    except Exception as error:
        from builder.diagnostics import ContentError

        if isinstance(error, ContentError):
            report(error.diagnostics, getattr(args, "all_warnings", False))
            return EXIT_CONTENT
        # a bug in oversikt: the traceback only when asked for, for the developers
        if args.debug or os.environ.get("OVERSIKT_DEBUG", "").strip() not in ("", "0"):
            import traceback

            traceback.print_exception(error, file=sys.stderr)
        print(f"oversikt: intern feil ({type(error).__name__}: {error}); meld fra til utviklerne", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> NoReturn:
    """The console entry point (see :func:`builder.processes.run_command`)."""
    run_command(main)
