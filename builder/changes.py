"""What changed between two editions: agreements added, ended and changed.

Agreements are matched by their ``id`` first: one that keeps its id is the
same agreement whatever its name, and a new name is a change ("navn: … →
…"). An agreement in the old edition without an id has the one ``roll``
gave it in the new (see :func:`stable_ids`). Then a new agreement's
``previous_name`` names the old one it was; then agreements are matched by
name within their category, then by name alone (an agreement moved to
another category is changed, not ended and added again). A renamed
agreement with neither an id nor a previous name cannot be told from a new
one, so it shows as one ended and one added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from builder import norwegian
from builder.model import Agreement, Edition

# The facts compared, in the order a change lists them.
FIELDS = ("name", "category", "form", "members", "host", "partners", "status", "since", "comment")

Value = str | tuple[str, ...] | int | dt.date | None


@dataclass(frozen=True)
class Placed:
    """An agreement and the category it stands in."""

    category: str
    agreement: Agreement


@dataclass(frozen=True)
class FieldChange:
    field: str  # one of FIELDS
    old: Value
    new: Value


@dataclass(frozen=True)
class Changed:
    old: Placed
    new: Placed
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Changes:
    old_date: dt.date
    new_date: dt.date
    added: tuple[Placed, ...]  # in the new edition's order
    ended: tuple[Placed, ...]  # in the old edition's order
    changed: tuple[Changed, ...]  # in the new edition's order

    def __bool__(self) -> bool:
        return bool(self.added or self.ended or self.changed)

    def involving(self, member: str) -> Changes:
        """Only what concerns ``member``: agreements it took part in before or after."""

        def concerns(*placed: Placed) -> bool:
            return any(member in p.agreement.members for p in placed)

        return Changes(
            self.old_date,
            self.new_date,
            tuple(p for p in self.added if concerns(p)),
            tuple(p for p in self.ended if concerns(p)),
            tuple(c for c in self.changed if concerns(c.old, c.new)),
        )


def placed(edition: Edition) -> list[Placed]:
    return [Placed(c.name, a) for c in edition.categories for a in c.agreements]


def stable_ids(edition: Edition) -> list[str]:
    """An id for each of ``edition``'s agreements, in its order: its own, or
    else one made from its name ("Felles brann- og feiertjeneste" ->
    "felles-brann-og-feiertjeneste"), with a number added where that is
    taken. ``roll`` writes these into next year's file, and :func:`compare`
    gives them to the old edition's agreements that have none, so the two
    agree on which agreement is which."""
    taken = {a.id for a in edition.agreements if a.id}
    ids = []
    for agreement in edition.agreements:
        if agreement.id:
            ids.append(agreement.id)
            continue
        stem = norwegian.ascii_name(agreement.name) or "samarbeid"
        made, number = stem, 2
        while made in taken:
            made, number = f"{stem}-{number}", number + 1
        taken.add(made)
        ids.append(made)
    return ids


def compare(old: Edition, new: Edition) -> Changes:
    before, after = placed(old), placed(new)
    old_ids = stable_ids(old)
    # (key of an old agreement, key of a new one), tried in this order; None matches nothing
    keys = (
        (lambda i, p: old_ids[i], lambda i, p: p.agreement.id),
        (lambda i, p: p.agreement.name, lambda i, p: p.agreement.previous_name),
        (lambda i, p: (p.category, p.agreement.name),) * 2,
        (lambda i, p: p.agreement.name,) * 2,
    )
    pairs: dict[int, int] = {}  # index in after -> index in before
    for old_key, new_key in keys:
        taken = set(pairs.values())
        remaining: dict = {}
        for i, p in enumerate(before):
            if i not in taken:
                remaining.setdefault(old_key(i, p), []).append(i)
        for index, item in enumerate(after):
            key = new_key(index, item)
            if index not in pairs and key is not None and remaining.get(key):
                pairs[index] = remaining[key].pop(0)
    matched = set(pairs.values())
    changed = []
    for index, match in sorted(pairs.items()):
        fields = _differences(before[match], after[index])
        if fields:
            changed.append(Changed(before[match], after[index], fields))
    return Changes(
        old_date=old.as_of,
        new_date=new.as_of,
        added=tuple(p for i, p in enumerate(after) if i not in pairs),
        ended=tuple(p for i, p in enumerate(before) if i not in matched),
        changed=tuple(changed),
    )


def field_value(item: Placed, field: str) -> Value:
    return item.category if field == "category" else getattr(item.agreement, field)


def _differences(old: Placed, new: Placed) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(field, field_value(old, field), field_value(new, field))
        for field in FIELDS
        if field_value(old, field) != field_value(new, field)
    )
