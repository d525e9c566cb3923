"""Organisation numbers (organisasjonsnummer) of Enhetsregisteret: nine
digits, the last a modulus-11 check digit over the first eight."""

from __future__ import annotations

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
REGISTER_PAGE = "https://virksomhet.brreg.no/nb/oppslag/enheter/{orgnr}"  # Enhetsregisteret's public search


def digits(written: str) -> str | None:
    """The nine digits of an org.nr as written (``974 556 246``), or None if it is not nine digits."""
    compact = "".join(written.split())
    return compact if len(compact) == 9 and compact.isascii() and compact.isdigit() else None


def check_digit(first_eight: str) -> int | None:
    """The check digit of the first eight digits; None where the remainder gives 10 (no valid number)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    digit = (11 - remainder) % 11
    return None if digit == 10 else digit


def is_valid(number: str) -> bool:
    """Whether nine digits have the right check digit."""
    return check_digit(number[:8]) == int(number[8])


def shown(number: str) -> str:
    """``974 556 246``: three groups of three, as Brønnøysundregistrene writes it."""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def register_page(number: str) -> str:
    return REGISTER_PAGE.format(orgnr=number)
