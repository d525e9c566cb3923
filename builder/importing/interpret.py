"""Interprets a source as an edition: finds the header row and from it the
members, the date and the language; hands the rows under it to
:class:`~builder.importing.rows.AgreementRows`; takes the title and the
region from the narrative. Whatever had to be guessed carries a note.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections import Counter

from builder.diagnostics import Diagnostics, Location
from builder.formula_cells import formula_start
from builder.importing.header import Columns, Labels, find_columns, find_date, is_header, language_of
from builder.importing.imported import ImportedEdition
from builder.importing.rows import AgreementRows
from builder.importing.source import SourceDocument, SourceRow, merge_runs
from builder.importing.tables import place_tables
from builder.model import Block, BulletList, Heading, ListItem, Paragraph, Run
from builder.walk import plain

PLACEHOLDER_REGION = "Ukjent region"
_REGION = re.compile(r"\b[A-ZÆØÅ]\w*(?:-\w+)*?-?regionen\b")


def interpret(source: SourceDocument, labels: Labels, problems: Diagnostics) -> ImportedEdition | None:
    """The edition in ``source``; None (with an error) when it has no usable table."""
    source = place_tables(source, labels, problems)
    where = Location(source.path)
    header_index = _header_index(source.rows, labels)
    if header_index is None:
        problems.error(where, "fant ingen tabell med samarbeid", "tabellen trenger en overskriftsrad og minst én rad")
        return None
    header = source.rows[header_index]
    body = list(source.rows[header_index + 1 :])
    columns = _columns(source, header, body, problems)
    if columns is None:
        return None
    # merged rows with text: a merged spacer row says nothing of how categories are told apart
    merged = any(row.spans_all and any(cell.strip() for cell in row.cells) for row in body)
    table = AgreementRows(source, columns, labels, problems, header, merged)
    filled = [row for row in body if any(cell.strip() for cell in row.cells)]
    for row, following in zip(filled, [*filled[1:], None]):  # noqa: B905 (one longer when filled is empty)
        table.add(row, following)
    categories = table.finish()
    if not any(category.agreements for category in categories):
        problems.error(where, "fant ingen samarbeid i tabellen", "ingen rad under overskriftsraden kunne leses")
        return None
    narrative, title, title_date = _narrative(source, source.rows[:header_index], labels, problems)
    notes: dict[str, str] = {}
    edition = ImportedEdition(
        source=source.path,
        as_of=_as_of(header.cells[columns.name], title_date, notes),
        region=_region(narrative, title, notes),
        members=tuple(name for _, name in columns.members),
        language=_language([*header.cells, *(row.cells[0] for row in body if row.cells)], labels, notes),
        categories=categories,
        narrative=narrative,
        title=title,
        notes=notes,
    )
    notes["members"] = _members_note(header, columns, labels)
    _warn_of_formulas(edition, header.number, problems)
    if title is not None:
        notes["title"] = "the source's own title; remove this line to use the layout's title with the date"
    return edition


def _warn_of_formulas(edition: ImportedEdition, header_row: int, problems: Diagnostics) -> None:
    """Each value brought in that a spreadsheet would take for a formula, at its row:
    the published CSV neutralises it, but the editor should know it is there.
    (The values are stripped, so only =, +, - and @ can begin them.)"""
    values = [(header_row, "kommunenavnet", member) for member in edition.members]
    for category in edition.categories:
        values.append((category.row, "kategorien", category.name))
        for agreement in category.agreements:
            values += [(agreement.row, "navnet", agreement.name), (agreement.row, "kommentaren", agreement.comment)]
    for row, what, value in values:
        if start := formula_start(value):
            problems.warning(
                Location(edition.source, row),
                f"{what} «{_shown(value)}» begynner med «{start}» og kan bli tolket som en formel i regneark",
                "den publiserte CSV-filen får en apostrof foran verdien; sjekk at verdien skal stå slik",
            )


def _shown(value: str, width: int = 40) -> str:
    flat = " ".join(value.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _columns(source: SourceDocument, header: SourceRow, body: list[SourceRow], problems: Diagnostics) -> Columns | None:
    columns = find_columns(header.cells, [row.cells for row in body])
    where = Location(source.path, header.number)
    members = [name for _, name in columns.members]
    if not members:
        problems.error(
            where,
            "fant ingen kolonner for kommunene i overskriftsraden",
            "overskriftsraden skal ha navn, type samarbeid, én kolonne per kommune og kommentarer",
        )
        return None
    if len(set(members)) < len(members):
        twice = next(name for name in members if members.count(name) > 1)
        problems.error(where, f"kommunen '{twice}' har to kolonner i overskriftsraden")
        return None
    return columns


def _as_of(name_header: str, title_date: dt.date | None, notes: dict[str, str]) -> dt.date:
    if (as_of := find_date(name_header)) is not None:
        notes["as_of"] = f'from "{name_header.strip()}" in the table header'
        return as_of
    if title_date is not None:
        notes["as_of"] = "from the title"
        return title_date
    notes["as_of"] = "guessed: the source gives no date; write the date the overview is for"
    return dt.date(dt.date.today().year, 1, 1)


def _language(texts: list[str], labels: Labels, notes: dict[str, str]) -> str:
    language = language_of(texts, labels)
    if language is None:
        notes["language"] = "guessed: the table's labels say neither bokmål nor nynorsk"
        return "nb"
    return language


def _members_note(header: SourceRow, columns: Columns, labels: Labels) -> str:
    if not is_header(header.cells, labels):
        return f"guessed: row {header.number} is taken as the header, having no known labels"
    if columns.guessed_form:
        return "guessed: the second column is taken as the form, the others up to the comments as members"
    return "the table's columns, in this order"


def _header_index(rows: tuple[SourceRow, ...], labels: Labels) -> int | None:
    for index, row in enumerate(rows):
        if is_header(row.cells, labels):
            return index
    # no recognisable labels: the first row with at least four filled cells
    for index, row in enumerate(rows):
        if sum(1 for cell in row.cells if cell.strip()) >= 4:
            return index
    return None


def _narrative(
    source: SourceDocument, above: tuple[SourceRow, ...], labels: Labels, problems: Diagnostics
) -> tuple[tuple[Block, ...], str | None, dt.date | None]:
    """The narrative without the title, the title if it is the source's own, and
    the date the title gives."""
    blocks = list(source.narrative)
    for row in above:
        text = " ".join(cell.strip() for cell in row.cells if cell.strip())
        problems.warning(
            Location(source.path, row.number), "raden står over tabellen og er tatt med som tekst foran tabellen"
        )
        blocks.append(Paragraph(merge_runs([Run(text)])))
    pattern = _title_pattern(labels)
    title = source.title
    if title is None and blocks and isinstance(blocks[0], (Paragraph, Heading)):
        first = plain(blocks[0].runs)
        if pattern.fullmatch(" ".join(first.split())):
            title = first
            blocks.pop(0)
    if title is None:
        return tuple(blocks), None, None
    matched = pattern.fullmatch(" ".join(title.split()))
    date = find_date(title)
    return tuple(blocks), (None if matched else title), date


def _title_pattern(labels: Labels) -> re.Pattern:
    """The layout's titles with their placeholders as wildcards."""
    alternatives = []
    for own in labels.values():
        parts = []
        for literal, field_name, _, _ in string.Formatter().parse(own["title"]):
            parts.append(r"\s+".join(map(re.escape, literal.split(" "))))
            if field_name is not None:
                parts.append(".+?")
        alternatives.append("".join(parts))
    return re.compile("|".join(f"(?:{a})" for a in dict.fromkeys(alternatives)), re.IGNORECASE)


def _region(narrative: tuple[Block, ...], title: str | None, notes: dict[str, str]) -> str:
    """The name ending in "-regionen" the narrative uses most."""
    texts = [title or ""]
    for block in narrative:
        if isinstance(block, (Paragraph, Heading)):
            texts.append(plain(block.runs))
        elif isinstance(block, BulletList):
            texts.extend(_item_texts(block.items))
    found = Counter(match for text in texts for match in _REGION.findall(text))
    if not found:
        notes["region"] = "guessed: the source does not name the region; write its name"
        return PLACEHOLDER_REGION
    notes["region"] = "guessed from the narrative: check it"
    return found.most_common(1)[0][0]


def _item_texts(items: tuple[ListItem, ...]) -> list[str]:
    texts = []
    for item in items:
        texts.append(plain(item.runs))
        texts.extend(_item_texts(item.children))
    return texts
