"""A safer yearly cycle: dates written the Norwegian way, diff with its
folders swapped, and names and keys an editor gets nearly right."""

from __future__ import annotations

import argparse
import datetime as dt

import pytest
from edits import replace

from builder.build import prepare
from builder.cli import _parser, main
from builder.commands import common
from builder.diagnostics import ContentError

# --- dates -------------------------------------------------------------------


def date_options() -> list[tuple[str, argparse.Action]]:
    """Every option of every verb that takes a date, known by its help text."""
    verbs = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return [
        (verb, action)
        for verb, parser in verbs.choices.items()
        for action in parser._actions
        if "dato" in (action.help or "")
    ]


def test_every_date_option_takes_both_spellings():
    options = date_options()
    assert [(verb, action.dest) for verb, action in options] == [("roll", "to")]
    for _, action in options:
        assert action.type("2020-01-01") == action.type("01.01.2020") == dt.date(2020, 1, 1)
        assert action.type("1.1.2020") == dt.date(2020, 1, 1)


@pytest.mark.parametrize("spelling", ["2020-01-01", "01.01.2020"])
def test_roll_to_either_spelling(make_edition, tmp_path, spelling):
    assert main(["roll", str(make_edition()), "--to", spelling, "--into", str(tmp_path / "neste")]) == 0
    assert prepare(tmp_path / "neste").edition.as_of == dt.date(2020, 1, 1)


@pytest.mark.parametrize("spelling", ["31.02.2020", "2020-13-01", "1/1/2020", "20200101"])
def test_what_is_no_date_is_refused_naming_both_spellings(spelling):
    with pytest.raises(argparse.ArgumentTypeError, match="skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ"):
        common.date(spelling)


def test_as_of_in_the_norwegian_spelling(make_edition):
    content = make_edition(replace("report.yaml", "as_of: 2019-01-01", 'as_of: "01.01.2020"'))
    assert prepare(content).edition.as_of == dt.date(2020, 1, 1)


# --- diff with its folders swapped ----------------------------------------------


@pytest.fixture(scope="module")
def rolled_2020(content_dir, tmp_path_factory):
    from builder.rolling import roll

    return roll(content_dir, dt.date(2020, 1, 1), tmp_path_factory.mktemp("cycle") / "2020").target


def test_diff_with_swapped_folders_warns_and_says_so_in_the_heading(rolled_2020, content_dir, capsys):
    assert main(["diff", str(rolled_2020), str(content_dir)]) == 0
    captured = capsys.readouterr()
    swapped = "den gamle utgaven er per 1. januar 2020, senere enn den nye, per 1. januar 2019"
    assert captured.out.splitlines()[0] == f"Endringer siden 1. januar 2020 – obs: {swapped}"
    assert f"{rolled_2020 / 'report.yaml'}: warning: {swapped} (er mappene byttet om?" in captured.err


def test_diff_in_order_has_no_such_warning(rolled_2020, content_dir, capsys):
    assert main(["diff", str(content_dir), str(rolled_2020)]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == "Endringer siden 1. januar 2019" and captured.err == ""


# --- names and keys nearly right ---------------------------------------------------

VIGSEL = "        members: [Lillehammer, Gausdal]\n        comment: Med Ringebu\n"


def vigsel(*lines: str):
    """Borgerlig vigsel (base edition, line 10: members) with these lines instead of its comment, from line 11."""
    return replace(
        "agreements.yaml",
        VIGSEL,
        "        members: [Lillehammer, Gausdal]\n" + "".join(f"        {x}\n" for x in lines),
    )


def errors(content) -> list[str]:
    with pytest.raises(ContentError) as error:
        prepare(content)
    return [f"{d.location.line}:{d.location.column}: {d.message} ({d.hint})" for d in error.value.diagnostics.errors]


@pytest.mark.parametrize(("host", "member"), [("Lilehammer", "Lillehammer"), ("Oyer", "Øyer"), ("gausdal", "Gausdal")])
def test_a_host_a_letter_off_a_member_is_an_error(make_edition, host, member):
    assert errors(make_edition(vigsel(f"host: {host}"))) == [
        f"11:15: vertskommunen '{host}' er ikke en av kommunene i report.yaml (mente du '{member}'?)"
    ]


def test_a_partner_a_letter_off_a_member_is_an_error(make_edition):
    assert errors(make_edition(vigsel("partners: [Ringebu, Gasudal]"))) == [
        "11:29: 'Gasudal' i 'partners' er nesten som 'Gausdal', en av kommunene i report.yaml"
        " (mente du 'Gausdal'? Merk den i så fall under 'members')"
    ]


@pytest.mark.parametrize("name", ["Ringebu", "Hamar", "Ringsaker", "Lillehammer kommune"])
def test_other_places_are_names_like_any_other(make_edition, name):
    prepared = prepare(make_edition(vigsel(f"host: {name}", f"partners: [{name} og omegn]")))
    assert not [d for d in prepared.diagnostics.items if d.location.line in (11, 12)]


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("vertskommune", "'host'"),
        ("deltakere", "'partners' eller 'members'"),
        ("kommentar", "'comment'"),
        ("Kommentarer", "'comment'"),
        ("tilstand", "'status'"),
        ("Status", "'status'"),
    ],
)
def test_norwegian_keys_suggest_the_key_they_mean(make_edition, key, meant):
    (message,) = errors(make_edition(vigsel(f"{key}: Lillehammer")))
    assert message == f"11:9: ukjent nøkkel '{key}' i samarbeidet (mente du {meant}?)"


@pytest.mark.parametrize(("status", "meant"), [("sagt opp", "terminated"), ("under utgreiing", "planned")])
def test_norwegian_status_words_suggest_the_status(make_edition, status, meant):
    (message,) = errors(make_edition(vigsel(f"status: {status}")))
    assert message == f"11:17: ukjent status '{status}' (mente du '{meant}'?)"
