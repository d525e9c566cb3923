"""The layout's schema: every key a layout file may have, with its kind,
range, unit and default, in one table (:data:`LAYOUT_SCHEMA`), and the few
rules that check a located YAML value against it.

A table of our own rather than pydantic or attrs/cattrs: a layout arrives as
located nodes (:class:`~builder.readers.yaml_source.Node`), merged over the
layouts it extends, and every message must stand at the file and line of the
value, in bokmål. Those libraries validate plain values and report a key path
with English messages; mapping each error back to its node and rewording each
kind of error would take more code than these rules, and the ranges, colours
and font names would still be validators of our own.

What the table cannot say, because it compares values with each other (a
column's least width against its greatest, colours' contrast), the layout
reader checks after it.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.diagnostics import Diagnostics
from builder.model import (
    CHART_PATTERNS,
    COLUMN_ROLES,
    DEEPEST_HEADING,
    LIST_LEVELS,
    MANY_MEMBERS,
    MAXIMUM_CHART_FILLS,
    MEMBER,
    PAGE_SIZES_CM,
    SINCE_PLACES,
    ChartStyle,
    Outline,
)
from builder.readers import schema
from builder.readers.files import NotReadable, check_regular
from builder.readers.yaml_source import Node

SHOWN_LENGTH = 60  # of a wrong value in a message; the place says where the rest is

# --- the rules ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Rule:
    """What one key's value must be. ``check`` returns the value as the
    layout uses it, or None after reporting why it is not one."""

    default: Any = None  # the value when the key is left out or empty; None: it has to be there
    name: str = "'{key}'"  # how messages name the key
    hint: str | None = None  # said with every message about the value

    def check(self, node: Node, key: str, problems: Diagnostics) -> Any:
        raise NotImplementedError

    def missing(self) -> Any:
        return self.default

    def named(self, key: str) -> str:
        return self.name.format(key=key)


@dataclass(frozen=True, kw_only=True)
class Number(Rule):
    least: float
    most: float
    unit: str = ""  # "pt", "cm", or "" for a plain number
    whole: bool = False

    def check(self, node: Node, key: str, problems: Diagnostics) -> float | int | None:
        value = node.value
        if node.rejected:
            return None
        kinds = int if self.whole else (int, float)
        # `least <= value <= most` also refuses .nan, and .inf is past any bound
        if isinstance(value, kinds) and not isinstance(value, bool) and self.least <= value <= self.most:
            return value if self.whole else float(value)
        kind = "et helt tall" if self.whole else "et tall"
        unit = f" {self.unit}" if self.unit else ""
        problems.error(
            node.location,
            f"{self.named(key)} skal være {kind} fra {_number(self.least)} til {_number(self.most)}{unit},"
            f" ikke {shown(value)}",
            self.hint,
        )
        return None


@dataclass(frozen=True, kw_only=True)
class Choice(Rule):
    values: tuple[str, ...]
    noun: str | None = None  # "et mønster": a wrong value is "'x' er ikke et mønster"

    def check(self, node: Node, key: str, problems: Diagnostics) -> str | None:
        if node.rejected:
            return None
        if isinstance(node.value, str) and node.value in self.values:
            return node.value
        message = f"{shown(node.value)} er ikke {self.noun}" if self.noun else f"{self.named(key)} kan ikke være"
        if not self.noun:
            message += f" {shown(node.value)}"
        problems.error(node.location, message, self.hint or f"velg blant {', '.join(self.values)}")
        return None


@dataclass(frozen=True, kw_only=True)
class Flag(Rule):
    """true or false."""

    def check(self, node: Node, key: str, problems: Diagnostics) -> bool | None:
        if node.rejected:
            return None
        if isinstance(node.value, bool):
            return node.value
        message = f"{self.named(key)} skal være true eller false, ikke {shown(node.value)}"
        problems.error(node.location, message, self.hint)
        return None


@dataclass(frozen=True, kw_only=True)
class Colour(Rule):
    """Six hexadecimal digits, RRGGBB, with or without a leading #."""

    hint: str | None = 'skriv seks heksadesimale sifre (0–9, A–F) i anførselstegn, som "808080"'

    def check(self, node: Node, key: str, problems: Diagnostics) -> str | None:
        if node.rejected:
            return None
        value = node.value
        if isinstance(value, str):
            colour = value.strip().removeprefix("#").upper()
            if len(colour) == 6 and all(c in string.hexdigits for c in colour):
                return colour
        problems.error(node.location, f"{shown(value)} er ingen farge", self.hint)
        return None


# A font's name as Word and CSS name it: letters, digits, spaces and a few
# marks (Calibri, Noto Sans, Source Sans 3). Nothing that could end a CSS
# string or the page's <style>, whatever writes it.
FONT_NAME = re.compile(r"[^\W_][\w .-]*", re.UNICODE)
LONGEST_FONT_NAME = 64


@dataclass(frozen=True, kw_only=True)
class FontName(Rule):
    def check(self, node: Node, key: str, problems: Diagnostics) -> str | None:
        value = schema.text(node, self.named(key), problems)
        if value is None:
            return None
        if len(value) <= LONGEST_FONT_NAME and FONT_NAME.fullmatch(value):
            return value
        problems.error(
            node.location,
            f"skriftnavnet {shown(value)} kan bare ha bokstaver, sifre, mellomrom, punktum, bindestrek og understrek",
            f"høyst {LONGEST_FONT_NAME} tegn, det første en bokstav eller et siffer; skriv navnet slik skriften"
            " heter, for eksempel Calibri",
        )
        return None


@dataclass(frozen=True, kw_only=True)
class FontFile(Rule):
    """A TrueType file, relative to the layout file that names it."""

    def check(self, node: Node, key: str, problems: Diagnostics) -> Path | None:
        if schema.text(node, f"skriftfilen '{key}'", problems) is None:
            return None
        font = node.location.path.parent / node.value
        try:
            font = font.resolve()
            check_regular(font.stat())  # reportlab reads it whole: not /dev/zero, not a FIFO
        except FileNotFoundError:
            problems.error(node.location, f"skriftfilen finnes ikke: {font}")
        except NotReadable as refusal:
            problems.error(node.location, f"skriftfilen {font}: {refusal.message}", refusal.hint)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of links
            problems.error(node.location, f"skriftfilen kan ikke leses: {font} ({exc})")
        return font


@dataclass(frozen=True, kw_only=True)
class Character(Rule):
    """One character, such as a bullet."""

    def check(self, node: Node, key: str, problems: Diagnostics) -> str | None:
        value = schema.text(node, f"et element i {self.named(key)}", problems)
        if value is None:
            return None
        if len(value) == 1:
            return value
        problems.error(node.location, f"punkttegnet {shown(value)} skal være ett tegn", self.hint)
        return None


@dataclass(frozen=True, kw_only=True)
class Label(Rule):
    """A fixed text, with the placeholders it may use: a bare ``{name}``,
    never a conversion or a format spec. ``{region:>300000000}`` would
    otherwise pad the text to any length it names."""

    placeholders: tuple[str, ...]

    def check(self, node: Node, key: str, problems: Diagnostics) -> str | None:
        text = schema.text(node, f"teksten '{key}'", problems, allow_empty=True)
        if text is None:
            return None
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)]
        except ValueError as exc:
            problems.error(node.location, f"ugyldig plassholder i teksten: {exc}", "skriv {{ og }} for krøllparenteser")
            return None
        before = len(problems.errors)
        for name, spec, conversion in fields:
            if name is None:
                continue
            if name not in self.placeholders:
                allowed = ", ".join("{" + a + "}" for a in self.placeholders)
                hint = f"tillatt her: {allowed}" if allowed else "ingen plassholdere er tillatt her"
                problems.error(node.location, f"ukjent plassholder '{{{name}}}' i teksten", hint)
            elif spec or conversion:
                problems.error(
                    node.location,
                    f"plassholderen {shown(_written(name, spec, conversion))} i teksten kan ikke ha formatering",
                    f"skriv bare {{{name}}}; verdien settes inn slik den er",
                )
        return text if len(problems.errors) == before else None


@dataclass(frozen=True, kw_only=True)
class ListOf(Rule):
    """A list whose items follow ``item``, with at least ``least`` and at
    most ``most`` of them; ``single``: one value alone stands for a list of one."""

    item: Rule
    least: int = 0
    most: int | None = None
    things: str = ""  # "farger": how a size message counts them
    one: str = "én"  # "én farge", "ett punkttegn"
    single: bool = False
    distinct: bool = False

    def check(self, node: Node, key: str, problems: Diagnostics) -> tuple | None:
        if node.rejected:
            return None
        name = self.named(key)
        if self.single and not isinstance(node.value, list):
            items = [node]
        elif isinstance(node.value, list):
            items = node.value
        else:
            hint = f"skriv en liste: [{node.value}] eller én verdi per linje med '- ' foran"
            problems.error(node.location, f"{name} skal være en liste, men er {schema.describe(node.value)}", hint)
            return None
        before = len(problems.errors)
        values = []
        for item in items:
            value = self.item.check(item, key, problems)
            if value is not None and self.distinct and value in values:
                problems.error(item.location, f"{shown(value)} står to ganger i {name}", "ta det med én gang")
            values.append(value)
        if not self.least <= len(items) <= (self.most if self.most is not None else len(items)):
            problems.error(
                node.location,
                f"{name} skal ha fra {self.one} til {self.most} {self.things}, ikke {len(items)}",
                self.hint,
            )
        return tuple(values) if len(problems.errors) == before else None


@dataclass(frozen=True, kw_only=True)
class Section(Rule):
    """A mapping with these keys, ``required`` of them always there."""

    fields: dict[str, Rule]
    required: tuple[str, ...] = ()
    shape: str | None = None  # what the mapping holds, said when the value is no mapping

    def check(self, node: Node, key: str, problems: Diagnostics) -> dict[str, Any] | None:
        name = self.named(key)
        if self.shape and not node.rejected and not isinstance(node.value, dict):
            problems.error(node.location, f"{name} skal ha {self.shape}, ikke {shown(node.value)}", self.hint)
            return None
        given = schema.mapping(node, name, problems)
        if given is None:
            return None
        schema.check_keys(given, node, name, tuple(self.fields), self.required, problems)
        values = {}
        for field_key, rule in self.fields.items():
            value = given.get(field_key)
            if value is None or (value.value is None and rule.default is not None):
                values[field_key] = rule.missing()
            else:
                values[field_key] = rule.check(value, field_key, problems)
        return values

    def missing(self) -> dict[str, Any] | None:
        return {key: rule.missing() for key, rule in self.fields.items()}


@dataclass(frozen=True, kw_only=True)
class Entries(Rule):
    """A mapping of free keys (the languages), each value following ``each``."""

    each: Rule

    def check(self, node: Node, key: str, problems: Diagnostics) -> dict[str, Any] | None:
        given = schema.mapping(node, self.named(key), problems)
        if given is None:
            return None
        return {entry: self.each.check(value, entry, problems) for entry, value in given.items()}


def shown(value: object) -> str:
    """A wrong value as a message shows it: a scalar quoted (cut short), a list or mapping by its kind."""
    if isinstance(value, (list, dict)) or value is None:
        return schema.describe(value)
    text = str(value)
    return f"'{text[:SHOWN_LENGTH]}…'" if len(text) > SHOWN_LENGTH else f"'{text}'"


def _number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")


def _written(name: str, spec: str | None, conversion: str | None) -> str:
    return "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"


# --- the table ----------------------------------------------------------------

SIDES = ("top", "bottom", "left", "right")
ORIENTATIONS = ("portrait", "landscape")
FONT_STYLES = ("regular", "bold", "italic", "bold_italic")
SIZES = ("body", "title", "heading", "table", "footer")
REQUIRED_SECTIONS = ("page", "fonts", "table", "labels")
REQUIRED_TABLE_KEYS = (
    "columns",
    "slack",
    "grid",
    "header_shading",
    "category_shading",
    "category_text",
    "cell_padding",
)

# Every label, and the placeholders it may use.
LABELS: dict[str, tuple[str, ...]] = {
    "title": ("date_long", "date_short", "year", "region"),
    "subject": ("region", "date_long", "year"),
    "name_header": ("date_short", "date_long", "year"),
    "form_header": (),
    "comment_header": (),
    "see_below": (),
    "part_marker": (),
    "mark": (),
    "and": (),
    "page": ("page",),
    "table_caption": ("date_long", "date_short", "year", "region"),
    "table_description": ("count", "categories", "members", "region"),
    # the printed comment, made from an agreement's facts
    "host": ("host",),
    "partners": ("partners",),
    "terminated": (),
    "planned": (),
    # one member's own edition
    "member_title": ("member", "date_long", "date_short", "year", "region"),
    "member_subject": ("member", "region", "date_long", "year"),
    # the summary section
    "summary_heading": (),
    "summary_intro": (),
    "summary_caption": ("date_long", "date_short", "year", "region"),
    "summary_description": ("members",),
    "summary_form_header": (),
    "summary_all": (),
    "summary_total": (),
    "summary_hosted": (),
    "summary_no_form": (),
    "chart_title": (),
    "member_chart_title": ("member",),
    "member_summary_caption": ("member", "date_long", "date_short", "year", "region"),
    "chart_axis": (),
    "chart_zero_note": (),
    "chart_alt": ("values", "totals"),
    "chart_alt_form": ("form", "values"),
    # the section on changes since an earlier edition
    "changes_heading": ("date_long", "date_short", "year"),
    "changes_none": (),
    "changes_added": ("count",),
    "changes_ended": ("count",),
    "changes_changed": ("count",),
    "changes_item": ("name", "category"),
    "changes_field": ("field", "old", "new"),
    "field_category": (),
    "field_form": (),
    "field_members": (),
    "field_host": (),
    "field_partners": (),
    "field_status": (),
    "field_since": (),
    "field_comment": (),
    "since": ("since",),
    "status_active": (),
    "status_terminated": (),
    "status_planned": (),
    "none": (),
    # the HTML edition and the publication folder
    "taking_part": (),
    "skip_to_table": (),
    "field_name": (),
    "downloads_heading": (),
    "download_pdf": (),
    "download_docx": (),
    "download_csv": (),
    "download_json": (),
    "members_heading": (),
    "full_edition": ("region",),
    # the facts beyond the printed table: the web edition's rows, the appendix, the data's columns
    "download_xlsx": (),
    "accessibility_statement": (),
    "facts_summary": (),
    "facts_heading": (),
    "fact_orgnr": (),
    "fact_purpose": (),
    "fact_ownership": (),
    "fact_decision": (),
    "fact_url": (),
    "field_orgnr": (),
    "field_purpose": (),
    "field_ownership": (),
    "field_decision": (),
    "field_url": (),
}

# The bounds are what the writers lay out sensibly on an A4 or Letter page,
# wide enough for any real layout; past them a value is a slip (a size of
# 1.0e+6, a margin wider than the page), refused before a writer meets it.
FONT_SIZE = Number(least=4, most=36, unit="pt")
TABLE_SIZE = Number(least=4, most=24, unit="pt")  # the table's rows must fit on a page beside its header
COLUMN_WIDTH = Number(least=0.5, most=30, unit="cm")
DEFAULT_CHART = ChartStyle()
DEFAULT_OUTLINE = Outline()

LAYOUT_SCHEMA = Section(
    name="oppsettet",
    required=REQUIRED_SECTIONS,
    fields={
        "page": Section(
            required=("size", "orientation", "margins_cm"),
            fields={
                # the sizes every writer sets (DOCX, PDF and the HTML's print style)
                "size": Choice(values=tuple(PAGE_SIZES_CM), default="A4"),
                "orientation": Choice(values=ORIENTATIONS, default="portrait"),
                "margins_cm": Section(
                    required=SIDES, fields={side: Number(least=0, most=5, unit="cm") for side in SIDES}
                ),
            },
        ),
        "fonts": Section(
            required=("family", "files", "size"),
            fields={
                "family": FontName(default="Calibri"),  # the font the Word file names, and the web page's
                "files": Section(required=FONT_STYLES, fields={style: FontFile() for style in FONT_STYLES}),
                "size": Section(required=SIZES, fields={**dict.fromkeys(SIZES, FONT_SIZE), "table": TABLE_SIZE}),
            },
        ),
        "text": Section(
            fields={
                "color": Colour(default="000000"),
                "space_after": Number(least=0, most=36, unit="pt", default=6.0),  # after each paragraph
                "line_spacing": Number(least=0.8, most=3, default=1.15),  # times the font size
            }
        ),
        "headings": Section(
            fields={
                "shift": Number(
                    least=1,
                    most=DEEPEST_HEADING - 1,
                    whole=True,
                    default=DEFAULT_OUTLINE.heading_shift,
                    hint="tittelen er nivå 1, så en overskrift i teksten står minst ett nivå under",
                ),
                "deepest": Number(
                    least=2,
                    most=DEEPEST_HEADING,
                    whole=True,
                    default=DEFAULT_OUTLINE.deepest_heading,
                    hint="HTML og tagget PDF har seks nivåer av overskrifter",
                ),
            }
        ),
        "lists": Section(
            fields={
                "bullets": ListOf(
                    item=Character(hint='skriv for eksempel "•"'),
                    least=1,
                    most=LIST_LEVELS,
                    one="ett",
                    things="punkttegn",
                    default=DEFAULT_OUTLINE.bullets,
                    hint="ett per nivå i en liste med punkter; dypere nivåer får det siste",
                ),
            }
        ),
        "table": Section(
            required=REQUIRED_TABLE_KEYS,
            fields={
                "columns": Section(
                    required=COLUMN_ROLES,
                    fields={
                        role: Section(
                            name="kolonnen '{key}'",
                            shape="en minste og største bredde i cm",
                            hint="skriv for eksempel {min: 1.5, max: 4}; bredden innenfor regnes ut fra teksten",
                            required=("min", "max"),
                            fields={"min": COLUMN_WIDTH, "max": COLUMN_WIDTH},
                        )
                        for role in COLUMN_ROLES
                    },
                ),
                "slack": Choice(values=tuple(role for role in COLUMN_ROLES if role != MEMBER), default="name"),
                "many_members": ListOf(item=Choice(values=MANY_MEMBERS), single=True, distinct=True, default=("turn",)),
                "smallest_header": Number(least=4, most=24, unit="pt", default=6.0),
                "grid": Section(
                    required=("width",),
                    fields={"width": Number(least=0, most=6, unit="pt"), "color": Colour(default="000000")},
                ),
                "header_shading": Colour(default="D9D9D9"),
                "category_shading": Colour(default="D9D9D9"),
                "category_text": Colour(default="000000"),
                "cell_padding": Number(least=0, most=12, unit="pt", default=3.0),
                "since": Choice(values=SINCE_PLACES, default="comment"),
            },
        ),
        "chart": Section(
            fields={
                "fills": ListOf(
                    item=Colour(),
                    least=1,
                    most=MAXIMUM_CHART_FILLS,
                    things="farger",
                    default=DEFAULT_CHART.fills,
                    hint="flere gråtoner skiller seg ikke fra hverandre på en gråtoneutskrift; 'patterns' gir flere",
                ),
                "patterns": ListOf(
                    item=Choice(values=CHART_PATTERNS, noun="et mønster"), default=DEFAULT_CHART.patterns
                ),
                "bar": Number(least=4, most=36, unit="pt", default=DEFAULT_CHART.bar_pt),  # one bar's thickness
                "grid": Colour(default=DEFAULT_CHART.grid_color),
            }
        ),
        "facts": Section(
            fields={
                # «Fakta om samarbeidene» after the table, for the agreements that have facts
                "appendix": Flag(default=False),
            }
        ),
        "labels": Entries(
            each=Section(
                name="tekstene for '{key}'",
                required=tuple(LABELS),
                fields={key: Label(placeholders=allowed) for key, allowed in LABELS.items()},
            )
        ),
    },
)


def check_layout(root: Node, problems: Diagnostics) -> dict[str, Any] | None:
    """The layout's values, section by section, checked against the table."""
    return LAYOUT_SCHEMA.check(root, "", problems)
