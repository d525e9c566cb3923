"""The workbench's save history («Historikk»): a record of every save, and
undoing one.

Each save is kept with its time, the operating system's user name, the file,
a short summary from the caller, the change as a unified diff, and the
file's exact bytes before and after it. Undoing a save gives back the bytes
from before it; when the file has been changed since, only that save's
change is taken out (a three-way merge), and the undo is refused when the
later change touched the same lines.

The records are one SQLite database per content folder, in the user's data
folder: never inside the content folder, so ``check``, ``build``,
``publish``, ``roll`` and ``diff`` never see it and no site carries it.
SQLite rather than a journal of our own or a git repository: a transaction
makes each record whole or absent even when the process is killed, the
oldest records are trimmed with a DELETE (a git history cannot be shortened
without rewriting it), and Python's standard library has it. The database
keeps SQLite's default rollback journal, not WAL: it is one file (WAL adds
two beside it while open), works on every file system a home folder may
lie on, and one write per save is too few for readers waiting a moment to
matter.

A file's contents are stored once (zlib, keyed by their SHA-256): a save's
"after" is the next save's "before", so a run of saves of one file costs
one copy per save, not two.

For the caller (the server):

- write the file first, atomically, then :meth:`History.record` it; if that
  raises :class:`HistoryUnavailable`, the save stands and the editor is told
  that the history missed it;
- hold one lock around reading a file, :meth:`History.undo`, writing the
  result and recording it, so that two saves of one file cannot cross;
- files always exist: a save that creates or deletes a file is not
  something this history records or undoes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import getpass
import hashlib
import os
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from builder.norwegian import and_list

MAX_ENTRIES = 1000
MAX_BYTES = 50_000_000  # the stored (compressed) contents and the diffs
SCHEMA_VERSION = 1  # PRAGMA user_version; a store from a newer oversikt is left alone
WAIT_FOR_LOCK = 5.0  # seconds to wait while another thread or process writes

_SCHEMA = (
    "CREATE TABLE about (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # each file content once: sha256 of the bytes, the zlib-compressed bytes and their length
    "CREATE TABLE contents (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL)",
    # AUTOINCREMENT: an id is never used again after trimming, so a page
    # left open on an old «Angre» button cannot undo a newer save
    """CREATE TABLE saves (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time TEXT NOT NULL,
        user TEXT NOT NULL,
        file TEXT NOT NULL,
        summary TEXT NOT NULL,
        diff TEXT NOT NULL,
        diff_size INTEGER NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        undoes INTEGER
    )""",
    "CREATE INDEX saves_undoes ON saves (undoes)",
)
_ENTRY = "SELECT id, time, user, file, summary, diff, undoes, (SELECT min(u.id) FROM saves u WHERE u.undoes = s.id)"


class HistoryUnavailable(Exception):
    """The store cannot be read or written; the message (bokmål) says why and where."""


class UndoRefused(Exception):
    """A save cannot be undone; the message (bokmål) says why."""


@dataclass(frozen=True)
class Entry:
    id: int
    time: dt.datetime  # aware, in the local time zone
    user: str  # the operating system's user name
    file: str  # relative to the content folder, with / between folders
    summary: str  # the caller's, e.g. "Endret «Borgerlig vigsel»"
    diff: str  # unified diff, a/<file> and b/<file>; empty for a save that changed nothing
    undoes: int | None  # the save this one undid
    undone_by: int | None  # the save that undid this one


def default_store(content_dir: Path) -> Path:
    """The content folder's store in the user's data folder (on Linux
    $XDG_DATA_HOME/oversikt/historikk/), named by a hash of the folder's path."""
    key = hashlib.sha256(os.fsencode(Path(content_dir).resolve())).hexdigest()[:16]
    return Path(platformdirs.user_data_dir("oversikt", appauthor=False)) / "historikk" / f"{key}.sqlite3"


class History:
    """The saves of one content folder. Safe to share between threads: each
    call opens its own connection."""

    def __init__(
        self,
        content_dir: Path,
        store: Path | None = None,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
    ):
        self.content_dir = Path(content_dir).resolve()
        self.store = Path(store) if store is not None else default_store(self.content_dir)
        if self.store.resolve().is_relative_to(self.content_dir):
            raise ValueError(f"the history must not lie in the content folder: {self.store}")
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._ready = False  # the schema is known to be there

    def record(self, file: str | Path, before: bytes, after: bytes, summary: str, undoes: int | None = None) -> Entry:
        """Record a save of ``file`` that replaced ``before`` by ``after``,
        trimming the oldest saves in the same transaction."""
        name = self._relative(file)
        diff = unified_diff(name, before, after)
        time = dt.datetime.now(dt.timezone.utc).isoformat()
        user = user_name()
        with self._open() as db:
            db.execute("BEGIN IMMEDIATE")
            for data in (before, after):  # each content once: usually "before" is the last save's "after"
                key = _hash(data)
                if not db.execute("SELECT 1 FROM contents WHERE hash = ?", (key,)).fetchone():
                    packed = zlib.compress(data)
                    db.execute("INSERT INTO contents (hash, size, data) VALUES (?, ?, ?)", (key, len(packed), packed))
            cursor = db.execute(
                "INSERT INTO saves (time, user, file, summary, diff, diff_size, before, after, undoes)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (time, user, name, summary, diff, len(diff.encode("utf-8")), _hash(before), _hash(after), undoes),
            )
            self._trim(db)
            db.execute("COMMIT")
        assert cursor.lastrowid is not None, "an INSERT sets it"
        return Entry(cursor.lastrowid, _local(time), user, name, summary, diff, undoes, None)

    def entries(self, limit: int = 200) -> list[Entry]:
        """The latest saves, newest first."""
        with self._open() as db:
            rows = db.execute(f"{_ENTRY} FROM saves s ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_entry(row) for row in rows]

    def entry(self, id: int) -> Entry | None:
        with self._open() as db:
            row = db.execute(f"{_ENTRY} FROM saves s WHERE id = ?", (id,)).fetchone()
        return _entry(row) if row else None

    def undo(self, id: int, current: bytes) -> bytes:
        """The file's bytes with save ``id`` undone, given its ``current``
        bytes; raises :class:`UndoRefused`. The caller writes them and
        records that as a save with ``undoes=id``."""
        entry = self.entry(id)
        if entry is None:
            kept = f"{self.max_entries:,}".replace(",", "\u00a0")  # 1 000
            raise UndoRefused(
                f"Kan ikke angre: lagring nr. {id} finnes ikke i historikken"
                f" (historikken tar bare vare på de siste {kept} lagringene)."
            )
        if entry.undone_by is not None:
            raise UndoRefused(f"«{entry.summary}» er allerede angret (lagring nr. {entry.undone_by}).")
        before, after = self._contents(id)
        if current == after:
            return before
        if current == before:
            raise UndoRefused(f"Ingenting å angre: {entry.file} er allerede slik den var før «{entry.summary}».")
        return take_out(before, after, current, entry.file)

    # the store

    @contextlib.contextmanager
    def _open(self) -> Iterator[sqlite3.Connection]:
        """A connection for one call; closing it undoes what was not committed."""
        try:
            self.store.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions begin where this module says BEGIN
            db = sqlite3.connect(self.store, timeout=WAIT_FOR_LOCK, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise self._unavailable(error) from None
        try:
            if not self._ready:
                self._prepare(db)
            yield db
        except sqlite3.Error as error:
            raise self._unavailable(error) from None
        finally:
            db.close()

    def _prepare(self, db: sqlite3.Connection) -> None:
        db.execute("BEGIN IMMEDIATE")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryUnavailable(
                f"Historikken i {self.store} er laget av en nyere versjon av oversikt."
                " Oppdater oversikt for å bruke den; lagringer virker som før, men blir ikke ført i historikken."
            )
        if version == 0:
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute("INSERT INTO about (key, value) VALUES ('content', ?)", (str(self.content_dir),))
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        (owner,) = db.execute("SELECT value FROM about WHERE key = 'content'").fetchone()
        if owner != str(self.content_dir):
            raise HistoryUnavailable(f"Historikken i {self.store} hører til en annen innholdsmappe: {owner}.")
        db.execute("COMMIT")
        self._ready = True

    def _trim(self, db: sqlite3.Connection) -> None:
        """Remove the oldest saves until the bounds hold; the newest one stays, however large."""
        while True:
            (count,) = db.execute("SELECT count(*) FROM saves").fetchone()
            (stored,) = db.execute(
                "SELECT (SELECT total(size) FROM contents) + (SELECT total(diff_size) FROM saves)"
            ).fetchone()
            if count <= 1 or (count <= self.max_entries and stored <= self.max_bytes):
                return
            db.execute("DELETE FROM saves WHERE id = (SELECT min(id) FROM saves)")
            db.execute(
                "DELETE FROM contents WHERE hash NOT IN (SELECT before FROM saves UNION SELECT after FROM saves)"
            )

    def _contents(self, id: int) -> tuple[bytes, bytes]:
        with self._open() as db:
            rows = db.execute(
                "SELECT c.hash, c.data FROM saves s JOIN contents c ON c.hash IN (s.before, s.after) WHERE s.id = ?",
                (id,),
            ).fetchall()
            (before, after) = db.execute("SELECT before, after FROM saves WHERE id = ?", (id,)).fetchone()
        found = {}
        for key, data in rows:
            with contextlib.suppress(zlib.error):
                found[key] = zlib.decompress(data)
        if any(key not in found or _hash(found[key]) != key for key in (before, after)):
            raise HistoryUnavailable(
                f"Historikken i {self.store} er skadet: innholdet fra lagring nr. {id} kan ikke leses."
            )
        return found[before], found[after]

    def _unavailable(self, error: Exception) -> HistoryUnavailable:
        text = str(error).lower()
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            reason = (
                "filen er skadet eller er ikke en historikk fra oversikt (flytt eller slett den for å begynne på nytt)"
            )
        elif "locked" in text or "busy" in text:
            reason = "et annet program skriver i den akkurat nå (prøv igjen om litt)"
        elif "full" in text:
            reason = "disken er full"
        elif "readonly" in text or "read-only" in text or isinstance(error, PermissionError):
            reason = "ingen tilgang til å skrive der"
        elif "unable to open" in text or isinstance(error, OSError):
            reason = "filen eller mappen kan ikke åpnes"
        else:
            reason = f"SQLite svarer «{error}»"
        return HistoryUnavailable(
            f"Historikken i {self.store} kan ikke brukes: {reason}."
            " Lagringer virker som før, men blir ikke ført i historikken."
        )

    def _relative(self, file: str | Path) -> str:
        path = Path(file)
        if path.is_absolute():
            path = path.resolve().relative_to(self.content_dir)
        name = path.as_posix()
        if name == ".." or name.startswith("../"):
            raise ValueError(f"not in the content folder: {file}")
        return name


def take_out(before: bytes, after: bytes, current: bytes, file: str) -> bytes:
    """``current`` without the change from ``before`` to ``after``: a
    three-way merge of ``current`` and ``before`` over their common ancestor
    ``after``, line by line with each line's own ending. Raises
    :class:`UndoRefused` where the change since touched the save's lines."""
    old, saved, now = (data.splitlines(keepends=True) for data in (before, after, current))
    undo = _changes(saved, old)  # what undoing does to the lines as saved
    since = _changes(saved, now)  # what was done to them after the save
    clashes = [(c1, c2) for k1, k2, c1, c2 in since if any(_touch(u1, u2, k1, k2) for u1, u2, _, _ in undo)]
    if clashes:
        raise UndoRefused(_refusal(clashes, now, file))
    result: list[bytes] = []
    done = 0  # lines of ``now`` taken
    for u1, u2, b1, b2 in undo:
        # where the save's lines u1:u2 stand now: after every change since that ended before them
        start = u1 + sum((c2 - c1) - (k2 - k1) for k1, k2, c1, c2 in since if k2 <= u1)
        if now[start : start + u2 - u1] != saved[u1:u2]:  # cannot happen; never give back a wrong file
            raise UndoRefused(_refusal([(start, start + u2 - u1)], now, file))
        result += now[done:start] + old[b1:b2]
        done = start + u2 - u1
    return b"".join(result + now[done:])


def _changes(x: list[bytes], y: list[bytes]) -> list[tuple[int, int, int, int]]:
    """Where ``y`` differs from ``x``: (x1, x2, y1, y2) for each x[x1:x2] that y has as y[y1:y2]."""
    # the lines both begin and end with are set aside first: a save changes a few
    # lines of a file of thousands, and matching those costs nothing
    limit = min(len(x), len(y))
    head = 0
    while head < limit and x[head] == y[head]:
        head += 1
    tail = 0
    while tail < limit - head and x[-1 - tail] == y[-1 - tail]:
        tail += 1
    # With autojunk (the default) lines that repeat very often ("members: all")
    # only extend a match; without it 40,000 lines take seconds. A diff may then
    # come out larger than the smallest, which can refuse an undo that could
    # have gone through, but never gives a wrong file.
    matcher = difflib.SequenceMatcher(None, x[head : len(x) - tail], y[head : len(y) - tail])
    return [
        (x1 + head, x2 + head, y1 + head, y2 + head) for tag, x1, x2, y1, y2 in matcher.get_opcodes() if tag != "equal"
    ]


def _touch(u1: int, u2: int, k1: int, k2: int) -> bool:
    """Whether two changes of the same lines, u1:u2 and k1:k2, clash. A change
    that only inserts (an empty range) clashes with one around it or at the same place."""
    if u1 < u2 and k1 < k2:
        return u1 < k2 and k1 < u2
    if u1 == u2 and k1 == k2:
        return u1 == k1
    if u1 == u2:
        return k1 < u1 < k2
    return u1 < k1 < u2


def _refusal(clashes: list[tuple[int, int]], now: list[bytes], file: str) -> str:
    """Names the lines of the current file that were changed since, 1-based."""
    spans = []
    for c1, c2 in clashes:
        first, last = (c1 + 1, c2) if c2 > c1 else (max(c1, 1), max(c1, 1))
        span = str(first) if first == last else f"{first}–{last}"
        if span not in spans:
            spans.append(span)
    c1, c2 = clashes[0]
    shown = now[c1].decode("utf-8", "replace").strip() if c2 > c1 else ""
    if len(shown) > 60:
        shown = shown[:59] + "…"
    detail = f" (nå: «{shown}»)" if shown else " (linjer er slettet)" if c2 == c1 else ""
    return (
        f"Kan ikke angre: linje {and_list(spans)} i {file} er endret etter denne lagringen{detail}."
        " Gjør endringen for hånd i skjemaet i stedet."
    )


def unified_diff(file: str, before: bytes, after: bytes) -> str:
    """The change as a unified diff, read as UTF-8, one line per line whatever
    its ending; a last line without one is marked as git marks it."""
    old, new = (
        [line.decode("utf-8", "replace") for line in data.splitlines(keepends=True)] for data in (before, after)
    )
    lines = []
    for number, line in enumerate(difflib.unified_diff(old, new, f"a/{file}", f"b/{file}", lineterm="\n")):
        text = line.rstrip("\r\n")
        lines.append(text)
        if number >= 2 and not line.startswith("@@") and text == line:
            lines.append("\\ No newline at end of file")
    return "\n".join(lines) + "\n" if lines else ""


def user_name() -> str:
    """The operating system's user name; never raises."""
    try:
        return getpass.getuser()
    except Exception:  # getpass raises OSError, KeyError or ImportError where it finds none
        return os.environ.get("USERNAME") or os.environ.get("USER") or "ukjent"


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _local(time: str) -> dt.datetime:
    return dt.datetime.fromisoformat(time).astimezone()


def _entry(row: tuple) -> Entry:
    id, time, user, file, summary, diff, undoes, undone_by = row
    return Entry(id, _local(time), user, file, summary, diff, undoes, undone_by)
