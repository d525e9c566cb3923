"""Narrative blocks from lines of plain text: paragraphs separated by blank
lines, bullet lists (``- ``, ``* ``, ``• ``, ``– ``) nested by indentation,
and ``<i>``/``<b>`` markup, as text copied out of a Word or PDF file has it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.importing.source import LIST_LEVELS, merge_runs
from builder.model import Block, BulletList, ListItem, Paragraph, Run

_BULLET = re.compile(r"^(?P<indent>[ \t]*)[-*•–▪◦]\s+(?P<text>.*)$")
_MARKUP = re.compile(r"</?(i|em|b|strong)>", re.IGNORECASE)
_EMPHASIS, _STRONG = ("i", "em"), ("b", "strong")


def strip_markup(text: str) -> str:
    """Cell text without the ``<i>``/``<b>`` markup of a text export."""
    return _MARKUP.sub("", text)


def runs_from_markup(text: str) -> list[Run]:
    runs: list[Run] = []
    emphasis = strong = 0
    position = 0
    for match in _MARKUP.finditer(text):
        runs.append(Run(text[position : match.start()], emphasis > 0, strong > 0))
        step = -1 if match[0].startswith("</") else 1
        if match[1].lower() in _EMPHASIS:
            emphasis = max(0, emphasis + step)
        else:
            strong = max(0, strong + step)
        position = match.end()
    runs.append(Run(text[position:], emphasis > 0, strong > 0))
    return runs


@dataclass
class _Item:
    indent: int
    runs: list[Run]
    children: list[_Item] = field(default_factory=list)

    def freeze(self) -> ListItem:
        return ListItem(merge_runs(self.runs), tuple(child.freeze() for child in self.children))


def blocks_from_lines(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[Run] = []
    roots: list[_Item] = []
    open_items: list[_Item] = []  # the innermost open item last

    def flush() -> None:
        if paragraph and (runs := merge_runs(paragraph)):
            blocks.append(Paragraph(runs))
        paragraph.clear()
        if roots:
            blocks.append(BulletList(tuple(item.freeze() for item in roots)))
        roots.clear()
        open_items.clear()

    for line in lines:
        if not line.strip():
            flush()
            continue
        bullet = _BULLET.match(line)
        if bullet:
            if paragraph:
                flush()
            indent = len(bullet["indent"].expandtabs(4))
            item = _Item(indent, runs_from_markup(bullet["text"]))
            while open_items and (open_items[-1].indent >= indent or len(open_items) >= LIST_LEVELS):
                open_items.pop()
            (open_items[-1].children if open_items else roots).append(item)
            open_items.append(item)
        elif open_items and line[:1] in " \t":
            open_items[-1].runs += [Run(" "), *runs_from_markup(line.strip())]
        else:
            if roots:
                flush()
            if paragraph:
                paragraph.append(Run(" "))
            paragraph.extend(runs_from_markup(line.strip()))
    flush()
    return blocks
