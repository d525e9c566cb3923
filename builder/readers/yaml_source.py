"""Safe YAML loading that remembers where every key and value stands.

PyYAML's composer gives nodes with positions; we turn them into plain dicts,
lists and scalars wrapped so that validation can name the line of any value.
Only YAML's standard tags are accepted, duplicate keys are errors, and an
alias bomb is measured on the composed graph, before anything is expanded.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import Diagnostics, Location
from builder.readers.files import NotReadable, read_bytes
from builder.readers.text_checks import check_text, normalize

# An edition of 20,000 agreements is about 200,000 values; aliases that
# expand far beyond that are an attack or a mistake, never real content.
MAX_NODES = 1_000_000

_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
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


class Node:
    """A value from the file and where it stands."""

    __slots__ = ("value", "rejected", "_location", "_key_location")

    def __init__(
        self, value: Any, location: Location, key_location: Location | None = None, rejected: bool = False
    ) -> None:
        self.value = value  # dict[str, Node] | list[Node] | scalar
        self.rejected = rejected  # already reported (e.g. a forbidden tag): checks stay silent about it
        self._location = location
        self._key_location = key_location  # where its key stands, inside a mapping

    @property
    def location(self) -> Location:
        return self._location

    @property
    def key_location(self) -> Location | None:
        return self._key_location

    @property
    def line(self) -> int | None:
        return self.location.line


class _ParsedNode(Node):
    """A node straight from the parser. A large register has some 60,000 of
    them and a diagnostic needs few, so each keeps the parser's marks and
    makes its Location only when asked (half the time of reading them)."""

    __slots__ = ("_path", "_mark", "_key_mark")

    def __init__(self, value: Any, path: Path, mark: yaml.Mark, rejected: bool = False) -> None:
        self.value = value
        self.rejected = rejected
        self._path = path
        self._mark = mark
        self._key_mark: yaml.Mark | None = None

    @property
    def location(self) -> Location:
        return Location(self._path, self._mark.line + 1, self._mark.column + 1)

    @property
    def key_location(self) -> Location | None:
        mark = self._key_mark
        return None if mark is None else Location(self._path, mark.line + 1, mark.column + 1)

    @property
    def line(self) -> int:
        return self._mark.line + 1


class _Builder:
    def __init__(self, path: Path, problems: Diagnostics):
        self.path = path
        self.problems = problems
        self.constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node) -> _ParsedNode:
        if type(node) is yaml.ScalarNode and node.tag == _STR_TAG and not node.style:
            # most values are plain text: the shortest way for them (what _scalar does)
            return _ParsedNode(normalize(node.value), self.path, node.start_mark)
        if node.tag not in _STANDARD_TAGS:
            mark = node.start_mark
            self.problems.error(
                Location(self.path, mark.line + 1, mark.column + 1),
                f"YAML-merkelappen '{node.tag}' er ikke tillatt",
                "fjern merkelappen; bare vanlig tekst, tall, lister og oppslag brukes",
            )
            return _ParsedNode(None, self.path, mark, rejected=True)
        if type(node) is yaml.ScalarNode:
            value = self._scalar(node)
        elif type(node) is yaml.MappingNode:
            value = self._mapping(node)
        else:
            value = [self.build(item) for item in node.value]
        return _ParsedNode(value, self.path, node.start_mark)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            value = node.value  # what the constructor would return, without its bookkeeping per node
        else:
            try:
                value = self.constructor.construct_object(node, deep=True)
            except (yaml.constructor.ConstructorError, ValueError):
                # e.g. 2019-13-01 looks like a date but is none: keep the text and
                # let the reader that expects a date say what is wrong with it
                return node.value
        if isinstance(value, str):
            if node.style in ("|", ">"):
                # a block scalar ends with a line break the editor never meant as text
                value = value.rstrip("\n")
            value = normalize(value)
        return value

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Node]:
        result: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if type(key_node) is yaml.ScalarNode and key_node.tag == _STR_TAG and not key_node.style:
                name = normalize(key_node.value)  # nearly every key: plain text, which needs no node of its own
            else:
                name = self.build(key_node).value
                if not isinstance(name, str):
                    name = "" if name is None else str(name)
            if name in result:
                first = result[name].key_location or result[name].location
                mark = key_node.start_mark
                self.problems.error(
                    Location(self.path, mark.line + 1, mark.column + 1),
                    f"nøkkelen '{name}' står to ganger i samme oppslag (første gang på linje {first.line})",
                    "slå dem sammen eller fjern den ene",
                )
                continue
            value = self.build(value_node)
            value._key_mark = key_node.start_mark
            result[name] = value
        return result


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an edition is read and checked.

    A large register becomes some 100,000 objects that live to the end of the
    build and hold no reference cycles; the collector would walk them over and
    over while they are being made (a third of reading 5,000 agreements).
    Reference counting still frees everything else at once, and the previous
    state is restored on leaving, so the pauses can nest.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_yaml(path: Path, problems: Diagnostics, within: Path | None = None) -> Node | None:
    """Read one YAML file (inside ``within``, if given: see read_text);
    problems go to ``problems`` and None comes back."""
    text = read_text(path, problems, within)
    if text is None:
        return None
    if not check_text(text, Location(path, 1, 1), problems, multiline=True):
        return None  # the parser would stop at the first one; all are reported above
    with cycle_collector_paused():
        return _load(text, path, problems)


def _load(text: str, path: Path, problems: Diagnostics) -> Node | None:
    try:
        root = compose(text)
    except yaml.MarkedYAMLError as exc:
        for location, message, hint in _syntax_errors(exc, text, path):
            problems.error(location, message, hint)
        return None
    except yaml.YAMLError as exc:
        problems.error(Location(path), f"YAML-feil: {exc}")
        return None
    except RecursionError:
        problems.error(Location(path), "filen har for mange nivåer inne i hverandre", "bruk færre nivåer av [ ] og { }")
        return None
    if root is None:
        problems.error(Location(path, 1, 1), "filen er tom")
        return None
    # only an anchor (&name) lets a node stand in two places; without one the
    # graph is a tree no larger than the file
    size = _expanded_size(root) if "&" in text else 0
    if size is None:
        problems.error(
            Location(path, root.start_mark.line + 1, root.start_mark.column + 1),
            f"filen blir for stor når ankere og aliaser (&/*) foldes ut (over {MAX_NODES:,} verdier)".replace(",", " "),
            "bruk ikke aliaser som viser til hverandre i mange lag, eller til seg selv",
        )
        return None
    return _Builder(path, problems).build(root)


class _FastResolver:
    """The tag resolution libyaml's composer calls back into Python for every
    node, made cheaper (a fifth of composing a large register). The safe
    loader has no path resolvers and no wildcard ones, so a tag depends only
    on the node's kind and, for a plain scalar, on the implicit resolvers for
    its first character: the same answer as Resolver.resolve.

    A register repeats its keys, members and forms thousands of times, so a
    plain scalar's tag is worked out once and remembered. The tag depends on
    the text alone, so the memory is the class's (an instance's attribute is
    slower to reach here) and loaders in several threads may share it;
    :func:`compose` empties it for each file, so it holds no more than one."""

    yaml_implicit_resolvers: dict
    _plain_tags: dict[str, str] = {}

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                tag = self._plain_tags.get(value)
                if tag is None:
                    tag = self._plain_tags[value] = self._plain_tag(value)
                return tag
            return _STR_TAG
        return _MAP_TAG if kind is yaml.MappingNode else _SEQ_TAG

    def _plain_tag(self, value: str) -> str:
        for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
            if regexp.match(value):
                return tag
        return _STR_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # only path resolvers need the path

    def ascend_resolver(self) -> None:
        pass


_CLoader = type("_CLoader", (_FastResolver, yaml.CSafeLoader), {}) if hasattr(yaml, "CSafeLoader") else None


def compose(text: str) -> yaml.Node | None:
    """The node graph, by libyaml where PyYAML has it (four times faster on a
    large register); a file it refuses is parsed again in Python, whose
    messages the syntax hints are written for. libyaml takes a tab where the
    Python parser refuses one, so a file with a tab is left to the latter and
    both accept the same files."""
    if _CLoader is not None and "\t" not in text:
        _FastResolver._plain_tags.clear()
        try:
            return yaml.compose(text, Loader=_CLoader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _expanded_size(root: yaml.Node) -> int | None:
    """How many values the document has once every alias is expanded, or None
    when that is over MAX_NODES or infinite (an alias inside its own anchor).

    An alias is the same node object as its anchor, so sizes are memoised by
    identity: a billion-laughs file costs as many steps as it has lines.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in sizes:
            continue
        children = _children(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in children)
            if sizes[key] > MAX_NODES:
                return None
            continue
        if key in open_nodes:
            return None  # a cycle: the node contains itself
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def read_text(path: Path, problems: Diagnostics, within: Path | None = None) -> str | None:
    """Read a UTF-8 text file, reporting a missing file or a bad byte, and
    anything :func:`builder.readers.files.read_bytes` refuses: a file that is
    not a regular one, too large, or (with ``within``) a link out of that folder."""
    try:
        data = read_bytes(path, within)
    except NotReadable as refusal:
        problems.error(Location(path), refusal.message, refusal.hint)
        return None
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
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        problems.error(
            Location(path, line, column),
            f"filen er ikke UTF-8: byte 0x{data[exc.start]:02X} ved byte-posisjon {exc.start}",
            "lagre filen som UTF-8; den er trolig lagret som Latin-1 eller Windows-1252",
        )
        return None
    return text.removeprefix("\ufeff")


def text_as_read(path: Path, within: Path | None = None) -> str | None:
    """A file's text as the readers saw it (no byte order mark, NFC), for
    finding a place in it again; None where it cannot be read (the reading
    of the edition has said why)."""
    text = read_text(path, Diagnostics(), within)
    return None if text is None else normalize(text)


# PyYAML's problem texts, the ones editors meet, in words an editor knows.
_PROBLEMS = (
    ("that cannot start any token", "'\\t'", "tabulator der YAML krever mellomrom",
     "bruk mellomrom, ikke tabulator"),
    ("mapping values are not allowed here", "", "kolon på et sted der det ikke kan stå",
     "sjekk innrykket, og sett verdier som inneholder ': ' i anførselstegn"),
    ("expected <block end>", "", "innrykket passer ikke med linjene over",
     "linjer på samme nivå skal ha like mange mellomrom foran"),
    ("could not find expected ':'", "", "mangler ':' etter en nøkkel", "skriv nøkkel: verdi"),
    ("found undefined alias", "", "aliaset (*) viser til et anker (&) som ikke finnes", None),
    ("found unknown escape character", "", "ukjent tegn etter \\ i tekst i anførselstegn",
     "skriv \\\\ for en omvendt skråstrek, eller bruk enkle anførselstegn"),
    ("expected ',' or ']'", "", "en liste som er åpnet med [ lukkes ikke", "avslutt listen med ]"),
    ("expected ',' or '}'", "", "et oppslag som er åpnet med { lukkes ikke", "avslutt med }"),
    ("expected a single document", "", "filen har flere dokumenter (---)", "fjern den ekstra linjen med ---"),
    ("that cannot start any token", "", "en verdi kan ikke begynne med dette tegnet",
     "sett verdien i anførselstegn"),
)  # fmt: skip


_CLOSE_QUOTE = "sett et anførselstegn i slutten av verdien"
MORE_MAY_FOLLOW = "det kan komme flere feil når denne er rettet"
_ITEM = re.compile(r"( *)- ")


def _syntax_errors(first: yaml.MarkedYAMLError, text: str, path: Path) -> list[tuple[Location, str, str | None]]:
    """Every syntax error the parser can find, where it can go on past one.

    The parser stops at its first error. The file's top-level list items (in
    agreements.yaml, the categories) are parsed again one by one, each on its
    own lines, so that an error in each item after the first one's is found
    too. Within an item, nothing after its error is read: where lines follow
    it, the hint says more errors may come once it is mended."""
    lines = text.split("\n")
    starts = _item_starts(lines)
    bounds = list(zip(starts, [*starts[1:], len(lines)], strict=True)) if starts else [(0, len(lines))]
    found: list[tuple[Location, str, str | None]] = []

    def add(exc: yaml.MarkedYAMLError, source: str, end: int) -> None:
        location, message, hint = _syntax_error(exc, source, path)
        mark = exc.problem_mark or exc.context_mark
        stopped = mark.line if mark else end
        if any(line.strip() and not line.lstrip().startswith("#") for line in lines[stopped + 1 : end]):
            hint = f"{hint}; {MORE_MAY_FOLLOW}" if hint else MORE_MAY_FOLLOW
        found.append((location, message, hint))

    mark = first.problem_mark or first.context_mark
    stopped_at = mark.line if mark else len(lines)
    before = [(start, end) for start, end in bounds if start <= stopped_at]
    add(first, text, before[-1][1] if before and starts else len(lines))
    for start, end in bounds:
        if start <= stopped_at or not starts:
            continue
        item = "\n" * start + "\n".join(lines[start:end])  # on its own lines: the places stay right
        try:
            compose(item)
        except yaml.composer.ComposerError:
            pass  # an alias to an anchor in another item, say: no error in the whole file
        except yaml.MarkedYAMLError as exc:
            add(exc, item, end)
        except (yaml.YAMLError, RecursionError):
            pass  # the file's first error is reported; this item is read again once that is mended
    return found


def _item_starts(lines: list[str]) -> list[int]:
    """The lines where the file's outermost list's items start: the list
    items at the indent of the first one (comments and deeper items aside)."""
    indent = None
    starts = []
    for number, line in enumerate(lines):
        match = _ITEM.match(line)
        if match is None:
            continue
        if indent is None:
            indent = len(match.group(1))
        if len(match.group(1)) == indent:
            starts.append(number)
    return starts if len(starts) > 1 else []


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: Path) -> tuple[Location, str, str | None]:
    """Where a YAML syntax error is, in the editor's terms, and what to do."""
    problem = exc.problem or ""

    def at(mark: yaml.Mark) -> Location:
        return Location(path, mark.line + 1, mark.column + 1)

    if exc.context in ("while scanning a quoted scalar", "while scanning a double-quoted scalar") and exc.context_mark:
        return at(exc.context_mark), "anførselstegnet som åpnes her, lukkes aldri", _CLOSE_QUOTE
    mark = exc.problem_mark or exc.context_mark
    quote = _unclosed_quote(text, mark)
    if quote is not None:
        return (
            at(quote),
            "anførselstegnet som åpnes her, lukkes ikke på samme linje",
            _CLOSE_QUOTE + (f"; YAML stoppet først på linje {mark.line + 1}" if mark else ""),
        )
    where = at(mark) if mark else Location(path)
    for fragment, detail, message, hint in _PROBLEMS:
        if fragment in problem and detail in problem:
            return where, message, hint
    return where, f"YAML-syntaksfeil: {problem or exc}" + (f" ({exc.context})" if exc.context else ""), None


def _unclosed_quote(text: str, error: yaml.Mark | None) -> yaml.Mark | None:
    """The opening of a quoted value that runs over several lines to the error.

    Quoted text may legally span lines, so YAML reports a missing closing
    quote far below it, where the next quote happens to stand; an editor
    needs the line where the quote was opened.
    """
    if error is None:
        return None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line > error.line:
                break
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            if quoted and token.end_mark.line > token.start_mark.line:
                return token.start_mark
    except yaml.YAMLError:
        pass
    return None
