"""argparse's own words (headings, usage, error messages) in bokmål.

argparse looks every text of its own up through ``gettext`` at the moment it
uses it: ``argparse.py`` does ``from gettext import gettext as _, ngettext``
and calls the module globals ``_`` and ``ngettext``. The standard way to
translate them, a compiled ``.mo`` catalogue, is found through the
``LANGUAGE``/``LANG`` environment variables and the default domain, which
differ from machine to machine (and are usually unset on Windows). Instead,
:func:`in_bokmal` puts a translation of our own in the place of those two
globals while oversikt builds its parser and parses, and puts the originals
back afterwards, so nothing else in the process is affected. This is the same
on Python 3.10 to 3.13; a text a newer Python adds and this table lacks stays
in English rather than failing (tests/test_cli_bokmal.py names the ones we
see).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from builder.adapters.argparse import speaking

# argparse's message ids (its English texts) and their bokmål
TEXTS = {
    "usage: ": "bruk: ",
    "positional arguments": "argumenter",
    "options": "valg",
    "optional arguments": "valg",  # Python 3.9 and older
    "show this help message and exit": "vis denne hjelpeteksten og avslutt",
    "show program's version number and exit": "vis versjonsnummeret og avslutt",
    "subcommands": "kommandoer",
    "%(prog)s: error: %(message)s\n": "%(prog)s: feil: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "disse argumentene mangler: %s",
    "one of the arguments %s is required": "ett av argumentene %s må være med",
    "unrecognized arguments: %s": "ukjente argumenter: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ugyldig valg: %(value)r (velg blant %(choices)s)",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "ugyldig valg: %(value)r, mente du %(closest)r? (velg blant %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ugyldig verdi: %(value)r",
    "expected one argument": "skal ha én verdi",
    "expected at most one argument": "skal ha høyst én verdi",
    "expected at least one argument": "skal ha minst én verdi",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig valg: %(option)s kan være %(matches)s",
    "not allowed with argument %s": "kan ikke brukes sammen med %s",
    "ignored explicit argument %r": "tar ingen verdi, men fikk %r",
    "unexpected option string: %s": "uventet valg: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "ukjent kommando %(parser_name)r (velg blant %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan ikke åpne «%(filename)s»: %(error)s",
    "option '%(option)s' is deprecated": "valget «%(option)s» er foreldet",
    "command '%(parser_name)s' is deprecated": "kommandoen «%(parser_name)s» er foreldet",
}

# the texts argparse picks by number
PLURAL_TEXTS = {
    ("expected %s argument", "expected %s arguments"): ("skal ha %s verdi", "skal ha %s verdier"),
}


def _gettext(message: str) -> str:
    return TEXTS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    one, many = PLURAL_TEXTS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


@contextlib.contextmanager
def in_bokmal() -> Iterator[None]:
    """While inside, argparse speaks bokmål (see the module's docstring for why this way)."""
    with speaking(_gettext, _ngettext):
        yield
