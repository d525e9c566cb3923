"""Writes narrative blocks as the Markdown of ``text/*.md``.

Imported text must print exactly as it stood in the source, so every
character that Markdown or a Jinja placeholder would read as syntax is
escaped: ``*emphasis*`` in a sentence stays two stars, ``{{`` stays two braces.
Lists keep their nesting, emphasis and strong text keep their style.
"""

from __future__ import annotations

import re

from builder.model import Block, BulletList, Heading, Inline, ListItem, Paragraph, Run

# Characters Markdown may read as syntax anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# A brace followed by what opens a Jinja placeholder, statement or comment.
_JINJA = re.compile(r"\{(?=[{%#])")
# What Markdown reads as a block when it starts a line.
_LINE_START = re.compile(r"^([#>+=~|-])|^(\d{1,9})([.)])")
LIST_INDENT = "  "


def to_markdown(blocks: tuple[Block, ...]) -> str:
    parts: list[str] = []
    bullets = "-+"  # a new bullet character keeps two lists in a row from running together
    previous_was_list = False
    for block in blocks:
        if isinstance(block, BulletList):
            bullet = bullets[1] if previous_was_list and parts[-1].startswith(bullets[0]) else bullets[0]
            parts.append(_list(block.items, 0, bullet))
            previous_was_list = True
            continue
        previous_was_list = False
        if isinstance(block, Heading):
            parts.append("#" * max(1, min(block.level, 6)) + " " + inline(block.runs, ""))
        elif isinstance(block, Paragraph):
            parts.append(inline(block.runs, ""))
    return "\n\n".join(part for part in parts if part) + "\n"


def _list(items: tuple[ListItem, ...], depth: int, bullet: str) -> str:
    lines = []
    indent = LIST_INDENT * depth
    for item in items:
        lines.append(f"{indent}{bullet} {inline(item.runs, indent + LIST_INDENT)}")
        if item.children:
            lines.append(_list(item.children, depth + 1, bullet))
    return "\n".join(lines)


def inline(runs: Inline, continuation: str) -> str:
    """One paragraph's runs; a line break inside becomes a Markdown hard break
    and the next line is indented by ``continuation``."""
    lines = _spans(list(runs), frozenset()).split("\n")
    escaped = [_escape_line_start(line) for line in lines]
    return ("\\\n" + continuation).join(_JINJA.sub("{\\\\", line) for line in escaped)


_DELIMITERS = {"emphasis": ("*", "_"), "strong": ("**", "__")}


def _spans(runs: list[Run], opened: frozenset[str], following: str = "") -> str:
    """Runs with their styles as nested delimiters: where bold text turns bold
    and italic, the italic part is written inside the bold one. ``following``
    is the first character after these runs."""
    text = []
    index = 0
    while index < len(runs):
        styles = [style for style in _DELIMITERS if getattr(runs[index], style) and style not in opened]
        if not styles or not runs[index].text.strip():
            text.append(_escape(runs[index].text))
            index += 1
            continue
        # the style that lasts longest is opened first, so the other nests inside it
        style = max(styles, key=lambda s: _extent(runs, index, s))
        end = index + _extent(runs, index, style)
        after = runs[end].text[:1] if end < len(runs) else following
        star, underscore = _DELIMITERS[style]
        # right after another closing "*", a "*" would run into it; "_" may not touch a letter after it
        delimiter = underscore if text and text[-1].endswith("*") and not after.isalnum() else star
        text.append(delimiter + _spans(runs[index:end], opened | {style}, after) + delimiter)
        index = end
    return "".join(text)


def _extent(runs: list[Run], start: int, style: str) -> int:
    length = 0
    while start + length < len(runs) and getattr(runs[start + length], style):
        length += 1
    return length


def _escape(text: str) -> str:
    return _ENTITY.sub("\\\\&", _INLINE.sub(r"\\\1", text))


def _escape_line_start(line: str) -> str:
    line = line.lstrip(" \t")
    return _LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", line, count=1)
