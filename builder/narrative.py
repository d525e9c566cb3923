"""Turns the narrative files (Markdown with Jinja placeholders) into document
blocks: Jinja fills in the placeholders, markdown-it parses the result.

Templates run in Jinja's sandbox with StrictUndefined. Values from the data
are inserted as text: Markdown punctuation in them is escaped, so a name with
``*`` or ``<b>`` prints as written, and nothing in the data is ever run as a
template.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from types import CodeType
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder import norwegian
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
        raise PlaceholderError(f"'{value}' er ikke {what}", did_you_mean(str(value), known) or ", ".join(known))


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
        _known(spelling, vocabulary().names, "en kjent type samarbeid")
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


def make_environment(sources: dict[str, str], conjunction: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
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
        unknown = meta.find_undeclared_variables(tree) - set(TEMPLATE_NAMES)
        for node in tree.find_all(nodes.Name):
            if node.name in unknown and node.ctx == "load":
                message, hint, pattern = _undefined_problem(f"'{node.name}' is undefined", TEMPLATE_NAMES)
                problems.error(_locate(source, node.lineno, pattern), message, hint)


def render_narrative(
    sources: tuple[NarrativeSource, ...], context: dict[str, Any], conjunction: str, problems: Diagnostics
) -> tuple[Block, ...]:
    env = make_environment({str(s.path): s.text for s in sources}, conjunction)
    parser = MarkdownIt("commonmark", {"html": False})
    blocks: list[Block] = []
    for source in sources:
        markdown = _render_template(env, source, context, problems)
        if markdown is not None:
            blocks.extend(_blocks(parser.parse(markdown), source, problems))
    return tuple(blocks)


def _render_template(
    env: SandboxedEnvironment, source: NarrativeSource, context: dict[str, Any], problems: Diagnostics
) -> str | None:
    name = str(source.path)
    try:
        _, code = _compiled(name, source.text)
        return env.template_class.from_code(env, code, env.make_globals(None)).render(context)
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
            "bruk bare navnene og filtrene som README-en viser",
        )
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        problems.error(
            _locate(source, _template_line(exc, name), None),
            f"plassholderen kan ikke fylles ut ({type(exc).__name__}: {exc})",
            "sjekk at filteret passer til verdien, for eksempel date_long til as_of",
        )
    return None


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
        return f"ukjent kommando '{word}' i {{% … %}}", "se README-en for det som kan stå i teksten", _inside(word)
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


def _blocks(tokens: list[Token], source: NarrativeSource, problems: Diagnostics) -> Iterator[Block]:
    stream = iter(tokens)
    for token in stream:
        if token.type == "paragraph_open":
            yield Paragraph(_inline(next(stream)))
        elif token.type == "heading_open":
            yield Heading(int(token.tag[1:]), _inline(next(stream)))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            yield BulletList(_list_items(stream, token.type.replace("_open", "_close")))
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


def _list_items(stream: Iterator[Token], closing: str) -> tuple[ListItem, ...]:
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
            elif inner.type in ("bullet_list_open", "ordered_list_open"):
                children.extend(_list_items(stream, inner.type.replace("_open", "_close")))
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
