"""Renders a :class:`Document` as one self-contained HTML5 page: inline CSS,
no script, nothing fetched from elsewhere, so it reads the same from a web
server, from ``file://`` and from a mail attachment.

What assistive technology needs is in the markup: the edition's language,
the title as the one ``h1`` with the headings below it, real lists, and the
agreement table with its caption, column headers, each agreement's name as
its row's header and each category as a row group whose header spans the
table. A mark is a visible "x" that screen readers skip, beside words they
read ("deltar"). On a narrow screen (or zoomed to 400 %) the table reflows,
by CSS alone, into one block per agreement: its name, its form, the members
that take part and its comment, each labelled by a span that only sight
needs. The summary's chart is an SVG image whose text alternative gives
every number; its table is beside it.

No text from the content or the layout reaches the page but through
``_text`` (one escape, for elements and attributes alike), and links only
through ``_href``; the CSS holds only the checked layout's numbers and
colours, and names as CSS strings (``css_string``). The page carries a
Content-Security-Policy (``PAGE_POLICY``) that lets no script run.

One escape function rather than a Jinja2 template with autoescape: the
table's cells are the hot loop and cannot be a template, and markupsafe's
escape (Jinja2's) makes a Markup object of every value: the page of 5,000
agreements × 8 members took 0.17 s with it against 0.12 s with this one
(median of 20 renders, as tests/benchmark.py's "html render" times it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from urllib.parse import urlsplit

from builder.model import (
    COMMENT,
    FORM,
    LINE_HEIGHT,
    MEMBER,
    NAME,
    AgreementRow,
    AgreementTable,
    BulletList,
    Chart,
    DataTable,
    Document,
    Heading,
    Inline,
    Layout,
    ListItem,
    Paragraph,
    Title,
    contrast_ratio,
    measured,
)
from builder.walk import BlockVisitor, visit
from builder.writers.chart_geometry import GAP, GROUP_GAP, HATCH_SPACING, value_axis

# A link section shown under the title: a heading (or "": none) and (text, relative URL) pairs.
LinkSection = tuple[str, Sequence[tuple[str, str]]]

TABLE_ID = "samarbeid"  # the agreement table's anchor, the target of the skip link
NARROW = "40em"  # below this width the agreement table reflows into blocks
# CSS's names for the bullets it has; any other is drawn as itself and a space
LIST_STYLE_TYPES = {"•": "disc", "◦": "circle", "▪": "square", "■": "square"}


# The Content-Security-Policy of every page build and publish write: nothing
# is fetched and no script runs, whatever a text or a layout holds. Only the
# page's own inline CSS applies ('unsafe-inline': its <style> and the table's
# column widths); with default-src 'none' no CSS can fetch anything either.
# The preview server, which adds its own script, passes policy=None and sends
# its own policy as a header (or passes another policy string).
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def render_html(
    document: Document, layout: Layout, links: Sequence[LinkSection] = (), policy: str | None = PAGE_POLICY
) -> bytes:
    """The page; ``links`` (a publication folder's downloads and other pages)
    are shown under the title, in a navigation landmark. ``policy`` is the
    page's Content-Security-Policy, in a meta element; None leaves it out."""
    page = _Page(document, layout)
    return page.render(links, policy).encode("utf-8")


def _text(text: str) -> str:
    """Text as HTML: the one escape of every text from the content and the
    layout, in elements and in attributes alike (it escapes quotes too)."""
    return escape(text, quote=True)


def _href(href: str) -> str:
    """A link to another file of the same site: a relative or root-relative
    URL, never one with a scheme (``javascript:``)."""
    if urlsplit(href).scheme or href.lstrip().startswith("//"):
        raise ValueError(f"a page links only within its site, not to {href!r}")
    return _text(href)


WEB_SCHEMES = ("https", "http")


def _web_href(href: str) -> str:
    """A link to another site (an agreement's page, the register, the
    accessibility statement): ``https:`` or ``http:`` only, never
    ``javascript:`` or ``data:``, whatever the content's reader let through."""
    if urlsplit(href).scheme.lower() not in WEB_SCHEMES or any(c.isspace() or not c.isprintable() for c in href):
        raise ValueError(f"a page links out only to http(s) addresses, not to {href!r}")
    return _text(href)


def _runs(runs: Inline) -> str:
    parts = []
    for run in runs:
        text = _text(run.text)
        if run.emphasis:
            text = f"<em>{text}</em>"
        if run.strong:
            text = f"<strong>{text}</strong>"
        if run.link is not None:
            text = f'<a href="{_web_href(run.link)}">{text}</a>'
        parts.append(text)
    return "".join(parts)


def _facts(row: AgreementRow, summary: str) -> str:
    """The agreement's facts, opened from its row: a disclosure a screen
    reader announces as one, its terms and values a description list."""
    entries = "".join(f"<dt>{_text(fact.label)}</dt><dd>{_runs(fact.value)}</dd>" for fact in row.facts)
    return f'<details class="facts"><summary>{_text(summary)}</summary><dl>{entries}</dl></details>'


class _Page(BlockVisitor[str]):
    def __init__(self, document: Document, layout: Layout):
        self.document = document
        self.layout = layout
        self.labels = layout.labels[_language(document, layout)]
        self.ids = 0

    def new_id(self, kind: str) -> str:
        self.ids += 1
        return f"{kind}-{self.ids}"

    def render(self, links: Sequence[LinkSection], policy: str | None) -> str:
        document = self.document
        has_table = any(isinstance(block, AgreementTable) for block in document.blocks)
        body: list[str] = []
        for block in document.blocks:
            body.append(visit(block, self))
            if isinstance(block, Title) and links:
                body.append(self.navigation(links))
        meta = "" if policy is None else f'<meta http-equiv="Content-Security-Policy" content="{_text(policy)}">\n'
        skip = f'<a class="skip" href="#{TABLE_ID}">{_text(self.labels["skip_to_table"])}</a>\n' if has_table else ""
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{_text(document.language_tag)}">\n<head>\n<meta charset="utf-8">\n{meta}'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_text(document.title)}</title>\n"
            f'<meta name="description" content="{_text(document.subject)}">\n'
            f'<meta name="dcterms.created" content="{document.created.date().isoformat()}">\n'
            f"<style>\n{stylesheet(self.layout)}</style>\n</head>\n<body>\n{skip}<main>\n"
            + "\n".join(body)
            + "\n</main>\n"
            + self.footer()
            + "</body>\n</html>\n"
        )

    def footer(self) -> str:
        """The page's footer: its links out, such as the accessibility statement."""
        if not self.document.footer_links:
            return ""
        entries = "".join(
            f'<li><a href="{_web_href(href)}">{_text(text)}</a></li>' for text, href in self.document.footer_links
        )
        return f"<footer>\n<ul>{entries}</ul>\n</footer>\n"

    def navigation(self, links: Sequence[LinkSection]) -> str:
        parts = []
        for heading, items in links:
            if heading:
                parts.append(f"<h2>{_text(heading)}</h2>")
            entries = "".join(f'<li><a href="{_href(href)}">{_text(text)}</a></li>' for text, href in items)
            parts.append(f"<ul>{entries}</ul>")
        return "<nav>\n" + "\n".join(parts) + "\n</nav>"

    def title(self, block: Title) -> str:
        return f"<h1>{_text(block.text)}</h1>"

    def heading(self, block: Heading) -> str:
        level = self.layout.outline.heading_level(block.level)
        return f"<h{level}>{_runs(block.runs)}</h{level}>"

    def paragraph(self, block: Paragraph) -> str:
        return f"<p>{_runs(block.runs)}</p>"

    def bullet_list(self, block: BulletList) -> str:
        return _list(block.items)

    # --- the agreement table ---------------------------------------------

    def agreement_table(self, table: AgreementTable) -> str:
        described = f"{TABLE_ID}-beskrivelse"
        # the widths the print sets, as shares of the page: one decision for every format
        parts = measured(table).widths_pt
        columns = "".join(f'<col style="width:{100 * part / sum(parts):.2f}%">' for part in parts)
        member_class = ' class="member"'
        header = "".join(
            f'<th scope="col"{member_class if role == MEMBER else ""}>{_text(text)}</th>'
            for text, role in zip(table.header, table.roles, strict=True)
        )
        # the description is the table's, read with it; hidden, so not read a second time as a paragraph
        out = [
            f'<p hidden id="{described}">{_text(table.description)}</p>',
            f'<table class="agreements" id="{TABLE_ID}" aria-describedby="{described}">',
            f"<caption>{_text(table.caption)}</caption>",
            f"<colgroup>{columns}</colgroup>",
            f"<thead><tr>{header}</tr></thead>",
        ]
        span = len(table.header)
        row = _RowWriter(table, self.labels["taking_part"], self.labels.get("facts_summary", ""))
        for group in table.groups:
            out.append(
                f'<tbody>\n<tr class="category"><th scope="rowgroup" colspan="{span}">{_text(group.heading)}</th></tr>'
            )
            out += [row(agreement) for agreement in group.rows]
            out.append("</tbody>")
        out.append("</table>")
        return "\n".join(out)

    # --- the summary -----------------------------------------------------

    def data_table(self, table: DataTable) -> str:
        caption = self.new_id("tabell")
        header = "".join(f'<th scope="col">{_text(text)}</th>' for text in table.header)
        rows = "\n".join(
            "<tr>"
            + "".join(
                f'<th scope="row">{_text(cell)}</th>' if role == NAME else f"<td>{_text(cell)}</td>"
                for cell, role in zip(row, table.roles, strict=True)
            )
            + "</tr>"
            for row in table.rows
        )
        # a wide grid may scroll within its own box, never the page; the box
        # is focusable so that a keyboard can scroll it
        return (
            f'<div class="scroll" role="region" tabindex="0" aria-labelledby="{caption}">\n'
            f'<table class="data" aria-describedby="{caption}-beskrivelse">'
            f'<caption id="{caption}">{_text(table.caption)}</caption>\n'
            f"<thead><tr>{header}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>\n"
            f'<p hidden id="{caption}-beskrivelse">{_text(table.description)}</p>\n</div>'
        )

    def chart(self, chart: Chart) -> str:
        name = self.new_id("diagram")
        looks = self.layout.chart.series_looks(len(chart.series))
        legend = "".join(
            f'<li><svg width="12" height="12" viewBox="0 0 12 12">'
            f'<rect x="0.5" y="0.5" width="11" height="11" fill="{_fill(name, look)}" stroke="#000"/></svg>'
            f"{_text(series)}</li>"
            for series, look in zip(chart.series, looks, strict=True)
        )
        note = f'\n<p class="note">{_text(chart.note)}</p>' if chart.note else ""
        return (
            f'<figure class="chart">\n<figcaption>{_text(chart.title)}</figcaption>\n'
            f'<ul class="legend" aria-hidden="true">{legend}</ul>\n'
            f"{chart_svg(chart, self.layout, name)}{note}\n</figure>"
        )


class _RowWriter:
    """An agreement's row, its cells in the order of the table's roles. A
    register repeats its marks, forms and comments in row after row: each
    distinct cell is written once."""

    def __init__(self, table: AgreementTable, taking_part: str, facts_summary: str = ""):
        self.table = table
        self.facts_summary = facts_summary
        said = _text(taking_part)
        # on a narrow screen the x gives way to the member's name; the first
        # name is preceded by "Deltar:", for sight only
        lead = f'<span class="lead" aria-hidden="true">{_text(taking_part.capitalize())}:</span> '
        self.marks: dict[int, tuple[str, str, str]] = {}  # per member column: (empty, first marked, marked)
        for column, (label, role) in enumerate(zip(table.header, table.roles, strict=True)):
            if role == MEMBER:
                marked = (
                    f'<span class="label member-name" aria-hidden="true">{_text(label)}</span>'
                    f'<span class="x" aria-hidden="true">{_text(table.mark)}</span><span class="vh">{said}</span></td>'
                )
                self.marks[column] = (
                    '<td class="mark"></td>',
                    f'<td class="mark">{lead}{marked}',
                    f'<td class="mark">{marked}',
                )
        self.written: dict[tuple[int, str], str] = {}

    def __call__(self, row: AgreementRow) -> str:
        table = self.table
        first = True
        cells = []
        for column, (role, content) in enumerate(zip(table.roles, table.cells(row), strict=True)):
            if role == MEMBER:
                empty, first_marked, marked = self.marks[column]
                cells.append((first_marked if first else marked) if content else empty)
                first = first and not content
            elif role == NAME:
                cells.append(f'<th scope="row">{_runs(content)}</th>')
            elif role == FORM and row.form_words:
                cell = self.written.get((column, content))
                if cell is None:
                    cell = self.written[(column, content)] = _form_cell(table.header[column], content, row.form_words)
                cells.append(cell)
            elif role == COMMENT and row.facts:  # the facts are the row's own: never shared with another
                cells.append(_labelled_cell(role, table.header[column], content, _facts(row, self.facts_summary)))
            else:
                cell = self.written.get((column, content))
                if cell is None:
                    cell = self.written[(column, content)] = _labelled_cell(role, table.header[column], content)
                cells.append(cell)
        return "<tr>" + "".join(cells) + "</tr>"


def _language(document: Document, layout: Layout) -> str:
    """The layout's language key for the document's BCP 47 tag (nb-NO: nb)."""
    language = document.language_tag.split("-")[0]
    return language if language in layout.labels else next(iter(layout.labels))


def _labelled_cell(kind: str, label: str, text: str, after: str = "") -> str:
    if not text:
        return f'<td class="{kind}">{after}</td>'
    return f'<td class="{kind}"><span class="label" aria-hidden="true">{_text(label)}: </span>{_text(text)}{after}</td>'


def _form_cell(label: str, printed: str, words: str) -> str:
    """A form printed as its paragraph ("§ 19-1"): its words shown on hover,
    and read out after the paragraph by a screen reader."""
    return (
        f'<td class="form"><span class="label" aria-hidden="true">{_text(label)}: </span>'
        f'<abbr title="{_text(words)}">{_text(printed)}</abbr><span class="vh"> ({_text(words)})</span></td>'
    )


def _list(items: tuple[ListItem, ...]) -> str:
    entries = []
    for item in items:
        children = f"\n{_list(item.children)}" if item.children else ""
        entries.append(f"<li>{_runs(item.runs)}{children}</li>")
    return "<ul>\n" + "\n".join(entries) + "\n</ul>"


# --- the chart as SVG ------------------------------------------------------

CHART_WIDTH = 320  # user units; the picture scales to the width it is given
CHART_TEXT = 12  # the text size, in the same units
DIGIT_WIDTH = 0.6  # a digit's width, in text sizes (generous: no font metrics here)


def _fill(chart_id: str, look: tuple[str, str | None]) -> str:
    fill, pattern = look
    return f"url(#{chart_id}-{pattern}-{fill})" if pattern else f"#{fill}"


def chart_svg(chart: Chart, layout: Layout, chart_id: str) -> str:
    """Horizontal grouped bars: each category's name on a line of its own
    above its bars (so long names need no measuring), one bar per series in
    the series' look, its number after it, a zero no bar; the value axis
    below with whole-number ticks. The SVG is one image to assistive
    technology, named by the chart's text alternative."""
    size = CHART_TEXT
    bar = size * layout.chart.bar_pt / layout.fonts.table_pt
    gap = size * GAP
    rule = 1
    looks = layout.chart.series_looks(len(chart.series))
    left = size / 2  # room for half the first tick's number
    plot_width = CHART_WIDTH - left - size  # and the last's
    largest = max((max(values, default=0) for values in chart.values), default=0)
    step, top = value_axis(largest, plot_width, gap + len(str(largest)) * size * DIGIT_WIDTH)

    def x(value: float) -> float:
        return left + value / top * plot_width

    grid, shapes = [], []
    y = 0.0
    for index, category in enumerate(chart.categories):
        y += size * LINE_HEIGHT
        shapes.append(_svg_text(left, y, category))
        y += gap / 2
        band_top = y
        for values, look in zip(chart.values, looks, strict=True):
            value = values[index]
            if value:
                shapes.append(
                    f'<rect x="{left:.1f}" y="{y:.1f}" width="{x(value) - left:.1f}" height="{bar:.1f}"'
                    f' fill="{_fill(chart_id, look)}" stroke="#000" stroke-width="{rule}"/>'
                )
                shapes.append(_svg_text(x(value) + gap / 2, y + bar / 2 + size * 0.35, str(value)))
            y += bar
        for tick in range(0, top + 1, step):
            grid.append(_svg_line(x(tick), band_top, x(tick), y, f"#{layout.chart.grid_color}"))
        grid.append(_svg_line(left, band_top, left, y, "#000"))
        y += bar * GROUP_GAP / 2
    axis = [_svg_line(left, y, left + plot_width, y, "#000")]
    for tick in range(0, top + 1, step):
        axis.append(_svg_line(x(tick), y, x(tick), y + gap / 2, "#000"))
        axis.append(_svg_text(x(tick), y + gap / 2 + size, str(tick), "middle"))
    y += gap / 2 + size * (2 + GAP)
    axis.append(_svg_text(x(top / 2), y, chart.axis_label, "middle"))
    height = y + size * GAP
    alt = f"{chart_id}-alt"
    return (
        f'<svg role="img" aria-labelledby="{alt}" viewBox="0 0 {CHART_WIDTH} {height:.1f}"'
        f' font-size="{size}" fill="#{layout.text_color}">\n'
        f'<title id="{alt}">{_text(chart.alt_text)}</title>\n'
        f"<defs>{_patterns(chart_id, looks, layout.chart.bar_pt / layout.fonts.table_pt * size)}</defs>\n"
        + "\n".join([*grid, *shapes, *axis])
        + "\n</svg>"
    )


def _patterns(chart_id: str, looks: list[tuple[str, str | None]], bar: float) -> str:
    """A pattern for each hatched look: the grey, and lines in black or white,
    whichever stands out more from it (as the PDF draws them)."""
    spacing = bar * HATCH_SPACING
    angles = {"diagonal": 45, "backdiagonal": -45, "cross": 45}
    patterns = []
    for fill, pattern in dict.fromkeys(looks):
        if pattern is None:
            continue
        ink = "#000" if contrast_ratio(fill, "000000") >= contrast_ratio(fill, "FFFFFF") else "#FFF"
        middle = spacing / 2
        lines = f'<line x1="{middle:.2f}" y1="0" x2="{middle:.2f}" y2="{spacing:.2f}" stroke="{ink}"/>'
        if pattern == "cross":
            lines += f'<line x1="0" y1="{middle:.2f}" x2="{spacing:.2f}" y2="{middle:.2f}" stroke="{ink}"/>'
        patterns.append(
            f'<pattern id="{chart_id}-{pattern}-{fill}" patternUnits="userSpaceOnUse" width="{spacing:.2f}"'
            f' height="{spacing:.2f}" patternTransform="rotate({angles[pattern]})">'
            f'<rect width="{spacing:.2f}" height="{spacing:.2f}" fill="#{fill}"/>{lines}</pattern>'
        )
    return "".join(patterns)


def _svg_text(x: float, y: float, text: str, anchor: str = "start") -> str:
    middle = ' text-anchor="middle"' if anchor == "middle" else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{middle}>{_text(text)}</text>'


def _svg_line(x1: float, y1: float, x2: float, y2: float, colour: str) -> str:
    return f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}"/>'


# --- the stylesheet --------------------------------------------------------


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string. Every printable character stands as
    itself but the quotes, the backslash, ``<``, ``>`` and ``&``, which are
    CSS escapes (\\3c for <) as is any other character, so that no value
    can end the string, the rule or the page's <style> element."""
    return '"' + "".join(f"\\{ord(c):x} " if c in _CSS_ESCAPED or not c.isprintable() else c for c in text) + '"'


_CSS_ESCAPED = frozenset("\"'\\<>&")


def _font_families(layout: Layout) -> str:
    """The embedded font's family (from its file name, Carlito-Regular.ttf),
    the family the Word file names, then the system's sans-serif."""
    families = []
    regular = layout.fonts.files.get("regular")
    if regular is not None:
        families.append(regular.stem.split("-")[0])
    families.append(layout.fonts.family)
    named = [_font_family(name) for name in dict.fromkeys(families) if name]
    return ", ".join([*named, "sans-serif"])


def _font_family(name: str) -> str:
    """A family's name, bare where CSS reads it as one name (Calibri), else quoted."""
    return name if re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", name) else css_string(name)


def _list_style_type(bullet: str) -> str:
    """The bullet as CSS names it, or as a string: itself and a space."""
    return LIST_STYLE_TYPES.get(bullet, css_string(f"{bullet} "))


def stylesheet(layout: Layout) -> str:
    """The page's CSS, from the layout's fonts, sizes and colours; text sizes
    relative to the reader's own (the body text is 1rem). Every value comes
    from the checked layout: numbers, six-digit colours, and names and
    bullets as CSS strings, so the sheet never holds a '<'."""
    css = _stylesheet(layout)
    if "<" in css:  # a value that escaped the layout's checks; never written into a page
        raise ValueError("the stylesheet holds a '<'")
    return css


def _stylesheet(layout: Layout) -> str:
    fonts, table = layout.fonts, layout.table
    text = f"#{layout.text_color}"

    def relative(points: float) -> str:
        return f"{points / fonts.body_pt:.3f}em"

    width, height = layout.page_cm
    margins = layout.margins_cm
    bullets = "\n".join(
        f"{'ul ' * (level + 1)}{{list-style-type:{_list_style_type(bullet)}}}"
        for level, bullet in enumerate(layout.outline.bullets)
    )
    return f"""\
html{{-webkit-text-size-adjust:100%;text-size-adjust:100%}}
body{{margin:0;padding:1rem;color:{text};background:#FFF;font-family:{_font_families(layout)};
line-height:{layout.line_spacing * 1.25:.2f}}}
main{{max-width:75rem;margin:0 auto}}
h1{{font-size:{relative(fonts.title_pt)}}}
h2,h3,h4,h5,h6{{font-size:{relative(fonts.heading_pt)}}}
h1,h2,h3,h4,h5,h6,p,li,caption,th,td,figcaption{{overflow-wrap:break-word}}
p,ul{{margin:0 0 {layout.space_after_pt / fonts.body_pt:.3f}em}}
p,li,figure{{max-width:45rem}}
{bullets}
a{{color:{text};text-decoration:underline}}
a:focus-visible,[tabindex]:focus-visible{{outline:3px solid {text};outline-offset:2px}}
.skip{{position:absolute;left:1rem;top:-10rem;background:#FFF;padding:.5rem}}
.skip:focus{{top:1rem}}
nav{{margin-bottom:1.5rem;border-bottom:1px solid #{table.grid_color}}}
nav ul{{padding-left:1.25rem}}
.vh{{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;border:0;overflow:hidden;
clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}}
table{{border-collapse:collapse;font-size:{relative(fonts.table_pt)};width:100%}}
caption{{text-align:left;font-weight:bold;padding:.25rem 0}}
th,td{{border:1px solid #{table.grid_color};padding:{table.cell_padding_pt / fonts.table_pt:.3f}em;
vertical-align:top;text-align:left}}
thead th{{background:#{table.header_shading};color:{text}}}
tr.category th{{background:#{table.category_shading};color:#{table.category_text}}}
tbody th[scope=row]{{font-weight:normal}}
td.mark,th.member,table.data td{{text-align:center}}
.label,.lead{{display:none}}
.scroll{{overflow-x:auto;max-width:100%}}
table.data{{width:auto}}
table.data th,table.data td{{overflow-wrap:normal}}
figure.chart{{margin:1rem 0;max-width:28rem}}
figure.chart > svg{{display:block;width:100%;height:auto}}
figcaption{{font-weight:bold}}
.legend{{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}}
.legend svg{{width:.9em;height:.9em;margin-right:.3em;vertical-align:-.1em}}
.note{{font-size:{relative(fonts.table_pt)}}}
details.facts{{margin-top:.25em}}
details.facts summary{{cursor:pointer;text-decoration:underline}}
details.facts dl{{margin:.25em 0}}
details.facts dt{{font-weight:bold}}
details.facts dd{{margin:0 0 .25em}}
footer{{max-width:75rem;margin:2rem auto 0;border-top:1px solid #{table.grid_color}}}
footer ul{{list-style:none;padding:0}}
@media screen and (max-width:{NARROW}){{
table.agreements,.agreements caption,.agreements tbody,.agreements tr,.agreements th,.agreements td{{display:block}}
.agreements thead{{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}}
.agreements colgroup{{display:none}}
.agreements tr{{border:1px solid #{table.grid_color};border-top:0;padding:.5em}}
.agreements tr.category{{padding:0;border:0;margin-top:1em}}
.agreements th,.agreements td{{border:0;padding:.15em 0;text-align:left}}
.agreements tr.category th{{padding:.4em .5em;border:1px solid #{table.grid_color}}}
.agreements tbody th[scope=row]{{font-weight:bold}}
.agreements td:empty{{display:none}}
.agreements .label,.agreements .lead{{display:inline}}
.agreements td.mark{{display:inline}}
.agreements .x{{display:none}}
.agreements .member-name{{display:inline-block;border:1px solid {text};border-radius:.25em;
padding:0 .35em;margin:.15em .35em .15em 0}}
table.data th,table.data td{{padding:.3em .25em}}
table.data tbody th{{overflow-wrap:anywhere}}
}}
@media print{{
@page{{size:{width}cm {height}cm;margin:{margins["top"]}cm {margins["right"]}cm {margins["bottom"]}cm \
{margins["left"]}cm}}
body{{padding:0;font-size:{fonts.body_pt}pt}}
main,p,li,figure{{max-width:none}}
.skip,nav{{display:none}}
table{{font-size:{fonts.table_pt}pt}}
th,td{{border:{table.grid_pt}pt solid #{table.grid_color}}}
thead{{display:table-header-group}}
tr{{break-inside:avoid;page-break-inside:avoid}}
tr.category{{break-after:avoid;page-break-after:avoid}}
h1,h2,h3,h4,h5,h6,figcaption{{break-after:avoid;page-break-after:avoid}}
figure.chart{{break-inside:avoid;max-width:{layout.usable_width_cm}cm}}
}}
"""
