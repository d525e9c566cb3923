"""Next year's edition from this year's: ``oversikt roll``.

The new folder is a copy of the old one with a new ``as_of``, without the
agreements that were terminated, and with an ``id`` for every agreement that
had none (made from its name, see :func:`builder.changes.stable_ids`), so
that next year's changes follow an agreement that is renamed. The files are
edited as text, line by line,
so that the editors' comments, order and spelling stay as they wrote them;
the text files are copied as they are, since their dates come from ``as_of``.
Only regular files and folders are copied: a link or a special file in the
folder is left out with a warning (see :func:`_not_copied`).
What an editor should look at in the new edition is returned as warnings
that point into the new files: agreements still planned, and years written
out in the text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder import norwegian
from builder.build import Prepared, prepare, prepare_from, read_checked
from builder.changes import Placed, placed, stable_ids
from builder.diagnostics import ContentError, Diagnostics, Location
from builder.model import PLANNED, TERMINATED, Edition, NarrativeSource
from builder.outputs import check_apart, write_folder
from builder.readers.edition import AGREEMENTS_FILE, REPORT_FILE, TEXT_DIR
from builder.readers.files import NotReadable, kind, read_bytes, substituted
from builder.readers.yaml_source import text_as_read


class RollRefused(Exception):
    """The command was asked for something it cannot do (a date not after
    the edition's, a target folder with files); the message is for the editor."""


@dataclass(frozen=True)
class Rolled:
    target: Path
    edition: Edition  # the new edition
    left_out: tuple[Placed, ...]  # terminated agreements, not carried over
    planned: tuple[Placed, ...]  # kept, to be reviewed
    diagnostics: Diagnostics  # the new edition's warnings, and what to review


def roll(content_dir: Path | str, to: dt.date, into: Path | str) -> Rolled:
    content_dir, target = Path(content_dir), Path(into)
    check_apart(content_dir, target, "--into")  # a copy into itself would go on until the path is too long
    # the two YAML files are read once: checked as these bytes, and edited from them
    sources = _yaml_files(content_dir)
    with substituted(sources):
        old = prepare(content_dir).edition  # raises ContentError when this year's edition has errors
    if to <= old.as_of:
        raise RollRefused(f"datoen {to.isoformat()} er ikke etter utgavens dato ({norwegian.date_long(old.as_of)})")
    _check_target(target)
    if target.is_dir() and any(target.iterdir()):
        raise RollRefused(f"{target} finnes og er ikke en tom mappe; velg en ny mappe")
    left_out = tuple(p for p in placed(old) if p.agreement.status == TERMINATED)
    agreements_text = sources[content_dir / AGREEMENTS_FILE].decode("utf-8")
    report_text = sources[content_dir / REPORT_FILE].decode("utf-8")
    problems = Diagnostics()
    _check_parts(old, content_dir / AGREEMENTS_FILE, agreements_text, problems)
    if problems.errors:
        raise ContentError(problems)
    files = {
        AGREEMENTS_FILE: _without_terminated(_with_ids(agreements_text, stable_ids(old))),
        REPORT_FILE: with_report_value(
            _with_date(report_text, to),
            "changes_since",
            _seen_from(target, content_dir),
            comment="the edition this one was rolled from",
        ),  # fmt: skip
    }
    notes = Diagnostics()
    not_copied = _not_copied(content_dir, notes)
    _write_folder(content_dir, target, files, not_copied)
    new = _read_back(target, old, left_out, notes)
    diagnostics = new.diagnostics
    diagnostics.items[:0] = notes.items
    planned_now = tuple(p for p in placed(new.edition) if p.agreement.status == PLANNED)
    _flag_planned(target / AGREEMENTS_FILE, files[AGREEMENTS_FILE], diagnostics)
    _flag_years(target / TEXT_DIR, old.as_of.year, diagnostics, new.edition.narrative)
    return Rolled(target, new.edition, left_out, planned_now, diagnostics)


def _yaml_files(content_dir: Path) -> dict[Path, bytes]:
    """report.yaml and agreements.yaml as they are now; one that cannot be
    read is left out, for the edition's reading to say what is wrong with it."""
    found = {}
    for name in (REPORT_FILE, AGREEMENTS_FILE):
        with contextlib.suppress(OSError, NotReadable):
            found[content_dir / name] = read_bytes(content_dir / name, content_dir)
    return found


def _check_target(target: Path) -> None:
    """The target, or the first part of its path that exists, must be a folder."""
    existing = target
    while not existing.exists() and not existing.is_symlink() and existing != existing.parent:
        existing = existing.parent
    if existing.is_dir():
        return
    problems = Diagnostics()
    try:
        what = kind(existing.lstat().st_mode) if not existing.is_symlink() else "en lenke som ikke viser til en mappe"
    except OSError as exc:
        what = f"ikke tilgjengelig ({exc.strerror})"
    if what == "ikke en vanlig fil":
        what = "en fil"
    problems.error(Location(existing), f"--into: {existing} er {what}, ikke en mappe", "velg en ny mappe med --into")
    raise ContentError(problems)


def _not_copied(content_dir: Path, problems: Diagnostics) -> set[Path]:
    """Links and special files in the edition's folder, each with a warning.

    They are left out rather than copied: copying what a link points to
    could copy a device without end, or a file that is no part of the
    edition; keeping the link would tie next year's edition to a file
    elsewhere, perhaps last year's. An edition that reads such a file was
    refused before this (see builder.readers.files) unless the link stays
    inside the folder; then the new edition lacks it, and its check says so."""
    skipped: set[Path] = set()
    for folder, folders, names in os.walk(content_dir):
        for name in sorted(folders + names):
            path = Path(folder, name)
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                what = "en lenke"
            elif stat.S_ISREG(mode) or stat.S_ISDIR(mode):
                continue
            else:
                what = kind(mode)
            skipped.add(path)
            problems.warning(
                Location(path),
                f"{what} kopieres ikke til den nye utgaven",
                "roll kopierer bare vanlige filer; legg en kopi av filen i den nye mappen om den trengs",
            )
    return skipped


def _agreement_nodes(text: str) -> list[tuple[yaml.Node, list[yaml.MappingNode]]]:
    """Each category's node with its agreements' nodes, from a file already validated."""
    root = _composed(text)
    categories = next(value for key, value in root.value if key.value == "categories")
    found = []
    for category in categories.value:
        agreements = next(value for key, value in category.value if key.value == "agreements")
        found.append((category, list(agreements.value)))
    return found


def _field(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((value for k, value in node.value if k.value == key), None)


def _name(node: yaml.MappingNode) -> str:
    name = _field(node, "name")
    assert name is not None, "every agreement of a file already validated has a name"
    return name.value


def _composed(text: str) -> yaml.Node:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None, "a file already validated is not empty"
    return root


def _check_parts(old: Edition, path: Path, text: str, problems: Diagnostics) -> None:
    """A terminated framework agreement cannot go while parts that stay still point to it."""
    by_id = {a.id: a for a in old.agreements if a.id}
    for _, agreements in _agreement_nodes(text):
        for node in agreements:
            status, part_of = _field(node, "status"), _field(node, "part_of")
            if part_of is None or (status is not None and status.value == TERMINATED):
                continue
            parent = by_id.get(part_of.value)
            if parent is not None and parent.status == TERMINATED:
                name = _name(node)
                problems.error(
                    Location(path, part_of.start_mark.line + 1, part_of.start_mark.column + 1),
                    f"'{parent.name}' er sagt opp og tas ut, men delavtalen '{name}' viser fortsatt til den",
                    "gi delavtalen 'status: terminated' også, eller fjern 'part_of'",
                )


def _span(lines: list[str], node: yaml.Node) -> range:
    """The lines a block-style list item stands on, without the comments and
    blank lines after it (they belong to what follows)."""
    start, end = node.start_mark, node.end_mark
    first = start.line
    if not lines[first][: start.column].strip() and first > 0 and lines[first - 1].strip() == "-":
        first -= 1  # the item's "-" stands alone on the line above
    stop = end.line if not lines[end.line][: end.column].strip() else end.line + 1
    while stop > first + 1 and (not lines[stop - 1].strip() or lines[stop - 1].lstrip().startswith("#")):
        stop -= 1
    return range(first, stop)


def _without_terminated(text: str) -> str:
    lines = text.split("\n") + [""]
    drop: set[int] = set()
    for category, agreements in _agreement_nodes(text):
        ended = [a for a in agreements if (s := _field(a, "status")) is not None and s.value == TERMINATED]
        if ended and len(ended) == len(agreements):
            drop.update(_span(lines, category))
        else:
            for node in ended:
                drop.update(_span(lines, node))
    return "\n".join(line for index, line in enumerate(lines[:-1]) if index not in drop)


def _with_ids(text: str, ids: list[str]) -> str:
    """``text`` with an ``id:`` line after the name of each agreement that has
    no id, ``ids`` giving one for each agreement in the file's order; every
    other line stays as it was."""
    lines = text.split("\n")
    nodes = [node for _, agreements in _agreement_nodes(text) for node in agreements]
    inserts: list[tuple[int, int, str]] = []  # (line, column, text), inserted bottom up
    for node, made in zip(nodes, ids, strict=True):
        if _field(node, "id") is not None:
            continue
        key, value = next((k, v) for k, v in node.value if k.value == "name")
        written = _id_scalar(made)
        if node.flow_style:  # {name: …, form: …}: the id goes after the name, on its line
            end = value.end_mark
            inserts.append((end.line, end.column, f", id: {written}"))
            continue
        end = value.end_mark
        after = end.line if end.column == 0 else end.line + 1  # a block scalar ends at the next line's start
        ending = "\r" if lines[key.start_mark.line].endswith("\r") else ""
        inserts.append((after, -1, " " * key.start_mark.column + f"id: {written}" + ending))
    for line, column, added in sorted(inserts, reverse=True):
        if column < 0:
            lines.insert(line, added)
        else:
            lines[line] = lines[line][:column] + added + lines[line][column:]
    return "\n".join(lines)


def _id_scalar(made: str) -> str:
    """An id as YAML reads it back as text: quoted where it would be a
    number or a truth value ("110", "yes")."""
    return made if isinstance(yaml.safe_load(made), str) else f'"{made}"'


def _with_date(text: str, to: dt.date) -> str:
    root = _composed(text)
    node = next(value for key, value in root.value if key.value == "as_of")
    return text[: node.start_mark.index] + to.isoformat() + text[node.end_mark.index :]


def _seen_from(target: Path, content_dir: Path) -> str:
    """``content_dir`` as a path from ``target``: ../innhold-2019 beside it; absolute on another drive."""
    try:
        seen = Path(os.path.relpath(content_dir.resolve(), target.resolve()))
    except ValueError:  # Windows: no relative path between two drives
        seen = content_dir.resolve()
    return seen.as_posix()


def with_report_value(text: str, key: str, value: str | list[str], comment: str | None = None) -> str:
    """report.yaml's text with top-level ``key`` set to ``value``: written over
    the old value where the key stands (its comment and every other byte
    kept), else on a line of its own at the end, in the file's line endings."""
    root = _composed(text)
    node = next((value_node for key_node, value_node in root.value if key_node.value == key), None)
    written = yaml.safe_dump(value, default_flow_style=True, width=2**31 - 1).removesuffix("\n...\n").strip()
    if node is not None:
        return text[: node.start_mark.index] + written + text[node.end_mark.index :]
    newline = "\r\n" if "\r\n" in text else "\n"
    ending = "" if text.endswith("\n") or not text else newline
    return f"{text}{ending}{key}: {written}{f'  # {comment}' if comment else ''}{newline}"


def _write_folder(source: Path, target: Path, files: dict[str, str], not_copied: set[Path]) -> None:
    """The copy is made beside the target and renamed into place: a failure leaves no half-made edition.
    The paths in ``not_copied`` are left out."""

    def fill(folder: Path) -> None:
        shutil.copytree(source, folder, ignore=_leaving_out(not_copied))
        for name, text in files.items():
            (folder / name).write_text(text, "utf-8")

    write_folder(target, fill, Diagnostics(), option="--into")


def _leaving_out(paths: set[Path]):
    """An ``ignore`` for shutil.copytree that leaves out ``paths``."""
    return lambda folder, names: [name for name in names if Path(folder, name) in paths]


def _read_back(target: Path, old: Edition, left_out: tuple[Placed, ...], notes: Diagnostics) -> Prepared:
    """The new edition, read once and prepared as ``check`` would; it must
    hold exactly the old one's agreements less those left out: a file laid
    out in a way the line edits do not expect is caught here. ``notes`` (the
    files not copied) are reported with any problem found."""
    reading = read_checked(target, earlier=old)  # compared with the old edition as read, not read again
    new = reading.edition
    ids = stable_ids(old)
    expected = [(p.category, p.agreement.name, ids[i]) for i, p in enumerate(placed(old)) if p not in left_out]
    if new is None or [(p.category, p.agreement.name, p.agreement.id) for p in placed(new)] != expected:
        shutil.rmtree(target, ignore_errors=True)
        problems = Diagnostics([*notes.items, *reading.problems.items])
        problems.error(
            Location(target / AGREEMENTS_FILE),
            "samarbeidene som er sagt opp, kunne ikke tas ut automatisk",
            "ta dem ut for hånd i en kopi av mappen, og endre 'as_of' i report.yaml",
        )
        raise ContentError(problems)
    (prepared,) = prepare_from(reading)
    return prepared


def review_notes(content_dir: Path, edition: Edition) -> Diagnostics:
    """What ``roll`` asks the editor to review, for an edition at any time:
    agreements still under study, and last year's year in the texts."""
    notes = Diagnostics()
    path = Path(content_dir) / AGREEMENTS_FILE
    _flag_planned(path, read_bytes(path, content_dir).decode("utf-8"), notes)
    _flag_years(Path(content_dir) / TEXT_DIR, edition.as_of.year - 1, notes, edition.narrative)
    return notes


def _flag_planned(path: Path, text: str, diagnostics: Diagnostics) -> None:
    """A warning at each agreement still under study in ``text``, agreements.yaml's at ``path``."""
    for _, agreements in _agreement_nodes(text):
        for node in agreements:
            status = _field(node, "status")
            if status is not None and status.value == PLANNED:
                diagnostics.warning(
                    Location(path, status.start_mark.line + 1, status.start_mark.column + 1),
                    f"samarbeidet '{_name(node)}' var under utredning",
                    "sjekk om det er i gang (fjern 'status'), fortsatt planlagt, eller skal tas ut",
                )


# The edition's own date in words, "per 1. januar 2019", "pr. 01.01.2019",
# "per 2019": the sentences where {{ year }} (or the date from as_of) belongs;
# "fra januar 2019" tells of an event, whose year stays.
_AS_OF_WORDS = r"(?:per|pr\.?)\s+(?:\d{1,2}\.\s*(?:\d{1,2}\.\s*|[^\W\d]+\s+))?"


def _flag_years(text_dir: Path, year: int, diagnostics: Diagnostics, read: tuple[NarrativeSource, ...] = ()) -> None:
    """Last year's number written in the text is most likely out of date now;
    where it is the edition's own date, the text can take it from as_of.
    Every text file is looked at, those the edition lists as ``read`` already."""
    pattern = re.compile(rf"(?<!\d){year}(?!\d)")
    own_date = re.compile(rf"(?<![^\W\d]){_AS_OF_WORDS}$", re.IGNORECASE)
    texts = {source.path: source.text for source in read}
    for path in sorted(p for p in text_dir.glob("*.md") if p.is_file()) if text_dir.is_dir() else []:
        text = texts.get(path)
        if text is None:
            text = text_as_read(path, text_dir.parent)
        if text is None:
            continue  # no part of the edition, and no text to look at
        for number, line in enumerate(text.split("\n"), start=1):
            for match in pattern.finditer(line):
                if own_date.search(line[: match.start()]):
                    hint = "sjekk om det fortsatt stemmer; {{ year }} gir utgavens år"
                else:
                    hint = "sjekk om det fortsatt stemmer"
                diagnostics.warning(Location(path, number, match.start() + 1), f"teksten nevner årstallet {year}", hint)
