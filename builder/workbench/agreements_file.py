"""Edits the text of ``agreements.yaml`` the way a careful person would.

A form saves one agreement (or adds, removes or moves one, or a category);
this module turns that into a change of exactly the lines concerned. Every
other byte of the file stays as the editor wrote it: comments, blank lines,
quoting, key order, line endings (CRLF stays CRLF), a byte order mark, a
missing final line break. A key whose value did not change keeps its line
as it was, with its quotes and its comment; new agreements are written in
the style of the file around them.

Where things stand comes from PyYAML's node marks on the project's own safe
composition (:func:`builder.readers.yaml_source.compose`), never from
guessing at lines, so multi-line values (``|``/``>`` blocks, folded plain
text, quoted text over several lines) are spans like any other.

An agreement's *block* is its lines: from its ``-`` to the end of its last
value, with the comment lines written directly above it (no blank line
between, indented at least as far as its ``-``) and those directly below it
that are indented further than its ``-`` (a commented-out key). Other blank
lines and comments between agreements belong to no agreement and stay where
they are.

An agreement is named by a :class:`Ref`: its place and the exact text of its
block when the form was opened. Each edit first finds that block in the text
it is given (:func:`locate`): at its place, or anywhere else when it is there
once. So a save merges with changes made outside (another program, another
tab) to other lines, and is refused with :class:`Conflict` when the
agreement's own lines changed: an edit made outside is never overwritten.

Every function takes the file's whole text and returns the new text; none
reads or writes a file. The reader (``builder.readers.edition``) still has
the last word on whether the result is a valid edition: this module checks
the shape it edits, not the content.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from builder.norwegian import parse_date
from builder.readers.edition import AGREEMENTS_FILE, ALL_MEMBERS
from builder.readers.text_checks import normalize
from builder.readers.yaml_source import compose

# The order keys are written in, as in content/agreements.yaml and the
# import's files; a key added to an agreement goes after the key before it here.
KEY_ORDER = (
    "name", "previous_name", "id", "part_of", "form", "members", "partners", "host", "status", "since", "comment",
)  # fmt: skip
_LIST_KEYS = ("members", "partners")

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ONE_LINE = 2**31 - 1  # no line is folded (the largest width libyaml takes)
_YEAR = re.compile(r"[1-9][0-9]{3}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# line breaks for YAML that are none for a line count; the reader refuses them too
_OTHER_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


class EditError(Exception):
    """Why the file cannot be edited from a form, in Norwegian, and on which line (1-based)."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message, line)
        self.message, self.line = message, line

    def __str__(self) -> str:
        return self.message if self.line is None else f"linje {self.line}: {self.message}"


class Conflict(EditError):
    """The agreement's or category's own lines changed in the file since the
    form was opened (or it is gone); the save must not overwrite that."""


@dataclass(frozen=True)
class AgreementFields:
    """An agreement as the form shows it. ``None``, ``""`` and ``()`` mean the key is absent.

    ``members`` is a tuple of names or the text ``"all"``; ``since`` is as the
    editor typed it: a year ("2019") is written as a number, an ISO date
    ("2019-03-01") as a date, anything else as text (the reader reads
    Norwegian dates too, and says what is wrong with the rest).
    """

    name: str
    form: str | None = None
    members: tuple[str, ...] | str = ()
    host: str | None = None
    partners: tuple[str, ...] = ()
    status: str | None = None
    since: str | None = None
    part_of: str | None = None
    previous_name: str | None = None  # the name it had last year, for one without an id that was renamed
    comment: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Ref:
    """An agreement as a form saw it: its place and the exact text of its block."""

    category: int
    index: int
    text: str


@dataclass(frozen=True)
class CategoryRef:
    """A category as a form saw it: its place and its name."""

    index: int
    name: str


@dataclass(frozen=True)
class AgreementEntry:
    category: int  # index of its category
    index: int  # index within the category
    lines: tuple[int, int]  # first and last line of its block, 1-based, inclusive
    text: str  # its block, exactly, line breaks included
    fields: AgreementFields  # as the reader would read them (text in NFC, a block's final line break dropped)
    # keys written in a shape the reader does not take (a number as a name, one
    # partner without [ ]): rewritten on save even when the form did not change them
    unusual: frozenset[str] = frozenset()
    start: int = field(default=0, repr=False)  # offsets of the block in the text without its BOM
    end: int = field(default=0, repr=False)
    dash_column: int = field(default=0, repr=False)
    key_column: int = field(default=0, repr=False)

    @property
    def ref(self) -> Ref:
        return Ref(self.category, self.index, self.text)


@dataclass(frozen=True)
class CategoryEntry:
    index: int
    name: str
    lines: tuple[int, int]  # its block: its '-' line to its last agreement's, 1-based, inclusive
    agreements: tuple[AgreementEntry, ...]
    start: int = field(default=0, repr=False)
    end: int = field(default=0, repr=False)
    name_span: tuple[int, int] = field(default=(0, 0), repr=False)  # the name's value
    after_colon: int = field(default=0, repr=False)  # just after 'agreements:'
    empty_value: tuple[int, int] | None = field(default=None, repr=False)  # '[]' or nothing, with no agreements
    key_column: int = field(default=0, repr=False)

    @property
    def ref(self) -> CategoryRef:
        return CategoryRef(self.index, self.name)


@dataclass(frozen=True)
class Style:
    """How the file is written, for what is added to it."""

    newline: str = "\n"
    quote: str = '"'  # the quote the file uses most for text that needs one
    block_lists: bool = False  # lists one item per line ('- x') rather than [x, y]
    list_indent: int = 2  # a block list's '-' to the right of its key
    category_dash: int = 2  # the column of a category's '-'
    category_key: int = 4  # the column of a category's keys
    agreement_dash: int = 2  # an agreement's '-' to the right of its category's keys
    agreement_key: int = 2  # an agreement's keys to the right of its '-'


@dataclass(frozen=True)
class Register:
    categories: tuple[CategoryEntry, ...]
    style: Style
    after_key: int = field(default=0, repr=False)  # just after the 'categories:' line

    def agreements(self) -> list[AgreementEntry]:
        return [entry for category in self.categories for entry in category.agreements]


# --- reading -----------------------------------------------------------------


def parse(text: str) -> Register:
    """The categories and agreements of the file and where each stands;
    EditError when the file is not laid out in a way the forms can edit."""
    return _parse(_Text.of(text).body)


def locate(text: str, ref: Ref) -> Ref | None:
    """Where the agreement ``ref`` stands in ``text``: its block, unchanged, at
    its place or else once anywhere; None when its lines changed or it is gone."""
    entry = _located(_parse(_Text.of(text).body), ref)
    return None if entry is None else entry.ref


def current_version(text: str, ref: Ref) -> AgreementEntry | None:
    """The agreement ``ref`` as ``text`` has it now, to show beside the form's
    version when a save is refused: found by its id, else by its name (in its
    own category first), else at its place."""
    register = _parse(_Text.of(text).body)
    if (entry := _located(register, ref)) is not None:
        return entry
    before, _ = _read_fields(_block_node(ref.text), ref.text)
    entries = register.agreements()
    if before.id:
        with_id = [e for e in entries if e.fields.id == before.id]
        if len(with_id) == 1:
            return with_id[0]
    named = [e for e in entries if e.fields.name == before.name]
    own = [e for e in named if e.category == ref.category]
    if own or named:
        return (own or named)[0]
    if ref.category < len(register.categories) and ref.index < len(register.categories[ref.category].agreements):
        return register.categories[ref.category].agreements[ref.index]
    return None


def locate_category(text: str, ref: CategoryRef) -> CategoryRef | None:
    """Where the category ``ref`` stands in ``text``: at its place with its name,
    or else the one category with that name; None when there is none."""
    category = _located_category(_parse(_Text.of(text).body), ref)
    return None if category is None else category.ref


# --- editing agreements --------------------------------------------------------


def replace_agreement(text: str, ref: Ref, fields: AgreementFields) -> str:
    """``text`` with the agreement ``ref`` saved as ``fields``: a key that kept
    its value keeps its lines byte for byte, a changed one is written in place
    (its end-of-line comment stays), a removed one loses its lines, a new one
    goes after the key before it in KEY_ORDER. Keys the form does not know stay."""
    _check_fields(fields)

    def edits(body: str, register: Register) -> list[_Edit]:
        return _field_edits(body, _found(register, ref), fields, register.style)

    return _edited(text, edits)


def insert_agreement(text: str, category: CategoryRef, position: int, fields: AgreementFields) -> str:
    """``text`` with a new agreement at ``position`` (0 = first) in ``category``,
    written in the style of the agreements around it."""
    _check_fields(fields)

    def edits(body: str, register: Register) -> list[_Edit]:
        target = _found_category(register, category)
        _check_position(position, len(target.agreements))
        dash, key = _agreement_columns(target, register.style)
        block = _agreement_text(fields, dash, key, register.style)
        return _placed(body, target, list(target.agreements), position, block)

    return _edited(text, edits)


def remove_agreement(text: str, ref: Ref) -> str:
    """``text`` without the agreement ``ref``. A category left with no agreements
    gets ``agreements: []``, which the reader refuses until it has one again
    or is removed (see :func:`remove_category`)."""

    def edits(body: str, register: Register) -> list[_Edit]:
        entry = _found(register, ref)
        return [_Edit(entry.start, entry.end, ""), *_emptied(register.categories[entry.category], entry)]

    return _edited(text, edits)


def move_agreement(text: str, ref: Ref, to: CategoryRef, position: int) -> str:
    """``text`` with the agreement ``ref`` moved to ``position`` in category ``to``
    (its index there once moved; the same category moves it up or down). Its
    block moves as it is, indented anew if the target's agreements stand elsewhere."""

    def edits(body: str, register: Register) -> list[_Edit]:
        entry = _found(register, ref)
        target = _found_category(register, to)
        others = [e for e in target.agreements if e is not entry]
        _check_position(position, len(others))
        if not others and target.index == entry.category:
            return []  # its category's only agreement, moved within it
        dash, _ = _agreement_columns(target, register.style, leaving=entry)
        block = _reindented(entry.text, dash - entry.dash_column, entry.lines[0])
        source = register.categories[entry.category]
        return [
            _Edit(entry.start, entry.end, ""),
            *_emptied(source, entry),
            *_placed(body, target, others, position, block),
        ]

    return _edited(text, edits)


# --- editing categories ----------------------------------------------------------


def add_category(text: str, name: str, position: int) -> str:
    """``text`` with a new category ``name`` at ``position`` (0 = first), with
    ``agreements: []``. The reader refuses a category without agreements, so
    give it one (:func:`insert_agreement`) before the file is saved."""
    _check_name(name, "kategorien")

    def edits(body: str, register: Register) -> list[_Edit]:
        categories = register.categories
        _check_position(position, len(categories))
        _check_unique(name, categories)
        style = register.style
        block = (
            f"{' ' * style.category_dash}-{' ' * (style.category_key - style.category_dash - 1)}"
            f"name: {scalar(name, quote=style.quote)}{style.newline}"
            f"{' ' * style.category_key}agreements: []{style.newline}"
        )
        at = categories[position].start if position < len(categories) else categories[-1].end
        return [_Edit(at, at, block)]

    return _edited(text, edits)


def rename_category(text: str, ref: CategoryRef, name: str) -> str:
    _check_name(name, "kategorien")

    def edits(body: str, register: Register) -> list[_Edit]:
        category = _found_category(register, ref)
        _check_unique(name, [c for c in register.categories if c is not category])
        start, end = category.name_span
        return [_Edit(start, end, scalar(name, quote=register.style.quote))]

    return _edited(text, edits)


def move_category(text: str, ref: CategoryRef, position: int) -> str:
    """``text`` with the category ``ref`` and its agreements at ``position``
    (its index once moved)."""

    def edits(body: str, register: Register) -> list[_Edit]:
        category = _found_category(register, ref)
        others = [c for c in register.categories if c is not category]
        _check_position(position, len(others))
        at = others[position].start if position < len(others) else others[-1].end
        return [_Edit(category.start, category.end, ""), _Edit(at, at, body[category.start : category.end])]

    return _edited(text, edits)


def remove_category(text: str, ref: CategoryRef) -> str:
    """``text`` without the category ``ref``, which must have no agreements left."""

    def edits(body: str, register: Register) -> list[_Edit]:
        category = _found_category(register, ref)
        if category.agreements:
            raise EditError(
                f"kategorien '{category.name}' har {len(category.agreements)} samarbeid;"
                " flytt eller fjern dem før kategorien fjernes",
                category.lines[0],
            )
        if len(register.categories) == 1:
            raise EditError("den eneste kategorien kan ikke fjernes; legg til en ny først", category.lines[0])
        return [_Edit(category.start, category.end, "")]

    return _edited(text, edits)


# --- writing values ------------------------------------------------------------


def scalar(value: str, *, flow: bool = False, quote: str = '"') -> str:
    """``value`` as a YAML scalar on one line that reads back as exactly this
    text: plain where YAML reads plain text as this text (``§ 28 – 1B``),
    quoted where it would not (``yes``, ``2019``, ``a: b``, ``# x``, spaces at
    an end, a line break). ``flow`` is for an item in ``[ ]``, where commas
    and brackets need quotes too. ``quote`` is the file's quote of choice;
    text that single quotes cannot carry on one line gets double quotes."""
    if value and "\n" not in value and "\r" not in value:
        dumped = _dump([value] if flow else value)
        if dumped in ((f"[{value}]\n",) if flow else (f"{value}\n", f"{value}\n...\n")):
            return value
    if quote == "'" and value.isprintable():
        single = _dump(value, "'").removesuffix("\n")
        if "\n" not in single:
            return single
    return _dump(value, '"').removesuffix("\n")


def _dump(value: str | list[str], style: str | None = None) -> str:
    return yaml.dump(
        value, Dumper=_DUMPER, allow_unicode=True, width=_ONE_LINE, default_flow_style=True, default_style=style
    )


def _rendered(key: str, value: str | tuple[str, ...], style: Style) -> str:
    """The value of ``key`` on one line, checked to read back as ``value``."""
    if isinstance(value, tuple):
        text = "[" + ", ".join(scalar(item, flow=True, quote=style.quote) for item in value) + "]"
        expected: object = list(value)
    elif key == "members" and value == ALL_MEMBERS:
        text, expected = value, value
    elif key == "since" and _YEAR.fullmatch(value):
        text, expected = value, int(value)
    elif key == "since" and _DATE.fullmatch(value) and (day := parse_date(value)) is not None:
        text, expected = value, day
    else:
        text, expected = scalar(value, quote=style.quote), value
    _check_reads_back(f"{key}: {text}", key, expected)
    return text


def _block_list(key: str, items: tuple[str, ...], indent: int, style: Style) -> str:
    """A block list's lines, the first without its indentation (it follows the key)."""
    text = (style.newline + " " * indent).join("- " + scalar(item, quote=style.quote) for item in items)
    _check_reads_back(f"{key}:\n{' ' * indent}{text}", key, list(items))
    return text


def _check_reads_back(document: str, key: str, expected: object) -> None:
    read = yaml.load(document, Loader=_LOADER)
    if read != {key: expected} or type(read[key]) is not type(expected):
        raise RuntimeError(f"{document!r} reads back as {read!r}, not {expected!r}")  # a bug of ours


def _agreement_text(fields: AgreementFields, dash: int, key: int, style: Style) -> str:
    lines = []
    for name in KEY_ORDER:
        value = _value(fields, name)
        if value is None:
            continue
        if isinstance(value, tuple) and style.block_lists:
            indent = key + style.list_indent
            lines.append(f"{name}:{style.newline}{' ' * indent}{_block_list(name, value, indent, style)}")
        else:
            lines.append(f"{name}: {_rendered(name, value, style)}")
    first = f"{' ' * dash}-{' ' * (key - dash - 1)}{lines[0]}"
    return style.newline.join([first, *(" " * key + line for line in lines[1:])]) + style.newline


def _value(fields: AgreementFields, key: str) -> str | tuple[str, ...] | None:
    value = getattr(fields, key)
    return None if value in (None, "", ()) else value


def _check_fields(fields: AgreementFields) -> None:
    _check_name(fields.name, "samarbeidet")
    for key in KEY_ORDER:
        value = getattr(fields, key)
        if key in _LIST_KEYS:
            ok = value is None or value == ALL_MEMBERS and key == "members"
            ok = ok or (isinstance(value, tuple) and all(isinstance(v, str) and v for v in value))
        else:
            ok = value is None or isinstance(value, str)
        if not ok:
            raise TypeError(f"AgreementFields.{key} is {value!r}")


def _check_name(name: str, what: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise EditError(f"{what} må ha et navn")


def _check_unique(name: str, categories: list[CategoryEntry] | tuple[CategoryEntry, ...]) -> None:
    if any(c.name == normalize(name) for c in categories):
        raise EditError(f"det finnes alt en kategori med navnet '{name}'")


def _check_position(position: int, count: int) -> None:
    if not 0 <= position <= count:
        raise ValueError(f"position {position} is outside 0..{count}")


# --- the edits behind the functions above ---------------------------------------


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    new: str


@dataclass(frozen=True)
class _Text:
    """A file's text as it is parsed: without its BOM and always ending with
    a line break; :meth:`restored` puts both back as they were."""

    bom: str
    body: str
    final_break: bool

    @classmethod
    def of(cls, text: str) -> _Text:
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        body = text[len(bom) :]
        final = not body or body.endswith("\n")
        return cls(bom, body if final else body + _newline(body), final)

    def restored(self, body: str) -> str:
        if not self.final_break:
            body = body[:-2] if body.endswith("\r\n") else body.removesuffix("\n")
        return self.bom + body


def _newline(body: str) -> str:
    first = body.find("\n")
    return "\r\n" if first > 0 and body[first - 1] == "\r" else "\n"


def _edited(text: str, make: Callable[[str, Register], list[_Edit]]) -> str:
    source = _Text.of(text)
    body = source.body
    edits = sorted(make(body, _parse(body)), key=lambda e: (e.start, e.end), reverse=True)
    pieces, position = [], len(body)
    for edit in edits:
        if edit.end > position:
            raise RuntimeError(f"overlapping edits: {edits}")  # a bug of ours
        pieces += [body[edit.end : position], edit.new]
        position = edit.start
    pieces.append(body[:position])
    return source.restored("".join(reversed(pieces)))


def _located(register: Register, ref: Ref) -> AgreementEntry | None:
    categories = register.categories
    if ref.category < len(categories) and ref.index < len(categories[ref.category].agreements):
        entry = categories[ref.category].agreements[ref.index]
        if entry.text == ref.text:
            return entry
    same = [entry for entry in register.agreements() if entry.text == ref.text]
    return same[0] if len(same) == 1 else None


def _found(register: Register, ref: Ref) -> AgreementEntry:
    entry = _located(register, ref)
    if entry is None:
        raise Conflict("samarbeidet er endret eller fjernet i filen etter at skjemaet ble åpnet")
    return entry


def _located_category(register: Register, ref: CategoryRef) -> CategoryEntry | None:
    categories = register.categories
    if ref.index < len(categories) and categories[ref.index].name == ref.name:
        return categories[ref.index]
    named = [c for c in categories if c.name == ref.name]
    return named[0] if len(named) == 1 else None


def _found_category(register: Register, ref: CategoryRef) -> CategoryEntry:
    category = _located_category(register, ref)
    if category is None:
        raise Conflict(f"kategorien '{ref.name}' er endret eller fjernet i filen etter at skjemaet ble åpnet")
    return category


def _agreement_columns(category: CategoryEntry, style: Style, leaving: AgreementEntry | None = None) -> tuple[int, int]:
    """The columns of the '-' and the keys of an agreement in ``category``: as
    its agreements have them (other than ``leaving``), else as elsewhere in the file."""
    example = next((e for e in category.agreements if e is not leaving), None)
    if example is not None:
        return example.dash_column, example.key_column
    dash = category.key_column + style.agreement_dash
    return dash, dash + style.agreement_key


def _placed(body: str, category: CategoryEntry, others: list[AgreementEntry], position: int, block: str) -> list[_Edit]:
    """Edits that put ``block`` at ``position`` among ``others``, the agreements
    of ``category`` that stay."""
    if others:
        at = others[position].start if position < len(others) else others[-1].end
        return [_Edit(at, at, block)]
    edits = []
    if category.empty_value is not None:
        start, end = category.empty_value
        edits.append(_Edit(start, end, ""))  # 'agreements: []' becomes 'agreements:' with the block under it
    after = _line_end(body, category.after_colon)
    return [*edits, _Edit(after, after, block)]


def _emptied(category: CategoryEntry, leaving: AgreementEntry) -> list[_Edit]:
    """``agreements: []`` for a category whose last agreement leaves it."""
    if category.agreements != (leaving,):
        return []
    return [_Edit(category.after_colon, category.after_colon, " []")]


def _reindented(block: str, shift: int, first_line: int) -> str:
    if shift == 0:
        return block
    lines = block.splitlines(keepends=True)
    if shift > 0:
        return "".join(" " * shift + line if line.strip() else line for line in lines)
    cut = -shift
    for number, line in enumerate(lines, start=first_line):
        if line.strip() and not line.startswith(" " * cut):
            raise EditError("samarbeidet kan ikke flyttes dit, fordi en linje i det står for langt til venstre", number)
    return "".join(line[cut:] if line.strip() else line for line in lines)


def _field_edits(body: str, entry: AgreementEntry, fields: AgreementFields, style: Style) -> list[_Edit]:
    node = _block_node(entry.text)
    shift = entry.start
    pairs = node.value
    where = {key.value: index for index, (key, _) in enumerate(pairs) if _key(key) in KEY_ORDER}
    new = {key: _value(fields, key) for key in KEY_ORDER}
    kept = [key for key in KEY_ORDER if key in where and new[key] is not None]
    edits: list[_Edit] = []
    added: dict[int, list[str]] = {}
    for key in KEY_ORDER:
        value = new[key]
        if key in where:
            if key not in entry.unusual and _value(entry.fields, key) == value:
                continue
            index = where[key]
            if value is None:
                edits.append(_removal(body, pairs, index, shift))
            else:
                edits.append(_change(body, pairs[index], key, value, shift, style))
        elif value is not None:
            before = [k for k in KEY_ORDER[: KEY_ORDER.index(key)] if k in kept]
            anchor = pairs[where[before[-1]]] if before else pairs[-1]
            at = _line_end(body, _content_end(anchor[1], body, shift))
            if isinstance(value, tuple) and style.block_lists:
                indent = entry.key_column + style.list_indent
                text = f"{key}:{style.newline}{' ' * indent}{_block_list(key, value, indent, style)}"
            else:
                text = f"{key}: {_rendered(key, value, style)}"
            added.setdefault(at, []).append(" " * entry.key_column + text + style.newline)
    edits += [_Edit(at, at, "".join(lines)) for at, lines in added.items()]
    return edits


def _removal(body: str, pairs: list, index: int, shift: int) -> _Edit:
    key, value = pairs[index]
    start = key.start_mark.index + shift
    line_start = body.rfind("\n", 0, start) + 1
    if not body[line_start:start].strip():
        return _Edit(line_start, _line_end(body, _content_end(value, body, shift)), "")
    # the key follows the '-' on its line: the next key moves up in its place
    return _Edit(start, pairs[index + 1][0].start_mark.index + shift, "")


def _change(body: str, pair: tuple, key: str, value: str | tuple[str, ...], shift: int, style: Style) -> _Edit:
    key_node, node = pair
    after_colon = _after_colon(body, key_node.end_mark.index + shift)
    start, end = node.start_mark.index + shift, _content_end(node, body, shift)
    if isinstance(value, tuple) and isinstance(node, yaml.SequenceNode) and not node.flow_style:
        return _Edit(start, end, _block_list(key, value, node.start_mark.column, style))  # stays a block list
    text = _rendered(key, value, style)
    empty = isinstance(node, yaml.ScalarNode) and node.tag == _NULL and not node.value
    if empty or "\n" in body[after_colon:start]:
        return _Edit(after_colon, end, " " + text)  # onto the key's line
    return _Edit(start, end, text)  # where the old value stood: the spacing and a comment after it stay


def _after_colon(body: str, key_end: int) -> int:
    colon = body.index(":", key_end)
    return colon + 1


def _line_end(body: str, offset: int) -> int:
    end = body.find("\n", offset)
    return len(body) if end < 0 else end + 1


def _content_end(node: yaml.Node, source: str, shift: int = 0) -> int:
    """The offset in ``source`` just after the last character of ``node``'s own
    text (its marks are ``shift`` before their place in ``source``). The
    marks of a block collection and a block scalar end where the next token
    starts, after comments and blank lines, so their ends come from their
    last value and from the text instead."""
    while True:
        if isinstance(node, yaml.ScalarNode):
            if node.style in ("|", ">"):
                start = node.start_mark.index + shift
                return start + len(source[start : node.end_mark.index + shift].rstrip())
            return node.end_mark.index + shift
        assert isinstance(node, yaml.CollectionNode), "a node is a scalar, a mapping or a sequence"
        if node.flow_style or not node.value:
            return node.end_mark.index + shift
        node = node.value[-1][1] if isinstance(node, yaml.MappingNode) else node.value[-1]


def _key(node: yaml.Node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) else None


def _block_node(block: str) -> yaml.MappingNode:
    """The mapping of one agreement's block, composed on its own: its items
    are indented past its '-', so on its own it reads as in the file."""
    root = compose(block)
    assert root is not None, "a block of the register is never empty"
    return root.value[0]


# --- the register from the composed file -------------------------------------------


def _refusal(reason: str, line: int | None = None) -> EditError:
    return EditError(
        f"{AGREEMENTS_FILE} kan ikke redigeres i skjemaet fordi {reason}; rediger filen i et tekstprogram", line
    )


@functools.lru_cache(maxsize=4)
def _parse(body: str) -> Register:
    """The register of ``body`` (a text from _Text). Kept for the last few texts:
    a form's save edits the text its page was made from."""
    if match := _OTHER_BREAKS.search(body):
        line = body.count("\n", 0, match.start()) + 1
        raise _refusal("den har et linjeskift som ikke er vanlig (CR alene, NEL, LS eller PS)", line)
    try:
        root = compose(body)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise _refusal("den har en YAML-feil", mark.line + 1 if mark else None) from None
    except (yaml.YAMLError, RecursionError):
        raise _refusal("den har en YAML-feil") from None
    if root is None:
        raise _refusal("den er tom")
    if "*" in body:
        _refuse_aliases(root)
    return _RegisterReader(body).read(root)


def _refuse_aliases(root: yaml.Node) -> None:
    """An alias (*name) makes one node stand in two places; editing one would change both."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _refusal("den bruker ankere og aliaser (&/*)", node.start_mark.line + 1)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


class _RegisterReader:
    def __init__(self, body: str):
        self.body = body
        self.starts = [0] + [match.end() for match in re.finditer("\n", body)]
        self.quotes = {'"': 0, "'": 0}
        self.lists = {True: 0, False: 0}  # flow: count
        self.list_indent: int | None = None

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def line_start(self, offset: int) -> int:
        return self.starts[self.line(offset) - 1]

    def read(self, root: yaml.Node) -> Register:
        body = self.body
        if not isinstance(root, yaml.MappingNode) or root.flow_style:
            raise _refusal("den ikke er et oppslag med nøkkelen 'categories:'", 1)
        pairs = _pairs(root, "filen")
        if "categories" not in pairs:
            raise _refusal("den ikke har nøkkelen 'categories:'", 1)
        key, node = pairs["categories"]
        if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
            raise _refusal("'categories' ikke er en liste med én kategori per '- name:'", key.start_mark.line + 1)
        after_key = _line_end(body, key.end_mark.index)
        following = [k for k, _ in root.value if k.start_mark.index > key.start_mark.index]
        bound = self.line_start(min(k.start_mark.index for k in following)) if following else len(body)
        items = [self.item(category, "en kategori") for category in node.value]
        dashes = [dash for dash, _ in items]
        categories = []
        start = after_key
        for index, (category, (dash, column)) in enumerate(zip(node.value, items, strict=True)):
            next_dash = dashes[index + 1] if index + 1 < len(dashes) else bound
            lead = self.leading(start, dash, column)
            entry = self.category(index, category, lead, dash, column, next_dash)
            categories.append(entry)
            start = entry.end
        first = categories[0]
        example = next((a for c in categories for a in c.agreements), None)
        newline = _newline(body)
        quote = "'" if self.quotes["'"] > self.quotes['"'] else '"'
        style = Style(
            newline=newline,
            quote=quote,
            block_lists=self.lists[False] > self.lists[True],
            list_indent=2 if self.list_indent is None else self.list_indent,
            category_dash=items[0][1],
            category_key=first.key_column,
            agreement_dash=2 if example is None else example.dash_column - categories[example.category].key_column,
            agreement_key=2 if example is None else example.key_column - example.dash_column,
        )
        return Register(tuple(categories), style, after_key)

    def item(self, node: yaml.Node, what: str) -> tuple[int, int]:
        """The line start of the '-' of a block list's item, and the '-''s column."""
        body = self.body
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            raise _refusal(f"{what} på linje {line} ikke er skrevet som nøkler under en '-'", line)
        start = self.line_start(node.start_mark.index)
        head = body[start : node.start_mark.index]
        while not head.lstrip().startswith("-"):
            if start == 0 or (head.strip() and not head.lstrip().startswith("#")):
                raise _refusal(f"{what} på linje {line} er skrevet på en måte skjemaet ikke kjenner", line)
            start = self.line_start(start - 1)
            head = body[start : _line_end(body, start)]
        return start, len(head) - len(head.lstrip())

    def leading(self, floor: int, start: int, column: int) -> int:
        """Where an item's block starts: with the comment lines directly above
        its '-' (down to ``floor``) that stand at least as far right."""
        body = self.body
        while start > floor:
            above = self.line_start(start - 1)
            line = body[above:start]
            if not line.lstrip().startswith("#") or _indent(line) < column:
                break
            start = above
        return start

    def trailing(self, end: int, ceiling: int, column: int) -> int:
        """Where an item's block ends: after the comment lines directly below it
        (up to ``ceiling``) that stand further right than its '-'."""
        body = self.body
        while end < ceiling:
            after = _line_end(body, end)
            line = body[end:after]
            if not line.lstrip().startswith("#") or _indent(line) <= column:
                break
            end = after
        return end

    def category(
        self, index: int, node: yaml.MappingNode, start: int, dash: int, column: int, bound: int
    ) -> CategoryEntry:
        body = self.body
        line = node.start_mark.line + 1
        pairs = _pairs(node, f"kategorien på linje {line}")
        if "name" not in pairs or _key(pairs["name"][1]) is None or pairs["name"][1].tag != _STR:
            raise _refusal(f"kategorien på linje {line} ikke har et navn ('name:') som tekst", line)
        name_node = pairs["name"][1]
        assert isinstance(name_node, yaml.ScalarNode), "_key found text in it"
        name = normalize(name_node.value.rstrip("\n") if name_node.style in ("|", ">") else name_node.value)
        if "agreements" not in pairs:
            raise _refusal(f"kategorien '{name}' på linje {line} mangler 'agreements:'", line)
        key, value = pairs["agreements"]
        after_colon = _after_colon(body, key.end_mark.index)
        empty_value = None
        agreements: list[AgreementEntry] = []
        if isinstance(value, yaml.SequenceNode) and not value.flow_style:
            agreements = self.agreements(index, value, _line_end(body, after_colon), bound)
        elif isinstance(value, yaml.SequenceNode) and not value.value:
            empty_value = (after_colon, value.end_mark.index)
        elif isinstance(value, yaml.ScalarNode) and value.tag == _NULL and not value.value:
            empty_value = (after_colon, after_colon)
        else:
            raise _refusal(
                f"'agreements' i kategorien '{name}' ikke er en liste med ett samarbeid per '- name:'",
                key.start_mark.line + 1,
            )
        end = _line_end(body, _content_end(node, body))
        if agreements:
            end = max(end, agreements[-1].end)
        end = self.trailing(end, bound, column)
        return CategoryEntry(
            index=index,
            name=name,
            lines=(self.line(start), self.line(end - 1)),
            agreements=tuple(agreements),
            start=start,
            end=end,
            name_span=(name_node.start_mark.index, _content_end(name_node, body)),
            after_colon=after_colon,
            empty_value=empty_value,
            key_column=node.start_mark.column,
        )

    def agreements(self, category: int, node: yaml.SequenceNode, floor: int, bound: int) -> list[AgreementEntry]:
        body = self.body
        items = [self.item(agreement, "et samarbeid") for agreement in node.value]
        entries: list[AgreementEntry] = []
        start_floor = floor
        for index, (agreement, (dash, column)) in enumerate(zip(node.value, items, strict=True)):
            start = self.leading(start_floor, dash, column)
            ceiling = items[index + 1][0] if index + 1 < len(items) else bound
            end = self.trailing(_line_end(body, _content_end(agreement, body)), ceiling, column)
            fields, unusual = _read_fields(agreement, body, self)
            entries.append(
                AgreementEntry(
                    category=category,
                    index=index,
                    lines=(self.line(start), self.line(end - 1)),
                    text=body[start:end],
                    fields=fields,
                    unusual=unusual,
                    start=start,
                    end=end,
                    dash_column=column,
                    key_column=agreement.start_mark.column,
                )
            )
            start_floor = end
        return entries

    def saw_scalar(self, node: yaml.ScalarNode) -> None:
        if node.style in self.quotes:
            self.quotes[node.style] += 1

    def saw_list(self, key: yaml.Node, node: yaml.SequenceNode) -> None:
        self.lists[bool(node.flow_style)] += 1
        if not node.flow_style and self.list_indent is None:
            self.list_indent = node.start_mark.column - key.start_mark.column


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _pairs(node: yaml.MappingNode, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        name = _key(key)
        if name is None:
            continue
        if name in found:
            raise _refusal(f"nøkkelen '{name}' står to ganger i {what}", key.start_mark.line + 1)
        found[name] = (key, value)
    return found


_CONSTRUCTOR = yaml.SafeLoader("")


def _read_fields(
    node: yaml.MappingNode, text: str, seen: _RegisterReader | None = None
) -> tuple[AgreementFields, frozenset[str]]:
    """An agreement's fields as the reader would read them, and the keys whose
    shape the reader would refuse (their values given as they are written)."""
    values: dict[str, Any] = {"name": ""}  # AgreementFields' own, each of its field's type
    read: tuple[str, ...] | str | None
    unusual: set[str] = set()
    line = node.start_mark.line + 1
    for key, (key_node, value) in _pairs(node, f"samarbeidet på linje {line}").items():
        if key not in KEY_ORDER:
            continue
        if key in _LIST_KEYS:
            read, fits = _list_value(value, text, key == "members")
            if seen is not None and isinstance(value, yaml.SequenceNode):
                seen.saw_list(key_node, value)
        elif key == "since":
            read, fits = _since_value(value, text)
        else:
            read, fits = _text_value(value, text)
        if seen is not None and isinstance(value, yaml.ScalarNode):
            seen.saw_scalar(value)
        values[key] = read
        if not fits:
            unusual.add(key)
    values["name"] = values["name"] or ""
    return AgreementFields(**values), frozenset(unusual)


def _text_value(node: yaml.Node, text: str) -> tuple[str | None, bool]:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR:
            value = node.value.rstrip("\n") if node.style in ("|", ">") else node.value
            return normalize(value) or None, True
        if node.tag == _NULL:
            return None, True
        return node.value, False
    return _written(node, text), False


def _written(node: yaml.Node, text: str) -> str:
    """A value the form cannot show as it is (a list where text belongs), as written, on one line."""
    return " ".join(text[node.start_mark.index : _content_end(node, text)].split())


def _since_value(node: yaml.Node, text: str) -> tuple[str | None, bool]:
    if isinstance(node, yaml.ScalarNode) and node.tag in (_INT, _TIMESTAMP):
        try:
            value = _CONSTRUCTOR.construct_object(node, deep=True)
        except (yaml.constructor.ConstructorError, ValueError):
            return node.value, True  # e.g. 2019-13-01: the reader says what is wrong with it
        if isinstance(value, dt.datetime) or not isinstance(value, (int, dt.date)):
            return node.value, True
        return (value.isoformat() if isinstance(value, dt.date) else str(value)), True
    return _text_value(node, text)


def _list_value(node: yaml.Node, text: str, members: bool) -> tuple[tuple[str, ...] | str, bool]:
    if isinstance(node, yaml.SequenceNode):
        values, fits = [], True
        for item in node.value:
            if type(item) is yaml.ScalarNode and item.tag == _STR and not item.style and item.value:
                values.append(normalize(item.value))  # the usual item, the shortest way
                continue
            value, ok = _text_value(item, text)
            values.append(value or "")
            fits = fits and ok and bool(value) and isinstance(item, yaml.ScalarNode)
        return tuple(values), fits
    value, fits = _text_value(node, text)
    if value is None:
        return (), fits
    if members and value == ALL_MEMBERS and fits:
        return ALL_MEMBERS, True
    return (value if members else (value,)), False
