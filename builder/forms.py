"""The vocabulary of cooperation forms: one canonical spelling per form.

Editors write "§27", "§ 27" or "§ 28-1b"; the table always prints the
canonical form. Matching ignores case, white space and the kind of dash.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

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
    data = yaml.safe_load(resources.files("builder").joinpath("data/forms.yaml").read_text("utf-8"))
    forms = []
    spellings: dict[str, Form] = {}
    for entry in data["forms"]:
        form = Form(entry["name"], str(entry["act"]), entry.get("successor"))
        forms.append(form)
        for spelling in [entry["name"], *entry.get("aliases", [])]:
            spellings[_fold(spelling)] = form
    return FormVocabulary(tuple(forms), spellings)
