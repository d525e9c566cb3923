"""The ``oversikt`` command: parses arguments, calls the verb, prints.

Each verb lives in its own module under ``builder/commands``.
Exit codes: 0 success (warnings allowed), 1 content errors, 2 usage errors,
3 an internal error (a bug in oversikt, never the editor's fault).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from builder import __version__
from builder.commands import build, check, diff, import_, init, publish, roll
from builder.commands.common import EXIT_CONTENT, EXIT_INTERNAL, report

VERBS = (build, check, init, import_, roll, diff, publish)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oversikt",
        description="Lager «Oversikt over interkommunale samarbeid» som Word og PDF fra innholdsfiler.",
    )
    parser.add_argument("--version", action="version", version=f"oversikt {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="KOMMANDO", required=True)
    for verb in VERBS:
        verb.add_to(verbs)
    return parser


def main(argv: list[str] | None = None) -> int:
    # only argparse and the verbs' argument definitions are loaded before the
    # verb runs: a build starts its render processes first thing (see
    # builder.parallel), and what is loaded before that is loaded by one
    # process while the other core waits
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from builder.diagnostics import ContentError

        if isinstance(error, ContentError):
            report(error.diagnostics, getattr(args, "all_warnings", False))
            return EXIT_CONTENT
        # a bug in oversikt: say so briefly, without a traceback
        print(f"oversikt: intern feil ({type(error).__name__}: {error}); meld fra til utviklerne", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """The console entry point: :func:`main`, then out without tearing down.

    Why ``os._exit``: after a large register's build the process holds
    hundreds of thousands of objects, and freeing them one by one at
    interpreter shutdown took a quarter of a second; the files are written
    and closed by then, so only the standard streams need flushing. For the
    same reason the cycle collector stays off: everything a build makes
    lives to its end, and a full collection over a large register's objects
    costs a fifth of a second whenever one comes due.
    """
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
