"""The data every step shares: the validated edition, the layout and the
format-neutral document that the writers render.

Nothing here reads files or knows a file format; readers produce these
objects, ``assemble`` turns an edition into a document, writers render it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

# --- the edition: what the editors wrote, validated -------------------------

OUTPUT_FORMATS = ("docx", "pdf", "html")  # what a build can make; builder.writers has one writer for each

ACTIVE, TERMINATED, PLANNED = "active", "terminated", "planned"
STATUSES = (ACTIVE, TERMINATED, PLANNED)

# The years an edition's date ('as_of', and roll's --to) may have: the Word
# file cannot stamp its parts later than 2107 (a ZIP entry's time), and a
# wider range would only let a typing error (2109 for 2019) through.
EDITION_YEARS = range(1900, 2101)
# The years an agreement's 'since' may have, as a year or in a date: an old
# agreement may go back to the 1800s; beyond these, a number is no year
# (20199 for 2019), and a date could not be shown.
SINCE_YEARS = range(1800, EDITION_YEARS.stop)


@dataclass(frozen=True)
class Agreement:
    name: str
    form: str | None  # canonical spelling from the form vocabulary
    members: tuple[str, ...]  # the region's members that take part, in column order
    comment: str = ""  # the editor's own words; the printed comment adds the facts below
    id: str | None = None
    part_of: str | None = None
    host: str | None = None  # the vertskommune: a member or another municipality
    partners: tuple[str, ...] = ()  # participants outside the region, e.g. "Ringebu"
    status: str = ACTIVE  # terminated: notice given; planned: under study
    since: int | dt.date | None = None  # a year or a date
    previous_name: str | None = None  # its name in the edition before, for one without an id renamed
    # the facts readers ask for, beyond the printed table (see docs/innhold.md)
    orgnr: str | None = None  # nine digits, its check digit checked
    purpose: str = ""  # the formål
    ownership: tuple[tuple[str, float], ...] = ()  # (member or partner, percent), as written
    decisions: tuple[Decision, ...] = ()  # one for all, or one per participant
    url: str | None = None  # http(s) only

    @property
    def has_facts(self) -> bool:
        return bool(self.orgnr or self.purpose or self.ownership or self.decisions or self.url)


@dataclass(frozen=True)
class Decision:
    """The decision that adopted an agreement: for every participant (``member``
    None) or for one of them."""

    reference: str
    date: dt.date | None = None
    member: str | None = None


@dataclass(frozen=True)
class Category:
    name: str
    agreements: tuple[Agreement, ...]


@dataclass(frozen=True)
class NarrativeSource:
    """One Markdown file with Jinja placeholders, not yet rendered."""

    path: Path
    text: str


@dataclass(frozen=True)
class Contact:
    """Whom to ask about the published data: a name, and an e-mail address or a web page."""

    name: str
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Edition:
    as_of: dt.date
    region: str
    members: tuple[str, ...]  # the table's mark columns, in order
    language: str  # "nb" or "nn"
    layout: str
    categories: tuple[Category, ...]
    narrative: tuple[NarrativeSource, ...] = ()
    title: str | None = None  # overrides the layout's title when given
    summary: bool = False  # a summary section with counts and a chart before the table
    changes_since: Path | None = None  # the earlier edition's folder, for the section on what changed
    formats: tuple[str, ...] | None = None  # what `build` makes when the command line names none
    # for the publication: who publishes the data, whom to ask, under what licence, and
    # the web page of the accessibility statement (see docs/innhold.md)
    publisher: str | None = None  # default: the region
    contact: Contact | None = None
    license: str | None = None  # a licence's URL; default NLOD 2.0
    accessibility_statement: str | None = None

    @property
    def agreements(self) -> tuple[Agreement, ...]:
        return tuple(a for c in self.categories for a in c.agreements)


# --- the layout: how an edition looks, per format ---------------------------


PAGE_SIZES_CM = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}


@dataclass(frozen=True)
class Fonts:
    family: str  # the name written into the DOCX
    files: dict[str, Path]  # regular, bold, italic, bold_italic: embedded in the PDF
    body_pt: float
    title_pt: float
    heading_pt: float
    table_pt: float
    footer_pt: float


CHART_PATTERNS = ("diagonal", "backdiagonal", "cross")  # the hatchings a chart layout may name
MAXIMUM_CHART_FILLS = 4  # more plain greys than this do not tell apart in grey-scale print


@dataclass(frozen=True)
class ChartStyle:
    # at most four greys, dark to light, that differ in grey-scale print; the
    # series after them take the same greys again under each pattern in turn
    fills: tuple[str, ...] = ("262626", "737373", "BFBFBF", "FFFFFF")
    patterns: tuple[str, ...] = ("diagonal", "cross")
    bar_pt: float = 10  # the thickness of one bar, at least the size of its number
    grid_color: str = "D9D9D9"  # the light lines up from the value axis' ticks

    def series_looks(self, count: int) -> list[tuple[str, str | None]]:
        """(fill, pattern or None) for each of ``count`` series: every grey plain,
        then every grey with the first pattern, and so on; past the last, again."""
        looks = [(fill, pattern) for pattern in (None, *self.patterns) for fill in self.fills]
        return [looks[index % len(looks)] for index in range(count)]


# What a table column holds: an agreement's name, its form, one member's
# mark (or, in the summary, a count), its comment. Members have one column each.
NAME, FORM, MEMBER, COMMENT = COLUMN_ROLES = ("name", "form", "member", "comment")
# What a layout may do, step by step, when the member names do not fit whole:
# turn the member headers, set the header row smaller, or set the pages landscape.
MANY_MEMBERS = ("turn", "smaller", "landscape")
# Where the table prints an agreement's 'since': in the comment column ("Fra 2019"), or nowhere.
SINCE_PLACES = ("comment", "none")


@dataclass(frozen=True)
class ColumnRule:
    """How wide a column of one role may be, in cm; its text decides within."""

    min_cm: float
    max_cm: float


@dataclass(frozen=True)
class TableStyle:
    column_rules: dict[str, ColumnRule]  # per role in COLUMN_ROLES
    slack: str  # the role whose column takes the width the others leave
    many_members: tuple[str, ...]  # steps of MANY_MEMBERS, taken in this order until the table fits
    smallest_header_pt: float  # how small "smaller" may set the header row
    grid_pt: float
    grid_color: str  # hex RRGGBB
    header_shading: str
    category_shading: str
    category_text: str
    cell_padding_pt: float
    since: str = "comment"  # where an agreement's 'since' is printed: one of SINCE_PLACES


# A line of text is this many times its font size tall, in every format and
# every measure of it (the layout's line_spacing multiplies it for body text).
LINE_HEIGHT = 1.2

DEEPEST_HEADING = 6  # HTML and tagged PDF have six heading levels; the title is the first
LIST_LEVELS = 3  # the bullet characters a layout may name: Word's List Bullet styles have three levels


@dataclass(frozen=True)
class Outline:
    """How the document's headings and lists are marked, the same in every format."""

    heading_shift: int = 1  # a heading of level n in the text is shown at level n + shift; the title is level 1
    deepest_heading: int = DEEPEST_HEADING  # no heading is shown deeper than this
    bullets: tuple[str, ...] = ("•", "–", "◦")  # per nesting level of a list; deeper levels take the last

    def heading_level(self, level: int) -> int:
        """The level (1 to :data:`DEEPEST_HEADING`) a heading of ``level`` in the text is shown at."""
        return min(level + self.heading_shift, self.deepest_heading)

    def bullet(self, depth: int) -> str:
        """The bullet of a list item ``depth`` lists deep (0: the outermost)."""
        return self.bullets[min(depth, len(self.bullets) - 1)]


MINIMUM_TEXT_CONTRAST = 4.5  # WCAG 2.1 success criterion 1.4.3, for text of normal size


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2.1 contrast ratio of two hex RGB colours, from 1 to 21."""
    lighter, darker = sorted((_relative_luminance(foreground), _relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _relative_luminance(hex_rgb: str) -> float:
    channels = [int(hex_rgb[index : index + 2], 16) / 255 for index in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@dataclass(frozen=True)
class Layout:
    name: str
    page_size: str  # "A4" or "Letter"
    landscape: bool
    margins_cm: dict[str, float]  # top, bottom, left, right
    fonts: Fonts
    text_color: str
    space_after_pt: float
    line_spacing: float
    table: TableStyle
    labels: dict[str, dict[str, str]]  # language -> label key -> text
    chart: ChartStyle = field(default_factory=ChartStyle)
    outline: Outline = field(default_factory=Outline)
    facts_appendix: bool = False  # the PDF and DOCX end with «Fakta om samarbeidene»

    def label(self, language: str, key: str, **values: str) -> str:
        return self.labels[language][key].format(**values)

    @property
    def page_cm(self) -> tuple[float, float]:
        width, height = PAGE_SIZES_CM[self.page_size]
        return (height, width) if self.landscape else (width, height)

    @property
    def usable_width_cm(self) -> float:
        """The text area's width: the page's, less the left and right margins."""
        return self.page_cm[0] - self.margins_cm["left"] - self.margins_cm["right"]

    @property
    def usable_height_cm(self) -> float:
        """The text area's height: the page's, less the top and bottom margins."""
        return self.page_cm[1] - self.margins_cm["top"] - self.margins_cm["bottom"]

    def text_contrasts(self) -> dict[str, float]:
        """Contrast of each kind of text with what it is printed on, for WCAG 1.4.3."""
        table = self.table
        return {
            "text": contrast_ratio(self.text_color, "FFFFFF"),
            "header_row": contrast_ratio(self.text_color, table.header_shading),
            "category_row": contrast_ratio(table.category_text, table.category_shading),
        }

    def _roomiest_page(self) -> Layout:
        """This layout on the pages its many-members rule may turn to: landscape, if it names that step."""
        return replace(self, landscape=True) if "landscape" in self.table.many_members else self

    def member_capacity(self) -> int:
        """The most member columns the agreement table holds: each at least as
        wide as a letter of the table's text (one em) and the cell padding on
        both sides, so that a mark, and a member's name broken letter by
        letter, still fit, beside the other columns at their least widths,
        on the pages the layout may turn to."""
        page = self._roomiest_page()
        rules = self.table.column_rules
        narrowest_cm = (self.fonts.table_pt + 2 * self.table.cell_padding_pt) * 2.54 / 72
        others_cm = rules["name"].min_cm + rules["form"].min_cm + rules["comment"].min_cm
        return max(0, math.floor((page.usable_width_cm - others_cm) / narrowest_cm))

    def longest_member_name(self, member_count: int) -> int:
        """The most letters a member's name may have with ``member_count``
        members, so that its column header fills at most three quarters of a
        page, leaving room for rows under it. An estimate on the safe side:
        every letter as wide as the widest (one em); a header broken into
        lines as narrow as the column the others leave it; a turned header
        (where the layout may turn them) one line along three quarters of
        the page's height."""
        page = self._roomiest_page()
        rules = self.table.column_rules
        size = self.fonts.table_pt
        others_cm = rules["name"].min_cm + rules["form"].min_cm + rules["comment"].min_cm
        column_cm = min(rules["member"].max_cm, (page.usable_width_cm - others_cm) / max(1, member_count))
        letters_per_line = max(1, math.floor((column_cm * 72 / 2.54 - 2 * self.table.cell_padding_pt) / size))
        height_pt = page.usable_height_cm * 72 / 2.54
        across = math.floor(height_pt * 3 / 4 / (size * LINE_HEIGHT)) * letters_per_line
        turned = math.floor(height_pt * 3 / 4 / size)
        return min(across, turned) if "turn" in self.table.many_members else across


# --- the document: what is shown, decided once for every writer -------------


@dataclass(frozen=True)
class Run:
    text: str
    emphasis: bool = False
    strong: bool = False
    link: str | None = None  # an http(s) address the text leads to, where a format can link


Inline = tuple[Run, ...]


@dataclass(frozen=True)
class Fact:
    """One fact about an agreement, as shown: its label and its value."""

    label: str
    value: Inline


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    level: int  # 1 is the highest under the title
    runs: Inline


@dataclass(frozen=True)
class Paragraph:
    runs: Inline


@dataclass(frozen=True)
class ListItem:
    runs: Inline
    children: tuple[ListItem, ...] = ()


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]


@dataclass(frozen=True)
class TableColumns:
    """How a table's columns are set, decided by the measure step
    (:mod:`builder.measure`) and only read by the writers: their widths in
    points (whole twips, so that the DOCX and the PDF get the same numbers),
    which are centred (marks and counts), which header cells read upwards,
    the header row's text size, and the length of the line the turned
    headers are set on, the longest with room to spare (0 when none is
    turned): the header row is that tall and its padding."""

    widths_pt: tuple[float, ...]
    centred: tuple[bool, ...]
    turned: tuple[bool, ...]
    header_pt: float
    turned_length_pt: float
    fits: bool  # whether every column has the least its rule allows, or had to give more
    # where the member headers had to turn: the other column that asked the
    # most beyond the least its rule allows, and how wide it had to be (cm);
    # None where they did not turn, or no other column asked more than its least
    crowding: int | None = None
    crowding_cm: float = 0.0

    @property
    def twips(self) -> list[int]:
        return [round(width * 20) for width in self.widths_pt]


class NotMeasured(Exception):  # noqa: N818 - names the missing step, not a failure
    """A table handed to a writer before the measure step set its columns."""


def measured(table: AgreementTable | DataTable) -> TableColumns:
    """The columns the measure step set on ``table``."""
    if table.columns is None:
        raise NotMeasured("the document was not measured: run builder.measure.measure on it before a writer")
    return table.columns


@dataclass(frozen=True)
class AgreementRow:
    name: Inline  # with the framework marker or "see below" note already added
    form: str  # as the table prints it: "§ 19-1" for a kommunalt oppgavefellesskap
    marks: tuple[bool, ...]  # one per member column
    comment: str
    form_words: str = ""  # the printed form in words, where it is a paragraph of a law: for assistive technology
    facts: tuple[Fact, ...] = ()  # the web edition opens them from the row; the printed table never shows them


@dataclass(frozen=True)
class RowGroup:
    """A category: a full-width heading row and the agreements under it."""

    heading: str
    rows: tuple[AgreementRow, ...]


@dataclass(frozen=True)
class AgreementTable:
    """The agreements, a group per category. Which column holds what is its
    ``roles``: writers ask them, never assume an order."""

    header: tuple[str, ...]  # one label per column
    roles: tuple[str, ...]  # per column: NAME, FORM, MEMBER (one per member, in order) or COMMENT
    groups: tuple[RowGroup, ...]
    mark: str  # the text shown where a member takes part
    caption: str  # a table title for assistive technology
    description: str  # alt text summarising the table
    columns: TableColumns | None = None  # set by the measure step, from the text and the layout

    @property
    def member_count(self) -> int:
        return self.roles.count(MEMBER)

    @property
    def members(self) -> tuple[str, ...]:
        """The member columns' labels, in column order."""
        return tuple(label for label, role in zip(self.header, self.roles, strict=True) if role == MEMBER)

    def cells(self, row: AgreementRow) -> tuple[Any, ...]:
        """``row``'s content column by column: the name's runs (Inline), the
        form and the comment as text (str), and for each member whether it
        takes part (bool). Typed Any: the type follows the column's role,
        which the writers branch on, and no annotation can say that."""
        marks = iter(row.marks)
        return tuple(next(marks) if role == MEMBER else getattr(row, role) for role in self.roles)


@dataclass(frozen=True)
class DataTable:
    """A plain grid of short texts: one header row, then rows whose first cell
    names the row. The other columns hold counts, one per member (and one for
    the region), and are set as the agreement table's member columns."""

    header: tuple[str, ...]
    roles: tuple[str, ...]  # per column: NAME for the first, MEMBER for each column of counts
    rows: tuple[tuple[str, ...], ...]
    caption: str  # a table title for assistive technology
    description: str  # alt text summarising the table
    columns: TableColumns | None = None  # set by the measure step, from the text and the layout


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart: for each category, one bar per series."""

    title: str  # shown above the chart
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]  # values[series][category]
    alt_text: str  # the text alternative for screen readers: every value in words
    axis_label: str  # what the value axis counts
    note: str = ""  # shown under the chart, e.g. that a value of 0 has no bar


Block = Title | Heading | Paragraph | BulletList | AgreementTable | DataTable | Chart


@dataclass(frozen=True)
class Document:
    title: str
    language_tag: str  # BCP 47, e.g. "nb-NO"
    subject: str
    blocks: tuple[Block, ...]
    footer_page_label: str  # with "{page}" where the number goes
    created: dt.datetime = field(default_factory=lambda: dt.datetime(2000, 1, 1))
    footer_links: tuple[tuple[str, str], ...] = ()  # (text, http(s) address), in a web page's footer
