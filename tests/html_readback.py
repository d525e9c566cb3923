"""Reading an HTML edition back as a reader would: the text a sighted
reader sees and what a screen reader is told, with lxml's HTML parser."""

from __future__ import annotations

from pathlib import Path

import lxml.html

# Spans for one kind of reader only: "vh" is read out but not shown; "label"
# and "lead" are shown on a narrow screen only and hidden from screen readers.
NOT_SEEN_ON_A_WIDE_SCREEN = {"vh", "label", "lead"}


def parse(path: Path | bytes):
    data = path if isinstance(path, bytes) else path.read_bytes()
    return lxml.html.document_fromstring(data)


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def seen_text(element) -> str:
    """The element's text as a wide screen shows it, spaces collapsed."""

    def walk(node) -> str:
        text = node.text or ""
        for child in node:
            if not _classes(child) & NOT_SEEN_ON_A_WIDE_SCREEN:
                text += walk(child)
            text += child.tail or ""
        return text

    return " ".join(walk(element).split())


def agreement_table(page):
    (table,) = page.xpath("//table[contains(@class, 'agreements')]")
    return table


def table_rows(table) -> list[list[str]]:
    """Header row, then every body row, as the cells' seen texts."""
    rows = []
    for row in table.xpath("./thead/tr | ./tbody/tr"):
        rows.append([seen_text(cell) for cell in row.xpath("./th | ./td")])
    return rows
