"""Counts for the summary: agreements per cooperation form and member, and
the agreements each member hosts.

Every agreement the table lists is counted, whatever its status: as of the
edition's date a terminated agreement still runs, and a planned one is
listed, so the counts add up to what the reader sees in the table. In one
member's edition only that member's own agreements are counted: the
framework agreements listed beside them for context are not its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.forms import vocabulary
from builder.model import Edition


@dataclass(frozen=True)
class Counts:
    members: tuple[str, ...]
    forms: tuple[str | None, ...]  # the forms in use, in the vocabulary's order; None (no form) last
    by_form: dict[str | None, dict[str, int]]  # form -> member -> agreements the member takes part in
    all_by_form: dict[str | None, int]  # form -> agreements of that form
    by_member: dict[str, int]  # member -> agreements it takes part in
    hosted: dict[str, int]  # member -> agreements it is the host of
    total: int


def count(edition: Edition, member: str | None = None) -> Counts:
    """The counts of ``edition``'s agreements, or of those ``member`` takes part in."""
    agreements = [a for a in edition.agreements if member is None or member in a.members]
    order = {name: index for index, name in enumerate(vocabulary().names)}
    used = {a.form for a in agreements}
    forms = tuple(sorted((f for f in used if f is not None), key=order.__getitem__)) + ((None,) if None in used else ())
    return Counts(
        members=edition.members,
        forms=forms,
        by_form={
            form: {m: sum(a.form == form and m in a.members for a in agreements) for m in edition.members}
            for form in forms
        },
        all_by_form={form: sum(a.form == form for a in agreements) for form in forms},
        by_member={m: sum(m in a.members for a in agreements) for m in edition.members},
        hosted={m: sum(a.host == m for a in agreements) for m in edition.members},
        total=len(agreements),
    )
