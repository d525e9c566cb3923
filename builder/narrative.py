"""Turns the narrative files (Markdown with Jinja placeholders) into document
blocks: Jinja fills in the placeholders, markdown-it parses the result.

Templates run in Jinja's sandbox with StrictUndefined. Values from the data
are inserted as text: Markdown punctuation in them is escaped, so a name with
``*`` or ``<b>`` prints as written, and nothing in the data is ever run as a
template.

The sandbox is also bounded, since a text file is content, not code we
trust to end: the size of numbers, repeated and formatted text, loop steps,
calls inside calls and the size of the rendered text all have a limit, and
going over one is a content error on the line that did it. The values a
template sees cannot be changed (lists are tuples and the sandbox refuses
to mutate), so one file cannot alter what the next file or the table shows.
Markdown is parsed to a stated depth and anything deeper is refused with its
place, rather than dropped, as markdown-it does past its nesting limit.
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
from jinja2 import meta, nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment, modifies_known_mutable, safe_range
from jinja2.utils import Namespace
from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder import norwegian
from builder.adapters.jinja2 import TreeRewritingSandbox, join_items, slice_items, sum_items
from builder.diagnostics import Diagnostics, Location, did_you_mean
from builder.forms import vocabulary
from builder.model import STATUSES, Agreement, Block, BulletList, Heading, ListItem, NarrativeSource, Paragraph, Run

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
def _taking_part(context, agreements: list[Agreement], member: str) -> list[Agreement]:
    _known(member, context["members"], "en av kommunene i report.yaml")
    return [a for a in agreements if member in a.members]


@jinja2.pass_context
def _hosted_by(context, agreements: list[Agreement], member: str) -> list[Agreement]:
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


class _Budget:
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


class _BoundedEnvironment(TreeRewritingSandbox):
    """The sandbox with the limits above, checked where the sandbox hands
    control to us: operators, calls, range() and every loop's iterable;
    and, as in Jinja's ImmutableSandboxedEnvironment, no method that changes
    a list, dict or set."""

    intercepted_binops = frozenset(("**", "*", "%", "+"))

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.budget = _Budget()
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


def make_environment(sources: dict[str, str], conjunction: str) -> _BoundedEnvironment:
    env = _BoundedEnvironment(
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


_OWN_FILTERS = ("date_long", "date_short", "month_year", "and_list", "alphabetical", "length", *AGREEMENT_FILTERS)


# The names a narrative file may use; assemble.template_context gives their values.
TEMPLATE_NAMES = ("region", "members", "as_of", "year", "title", "categories", "agreements")


# Every environment make_environment gives compiles a file to the same code
# (filters are looked up when the code runs, in the environment it runs in),
# so a file is parsed and compiled once for both its check and its render.
_COMPILER = make_environment({}, "og")


@functools.lru_cache(maxsize=64)
def _compiled(name: str, text: str) -> tuple[nodes.Template, CodeType]:
    tree = _COMPILER.parse(text, name=name)
    return tree, _COMPILER.compile(tree, name=name, filename=name)


def check_templates(sources: tuple[NarrativeSource, ...], problems: Diagnostics) -> None:
    """Find syntax errors and unknown names without any data, so that they are
    reported in the same run as mistakes in the YAML files."""
    for source in sources:
        try:
            tree, _ = _compiled(str(source.path), source.text)
        except jinja2.TemplateSyntaxError as exc:
            message, hint, pattern = _syntax_problem(exc.message or "", _COMPILER)
            problems.error(_locate(source, exc.lineno, pattern), message, hint)
            continue
        except (RecursionError, MemoryError, SyntaxError):
            # Jinja's parser, or Python compiling what it made, gives up on
            # an expression nested hundreds of levels deep
            problems.error(Location(source.path), _TOO_DEEP, "skriv plassholdere med færre parenteser i hverandre")
            continue
        unknown = meta.find_undeclared_variables(tree) - set(TEMPLATE_NAMES)
        for node in tree.find_all(nodes.Name):
            if node.name in unknown and node.ctx == "load":
                message, hint, pattern = _undefined_problem(f"'{node.name}' is undefined", TEMPLATE_NAMES)
                problems.error(_locate(source, node.lineno, pattern), message, hint)


_TOO_DEEP = "teksten har for mange nivåer inne i hverandre"


def render_narrative(
    sources: tuple[NarrativeSource, ...], context: dict[str, Any], conjunction: str, problems: Diagnostics
) -> tuple[Block, ...]:
    env = make_environment({str(s.path): s.text for s in sources}, conjunction)
    parser = MarkdownIt("commonmark", {"html": False, "maxNesting": _MARKDOWN_NESTING})
    outline = MarkdownIt("commonmark", {"html": False, "maxNesting": _MARKDOWN_NESTING}).disable("inline")
    blocks: list[Block] = []
    for source in sources:
        markdown = _render_template(env, source, _frozen(context), problems)
        if markdown is None:
            continue
        try:
            if not _affordable(outline.parse(markdown), source, problems):
                continue
            tokens = parser.parse(markdown)
        except RecursionError:
            problems.error(Location(source.path), _TOO_DEEP, _FEWER_LEVELS)
            continue
        if _complete(tokens, source, problems):
            blocks.extend(_blocks(tokens, source, problems))
    return tuple(blocks)


def _frozen(context: dict[str, Any]) -> dict[str, Any]:
    """The values for one file, lists made tuples: with the immutable sandbox,
    nothing a template does reaches the next file or the table."""
    return {name: tuple(value) if isinstance(value, list) else value for name, value in context.items()}


def _render_template(
    env: _BoundedEnvironment, source: NarrativeSource, context: dict[str, Any], problems: Diagnostics
) -> str | None:
    name = str(source.path)
    env.budget = _Budget()
    try:
        _, code = _compiled(name, source.text)
        template = env.template_class.from_code(env, code, env.make_globals(None))
        return _bounded_render(template, context)
    except (RecursionError, MemoryError) as exc:
        # the limits above stop what we can foresee; these are what remains
        problems.error(
            _locate(source, _template_line(exc, name), None),
            _TOO_DEEP if isinstance(exc, RecursionError) else "plassholderne her bruker for mye minne",
            "gjør løkker, makroer og gjentakelser mindre",
        )
    except jinja2.TemplateSyntaxError as exc:
        message, hint, pattern = _syntax_problem(exc.message or "", env)
        problems.error(_locate(source, exc.lineno, pattern), message, hint)
    except PlaceholderError as exc:
        problems.error(_locate(source, _template_line(exc, name), None), exc.message, exc.hint)
    except jinja2.UndefinedError as exc:
        message, hint, pattern = _undefined_problem(exc.message or "", context)
        problems.error(_locate(source, _template_line(exc, name), pattern), message, hint)
    except jinja2.exceptions.SecurityError as exc:
        problems.error(
            _locate(source, _template_line(exc, name), r"\{[{%][^}]*?__"),
            "plassholderen prøver å nå noe som ikke er tillatt",
            "bruk bare navnene og filtrene som docs/innhold.md viser",
        )
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        problems.error(
            _locate(source, _template_line(exc, name), None),
            f"plassholderen kan ikke fylles ut ({type(exc).__name__}: {exc})",
            "sjekk at filteret passer til verdien, for eksempel date_long til as_of",
        )
    return None


def _bounded_render(template: jinja2.Template, context: dict[str, Any]) -> str:
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


_QUOTED = re.compile(r"'([^']*)'")
_UNCLOSED = r"\{\{[^{}]*\}(?!\})"  # {{ name }
_NEVER_CLOSED = r"\{[{%](?!.*[}%]\})"  # {{ name   (to the end of the line)
_EMPTY = r"\{\{\s*\}\}|\{%\s*\w+\s*%\}"  # {{ }} or {% if %}


def _inside(word: str) -> str:
    """A pattern for ``word`` inside a placeholder; the column is that of the word."""
    return r"\{[{%][^}]*?(?P<at>" + re.escape(word) + ")"


def _syntax_problem(detail: str, env: SandboxedEnvironment) -> tuple[str, str | None, str | None]:
    """Jinja's message in the editor's words, a hint, and a pattern that finds the place on the line."""
    quoted = _QUOTED.search(detail)
    word = quoted.group(1) if quoted else ""
    if detail.startswith("No filter named"):
        hint = did_you_mean(word, list(env.filters)) or f"filtrene er {', '.join(_OWN_FILTERS)}"
        return f"ukjent filter '{word}'", hint, _inside(word)
    if detail.startswith("Encountered unknown tag"):
        return (
            f"ukjent kommando '{word}' i {{% … %}}",
            "se docs/innhold.md for det som kan stå i teksten",
            _inside(word),
        )
    if "unexpected end of template" in detail.lower():
        return (
            "en plassholder eller en blokk avsluttes aldri",
            "sjekk at hver {{ har sin }}, og hver {% if %} sin {% endif %}",
            _NEVER_CLOSED,
        )
    if detail.startswith("Expected an expression"):
        return "plassholderen er tom", "skriv et navn mellom {{ og }}, for eksempel {{ region }}", _EMPTY
    if detail.startswith("unexpected '}'"):
        return "plassholderen lukkes ikke riktig", "avslutt med to krøllparenteser: }}", _UNCLOSED
    return f"feil i plassholder (Jinja: {detail})", "sjekk at {{ og }} står i par", None


def _undefined_problem(detail: str, names: Iterable[str]) -> tuple[str, str | None, str | None]:
    known = sorted(names)
    if match := re.fullmatch(r"'(.+)' is undefined", detail):
        word = match.group(1)
        hint = did_you_mean(word, known) or f"kjente navn er {', '.join(known)}"
        return f"ukjent plassholder '{word}'", hint, _inside(word)
    if match := re.search(r"has no attribute '(.+)'", detail):
        word = match.group(1)
        return f"'{word}' finnes ikke på denne verdien", f"kjente navn er {', '.join(known)}", _inside(word)
    return f"ukjent plassholder ({detail})", f"kjente navn er {', '.join(known)}", None


def _locate(source: NarrativeSource, line: int | None, pattern: str | None) -> Location:
    """The line Jinja named; the column where ``pattern`` matches on it, or,
    without one, of the line's only placeholder. Jinja itself gives no column."""
    if line is None:
        return Location(source.path)
    lines = source.text.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    column = None
    if pattern and (match := re.search(pattern, text)):
        column = match.start("at" if "at" in match.groupdict() else 0) + 1
    elif len(starts := [m.start() for m in re.finditer(r"\{[{%]", text)]) == 1:
        column = starts[0] + 1
    return Location(source.path, line, column)


def _template_line(exc: BaseException, name: str) -> int | None:
    """The template line of the innermost frame Jinja mapped to the file."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# The list levels both writers draw as levels (Word's List Bullet 1 to 3,
# the PDF's three bullets); a deeper list would print as if it were not.
MAX_LIST_DEPTH = 3
# markdown-it's own limit, past which it drops the rest of a file without a
# word; set well above any list a text may have, and checked in _complete.
_MARKDOWN_NESTING = 100
_FEWER_LEVELS = "bruk færre nivåer av lister og sitater (>) inne i hverandre"
_LIST_OPENS = ("bullet_list_open", "ordered_list_open")
_LIST_CLOSES = ("bullet_list_close", "ordered_list_close")


# The blocks a text may have: a register of 20,000 agreements, one list
# item each, in a few seconds of rendering; far more than any text needs.
MAX_BLOCKS = 20_000

# markdown-it looks for the "]" of every "[" to the end of its paragraph:
# work of brackets times length, minutes for a paragraph of 100,000 "![".
MAX_BRACKET_WORK = 10_000_000
_BRACKET = re.compile(r"(?<!\\)(?:\\\\)*\[")  # a "[" not escaped by a backslash


def _affordable(blocks: list[Token], source: NarrativeSource, problems: Diagnostics) -> bool:
    """False, with the place reported, where the file has more than
    MAX_BLOCKS blocks, or a paragraph so many "[" for its length that
    parsing it would take minutes (``blocks``: the file parsed without its
    inline content)."""
    ok = True
    count = 0
    for token in blocks:
        count += token.type == "inline"  # the text of one paragraph, heading or list item
        if count > MAX_BLOCKS:
            problems.error(
                Location(source.path, token.map[0] + 1 if token.map else None),
                f"teksten har flere enn {MAX_BLOCKS:,} avsnitt, overskrifter og listepunkter".replace(",", " "),
                "del den opp, eller la tabellen vise det som listes",
            )
            return False
        if token.type == "inline" and len(_BRACKET.findall(token.content)) * len(token.content) > MAX_BRACKET_WORK:
            problems.error(
                Location(source.path, token.map[0] + 1 if token.map else None),
                "avsnittet har for mange klammeparenteser ([) for lengden sin",
                "del avsnittet opp, eller skriv \\[ for en klammeparentes som ikke hører til en lenke",
            )
            ok = False
    return ok


def _complete(tokens: list[Token], source: NarrativeSource, problems: Diagnostics) -> bool:
    """True when the writers can print everything parsed; else each place
    that is too deep is reported (a list deeper than MAX_LIST_DEPTH, or
    nesting that reached markdown-it's limit and lost the rest)."""
    ok = True
    depth = 0
    line = None
    for token in tokens:
        if token.map:
            line = token.map[0] + 1  # of the Markdown, which is the file's where the placeholders keep the lines
        if token.level >= _MARKDOWN_NESTING - 1:
            problems.error(Location(source.path, line), _TOO_DEEP, _FEWER_LEVELS)
            return False
        if token.type in _LIST_OPENS:
            depth += 1
            if depth == MAX_LIST_DEPTH + 1:
                problems.error(
                    Location(source.path, line),
                    f"listen har flere enn {MAX_LIST_DEPTH} nivåer, og oversikten viser bare {MAX_LIST_DEPTH}",
                    "flytt de dypeste punktene opp et nivå, eller skriv dem som vanlig tekst",
                )
                ok = False
        elif token.type in _LIST_CLOSES:
            depth -= 1
    return ok


def _blocks(tokens: list[Token], source: NarrativeSource, problems: Diagnostics) -> Iterator[Block]:
    stream = iter(tokens)
    for token in stream:
        if token.type == "paragraph_open":
            yield Paragraph(_inline(next(stream)))
        elif token.type == "heading_open":
            yield Heading(int(token.tag[1:]), _inline(next(stream)))
        elif token.type in _LIST_OPENS:
            yield BulletList(_list_items(stream, token.type.replace("_open", "_close"), source, problems))
        elif token.type in ("fence", "code_block"):
            _unsupported(token, source, problems, "kodeblokk")
            yield Paragraph((Run(token.content.rstrip("\n")),))
        elif token.type == "hr":
            _unsupported(token, source, problems, "skillelinje")
        elif token.type == "blockquote_open":
            _unsupported(token, source, problems, "sitatblokk")


def _unsupported(token: Token, source: NarrativeSource, problems: Diagnostics, what: str) -> None:
    line = token.map[0] + 1 if token.map else None
    problems.warning(Location(source.path, line), f"{what} støttes ikke i oversikten og vises som vanlig tekst")


def _list_items(
    stream: Iterator[Token], closing: str, source: NarrativeSource, problems: Diagnostics
) -> tuple[ListItem, ...]:
    items: list[ListItem] = []
    for token in stream:
        if token.type == closing:
            break
        if token.type != "list_item_open":
            continue
        runs: list[Run] = []
        children: list[ListItem] = []
        for inner in stream:
            if inner.type == "list_item_close":
                break
            if inner.type == "inline":
                if runs:
                    runs.append(Run("\n"))
                runs.extend(_inline(inner))
            elif inner.type in _LIST_OPENS:
                children.extend(_list_items(stream, inner.type.replace("_open", "_close"), source, problems))
            elif inner.type in ("fence", "code_block"):  # has no inline token: would vanish
                _unsupported(inner, source, problems, "kodeblokk")
                if runs:
                    runs.append(Run("\n"))
                runs.append(Run(inner.content.rstrip("\n")))
        items.append(ListItem(tuple(runs), tuple(children)))
    return tuple(items)


def _inline(token: Token) -> tuple[Run, ...]:
    runs: list[Run] = []
    emphasis = strong = 0
    link_target: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind == "em_open":
            emphasis += 1
        elif kind == "em_close":
            emphasis -= 1
        elif kind == "strong_open":
            strong += 1
        elif kind == "strong_close":
            strong -= 1
        elif kind == "link_open":
            link_target.append(str(child.attrs.get("href", "")))
        elif kind == "link_close":
            href = link_target.pop() if link_target else ""
            shown = runs[-1].text if runs else ""
            if href and href != shown and not href.startswith("mailto:"):
                runs.append(Run(f" ({href})", emphasis > 0, strong > 0))
        elif kind in ("text", "code_inline", "html_inline"):
            runs.append(Run(child.content, emphasis > 0, strong > 0))
        elif kind == "softbreak":
            runs.append(Run(" ", emphasis > 0, strong > 0))
        elif kind == "hardbreak":
            runs.append(Run("\n", emphasis > 0, strong > 0))
        elif kind == "image":
            runs.append(Run(child.content, emphasis > 0, strong > 0))
    return _merge(runs)


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    """Join neighbouring runs of the same style, so writers see whole phrases."""
    merged: list[Run] = []
    for run in runs:
        if merged and merged[-1].emphasis == run.emphasis and merged[-1].strong == run.strong:
            merged[-1] = Run(merged[-1].text + run.text, run.emphasis, run.strong)
        else:
            merged.append(run)
    return tuple(merged)
