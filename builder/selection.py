"""One member's own edition: the agreements it takes part in.

A framework agreement stays with its parts, so that a part's "*" still has
the row with "Se under*" to point to; the other members' marks are kept as
they are, so the reader sees who else takes part.
"""

from __future__ import annotations

import dataclasses

from builder.model import Category, Edition


def for_member(edition: Edition, member: str) -> Edition:
    own = [a for a in edition.agreements if member in a.members]
    by_id = {a.id: a for a in edition.agreements if a.id}
    wanted_ids: set[str] = set()
    pending = [a.part_of for a in own if a.part_of]
    while pending:  # parts of parts: follow the chain up to the top
        parent = pending.pop()
        if parent not in wanted_ids and parent in by_id:
            wanted_ids.add(parent)
            grandparent = by_id[parent].part_of
            if grandparent:
                pending.append(grandparent)
    kept = {id(a) for a in own} | {id(by_id[i]) for i in wanted_ids}
    categories = []
    for category in edition.categories:
        agreements = tuple(a for a in category.agreements if id(a) in kept)
        if agreements:
            categories.append(Category(category.name, agreements))
    return dataclasses.replace(edition, categories=tuple(categories))


def find_member(edition: Edition, wanted: str) -> str | None:
    """The member named ``wanted``, ignoring case ("øyer" is Øyer)."""
    folded = wanted.strip().casefold()
    return next((m for m in edition.members if m.casefold() == folded), None)
