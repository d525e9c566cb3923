"""Which of a source's tables hold the agreements, and where the others go.

A Word file grown over the years has more tables than the overview: a box
(a one-cell table) around a caveat, a small table in the text, the overview
split in two after a page break with its header repeated. The agreement
table is the first whose header names the members (by the layout's labels);
a table after it that starts with that header again, or is as wide, goes on
with it. Every other table is narrative, read as text in its place.
"""

from __future__ import annotations

from dataclasses import replace

from builder.diagnostics import Diagnostics, Location
from builder.importing.header import Labels, fold, is_header
from builder.importing.source import SourceDocument, SourceRow, SourceTable
from builder.model import Block

_MIN_FILLED = 4  # a header without known labels: the first row with this many filled cells


def place_tables(source: SourceDocument, labels: Labels, problems: Diagnostics) -> SourceDocument:
    """``source`` with its tables' rows as the agreement rows and the other
    tables in its narrative; a source of one table is returned as it is."""
    if not source.tables:
        return source
    first = _first_agreement_table(source.tables, labels)
    chosen: list[SourceTable] = []
    if first is not None:
        header = _header(source.tables[first].rows, labels)
        chosen = [source.tables[first]]
        chosen += [table for table in source.tables[first + 1 :] if _goes_on(table.rows, header, labels)]
    taken = {id(table) for table in chosen}
    narrative: list[Block] = []
    position = 0
    text_after = bool(chosen) and len(source.narrative) > chosen[0].position
    for index, table in enumerate(source.tables):
        narrative += source.narrative[position : table.position]
        position = table.position
        if id(table) in taken:
            problems.items.extend(table.problems.items)
            continue
        blocks = table.as_text(problems)
        narrative += blocks
        text_after = text_after or (first is not None and index > first and bool(blocks))
    narrative += source.narrative[position:]
    if text_after:
        problems.warning(
            Location(source.path),
            "teksten etter tabellen er lagt til i fortellingen, som i oversikten står foran tabellen",
            "flytt den i text/ om den skal stå et annet sted",
        )
    rows = tuple(row for table in chosen for row in table.rows)
    return replace(source, rows=rows, narrative=tuple(narrative), tables=())


def _first_agreement_table(tables: tuple[SourceTable, ...], labels: Labels) -> int | None:
    for index, table in enumerate(tables):
        if any(is_header(row.cells, labels) for row in table.rows):
            return index
    for index, table in enumerate(tables):
        if any(_filled(row) >= _MIN_FILLED for row in table.rows):
            return index
    return None


def _header(rows: tuple[SourceRow, ...], labels: Labels) -> SourceRow:
    return next(
        (row for row in rows if is_header(row.cells, labels)),
        next(row for row in rows if _filled(row) >= _MIN_FILLED),
    )


def _goes_on(rows: tuple[SourceRow, ...], header: SourceRow, labels: Labels) -> bool:
    """Whether a later table is the rest of the agreement table: it starts
    with the header again (perhaps another date over the names), or has as
    many columns as the header row."""
    first = next((row for row in rows if _filled(row)), None)
    if first is None:
        return False
    if is_header(first.cells, labels) and [fold(c) for c in first.cells[1:]] == [fold(c) for c in header.cells[1:]]:
        return True
    return len(header.cells) >= _MIN_FILLED and len(first.cells) == len(header.cells)


def _filled(row: SourceRow) -> int:
    return sum(1 for cell in row.cells if cell.strip())
