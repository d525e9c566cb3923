"""Decides what the document shows: title, narrative and the agreement table,
with every label, date, marker and mark settled here once for all writers.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from builder import norwegian
from builder.diagnostics import Diagnostics
from builder.model import (
    Agreement,
    AgreementRow,
    AgreementTable,
    Document,
    Edition,
    Layout,
    RowGroup,
    Run,
    Title,
)
from builder.narrative import render_narrative


def date_values(edition: Edition) -> dict[str, str]:
    return {
        "date_long": norwegian.date_long(edition.as_of),
        "date_short": norwegian.date_short(edition.as_of),
        "year": str(edition.as_of.year),
        "region": edition.region,
    }


def template_context(edition: Edition, title: str) -> dict[str, Any]:
    """The names a narrative file may use in its placeholders."""
    return {
        "region": edition.region,
        "members": list(edition.members),
        "as_of": edition.as_of,
        "year": edition.as_of.year,
        "title": title,
        "categories": list(edition.categories),
        "agreements": list(edition.agreements),
    }


def assemble(edition: Edition, layout: Layout, problems: Diagnostics) -> Document:
    language = edition.language
    dates = date_values(edition)
    title = edition.title or layout.label(language, "title", **dates)
    narrative = render_narrative(
        edition.narrative, template_context(edition, title), layout.label(language, "and"), problems
    )
    return Document(
        title=title,
        language_tag=norwegian.LANGUAGE_TAGS[language],
        subject=layout.label(language, "subject", **dates),
        blocks=(Title(title), *narrative, agreement_table(edition, layout)),
        footer_page_label=layout.labels[language]["page"],
        created=dt.datetime.combine(edition.as_of, dt.time()),
    )


def agreement_table(edition: Edition, layout: Layout) -> AgreementTable:
    language = edition.language
    labels = layout.labels[language]
    dates = date_values(edition)
    parents = {a.part_of for a in edition.agreements if a.part_of}
    marker = labels["part_marker"]
    groups = tuple(
        RowGroup(
            category.name,
            tuple(_row(a, edition.members, parents, marker, labels["see_below"]) for a in category.agreements),
        )
        for category in edition.categories
    )
    return AgreementTable(
        header=(
            layout.label(language, "name_header", **dates),
            labels["form_header"],
            *edition.members,
            labels["comment_header"],
        ),
        groups=groups,
        mark=labels["mark"],
        caption=layout.label(language, "table_caption", **dates),
        description=layout.label(
            language,
            "table_description",
            count=str(len(edition.agreements)),
            categories=str(len(edition.categories)),
            members=norwegian.and_list(edition.members, labels["and"]),
            region=edition.region,
        ),
    )


def _row(agreement: Agreement, members: tuple[str, ...], parents: set, marker: str, see_below: str) -> AgreementRow:
    name = agreement.name + (marker if agreement.part_of else "")
    runs: tuple[Run, ...] = (Run(name),)
    if agreement.id is not None and agreement.id in parents:
        runs = (Run(name + " "), Run(see_below + marker, emphasis=True))
    taking_part = set(agreement.members)
    return AgreementRow(
        name=runs,
        form=agreement.form or "",
        marks=tuple(m in taking_part for m in members),
        comment=agreement.comment,
    )
