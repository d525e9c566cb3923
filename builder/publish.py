"""A publication folder, ready to upload to the municipality's website or to
serve as it is: the overview as HTML (``index.html``) with one page per
member, the PDF and DOCX of each, and the edition's data as CSV and JSON.

Every link is relative, so the folder works from ``file://`` and from any
static web server, wherever it is put. The same content gives the same
bytes, and the files are written as a build writes them: all or none.

A publish writes over no file it did not make. The marker file
``.oversikt-publisert``, written in the same step as the rest, lists the
files it made; the next publish may replace those, and removes those it no
longer makes (the page of a member that left, say), since the marker says
they are ours. Any other file in the way is refused, unless ``force``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import stat
from pathlib import Path

from builder import norwegian
from builder.agreement_facts import decision_text, ownership_text
from builder.build import Prepared, Progress, distinct_names, output_name, region_and_members, render_all
from builder.dataset import dataset_description
from builder.diagnostics import Diagnostics, Location
from builder.formula_cells import neutralised
from builder.model import Agreement, Edition, Layout
from builder.outputs import OutputRefused, write_atomically
from builder.readers.edition import REPORT_FILE
from builder.spreadsheet import Cell, workbook_bytes
from builder.writers.html_writer import LinkSection, render_html

PAPER_FORMATS = ("docx", "pdf")  # rendered by the writers (the PDF perhaps in a render process); the HTML pages here
INDEX = "index.html"
SCHEMA = Path(__file__).parent / "data" / "oversikt-data.schema.json"
DATASET = "datasett.jsonld"  # the data's description in DCAT-AP-NO, for the national data catalogue
MARKER = ".oversikt-publisert"
MARKER_HEADER = (
    "# Filene «oversikt publish» laget i denne mappen. Neste publisering kan erstatte dem, og fjerner\n"
    "# dem den ikke lager lenger. Andre filer skrives ikke over uten --force. Ikke rediger denne filen.\n"
)
MAX_MARKER_SIZE = 1024 * 1024  # bytes: many times the list of a region's files
NAMED_FOREIGN = 3  # of the files in the way, named in the refusal


def publish(
    content_dir: Path | str,
    site_dir: Path | str,
    *,
    strict: bool = False,
    changes_since: Path | str | None = None,
    summary: bool | None = None,
    processes: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> tuple[list[Path], Diagnostics]:
    """Write the publication folder for the edition in ``content_dir`` into
    ``site_dir``; returns the files written. The options are those of
    :func:`builder.build.build`; ``processes`` renders the PDFs in a render
    process where one may be forked. Raises OutputRefused,
    before anything is rendered, when a file in the way was not made by a
    publish, unless ``force``."""
    everyone = region_and_members(
        content_dir, changes_since=changes_since, strict=strict, summary=summary, glyphs=False
    )
    region, members = everyone[0], everyone[1:]
    diagnostics = region.diagnostics
    stem = output_name(region.edition)
    # a member's page is named as its files are (oversikt-2019-oyer.pdf, oyer.html): none may be index.html
    stems = distinct_names(everyone, reserved=[f"{stem}-{Path(INDEX).stem}"])
    pages = [f"{member_stem.removeprefix(f'{stem}-')}.html" for member_stem in stems[1:]]
    site = Path(site_dir)
    names = _file_names(stems, pages)
    earlier = published_before(site)
    if not force:
        _refuse_foreign(site, names, earlier)
    rendered = render_all(everyone, PAPER_FORMATS, processes, Path(content_dir), progress, stems)
    targets: dict[Path, bytes] = {}
    for member_stem, files in zip(stems, rendered, strict=True):
        for fmt, data in files.items():
            targets[site / f"{member_stem}.{fmt}"] = data
    targets.update({site / name: data for name, data in _pages(region, members, stems, pages).items()})
    targets[site / f"{stem}.csv"] = agreements_csv(region.edition, region.layout)
    targets[site / f"{stem}.xlsx"] = agreements_xlsx(region.edition, region.layout)
    targets[site / f"{stem}.json"] = edition_json(region.edition, region.document.title)
    targets[site / SCHEMA.name] = SCHEMA.read_bytes()
    targets[site / DATASET] = dataset_jsonld(region.edition, region.layout, region.document.title, stem)
    if region.edition.contact is None:
        diagnostics.warning(
            Location(Path(content_dir) / REPORT_FILE),
            f"report.yaml har ingen 'contact': {DATASET} får ingen e-post- eller nettadresse å kontakte,"
            " som DCAT-AP-NO krever",
            "skriv for eksempel contact: {name: Kommunedirektøren, email: post@kommune.no}",
        )
    if sorted(path.name for path in targets) != sorted(names):
        raise RuntimeError(f"the files written are not those named: {sorted(targets)} {names}")
    targets[site / MARKER] = (MARKER_HEADER + "".join(f"{name}\n" for name in sorted(names))).encode("utf-8")
    now = {name.casefold() for name in names}
    gone = [site / name for name in sorted(earlier) if name.casefold() not in now and _is_file(site / name)]
    write_atomically(targets, diagnostics, remove=gone)
    return list(targets), diagnostics


def _file_names(stems: list[str], pages: list[str]) -> list[str]:
    """Every file a publish writes but the marker, each its own even where
    the file system folds case (a bug otherwise, not the editor's doing)."""
    stem = stems[0]
    names = [
        INDEX,
        *pages,
        *(f"{each}.{fmt}" for each in stems for fmt in PAPER_FORMATS),
        f"{stem}.csv",
        f"{stem}.xlsx",
        f"{stem}.json",
        SCHEMA.name,
        DATASET,
    ]
    if len({name.casefold() for name in names}) != len(names):
        raise RuntimeError(f"two files of the publication have one name: {names}")
    return names


def published_before(site: Path) -> set[str]:
    """The files an earlier publish made in ``site``, as its marker lists
    them: plain names of files in the folder, nothing outside it, however the
    marker was edited. A marker that cannot be read lists none."""
    marker = site / MARKER
    try:
        if not stat.S_ISREG(marker.stat().st_mode):  # a FIFO would never end, a device never stop
            return set()
        with marker.open("rb") as stream:
            data = stream.read(MAX_MARKER_SIZE + 1)
    except OSError:
        return set()
    if len(data) > MAX_MARKER_SIZE:
        return set()
    lines = data.decode("utf-8", errors="replace").splitlines()
    return {line for line in lines if not line.startswith("#") and _plain_name(line)}


def _plain_name(name: str) -> bool:
    return (
        name not in ("", ".", "..", MARKER)
        and not any(char in name for char in "/\\:\0")
        and name == name.strip()
        and not name.endswith(".oversikt-tmp")
    )


def _is_file(path: Path) -> bool:
    """A file or a link, which a publish may replace or remove; never a folder."""
    try:
        return not stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _refuse_foreign(site: Path, names: list[str], earlier: set[str]) -> None:
    ours = {name.casefold() for name in earlier}
    foreign = [name for name in names if name.casefold() not in ours and _is_file(site / name)]
    if foreign:
        more = len(foreign) - NAMED_FOREIGN
        named = ", ".join(foreign[:NAMED_FOREIGN]) + (f" og {more} til" if more > 0 else "")
        raise OutputRefused(
            f"{site} har filer som ikke er laget av oversikt publish, og som ville blitt skrevet over: {named};"
            " bruk --force for å skrive over dem, eller velg en annen mappe med --out"
        )


def _pages(region: Prepared, members: list[Prepared], stems: list[str], pages: list[str]) -> dict[str, bytes]:
    """index.html with links to the downloads and the members' pages, and
    each member's page with links to its own downloads and back."""
    layout, language = region.layout, region.edition.language
    labels = layout.labels[language]
    stem = stems[0]
    downloads = [
        (labels["download_pdf"], f"{stem}.pdf"),
        (labels["download_docx"], f"{stem}.docx"),
        (labels["download_xlsx"], f"{stem}.xlsx"),
        (labels["download_csv"], f"{stem}.csv"),
        (labels["download_json"], f"{stem}.json"),
    ]
    member_links = []
    for prepared, page in zip(members, pages, strict=True):
        assert prepared.member is not None, "a member's own edition"
        member_links.append((prepared.member, page))
    listed = [(labels["members_heading"], member_links)]
    index: list[LinkSection] = [(labels["downloads_heading"], downloads), *listed]
    site = {INDEX: render_html(region.document, layout, index)}
    back = layout.label(language, "full_edition", region=region.edition.region)
    for prepared, member_stem, page in zip(members, stems[1:], pages, strict=True):
        links: list[LinkSection] = [
            ("", [(back, INDEX)]),
            (
                labels["downloads_heading"],
                [(labels["download_pdf"], f"{member_stem}.pdf"), (labels["download_docx"], f"{member_stem}.docx")],
            ),
        ]
        site[page] = render_html(prepared.document, prepared.layout, links)
    return site


def _since(agreement: Agreement) -> str | int | None:
    since = agreement.since
    return since.isoformat() if isinstance(since, dt.date) else since


FACT_FIELDS = ("orgnr", "purpose", "ownership", "decision", "url")


def agreement_rows(edition: Edition, layout: Layout) -> list[list[Cell]]:
    """The header, then one row per agreement: category, name, form, a
    column per member (the mark where it takes part), host, partners,
    status, since, comment, then the facts (org.nr, purpose, ownership,
    decision, link). Dates stay dates and years numbers; the CSV and the
    XLSX each write them their own way."""
    labels = layout.labels[edition.language]
    fields = ("category", "name", "form")
    after = ("host", "partners", "status", "since", "comment", *FACT_FIELDS)
    rows: list[list[Cell]] = [
        [*(labels[f"field_{f}"] for f in fields), *edition.members, *(labels[f"field_{f}"] for f in after)]
    ]
    for category in edition.categories:
        for agreement in category.agreements:
            taking_part = set(agreement.members)
            rows.append(
                [
                    category.name,
                    agreement.name,
                    agreement.form or "",
                    *(labels["mark"] if member in taking_part else "" for member in edition.members),
                    agreement.host or "",
                    norwegian.and_list(agreement.partners, labels["and"]),
                    labels[f"status_{agreement.status}"],
                    agreement.since,
                    agreement.comment,
                    agreement.orgnr or "",
                    agreement.purpose,
                    ownership_text(agreement),
                    decision_text(agreement),
                    agreement.url or "",
                ]
            )
    return rows


def agreements_csv(edition: Edition, layout: Layout) -> bytes:
    """The rows of :func:`agreement_rows`, a date as YYYY-MM-DD. UTF-8 with a
    byte order mark, which is how Excel knows to read æøå; comma-separated
    and quoted as RFC 4180 says; a cell that a spreadsheet would run as a
    formula has an apostrophe before it (see :mod:`builder.formula_cells`).
    The schema's description says the same."""
    stream = io.StringIO()
    out = csv.writer(stream, lineterminator="\r\n")
    rows = agreement_rows(edition, layout)
    # the header's cells too: member names
    out.writerows([neutralised(_csv_text(cell)) for cell in row] for row in rows)
    return stream.getvalue().encode("utf-8-sig")


def _csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, dt.date) else str(cell)


def agreements_xlsx(edition: Edition, layout: Layout) -> bytes:
    """The rows of :func:`agreement_rows` as a workbook for people (see :mod:`builder.spreadsheet`)."""
    return workbook_bytes(agreement_rows(edition, layout), edition.region, edition.as_of)


def dataset_jsonld(edition: Edition, layout: Layout, title: str, stem: str) -> bytes:
    """The data's description in DCAT-AP-NO (see :mod:`builder.dataset`)."""
    description = dataset_description(edition, layout, title, {fmt: f"{stem}.{fmt}" for fmt in ("csv", "json", "xlsx")})
    return (json.dumps(description, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def edition_data(edition: Edition, title: str) -> dict:
    """The edition as plain data, as ``oversikt-data.schema.json`` describes it."""
    return {
        "title": title,
        "region": edition.region,
        "as_of": edition.as_of.isoformat(),
        "language": edition.language,
        "members": list(edition.members),
        "categories": [
            {
                "name": category.name,
                "agreements": [
                    {
                        "name": a.name,
                        "id": a.id,
                        "part_of": a.part_of,
                        "form": a.form,
                        "members": list(a.members),
                        "host": a.host,
                        "partners": list(a.partners),
                        "status": a.status,
                        "since": _since(a),
                        "comment": a.comment,
                        "orgnr": a.orgnr,
                        "purpose": a.purpose,
                        "ownership": [{"participant": name, "percent": share} for name, share in a.ownership],
                        "decisions": [
                            {
                                "member": d.member,
                                "reference": d.reference,
                                "date": None if d.date is None else d.date.isoformat(),
                            }
                            for d in a.decisions
                        ],
                        "url": a.url,
                    }
                    for a in category.agreements
                ],
            }
            for category in edition.categories
        ],
    }


def edition_json(edition: Edition, title: str) -> bytes:
    return (json.dumps(edition_data(edition, title), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
