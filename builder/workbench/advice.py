"""What each kind of warning means to an editor, what to do about it, and
whether it can wait: the «Advarsler» page's words beside check's.

A warning's kind is known by its message, as the readers word it; one the
table does not know is shown as it is, as one that should be looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Advice:
    key: str
    title: str
    meaning: str
    todo: str
    can_wait: bool


_TABLE: tuple[tuple[str, Advice], ...] = (
    (
        r"er en samarbeidsform fra kommuneloven av 1992",
        Advice(
            "form-1992",
            "Samarbeidsformer fra kommuneloven av 1992",
            "Samarbeidet er organisert etter den gamle kommuneloven. Avtalen gjelder fortsatt: kommuneloven av 2018 "
            "krever ikke at gamle avtaler skrives om straks.",
            "Gjør den om når avtalen selv fornyes eller endres: da vedtar kommunene en ny avtale etter 2018-loven, "
            "og du velger den nye formen i «Type samarbeid» (forslaget står i parentes i advarselen). Til da står "
            "den gamle formen i oversikten.",
            True,
        ),
    ),
    (
        r"har ingen type samarbeid",
        Advice(
            "no-form",
            "Samarbeid uten type",
            "Kolonnen «Type samarbeid» blir stående tom for disse samarbeidene.",
            "Velg formen i skjemaet hvis den er kjent (avtalen eller vedtaket sier den). Er det et uformelt samarbeid, "
            "velg «Uformelt».",
            True,
        ),
    ),
    (
        r"ingen av kommunene deltar",
        Advice(
            "no-members",
            "Samarbeid uten kommuner",
            "Ingen av kommunene har kryss, så raden står uten kryss i tabellen og teller ikke med i oppsummeringen.",
            "Kryss av kommunene som er med, eller fjern samarbeidet hvis ingen av dem deltar lenger.",
            False,
        ),
    ),
    (
        r"var under utredning",
        Advice(
            "planned",
            "Samarbeid som var under utredning",
            "Disse samarbeidene var under utredning i fjor og står fortsatt slik.",
            "Sjekk hvert av dem: er det i gang, sett Status til «i drift»; er det lagt bort, fjern det; er det "
            "fortsatt under utredning, la det stå.",
            False,
        ),
    ),
    (
        r"teksten nevner årstallet",
        Advice(
            "year-in-text",
            "Fjorårets årstall i teksten",
            "Teksten nevner fjorårets årstall. Det kan være riktig (en hendelse det året) eller utdatert "
            "(oversiktens eget år).",
            "Les setningen. Gjelder den oversiktens år («per 1. januar 2019»), skriv {{ year }}, som alltid gir "
            "utgavens år. Gjelder den noe som skjedde det året («fra januar 2019»), la årstallet stå.",
            False,
        ),
    ),
    (
        r"mellomrom",
        Advice(
            "spaces",
            "Mellomrom som ikke hører hjemme",
            "En verdi har mellomrom først, sist eller flere etter hverandre. Det synes sjelden, men kan gi to "
            "samarbeid som ser like ut.",
            "Fjern mellomrommene i skjemaet.",
            True,
        ),
    ),
    (
        r"støttes ikke i oversikten",
        Advice(
            "markdown",
            "Tekstformat som ikke støttes",
            "Teksten bruker et Markdown-grep (for eksempel en tabell eller et bilde) som oversikten ikke kan vise; "
            "det blir stående som vanlig tekst.",
            "Skriv det som vanlige avsnitt eller punktlister.",
            True,
        ),
    ),
)
_COMPILED = tuple((re.compile(pattern), advice) for pattern, advice in _TABLE)

OTHER = Advice(
    "other",
    "Andre advarsler",
    "Advarsler som ikke hindrer bygging, men som kan bety at noe blir feil i oversikten.",
    "Les meldingen og rett det den peker på, eller la det stå hvis det er meningen.",
    False,
)


def advice_for(message: str) -> Advice:
    for pattern, advice in _COMPILED:
        if pattern.search(message):
            return advice
    return OTHER
