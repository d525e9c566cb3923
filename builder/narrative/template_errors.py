"""Jinja's errors as located messages in the editor's words: what went wrong,
a hint, and the line and column in the narrative file (Jinja gives the
line, at best; the column is found on it)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from jinja2.sandbox import SandboxedEnvironment

from builder.diagnostics import Location, did_you_mean
from builder.model import NarrativeSource
from builder.narrative.sandbox import OWN_FILTERS

TOO_DEEP = "teksten har for mange nivåer inne i hverandre"

_QUOTED = re.compile(r"'([^']*)'")
_UNCLOSED = r"\{\{[^{}]*\}(?!\})"  # {{ name }
_NEVER_CLOSED = r"\{[{%](?!.*[}%]\})"  # {{ name   (to the end of the line)
_EMPTY = r"\{\{\s*\}\}|\{%\s*\w+\s*%\}"  # {{ }} or {% if %}


def _inside(word: str) -> str:
    """A pattern for ``word`` inside a placeholder; the column is that of the word."""
    return r"\{[{%][^}]*?(?P<at>" + re.escape(word) + ")"


def syntax_problem(detail: str, env: SandboxedEnvironment) -> tuple[str, str | None, str | None]:
    """Jinja's message in the editor's words, a hint, and a pattern that finds the place on the line."""
    quoted = _QUOTED.search(detail)
    word = quoted.group(1) if quoted else ""
    if detail.startswith("No filter named"):
        hint = did_you_mean(word, list(env.filters)) or f"filtrene er {', '.join(OWN_FILTERS)}"
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


def undefined_problem(detail: str, names: Iterable[str]) -> tuple[str, str | None, str | None]:
    known = sorted(names)
    if match := re.fullmatch(r"'(.+)' is undefined", detail):
        word = match.group(1)
        hint = did_you_mean(word, known) or f"kjente navn er {', '.join(known)}"
        return f"ukjent plassholder '{word}'", hint, _inside(word)
    if match := re.search(r"has no attribute '(.+)'", detail):
        word = match.group(1)
        return f"'{word}' finnes ikke på denne verdien", f"kjente navn er {', '.join(known)}", _inside(word)
    return f"ukjent plassholder ({detail})", f"kjente navn er {', '.join(known)}", None


def locate(source: NarrativeSource, line: int | None, pattern: str | None) -> Location:
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


def template_line(exc: BaseException, name: str) -> int | None:
    """The template line of the innermost frame Jinja mapped to the file."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
