"""Wires the steps: read and validate an edition, assemble the document, render
every format, and only then write the files, each atomically.

A build that fails at any step writes nothing and leaves earlier outputs as
they were; ``check`` runs every step but the writing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder import norwegian
from builder.assemble import assemble
from builder.diagnostics import ContentError, Diagnostics, Location, did_you_mean
from builder.measure import BrokenFont, measure
from builder.model import Block, Document, Edition, Heading, Layout, Run
from builder.outputs import write_atomically
from builder.readers.edition import AGREEMENTS_FILE, ALL_MEMBERS, REPORT_FILE, Places, read_edition
from builder.readers.edition_layout import edition_layout
from builder.readers.text_checks import character_name
from builder.readers.yaml_source import cycle_collector_paused, text_as_read
from builder.sections import changes_section
from builder.selection import find_member
from builder.writers import DEFAULT_FORMATS, MissingGlyphs, writer

if TYPE_CHECKING:
    from builder.changes import Changes

Progress = Callable[[str], None]  # told what is being made, for a progress display


@dataclass
class Reading:
    """An edition's files read and checked once, with the layout they name and
    the changes since an earlier edition: what the region's document and every
    member's are assembled from (see :func:`prepare_from`). ``edition`` or
    ``layout`` is None when ``problems`` holds errors; nothing here raises."""

    content_dir: Path
    edition: Edition | None
    layout: Layout | None
    changes_since: Path | None  # the earlier edition compared with, if any
    changes: Changes | None  # None also when the earlier edition could not be read
    problems: Diagnostics
    places: Places  # where the files give what later checks name


@dataclass
class Prepared:
    """An edition that passed every check, ready to be rendered."""

    edition: Edition
    layout: Layout
    document: Document
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    member: str | None = None  # whose own edition the document is; None: the region's
    # the files it was made from, as read: other members' documents are made from it without reading them again
    reading: Reading = field(kw_only=True, repr=False, compare=False)


def prepare(
    content_dir: Path | str,
    *,
    strict: bool = False,
    member: str | None = None,
    changes_since: Path | str | None = None,
    summary: bool | None = None,
) -> Prepared:
    """Read, validate and assemble; raises ContentError listing every problem.

    ``member`` makes that member's own edition; ``changes_since`` (an earlier
    edition's folder) adds the section on what changed since; ``summary``
    adds or leaves out the summary whatever report.yaml says.
    """
    (prepared,) = prepare_all(
        content_dir, strict=strict, members=None if member is None else (member,),
        changes_since=changes_since, summary=summary,
    )  # fmt: skip
    return prepared


def prepare_all(
    content_dir: Path | str,
    *,
    strict: bool = False,
    members: tuple[str, ...] | None = None,
    changes_since: Path | str | None = None,
    summary: bool | None = None,
    glyphs: bool | None = True,
) -> list[Prepared]:
    """One document per member named (``("all",)``: every member), or the
    region's edition when ``members`` is None; every problem found in any of
    them is raised together.

    ``glyphs=False`` leaves the check that the PDF's fonts have every
    character to the PDF writer, which loads the fonts anyway (a build that
    renders a PDF); it is still made here when other problems are found, so
    that all are reported at once. ``glyphs=None`` leaves it to the PDF
    writer when the edition's own formats (report.yaml's, or the default)
    have the PDF."""
    with cycle_collector_paused():  # reading, checking and assembling make objects that all live on
        reading = read_checked(content_dir, changes_since)
        return prepare_from(reading, strict=strict, members=members, summary=summary, glyphs=glyphs)


def read_checked(
    content_dir: Path | str, changes_since: Path | str | None = None, *, earlier: Edition | None = None
) -> Reading:
    """Read the edition in ``content_dir`` and the layout it names, check
    them against each other, and compare with ``changes_since`` (else with
    report.yaml's choice); every problem is in the Reading's ``problems``.
    ``earlier`` is the edition there, where the caller has just read it
    (``roll``): it is compared with as it is, not read again."""
    content_dir = Path(content_dir)
    problems = Diagnostics()
    with cycle_collector_paused():
        places = Places()
        edition = read_edition(content_dir, problems, places)
        layout = edition_layout(edition, places, content_dir, problems) if edition else None
        if changes_since is None and edition is not None:
            changes_since = edition.changes_since  # report.yaml's choice, where the caller made none
        since = None if changes_since is None else Path(changes_since)
        changes = _changes(since, edition, problems, earlier) if since is not None and edition else None
    return Reading(content_dir, edition, layout, since, changes, problems, places)


def prepare_from(
    reading: Reading,
    *,
    strict: bool = False,
    members: tuple[str, ...] | None = None,
    summary: bool | None = None,
    glyphs: bool | None = True,
) -> list[Prepared]:
    """The documents :func:`prepare_all` makes, assembled from files already
    read; each call has diagnostics of its own, starting from the reading's."""
    content_dir, edition, layout, changes = reading.content_dir, reading.edition, reading.layout, reading.changes
    problems = Diagnostics(list(reading.problems.items))
    documents: list[tuple[str | None, Document]] = []
    with cycle_collector_paused():  # assembling and measuring make objects that all live on
        if edition and layout and (reading.changes_since is None or changes is not None):
            for member in _members(edition, members, content_dir, problems):
                document = assemble(edition, layout, problems, member=member, changes=changes, summary=summary)
                document = replace(document, created=build_time(document.created, content_dir, problems))
                documents.append((member, document))
        if glyphs is None:
            glyphs = "pdf" not in ((edition.formats if edition else None) or DEFAULT_FORMATS)
        if layout is not None and (glyphs or problems.errors or (strict and problems.items)):  # documents need one
            for _, document in documents:
                _check_glyphs(document, layout, content_dir, problems, edition)
        if strict:
            problems.promote_warnings()
        measured = _measured(documents, layout, problems) if layout is not None and not problems.errors else []
    if problems.errors or not measured:
        raise ContentError(problems)
    assert edition is not None, "documents are made of it"
    return [Prepared(edition, page, document, problems, member, reading=reading) for member, document, page in measured]


def region_and_members(
    content_dir: Path | str, *, changes_since: Path | str | None = None, **options
) -> list[Prepared]:
    """The region's edition, then each member's, all from one reading of the
    files; their findings in the first (each found once)."""
    reading = read_checked(content_dir, changes_since)
    (region,) = prepare_from(reading, **options)
    members = prepare_from(reading, members=(ALL_MEMBERS,), **options)
    region.diagnostics.items += [item for item in members[0].diagnostics.items if item not in region.diagnostics.items]
    return [region, *members]


def _measured(
    documents: list[tuple[str | None, Document]], layout: Layout, problems: Diagnostics
) -> list[tuple[str | None, Document, Layout]]:
    """Each document with its tables measured, and the layout on the pages
    it is set on (:func:`builder.measure.measure`); none where a font file
    cannot be read, which is then among the problems."""
    try:
        return [(member, *measure(document, layout)) for member, document in documents]
    except BrokenFont as broken:
        _broken_font(broken, problems)
        return []


def _members(
    edition: Edition, wanted: tuple[str, ...] | None, content_dir: Path, problems: Diagnostics
) -> list[str | None]:
    if wanted is None:
        return [None]
    if tuple(w.strip().casefold() for w in wanted) == (ALL_MEMBERS,):
        return list(edition.members)
    found: list[str | None] = []
    for name in wanted:
        member = find_member(edition, name)
        if member is None:
            problems.error(
                Location(content_dir / REPORT_FILE),
                f"--member '{name}' er ikke en av kommunene i report.yaml",
                did_you_mean(name, edition.members) or f"kommunene er {', '.join(edition.members)}, eller skriv all",
            )
        else:
            found.append(member)
    return found


def _changes(old_dir: Path, new: Edition, problems: Diagnostics, old: Edition | None = None) -> Changes | None:
    """What changed since the edition in ``old_dir`` (``old``, where already
    read); None when it cannot be read. Its errors are reported, its warnings
    not: they are last year's business."""
    from builder.changes import compare  # only a build with changes_since compares

    if old is None:
        found = Diagnostics()
        old = read_edition(old_dir, found)
        problems.items += found.errors
    if old is None:
        return None
    if old.as_of >= new.as_of:
        problems.error(
            Location(old_dir / REPORT_FILE),
            f"utgaven det sammenlignes med, er per {norwegian.date_long(old.as_of)},"
            f" ikke eldre enn denne ({norwegian.date_long(new.as_of)})",
            "oppgi fjorårets innholdsmappe med --changes-since",
        )
        return None
    return compare(old, new)


def changes_between(old_dir: Path | str, new_dir: Path | str, warnings: Diagnostics | None = None) -> tuple[Block, ...]:
    """What changed from one edition to another, in the new edition's layout
    words (the blocks of its "Endringer siden …" section); errors in either
    edition are raised, their warnings left out. An old edition later than
    the new one, most likely the folders swapped, is added to ``warnings``
    and said in the heading."""
    from builder.changes import compare

    problems = Diagnostics()
    found = Diagnostics()
    places = Places()
    old, new = read_edition(Path(old_dir), found), read_edition(Path(new_dir), found, places)
    problems.items += found.errors
    layout = edition_layout(new, places, Path(new_dir), problems) if new else None
    if old is None or new is None or layout is None:
        raise ContentError(problems)
    blocks = changes_section(compare(old, new), layout, new.language)
    if old.as_of > new.as_of:
        swapped = (
            f"den gamle utgaven er per {norwegian.date_long(old.as_of)},"
            f" senere enn den nye, per {norwegian.date_long(new.as_of)}"
        )
        if warnings is not None:
            warnings.warning(
                Location(Path(old_dir) / REPORT_FILE),
                swapped,
                "er mappene byttet om? Skriv den gamle først: oversikt diff GAMMEL NY",
            )
        heading, *rest = blocks
        assert isinstance(heading, Heading), "the changes section opens with its heading"
        blocks = (Heading(heading.level, (*heading.runs, Run(f" – obs: {swapped}"))), *rest)
    return blocks


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


def _check_glyphs(
    document: Document, layout: Layout, content_dir: Path, problems: Diagnostics, edition: Edition | None = None
) -> None:
    """Every character must be drawable in the PDF; name any that is not, and
    where (in ``edition``'s texts as read, the other files read again)."""
    from builder.measure.fonts import missing_glyphs

    try:
        missing = missing_glyphs(document, layout)
    except BrokenFont as broken:
        _broken_font(broken, problems)
        return
    if not missing:
        return
    sources = [content_dir / REPORT_FILE, content_dir / AGREEMENTS_FILE, *sorted((content_dir / "text").glob("*.md"))]
    held = {source.path: source.text for source in edition.narrative} if edition is not None else {}
    for char in sorted(missing):
        for place in _occurrences(char, content_dir, sources, held) or [Location(content_dir)]:
            problems.error(
                place,
                f"skrifttypen i oppsettet '{layout.name}' har ikke tegnet {character_name(char)} ('{char}')",
                "bytt ut tegnet, eller bruk et oppsett med en skrifttype som har det",
            )


def _broken_font(broken: BrokenFont, problems: Diagnostics) -> None:
    problems.error(
        Location(Path(broken.path)),
        f"skriftfilen i oppsettet '{broken.layout}' kan ikke leses som en TrueType-skrift ({broken.reason})",
        "bruk en hel .ttf-fil; last den ned eller kopier den på nytt",
    )


def _occurrences(char: str, content_dir: Path, paths: list[Path], held: dict[Path, str]) -> list[Location]:
    """Every place ``char`` stands in the edition's files, as the readers saw
    them (NFC), written as itself or as a YAML escape such as \\u00AD; the
    text of a file in ``held`` is taken from there, the others are read
    (only on this error path)."""
    code = ord(char)

    def escape(prefix: str, digits: int) -> str:
        return re.escape(prefix) + "".join(f"[{d.lower()}{d.upper()}]" for d in f"{code:0{digits}x}")

    spellings = [re.escape(char), escape("\\u", 4), escape("\\U", 8)] + ([escape("\\x", 2)] if code < 0x100 else [])
    pattern = re.compile("|".join(spellings))
    places = []
    for path in paths:
        text = held.get(path)
        if text is None:  # every text file, listed or not, through the readers' checks: one may link to /dev/zero
            text = text_as_read(path, content_dir)
        if text is None:
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            places += [Location(path, number, match.start() + 1) for match in pattern.finditer(line)]
    return places


def output_name(edition: Edition, member: str | None = None) -> str:
    """oversikt-2019, or for one member's edition oversikt-2019-oyer."""
    stem = f"oversikt-{edition.as_of.year}"
    return stem if member is None else f"{stem}-{norwegian.ascii_name(member) or 'kommune'}"


def build(
    content_dir: Path | str,
    out_dir: Path | str,
    formats: tuple[str, ...] | None = None,
    *,
    strict: bool = False,
    member: str | None = None,
    changes_since: Path | str | None = None,
    summary: bool | None = None,
    processes: bool = False,
    progress: Progress | None = None,
    with_region: bool = False,
) -> tuple[list[Path], Diagnostics]:
    """Build the edition in ``content_dir`` into ``out_dir``; returns the files written.

    ``member`` is a member's name for its own edition, or "all" for one per
    member; ``formats`` None takes report.yaml's (or the default); the other
    options are those of :func:`prepare`. ``progress`` is told the name of
    each file before it is rendered. ``with_region`` makes the region's
    edition as well as the members' ("all"), all written at once. The formats are
    rendered here, one after the other, unless ``processes`` asks for a
    render process where the system allows one (:mod:`builder.processes`:
    the PDF there, the other formats here meanwhile).
    """
    options: dict[str, Any] = {"strict": strict, "changes_since": changes_since, "summary": summary}
    glyphs = None if formats is None else "pdf" not in formats  # None: as the edition's own formats say
    if with_region and member == ALL_MEMBERS:
        everyone = region_and_members(content_dir, glyphs=glyphs, **options)
    else:
        everyone = prepare_all(content_dir, members=None if member is None else (member,), glyphs=glyphs, **options)
    diagnostics = everyone[0].diagnostics
    formats = formats or everyone[0].edition.formats or DEFAULT_FORMATS
    stems = distinct_names(everyone)
    rendered = render_all(everyone, formats, processes, Path(content_dir), progress, stems)
    out_dir = Path(out_dir)
    targets = {
        out_dir / f"{stem}.{fmt}": data
        for stem, files in zip(stems, rendered, strict=True)
        for fmt, data in files.items()
    }
    write_atomically(targets, diagnostics)
    return list(targets), diagnostics


def render_all(
    everyone: list[Prepared],
    formats: tuple[str, ...],
    processes: bool,
    content_dir: Path,
    progress: Progress | None = None,
    stems: list[str] | None = None,
) -> list[dict[str, bytes]]:
    """Every format's bytes for every prepared edition, rendered here or, with
    ``processes``, the PDF in a render process where one may be forked;
    characters the PDF's fonts lack, and a font file that cannot be read,
    are a ContentError naming where each stands."""
    jobs = [(prepared.document, prepared.layout) for prepared in everyone]
    try:
        with cycle_collector_paused():  # the writers too make objects by the hundred thousand, all kept to the end
            if processes:
                from builder.processes import forking, render_beside

                if forking():
                    return render_beside(jobs, formats)
            names: Sequence[str | None] = stems or [None] * len(jobs)
            return [_rendered(job, formats, progress, stem) for job, stem in zip(jobs, names, strict=True)]
    except MissingGlyphs:
        # the PDF's process stops at the first document that has any; name
        # them all, in every member's document, as a check would
        diagnostics = everyone[0].diagnostics
        for prepared in everyone:
            _check_glyphs(prepared.document, prepared.layout, content_dir, diagnostics, prepared.edition)
        raise ContentError(diagnostics) from None
    except BrokenFont as broken:
        diagnostics = everyone[0].diagnostics
        _broken_font(broken, diagnostics)
        raise ContentError(diagnostics) from None


def _rendered(
    job: tuple[Document, Layout], formats: tuple[str, ...], progress: Progress | None, stem: str | None
) -> dict[str, bytes]:
    files = {}
    for fmt in formats:
        if progress is not None:
            progress(f"{stem or 'oversikt'}.{fmt}")
        files[fmt] = writer(fmt)(*job)
    return files


def distinct_names(everyone: list[Prepared], reserved: Iterable[str] = ()) -> list[str]:
    """The file name (without suffix) of every edition, each its own.

    Two members whose names give the same file name are told apart by a
    number: "Index" and "index" give oversikt-2019-index and
    oversikt-2019-index-2, and so do "Øyer" and "Oyer", or two names of
    punctuation only (both "kommune"). Names are compared case-folded, as
    Windows and macOS compare them, where one file would replace the other.
    ``reserved`` holds names the caller's own files take (see builder.publish)."""
    taken = {name.casefold() for name in reserved}
    stems: list[str] = []
    for prepared in everyone:
        base = output_name(prepared.edition, prepared.member)
        stem, number = base, 2
        while stem.casefold() in taken:
            stem, number = f"{base}-{number}", number + 1
        taken.add(stem.casefold())
        stems.append(stem)
    return stems
