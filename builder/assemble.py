"""Decides what the document shows: title, narrative, the optional summary
and changes sections, and the agreement table, with every label, date,
marker, mark and printed comment settled here once for all writers.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from builder import norwegian
from builder.agreement_facts import agreement_facts, facts_appendix
from builder.diagnostics import Diagnostics
from builder.forms import vocabulary
from builder.model import (
    ACTIVE,
    COMMENT,
    FORM,
    MEMBER,
    NAME,
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
from builder.sections import changes_section, summary_section
from builder.selection import for_member

if TYPE_CHECKING:  # the comparison is made, and its module loaded, only for changes_since
    from builder.changes import Changes


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


def assemble(
    edition: Edition,
    layout: Layout,
    problems: Diagnostics,
    *,
    member: str | None = None,
    changes: Changes | None = None,
    summary: bool | None = None,
) -> Document:
    """The document for ``edition``; for one ``member``, its own edition.

    ``changes`` adds the section on what changed since an earlier edition;
    ``summary`` (default: as report.yaml says) the summary with its chart.
    """
    language = edition.language
    dates = date_values(edition)
    shown = edition
    if member is None:
        title = edition.title or layout.label(language, "title", **dates)
        subject = layout.label(language, "subject", **dates)
    else:
        shown = for_member(edition, member)
        title = layout.label(language, "member_title", member=member, **dates)
        subject = layout.label(language, "member_subject", member=member, **dates)
        changes = changes.involving(member) if changes is not None else None
    narrative = render_narrative(
        shown.narrative, template_context(shown, title), layout.label(language, "and"), problems
    )
    blocks = [Title(title), *narrative]
    if edition.summary if summary is None else summary:
        blocks += summary_section(shown, layout, member)
    if changes is not None:
        blocks += changes_section(changes, layout, language)
    blocks.append(agreement_table(shown, layout))
    if layout.facts_appendix:
        blocks += facts_appendix(shown, layout)
    statement = edition.accessibility_statement
    return Document(
        title=title,
        language_tag=norwegian.LANGUAGE_TAGS[language],
        subject=subject,
        blocks=tuple(blocks),
        footer_page_label=layout.labels[language]["page"],
        created=dt.datetime.combine(edition.as_of, dt.time()),
        footer_links=((layout.labels[language]["accessibility_statement"], statement),) if statement else (),
    )


def agreement_table(edition: Edition, layout: Layout) -> AgreementTable:
    language = edition.language
    labels = layout.labels[language]
    dates = date_values(edition)
    parents = {a.part_of for a in edition.agreements if a.part_of}
    since = layout.table.since == "comment"
    groups = tuple(
        RowGroup(
            category.name,
            tuple(_row(a, edition.members, parents, labels, language, since) for a in category.agreements),
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
        roles=(NAME, FORM, *[MEMBER] * len(edition.members), COMMENT),
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


def _row(
    agreement: Agreement, members: tuple[str, ...], parents: set, labels: dict[str, str], language: str, since: bool
) -> AgreementRow:
    marker = labels["part_marker"]
    name = agreement.name + (marker if agreement.part_of else "")
    runs: tuple[Run, ...] = (Run(name),)
    if agreement.id is not None and agreement.id in parents:
        runs = (Run(name + " "), Run(labels["see_below"] + marker, emphasis=True))
    taking_part = set(agreement.members)
    form = vocabulary().lookup(agreement.form) if agreement.form else None
    return AgreementRow(
        name=runs,
        form=form.shown if form else agreement.form or "",
        marks=tuple(m in taking_part for m in members),
        comment=printed_comment(agreement, labels, since),
        form_words=form.words(language) if form and form.printed else "",
        facts=agreement_facts(agreement, labels),
    )


def printed_comment(agreement: Agreement, labels: dict[str, str], since: bool = False) -> str:
    """The comment column: partners, host, the editor's own comment, then the
    status, and where ``since`` when it started ("Fra 2019"), as sentences
    ("Med Ringebu. Lillehammer vertskommune")."""
    parts = []
    if agreement.partners:
        parts.append(labels["partners"].format(partners=norwegian.and_list(agreement.partners, labels["and"])))
    if agreement.host:
        parts.append(labels["host"].format(host=agreement.host))
    if agreement.comment:
        parts.append(agreement.comment)
    if agreement.status != ACTIVE:
        parts.append(labels[agreement.status])
    if since and agreement.since is not None:
        start = agreement.since
        parts.append(labels["since"].format(since=norwegian.date_long(start) if isinstance(start, dt.date) else start))
    text = ""
    for part in parts:
        if text:
            text = text.rstrip()
            text += " " if text.endswith((".", "!", "?", ":")) else ". "
        text += part
    return text
