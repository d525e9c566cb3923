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
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from builder.model import (
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
)
from builder.writers.chart_geometry import value_axis
from builder.writers.column_widths import agreement_table_columns

# A link section shown under the title: a heading (or "": none) and (text, relative URL) pairs.
LinkSection = tuple[str, Sequence[tuple[str, str]]]

TABLE_ID = "samarbeid"  # the agreement table's anchor, the target of the skip link
NARROW = "40em"  # below this width the agreement table reflows into blocks
BULLETS = ("disc", '"– "', "circle")  # per nesting level: the print's •, – and ◦
MAX_HEADING = 6  # HTML has h1 (the title) to h6


def render_html(document: Document, layout: Layout, links: Sequence[LinkSection] = ()) -> bytes:
    """The page; ``links`` (a publication folder's downloads and other pages)
    are shown under the title, in a navigation landmark."""
    page = _Page(document, layout)
    return page.render(links).encode("utf-8")


def _text(text: str) -> str:
    return escape(text, quote=False)


def _attribute(text: str) -> str:
    return escape(text, quote=True)


def _runs(runs: Inline) -> str:
    parts = []
    for run in runs:
        text = _text(run.text)
        if run.emphasis:
            text = f"<em>{text}</em>"
        if run.strong:
            text = f"<strong>{text}</strong>"
        parts.append(text)
    return "".join(parts)


class _Page:
    def __init__(self, document: Document, layout: Layout):
        self.document = document
        self.layout = layout
        self.labels = layout.labels[_language(document, layout)]
        self.ids = 0

    def new_id(self, kind: str) -> str:
        self.ids += 1
        return f"{kind}-{self.ids}"

    def render(self, links: Sequence[LinkSection]) -> str:
        document = self.document
        has_table = any(isinstance(block, AgreementTable) for block in document.blocks)
        body: list[str] = []
        if has_table:
            body.append(f'<a class="skip" href="#{TABLE_ID}">{_text(self.labels["skip_to_table"])}</a>')
        body.append("<main>")
        for block in document.blocks:
            body.append(self.block(block))
            if isinstance(block, Title) and links:
                body.append(self.navigation(links))
        body.append("</main>")
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{_attribute(document.language_tag)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_text(document.title)}</title>\n"
            f'<meta name="description" content="{_attribute(document.subject)}">\n'
            f'<meta name="dcterms.created" content="{document.created.date().isoformat()}">\n'
            f"<style>\n{stylesheet(self.layout)}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
        )

    def navigation(self, links: Sequence[LinkSection]) -> str:
        parts = []
        for heading, items in links:
            if heading:
                parts.append(f"<h2>{_text(heading)}</h2>")
            entries = "".join(f'<li><a href="{_attribute(href)}">{_text(text)}</a></li>' for text, href in items)
            parts.append(f"<ul>{entries}</ul>")
        return "<nav>\n" + "\n".join(parts) + "\n</nav>"

    def block(self, block) -> str:
        if isinstance(block, Title):
            return f"<h1>{_text(block.text)}</h1>"
        if isinstance(block, Heading):
            level = min(block.level + 1, MAX_HEADING)
            return f"<h{level}>{_runs(block.runs)}</h{level}>"
        if isinstance(block, Paragraph):
            return f"<p>{_runs(block.runs)}</p>"
        if isinstance(block, BulletList):
            return _list(block.items)
        if isinstance(block, AgreementTable):
            return self.agreement_table(block)
        if isinstance(block, DataTable):
            return self.data_table(block)
        if isinstance(block, Chart):
            return self.chart(block)
        raise TypeError(f"no HTML for {type(block).__name__}")

    # --- the agreement table ---------------------------------------------

    def agreement_table(self, table: AgreementTable) -> str:
        described = f"{TABLE_ID}-beskrivelse"
        # the printed formats' widths, as shares of the table: the columns keep their proportions on any screen
        widths = agreement_table_columns(table, self.layout).widths_pt
        columns = "".join(f'<col style="width:{100 * width / sum(widths):.2f}%">' for width in widths)
        member_class = ' class="member"'
        header = "".join(
            f'<th scope="col"{member_class if 2 <= index < 2 + table.member_count else ""}>{_text(text)}</th>'
            for index, text in enumerate(table.header)
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
        for group in table.groups:
            out.append(
                f'<tbody>\n<tr class="category"><th scope="rowgroup" colspan="{span}">{_text(group.heading)}</th></tr>'
            )
            out += [self.agreement_row(row, table) for row in group.rows]
            out.append("</tbody>")
        out.append("</table>")
        return "\n".join(out)

    def agreement_row(self, row: AgreementRow, table: AgreementTable) -> str:
        members = table.header[2:-1]
        form_label, comment_label = table.header[1], table.header[-1]
        cells = [f'<th scope="row">{_runs(row.name)}</th>', _labelled_cell("form", form_label, row.form)]
        taking_part = _text(self.labels["taking_part"])
        first = True
        for member, marked in zip(members, row.marks, strict=True):
            if not marked:
                cells.append('<td class="mark"></td>')
                continue
            # on a narrow screen the x gives way to the member's name; the
            # first name is preceded by "Deltar:", for sight only
            lead = f'<span class="lead" aria-hidden="true">{taking_part.capitalize()}:</span> ' if first else ""
            first = False
            cells.append(
                f'<td class="mark">{lead}<span class="label member-name" aria-hidden="true">{_text(member)}</span>'
                f'<span class="x" aria-hidden="true">{_text(table.mark)}</span>'
                f'<span class="vh">{taking_part}</span></td>'
            )
        cells.append(_labelled_cell("comment", comment_label, row.comment))
        return "<tr>" + "".join(cells) + "</tr>"

    # --- the summary -----------------------------------------------------

    def data_table(self, table: DataTable) -> str:
        caption = self.new_id("tabell")
        header = "".join(f'<th scope="col">{_text(text)}</th>' for text in table.header)
        rows = "\n".join(
            f'<tr><th scope="row">{_text(first)}</th>' + "".join(f"<td>{_text(cell)}</td>" for cell in rest) + "</tr>"
            for first, *rest in table.rows
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


def _language(document: Document, layout: Layout) -> str:
    """The layout's language key for the document's BCP 47 tag (nb-NO: nb)."""
    language = document.language_tag.split("-")[0]
    return language if language in layout.labels else next(iter(layout.labels))


def _labelled_cell(kind: str, label: str, text: str) -> str:
    if not text:
        return f'<td class="{kind}"></td>'
    return f'<td class="{kind}"><span class="label" aria-hidden="true">{_text(label)}: </span>{_text(text)}</td>'


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
GROUP_GAP = 0.8  # between two categories, in bar thicknesses (as the PDF's chart)
HATCH_SPACING = 0.4  # between two hatching lines, in bar thicknesses
GAP = 0.6  # between a label and what it labels, in text sizes


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
        y += size * 1.2
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


def _font_families(layout: Layout) -> str:
    """The embedded font's family (from its file name, Carlito-Regular.ttf),
    the family the Word file names, then the system's sans-serif."""
    families = []
    regular = layout.fonts.files.get("regular")
    if regular is not None:
        families.append(regular.stem.split("-")[0])
    families.append(layout.fonts.family)
    quoted = [f'"{name}"' if " " in name else name for name in dict.fromkeys(families) if name]
    return ", ".join([*quoted, "sans-serif"])


def stylesheet(layout: Layout) -> str:
    """The page's CSS, from the layout's fonts, sizes and colours; text sizes
    relative to the reader's own (the body text is 1rem)."""
    fonts, table = layout.fonts, layout.table
    text = f"#{layout.text_color}"

    def relative(points: float) -> str:
        return f"{points / fonts.body_pt:.3f}em"

    width, height = layout.page_cm
    margins = layout.margins_cm
    bullets = "\n".join(f"{'ul ' * (level + 1)}{{list-style-type:{kind}}}" for level, kind in enumerate(BULLETS))
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
