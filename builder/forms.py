"""The vocabulary of cooperation forms: one canonical spelling per form.

Editors write "§27", "§ 27", "§ 28-1b" or "kommuneloven § 20-2"; the table
always prints the canonical form. Matching ignores case, white space, the
kind of dash and the act's name around a paragraph sign.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
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
# "kommuneloven § 20-2", "kl. § 27", "§ 20-2 kommunelova": the paragraph alone
_ACT_NAME = re.compile(r"kommuneloven|kommunelova|kl\.?(?=§)")


@functools.lru_cache(maxsize=1024)  # a register spells its few forms the same way thousands of times
def _fold(spelling: str) -> str:
    folded = _SPACE.sub("", _DASHES.sub("-", spelling)).casefold()
    return _ACT_NAME.sub("", folded) if "§" in folded else folded


@dataclass(frozen=True)
class Form:
    name: str
    act: str  # "1992", "2018" or "other"
    about: str | None = None  # what the form is, in words: "kommunalt oppgavefellesskap"
    law: str | None = None  # where it is laid down: "kommuneloven § 19-1"
    successors: tuple[Form, ...] = ()  # for a 1992 form: what to consider instead
    printed: str | None = None  # how the table shows it, where not by its name: "§ 19-1" for KO
    about_nn: str | None = None  # ``about`` in nynorsk, where it differs

    def words(self, language: str) -> str:
        """What the form is, in words, in an edition's language ("nb", "nn")."""
        return (self.about_nn if language == "nn" else None) or self.about or self.name

    @property
    def shown(self) -> str:
        """The form as the table's § column prints it."""
        return self.printed or self.name

    def described(self) -> str:
        """e.g. "kommunalt oppgavefellesskap (kommuneloven § 19-1)"."""
        words = self.about or self.name
        return f"{words} ({self.law})" if self.law else words


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
    by_name: dict[str, Form] = {}
    # two passes: a 1992 form names its successors, which stand further down the file
    for entry in data["forms"]:
        by_name[entry["name"]] = Form(
            entry["name"], str(entry["act"]), entry.get("about"), entry.get("law"),
            printed=entry.get("printed"), about_nn=entry.get("about_nn"),
        )  # fmt: skip
    spellings: dict[str, Form] = {}
    for entry in data["forms"]:
        successors = tuple(by_name[name] for name in entry.get("successors", ()))
        form = by_name[entry["name"]] = replace(by_name[entry["name"]], successors=successors)
        for spelling in [entry["name"], *entry.get("aliases", [])]:
            spellings[_fold(spelling)] = form
    return FormVocabulary(tuple(by_name.values()), spellings)
