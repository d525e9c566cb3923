"""The optional sections before the agreement table: the summary (counts and
a chart) and the changes since an earlier edition. Both are made of the
blocks every writer already draws, in the layout's words.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from builder import norwegian
from builder.counts import Counts, count
from builder.model import (
    MEMBER,
    NAME,
    Block,
    BulletList,
    Chart,
    DataTable,
    Edition,
    Heading,
    Layout,
    ListItem,
    Paragraph,
    Run,
)

if TYPE_CHECKING:  # a build without changes_since has no use for the comparison's module
    from builder.changes import Changes, FieldChange, Placed, Value


def _text(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def summary_section(edition: Edition, layout: Layout, member: str | None = None) -> tuple[Block, ...]:
    """The summary's heading, table and chart; in ``member``'s own edition, of its agreements."""
    language = edition.language
    labels = layout.labels[language]
    counts = count(edition, member)
    form_names = tuple(form or labels["summary_no_form"] for form in counts.forms)
    rows = [
        (name, *(str(counts.by_form[form][m]) for m in counts.members), str(counts.all_by_form[form]))
        for name, form in zip(form_names, counts.forms, strict=True)
    ]
    rows.append((labels["summary_total"], *(str(counts.by_member[m]) for m in counts.members), str(counts.total)))
    hosted = [counts.hosted[m] for m in counts.members]
    rows.append((labels["summary_hosted"], *(str(n) for n in hosted), str(sum(hosted))))
    dates = {
        "date_long": norwegian.date_long(edition.as_of),
        "date_short": norwegian.date_short(edition.as_of),
        "year": str(edition.as_of.year),
        "region": edition.region,
    }
    members = norwegian.and_list(edition.members, labels["and"])
    caption = (
        layout.label(language, "summary_caption", **dates)
        if member is None
        else layout.label(language, "member_summary_caption", member=member, **dates)
    )
    table = DataTable(
        header=(labels["summary_form_header"], *counts.members, labels["summary_all"]),
        roles=(NAME, *[MEMBER] * (len(counts.members) + 1)),
        rows=tuple(rows),
        caption=caption,
        description=layout.label(language, "summary_description", members=members),
    )
    return (
        Heading(1, _text(labels["summary_heading"])),
        Paragraph(_text(labels["summary_intro"])),
        table,
        summary_chart(counts, form_names, layout, language, member),
    )


def summary_chart(
    counts: Counts, form_names: tuple[str, ...], layout: Layout, language: str, member: str | None
) -> Chart:
    """The table's counts per form and member as bars, and the same facts in
    words for the text alternative."""
    labels = layout.labels[language]
    values = tuple(tuple(counts.by_form[form][m] for form in counts.forms) for m in counts.members)

    def per_member(numbers) -> str:
        return norwegian.and_list((f"{m} {n}" for m, n in zip(counts.members, numbers, strict=True)), labels["and"])

    by_form = " ".join(
        layout.label(language, "chart_alt_form", form=name, values=per_member(column))
        for name, column in zip(form_names, zip(*values, strict=True), strict=True)
    )
    return Chart(
        title=labels["chart_title"] if member is None else layout.label(language, "member_chart_title", member=member),
        categories=form_names,
        series=counts.members,
        values=values,
        alt_text=layout.label(
            language, "chart_alt", values=by_form, totals=per_member(counts.by_member[m] for m in counts.members)
        ),
        axis_label=labels["chart_axis"],
        note=labels["chart_zero_note"] if any(0 in series for series in values) else "",
    )


def changes_section(changes: Changes, layout: Layout, language: str) -> tuple[Block, ...]:
    """A heading naming the earlier date, then what was added, ended and changed."""
    labels = layout.labels[language]
    old = changes.old_date
    heading = layout.label(
        language,
        "changes_heading",
        date_long=norwegian.date_long(old),
        date_short=norwegian.date_short(old),
        year=str(old.year),
    )
    blocks: list[Block] = [Heading(1, _text(heading))]
    if not changes:
        blocks.append(Paragraph(_text(labels["changes_none"])))
        return tuple(blocks)

    def item(placed: Placed, children: tuple[ListItem, ...] = ()) -> ListItem:
        name = layout.label(
            language, "changes_item", name=norwegian.before_more(placed.agreement.name), category=placed.category
        )
        return ListItem(_text(name), children)

    for key, placed in (("changes_added", changes.added), ("changes_ended", changes.ended)):
        if placed:
            blocks.append(Heading(2, _text(layout.label(language, key, count=str(len(placed))))))
            blocks.append(BulletList(tuple(item(p) for p in placed)))
    if changes.changed:
        blocks.append(Heading(2, _text(layout.label(language, "changes_changed", count=str(len(changes.changed))))))
        blocks.append(
            BulletList(
                tuple(
                    item(c.new, tuple(ListItem(_text(field_line(f, layout, language))) for f in c.fields))
                    for c in changes.changed
                )
            )
        )
    return tuple(blocks)


def field_line(change: FieldChange, layout: Layout, language: str) -> str:
    """e.g. "vertskommune: Lillehammer → Gausdal"."""
    return layout.label(
        language,
        "changes_field",
        field=layout.labels[language][f"field_{change.field}"],
        old=describe(change.field, change.old, layout.labels[language]),
        new=describe(change.field, change.new, layout.labels[language]),
    )


def describe(field: str, value: Value, labels: dict[str, str]) -> str:
    if value is None or value == "" or value == ():
        return labels["none"]
    if isinstance(value, tuple):
        return norwegian.and_list(value, labels["and"])
    if field == "status":
        return labels[f"status_{value}"]
    if isinstance(value, dt.date):
        return norwegian.date_long(value)
    if field == "comment":
        return f"«{value}»"
    return str(value)
