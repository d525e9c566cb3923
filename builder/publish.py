"""A publication folder, ready to upload to the municipality's website or to
serve as it is: the overview as HTML (``index.html``) with one page per
member, the PDF and DOCX of each, and the edition's data as CSV and JSON.

Every link is relative, so the folder works from ``file://`` and from any
static web server, wherever it is put. The same content gives the same
bytes, and the files are written as a build writes them: all or none.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from builder import norwegian
from builder.build import Prepared, distinct_names, prepare_all, render_all
from builder.diagnostics import Diagnostics
from builder.model import Agreement, Edition, Layout
from builder.outputs import write_atomically
from builder.writers.html_writer import LinkSection, render_html

if TYPE_CHECKING:
    from builder.processes import Renderers

PAPER_FORMATS = ("docx", "pdf")  # rendered by the writers (or render processes); the HTML pages here, with their links
INDEX = "index.html"
SCHEMA = Path(__file__).parent / "data" / "oversikt-data.schema.json"


def publish(
    content_dir: Path | str,
    site_dir: Path | str,
    *,
    strict: bool = False,
    changes_since: Path | str | None = None,
    summary: bool | None = None,
    renderers: Renderers | None = None,
) -> tuple[list[Path], Diagnostics]:
    """Write the publication folder for the edition in ``content_dir`` into
    ``site_dir``; returns the files written. The options are those of
    :func:`builder.build.build`; ``renderers``, if given, render DOCX and PDF
    (else they are rendered here, one after the other)."""
    if renderers is not None and renderers.formats != PAPER_FORMATS:
        raise ValueError(f"the renderers are for {renderers.formats}, not {PAPER_FORMATS}")
    options = {"strict": strict, "changes_since": changes_since, "summary": summary, "glyphs": False}
    (region,) = prepare_all(content_dir, **options)
    members = prepare_all(content_dir, members=("all",), **options)
    diagnostics = region.diagnostics
    # the same files read twice give the same findings: report them once
    diagnostics.items += [item for item in members[0].diagnostics.items if item not in diagnostics.items]
    everyone = [region, *members]
    stems = distinct_names(everyone, PAPER_FORMATS, Path(content_dir))
    rendered = render_all(everyone, PAPER_FORMATS, renderers, Path(content_dir))
    site = Path(site_dir)
    targets: dict[Path, bytes] = {}
    for stem, files in zip(stems, rendered, strict=True):
        for fmt, data in files.items():
            targets[site / f"{stem}.{fmt}"] = data
    targets.update({site / name: data for name, data in _pages(region, members, stems).items()})
    stem = stems[0]
    targets[site / f"{stem}.csv"] = agreements_csv(region.edition, region.layout)
    targets[site / f"{stem}.json"] = edition_json(region.edition, region.document.title)
    targets[site / SCHEMA.name] = SCHEMA.read_bytes()
    write_atomically(targets, diagnostics)
    return list(targets), diagnostics


def page_name(member: str) -> str:
    """A member's page: oyer.html for Øyer."""
    return f"{norwegian.ascii_name(member) or 'kommune'}.html"


def _pages(region: Prepared, members: list[Prepared], stems: list[str]) -> dict[Path, bytes]:
    """index.html with links to the downloads and the members' pages, and
    each member's page with links to its own downloads and back."""
    layout, language = region.layout, region.edition.language
    labels = layout.labels[language]
    stem = stems[0]
    downloads = [
        (labels["download_pdf"], f"{stem}.pdf"),
        (labels["download_docx"], f"{stem}.docx"),
        (labels["download_csv"], f"{stem}.csv"),
        (labels["download_json"], f"{stem}.json"),
    ]
    pages = [(labels["members_heading"], [(p.member, page_name(p.member)) for p in members])]
    index: list[LinkSection] = [(labels["downloads_heading"], downloads), *pages]
    site: dict[Path, bytes] = {Path(INDEX): render_html(region.document, layout, index)}
    back = layout.label(language, "full_edition", region=region.edition.region)
    for prepared, member_stem in zip(members, stems[1:], strict=True):
        links: list[LinkSection] = [
            ("", [(back, INDEX)]),
            (
                labels["downloads_heading"],
                [(labels["download_pdf"], f"{member_stem}.pdf"), (labels["download_docx"], f"{member_stem}.docx")],
            ),
        ]
        site[Path(page_name(prepared.member))] = render_html(prepared.document, prepared.layout, links)
    return site


def _since(agreement: Agreement) -> str | int | None:
    since = agreement.since
    return since.isoformat() if isinstance(since, dt.date) else since


def agreements_csv(edition: Edition, layout: Layout) -> bytes:
    """One row per agreement: category, name, form, a column per member
    (the mark where it takes part), host, partners, status, since, comment.
    UTF-8 with a byte order mark, which is how Excel knows to read æøå."""
    labels = layout.labels[edition.language]
    stream = io.StringIO()
    out = csv.writer(stream, lineterminator="\r\n")
    fields = ("category", "name", "form")
    after = ("host", "partners", "status", "since", "comment")
    out.writerow([*(labels[f"field_{f}"] for f in fields), *edition.members, *(labels[f"field_{f}"] for f in after)])
    for category in edition.categories:
        for agreement in category.agreements:
            taking_part = set(agreement.members)
            since = _since(agreement)
            out.writerow(
                [
                    category.name,
                    agreement.name,
                    agreement.form or "",
                    *(labels["mark"] if member in taking_part else "" for member in edition.members),
                    agreement.host or "",
                    norwegian.and_list(agreement.partners, labels["and"]),
                    labels[f"status_{agreement.status}"],
                    "" if since is None else str(since),
                    agreement.comment,
                ]
            )
    return stream.getvalue().encode("utf-8-sig")


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
                    }
                    for a in category.agreements
                ],
            }
            for category in edition.categories
        ],
    }


def edition_json(edition: Edition, title: str) -> bytes:
    return (json.dumps(edition_data(edition, title), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
