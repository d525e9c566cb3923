"""The bounded Jinja sandbox the narrative files are filled in with.

Templates run in Jinja's sandbox with StrictUndefined. Values from the data
are inserted as text: Markdown punctuation in them is escaped, so a name with
``*`` or ``<b>`` prints as written, and nothing in the data is ever run as a
template.

The sandbox is also bounded, since a text file is content, not code we
trust to end: the size of numbers, repeated and formatted text, loop steps,
calls inside calls and the size of the rendered text all have a limit, and
going over one is a PlaceholderError raised inside the template, so that
the line that did it can be named. The values a template sees cannot be
changed (lists are tuples and the sandbox refuses to mutate), so one file
cannot alter what the next file or the table shows. Jinja's internals are
reached only through builder.adapters.jinja2.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Generator, Iterable, Iterator
from types import CodeType
from typing import Any, cast

import jinja2
from jinja2 import filters as jinja_filters
from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import modifies_known_mutable, safe_range
from jinja2.utils import Namespace

from builder import norwegian
from builder.adapters.jinja2 import TreeRewritingSandbox, join_items, slice_items, sum_items
from builder.diagnostics import did_you_mean
from builder.forms import vocabulary
from builder.model import STATUSES, Agreement

_MARKDOWN_PUNCTUATION = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def _escape_markdown(value: Any) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(value))


class PlaceholderError(Exception):
    """A filter was given a value it cannot use; the message is for the editor."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


def _known(value: str, known: list[str] | tuple[str, ...], what: str) -> None:
    if value not in known:
        raise _unknown(value, known, what)


def _unknown(value: str, known: list[str] | tuple[str, ...], what: str) -> PlaceholderError:
    return PlaceholderError(f"'{value}' er ikke {what}", did_you_mean(str(value), known) or ", ".join(known))


@jinja2.pass_context
def _taking_part(context: jinja2.runtime.Context, agreements: list[Agreement], member: str) -> list[Agreement]:
    _known(member, context["members"], "en av kommunene i report.yaml")
    return [a for a in agreements if member in a.members]


@jinja2.pass_context
def _hosted_by(context: jinja2.runtime.Context, agreements: list[Agreement], member: str) -> list[Agreement]:
    _known(member, context["members"], "en av kommunene i report.yaml")
    return [a for a in agreements if a.host == member]


def _of_form(agreements: list[Agreement], spelling: str) -> list[Agreement]:
    form = vocabulary().lookup(str(spelling))
    if form is None:
        raise _unknown(spelling, vocabulary().names, "en kjent type samarbeid")
    return [a for a in agreements if a.form == form.name]


def _with_status(agreements: list[Agreement], status: str) -> list[Agreement]:
    _known(status, STATUSES, "en status")
    return [a for a in agreements if a.status == status]


# Filters that pick agreements, for counts in the text: {{ agreements | hosted_by("Øyer") | length }}
AGREEMENT_FILTERS = {
    "taking_part": _taking_part,
    "hosted_by": _hosted_by,
    "of_form": _of_form,
    "with_status": _with_status,
}


# What one text file may do. Far above what a real text needs (a register of
# 20,000 agreements listed in full is about a million characters), and low
# enough that a file going over one fails in a second or two.
MAX_TEXT = 1_000_000  # characters the file may become, and any one value in it
MAX_STEPS = 1_000_000  # loop steps and range() elements in all
MAX_DEPTH = 30  # calls inside calls: a macro calling itself, a recursive loop
MAX_DIGITS = 1_000  # digits of a whole number
MAX_WIDTH = 1_000  # a width or padding in a format or a filter
_MAX_BITS = MAX_DIGITS * math.log2(10)


def _over(what: str, limit: int, hint: str) -> PlaceholderError:
    return PlaceholderError(f"{what} (grensen er {limit:,})".replace(",", " "), hint)


def _text_too_long() -> PlaceholderError:
    return _over("teksten blir for lang", MAX_TEXT, "del opp teksten, eller fjern løkker og gjentakelser som lager den")


def _check_length(length: int) -> None:
    if length > MAX_TEXT:
        raise _text_too_long()


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)):
        _check_length(len(value))
    return value


def _check_width(width: Any) -> None:
    if isinstance(width, str):
        width = len(width)
    if isinstance(width, int) and width > MAX_WIDTH:
        raise _over(f"bredden {width} er for stor", MAX_WIDTH, "bruk en mindre bredde")


def _check_number(bits: float) -> None:
    if bits > _MAX_BITS:
        raise _over("tallet får for mange sifre", MAX_DIGITS, "regn med mindre tall")


# a %-conversion, with its width and precision: %-10.3f, %*d
_PERCENT_FIELD = re.compile(r"%[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_STAR_WIDTH = PlaceholderError("bredden i formatet kan ikke hentes fra en verdi (*)", "skriv bredden som et tall")


def _longest(values: Iterable) -> int:
    return max((len(str(value)) for value in values), default=0)


def _check_percent_format(pattern: str, values: Any) -> None:
    """``pattern % values``: each conversion no wider than MAX_WIDTH, and all
    of them, filled with the longest value, no longer than MAX_TEXT."""
    fields = 0
    for match in _PERCENT_FIELD.finditer(pattern):
        fields += 1
        for number in match.groups():
            if number == "*":
                raise _STAR_WIDTH
            _check_width(int(number or 0))
    if isinstance(values, dict):
        values = values.values()
    elif not isinstance(values, tuple):
        values = (values,)
    _check_length(len(pattern) + fields * (MAX_WIDTH + _longest(values)))


def _check_brace_format(pattern: str, values: Iterable) -> None:
    """The same for ``pattern.format(...)``; a width taken from a value is refused."""
    fields = 0
    for _, field, spec, _ in string.Formatter().parse(pattern):
        fields += field is not None
        if spec and "{" in spec:
            raise _STAR_WIDTH
        for number in re.findall(r"\d+", spec or ""):
            _check_width(int(number))
    _check_length(len(pattern) + fields * (MAX_WIDTH + _longest(values)))


def _check_replace(text: str, old: Any, new: Any, count: Any = -1) -> None:
    if isinstance(old, str) and isinstance(new, str):
        found = text.count(old) if old else len(text) + 1
        if isinstance(count, int) and count >= 0:
            found = min(found, count)
        _check_length(len(text) + found * (len(new) - len(old)))


def _check_join(separator: Any, items: list) -> None:
    _check_length(len(str(separator)) * len(items) + sum(len(str(item)) for item in items))


def _check_str_method(owner: str, name: str, args: tuple, kwargs: dict) -> tuple:
    """Refuse a call of ``owner.name`` that would make a huge string; the
    arguments come back, an iterable to join made a list (it is read once)."""
    if name in ("center", "ljust", "rjust", "zfill", "expandtabs") and args:
        _check_width(args[0])
    elif name == "replace":
        _check_replace(owner, *args, **kwargs)
    elif name == "join" and args:
        args = (list(args[0]), *args[1:])
        _check_join(owner, args[0])
    elif name == "format":
        _check_brace_format(owner, (*args, *kwargs.values()))
    elif name == "format_map" and args and isinstance(args[0], dict):
        _check_brace_format(owner, args[0].values())
    return args


# Jinja's filters that make text or lists from a width, a count or a
# separator, each checking its arguments first; the others make no more than
# a few times their input. (Jinja's own do_slice and do_join take an
# evaluation context first: the sync variants are called here, as a
# template that is not async would.)


def _center(value: Any, width: int = 80) -> str:
    _check_width(width)
    return jinja_filters.do_center(value, width)


def _indent(value: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    _check_width(width)
    return jinja_filters.do_indent(value, width, first, blank)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_percent_format(str(value), kwargs or args)
    return jinja_filters.do_format(value, *args, **kwargs)


@jinja2.pass_eval_context
def _replace(eval_ctx: Any, value: Any, old: Any, new: Any, count: int | None = None) -> str:
    _check_replace(str(value), old, new, count)
    return jinja_filters.do_replace(eval_ctx, value, old, new, count)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Iterator:
    _check_width(linecount)
    return jinja_filters.do_batch(value, linecount, fill_with)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Iterator:
    _check_width(slices)
    return slice_items(value, slices, fill_with)


@jinja2.pass_eval_context
def _join(eval_ctx: Any, value: Iterable, d: str = "", attribute: Any = None) -> str:
    items = list(value)
    if attribute is None:
        _check_join(d, items)
    return join_items(eval_ctx, items, d, attribute)


@jinja2.pass_environment
def _sum(environment: Any, iterable: Iterable, attribute: Any = None, start: Any = 0) -> Any:
    if not isinstance(start, (int, float)):  # sum(start=[]) joins lists, as many times as there are items
        raise PlaceholderError("sum kan bare legge sammen tall", "bruk join for å sette sammen tekst")
    return sum_items(environment, iterable, attribute, start)


_BOUNDED_FILTERS = {
    "center": _center,
    "indent": _indent,
    "format": _format,
    "replace": _replace,
    "batch": _batch,
    "slice": _slice,
    "join": _join,
    "sum": _sum,
}


class _BoundedNamespace(Namespace):
    """namespace(): the one value a loop can grow from step to step."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, _check_size(value))


class Budget:
    """What one text file has used of its limits so far."""

    def __init__(self) -> None:
        self.steps = 0
        self.depth = 0

    def step(self, count: int = 1) -> None:
        self.steps += count
        if self.steps > MAX_STEPS:
            raise _over(
                "teksten tar for mange steg å fylle ut", MAX_STEPS, "bruk færre eller mindre løkker inne i hverandre"
            )


_COUNTED = "_counted"  # the filter every for-loop's iterable passes through


class BoundedEnvironment(TreeRewritingSandbox):
    """The sandbox with the limits above, checked where the sandbox hands
    control to us: operators, calls, range() and every loop's iterable;
    and, as in Jinja's ImmutableSandboxedEnvironment, no method that changes
    a list, dict or set."""

    intercepted_binops = frozenset(("**", "*", "%", "+"))

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.budget = Budget()
        self.globals.pop("lipsum", None)  # makes text of any size from a number
        self.globals["range"] = self._range
        self.globals["namespace"] = _BoundedNamespace
        self.filters.update(_BOUNDED_FILTERS)
        self.filters[_COUNTED] = self._counted

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # ImmutableSandboxedEnvironment asks this of every attribute, through
        # abstract base classes, which tripled the time of a loop over a large
        # register; these are the mutable types a template can meet
        if isinstance(obj, (list, dict, set)) and modifies_known_mutable(obj, attr):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def rewrite_tree(self, tree: nodes.Template) -> nodes.Template:
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, _COUNTED, [], [], None, None, lineno=loop.iter.lineno)
        return tree

    def _range(self, *args: int) -> range:
        numbers = safe_range(*args)
        self.budget.step(len(numbers))
        return numbers

    def _counted(self, iterable: Iterable) -> Iterator:
        for item in iterable:
            self.budget.step()
            yield item

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            _check_number(right * math.log2(abs(left)))
        elif operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                _check_number(left.bit_length() + right.bit_length())
            elif isinstance(right, int) and isinstance(left, (str, list, tuple)):
                _check_length(len(left) * right)
            elif isinstance(left, int) and isinstance(right, (str, list, tuple)):
                _check_length(len(right) * left)
        elif operator == "%" and isinstance(left, str):
            _check_percent_format(left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - as Jinja names it
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        if isinstance(owner := getattr(target, "__self__", None), str):
            args = _check_str_method(owner, target.__name__, args, kwargs)
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop: another loop
            args = (__self._counted(args[0]), *args[1:])
        budget = __self.budget
        if budget.depth >= MAX_DEPTH:
            raise _over("for mange kall inne i hverandre", MAX_DEPTH, "en makro som kaller seg selv, må stoppe før")
        budget.depth += 1
        try:
            return _check_size(super().call(__context, __obj, *args, **kwargs))
        finally:
            budget.depth -= 1


def make_environment(sources: dict[str, str], conjunction: str) -> BoundedEnvironment:
    env = BoundedEnvironment(
        loader=jinja2.FunctionLoader(lambda name: (sources[name], name, lambda: True) if name in sources else None),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=_escape_markdown,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date_long=norwegian.date_long,
        date_short=norwegian.date_short,
        month_year=norwegian.month_year,
        and_list=lambda names, conj=conjunction: norwegian.and_list(names, conj),
        alphabetical=norwegian.alphabetical,
        **AGREEMENT_FILTERS,
    )
    return env


OWN_FILTERS = ("date_long", "date_short", "month_year", "and_list", "alphabetical", "length", *AGREEMENT_FILTERS)


# Every environment make_environment gives compiles a file to the same code
# (filters are looked up when the code runs, in the environment it runs in),
# so a file is parsed and compiled once for both its check and its render.
COMPILER = make_environment({}, "og")


@functools.lru_cache(maxsize=64)
def compiled(name: str, text: str) -> tuple[nodes.Template, CodeType]:
    tree = COMPILER.parse(text, name=name)
    return tree, COMPILER.compile(tree, name=name, filename=name)


def bounded_render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The rendered text, taken piece by piece so that a file growing past
    MAX_TEXT stops where it does: the error is raised inside the template,
    which names the line."""
    # Jinja types it an Iterator; it is a generator, which can be thrown into
    stream = cast(Generator[str, None, None], template.generate(context))
    parts: list[str] = []
    length = 0
    for part in stream:
        length += len(part)
        if length > MAX_TEXT:
            stream.throw(_text_too_long())
        parts.append(part)
    return "".join(parts)
