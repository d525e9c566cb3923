"""Turns the narrative files (Markdown with Jinja placeholders) into document
blocks: Jinja fills in the placeholders, markdown-it parses the result.

Three rooms, one job each, joined here:

- ``sandbox``: the bounded Jinja sandbox the files are filled in with;
  values from the data are inserted as escaped text, never run, and a file
  that grows, loops or nests past a limit stops on the line that did it;
- ``template_errors``: Jinja's errors as located messages in the editor's words;
- ``markdown_blocks``: the rendered Markdown as blocks, parsed to a stated
  depth, anything deeper refused with its place rather than dropped.

Every error is a content error on the file's line, so that one run reports
them all.
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2 import meta, nodes

from builder.diagnostics import Diagnostics, Location
from builder.model import Block, NarrativeSource
from builder.narrative.markdown_blocks import markdown_blocks
from builder.narrative.sandbox import (
    COMPILER,
    BoundedEnvironment,
    Budget,
    PlaceholderError,
    bounded_render,
    compiled,
    make_environment,
)
from builder.narrative.template_errors import TOO_DEEP, locate, syntax_problem, template_line, undefined_problem

# The names a narrative file may use; assemble.template_context gives their values.
TEMPLATE_NAMES = ("region", "members", "as_of", "year", "title", "categories", "agreements")


def check_templates(sources: tuple[NarrativeSource, ...], problems: Diagnostics) -> None:
    """Find syntax errors and unknown names without any data, so that they are
    reported in the same run as mistakes in the YAML files."""
    for source in sources:
        try:
            tree, _ = compiled(str(source.path), source.text)
        except jinja2.TemplateSyntaxError as exc:
            message, hint, pattern = syntax_problem(exc.message or "", COMPILER)
            problems.error(locate(source, exc.lineno, pattern), message, hint)
            continue
        except (RecursionError, MemoryError, SyntaxError):
            # Jinja's parser, or Python compiling what it made, gives up on
            # an expression nested hundreds of levels deep
            problems.error(Location(source.path), TOO_DEEP, "skriv plassholdere med færre parenteser i hverandre")
            continue
        unknown = meta.find_undeclared_variables(tree) - set(TEMPLATE_NAMES)
        for node in tree.find_all(nodes.Name):
            if node.name in unknown and node.ctx == "load":
                message, hint, pattern = undefined_problem(f"'{node.name}' is undefined", TEMPLATE_NAMES)
                problems.error(locate(source, node.lineno, pattern), message, hint)


def render_narrative(
    sources: tuple[NarrativeSource, ...], context: dict[str, Any], conjunction: str, problems: Diagnostics
) -> tuple[Block, ...]:
    env = make_environment({str(s.path): s.text for s in sources}, conjunction)
    blocks: list[Block] = []
    for source in sources:
        markdown = _render_template(env, source, _frozen(context), problems)
        if markdown is not None:
            blocks.extend(markdown_blocks(markdown, source, problems))
    return tuple(blocks)


def _frozen(context: dict[str, Any]) -> dict[str, Any]:
    """The values for one file, lists made tuples: with the immutable sandbox,
    nothing a template does reaches the next file or the table."""
    return {name: tuple(value) if isinstance(value, list) else value for name, value in context.items()}


def _render_template(
    env: BoundedEnvironment, source: NarrativeSource, context: dict[str, Any], problems: Diagnostics
) -> str | None:
    name = str(source.path)
    env.budget = Budget()
    try:
        _, code = compiled(name, source.text)
        template = env.template_class.from_code(env, code, env.make_globals(None))
        return bounded_render(template, context)
    except (RecursionError, MemoryError) as exc:
        # the limits above stop what we can foresee; these are what remains
        problems.error(
            locate(source, template_line(exc, name), None),
            TOO_DEEP if isinstance(exc, RecursionError) else "plassholderne her bruker for mye minne",
            "gjør løkker, makroer og gjentakelser mindre",
        )
    except jinja2.TemplateSyntaxError as exc:
        message, hint, pattern = syntax_problem(exc.message or "", env)
        problems.error(locate(source, exc.lineno, pattern), message, hint)
    except PlaceholderError as exc:
        problems.error(locate(source, template_line(exc, name), None), exc.message, exc.hint)
    except jinja2.UndefinedError as exc:
        message, hint, pattern = undefined_problem(exc.message or "", context)
        problems.error(locate(source, template_line(exc, name), pattern), message, hint)
    except jinja2.exceptions.SecurityError as exc:
        problems.error(
            locate(source, template_line(exc, name), r"\{[{%][^}]*?__"),
            "plassholderen prøver å nå noe som ikke er tillatt",
            "bruk bare navnene og filtrene som docs/innhold.md viser",
        )
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        problems.error(
            locate(source, template_line(exc, name), None),
            f"plassholderen kan ikke fylles ut ({type(exc).__name__}: {exc})",
            "sjekk at filteret passer til verdien, for eksempel date_long til as_of",
        )
    return None
