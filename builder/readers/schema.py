"""Small typed checks on located YAML values, each reporting what to fix.

Readers describe their keys with these helpers instead of each writing its
own type tests, so every file reports the same kind of mistake the same way.
"""

from __future__ import annotations

import datetime as dt
import re

from builder.diagnostics import Diagnostics, did_you_mean
from builder.norwegian import MONTHS, parse_date
from builder.readers.yaml_source import Node

_TYPE_NAMES = {
    str: "tekst",
    int: "et tall",
    float: "et tall",
    bool: "ja/nei (true/false)",
    list: "en liste",
    dict: "et oppslag (nøkkel: verdi)",
    dt.date: "en dato",
    type(None): "ingenting",
}


def describe(value: object) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def mapping(node: Node, what: str, problems: Diagnostics) -> dict[str, Node] | None:
    if node.rejected:
        return None
    if isinstance(node.value, dict):
        return node.value
    problems.error(node.location, f"{what} skal være et oppslag med nøkler, men er {describe(node.value)}")
    return None


# The Norwegian words (bokmål and nynorsk) editors write for a key, and the
# keys they mean; a key is suggested only where it is allowed.
NORWEGIAN_KEYS: dict[str, tuple[str, ...]] = {
    "vertskommune": ("host",),
    "vert": ("host",),
    "deltakere": ("partners", "members"),
    "deltakarar": ("partners", "members"),
    "andre_deltakere": ("partners",),
    "andre_deltakarar": ("partners",),
    "kommentar": ("comment",),
    "kommentarer": ("comment",),
    "kommentarar": ("comment",),
    "merknad": ("comment",),
    "tilstand": ("status",),
    "navn": ("name",),
    "namn": ("name",),
    "type": ("form",),
    "samarbeidsform": ("form",),
    "kommuner": ("members",),
    "kommunar": ("members",),
    "medlemmer": ("members",),
    "siden": ("since",),
    "sidan": ("since",),
    "startet": ("since",),
    "del_av": ("part_of",),
    "tidligere_navn": ("previous_name",),
    "tidlegare_namn": ("previous_name",),
    "kategorier": ("categories",),
    "kategoriar": ("categories",),
    "samarbeid": ("agreements",),
    "avtaler": ("agreements",),
    "dato": ("as_of",),
    "per": ("as_of",),
    "språk": ("language",),
    "tittel": ("title",),
    "tekst": ("text",),
    "oppsummering": ("summary",),
    "orgnummer": ("orgnr",),
    "organisasjonsnummer": ("orgnr",),
    "org_nr": ("orgnr",),
    "formål": ("purpose",),
    "føremål": ("purpose",),
    "eierandel": ("ownership",),
    "eierandeler": ("ownership",),
    "eigardel": ("ownership",),
    "vedtak": ("decision",),
    "lenke": ("url",),
    "nettside": ("url",),
    "utgiver": ("publisher",),
    "kontakt": ("contact",),
    "lisens": ("license",),
    "tilgjengelighetserklæring": ("accessibility_statement",),
}


def check_keys(
    fields: dict[str, Node],
    node: Node,
    what: str,
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    problems: Diagnostics,
) -> None:
    """Report unknown keys (with the closest known one) and missing ones."""
    for key, value in fields.items():
        if key not in allowed:
            problems.error(
                value.key_location or value.location,
                f"ukjent nøkkel '{key}' i {what}",
                _key_hint(key, allowed) or f"gyldige nøkler er {', '.join(allowed)}",
            )
    for key in required:
        if key not in fields:
            problems.error(node.location, f"{what} mangler nøkkelen '{key}'")


def _key_hint(key: str, allowed: tuple[str, ...]) -> str | None:
    meant = [k for k in NORWEGIAN_KEYS.get("_".join(key.casefold().split()), ()) if k in allowed]
    if meant:
        return "mente du " + " eller ".join(f"'{k}'" for k in meant) + "?"
    return did_you_mean(key, allowed)


def text(node: Node, what: str, problems: Diagnostics, *, allow_empty: bool = False) -> str | None:
    if node.rejected:
        return None
    value = node.value
    if isinstance(value, str):
        if not allow_empty and not value.strip():
            problems.error(node.location, f"{what} er tom")
            return None
        return value
    if value is None and allow_empty:
        return ""
    hint = None
    if isinstance(value, (int, float, bool, dt.date)):
        hint = "sett verdien i anførselstegn hvis den skal stå som tekst"
    problems.error(node.location, f"{what} skal være tekst, men er {describe(value)}", hint)
    return None


def text_list(node: Node, what: str, problems: Diagnostics) -> list[Node] | None:
    """A list whose items are text; returns the item nodes, or None."""
    if node.rejected:
        return None
    if not isinstance(node.value, list):
        hint = None
        if isinstance(node.value, str):
            hint = f"skriv en liste: [{node.value}] eller én verdi per linje med '- ' foran"
        problems.error(node.location, f"{what} skal være en liste, men er {describe(node.value)}", hint)
        return None
    items = []
    for item in node.value:
        if text(item, f"et element i {what}", problems) is not None:
            items.append(item)
    return items


def flag(node: Node, what: str, problems: Diagnostics) -> bool | None:
    if node.rejected:
        return None
    if isinstance(node.value, bool):
        return node.value
    problems.error(node.location, f"{what} skal være true eller false, men er {describe(node.value)}")
    return None


def date(node: Node, what: str, problems: Diagnostics, years: range) -> dt.date | None:
    """A date (2019-01-01 or 01.01.2019) in one of ``years``."""
    if node.rejected:
        return None
    value = node.value
    day = None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        day = parse_date(value)
    if day is not None:
        if day.year in years:
            return day
        problems.error(node.location, f"{what} er i år {day.year}", f"skriv en dato {years_hint(years)}")
        return None
    problems.error(
        node.location,
        f"{what} skal være en dato på formen ÅÅÅÅ-MM-DD, men er '{value}'",
        _date_hint(value),
    )
    return None


def years_hint(years: range) -> str:
    """``fra 1900 til 2100``"""
    return f"fra {years.start} til {years.stop - 1}"


def _date_hint(value: object) -> str:
    """Say which part of a well-shaped but impossible date is wrong."""
    example = "for eksempel 2019-01-01"
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", str(value))
    if not match:
        return example
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"måneden er {month}, men må være fra 1 til 12; {example}"
    return f"{MONTHS[month - 1]} {year} har ikke dag {day}; {example}"
