"""The one walk over a Document's blocks, for every writer and every text
extraction: a visitor says what it makes of each kind of block, and
:func:`walk` calls it on each block in reading order.

Each kind of block is an abstract method, so a visitor that does not say
what it makes of one cannot be made: a new kind of block is noticed by every
writer and every extraction at once, not dropped by the one that forgot it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

from builder.model import (
    AgreementTable,
    Block,
    BulletList,
    Chart,
    DataTable,
    Document,
    Heading,
    Inline,
    ListItem,
    Paragraph,
    Title,
)

T = TypeVar("T")


class BlockVisitor(ABC, Generic[T]):
    """What one writer or extraction makes of each kind of block."""

    @abstractmethod
    def title(self, block: Title) -> T: ...

    @abstractmethod
    def heading(self, block: Heading) -> T: ...

    @abstractmethod
    def paragraph(self, block: Paragraph) -> T: ...

    @abstractmethod
    def bullet_list(self, block: BulletList) -> T: ...

    @abstractmethod
    def agreement_table(self, block: AgreementTable) -> T: ...

    @abstractmethod
    def data_table(self, block: DataTable) -> T: ...

    @abstractmethod
    def chart(self, block: Chart) -> T: ...


VISITOR_METHODS = {
    Title: "title",
    Heading: "heading",
    Paragraph: "paragraph",
    BulletList: "bullet_list",
    AgreementTable: "agreement_table",
    DataTable: "data_table",
    Chart: "chart",
}


def visit(block: Block, visitor: BlockVisitor[T]) -> T:
    """What ``visitor`` makes of one block."""
    method = VISITOR_METHODS.get(type(block))
    if method is None:
        raise TypeError(f"no visitor method for a {type(block).__name__}")
    return getattr(visitor, method)(block)


def walk(blocks: Iterable[Block], visitor: BlockVisitor[T]) -> list[T]:
    """What ``visitor`` makes of each block, in reading order."""
    return [visit(block, visitor) for block in blocks]


def list_items(items: tuple[ListItem, ...], depth: int = 0) -> Iterator[tuple[int, ListItem]]:
    """Every item of a nested list with how deep it stands (0: the outermost), in reading order."""
    for item in items:
        yield depth, item
        yield from list_items(item.children, depth + 1)


def plain(runs: Inline) -> str:
    """The runs' text without their emphasis: what a search, a name or a reader of text only sees."""
    return "".join(run.text for run in runs)


class _Texts(BlockVisitor[list[str]]):
    """Every text a block shows, one string per run, label or cell."""

    def title(self, block: Title) -> list[str]:
        return [block.text]

    def heading(self, block: Heading) -> list[str]:
        return [run.text for run in block.runs]

    def paragraph(self, block: Paragraph) -> list[str]:
        return [run.text for run in block.runs]

    def bullet_list(self, block: BulletList) -> list[str]:
        return [run.text for _, item in list_items(block.items) for run in item.runs]

    def agreement_table(self, block: AgreementTable) -> list[str]:
        parts = [*block.header, block.mark]
        for group in block.groups:
            parts.append(group.heading)
            for row in group.rows:
                parts.extend(run.text for run in row.name)
                parts += [row.form, row.comment]
        return parts

    def data_table(self, block: DataTable) -> list[str]:
        return [*block.header, *(cell for row in block.rows for cell in row)]

    def chart(self, block: Chart) -> list[str]:
        parts = [block.title, *block.categories, *block.series, block.axis_label, block.note]
        return parts + [str(value) for series in block.values for value in series]


def document_text(document: Document) -> str:
    """All text the document shows, for checks that look at characters."""
    parts = [text for texts in walk(document.blocks, _Texts()) for text in texts]
    parts.append(document.footer_page_label)
    return "\n".join(parts)
