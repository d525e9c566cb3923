"""The editing view and its forms: the agreements category by category, the
text files, the history with «Angre».

Reading needs no secret; every change is a POST that carries the run's
secret in the form (the door has checked its ``Origin`` already). No GET
changes anything: opening the address with the secret only sets a cookie, so
that the pages can put the secret in their forms.

Every page is made from a Jinja2 template with autoescape on: nothing the
content holds can become markup.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from builder.build import Prepared
from builder.diagnostics import ContentError, Diagnostic
from builder.model import AgreementTable
from builder.readers.edition import AGREEMENTS_FILE, REPORT_FILE
from builder.readers.files import MAX_FILE_BYTES
from builder.serve import EDIT_VIEW, NAVIGATION, Preview
from builder.walk import plain
from builder.workbench import agreements_file as register
from builder.workbench.agreement_form import (
    STATUSES,
    FormValues,
    fields_from,
    form_choices,
    form_notes,
    posted_values,
    sort_problems,
    values_of,
)
from builder.workbench.guard import COOKIE, SECRET_FIELD, same_secret
from builder.workbench.guesses import Guess, guesses, unmarked_where_changed
from builder.workbench.history import HistoryUnavailable, UndoRefused
from builder.workbench.saves import Conflict, Refused, Saved, Saver

NEW_CATEGORY = -1  # the category index of a new category, made with its first agreement
MAX_FORM_BYTES = 4 * 1024 * 1024  # a text file's form; far more than any narrative
KEPT_RESULTS = 50  # recent saves whose notice can still be shown


class Bench:
    """What the editing routes share."""

    def __init__(self, preview: Preview, secret: str | None, headers: dict[str, str]):
        self.preview = preview
        self.secret = secret
        self.headers = headers
        self.saver = Saver(preview)
        self.results: OrderedDict[int, Saved] = OrderedDict()
        self._numbers = itertools.count(1)
        self._guesses: tuple[tuple, list[Guess]] = ((), [])  # the files as they were read, and what they held
        self.pages = Environment(
            loader=PackageLoader("builder.workbench", "templates"), autoescape=True, undefined=StrictUndefined
        )
        self.pages.filters["sealed"] = sealed
        self.pages.filters["capitalize_first"] = lambda text: text[:1].upper() + text[1:]

    # --- who may save ---

    def may_save(self, request: Request) -> bool:
        return self.secret is not None and same_secret(request.cookies.get(COOKIE), self.secret)

    def render(self, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        may_save = self.may_save(request)
        values.setdefault("here", "rediger")
        for optional in ("errors", "busy", "refused"):  # what a page shows only when there is one
            values.setdefault(optional, None)
        page = self.pages.get_template(template).render(
            may_save=may_save, secret=self.secret if may_save else None, read_only=self.secret is None,
            navigation=NAVIGATION, guesses_left=0 if template == "gjetninger.html" else len(self.guesses()), **values,
        )  # fmt: skip
        return HTMLResponse(page, status, headers=self.headers)

    def guesses(self) -> list[Guess]:
        """Import's guesses not yet confirmed or changed, in the open edition;
        read again only when one of its two files changed (every page counts them)."""
        paths = [self.preview.content_dir / name for name in (REPORT_FILE, AGREEMENTS_FILE)]
        seen = tuple(_signature(path) for path in paths)
        if seen != self._guesses[0]:
            found: list[Guess] = []
            for name in (REPORT_FILE, AGREEMENTS_FILE):
                with contextlib.suppress(Refused):
                    found += guesses(name, self.saver.read(name))
            self._guesses = (seen, found)
        return self._guesses[1]

    def remember(self, saved: Saved) -> int:
        number = next(self._numbers)
        self.results[number] = saved
        while len(self.results) > KEPT_RESULTS:
            self.results.popitem(last=False)
        return number

    # --- what the edition is now ---

    def members(self) -> tuple[str, ...]:
        edition = self.preview.last_edition
        return edition.members if edition else ()

    def texts(self) -> list[str]:
        edition = self.preview.last_edition
        return [source.path.name for source in edition.narrative] if edition else []

    def text_path(self, name: str) -> Path | None:
        edition = self.preview.last_edition
        for source in edition.narrative if edition else ():
            if source.path.name == name:
                return source.path
        return None

    def register_now(self) -> tuple[str, register.Register]:
        text = self.saver.read(AGREEMENTS_FILE)
        return text, register.parse(text)


def _signature(path: Path) -> tuple[str, int, int] | None:
    """Which version of a file stands at ``path``: its place, time and size; None when there is none."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (str(path.resolve()), info.st_mtime_ns, info.st_size)


def changing(bench: Bench, handler: Callable, files: bool = False) -> Callable:
    """A POST route: the form read within bounds (an uploaded file up to a
    content file's size), the secret checked, then ``handler`` in a thread."""
    limit = MAX_FILE_BYTES + MAX_FORM_BYTES if files else MAX_FORM_BYTES

    async def endpoint(request: Request) -> Response:
        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > limit:
            return refused_page(bench, request, 413, "Skjemaet er for stort", "Det som ble sendt, er for stort.")
        form = await request.form(max_files=1 if files else 0, max_fields=1000, max_part_size=limit)
        if bench.secret is None or not same_secret(form_text(form.get(SECRET_FIELD)), bench.secret):
            return refused_page(
                bench, request, 403, "Mangler nøkkel",
                "Endringen er ikke lagret. Åpne adressen med nøkkel som «oversikt serve» skrev ut, og prøv igjen.",
            )  # fmt: skip
        try:
            return await run_in_threadpool(handler, bench, request, form)
        finally:
            await form.close()

    return endpoint


def routes(bench: Bench) -> list[Route]:
    return [
        Route(EDIT_VIEW, lambda request: _overview(bench, request)),
        Route(EDIT_VIEW + "/historikk", lambda request: _history(bench, request)),
        Route(EDIT_VIEW + "/historikk/{entry:int}/angre", changing(bench, _undo), methods=["POST"]),
        Route(EDIT_VIEW + "/samarbeid/{c:int}/{a:int}", lambda request: _agreement_form(bench, request)),
        Route(EDIT_VIEW + "/samarbeid/{c:int}/{a:int}", changing(bench, _save_agreement), methods=["POST"]),
        Route(EDIT_VIEW + "/nytt/{c:int}", lambda request: _agreement_form(bench, request)),
        Route(EDIT_VIEW + "/nytt/{c:int}", changing(bench, _save_agreement), methods=["POST"]),
        Route(EDIT_VIEW + "/samarbeid/{c:int}/{a:int}/fjern", lambda request: _remove_form(bench, request)),
        Route(EDIT_VIEW + "/samarbeid/{c:int}/{a:int}/fjern", changing(bench, _remove_agreement), methods=["POST"]),
        Route(EDIT_VIEW + "/samarbeid/{c:int}/{a:int}/flytt", changing(bench, _move_agreement), methods=["POST"]),
        Route(EDIT_VIEW + "/kategori/ny", lambda request: _new_category_form(bench, request)),
        Route(EDIT_VIEW + "/nytt/ny-kategori", changing(bench, _save_agreement), methods=["POST"]),
        Route(EDIT_VIEW + "/kategori/{c:int}", lambda request: _category_form(bench, request)),
        Route(EDIT_VIEW + "/kategori/{c:int}", changing(bench, _rename_category), methods=["POST"]),
        Route(EDIT_VIEW + "/kategori/{c:int}/flytt", changing(bench, _move_category), methods=["POST"]),
        Route(EDIT_VIEW + "/kategori/{c:int}/fjern", changing(bench, _remove_category), methods=["POST"]),
        Route(EDIT_VIEW + "/tekst/{name}", lambda request: _text_form(bench, request)),
        Route(EDIT_VIEW + "/tekst/{name}", changing(bench, _save_text), methods=["POST"]),
    ]


def form_text(value: object) -> str:
    """A form field's value as text; an uploaded file or a missing field is none."""
    return value if isinstance(value, str) else ""


def sealed(block: str) -> str:
    """An agreement's lines as a form carries them: a browser sends a form's
    line breaks as CRLF, whatever the file has, so the bytes go as base64."""
    return base64.urlsafe_b64encode(block.encode("utf-8", errors="surrogateescape")).decode("ascii")


def _unsealed(value: object) -> str:
    try:
        return base64.urlsafe_b64decode(form_text(value).encode("ascii")).decode("utf-8", errors="surrogateescape")
    except (ValueError, UnicodeEncodeError):
        return ""  # a forged or damaged form: matches no agreement, so nothing is overwritten


def refused_page(bench: Bench, request: Request, status: int, title: str, message: str) -> HTMLResponse:
    return bench.render(request, "avvist.html", status, title=title, message=message)


def _done(bench: Bench, saved: Saved) -> Response:
    """After a save: back to the editing view, which says what was saved (POST, redirect, GET)."""
    return RedirectResponse(f"{EDIT_VIEW}?lagret={bench.remember(saved)}", 303, headers=bench.headers)


# --- the editing view ---------------------------------------------------------


def _overview(bench: Bench, request: Request) -> Response:
    given = request.query_params.get(SECRET_FIELD)
    if given is not None:  # the address printed at start: remember the secret, and take it out of the address bar
        response = RedirectResponse(EDIT_VIEW, 303, headers=bench.headers)
        if bench.secret is not None and same_secret(given, bench.secret):
            response.set_cookie(COOKIE, bench.secret, httponly=True, samesite="strict", path="/")
        return response
    saved = None
    if (number := request.query_params.get("lagret", "")).isdigit():
        saved = bench.results.get(int(number))
    categories: Sequence[register.CategoryEntry] = []
    unreadable, problems = None, []
    try:
        _, now = bench.register_now()
        categories = now.categories
    except register.EditError as error:
        unreadable = str(error)
    except Refused as refused:
        problems = refused.problems
    edition = bench.preview.last_edition
    return bench.render(
        request, "oversikt.html", title="Rediger", saved=saved, categories=categories, texts=bench.texts(),
        unreadable=unreadable, problems=problems, region=edition.region if edition else "",
        year=edition.as_of.year if edition else "",
    )  # fmt: skip


# --- one agreement ---------------------------------------------------------------


def _agreement_form(bench: Bench, request: Request, **shown: Any) -> Response:
    c, a = request.path_params["c"], request.path_params.get("a")
    try:
        _, now = bench.register_now()
    except (register.EditError, Refused) as error:
        return refused_page(bench, request, 409, "Kan ikke redigeres i skjemaet", said(error))
    if not 0 <= c < len(now.categories) or (a is not None and not 0 <= a < len(now.categories[c].agreements)):
        return refused_page(
            bench, request, 404, "Finnes ikke", "Samarbeidet finnes ikke (lenger). Gå tilbake til «Rediger»."
        )
    category = now.categories[c]
    entry = category.agreements[a] if a is not None else None
    members = bench.members()
    values = shown.pop("values", None) or (values_of(entry.fields, members) if entry else FormValues())
    row = shown.pop("row", None)
    if row is None and a is not None:  # an agreement that is there (entry)
        row = _printed_row(bench.preview.outcome(None).prepared, c, a)
    return _agreement_page(bench, request, now, c, a, entry, values, row, **shown)


def _agreement_page(
    bench: Bench, request: Request, now: register.Register, c: int, a: int | None,
    entry: register.AgreementEntry | None, values: FormValues, row: dict | None, status: int = 200, **shown: Any,
) -> Response:  # fmt: skip
    new_category = shown.pop("new_category", None)
    category_name = new_category if c == NEW_CATEGORY else now.categories[c].name
    name = entry.fields.name if entry else ""
    if entry:
        action = f"{EDIT_VIEW}/samarbeid/{c}/{a}"
    else:
        action = f"{EDIT_VIEW}/nytt/ny-kategori" if c == NEW_CATEGORY else f"{EDIT_VIEW}/nytt/{c}"
    frameworks = [
        (other.fields.id, other.fields.name)
        for cat in now.categories
        for other in cat.agreements
        if other.fields.id and other is not entry
    ]
    hosts = list(bench.members())
    if values.host and values.host not in hosts:
        hosts.append(values.host)  # a host outside the region, as the file has it
    errors, general = shown.pop("errors", []), shown.pop("general", [])
    by_field: dict[str, list] = {}
    for field, problem in errors:
        by_field.setdefault(field, []).append(problem)
    return bench.render(
        request, "samarbeid.html", status,
        title=f"Rediger {name}" if entry else f"Nytt samarbeid i {category_name}",
        action=action, block=entry.text if entry else "", category_name=category_name, values=values,
        members=bench.members(), hosts=hosts, statuses=STATUSES, forms=form_choices(), form_notes=form_notes(),
        frameworks=frameworks, categories=[cat.name for cat in now.categories] if entry else [],
        category_index=c, errors=errors, general=general, by_field=by_field, row=row,
        row_heading=shown.pop("row_heading", "Slik står raden i oversikten nå"),
        remove_link=f"{action}/fjern" if entry else None,
        note="Den nye kategorien lagres sammen med sitt første samarbeid." if c == NEW_CATEGORY else None,
    )  # fmt: skip


def _printed_row(prepared: Prepared | None, c: int, a: int) -> dict | None:
    """The agreement's row as the region's table prints it."""
    if prepared is None:
        return None
    table = next((block for block in prepared.document.blocks if isinstance(block, AgreementTable)), None)
    if table is None or c >= len(table.groups) or a >= len(table.groups[c].rows):
        return None
    cells = []
    for cell in table.cells(table.groups[c].rows[a]):
        if isinstance(cell, bool):
            cells.append(table.mark if cell else "")
        else:
            cells.append(cell if isinstance(cell, str) else plain(cell))
    return {"header": table.header, "cells": cells}


def _save_agreement(bench: Bench, request: Request, form: FormData) -> Response:
    c, a = request.path_params.get("c", NEW_CATEGORY), request.path_params.get("a")
    original = _unsealed(form.get("blokk"))
    category_name = form_text(form.get("kategorinavn"))
    values = posted_values(form)
    members = bench.members()
    moving_to = form_text(form.get("kategori"))
    located: dict = {}

    def edit(text: str) -> str:
        if a is None:
            return _inserted(text, c, category_name, values, members, located)
        ref = _located(text, register.Ref(c, a, original), _would_be(values))
        now = register.parse(text)
        old = now.categories[ref.category].agreements[ref.index].fields
        # a value the editor changed is no longer one of import's guesses
        changed = unmarked_where_changed(text, register.replace_agreement(text, ref, fields_from(values, members, old)))
        located.update(category=ref.category, index=ref.index)
        if moving_to.isdigit() and int(moving_to) != ref.category and int(moving_to) < len(now.categories):
            moved = register.parse(changed)
            target = moved.categories[int(moving_to)]
            located.update(category=target.index, index=len(target.agreements))
            entry = moved.categories[ref.category].agreements[ref.index]
            result = register.move_agreement(changed, entry.ref, target.ref, len(target.agreements))
            if len(moved.categories[ref.category].agreements) == 1 and target.index > ref.category:
                located.update(category=target.index - 1)  # the emptied category goes, the target moves up
            return _without_emptied(result, ref.category)
        return changed

    summary = f"Nytt samarbeid «{values.name}»" if a is None else f"Endret «{values.name}»"
    if form_text(form.get("handling")) == "vis":
        return _show_row(bench, request, c, a, values, edit, category_name)
    try:
        saved = bench.saver.save(AGREEMENTS_FILE, edit, summary)
    except Conflict as conflict:
        return _conflict(bench, request, conflict, f"{EDIT_VIEW}/samarbeid/{c}/{a}" if a is not None else EDIT_VIEW)
    except Refused as refused:
        return _refused_agreement(bench, request, c, a, values, refused, located, category_name)
    except register.EditError as error:
        return refused_page(bench, request, 409, "Ikke lagret", str(error))
    return _done(bench, saved)


def _show_row(
    bench: Bench, request: Request, c: int, a: int | None, values: FormValues, edit: Callable[[str], str],
    category_name: str,
) -> Response:  # fmt: skip
    """The row as it would print with the form's values; nothing is written."""
    path = bench.preview.content_dir / AGREEMENTS_FILE
    try:
        text = bench.saver.read(AGREEMENTS_FILE)
        candidate = edit(text)
        now = register.parse(text)
    except (Conflict, Refused, register.EditError) as error:
        return refused_page(bench, request, 409, "Kan ikke vises", said(error))
    located = register.parse(candidate)
    try:
        prepared = bench.preview.check({path: candidate.encode("utf-8", errors="surrogateescape")})
    except ContentError as error:
        refused = Refused(error.diagnostics.errors, candidate)
        return _refused_agreement(bench, request, c, a, values, refused, {}, category_name)
    where = len(located.categories) - 1 if c == NEW_CATEGORY else c
    position = a if a is not None else len(located.categories[where].agreements) - 1
    row = _printed_row(prepared, where, position)
    entry = now.categories[c].agreements[a] if a is not None else None
    return _agreement_page(
        bench, request, now, c, a, entry, values, row, new_category=category_name,
        row_heading="Slik blir raden når du lagrer (ikke lagret ennå)",
    )  # fmt: skip


def _refused_agreement(
    bench: Bench, request: Request, c: int, a: int | None, values: FormValues, refused: Refused, located: dict,
    category_name: str,
) -> Response:  # fmt: skip
    path = bench.preview.content_dir / AGREEMENTS_FILE
    block, first = None, 0
    if refused.candidate is not None and located:
        try:
            candidate = register.parse(refused.candidate)
            entry = candidate.categories[located["category"]].agreements[located["index"]]
            block, first = entry.text, entry.lines[0]
        except (register.EditError, IndexError):
            pass
    errors, general = sort_problems(refused.problems, block, first, path.name)
    try:
        _, now = bench.register_now()
    except (register.EditError, Refused) as error:
        return refused_page(bench, request, 409, "Ikke lagret", said(error))
    entry = now.categories[c].agreements[a] if a is not None and a < len(now.categories[c].agreements) else None
    return _agreement_page(
        bench, request, now, c, a, entry, values, None, status=422, errors=errors, general=general,
        new_category=category_name,
    )  # fmt: skip


def _would_be(values: FormValues) -> str:
    lines = [f"Navn: {values.name}", f"Type samarbeid: {values.form}", f"Kommuner: {', '.join(values.members)}"]
    for label, value in (("Vertskommune", values.host), ("Andre deltakere", values.partners),
                         ("Status", dict(STATUSES).get(values.status, values.status)), ("Startet", values.since),
                         ("Del av", values.part_of), ("Kommentar", values.comment)):  # fmt: skip
        if value:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def _in_form_terms(fields: register.AgreementFields) -> str:
    """An agreement as the form shows it, to stand beside the editor's own version."""
    values = values_of(fields, ())
    return _would_be(replace(values, members=("alle",) if fields.members == "all" else tuple(fields.members)))


def _located(text: str, ref: register.Ref, mine: str) -> register.Ref:
    """Where the agreement the form was opened for stands now; Conflict when its own lines changed."""
    found = register.locate(text, ref)
    if found is None:
        theirs = register.current_version(text, ref)
        raise Conflict(mine, _in_form_terms(theirs.fields) if theirs else "(samarbeidet finnes ikke lenger i filen)")
    return found


def _category_located(text: str, c: int, name: str) -> register.CategoryRef:
    found = register.locate_category(text, register.CategoryRef(c, name))
    if found is None:
        raise Conflict(name, "(kategorien har fått et annet navn eller er fjernet i filen)")
    return found


def _inserted(
    text: str, c: int, category_name: str, values: FormValues, members: tuple[str, ...], located: dict
) -> str:
    """A new agreement at the end of its category; a category not yet in the
    file (a new one, whose name the form carries) is made with it."""
    fields = fields_from(values, members, None)
    if c == NEW_CATEGORY:
        place = len(register.parse(text).categories)
        text = register.add_category(text, category_name, place)
        where = register.CategoryRef(place, category_name)
    else:
        where = _category_located(text, c, category_name)
    position = len(register.parse(text).categories[where.index].agreements)
    located.update(category=where.index, index=position)
    return register.insert_agreement(text, where, position, fields)


def _conflict(bench: Bench, request: Request, conflict: Conflict, again: str) -> Response:
    return bench.render(
        request, "konflikt.html", 409, title="Ikke lagret", file=AGREEMENTS_FILE, mine=conflict.mine,
        theirs=conflict.theirs, again=again, whole_file=False,
    )  # fmt: skip


def said(error: Exception) -> str:
    """What stopped a change, for the page: the readers' messages as check prints them."""
    if isinstance(error, ContentError):
        return "; ".join(str(problem) for problem in error.diagnostics.errors) or "innholdet har feil"
    if isinstance(error, Refused):
        return "; ".join(str(problem) for problem in error.problems)
    if isinstance(error, Conflict):
        return "Filen er endret et annet sted; last siden på nytt."
    return str(error)


def _agreement_edit(
    bench: Bench, request: Request, form: FormData, change: Callable[[str, register.Ref], str], summary: str
) -> Response:
    """A change to one agreement without a form of fields (remove, move), made where the agreement is now."""
    c, a = request.path_params["c"], request.path_params["a"]
    original = _unsealed(form.get("blokk"))

    def edit(text: str) -> str:
        return change(text, _located(text, register.Ref(c, a, original), f"{summary} (ikke lagret)"))

    try:
        saved = bench.saver.save(AGREEMENTS_FILE, edit, summary)
    except Conflict as conflict:
        return _conflict(bench, request, conflict, EDIT_VIEW)
    except (Refused, register.EditError) as error:
        return refused_page(bench, request, 422, "Ikke lagret", said(error))
    return _done(bench, saved)


def _remove_form(bench: Bench, request: Request) -> Response:
    c, a = request.path_params["c"], request.path_params["a"]
    try:
        _, now = bench.register_now()
        entry = now.categories[c].agreements[a]
    except (register.EditError, Refused, IndexError) as error:
        return refused_page(bench, request, 404, "Finnes ikke", said(error))
    return bench.render(
        request, "fjern.html", title=f"Fjerne {entry.fields.name}", name=entry.fields.name, block=entry.text,
        category=now.categories[c].name, last_in_category=len(now.categories[c].agreements) == 1,
        action=f"{EDIT_VIEW}/samarbeid/{c}/{a}/fjern", edit_link=f"{EDIT_VIEW}/samarbeid/{c}/{a}",
    )  # fmt: skip


def _remove_agreement(bench: Bench, request: Request, form: FormData) -> Response:
    name = _name_in(_unsealed(form.get("blokk")))

    def change(text: str, ref: register.Ref) -> str:
        return _without_emptied(register.remove_agreement(text, ref), ref.category)

    return _agreement_edit(bench, request, form, change, f"Fjernet «{name}»")


def _without_emptied(text: str, category: int) -> str:
    """``text`` without the category at ``category`` if an edit left it with no
    agreements (the readers refuse an empty one): its last agreement removed
    or moved elsewhere takes the category with it."""
    now = register.parse(text)
    if category < len(now.categories) and not now.categories[category].agreements and len(now.categories) > 1:
        return register.remove_category(text, now.categories[category].ref)
    return text


def _move_agreement(bench: Bench, request: Request, form: FormData) -> Response:
    up = form_text(form.get("til")) == "opp"

    def change(text: str, ref: register.Ref) -> str:
        category = register.parse(text).categories[ref.category]
        position = max(0, ref.index - 1) if up else min(len(category.agreements) - 1, ref.index + 1)
        return register.move_agreement(text, ref, category.ref, position)

    name = _name_in(_unsealed(form.get("blokk")))
    return _agreement_edit(bench, request, form, change, f"Flyttet «{name}» {'opp' if up else 'ned'}")


def _name_in(block: str) -> str:
    for line in form_text(block).splitlines():
        stripped = line.strip().removeprefix("- ").strip()
        if stripped.startswith("name:"):
            return stripped.removeprefix("name:").strip().strip("'\"")
    return "samarbeid"


# --- categories --------------------------------------------------------------------


def _category_form(bench: Bench, request: Request, status: int = 200, **shown: Any) -> Response:
    c = request.path_params["c"]
    try:
        _, now = bench.register_now()
        category = now.categories[c]
    except (register.EditError, Refused, IndexError) as error:
        return refused_page(bench, request, 404, "Finnes ikke", said(error))
    errors = shown.pop("errors", [])
    return bench.render(
        request, "kategori.html", status, title=f"Kategorien {category.name}", name=category.name,
        value=shown.pop("value", category.name), action=f"{EDIT_VIEW}/kategori/{c}",
        remove_action=f"{EDIT_VIEW}/kategori/{c}/fjern", empty=not category.agreements, errors=errors,
        general=shown.pop("general", []), by_field={field: [p] for field, p in errors},
    )  # fmt: skip


def _category_edit(
    bench: Bench, request: Request, name: str, change: Callable[[str, register.CategoryRef], str], summary: str,
    on_refused: Callable[[Exception], Response] | None = None,
) -> Response:  # fmt: skip
    c = request.path_params["c"]  # every route to here has it

    def edit(text: str) -> str:
        return change(text, _category_located(text, c, name))

    try:
        saved = bench.saver.save(AGREEMENTS_FILE, edit, summary)
    except Conflict as conflict:
        return _conflict(bench, request, conflict, EDIT_VIEW)
    except (Refused, register.EditError) as error:
        if on_refused is not None:
            return on_refused(error)
        return refused_page(bench, request, 422, "Ikke lagret", said(error))
    return _done(bench, saved)


def _new_category_form(bench: Bench, request: Request) -> Response:
    """A category is saved with its first agreement (the readers refuse an
    empty one): the form for that agreement, under the new name."""
    name = request.query_params.get("navn", "").strip()
    try:
        _, now = bench.register_now()
    except (register.EditError, Refused) as error:
        return refused_page(bench, request, 409, "Kan ikke redigeres i skjemaet", said(error))
    if not name:
        return refused_page(bench, request, 422, "Mangler navn", "Skriv navnet på den nye kategorien.")
    if any(category.name == name for category in now.categories):
        return refused_page(
            bench, request, 422, "Finnes fra før", f"Det finnes allerede en kategori som heter «{name}»."
        )
    return _agreement_page(bench, request, now, NEW_CATEGORY, None, None, FormValues(), None, new_category=name)


def _rename_category(bench: Bench, request: Request, form: FormData) -> Response:
    old, new = form_text(form.get("gammelt_navn")), form_text(form.get("navn")).strip()

    def refused(error: Exception) -> Response:
        problems = error.problems if isinstance(error, Refused) else []
        message = [] if problems else [said(error)]
        errors = [("navn", problem) for problem in problems]
        return _category_form(bench, request, 422, value=new, errors=errors, general=message)

    if not new:
        return _category_form(bench, request, 422, value=new, errors=[], general=["Skriv et navn på kategorien."])
    return _category_edit(
        bench, request, old, lambda text, where: register.rename_category(text, where, new),
        f"Nytt navn på kategori: «{old}» → «{new}»", refused,
    )  # fmt: skip


def _move_category(bench: Bench, request: Request, form: FormData) -> Response:
    name, to = form_text(form.get("navn")), form_text(form.get("til"))
    if not to.isdigit():
        return refused_page(bench, request, 422, "Ikke lagret", "Ukjent plass å flytte kategorien til.")
    return _category_edit(
        bench, request, name, lambda text, where: register.move_category(text, where, int(to)),
        f"Flyttet kategorien «{name}»",
    )  # fmt: skip


def _remove_category(bench: Bench, request: Request, form: FormData) -> Response:
    name = form_text(form.get("navn"))
    return _category_edit(
        bench, request, name, lambda text, where: register.remove_category(text, where), f"Fjernet kategorien «{name}»"
    )


# --- text files ----------------------------------------------------------------------


def _text_form(bench: Bench, request: Request) -> Response:
    name = request.path_params["name"]
    path = bench.text_path(name)
    if path is None:
        return refused_page(bench, request, 404, "Finnes ikke", f"{name} er ikke en av tekstene i report.yaml.")
    try:
        text = bench.saver.read(str(path.relative_to(bench.preview.content_dir)))
    except Refused as refused:
        return refused_page(bench, request, 409, "Kan ikke leses", said(refused))
    return _text_page(bench, request, name, text, _digest(text))


def _text_page(
    bench: Bench, request: Request, name: str, text: str, base: str, status: int = 200,
    errors: Sequence[tuple[str, Diagnostic]] = (), general: Sequence[Diagnostic] = (),
) -> Response:  # fmt: skip
    by_field: dict[str, list] = {}
    for field, problem in errors:
        by_field.setdefault(field, []).append(problem)
    return bench.render(
        request, "tekst.html", status, title=f"Rediger {name}", action=f"{EDIT_VIEW}/tekst/{name}", text=text,
        base=base, errors=list(errors), general=list(general), by_field=by_field,
    )  # fmt: skip


def _save_text(bench: Bench, request: Request, form: FormData) -> Response:
    name = request.path_params["name"]
    path = bench.text_path(name)
    if path is None:
        return refused_page(bench, request, 404, "Finnes ikke", f"{name} er ikke en av tekstene i report.yaml.")
    relative = str(path.relative_to(bench.preview.content_dir))
    # a textarea sends its lines with CRLF; the file keeps the line ending it has
    typed = form_text(form.get("tekst")).replace("\r\n", "\n")
    base = form_text(form.get("grunnlag"))

    def edit(text: str) -> str:
        if _digest(text) != base:
            raise Conflict(typed, text)
        return typed.replace("\n", "\r\n") if "\r\n" in text else typed

    try:
        saved = bench.saver.save(relative, edit, f"Endret {name}")
    except Conflict as conflict:
        return bench.render(
            request, "konflikt.html", 409, title="Ikke lagret", file=relative, mine=conflict.mine,
            theirs=conflict.theirs, again=f"{EDIT_VIEW}/tekst/{name}", whole_file=True,
        )  # fmt: skip
    except Refused as refused:
        errors = [("tekst", p) for p in refused.problems if p.location.path.name == name]
        general = [p for p in refused.problems if p.location.path.name != name]
        return _text_page(bench, request, name, typed, base, 422, errors, general)
    return _done(bench, saved)


def _digest(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", errors="surrogateescape")).hexdigest()


# --- history ---------------------------------------------------------------------------


def _history(bench: Bench, request: Request, refused: str | None = None, status: int = 200) -> Response:
    entries, unavailable = [], None
    try:
        entries = bench.saver.history.entries()
    except HistoryUnavailable as error:
        unavailable = str(error)
    return bench.render(
        request, "historikk.html", status, title="Historikk", here="historikk", entries=entries, refused=refused,
        unavailable=unavailable,
    )  # fmt: skip


def _undo(bench: Bench, request: Request, form: FormData) -> Response:
    try:
        saved = bench.saver.undo(request.path_params["entry"])
    except (UndoRefused, HistoryUnavailable) as error:
        return _history(bench, request, str(error), 409)
    except Refused as refused:
        return _history(bench, request, "Angring ville gitt feil i innholdet: " + said(refused), 409)
    return _done(bench, saved)
