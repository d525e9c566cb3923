"""Builds an edition through the Python API instead of the command line.

    python examples/build_with_api.py [CONTENT_DIR] [OUT_DIR]

Defaults: the nynorsk example in examples/nord-sami, written to build/nord-sami.
"""

from __future__ import annotations

import sys
from pathlib import Path

from builder import ContentError, build

HERE = Path(__file__).resolve().parent


def main(content: Path, out: Path) -> int:
    try:
        written, diagnostics = build(content, out)
    except ContentError as error:
        for problem in error.diagnostics.sorted():
            print(problem, file=sys.stderr)
        return 1
    for problem in diagnostics.sorted():
        print(problem, file=sys.stderr)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    arguments = sys.argv[1:]
    content = Path(arguments[0]) if arguments else HERE / "nord-sami"
    out = Path(arguments[1]) if len(arguments) > 1 else Path("build") / content.name
    sys.exit(main(content, out))
