"""argparse's internals that the command line's bokmål uses, in one place.

- :func:`speaking`: replaces argparse's module globals ``_`` and
  ``ngettext`` (its ``from gettext import gettext as _, ngettext``) while
  inside. Why: argparse looks up its own texts (headings, usage, errors)
  through them when it uses them; the public way, a compiled ``.mo``
  catalogue, is found through environment variables that differ between
  machines (see builder/commands/bokmal.py). Could be replaced only by
  subclassing ArgumentParser and HelpFormatter and overriding every method
  that holds a text: far more of argparse's internals, not fewer.

tests/test_adapters.py checks :data:`RELIES_ON`.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

RELIES_ON: tuple[tuple[Any, str], ...] = ((argparse, "_"), (argparse, "ngettext"))


@contextlib.contextmanager
def speaking(gettext: Callable[[str], str], ngettext: Callable[[str, str, int], str]) -> Iterator[None]:
    """While inside, argparse looks its texts up with ``gettext`` and ``ngettext``."""
    # By name: argparse's stubs do not declare the names it imported from gettext.
    saved = {name: getattr(argparse, name) for name in ("_", "ngettext")}
    argparse.__dict__.update(_=gettext, ngettext=ngettext)
    try:
        yield
    finally:
        argparse.__dict__.update(saved)
