"""Language rules, the form vocabulary and the decisions assemble makes."""

from __future__ import annotations

import datetime as dt

import pytest

from builder import norwegian
from builder.forms import vocabulary


def test_dates_long_and_short():
    day = dt.date(2019, 1, 1)
    assert norwegian.date_long(day) == "1. januar 2019"
    assert norwegian.date_short(day) == "01.01.2019"
    assert norwegian.date_long(dt.date(2020, 12, 24)) == "24. desember 2020"
    assert norwegian.month_year(dt.date(2019, 3, 5)) == "mars 2019"


@pytest.mark.parametrize(
    ("names", "joined"),
    [
        ([], ""),
        (["Øyer"], "Øyer"),
        (["Gausdal", "Øyer"], "Gausdal og Øyer"),
        (["Gausdal", "Lillehammer", "Øyer"], "Gausdal, Lillehammer og Øyer"),
    ],
)
def test_and_list(names, joined):
    assert norwegian.and_list(names) == joined


def test_alphabetical_puts_ae_oe_aa_last_and_sami_letters_with_their_base():
    names = ["Åsnes", "Øyer", "Ærø", "Zeta", "Lillehammer", "Kárášjohka", "Gausdal", "Karlsøy"]
    expected = ["Gausdal", "Kárášjohka", "Karlsøy", "Lillehammer", "Zeta", "Ærø", "Øyer", "Åsnes"]
    assert norwegian.alphabetical(names) == expected


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("§27", "§ 27"),
        ("§ 27", "§ 27"),
        ("§ 28 – 1B", "§ 28 – 1B"),
        ("§28 – 1B", "§ 28 – 1B"),
        ("§ 28-1b", "§ 28 – 1B"),
        ("§28-1 b", "§ 28 – 1B"),
        ("iks", "IKS"),
        ("interkommunalt selskap", "IKS"),
        ("kommunalt oppgavefellesskap", "KO"),
        ("uformelt", "Uformelt"),
    ],
)
def test_form_aliases_have_one_canonical_spelling(spelling, canonical):
    assert vocabulary().lookup(spelling).name == canonical


def test_unknown_form_is_not_guessed():
    assert vocabulary().lookup("§ 99") is None
