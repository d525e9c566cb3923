"""The year's work from the workbench, beside the forms: a new year, an
import and its guesses to review, the warnings explained, what changed since
the earlier edition, and building and publishing with their progress.

Each does what its command does (``roll``, ``import``, ``check``, ``diff``,
``build``, ``publish``), through the same library functions, so that the
command line and the workbench give the same files.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from builder import norwegian
from builder.build import Progress, build, prepare
from builder.changes import Value, compare
from builder.diagnostics import ContentError, Diagnostic, Diagnostics
from builder.model import EDITION_YEARS, OUTPUT_FORMATS
from builder.outputs import OutputRefused
from builder.readers.edition import AGREEMENTS_FILE, REPORT_FILE, read_edition
from builder.readers.files import MAX_FILE_BYTES
from builder.workbench import agreements_file as register
from builder.workbench.advice import Advice, advice_for
from builder.workbench.editing import Bench, changing, form_text, refused_page, said
from builder.workbench.guesses import confirmed
from builder.workbench.jobs import Busy, Job, Jobs, Work
from builder.workbench.saves import Conflict, Refused

FORMAT_LABELS = {"docx": "Word (DOCX)", "pdf": "PDF", "html": "Nettside (HTML)"}


def routes(bench: Bench) -> list[Route]:
    jobs = Jobs()
    return [
        Route("/nytt-ar", lambda request: _new_year_form(bench, request)),
        Route("/nytt-ar", changing(bench, _new_year), methods=["POST"]),
        Route("/importer", lambda request: _import_form(bench, request)),
        Route("/importer", changing(bench, _import, files=True), methods=["POST"]),
        Route("/importer/gjetninger", lambda request: _guesses(bench, request)),
        Route("/importer/gjetninger/bekreft", changing(bench, _confirm), methods=["POST"]),
        Route("/advarsler", lambda request: _warnings(bench, request)),
        Route("/endringer", lambda request: _changes(bench, request)),
        Route("/bygg", lambda request: _job_form(bench, request, jobs, "bygg")),
        Route("/bygg", changing(bench, lambda b, r, f: _build(b, r, f, jobs)), methods=["POST"]),
        Route("/publiser", lambda request: _job_form(bench, request, jobs, "publiser")),
        Route("/publiser", changing(bench, lambda b, r, f: _publish(b, r, f, jobs)), methods=["POST"]),
        Route("/{kind:str}/fremdrift", lambda request: _progress(jobs, request)),
        Route("/{kind:str}/fil/{name:path}", lambda request: _result_file(bench, jobs, request)),
    ]


def _beside(bench: Bench, stem: str, year: int) -> Path:
    """A folder beside the open edition's: innhold-2020, bygg-2020, nettsted-2020."""
    return _folder_beside(bench, f"{stem}-{year}")


def _year(bench: Bench) -> int | None:
    edition = bench.preview.last_edition
    return edition.as_of.year if edition else None


# --- a new year -------------------------------------------------------------------------


def _new_year_form(bench: Bench, request: Request, status: int = 200, **shown: Any) -> Response:
    year = _year(bench)
    suggested = f"01.01.{year + 1}" if year else ""
    folder = str(_beside(bench, "innhold", year + 1)) if year else ""
    return bench.render(
        request, "nytt_ar.html", status, title="Nytt år", here="nytt-ar",
        date=shown.pop("date", suggested), folder=shown.pop("folder", folder), **shown,
    )  # fmt: skip


def _new_year(bench: Bench, request: Request, form: FormData) -> Response:
    from builder.rolling import RollRefused, roll

    typed_date, typed_folder = form_text(form.get("dato")).strip(), form_text(form.get("mappe")).strip()
    errors: dict[str, str] = {}
    day = norwegian.parse_date(typed_date)
    if day is None or day.year not in EDITION_YEARS:
        errors["dato"] = f"«{typed_date}» er ingen dato; skriv 01.01.2020 eller 2020-01-01"
    if not typed_folder:
        errors["mappe"] = "Skriv navnet på den nye mappen, for eksempel innhold-2020"
    if errors or day is None:  # no day is an error above
        return _new_year_form(bench, request, 422, date=typed_date, folder=typed_folder, errors=errors)
    target = _folder_beside(bench, typed_folder)
    try:
        rolled = roll(bench.preview.content_dir, day, target)
    except RollRefused as refusal:
        return _new_year_form(bench, request, 422, date=typed_date, folder=typed_folder, errors={"mappe": str(refusal)})
    except (ContentError, OutputRefused) as error:
        return refused_page(bench, request, 422, "Ikke laget", said(error))
    bench.preview.open(rolled.target)
    left_out = [f"{p.agreement.name} ({p.category})" for p in rolled.left_out]
    return bench.render(
        request, "nytt_ar_ferdig.html", title="Nytt år laget", here="nytt-ar", target=rolled.target,
        year=rolled.edition.as_of.year, left_out=left_out, groups=_advice(bench, rolled.diagnostics.warnings),
    )  # fmt: skip


def _folder_beside(bench: Bench, typed: str) -> Path:
    """A folder the editor named: as typed if it is a path, else beside the open edition."""
    path = Path(typed).expanduser()
    return path if path.is_absolute() else bench.preview.content_dir.resolve().parent / path


# --- import ------------------------------------------------------------------------------


def _import_form(bench: Bench, request: Request, status: int = 200, **shown: Any) -> Response:
    return bench.render(request, "importer.html", status, title="Importer", here="importer", **shown)


def _import(bench: Bench, request: Request, form: FormData) -> Response:
    from builder.importing import import_source

    upload = form.get("fil")
    typed_folder = form_text(form.get("mappe")).strip()
    if upload is None or isinstance(upload, str) or not upload.filename:
        return _import_form(bench, request, 422, errors={"fil": "Velg fjorårets fil: .docx, .txt, .csv eller .xlsx"})
    name = Path(upload.filename).name  # the browser's name for it; never a path here
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="oversikt-import-") as scratch:
        source = Path(scratch) / f"fil{suffix}"
        data = upload.file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            return _import_form(bench, request, 422, errors={"fil": "Filen er for stor til å importeres"})
        source.write_bytes(data)
        parent = bench.preview.content_dir.resolve().parent
        # without a name, it goes to a scratch folder first: the name comes from the document's own date
        into = _folder_beside(bench, typed_folder) if typed_folder else Path(tempfile.mkdtemp(".import", dir=parent))
        try:
            result = import_source(source, into)
        except (ContentError, OutputRefused) as error:
            if not typed_folder:
                shutil.rmtree(into, ignore_errors=True)
            problems = error.diagnostics.errors if isinstance(error, ContentError) else []
            text = "; ".join(str(p).replace(str(source), name) for p in problems) or str(error)
            return _import_form(bench, request, 422, errors={"fil": text})
        if not typed_folder:
            into = _named_by_date(into, parent)
    bench.preview.open(into)
    warnings = [str(w).replace(str(source), name) for w in result.diagnostics.warnings]
    return _guesses(bench, request, imported=(name, into, result.agreements, result.categories, warnings))


def _named_by_date(scratch: Path, parent: Path) -> Path:
    """The imported edition moved to innhold-<year> from its own date, numbered when that is taken."""
    try:
        as_of = yaml.safe_load((scratch / REPORT_FILE).read_text("utf-8")).get("as_of")
        year = as_of.year
    except (OSError, AttributeError, yaml.YAMLError):
        year = None
    base = f"innhold-{year}" if year else "innhold-importert"
    target, number = parent / base, 2
    while target.exists():
        target, number = parent / f"{base}-{number}", number + 1
    scratch.rename(target)
    return target


def _guesses(bench: Bench, request: Request, status: int = 200, **shown: Any) -> Response:
    found = bench.guesses()
    places = _Places(bench)
    links = {}
    for guess in found:
        if guess.file == AGREEMENTS_FILE and (entry := places.agreement_at(guess.line)) is not None:
            links[guess.line] = (_form_address(entry), entry.fields.name)
    return bench.render(
        request, "gjetninger.html", status, title="Gjetninger fra importen", here="importer", guesses=found,
        links=links, imported=shown.pop("imported", None), **shown,
    )  # fmt: skip


def _confirm(bench: Bench, request: Request, form: FormData) -> Response:
    file, seen, number = form_text(form.get("fil")), form_text(form.get("linjen")), form_text(form.get("linje"))
    line = int(number) if number.isdigit() else 0
    if file not in (REPORT_FILE, AGREEMENTS_FILE):
        return refused_page(bench, request, 404, "Finnes ikke", "Gjetningen finnes ikke.")

    def edit(text: str) -> str:
        changed = confirmed(text, line, seen)
        if changed is None:
            raise Conflict(seen, "(linjen er endret i filen siden siden ble vist)")
        return changed

    try:
        bench.saver.save(file, edit, f"Bekreftet gjetning i {file}, linje {line}")
    except Exception as error:  # noqa: BLE001 - a conflict or a refusal, said on the page
        return _guesses(bench, request, 409, refused=said(error))
    return RedirectResponse("/importer/gjetninger", 303, headers=bench.headers)


# --- warnings and changes ----------------------------------------------------------------------


def _warnings(bench: Bench, request: Request) -> Response:
    from builder.rolling import review_notes

    try:
        prepared = prepare(bench.preview.content_dir)
    except ContentError as error:
        return bench.render(
            request, "advarsler.html", title="Advarsler", here="advarsler", groups=[], errors=error.diagnostics.errors
        )
    warnings = prepared.diagnostics.warnings + review_notes(bench.preview.content_dir, prepared.edition).warnings
    return bench.render(
        request, "advarsler.html", title="Advarsler", here="advarsler", groups=_advice(bench, warnings), errors=[]
    )


def _advice(bench: Bench, warnings: list[Diagnostic]) -> list[tuple[Advice, list[tuple[Diagnostic, Place]]]]:
    """The warnings by kind, the kinds that cannot wait first, each with the
    agreement or text it stands in and a link to its form."""
    groups: dict[str, tuple[Advice, list]] = {}
    places = _Places(bench)
    for warning in warnings:
        advice = advice_for(warning.message)
        groups.setdefault(advice.key, (advice, []))[1].append((warning, places.of(warning)))
    return sorted(groups.values(), key=lambda group: (group[0].can_wait, group[0].title))


@dataclass(frozen=True)
class Place:
    what: str | None  # the agreement's name, or the text file's
    form: str | None  # where it is edited


class _Places:
    """Where in the edition a line or a warning stands, in the editor's words."""

    def __init__(self, bench: Bench):
        self.bench = bench
        try:
            self.agreements = register.parse(bench.saver.read(AGREEMENTS_FILE)).agreements()
        except (register.EditError, Refused):
            self.agreements = []

    def agreement_at(self, line: int) -> register.AgreementEntry | None:
        """The agreement whose lines in agreements.yaml hold ``line``."""
        return next((entry for entry in self.agreements if entry.lines[0] <= line <= entry.lines[1]), None)

    def of(self, warning: Diagnostic) -> Place:
        path, line = warning.location.path, warning.location.line
        if path.name == AGREEMENTS_FILE and line is not None and (entry := self.agreement_at(line)) is not None:
            return Place(entry.fields.name, _form_address(entry))
        if path.suffix == ".md" and path.name in self.bench.texts():
            return Place(path.name, f"/rediger/tekst/{path.name}")
        return Place(None, None)


def _form_address(entry: register.AgreementEntry) -> str:
    return f"/rediger/samarbeid/{entry.category}/{entry.index}"


def _changes(bench: Bench, request: Request) -> Response:
    problems = Diagnostics()
    new = read_edition(bench.preview.content_dir, problems)
    earlier = new.changes_since if new else None
    old = read_edition(earlier, Diagnostics()) if earlier else None
    if new is None or old is None:
        return bench.render(
            request, "endringer.html", title="Endringer", here="endringer", changes=None, earlier=earlier,
            errors=problems.errors,
        )  # fmt: skip
    positions = {
        id(agreement): f"/rediger/samarbeid/{c}/{a}"
        for c, category in enumerate(new.categories)
        for a, agreement in enumerate(category.agreements)
    }
    changes = compare(old, new)
    added = [(p.agreement.name, p.category, positions.get(id(p.agreement))) for p in changes.added]
    ended = [(p.agreement.name, p.category) for p in changes.ended]
    changed = [
        (
            c.new.agreement.name,
            positions.get(id(c.new.agreement)),
            [(f.field, _shown(f.old), _shown(f.new)) for f in c.fields],
        )
        for c in changes.changed
    ]
    return bench.render(
        request, "endringer.html", title="Endringer", here="endringer", changes=bool(changes), earlier=earlier,
        added=added, ended=ended, changed=changed, old_date=norwegian.date_long(old.as_of),
        new_date=norwegian.date_long(new.as_of), errors=[],
    )  # fmt: skip


def _shown(value: Value) -> str:
    if value is None or value == ():
        return "–"
    return ", ".join(value) if isinstance(value, tuple) else str(value)


# --- build and publish ----------------------------------------------------------------------------


def _job_form(bench: Bench, request: Request, jobs: Jobs, kind: str, status: int = 200, **shown: Any) -> Response:
    edition = bench.preview.last_edition
    year = edition.as_of.year if edition else None
    folder = _beside(bench, "bygg" if kind == "bygg" else "nettsted", year) if year else None
    chosen = (edition.formats if edition else None) or ("docx", "pdf")
    job = jobs.current if jobs.current is not None and jobs.current.kind == kind else None
    return bench.render(
        request, "jobb.html", status, title="Bygg" if kind == "bygg" else "Publiser", here=kind, kind=kind,
        folder=folder, formats=[(fmt, FORMAT_LABELS[fmt], fmt in chosen) for fmt in OUTPUT_FORMATS],
        edition=edition, job=job, files=_files_of(job),
        problems=_placed(bench, job.problems) if job else [], **shown,
    )  # fmt: skip


def _placed(bench: Bench, problems: list[Diagnostic]) -> list[tuple[Diagnostic, str | None]]:
    """Each problem with the address of the form it is mended in."""
    places = _Places(bench)
    return [(problem, places.of(problem).form) for problem in problems]


def _files_of(job: Job | None) -> list[str]:
    if job is None or not job.done:
        return []
    return [path.name for path in job.written if not path.name.startswith(".")]


def _build(bench: Bench, request: Request, form: FormData, jobs: Jobs) -> Response:
    chosen = tuple(fmt for fmt in OUTPUT_FORMATS if fmt in form.getlist("format"))
    if not chosen:
        return _job_form(bench, request, jobs, "bygg", 422, errors={"format": "Velg minst ett format"})
    edition = bench.preview.last_edition
    if edition is None:
        return refused_page(bench, request, 409, "Kan ikke bygges", "Innholdet har feil; se forhåndsvisningen.")
    if edition.formats != chosen:
        _remember_formats(bench, chosen)
    content, out = bench.preview.content_dir, _beside(bench, "bygg", edition.as_of.year)

    def work(progress: Progress) -> tuple[list[Path], list[Diagnostic]]:
        from builder.outputs import check_apart

        check_apart(content, out, "bygg-mappen")
        written, diagnostics = build(content, out, None, member="all", with_region=True, progress=progress)
        return written, diagnostics.warnings

    return _started(bench, request, jobs, "bygg", out, work)


def _publish(bench: Bench, request: Request, form: FormData, jobs: Jobs) -> Response:
    from builder.publish import publish

    edition = bench.preview.last_edition
    if edition is None:
        return refused_page(bench, request, 409, "Kan ikke publiseres", "Innholdet har feil; se forhåndsvisningen.")
    content, out = bench.preview.content_dir, _beside(bench, "nettsted", edition.as_of.year)

    def work(progress: Progress) -> tuple[list[Path], list[Diagnostic]]:
        from builder.outputs import check_apart

        check_apart(content, out, "nettsted-mappen")
        try:
            written, diagnostics = publish(content, out, progress=progress)
        except OutputRefused as refusal:  # said for the command line: its way out here is another
            found = str(refusal).split("; bruk --force")[0]
            raise OutputRefused(f"{found}; flytt dem ut av mappen og publiser igjen") from None
        return written, diagnostics.warnings

    return _started(bench, request, jobs, "publiser", out, work)


def _started(bench: Bench, request: Request, jobs: Jobs, kind: str, out: Path, work: Work) -> Response:
    try:
        jobs.start(kind, out, work)
    except Busy as busy:
        what = "Et bygg" if busy.job.kind == "bygg" else "En publisering"
        return _job_form(
            bench, request, jobs, kind, 409,
            busy=f"{what} pågår allerede ({busy.job.making or 'starter'}). Vent til det er ferdig, og prøv igjen.",
        )  # fmt: skip
    return RedirectResponse(f"/{kind}", 303, headers=bench.headers)


def _remember_formats(bench: Bench, chosen: tuple[str, ...]) -> None:
    """report.yaml's ``formats``, so that ``oversikt build`` gives the same files."""
    from builder.rolling import with_report_value

    bench.saver.save(
        REPORT_FILE, lambda text: with_report_value(text, "formats", list(chosen)),
        f"Formater for «Bygg»: {', '.join(chosen)}",
    )  # fmt: skip


def _progress(jobs: Jobs, request: Request) -> Response:
    job = jobs.current
    if job is None or job.kind != request.path_params["kind"]:
        return JSONResponse({"ferdig": True, "lager": ""}, headers={"Cache-Control": "no-store"})
    return JSONResponse({"ferdig": job.done, "lager": job.making}, headers={"Cache-Control": "no-store"})


def _result_file(bench: Bench, jobs: Jobs, request: Request) -> Response:
    """A file the last job wrote, looked up among them by name, never read from a path in the address."""
    job, name = jobs.current, request.path_params["name"]
    if job is None or job.kind != request.path_params["kind"] or not job.done:
        return refused_page(bench, request, 404, "Finnes ikke", "Filen finnes ikke.")
    for path in job.written:
        if path.name == name and path.is_file():
            return FileResponse(path, headers=bench.headers)
    return refused_page(bench, request, 404, "Finnes ikke", "Filen finnes ikke.")
