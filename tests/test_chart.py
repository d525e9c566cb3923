"""The summary's chart as a reader sees it: read back from the built PDF with
pdfplumber (bars, their numbers, the axis, the legend), from the DOCX with
python-docx (the picture's text alternative), for three members in bokmål
and for the five Sami members in nynorsk on landscape pages, and in one
member's own edition."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import docx
import pdfplumber
import pytest
from readback import docx_paragraphs, docx_pictures, docx_tables, pdf_figures, pdf_tables, pdf_text

from builder.build import build

LILLEHAMMER = ["Lillehammer", "Gausdal", "Øyer"]
SAMI = ["Guovdageaidnu", "Kárášjohka", "Deatnu", "Porsáŋgu", "Unjárga"]


@dataclass(frozen=True)
class Edition:
    name: str
    pdf: object
    docx: object
    members: list[str]
    title: str
    axis: str
    zero_note: str
    conjunction: str = "og"


@pytest.fixture(scope="module", params=["content", "nord-sami"])
def edition(request, root, tmp_path_factory) -> Edition:
    out = tmp_path_factory.mktemp(request.param)
    if request.param == "content":
        written, _ = build(root / "content", out, summary=True)
        files = {path.suffix.lstrip("."): path for path in written}
        return Edition(
            "content", files["pdf"], files["docx"], LILLEHAMMER,
            "Antall samarbeid per type samarbeid og kommune", "Antall samarbeid",
            "Der en kommune ikke har noe samarbeid av en type, har kommunen ingen stolpe.",
        )  # fmt: skip
    written, _ = build(root / "examples" / "nord-sami", out)
    files = {path.suffix.lstrip("."): path for path in written}
    return Edition(
        "nord-sami", files["pdf"], files["docx"], SAMI,
        "Talet på samarbeid per type samarbeid og kommune", "Talet på samarbeid",
        "Der ein kommune ikkje har noko samarbeid av ein type, har kommunen ingen stolpe.",
    )  # fmt: skip


@dataclass
class ChartOnPage:
    """What the chart draws, between its title and its axis label."""

    ticks: list[dict]  # the value axis' numbers, left to right (pdfplumber words)
    bars: list[dict]  # top to bottom (pdfplumber rects)
    numbers: list[dict]  # the words in the plot that are numbers
    swatches: list[dict]  # the legend's squares, in reading order
    hatching: list[dict]  # slanted lines
    words: list[dict]  # every word in the chart


def read_chart(path, title: str, axis: str, members: list[str]) -> ChartOnPage:
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            lines = page.extract_text_lines()
            top = next((line["bottom"] for line in lines if line["text"] == title), None)
            if top is None:
                continue
            bottom = next(line["top"] for line in lines if line["text"] == axis and line["top"] > top)
            words = [w for w in page.extract_words() if top < w["top"] and w["bottom"] < bottom]
            names = {word for member in members for word in member.split() if not word.isdigit()}
            legend = max(w["bottom"] for w in words if w["text"] in names)
            lowest = max(w["top"] for w in words)
            ticks = sorted((w for w in words if abs(w["top"] - lowest) < 1), key=lambda w: w["x0"])
            plot = [w for w in words if w["top"] > legend and w not in ticks]
            rects = [r for r in page.rects if top < r["top"] and r["bottom"] < bottom]
            return ChartOnPage(
                ticks=ticks,
                bars=sorted((r for r in rects if r["top"] > legend), key=lambda r: r["top"]),
                numbers=[w for w in plot if w["text"].isdigit() and w["x0"] > ticks[0]["x1"]],  # not "§ 28"
                swatches=sorted((r for r in rects if r["top"] <= legend), key=lambda r: (round(r["top"]), r["x0"])),
                hatching=[
                    line
                    for line in page.lines
                    if top < line["top"]
                    and line["bottom"] < bottom
                    and line["x0"] != line["x1"]
                    and line["top"] != line["bottom"]
                ],  # fmt: skip
                words=words,
            )
    raise AssertionError(f"no page shows the chart '{title}'")


@pytest.fixture(scope="module")
def chart(edition) -> ChartOnPage:
    return read_chart(edition.pdf, edition.title, edition.axis, edition.members)


def summary_counts(edition: Edition) -> dict[str, list[int]]:
    """The PDF summary table's rows per form: the count for each member (not the region's, not the sums)."""
    (table,) = [t for t in pdf_tables(edition.pdf) if t[0][: len(edition.members) + 1][1:] == edition.members]
    return {row[0]: [int(cell) for cell in row[1 : 1 + len(edition.members)]] for row in table[1:-2]}


def number_beside(bar: dict, numbers: list[dict]) -> int:
    """The number printed just after a bar's end, on the bar's middle line."""
    middle = (bar["top"] + bar["bottom"]) / 2
    beside = [w for w in numbers if w["top"] < middle < w["bottom"] and w["x0"] > bar["x1"]]
    assert beside, f"no number after the bar at {bar['top']:.1f}"
    return int(min(beside, key=lambda w: w["x0"])["text"])


def hatching(rect: dict, lines: list[dict]) -> frozenset[bool]:
    """The slants of the hatching inside a rectangle: rising, falling, or both (crossed)."""
    return frozenset(
        (line["pts"][1][1] - line["pts"][0][1]) * (line["pts"][1][0] - line["pts"][0][0]) < 0
        for line in lines
        if rect["x0"] - 0.5 <= line["x0"] and line["x1"] <= rect["x1"] + 0.5
        and rect["top"] - 0.5 <= line["top"] and line["bottom"] <= rect["bottom"] + 0.5
    )  # fmt: skip


def test_the_axis_has_whole_number_ticks_from_zero_and_headroom(chart):
    values = [int(tick["text"]) for tick in chart.ticks]
    assert all(tick["text"].isdigit() for tick in chart.ticks), [tick["text"] for tick in chart.ticks]
    assert values[0] == 0 and len(values) >= 3
    steps = {b - a for a, b in pairwise(values)}
    assert len(steps) == 1, f"evenly stepped: {values}"
    centres = [(tick["x0"] + tick["x1"]) / 2 for tick in chart.ticks]
    spacing = [b - a for a, b in pairwise(centres)]
    assert max(spacing) - min(spacing) < 1, "evenly spaced on the page"
    largest = max(int(w["text"]) for w in chart.numbers)
    assert values[-1] > largest, "headroom: the axis goes past the longest bar"
    longest = max(bar["x1"] for bar in chart.bars)
    assert longest < centres[-1] - 5, "and so does its end"


def test_bars_are_in_proportion_to_their_counts(chart):
    zero, last = chart.ticks[0], chart.ticks[-1]
    origin = (zero["x0"] + zero["x1"]) / 2
    per_count = ((last["x0"] + last["x1"]) / 2 - origin) / int(last["text"])
    assert chart.bars
    for bar in chart.bars:
        assert bar["x0"] == pytest.approx(origin, abs=1), "every bar starts at zero"
        count = number_beside(bar, chart.numbers)
        assert (bar["x1"] - origin) / per_count == pytest.approx(count, abs=0.05), f"a bar of {count}"


def test_the_bars_show_the_summary_tables_counts(edition, chart):
    counts = summary_counts(edition)
    in_table = [n for row in counts.values() for n in row if n]
    assert [number_beside(bar, chart.numbers) for bar in chart.bars] == in_table, "form by form, member by member"
    labels = " ".join(w["text"] for w in chart.words)
    assert all(form.split()[0] in labels for form in counts), "every form of the table names a group of bars"


def test_zero_is_shown_once_and_no_numbers_overlap(edition, chart):
    zeros = [w for w in chart.words if w["text"] == "0"]
    assert zeros == [chart.ticks[0]], "the one 0 is the axis' origin"
    for index, number in enumerate(chart.numbers):
        for other in chart.numbers[index + 1 :]:
            apart = number["bottom"] <= other["top"] or other["bottom"] <= number["top"]
            apart = apart or number["x1"] <= other["x0"] or other["x1"] <= number["x0"]
            assert apart, f"'{number['text']}' and '{other['text']}' overlap"
    has_zero = any(0 in row for row in summary_counts(edition).values())
    text = " ".join(pdf_text(edition.pdf).split())
    assert (edition.zero_note in text) == has_zero, "a note says why a member has no bar where it has none"
    paragraphs = [text for _, text in docx_paragraphs(edition.docx)]
    assert (edition.zero_note in paragraphs) == has_zero


def test_members_tell_apart_in_grey_scale(edition, chart):
    """At most four plain fills; past them, the same fills hatched, and every
    member's look in the legend differs from every other's."""
    greys = {round(sum(rect["non_stroking_color"]) / 3, 2) for rect in chart.bars}
    assert len(greys) <= 4, f"{len(greys)} fills"
    assert len(chart.swatches) == len(edition.members)
    looks = [(tuple(rect["non_stroking_color"]), hatching(rect, chart.hatching)) for rect in chart.swatches]
    assert len(set(looks)) == len(edition.members), looks
    assert any(slants for _, slants in looks) == (len(edition.members) > 4), "hatched only past four greys"


def test_the_text_alternative_states_every_count(edition):
    (picture,) = docx_pictures(edition.docx)
    (figure,) = pdf_figures(edition.pdf)
    assert picture.description == figure.alt, "the same text alternative in both formats"
    summary = docx_tables(edition.docx)[0]
    assert summary[0][1 : 1 + len(edition.members)] == edition.members
    for row in summary[1:-2]:
        said = [f"{member} {count}" for member, count in zip(edition.members, row[1:], strict=False)]
        expected = f"{row[0]}: {', '.join(said[:-1])} {edition.conjunction} {said[-1]}."
        assert expected in picture.description, f"'{expected}' in: {picture.description}"


@pytest.fixture(scope="module")
def oyer(root, tmp_path_factory):
    written, _ = build(root / "content", tmp_path_factory.mktemp("oyer"), summary=True, member="Øyer")
    return {path.suffix.lstrip("."): path for path in written}


def test_a_members_edition_says_whose_agreements_are_counted(oyer):
    title = "Antall samarbeid som Øyer deltar i, per type samarbeid og kommune"
    assert title in " ".join(pdf_text(oyer["pdf"]).split())
    assert title in [text for _, text in docx_paragraphs(oyer["docx"])]
    read_chart(oyer["pdf"], title, "Antall samarbeid", LILLEHAMMER)
    table = docx.Document(str(oyer["docx"])).tables[0]
    caption = table._tbl.tblPr.find(docx.oxml.ns.qn("w:tblCaption")).get(docx.oxml.ns.qn("w:val"))
    assert caption == "Samarbeid som Øyer deltar i, per type og kommune per 1. januar 2019"
    summary = docx_tables(oyer["docx"])[0]
    assert summary[0][3:5] == ["Øyer", "Alle"]
    assert all(row[3] == row[4] for row in summary[1:-1]), "only Øyer's own agreements are counted"


def test_the_summary_table_is_never_split_with_a_row_alone(make_edition, tmp_path):
    """Narrative of 20 to 31 lines moves the summary table over the foot of
    page 1: it is on one page every time, never one row apart from the rest."""
    from edits import write

    pages_seen = set()
    for lines in range(20, 32):
        narrative = "".join(f"Linje {number}.\n\n" for number in range(lines))
        content = make_edition(write("text/innledning.md", narrative))
        written, _ = build(content, tmp_path / f"out{lines}", ("pdf",), summary=True)
        with pdfplumber.open(str(written[0])) as pdf:
            pages = {
                label: {number for number, page in enumerate(pdf.pages)
                        for line in page.extract_text_lines() if line["text"].startswith(label)}
                for label in ("Type samarbeid", "Sum", "Vertskommune for")
            }  # fmt: skip
        assert len(set.union(*pages.values())) == 1, f"{lines} lines: {pages}"
        pages_seen |= pages["Sum"]
    assert pages_seen == {0, 1}, "the sweep moved the table from page 1 to page 2"


def test_a_chart_too_tall_for_a_page_is_drawn_smaller_on_one(tmp_path):
    """Twelve members and twelve forms: the chart would be taller than a page,
    which a drawing cannot split; it is scaled down instead, and every member
    still has a look of its own (four greys, hatched, cross-hatched)."""
    import yaml

    from builder.forms import vocabulary

    members = [f"Kommune {number}" for number in range(1, 13)]
    forms = list(vocabulary().names)[:12]
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "innledning.md").write_text("Innledning.\n", "utf-8")
    report = {"as_of": "2024-01-01", "region": "Stor", "members": members, "language": "nb",
              "text": ["innledning.md"], "summary": True}  # fmt: skip
    (tmp_path / "report.yaml").write_text(yaml.safe_dump(report, allow_unicode=True), "utf-8")
    agreements = [
        {"name": f"Samarbeid {n}", "form": forms[n % 12], "members": members[: 1 + n % 12]} for n in range(150)
    ]
    (tmp_path / "agreements.yaml").write_text(
        yaml.safe_dump({"categories": [{"name": "Alle", "agreements": agreements}]}, allow_unicode=True), "utf-8"
    )
    written, _ = build(tmp_path, tmp_path / "out", ("pdf",))
    chart = read_chart(written[0], "Antall samarbeid per type samarbeid og kommune", "Antall samarbeid", members)
    assert len(chart.bars) == len({(a["form"], m) for a in agreements for m in a["members"]})
    looks = {(tuple(rect["non_stroking_color"]), hatching(rect, chart.hatching)) for rect in chart.swatches}
    assert len(chart.swatches) == len(looks) == 12


HOSTILE = "A & B <script>alert(1)</script> \"sitat\" 'x' </svg><b>fet</b> &amp;"


def test_the_svg_charts_words_are_text_never_markup(content_dir):
    """Every word the HTML edition's chart draws (a category, the axis
    label, the text alternative, a member in the legend) is shown as written, whatever it holds:
    no script, element or entity of its own reaches the page."""
    import dataclasses

    from html_readback import parse

    from builder.build import prepare
    from builder.model import Chart
    from builder.writers.html_writer import render_html

    prepared = prepare(content_dir, summary=True)
    (chart,) = [block for block in prepared.document.blocks if isinstance(block, Chart)]
    hostile = dataclasses.replace(
        chart,
        categories=(f"{HOSTILE} 1", *chart.categories[1:]),
        axis_label=f"{HOSTILE} 2",
        alt_text=f"{HOSTILE} 3",
        series=(f"{HOSTILE} 4", *chart.series[1:]),
    )
    blocks = tuple(hostile if block is chart else block for block in prepared.document.blocks)
    page = parse(render_html(dataclasses.replace(prepared.document, blocks=blocks), prepared.layout))

    (svg,) = page.xpath("//figure//svg[@role='img']")  # the chart; the legend's swatches are small ones
    drawn = [text.text_content() for text in svg.xpath(".//text")]
    assert f"{HOSTILE} 1" in drawn and f"{HOSTILE} 2" in drawn
    assert svg.xpath("./title")[0].text_content() == f"{HOSTILE} 3"
    assert f"{HOSTILE} 4" in page.xpath("//figure")[0].text_content(), "the legend names the member"
    assert not page.xpath("//script | //b"), "no element of the words' own"
    assert all(len(text) == 0 for text in svg.xpath(".//text")), "a word is text, with no element inside"
