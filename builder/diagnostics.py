"""Problems found in an edition, reported to editors as ``path:line:col``.

Every step collects its problems in one :class:`Diagnostics` so that an
editor sees all of them at once instead of fixing one per run.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from pathlib import Path

ERROR = "error"
WARNING = "warning"
SHOWN_PLACES = 3  # of a warning given for many places, without --all-warnings


@dataclass(frozen=True)
class Location:
    path: Path
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based

    def __str__(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    location: Location
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple:
        loc = self.location
        return (str(loc.path), loc.line or 0, loc.column or 0)


@dataclass
class Diagnostics:
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(ERROR, location, message, hint))

    def warning(self, location: Location, message: str, hint: str | None = None) -> None:
        self.items.append(Diagnostic(WARNING, location, message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in dict.fromkeys(self.items) if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in dict.fromkeys(self.items) if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        """Every problem once, by file, line and column (errors first where they tie)."""
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=lambda d: (*d.sort_key(), d.severity != ERROR))

    def lines(self, *, all_warnings: bool = False) -> list[str]:
        """Every problem once, as lines for a terminal. The same warning for
        many places is one line, at its first place, with the count and the
        first few places, unless ``all_warnings``; errors are each their own line."""
        ordered = self.sorted()
        if all_warnings:
            return [_one_line(str(d)) for d in ordered]
        groups: dict[tuple, list[Diagnostic]] = {}
        for diagnostic in ordered:
            key = (diagnostic.message, diagnostic.hint) if diagnostic.severity == WARNING else (diagnostic,)
            groups.setdefault(key, []).append(diagnostic)
        return [_one_line(_group_line(group)) for group in groups.values()]

    def promote_warnings(self) -> None:
        """``--strict``: every warning counts, and is shown, as an error."""
        self.items = [replace(d, severity=ERROR) for d in self.items]

    def summary(self) -> str:
        warnings = len(self.warnings)
        return f"{len(self.errors)} feil, {warnings} {'advarsel' if warnings == 1 else 'advarsler'}"


def _one_line(text: str) -> str:
    """A problem is one line: a line break in a quoted key or value (YAML's
    ``"a\\nb"``) is shown as ``\\n``, so that it cannot pass for a line of its own."""
    return text.replace("\n", "\\n")


def _group_line(group: list[Diagnostic]) -> str:
    first, shown = group[0], group[:SHOWN_PLACES]
    if len(group) == 1:
        return str(first)
    # places in the first one's file by their line alone, "linje 30, 46 og 50"
    same_file = all(d.location.path == first.location.path and d.location.line for d in shown)
    places = [str(d.location.line) if same_file else str(d.location) for d in shown]
    if len(group) <= SHOWN_PLACES:
        listed = ", ".join(places[:-1]) + " og " + places[-1]
    else:
        listed = ", ".join(places) + ", …; --all-warnings viser alle"
    return f"{first} [{len(group)} steder: {'linje ' if same_file else ''}{listed}]"


class ContentError(Exception):
    """Raised when an edition cannot be built; carries every problem found."""

    def __init__(self, diagnostics: Diagnostics):
        super().__init__(diagnostics.summary())
        self.diagnostics = diagnostics


def did_you_mean(word: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """A hint naming the closest candidate(s), case-insensitively, if any is close."""
    folded = {c.casefold(): c for c in candidates}
    matches = difflib.get_close_matches(word.casefold(), list(folded), n=3, cutoff=0.6)
    if not matches:
        return None
    names = " eller ".join(f"'{folded[m]}'" for m in matches)
    return f"mente du {names}?"
