"""Norwegian language rules the document needs: dates, lists of names, order.

Bokmål and nynorsk agree on all of these (month names, "og"), so one set
of rules serves both; the layout still carries the conjunction as a label.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip

LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO"}


def date_long(day: dt.date) -> str:
    """1. januar 2019"""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def date_short(day: dt.date) -> str:
    """01.01.2019"""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


_SHORT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date(text: str) -> dt.date | None:
    """A date written 2020-01-01 or, the Norwegian way, 01.01.2020 (or 1.1.2020); None if it is neither."""
    text = text.strip()
    if match := _SHORT_DATE.fullmatch(text):
        return date_of(*match.groups())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        year, month, day = text.split("-")
        return date_of(day, month, year)
    return None


def date_of(day: str, month: str, year: str) -> dt.date | None:
    """The date of the parts written: the month a number or its name
    ("januar"), the year in four digits or two (2019 or 19); None where the
    calendar has no such day."""
    month_number = int(month) if month.isdigit() else MONTHS.index(month.lower()) + 1
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return dt.date(full_year, month_number, int(day))
    except ValueError:
        return None


def month_year(day: dt.date) -> str:
    """januar 2019"""
    return f"{MONTHS[day.month - 1]} {day.year}"


def and_list(names: Iterable[str], conjunction: str = "og") -> str:
    """Gausdal, Lillehammer og Øyer"""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


# A last word this long or longer that ends in a full stop ends a sentence;
# a shorter one may be an abbreviation, whose stop stays ("osv.", "mfl.").
_SENTENCE_WORD = 4


def before_more(name: str) -> str:
    """``name`` as it stands before more text in a list, "(Helse og omsorg)"
    say: without the full stop that ends it as a sentence ("… 7 delavtaler."
    -> "… 7 delavtaler"), which would stand doubled before what follows;
    an abbreviation's stop ("m.m.", "osv.") stays."""
    if not name.endswith(".") or name.endswith(".."):
        return name
    last = name[:-1].split()[-1] if name[:-1].split() else ""
    return name[:-1] if len(last) >= _SENTENCE_WORD and "." not in last else name


# Æ, Ø and Å come after Z in that order; other accented letters (Sami á, č
# and the like) sort with their base letter.
_AFTER_Z = str.maketrans(
    {"æ": "\U000f0001", "ä": "\U000f0001", "ø": "\U000f0002", "ö": "\U000f0002", "å": "\U000f0003"}
)


def collation_key(name: str) -> str:
    folded = unicodedata.normalize("NFC", name).casefold().translate(_AFTER_Z)
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def alphabetical(names: Iterable[str]) -> list[str]:
    return sorted(names, key=collation_key)


# Letters that Unicode does not decompose into a base letter and a mark.
_ASCII_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss", "ł": "l"})


def ascii_name(name: str) -> str:
    """A name as a readable part of a file name: "Øyer" -> "oyer", "Kárášjohka" -> "karasjohka"."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_ASCII_LETTERS))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return "-".join("".join(c if c.isascii() and c.isalnum() else " " for c in plain).split())


TYPO_MINIMUM = 5  # letters; shorter names one letter apart are often two places (Hol, Gol; Sola, Sula)


def misspelt_name(name: str, names: Iterable[str]) -> str | None:
    """The one of ``names`` that ``name`` most likely is, misspelt: the same
    letters but for case, accents or spaces ("Oyer", "lillehammer"), or, in a
    name of five letters or more, one letter left out, added, changed or two
    swapped ("Lilehammer"). Names further apart are taken as other places."""
    plain = ascii_name(name)
    for candidate in names:
        other = ascii_name(candidate)
        if candidate != name and (
            plain == other or (min(len(plain), len(other)) >= TYPO_MINIMUM and _one_edit_apart(plain, other))
        ):
            return candidate
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    end = 0
    while end < min(len(a), len(b)) and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[: len(a) - end], b[: len(b) - end]
    return (len(a) <= 1 and len(b) <= 1) or (len(a) == len(b) == 2 and a == b[::-1])


def decimal(number: float) -> str:
    """A number as Norwegian writes it: 12.5 as 12,5, 4.0 as 4, with as few
    decimals as it has (at most three)."""
    text = f"{round(number, 3):.3f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")
