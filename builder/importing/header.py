"""Understanding a table's header row: which row it is, which column holds the
name, the form, each member and the comments, the date it gives
("Pr. 01.01.2019") and the language its labels are written in.

Labels are recognised from the layout's own labels in every language, plus
the few words other tools use for the same columns.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from builder.forms import vocabulary
from builder.norwegian import MONTHS, date_of

Labels = dict[str, dict[str, str]]  # language -> label key -> text

_SPACE = re.compile(r"\s+")
_SHORT_DATE = re.compile(r"(?<!\d)(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?!\d)")
_LONG_DATE = re.compile(r"(?<!\d)(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\s+(\d{4})(?!\d)", re.IGNORECASE)
_FORM_WORDS = ("typesamarbeid", "samarbeidsform", "kommunelov", "organisering", "form", "type")
_COMMENT_WORDS = ("kommentar", "merknad", "comment", "note")
_HEADER_WORDS = ("kommentar", "merknad", "typesamarbeid", "samarbeidsform")
_LANGUAGE_WORDS = {"nb": ("kommuneloven",), "nn": ("kommunelova",)}


def fold(text: str) -> str:
    """Casefolded and without white space, for comparing labels."""
    return _SPACE.sub("", text).casefold()


def find_date(text: str) -> dt.date | None:
    """The first date written "01.01.2019" or "1. januar 2019" in ``text``."""
    for match in sorted((m for p in (_SHORT_DATE, _LONG_DATE) for m in p.finditer(text)), key=lambda m: m.start()):
        if (day := date_of(*match.groups())) is not None:
            return day
    return None


def is_header(cells: tuple[str, ...], labels: Labels) -> bool:
    """A row of at least three labels, one of them the form's, the comments'
    or a "Pr. <date>" over the names."""
    folded = [fold(cell) for cell in cells]
    if sum(1 for cell in folded if cell) < 3:
        return False
    known = {fold(lang[key]) for lang in labels.values() for key in ("form_header", "comment_header")}
    if any(cell in known or cell.startswith(_HEADER_WORDS) for cell in folded if cell):
        return True
    return bool(re.match(r"^(pr\.?|per)\d", folded[0]) and find_date(cells[0]))


@dataclass(frozen=True)
class Columns:
    name: int
    form: int | None
    members: tuple[tuple[int, str], ...]  # (column, member name)
    comment: int | None
    ignored: tuple[int, ...]  # columns without a heading
    guessed_form: bool = False

    @property
    def width(self) -> int:
        used = [self.name, *(c for c, _ in self.members), *self.ignored]
        return max(used + [c for c in (self.form, self.comment) if c is not None]) + 1


def find_columns(header: tuple[str, ...], body: list[tuple[str, ...]]) -> Columns:
    folded = [fold(cell) for cell in header]
    width = max((i + 1 for i, cell in enumerate(folded) if cell), default=0)
    comment = next((i for i in range(width - 1, 0, -1) if any(w in folded[i] for w in _COMMENT_WORDS)), None)
    form = next((i for i in range(1, width) if i != comment and any(w in folded[i] for w in _FORM_WORDS)), None)
    guessed = False
    if form is None and width > 1 and not _looks_like_marks(1, body):
        form, guessed = 1, True
    first_member = (form if form is not None else 0) + 1
    members, ignored = [], []
    for column in range(first_member, comment if comment is not None else width):
        name = " ".join(header[column].split())
        if name:
            members.append((column, name))
        else:
            ignored.append(column)
    return Columns(0, form, tuple(members), comment, tuple(ignored), guessed)


def _looks_like_marks(column: int, body: list[tuple[str, ...]]) -> bool:
    """A column whose every filled cell is a short mark holds marks, not forms."""
    values = {row[column].strip() for row in body if column < len(row) and row[column].strip()}
    forms = vocabulary()
    return bool(values) and all(len(v) <= 2 and forms.lookup(v) is None for v in values)


def language_of(texts: list[str], labels: Labels) -> str | None:
    """The language whose labels the texts use most, or None when they use none."""
    evidence = fold(" ".join(texts))
    scores = {}
    for language, own in labels.items():
        words = [fold(own[key]) for key in ("form_header", "comment_header", "see_below")]
        words += list(_LANGUAGE_WORDS.get(language, ()))
        scores[language] = sum(1 for word in words if word and word in evidence)
    best = max(scores, key=lambda language: scores[language], default=None)
    if best is None or scores[best] == 0 or list(scores.values()).count(scores[best]) > 1:
        return None
    return best
