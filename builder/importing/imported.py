"""What an import understood of its source: an edition in the shape of the
content files, with a note on every value the import had to guess, so the
writer can put that note beside the value as a YAML comment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from builder.model import Block

# Notes are keyed by the YAML key they explain.
Notes = dict[str, str]


@dataclass
class ImportedAgreement:
    name: str
    row: int  # where it stood in the source
    form: str | None = None
    members: tuple[str, ...] = ()
    comment: str = ""
    partners: tuple[str, ...] = ()  # these three read back from the comment, each with a note
    host: str | None = None
    status: str | None = None
    id: str | None = None
    part_of: str | None = None
    notes: Notes = field(default_factory=dict)


@dataclass
class ImportedCategory:
    name: str
    row: int
    agreements: list[ImportedAgreement] = field(default_factory=list)
    notes: Notes = field(default_factory=dict)


@dataclass
class ImportedEdition:
    source: Path
    as_of: dt.date
    region: str
    members: tuple[str, ...]
    language: str
    categories: list[ImportedCategory]
    narrative: tuple[Block, ...] = ()
    title: str | None = None
    notes: Notes = field(default_factory=dict)

    @property
    def agreements(self) -> list[ImportedAgreement]:
        return [a for c in self.categories for a in c.agreements]
