"""The agreement form's fields: what it shows for an agreement, what a
posted form means as an agreement, and which field a problem belongs to.

The form speaks the editor's words (``Vertskommune``, ``sagt opp``); the
file keeps its own (``host``, ``terminated``), as the readers know them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.datastructures import FormData

from builder.diagnostics import Diagnostic
from builder.forms import vocabulary
from builder.model import ACTIVE, PLANNED, TERMINATED
from builder.workbench.agreements_file import AgreementFields

STATUSES = ((ACTIVE, "i drift"), (TERMINATED, "sagt opp"), (PLANNED, "under utredning"))
ACT_GROUPS = (("2018", "Kommuneloven 2018"), ("other", "Andre lover og former"), ("1992", "Kommuneloven 1992 (gammel)"))

# the file's keys and the form's fields
FIELD_OF_KEY = {
    "name": "navn", "form": "form", "members": "medlemmer", "host": "vertskommune", "partners": "deltakere",
    "status": "status", "since": "startet", "part_of": "del_av", "comment": "kommentar",
}  # fmt: skip
_KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_]+)\s*:")


@dataclass(frozen=True)
class FormValues:
    """What the form's fields show, as text."""

    name: str = ""
    form: str = ""
    members: tuple[str, ...] = ()
    host: str = ""
    partners: str = ""
    status: str = ACTIVE
    since: str = ""
    part_of: str = ""
    comment: str = ""


def form_choices() -> list[tuple[str, list[str]]]:
    """The forms the vocabulary knows, grouped by act: the 2018 act's first, the 1992 act's last."""
    forms = vocabulary().forms
    return [(label, [f.name for f in forms if f.act == act]) for act, label in ACT_GROUPS]


def form_notes() -> list[tuple[str, str]]:
    """Each form and what it is, for the explanation beside the choice."""
    notes = []
    for form in vocabulary().forms:
        about = form.described() if form.about or form.law else ""
        if form.act == "1992":
            successors = ", ".join(s.name for s in form.successors)
            about = "kommuneloven av 1992" + (f"; i dag: {successors}" if successors else "")
        if about:
            notes.append((form.name, about))
    return notes


def values_of(fields: AgreementFields, members: tuple[str, ...]) -> FormValues:
    form = vocabulary().lookup(fields.form) if fields.form else None
    taking_part = members if fields.members == "all" else tuple(fields.members)
    return FormValues(
        name=fields.name or "",
        form=form.name if form else (fields.form or ""),
        members=taking_part,
        host=fields.host or "",
        partners=", ".join(fields.partners),
        status=fields.status or ACTIVE,
        since=fields.since or "",
        part_of=fields.part_of or "",
        comment=fields.comment or "",
    )


def posted_values(form: FormData) -> FormValues:
    """The form as the browser sent it; every value a string, nothing trusted yet."""

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    return FormValues(
        name=text("navn"),
        form=text("form"),
        members=tuple(m for m in form.getlist("medlem") if isinstance(m, str)),
        host=text("vertskommune"),
        partners=text("deltakere"),
        status=text("status") or ACTIVE,
        since=text("startet"),
        part_of=text("del_av"),
        comment=text("kommentar"),
    )


def fields_from(values: FormValues, members: tuple[str, ...], old: AgreementFields | None) -> AgreementFields:
    """The agreement the form describes. What the editor did not change keeps
    the file's own spelling: ``§27`` stays ``§27`` while the form shows ``§ 27``,
    ``all`` stays ``all``, and a status written as ``active`` stays."""
    chosen = tuple(m for m in members if m in values.members)
    if chosen == members and len(values.members) == len(members):
        taking_part: tuple[str, ...] | str = "all" if old is None or old.members == "all" else chosen
    else:
        taking_part = chosen + tuple(m for m in values.members if m not in members)
    form: str | None = values.form or None
    if old is not None and old.form and form is not None:
        before = vocabulary().lookup(old.form)
        if before is not None and before.name == form:
            form = old.form
    status: str | None = values.status
    if status == ACTIVE and (old is None or old.status != ACTIVE):
        status = None  # the default, unwritten unless the file wrote it
    partners = tuple(p.strip() for p in values.partners.split(",") if p.strip())
    return AgreementFields(
        name=values.name,
        form=form,
        members=taking_part,
        host=values.host or None,
        partners=partners,
        status=status,
        since=values.since or None,
        part_of=values.part_of or None,
        comment=values.comment or None,
        id=old.id if old is not None else None,
        previous_name=_previous_name(values.name, old),
    )


def _previous_name(name: str, old: AgreementFields | None) -> str | None:
    """A renamed agreement without an ``id`` remembers its old name, so that
    the changes since last year show it as renamed, not as ended and new."""
    if old is None:
        return None
    if old.id is None and old.previous_name is None and old.name and name != old.name:
        return old.name
    return old.previous_name


def field_of_line(block: str, first_line: int, line: int | None) -> str | None:
    """The form field whose key stands at or above ``line`` in an agreement's
    block that starts at ``first_line``; None for a line outside it."""
    if line is None:
        return None
    lines = block.splitlines()
    if not first_line <= line < first_line + len(lines):
        return None
    for text in reversed(lines[: line - first_line + 1]):
        if match := _KEY_LINE.match(text):
            return FIELD_OF_KEY.get(match.group(1))
    return None


def sort_problems(
    problems: list[Diagnostic], block: str | None, first_line: int, file_name: str
) -> tuple[list[tuple[str, Diagnostic]], list[Diagnostic]]:
    """Problems tied to a field of the agreement, and the others."""
    tied, general = [], []
    for problem in problems:
        field = None
        if block is not None and problem.location.path.name == file_name:
            field = field_of_line(block, first_line, problem.location.line)
        if field is None:
            general.append(problem)
        else:
            tied.append((field, problem))
    return tied, general
