"""Markdown to document blocks: markdown-it parses a rendered narrative file,
to a stated depth, and anything deeper or larger is refused with its place
rather than dropped, as markdown-it does past its nesting limit."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder.diagnostics import Diagnostics, Location
from builder.model import Block, BulletList, Heading, ListItem, NarrativeSource, Paragraph, Run
from builder.narrative.template_errors import TOO_DEEP

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
            problems.error(Location(source.path, line), TOO_DEEP, _FEWER_LEVELS)
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


@functools.cache
def _parsers() -> tuple[MarkdownIt, MarkdownIt]:
    """The full parser, and one that stops at the blocks, for counting them before the full parse."""
    parser = MarkdownIt("commonmark", {"html": False, "maxNesting": _MARKDOWN_NESTING})
    outline = MarkdownIt("commonmark", {"html": False, "maxNesting": _MARKDOWN_NESTING}).disable("inline")
    return parser, outline


def markdown_blocks(markdown: str, source: NarrativeSource, problems: Diagnostics) -> list[Block]:
    """The blocks of one rendered file; none where it is too large or too deep, with the problem reported."""
    parser, outline = _parsers()
    try:
        if not _affordable(outline.parse(markdown), source, problems):
            return []
        tokens = parser.parse(markdown)
    except RecursionError:
        problems.error(Location(source.path), TOO_DEEP, _FEWER_LEVELS)
        return []
    if not _complete(tokens, source, problems):
        return []
    return list(_blocks(tokens, source, problems))
