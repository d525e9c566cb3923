"""Reads the facts back out of a printed comment: the partners ("Med Ringebu og
OFK"), the host ("Lillehammer vertskommune")
and the status ("Avtalen er sagt opp.", "Under utredning."), through the
wording of the layout in each of its languages.

The printed comment puts them in one order: partners, host, the editor's own
words, status (see :func:`builder.assemble.printed_comment`). Only that order
is read, and only names that are names: "Med flere kommuner" stays a comment.
Facts are taken only where they print back exactly as the source reads,
its white space collapsed (a line break in a comment reads as a space). So "Ringsaker er
vertskommune" stays a comment: the layout words a host "Ringsaker
vertskommune", and the official 2019 text must come back to the letter.

A guess is made only where the comment is the plain fact. Words in front
of a name ("Tidligere Lillehammer vertskommune", "Ikke Gausdal
vertskommune", "NAV Gausdal vertskommune") say something else, and a
person's name after "Med" ("Med Kari Nordmann") is no partner: such a
comment gives no host or partner, and keeps its words. With no list of
places to look names up in, a name passes (:func:`_plausible`) when it is a
member, or one word ("Ringebu", "OFK", "Nord-Fron"), or one word with common
nouns after it ("Oppland fylkeskommune"), or two words of which the first
says where the place lies ("Indre Østfold", "Nordre Land") -- never when it
holds a word that is no name ("Tidligere", "Ikke", "Gjelder", "NAV"). Two
other capitalised words are taken for a person, or words before a name, and
give no guess: when unsure, the words stay a comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.assemble import printed_comment
from builder.importing.header import Labels
from builder.model import ACTIVE, PLANNED, TERMINATED, Agreement

# A municipality or county as a comment names it: one or two words with a
# capital first ("Nord-Fron", "Indre Østfold"), perhaps followed by common
# nouns ("Oppland fylkeskommune"); no digits or punctuation that would end a
# sentence or a list, and not a run of names ("Nes Gol Hol").
_PROPER = r"[A-ZÆØÅÁČĐŊŠŦŽ][^\W\d_]*(?:-[^\W\d_]+)*"
_NAME = rf"{_PROPER}(?: {_PROPER})?(?: [a-zæøåáčđŋšŧž][^\W\d_]*){{0,2}}"
_STATUSES = (TERMINATED, PLANNED)
_WHITE_SPACE = re.compile(r"[ \t\n\r\v\f]+")  # a no-break space is kept: it was put there on purpose

# Words that can begin a sentence about a host or partner but are no name or
# part of one, in bokmål and nynorsk (compared case-folded)
_NOT_NAMES = frozenset({
    "tidligere", "tidlegare", "tidl", "ikke", "ikkje", "ingen", "gjelder", "gjeld", "nav", "ny", "nye", "nytt",
    "ev", "evt", "eventuelt", "mulig", "mogleg", "kun", "bare", "berre", "også", "og", "òg", "felles", "egen",
    "eiga", "eige", "annen", "anna", "andre", "planlagt", "foreslått", "midlertidig", "mellombels", "delvis",
    "se", "sjå", "jf", "unntatt", "utenom",
})  # fmt: skip
# The first of two capitalised words in a Norwegian place's name says where it lies (Indre Østfold, Nordre Land)
_PLACE_FIRST_WORDS = frozenset({
    "indre", "ytre", "nordre", "søndre", "sondre", "austre", "østre", "vestre", "øystre", "øvre", "nedre",
    "midtre", "nord", "sør", "aust", "øst", "vest",
})  # fmt: skip


@dataclass(frozen=True)
class Recovered:
    comment: str  # what is left of the editor's own words
    partners: tuple[str, ...] = ()
    host: str | None = None
    status: str = ACTIVE
    host_wording: str | None = None  # the source's own words for the host, when the layout words it otherwise


@dataclass(frozen=True)
class _Wording:
    labels: dict[str, str]
    partners: re.Pattern
    hosts: tuple[tuple[re.Pattern, bool], ...]  # each with whether the layout words it otherwise
    statuses: tuple[tuple[str, re.Pattern], ...]


class CommentReader:
    """Recovers facts from comments written in any of the layout's languages."""

    def __init__(self, labels: Labels, members: tuple[str, ...]):
        self.members = members
        self.wordings = tuple(_wording(own) for own in labels.values())

    def read(self, comment: str) -> Recovered:
        """The facts in ``comment``, or the comment alone when none can be read back safely.
        They are read from its words with white space collapsed, as it reads:
        "OFK. Avtalen er sagt opp." whether a space, a line break or both
        stood after "OFK.", and not from how it was typed."""
        text = _WHITE_SPACE.sub(" ", comment).strip()
        found = [recovered for wording in self.wordings if (recovered := self._read(text, wording)) is not None]
        return max(found, key=_fact_count, default=Recovered(comment))

    def _read(self, text: str, wording: _Wording) -> Recovered | None:
        partners: tuple[str, ...] = ()
        rest, host, status, host_wording = text, None, ACTIVE, None
        for key, pattern in wording.statuses:
            if match := pattern.search(rest):
                rest, status = rest[: match.start()], key
                break
        if (match := wording.partners.match(rest)) and (names := self._partners(match["names"], wording)):
            rest, partners = rest[match.end() :], names
        for pattern, reworded in wording.hosts:
            if (match := pattern.match(rest)) and _plausible(match["host"], self.members):
                rest, host = rest[match.end() :], match["host"]
                host_wording = match[0].strip().removesuffix(".") if reworded else None
                break
        rest = rest.strip()
        if status != ACTIVE:
            rest = rest.removesuffix(".")  # the full stop the printed comment puts before the status
        recovered = Recovered(rest, partners, host, status, host_wording)
        if not _fact_count(recovered):
            return None
        reprinted = printed_comment(_as_agreement(recovered), wording.labels)
        if host_wording is not None:
            text = text.replace(host_wording, wording.labels["host"].format(host=host))
        return recovered if reprinted == text else None

    def _partners(self, listed: str, wording: _Wording) -> tuple[str, ...]:
        names = re.split(rf",\s*|\s+{re.escape(wording.labels['and'])}\s+", listed)
        valid = all(
            re.fullmatch(_NAME, name) and name not in self.members and _plausible(name, self.members) for name in names
        )
        return tuple(names) if valid and len(set(names)) == len(names) else ()


def _plausible(name: str, members: tuple[str, ...]) -> bool:
    """Whether ``name`` (a match of ``_NAME``) can be taken for a place or an
    organisation, not for a person or for words before a name."""
    if name in members:
        return True
    capitalised = [word for word in name.split(" ") if word[:1].isupper()]
    if any(part.casefold() in _NOT_NAMES for word in capitalised for part in word.split("-")):
        return False
    return len(capitalised) == 1 or capitalised[0].casefold() in _PLACE_FIRST_WORDS


def _wording(labels: dict[str, str]) -> _Wording:
    end = r"(?:\.\s+|\.?$)"  # a sentence ends with a full stop, or the comment does
    before, after = labels["partners"].split("{partners}")
    partners = re.compile(rf"{re.escape(before)}(?P<names>.+?){re.escape(after)}{end}")
    before, after = labels["host"].split("{host}")
    # a name followed by "er" ("Ringsaker er vertskommune") is a sentence
    # about the host, not a name in the layout's wording: it stays a comment
    as_printed = re.compile(rf"{re.escape(before)}(?P<host>{_NAME})(?<! er){re.escape(after)}{end}")
    statuses = tuple((key, re.compile(rf"(?:^|(?<=\s)){re.escape(labels[key].rstrip('.'))}\.?$")) for key in _STATUSES)
    return _Wording(labels, partners, ((as_printed, False),), statuses)


def _fact_count(recovered: Recovered) -> int:
    return bool(recovered.partners) + (recovered.host is not None) + (recovered.status != ACTIVE)


def _as_agreement(recovered: Recovered) -> Agreement:
    return Agreement(
        "", None, (), recovered.comment, host=recovered.host, partners=recovered.partners, status=recovered.status
    )
