"""Column widths fitted to the text a table sets, decided here for every writer.

The layout gives the rules per column role (name, form, member, comment): a
least and a greatest width, the role whose column takes the width the others
leave, and what to do when the member names do not fit whole (turn their
headers to read upwards, set the header row smaller, set the pages
landscape, in the order it names). Within those rules the text decides,
measured in the layout's fonts: the PDF embeds the font files, and the Word
file names a family with the same metrics (Carlito and Calibri), so one
measure serves both formats and both put their column rules in the same places.

What the text asks of each column:

- no word breaks inside: every column is at least as wide as its longest word
  (within the role's greatest width; a member name counts whatever the rule);
- a member's name stands whole on one line where the page allows;
- a form, and a comment that several rows share ("Lillehammer vertskommune"),
  stands on one line where the page allows;
- the member columns are one width, the widest name's, where the page allows:
  when it is a little short, the narrower names give back before a whole text breaks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace

from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth

from builder.measure.fonts import register_fonts
from builder.model import (
    COMMENT,
    FORM,
    LINE_HEIGHT,
    MEMBER,
    NAME,
    AgreementTable,
    DataTable,
    Inline,
    Layout,
    Run,
    TableColumns,
)

# Office suites place text in their own units (twips, hundredths of a mm);
# a column keeps this much beyond its measured text so that a word measured
# to fit here also fits there.
ROOM_PT = 0.5
TURNED_ROOM = 0.5  # in font sizes: what a turned header's line keeps beyond its text
HEADER_STEP_PT = 0.5  # how much smaller each try of "smaller" sets the header row
# A comment shared by at least this many rows is one a reader sees again and
# again: it should stand on one line.
COMMON_COMMENT_ROWS = 2

# Where a line may break: spaces, tabs and line breaks, not the no-break spaces.
_BREAKS = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def centred_columns(roles: Iterable[str]) -> tuple[bool, ...]:
    """Which columns are centred, in the DOCX and the PDF alike: those of marks and counts."""
    return tuple(role == MEMBER for role in roles)


def agreement_table_columns(table: AgreementTable, layout: Layout) -> TableColumns:
    """The widths of the table's columns, each by its role: a name and a form
    by their texts, a member by its label and the mark, a comment by its
    texts, those that several rows share whole."""
    roles = list(table.roles)
    rows = [row for group in table.groups for row in group.rows]
    body: list[list[Inline]] = [[] for _ in roles]
    whole: list[list[str]] = [[] for _ in roles]
    for column, role in enumerate(roles):
        if role == NAME:
            body[column] = [row.name for row in rows]
        elif role == MEMBER:
            body[column] = [(Run(table.mark),)]
        elif role == FORM:
            forms = sorted({row.form for row in rows})
            body[column] = [(Run(form),) for form in forms]
            whole[column] = forms
        elif role == COMMENT:
            comments = Counter(row.comment for row in rows)
            body[column] = [(Run(comment),) for comment in comments]
            whole[column] = [text for text, count in comments.items() if count >= COMMON_COMMENT_ROWS]
    return fit(table.header, roles, body, whole, layout)


def data_table_columns(table: DataTable, layout: Layout) -> TableColumns:
    """A plain table: its first column names the rows, the others hold counts
    and are headed by a member (or the region), as the agreement table's member columns."""
    roles = list(table.roles)
    body: list[list[Inline]] = [[(Run(row[column]),) for row in table.rows] for column in range(len(roles))]
    return fit(table.header, roles, body, [[] for _ in roles], layout)


def fit(
    header: Iterable[str],
    roles: list[str],
    body: list[list[Inline]],
    whole: list[list[str]],
    layout: Layout,
) -> TableColumns:
    """Widths for columns of ``roles`` whose header labels are ``header``, whose
    cells hold ``body`` and of which ``whole`` should stand on one line.

    The columns start as wide as their whole texts ask and give back width,
    the slack column first, down to their longest word; the slack column
    takes what is left over. When the least widths do not fit, the layout's
    steps for many members are taken in turn until they do: the member
    headers turned (their names then set no width), the header row smaller
    a half point at a time. (Landscape pages are chosen before, by :func:`builder.measure.measure`.)"""
    measure = _Measure(layout)
    header = list(header)
    table_pt = layout.fonts.table_pt
    # what the cells ask, the same in every try: measured once
    words = [max((measure.longest_word(runs, table_pt) for runs in cells), default=0.0) for cells in body]
    lines = [max((measure.line(text, "regular", table_pt) for text in texts), default=0.0) for texts in whole]
    tries = _tries(layout, MEMBER in roles)
    first = None
    for header_pt, turn in tries:
        columns = _Columns(header, roles, words, lines, layout, measure, header_pt, turn)
        first = first or columns
        if columns.fits() or (header_pt, turn) == tries[-1]:
            settled = columns.settle()
            return replace(settled, **first.crowding()) if any(settled.turned) else settled
    raise AssertionError("the last try always settles")


def _tries(layout: Layout, has_members: bool) -> list[tuple[float, bool]]:
    """(header size, member headers turned) to try, in order: the table as it
    is, then after each step of the layout's many-members rule. On a portrait
    page, only the steps before "landscape": the later ones are for the landscape page."""
    steps = layout.table.many_members
    if "landscape" in steps and not layout.landscape:
        steps = steps[: steps.index("landscape")]
    size, turn = layout.fonts.table_pt, False
    tries = [(size, turn)]
    for step in steps:
        if step == "turn" and has_members and not turn:
            turn = True
            tries.append((size, turn))
        elif step == "smaller":
            while size - HEADER_STEP_PT >= layout.table.smallest_header_pt - 1e-9:
                size -= HEADER_STEP_PT
                tries.append((size, turn))
    return tries


class _Measure:
    """Text widths in the layout's fonts, a word measured once."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.fonts = register_fonts(layout, ("regular", "bold"))
        self.registered = {"regular", "bold"}  # the italic faces only where a name has emphasis
        self.cache: dict[tuple[str, str, float], float] = {}

    def __call__(self, text: str, face: str, size: float) -> float:
        key = (text, face, size)
        width = self.cache.get(key)
        if width is None:
            if face not in self.registered:
                register_fonts(self.layout, (face,))
                self.registered.add(face)
            width = self.cache[key] = stringWidth(text, self.fonts[face], size)
        return width

    def longest_word(self, runs: Inline, size: float) -> float:
        # a loop, not max() over a generator: it runs for every word of every
        # name in a register, and a word measured before is one dict look-up
        longest, cache = 0.0, self.cache
        for run in runs:
            face = _face(run)
            for word in _BREAKS.split(run.text):
                width = cache.get((word, face, size))
                if width is None:
                    width = self(word, face, size) if word else 0.0
                if width > longest:
                    longest = width
        return longest

    def line(self, text: str, face: str, size: float) -> float:
        """``text`` on one line (where it has line breaks: its longest line)."""
        return max(self(line, face, size) for line in text.split("\n"))


def _face(run: Run) -> str:
    if run.emphasis:
        return "bold_italic" if run.strong else "italic"
    return "bold" if run.strong else "regular"


class _Columns:
    """One try at fitting. Each column has three widths: its longest word
    (``words``: narrower, a word breaks), the least the layout allows it
    (``floors``: the longest word or the role's min, whichever is wider) and
    what its whole texts ask (``wants``), each within the role's max. The
    member columns are one width in each; ``own_floors`` are the floors before
    that, which they give back to when the page is short."""

    def __init__(self, header: list[str], roles: list[str], words: list[float], lines: list[float], layout: Layout,
                 measure: _Measure, header_pt: float, turn: bool):  # fmt: skip
        """``words`` and ``lines``: per column, its cells' longest word and longest text to stand whole."""
        self.roles, self.layout, self.header_pt = roles, layout, header_pt
        self.turned = tuple(turn and role == MEMBER for role in roles)
        self.usable = layout.usable_width_cm * cm
        padding = 2 * layout.table.cell_padding_pt + ROOM_PT
        rules = layout.table.column_rules
        self.words, self.floors, self.wants = [], [], []
        for index, role in enumerate(roles):
            if self.turned[index]:  # a turned header is one line across the column
                label_word = label_line = header_pt * LINE_HEIGHT
            else:
                label_word = measure.longest_word((Run(header[index], strong=True),), header_pt)
                label_line = measure.line(header[index], "bold", header_pt) if role == MEMBER else 0.0
            word = max(label_word, words[index]) + padding
            line = max(label_line, lines[index]) + padding
            least, most = rules[role].min_cm * cm, rules[role].max_cm * cm
            # a member's name is never broken inside, whatever the rule; other long words may be
            word = word if role == MEMBER else min(word, most)
            self.words.append(word)
            self.floors.append(max(least, word))
            self.wants.append(max(self.floors[-1], min(line, most)))
        self.own_floors = list(self.floors)
        self._same_width_for_members()
        turned_names = [measure.line(header[i], "bold", header_pt) for i in range(len(roles)) if self.turned[i]]
        # LibreOffice wraps a turned line that has only the room a column
        # keeps (it lays the row out before it turns the text): half a line more
        self.turned_length = max(turned_names) + header_pt * TURNED_ROOM if turned_names else 0.0

    def _same_width_for_members(self) -> None:
        """The member columns are one width, the widest's: a grid of marks reads evenly."""
        members = [index for index, role in enumerate(self.roles) if role == MEMBER]
        for widths in (self.words, self.floors, self.wants):
            widest = max((widths[i] for i in members), default=0.0)
            for index in members:
                widths[index] = widest

    def fits(self) -> bool:
        """Whether every column gets the least the layout allows it."""
        return sum(self.floors) <= self.usable

    def crowding(self) -> dict:
        """The column other than a member's whose text asks the most beyond
        its rule's least width, as :class:`TableColumns`' fields."""
        rules = self.layout.table.column_rules
        beyond = {
            index: self.floors[index] - rules[role].min_cm * cm
            for index, role in enumerate(self.roles)
            if role != MEMBER and self.floors[index] > rules[role].min_cm * cm + ROOM_PT
        }
        if not beyond:
            return {}
        index = max(beyond, key=beyond.__getitem__)
        return {"crowding": index, "crowding_cm": self.floors[index] / cm}

    def settle(self) -> TableColumns:
        """The widths: what the texts ask, given back where the page is too
        narrow, first down to the layout's least widths (the slack column
        first, then the others in proportion to what they can give), then
        down to the longest words; past those every column in proportion."""
        slack = self.roles.index(self.layout.table.slack) if self.layout.table.slack in self.roles else 0
        members = [index for index, role in enumerate(self.roles) if role == "member"]
        # the slack column first; then one width for the members, before a whole text breaks
        widths = _give_back(list(self.wants), self.own_floors, self.usable, order=([slack], members))
        widths = _give_back(widths, self.words, self.usable)
        total = sum(widths)
        if total > self.usable:
            widths = [width * self.usable / total for width in widths]
        twips = [int(width * 20) for width in widths]
        twips[slack] += int(self.usable * 20) - sum(twips)  # the slack column takes what is left
        return TableColumns(
            widths_pt=tuple(t / 20 for t in twips),
            turned=self.turned,
            header_pt=self.header_pt,
            turned_length_pt=self.turned_length,
            centred=centred_columns(self.roles),
            fits=self.fits(),
        )


def _give_back(
    widths: list[float], least: list[float], usable: float, order: tuple[list[int], ...] = ()
) -> list[float]:
    """``widths`` narrowed towards ``least`` until they fit ``usable``: the
    columns of each group in ``order`` in turn, then all of them, each time in
    proportion to what each can give."""
    for group in (*order, range(len(widths))):
        excess = sum(widths) - usable
        room = [max(0.0, widths[i] - least[i]) if i in group else 0.0 for i in range(len(widths))]
        if excess <= 0 or sum(room) <= 0:
            continue
        share = min(1.0, excess / sum(room))
        widths = [width - give * share for width, give in zip(widths, room, strict=True)]
    return widths
