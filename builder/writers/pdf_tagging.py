"""Tagging while drawing, for the PDF writer: a tree of structure nodes built
from the Document beside the story, and the marked-content operators that tie
what is drawn to those nodes.

reportlab writes untagged PDF. The PDF writer builds a :class:`StructNode`
tree (Document, H1, P, L/LI/Lbl/LBody, Table/THead/TBody/TR/TH/TD) while it
builds the story, and a :class:`Tagger` brackets what each flowable draws:
real content as ``/TD <</MCID n>> BDC … EMC``, with the node noted against
page and MCID, everything else (grid lines, shading, page numbers, repeated
header rows) as ``/Artifact … EMC``. :mod:`pdf_finish` then writes the tree
into the file. Nothing here knows about platypus or pikepdf.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

# A node without attributes, as most cells are: one shared empty mapping, not a dictionary each
NO_ATTRIBUTES: Mapping[str, str | int] = MappingProxyType({})


class Text(str):
    """An attribute value written as a PDF text string rather than a name."""


class StructNode:
    """One structure element; leaves own the marked content drawn for them.

    A plain class with slots, not a dataclass: a large register's table
    makes one per cell, tens of thousands, and this makes them in half the time.
    """

    __slots__ = (
        "role", "attributes", "title", "alt", "outline", "outline_level", "children", "marked", "anchor", "number",
    )  # fmt: skip

    def __init__(
        self,
        role: str,
        attributes: Mapping[str, str | int] | None = None,
        title: str | None = None,
        alt: str | None = None,
        outline: str | None = None,
        outline_level: int = 0,
    ):
        self.role = role  # a standard structure type: Document, H1, P, L, LI, Lbl, LBody, Table, TR, TH, TD, …
        self.attributes = attributes or NO_ATTRIBUTES  # with "O", the owner: Table or List; never changed
        self.title = title  # /T, e.g. the table's caption
        self.alt = alt  # /Alt, the text alternative of a Figure
        self.outline = outline  # the bookmark text when the node starts a section
        self.outline_level = outline_level
        self.children: list[StructNode] = []
        self.marked: list[tuple[int, int]] = []  # (page index, MCID), in drawing order
        self.anchor: tuple[int, float] | None = None  # page index and height of the first line, for the bookmark
        self.number = 0  # its place in reading order, set when the tree is written (pdf_finish)

    def add(self, role: str, **fields) -> StructNode:
        child = StructNode(role, **fields)
        self.children.append(child)
        return child


class Tagger:
    """Writes marked-content operators into a reportlab canvas and remembers,
    per page, which node each MCID belongs to (the parent tree)."""

    def __init__(self) -> None:
        self.pages: list[list[StructNode]] = []  # page index -> MCID -> node

    def begin_page(self, canvas) -> None:
        while len(self.pages) < canvas.getPageNumber():
            self.pages.append([])

    def current_page(self) -> tuple[int, list[StructNode]]:
        """The current page's index and its nodes by MCID, for a caller that
        marks many leaves at once: the next MCID is the list's length, and
        the node notes (page, MCID) in ``marked``, as :meth:`content_operator` does."""
        return len(self.pages) - 1, self.pages[-1]

    def begin_content(self, canvas, node: StructNode, top: float = 0.0) -> None:
        """What is drawn until :meth:`end` is content of ``node``; ``top`` is
        the height of its first line in the current coordinates, for bookmarks."""
        canvas.addLiteral(self.content_operator(canvas, node, top))

    def content_operator(self, canvas, node: StructNode, top: float = 0.0) -> str:
        """The operator that begins the next marked content of ``node``, for
        a caller that writes many operators at once; noted as :meth:`begin_content` notes it."""
        page = len(self.pages) - 1
        owners = self.pages[page]
        mcid = len(owners)
        owners.append(node)
        node.marked.append((page, mcid))
        if node.outline is not None and node.anchor is None:
            node.anchor = (page, canvas.absolutePosition(0, top)[1])
        return f"/{node.role} <</MCID {mcid}>> BDC"

    def begin_artifact(self, canvas, pagination: str | None = None) -> None:
        """What is drawn until :meth:`end` is an artifact: not read, not in the tree."""
        canvas.addLiteral(self.artifact_operator(pagination))

    @staticmethod
    def artifact_operator(pagination: str | None = None) -> str:
        if pagination:
            return f"/Artifact <</Type /Pagination /Subtype /{pagination}>> BDC"
        return "/Artifact BMC"

    def end(self, canvas) -> None:
        canvas.addLiteral("EMC")

    @contextmanager
    def content(self, canvas, node: StructNode, top: float = 0.0) -> Iterator[None]:
        self.begin_content(canvas, node, top)
        yield
        self.end(canvas)

    @contextmanager
    def artifact(self, canvas, pagination: str | None = None) -> Iterator[None]:
        self.begin_artifact(canvas, pagination)
        yield
        self.end(canvas)


def in_reading_order(tree: StructNode) -> list[StructNode]:
    """The node and everything below it, in reading order.

    A list made in one pass, leaves appended where they stand without a
    stack or a generator between: a large register's tree has some 60,000
    nodes, most of them a row's cells."""
    nodes: list[StructNode] = []
    append = nodes.append

    def visit(node: StructNode) -> None:
        append(node)
        for child in node.children:
            if child.children:
                visit(child)
            else:
                append(child)

    visit(tree)
    return nodes
