"""The optional facts about an agreement that readers of an overview ask for
(org.nr, purpose, ownership shares, the adopting decision, a link), and the
report's keys for the publication (publisher, contact, licence, the
accessibility statement), each checked with the line of what is wrong.

How they are written is in docs/innhold.md.
"""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from builder import orgnr
from builder.diagnostics import Diagnostics, Location, did_you_mean
from builder.model import SINCE_YEARS, Contact, Decision
from builder.norwegian import decimal
from builder.readers import schema
from builder.readers.text_checks import check_text, is_clean
from builder.readers.yaml_source import Node

AGREEMENT_FACT_KEYS = ("orgnr", "purpose", "ownership", "decision", "url")
PUBLICATION_KEYS = ("publisher", "contact", "license", "accessibility_statement")
DECISION_KEYS = ("reference", "date")
CONTACT_KEYS = ("name", "email", "url")
WEB_SCHEMES = ("https", "http")
LONGEST_ADDRESS = 2000  # characters: longer than any real page's address, short enough for every browser


def read_agreement_facts(
    fields: dict[str, Node], taking_part: tuple[str, ...], partners: tuple[str, ...], problems: Diagnostics
) -> dict:
    """The facts ``fields`` holds, as keyword arguments of :class:`Agreement`.
    ``taking_part`` and ``partners`` are the agreement's participants: the
    only names ``ownership`` and a per-member ``decision`` may use."""
    facts: dict = {}
    if "orgnr" in fields and (number := _orgnr(fields["orgnr"], problems)) is not None:
        facts["orgnr"] = number
    if "purpose" in fields and (purpose := _clean_text(fields["purpose"], "'purpose'", problems)) is not None:
        facts["purpose"] = purpose
    participants = (*taking_part, *partners)
    if "ownership" in fields:
        facts["ownership"] = _ownership(fields["ownership"], participants, problems)
    if "decision" in fields:
        facts["decisions"] = _decisions(fields["decision"], participants, problems)
    if "url" in fields and (url := web_address(fields["url"], "'url'", problems)) is not None:
        facts["url"] = url
    return facts


def read_publication(fields: dict[str, Node], problems: Diagnostics) -> dict:
    """publisher, contact, license and accessibility_statement from report.yaml."""
    report: dict = {}
    if "publisher" in fields and (publisher := _clean_text(fields["publisher"], "'publisher'", problems)) is not None:
        report["publisher"] = publisher
    if "contact" in fields and (contact := _contact(fields["contact"], problems)) is not None:
        report["contact"] = contact
    if "license" in fields and (license_url := web_address(fields["license"], "'license'", problems)) is not None:
        report["license"] = license_url
    if "accessibility_statement" in fields:
        address = web_address(fields["accessibility_statement"], "'accessibility_statement'", problems)
        if address is not None:
            report["accessibility_statement"] = address
    return report


def _clean_text(node: Node, what: str, problems: Diagnostics) -> str | None:
    value = schema.text(node, what, problems)
    if value is None:
        return None
    if not is_clean(value) and not check_text(value, node.location, problems):
        return None
    return value.strip()


def _orgnr(node: Node, problems: Diagnostics) -> str | None:
    """Nine digits, spaces allowed between them; the check digit must add up."""
    if node.rejected:
        return None
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # orgnr: 974556246 without quotes is a number to YAML
    if not isinstance(value, str):
        problems.error(
            node.location,
            f"'orgnr' skal være et organisasjonsnummer på ni sifre, men er {schema.describe(value)}",
            'skriv for eksempel "923 609 016"',
        )
        return None
    number = orgnr.digits(value)
    if number is None:
        problems.error(
            node.location,
            f"'orgnr' skal ha ni sifre, men er '{value}'",
            'skriv organisasjonsnummeret slik Enhetsregisteret viser det, for eksempel "923 609 016"',
        )
        return None
    if not orgnr.is_valid(number):
        expected = orgnr.check_digit(number[:8])
        problems.error(
            node.location,
            f"organisasjonsnummeret {orgnr.shown(number)} har feil kontrollsiffer",
            "de åtte første sifrene gir ikke noe gyldig nummer; se etter feilskrevne sifre"
            if expected is None
            else f"med de åtte første sifrene skulle det siste vært {expected}; se etter feilskrevne sifre",
        )
        return None
    return number


def _ownership(node: Node, participants: tuple[str, ...], problems: Diagnostics) -> tuple[tuple[str, float], ...]:
    fields = schema.mapping(node, "'ownership'", problems)
    if fields is None:
        return ()
    shares: list[tuple[str, float]] = []
    for name, value in fields.items():
        where = value.key_location or value.location
        if name not in participants:
            problems.error(
                where,
                f"'{name}' i 'ownership' deltar ikke i samarbeidet",
                did_you_mean(name, participants)
                or "eierandeler gjelder kommunene i 'members' og deltakerne i 'partners'",
            )
            continue
        share = value.value
        if value.rejected:
            continue
        if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 <= share <= 100:
            problems.error(
                value.location,
                f"eierandelen til '{name}' skal være et tall fra 0 til 100 (prosent), men er {_shown(share)}",
                "skriv for eksempel 12.5 for 12,5 %",
            )
            continue
        shares.append((name, float(share)))
    total = math.fsum(share for _, share in shares)
    if total > 100 + 1e-9:
        problems.error(
            node.location,
            f"eierandelene i 'ownership' er til sammen {decimal(total)} %, mer enn 100 %",
            "resten eies av andre; se etter en feilskrevet andel",
        )
    return tuple(shares)


def _decisions(node: Node, participants: tuple[str, ...], problems: Diagnostics) -> tuple[Decision, ...]:
    """``{reference, date}`` for a decision every participant made alike, or a
    mapping from each participant to its own ``{reference, date}``."""
    fields = schema.mapping(node, "'decision'", problems)
    if fields is None:
        return ()
    if not fields:
        problems.error(
            node.location, "'decision' er tom", "skriv {reference: …, date: …}, eller ett vedtak per kommune"
        )
        return ()
    if any(key in DECISION_KEYS for key in fields):
        decision = _decision(node, fields, None, problems)
        return () if decision is None else (decision,)
    decisions = []
    for name, value in fields.items():
        if name not in participants:
            problems.error(
                value.key_location or value.location,
                f"'{name}' i 'decision' deltar ikke i samarbeidet",
                did_you_mean(name, (*participants, *DECISION_KEYS))
                or "skriv {reference: …, date: …} for ett vedtak, eller ett per kommune som deltar",
            )
            continue
        own = schema.mapping(value, f"vedtaket til '{name}'", problems)
        if own is not None and (decision := _decision(value, own, name, problems)) is not None:
            decisions.append(decision)
    return tuple(decisions)


def _decision(node: Node, fields: dict[str, Node], member: str | None, problems: Diagnostics) -> Decision | None:
    what = "vedtaket" if member is None else f"vedtaket til '{member}'"
    schema.check_keys(fields, node, what, DECISION_KEYS, ("reference",), problems)
    reference = None
    if "reference" in fields:
        reference = _clean_text(fields["reference"], f"saksnummeret ('reference') i {what}", problems)
    day = None
    if "date" in fields:
        day = schema.date(fields["date"], f"datoen i {what}", problems, SINCE_YEARS)
        if day is None:
            return None
    return None if reference is None else Decision(reference, day, member)


def _contact(node: Node, problems: Diagnostics) -> Contact | None:
    fields = schema.mapping(node, "'contact'", problems)
    if fields is None:
        return None
    schema.check_keys(fields, node, "'contact'", CONTACT_KEYS, ("name",), problems)
    name = _clean_text(fields["name"], "navnet i 'contact'", problems) if "name" in fields else None
    email = url = None
    if "email" in fields:
        email = _clean_text(fields["email"], "e-postadressen i 'contact'", problems)
        if email is not None and not _looks_like_email(email):
            problems.error(
                fields["email"].location, f"'{email}' er ingen e-postadresse", "skriv for eksempel post@kommune.no"
            )
            email = None
    if "url" in fields:
        url = web_address(fields["url"], "adressen ('url') i 'contact'", problems)
    if "email" not in fields and "url" not in fields:
        problems.error(
            node.location, "'contact' mangler en e-postadresse eller en nettadresse", "skriv 'email' eller 'url'"
        )
    if name is None or (email is None and url is None):
        return None
    return Contact(name, email, url)


def _looks_like_email(text: str) -> bool:
    local, at, domain = text.partition("@")
    return bool(at and local and "." in domain and not any(c.isspace() or c in "<>\"'@,;" for c in local + domain))


def web_address(node: Node, what: str, problems: Diagnostics) -> str | None:
    """An absolute ``https:`` or ``http:`` address with a host: never
    ``javascript:``, ``file:`` or a relative path, whatever page shows it."""
    value = schema.text(node, what, problems)
    if value is None:
        return None
    address = value.strip()
    try:
        parts = urlsplit(address)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if (
        parts is None
        or parts.scheme.lower() not in WEB_SCHEMES
        or not host
        or len(address) > LONGEST_ADDRESS
        or any(c.isspace() or not c.isprintable() for c in address)
    ):
        problems.error(
            node.location,
            f"{what} skal være en nettadresse som begynner med https:// eller http://, men er '{_short(address)}'",
            "skriv hele adressen, for eksempel https://www.kommune.no/samarbeid",
        )
        return None
    return address


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:77] + "…"


def _shown(value: object) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else schema.describe(value)


def orgnr_places(root: Node) -> list[Location]:
    """Where each ``orgnr`` stands in agreements.yaml (its ``root`` as loaded),
    in the file's order: for the warnings of a check that comes after the
    edition is read (which has found the file without errors)."""
    places = []
    categories = root.value.get("categories") if isinstance(root.value, dict) else None
    for category in categories.value if categories is not None and isinstance(categories.value, list) else []:
        agreements = category.value.get("agreements") if isinstance(category.value, dict) else None
        for agreement in agreements.value if agreements is not None and isinstance(agreements.value, list) else []:
            if isinstance(agreement.value, dict) and "orgnr" in agreement.value:
                places.append(agreement.value["orgnr"].location)
    return places
