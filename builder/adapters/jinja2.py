"""Jinja2's internals that the narrative sandbox uses, in one place.

- :class:`TreeRewritingSandbox`: overrides ``Environment._parse``, the step
  between parsing a template and compiling it. Why: every for-loop's
  iterable is wrapped in a counting filter, so a template's steps are
  bounded. Jinja's public extensions see tokens or their own tags, not the
  finished tree of every ``for``; rewriting the token stream instead could
  replace it, at the cost of parsing Jinja's expressions ourselves.
- :func:`slice_items`, :func:`join_items`, :func:`sum_items`: the synchronous
  bodies of Jinja's ``slice``, ``join`` and ``sum`` filters
  (``jinja2.filters.sync_do_*``), called after our own checks. Why: the
  public names (``do_slice`` …) are async-aware wrappers that inspect their
  arguments on every call. They could replace these (through
  ``Environment().filters``) with the same results, a little slower.

tests/test_adapters.py checks :data:`RELIES_ON`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import filters, nodes
from jinja2.environment import Environment
from jinja2.sandbox import SandboxedEnvironment

RELIES_ON: tuple[tuple[Any, str], ...] = (
    (Environment, "_parse"),
    (filters, "sync_do_slice"),
    (filters, "sync_do_join"),
    (filters, "sync_do_sum"),
)


class TreeRewritingSandbox(SandboxedEnvironment):
    """A sandbox that hands each parsed template to :meth:`rewrite_tree` before compiling it."""

    def rewrite_tree(self, tree: nodes.Template) -> nodes.Template:
        return tree

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return self.rewrite_tree(super()._parse(source, name, filename))


def slice_items(value: Any, slices: int, fill_with: Any = None) -> Iterator:
    return filters.sync_do_slice(value, slices, fill_with)


def join_items(eval_ctx: Any, value: Iterable, d: str = "", attribute: Any = None) -> str:
    return filters.sync_do_join(eval_ctx, value, d, attribute)


def sum_items(environment: Any, iterable: Iterable, attribute: Any = None, start: Any = 0) -> Any:
    return filters.sync_do_sum(environment, iterable, attribute, start)
