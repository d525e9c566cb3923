"""What changed between two editions: agreements added, ended and changed.

Agreements are matched by name within their category first, then by name
alone (an agreement moved to another category is changed, not ended and
added again). A renamed agreement cannot be told from a new one, so it shows
as one ended and one added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from builder.model import Agreement, Edition

# The facts compared, in the order a change lists them.
FIELDS = ("category", "form", "members", "host", "partners", "status", "since", "comment")

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


def compare(old: Edition, new: Edition) -> Changes:
    before, after = placed(old), placed(new)
    pairs: dict[int, int] = {}  # index in after -> index in before
    for key in (lambda p: (p.category, p.agreement.name), lambda p: p.agreement.name):
        taken = set(pairs.values())
        remaining: dict = {}
        for i, p in enumerate(before):
            if i not in taken:
                remaining.setdefault(key(p), []).append(i)
        for index, item in enumerate(after):
            if index not in pairs and remaining.get(key(item)):
                pairs[index] = remaining[key(item)].pop(0)
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
