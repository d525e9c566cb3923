"""The vocabulary of cooperation forms: one canonical spelling per form.

Editors write "§27", "§ 27" or "§ 28-1b"; the table always prints the
canonical form. Matching ignores case, white space and the kind of dash.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

# Kommuneloven 2018 (LOV-2018-06-22-83), with its chapters 17-27 on
# inter-municipal cooperation, took effect in each municipality at the new
# council's constituent meeting after the 2019 election; those meetings were
# held by the end of October 2019. From 1 November 2019 it applied everywhere,
# and the 1992 act's forms had four years to be converted.
ACT_2018_APPLIES_FROM = dt.date(2019, 11, 1)

_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_SPACE = re.compile(r"\s+")


def _fold(spelling: str) -> str:
    return _SPACE.sub("", _DASHES.sub("-", spelling)).casefold()


@dataclass(frozen=True)
class Form:
    name: str
    act: str  # "1992", "2018" or "other"
    successor: str | None = None


@dataclass(frozen=True)
class FormVocabulary:
    forms: tuple[Form, ...]
    spellings: dict[str, Form]  # folded spelling -> form

    def lookup(self, spelling: str) -> Form | None:
        return self.spellings.get(_fold(spelling))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(form.name for form in self.forms)


@functools.cache
def vocabulary() -> FormVocabulary:
    # our own file, known to be well formed: the C loader where PyYAML has it (a tenth of the time)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(resources.files("builder").joinpath("data/forms.yaml").read_text("utf-8"), Loader=loader)
    forms = []
    spellings: dict[str, Form] = {}
    for entry in data["forms"]:
        form = Form(entry["name"], str(entry["act"]), entry.get("successor"))
        forms.append(form)
        for spelling in [entry["name"], *entry.get("aliases", [])]:
            spellings[_fold(spelling)] = form
    return FormVocabulary(tuple(forms), spellings)
