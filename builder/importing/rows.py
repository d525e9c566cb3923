"""Reads the rows under a table's header, one at a time and in order: which
are categories, which are agreements, and what each agreement's cells say.

A row is a category when it is one cell merged across the table, or has only
its first cell filled; a table may mix the two, but in one that merges its
categories a row of only a name is a category only when agreements follow
it (else it is an agreement of which only the name is known). An empty row,
merged or not (a spacer), is no row at all. ``*`` after a name makes the row part
of the nearest row above that says "Se under*". Rows that cannot be read are
reported by their row number and left out; guesses get a note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from builder.diagnostics import Diagnostics, Location
from builder.forms import vocabulary
from builder.importing.facts import CommentReader
from builder.importing.header import Columns, Labels, fold, is_header
from builder.importing.imported import ImportedAgreement, ImportedCategory
from builder.importing.source import SourceDocument, SourceRow
from builder.model import ACTIVE

YES_MARKS = ("x", "✓", "✔", "☑", "✅", "ja")
NO_MARKS = ("", "-", "–", "—", "nei")
UNCATEGORISED = "Samarbeid"


@dataclass
class AgreementRows:
    source: SourceDocument
    columns: Columns
    labels: Labels
    problems: Diagnostics
    header: SourceRow
    has_spanning_rows: bool  # whether some category rows are merged across the table
    categories: list[ImportedCategory] = field(default_factory=list)
    parent: ImportedAgreement | None = None  # the latest row with "Se under*"
    previous: ImportedAgreement | None = None
    see_below_texts: dict[int, str] = field(default_factory=dict)  # id() of a parent -> its " Se under*"
    ids: set[str] = field(default_factory=set)
    names: dict[int, dict[str, ImportedAgreement]] = field(default_factory=dict)  # id() of a category -> its names
    next_number: dict[tuple[int, str], int] = field(default_factory=dict)  # (category, name) -> number to try
    id_numbers: dict[str, int] = field(default_factory=dict)  # an id -> the number to try after it

    def __post_init__(self) -> None:
        languages = self.labels.values()
        see_below = "|".join(r"\s+".join(map(re.escape, own["see_below"].split())) for own in languages)
        self.markers = tuple(dict.fromkeys(own["part_marker"] for own in languages if own["part_marker"]))
        marker = "|".join(map(re.escape, self.markers))
        self.see_below = re.compile(rf"\s\(?\s*(?:{see_below})\s*(?:{marker})?\s*\)?\s*$", re.IGNORECASE)
        self.yes = {fold(m) for m in YES_MARKS} | {fold(own["mark"]) for own in languages}
        self.header_folded = [fold(cell) for cell in self.header.cells]
        self.comments = CommentReader(self.labels, tuple(name for _, name in self.columns.members))

    def where(self, row: SourceRow) -> Location:
        return Location(self.source.path, row.number)

    def add(self, row: SourceRow, following: SourceRow | None = None) -> None:
        """Read ``row``; ``following`` is the next row with any text, if one."""
        cells = row.cells + ("",) * max(0, self.columns.width - len(row.cells))
        if not any(cell.strip() for cell in cells):
            return
        if self._repeated_header(cells):
            return
        name = cells[self.columns.name].strip()
        others = [cell for index, cell in enumerate(cells) if index != self.columns.name and cell.strip()]
        leads = not self.has_spanning_rows or self._reads_as_agreement(following)
        if name and (row.spans_all or (not others and leads)):
            self.categories.append(ImportedCategory(name, row.number))
            self.parent = self.previous = None
            return
        if not name:
            self.problems.warning(
                self.where(row),
                f"raden har ikke noe navn og er ikke tatt med: {' | '.join(c.strip() for c in others)}",
                "skriv navnet på samarbeidet i første kolonne",
            )
            return
        self._extra_cells(row, cells)
        agreement = self._agreement(row, cells, name)
        if not self.categories:
            self.categories.append(
                ImportedCategory(UNCATEGORISED, row.number, notes={"name": "guessed: the table starts without one"})
            )
            self.problems.warning(
                self.where(row), f"raden står før første kategori; lagt i kategorien «{UNCATEGORISED}»"
            )
        self._add_unique(agreement)

    def _reads_as_agreement(self, row: SourceRow | None) -> bool:
        """Whether ``row`` reads as an agreement: more than a name, and not merged."""
        if row is None or row.spans_all:
            return False
        return any(cell.strip() for index, cell in enumerate(row.cells) if index != self.columns.name)

    def _repeated_header(self, cells: tuple[str, ...]) -> bool:
        """The header row again after a page break, perhaps with another date."""
        width = max(len(cells), len(self.header_folded))
        folded = [fold(cell) for cell in cells] + [""] * (width - len(cells))
        header = self.header_folded + [""] * (width - len(self.header_folded))
        return folded[1:] == header[1:] and is_header(cells, self.labels)

    def _agreement(self, row: SourceRow, cells: tuple[str, ...], name: str) -> ImportedAgreement:
        agreement = ImportedAgreement(name, row.number)
        # " " in front lets the pattern's leading white space match a name that is only "Se under*"
        see_below = self.see_below.search(" " + name)
        cut = see_below.start() - 1 if see_below is not None else 0
        is_parent = see_below is not None and bool(name[:cut].strip())
        if is_parent:
            agreement.name = name[:cut]
        self._part_of(agreement, row)
        if is_parent:
            agreement.id = self._new_id(agreement.name)
            agreement.notes["id"] = "made up by the import: the rows marked * below point to it"
            self.see_below_texts[id(agreement)] = name[cut:]
            self.parent = agreement
        self.previous = agreement
        agreement.form = self._form(row, cells, agreement)
        agreement.members = self._members(row, cells, agreement)
        if self.columns.comment is not None:
            self._comment(agreement, cells[self.columns.comment].strip())
        return agreement

    def _comment(self, agreement: ImportedAgreement, comment: str) -> None:
        """The comment, less the facts it states in the layout's words; each fact notes where it came from."""
        found = self.comments.read(comment)
        agreement.comment = found.comment
        source = f'guessed from the comment "{" ".join(comment.split())}"'
        if found.partners:
            agreement.partners = found.partners
            agreement.notes["partners"] = source
        if found.host is not None:
            agreement.host = found.host
            agreement.notes["host"] = source + ("; it prints in the layout's own words" if found.host_wording else "")
        if found.status != ACTIVE:
            agreement.status = found.status
            agreement.notes["status"] = source

    def _part_of(self, agreement: ImportedAgreement, row: SourceRow) -> None:
        name = agreement.name
        marker = next((m for m in self.markers if name.endswith(m)), None)
        if marker is None:
            return
        if self.parent is None:
            self.problems.warning(
                self.where(row),
                f"«{name}» er merket som delavtale ({marker}), men ingen rad over har «Se under{marker}»;"
                " stjernen er beholdt i navnet",
            )
            return
        agreement.name = name[: -len(marker)]
        agreement.part_of = self.parent.id
        if agreement.name != agreement.name.strip():
            agreement.notes["name"] = f'the source prints "{name}"'
        previous = self.previous
        if previous is not self.parent and (previous is None or previous.part_of != self.parent.id):
            agreement.notes["part_of"] = "guessed: the nearest row above with «Se under»"

    def _form(self, row: SourceRow, cells: tuple[str, ...], agreement: ImportedAgreement) -> str | None:
        if self.columns.form is None:
            return None
        spelling = cells[self.columns.form].strip()
        if not spelling:
            return None
        form = vocabulary().lookup(spelling)
        if form is None:
            agreement.notes["form"] = f'the source says "{spelling}", which is not a known form: write one here'
            self.problems.warning(
                self.where(row),
                f"ukjent type samarbeid «{spelling}» for «{agreement.name}»; står som merknad (#) i agreements.yaml",
                f"kjente typer er {', '.join(vocabulary().names)}",
            )
            return None
        return form.name

    def _members(self, row: SourceRow, cells: tuple[str, ...], agreement: ImportedAgreement) -> tuple[str, ...]:
        taking_part = []
        unclear = []
        for column, member in self.columns.members:
            mark = fold(cells[column])
            if mark in self.yes:
                taking_part.append(member)
            elif mark not in NO_MARKS:
                taking_part.append(member)
                unclear.append(f'"{cells[column].strip()}" for {member}')
                self.problems.warning(
                    self.where(row),
                    f"ukjent merke «{cells[column].strip()}» i kolonnen {member}; tolket som at kommunen deltar",
                    "bruk x for deltar, tom celle for deltar ikke",
                )
        if unclear:
            agreement.notes["members"] = f"guessed: the source marks {', '.join(unclear)}"
        return tuple(taking_part)

    def _extra_cells(self, row: SourceRow, cells: tuple[str, ...]) -> None:
        used = {self.columns.name, self.columns.form, self.columns.comment, *(c for c, _ in self.columns.members)}
        extra = [cell.strip() for index, cell in enumerate(cells) if index not in used and cell.strip()]
        if extra:
            self.problems.warning(
                self.where(row),
                f"celler uten kolonneoverskrift er ikke tatt med: {' | '.join(extra)}",
                "gi kolonnen en overskrift, eller flytt teksten til kommentarene",
            )

    def _add_unique(self, agreement: ImportedAgreement) -> None:
        """Add to the latest category; the same row twice is taken once, another
        row with a name already taken is numbered. Linear in the rows: a
        category keeps its names, and each name the next number to try."""
        category = self.categories[-1]
        names = self.names.setdefault(id(category), {})
        first = names.get(agreement.name)
        if first is None:
            names[agreement.name] = agreement
            category.agreements.append(agreement)
            return
        if (first.form, first.members, first.comment, first.part_of) == (
            agreement.form,
            agreement.members,
            agreement.comment,
            agreement.part_of,
        ):
            self.problems.warning(
                Location(self.source.path, agreement.row),
                f"«{agreement.name}» står likt på rad {first.row}; tatt med én gang",
            )
            return
        original = agreement.name
        number = self.next_number.get((id(category), original), 2)
        while f"{original} ({number})" in names:
            number += 1
        self.next_number[(id(category), original)] = number + 1
        agreement.name = f"{original} ({number})"
        names[agreement.name] = agreement
        agreement.notes["name"] = f'renamed: "{original}" stands twice in this category (row {first.row})'
        self.problems.warning(
            Location(self.source.path, agreement.row),
            f"«{original}» står to ganger i kategorien «{category.name}» (også rad {first.row});"
            f" kalt «{agreement.name}»",
        )
        category.agreements.append(agreement)

    def _new_id(self, name: str) -> str:
        words = [w for w in re.split(r"[^a-z0-9]+", _ascii(name)) if w][:2] or ["avtale"]
        base = "-".join(words)
        candidate, number = base, self.id_numbers.get(base, 2)
        while candidate in self.ids:
            candidate, number = f"{base}-{number}", number + 1
        self.id_numbers[base] = number
        self.ids.add(candidate)
        return candidate

    def finish(self) -> list[ImportedCategory]:
        pointed_to = {a.part_of for c in self.categories for a in c.agreements if a.part_of}
        for category in self.categories:
            for agreement in category.agreements:
                if agreement.id is not None and agreement.id not in pointed_to:
                    agreement.name += self.see_below_texts[id(agreement)]
                    agreement.id = None
                    agreement.notes.pop("id", None)
                    self.problems.warning(
                        Location(self.source.path, agreement.row),
                        "raden viser til delavtaler («Se under»), men ingen rad under er merket med *;"
                        " teksten er beholdt i navnet",
                    )
        kept = []
        for category in self.categories:
            if category.agreements:
                kept.append(category)
            else:
                self.problems.warning(
                    Location(self.source.path, category.row),
                    f"kategorien «{category.name}» har ingen samarbeid og er ikke tatt med",
                )
        return kept


def _ascii(text: str) -> str:
    text = text.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
