"""One change from a form, done as a whole: merged with what changed on disk
since the form was opened, checked as ``check`` checks, written all or
nothing, recorded in the history, and shown in the preview.

Nothing is written that the readers refuse, and nothing written outside the
workbench (Notepad, another tab, a sync client) is ever overwritten: an edit
is made to the file as it is now, and one that cannot be is refused with
both versions.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builder.build import Prepared
from builder.diagnostics import ContentError, Diagnostic, Diagnostics, Location
from builder.outputs import write_atomically
from builder.readers.files import NotReadable, read_bytes
from builder.serve import Preview
from builder.workbench.history import History, HistoryUnavailable, UndoRefused

ATTEMPTS = 3  # tries when the file keeps changing between reading and writing


class Refused(Exception):  # noqa: N818 - a finding for the editor, not a failure of ours
    """The change was not written: the readers found errors in it, or the file
    could not be replaced. ``candidate`` is what would have been written."""

    def __init__(self, problems: list[Diagnostic], candidate: str | None = None):
        super().__init__(problems)
        self.problems, self.candidate = problems, candidate


class Conflict(Exception):  # noqa: N818
    """The same lines were changed outside since the form was opened."""

    def __init__(self, mine: str, theirs: str):
        super().__init__(mine, theirs)
        self.mine, self.theirs = mine, theirs


@dataclass
class Saved:
    summary: str
    entry: int | None = None  # its place in the history, None when it could not be recorded
    warnings: list[Diagnostic] = field(default_factory=list)
    note: str | None = None  # said to the editor beside the notice, e.g. why there is no «Angre»


# The change itself: the file's current text in, its new text out (or Conflict)
Edit = Callable[[str], str]


class Saver:
    """Saves for one content folder, one at a time."""

    def __init__(self, preview: Preview):
        self.preview = preview
        self._histories: dict[Path, History] = {}
        self._lock = threading.Lock()

    @property
    def content_dir(self) -> Path:
        """The edition the workbench has open (it may open another: a new year, an import)."""
        return self.preview.content_dir

    @property
    def history(self) -> History:
        """The open edition's history."""
        folder = self.content_dir.resolve()
        if folder not in self._histories:
            self._histories[folder] = History(folder)
        return self._histories[folder]

    def read(self, name: str) -> str:
        """A content file's text as it is now; Refused when it cannot be read."""
        return self._read(self.content_dir / name).decode("utf-8", errors="surrogateescape")

    def save(self, name: str, edit: Edit, summary: str) -> Saved:
        """Apply ``edit`` to the file ``name`` (relative to the content folder)
        as it is on disk now, check the edition with the result, and write it."""
        with self._lock:
            path = self.content_dir / name
            for _ in range(ATTEMPTS):
                before = self._read(path)
                text = edit(before.decode("utf-8", errors="surrogateescape"))
                after = text.encode("utf-8", errors="surrogateescape")
                if after == before:
                    return Saved(summary, note="Ingenting var endret, så filen er som før.")
                prepared = self._checked(path, after, text)
                if self._read(path) != before:
                    continue  # changed again while it was checked: made anew on the newest
                return self._committed(name, before, after, text, prepared, summary)
            raise Refused([_problem(path, "filen endres hele tiden av et annet program; prøv igjen om litt")])

    def undo(self, entry_id: int) -> Saved:
        """Give back the file as it was before save ``entry_id``; UndoRefused or Refused when not."""
        with self._lock:
            entry = self.history.entry(entry_id)
            if entry is None:
                raise UndoRefused(f"Kan ikke angre: lagring nr. {entry_id} finnes ikke i historikken.")
            path = self.content_dir / entry.file
            before = self._read(path)
            after = self.history.undo(entry_id, before)
            text = after.decode("utf-8", errors="surrogateescape")
            prepared = self._checked(path, after, text)
            return self._committed(entry.file, before, after, text, prepared, f"Angret: {entry.summary}", entry_id)

    def _committed(
        self,
        name: str,
        before: bytes,
        after: bytes,
        text: str,
        prepared: Prepared,
        summary: str,
        undoes: int | None = None,
    ) -> Saved:
        """A checked change written, recorded in the history, and shown in the preview."""
        path = self.content_dir / name
        self._write(path, after, text)
        saved = self._recorded(name, before, after, summary, undoes)
        self.preview.saved(path)
        self.preview.changed(prepared)
        saved.warnings = prepared.diagnostics.warnings
        return saved

    def _read(self, path: Path) -> bytes:
        try:
            return read_bytes(path, self.content_dir)
        except NotReadable as error:
            raise Refused([_problem(path, error.message, error.hint)]) from None
        except OSError as error:
            raise Refused([_problem(path, f"filen kan ikke leses ({error.strerror or error})")]) from None

    def _checked(self, path: Path, after: bytes, text: str) -> Prepared:
        try:
            return self.preview.check({path: after})
        except ContentError as error:
            raise Refused(error.diagnostics.errors, text) from None

    def _write(self, path: Path, after: bytes, text: str) -> None:
        problems = Diagnostics()
        try:
            write_atomically({path: after}, problems, option="INNHOLD")
        except ContentError as error:
            raise Refused(error.diagnostics.errors, text) from None

    def _recorded(self, name: str, before: bytes, after: bytes, summary: str, undoes: int | None) -> Saved:
        try:
            entry = self.history.record(name, before, after, summary, undoes=undoes)
        except HistoryUnavailable as error:
            return Saved(summary, note=f"Lagret, men ikke skrevet i historikken, så den kan ikke angres her: {error}")
        return Saved(summary, entry.id)


def _problem(path: Path, message: str, hint: str | None = None) -> Diagnostic:
    return Diagnostic("error", Location(path), message, hint)
