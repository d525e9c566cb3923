"""Safe YAML loading that remembers where every key and value stands.

PyYAML's composer gives nodes with positions; we turn them into plain dicts,
lists and scalars wrapped so that validation can name the line of any value.
Only YAML's standard tags are accepted, duplicate keys are errors, and the
number of nodes built is bounded so that an alias bomb fails fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import Diagnostics, Location

# An edition of 20,000 agreements is about 200,000 nodes; aliases that
# expand far beyond that are an attack or a mistake, never real content.
MAX_NODES = 2_000_000

_STANDARD_TAGS = {
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


@dataclass
class Node:
    """A value from the file and where it stands."""

    value: Any  # dict[str, Node] | list[Node] | scalar
    location: Location
    key_location: Location | None = None  # where its key stands, inside a mapping

    @property
    def line(self) -> int | None:
        return self.location.line


class _TooLarge(Exception):
    pass


class _Builder:
    def __init__(self, path: Path, problems: Diagnostics):
        self.path = path
        self.problems = problems
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def where(self, mark: yaml.Mark) -> Location:
        return Location(self.path, mark.line + 1, mark.column + 1)

    def build(self, node: yaml.Node) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge
        where = self.where(node.start_mark)
        if node.tag not in _STANDARD_TAGS:
            self.problems.error(
                where,
                f"YAML-merkelappen '{node.tag}' er ikke tillatt",
                "fjern merkelappen; bare vanlig tekst, tall, lister og oppslag brukes",
            )
            return Node(None, where)
        if isinstance(node, yaml.MappingNode):
            return Node(self._mapping(node), where)
        if isinstance(node, yaml.SequenceNode):
            return Node([self.build(item) for item in node.value], where)
        try:
            return Node(self.constructor.construct_object(node, deep=True), where)
        except (yaml.constructor.ConstructorError, ValueError):
            # e.g. 2019-13-01 looks like a date but is none: keep the text and
            # let the reader that expects a date say what is wrong with it
            return Node(node.value, where)

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Node]:
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = self.build(key_node)
            if not isinstance(key.value, str):
                name = "" if key.value is None else str(key.value)
                key = Node(name, key.location)
            if key.value in result:
                first = result[key.value].location.line
                self.problems.error(
                    key.location,
                    f"nøkkelen '{key.value}' står to ganger i samme oppslag (første gang på linje {first})",
                    "slå dem sammen eller fjern den ene",
                )
                continue
            value = self.build(value_node)
            value.key_location = key.location
            result[key.value] = value
        return result


def load_yaml(path: Path, problems: Diagnostics) -> Node | None:
    """Read one YAML file; problems go to ``problems`` and None comes back."""
    text = read_text(path, problems)
    if text is None:
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        problems.error(where, _syntax_message(exc, text, mark), _syntax_hint(exc))
        return None
    except yaml.YAMLError as exc:
        problems.error(Location(path), f"YAML-feil: {exc}")
        return None
    if root is None:
        problems.error(Location(path, 1, 1), "filen er tom")
        return None
    builder = _Builder(path, problems)
    try:
        return builder.build(root)
    except _TooLarge:
        problems.error(
            Location(path, 1, 1),
            f"filen blir for stor når ankere og aliaser (&/*) foldes ut (over {MAX_NODES:,} verdier)".replace(",", " "),
            "bruk ikke aliaser som viser til hverandre i mange lag",
        )
        return None


def read_text(path: Path, problems: Diagnostics) -> str | None:
    """Read a UTF-8 text file, reporting a missing file or a bad byte."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.error(Location(path), "filen finnes ikke")
        return None
    except IsADirectoryError:
        problems.error(Location(path), "dette er en mappe, ikke en fil")
        return None
    except OSError as exc:
        problems.error(Location(path), f"filen kan ikke leses: {exc.strerror}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(
            Location(path, line, column),
            f"filen er ikke UTF-8: byte 0x{data[exc.start]:02X} ved byte-posisjon {exc.start}",
            "lagre filen som UTF-8 i redigeringsprogrammet",
        )
        return None
    return text.removeprefix("\ufeff")


def _syntax_message(exc: yaml.MarkedYAMLError, text: str, mark: yaml.Mark | None) -> str:
    problem = exc.problem or "ukjent feil"
    if "\t" in problem or "found character '\\t'" in problem:
        return "tabulator brukt til innrykk eller i en verdi uten anførselstegn"
    return f"YAML-syntaksfeil: {problem}" + (f" ({exc.context})" if exc.context else "")


def _syntax_hint(exc: yaml.MarkedYAMLError) -> str | None:
    problem = exc.problem or ""
    if "\\t" in problem or "tab" in problem:
        return "bruk mellomrom, ikke tabulator, til innrykk"
    if "found unexpected end of stream" in problem or "while scanning a quoted scalar" in (exc.context or ""):
        return "et anførselstegn er åpnet, men ikke lukket"
    if "mapping values are not allowed" in problem:
        return "sjekk innrykket og at verdier med kolon står i anførselstegn"
    if "expected <block end>" in problem:
        return "sjekk at innrykket er likt for linjer på samme nivå"
    return None
