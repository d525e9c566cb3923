"""Wires the steps: read and validate an edition, assemble the document, render
every format, and only then write the files, each atomically.

A build that fails at any step writes nothing and leaves earlier outputs as
they were; ``check`` runs every step but the writing.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from builder.assemble import assemble
from builder.diagnostics import ContentError, Diagnostics, Location, did_you_mean
from builder.model import AgreementTable, BulletList, Document, Edition, Heading, Layout, Paragraph, Title
from builder.readers.edition import AGREEMENTS_FILE, REPORT_FILE, read_edition
from builder.readers.layout import available_layouts, find_layout, read_layout
from builder.readers.text_checks import character_name
from builder.writers import WRITERS

FORMATS = tuple(WRITERS)


@dataclass
class Prepared:
    """An edition that passed every check, ready to be rendered."""

    edition: Edition
    layout: Layout
    document: Document
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def prepare(content_dir: Path | str, *, strict: bool = False) -> Prepared:
    """Read, validate and assemble; raises ContentError listing every problem."""
    content_dir = Path(content_dir)
    problems = Diagnostics()
    edition = read_edition(content_dir, problems)
    layout = _layout(edition, content_dir, problems) if edition else None
    document = None
    if edition and layout:
        document = assemble(edition, layout, problems)
        document = replace(document, created=build_time(document.created, content_dir, problems))
        _check_glyphs(document, layout, content_dir, problems)
    if problems.errors or (strict and problems.warnings) or document is None:
        raise ContentError(problems)
    return Prepared(edition, layout, document, problems)


def build_time(edition_time: dt.datetime, content_dir: Path, problems: Diagnostics) -> dt.datetime:
    """The time written into the outputs: SOURCE_DATE_EPOCH when set (the
    reproducible-builds convention), else the edition's date, never the clock,
    so the same content always gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return edition_time
    if not epoch.strip().isdigit():
        problems.error(
            Location(content_dir),
            f"miljøvariabelen SOURCE_DATE_EPOCH er '{epoch}', ikke et antall sekunder",
            "sett den til sekunder siden 1. januar 1970 UTC, eller fjern den",
        )
        return edition_time
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)


def _layout(edition: Edition, content_dir: Path, problems: Diagnostics) -> Layout | None:
    path = find_layout(edition.layout, content_dir)
    report = Location(content_dir / REPORT_FILE)
    if path is None:
        known = available_layouts(content_dir)
        problems.error(
            report,
            f"oppsettet '{edition.layout}' finnes ikke",
            did_you_mean(edition.layout, known) or f"kjente oppsett: {', '.join(known)}",
        )
        return None
    layout = read_layout(path, problems)
    if layout is not None and edition.language not in layout.labels:
        problems.error(report, f"oppsettet '{edition.layout}' har ingen tekster for språket '{edition.language}'")
        return None
    return layout


def _check_glyphs(document: Document, layout: Layout, content_dir: Path, problems: Diagnostics) -> None:
    """Every character must be drawable in the PDF; name any that is not, and where."""
    from builder.writers.pdf_writer import missing_glyphs

    missing = missing_glyphs(document_text(document), layout)
    sources = [content_dir / REPORT_FILE, content_dir / AGREEMENTS_FILE, *sorted((content_dir / "text").glob("*.md"))]
    for char in sorted(missing):
        problems.error(
            _first_occurrence(char, sources) or Location(content_dir),
            f"skrifttypen i oppsettet '{layout.name}' har ikke tegnet {character_name(char)} ('{char}')",
            "bytt ut tegnet, eller bruk et oppsett med en skrifttype som har det",
        )


def _first_occurrence(char: str, paths: list[Path]) -> Location | None:
    for path in paths:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        index = text.find(char)
        if index >= 0:
            line = text.count("\n", 0, index) + 1
            return Location(path, line, index - (text.rfind("\n", 0, index) + 1) + 1)
    return None


def document_text(document: Document) -> str:
    """All text the document shows, for checks that look at characters."""
    parts: list[str] = []

    def items(list_items) -> None:
        for item in list_items:
            parts.extend(run.text for run in item.runs)
            items(item.children)

    for block in document.blocks:
        if isinstance(block, Title):
            parts.append(block.text)
        elif isinstance(block, (Heading, Paragraph)):
            parts.extend(run.text for run in block.runs)
        elif isinstance(block, BulletList):
            items(block.items)
        elif isinstance(block, AgreementTable):
            parts.extend(block.header)
            parts.append(block.mark)
            for group in block.groups:
                parts.append(group.heading)
                for row in group.rows:
                    parts.extend(run.text for run in row.name)
                    parts += [row.form, row.comment]
    parts.append(document.footer_page_label)
    return "\n".join(parts)


def output_name(edition: Edition) -> str:
    return f"oversikt-{edition.as_of.year}"


def render(prepared: Prepared, formats: tuple[str, ...]) -> dict[str, bytes]:
    return {fmt: WRITERS[fmt](prepared.document, prepared.layout) for fmt in formats}


def build(
    content_dir: Path | str,
    out_dir: Path | str,
    formats: tuple[str, ...] = FORMATS,
    *,
    strict: bool = False,
) -> tuple[list[Path], Diagnostics]:
    """Build the edition in ``content_dir`` into ``out_dir``; returns the files written."""
    prepared = prepare(content_dir, strict=strict)
    rendered = render(prepared, formats)
    out_dir = Path(out_dir)
    stem = output_name(prepared.edition)
    targets = {out_dir / f"{stem}.{fmt}": data for fmt, data in rendered.items()}
    write_atomically(targets, prepared.diagnostics)
    return list(targets), prepared.diagnostics


def write_atomically(targets: dict[Path, bytes], problems: Diagnostics) -> None:
    """Write every file to a temporary name first, then rename them all.

    If any temporary file cannot be written, none of the targets is touched.
    """
    written: list[tuple[Path, Path]] = []
    try:
        for target, data in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            written.append((Path(temporary), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
    except OSError as exc:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        where = Path(exc.filename) if exc.filename else next(iter(targets)).parent
        problems.error(Location(where), f"kan ikke skrive utdata: {exc.strerror}", "velg en annen mappe med --out")
        raise ContentError(problems) from None
    for temporary, target in written:
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
