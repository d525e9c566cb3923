"""The summary section: its table's counts checked against the agreements as
the YAML file states them (counted here, not by the code under test), and
the chart present in both formats with its text alternative."""

from __future__ import annotations

import io
from collections import Counter

import pytest
import yaml
from PIL import Image
from readback import docx_paragraphs, docx_pictures, docx_tables, pdf_figures, pdf_tables, pdf_text

from builder.build import build
from builder.forms import vocabulary

MEMBERS = ["Lillehammer", "Gausdal", "Øyer"]
NO_FORM = "Uten type"


def raw_agreements(content_dir) -> list[dict]:
    data = yaml.safe_load((content_dir / "agreements.yaml").read_text("utf-8"))
    agreements = [a for category in data["categories"] for a in category["agreements"]]
    for a in agreements:
        a["members"] = MEMBERS if a.get("members") == "all" else a.get("members") or []
        a["form"] = vocabulary().lookup(a["form"]).name if a.get("form") else NO_FORM
    return agreements


def expected_table(content_dir) -> dict[str, list[str]]:
    """Row label -> the row's cells after it: one per member, then the region's count."""
    agreements = raw_agreements(content_dir)
    rows: dict[str, list[str]] = {}
    per_form = Counter(a["form"] for a in agreements)
    for form in per_form:
        taking_part = [sum(a["form"] == form and m in a["members"] for a in agreements) for m in MEMBERS]
        rows[form] = [str(n) for n in taking_part] + [str(per_form[form])]
    rows["Sum"] = [str(sum(m in a["members"] for a in agreements)) for m in MEMBERS] + [str(len(agreements))]
    hosted = [sum(a.get("host") == m for a in agreements) for m in MEMBERS]
    rows["Vertskommune for"] = [str(n) for n in hosted] + [str(sum(hosted))]
    return rows


@pytest.fixture(scope="module")
def with_summary(content_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("summary")
    written, _ = build(content_dir, out, summary=True)
    return {path.suffix.lstrip("."): path for path in written}


def test_the_data_has_what_the_summary_counts(content_dir):
    """The checks below mean something only if the data has hosts, forms and a row without form."""
    agreements = raw_agreements(content_dir)
    assert sum("host" in a for a in agreements) >= 10
    assert {a["form"] for a in agreements} >= {"§ 27", "§ 28 – 1B", "IKS", "AS", NO_FORM}


def test_docx_summary_table_counts_match_the_data(with_summary, content_dir):
    summary, agreements = docx_tables(with_summary["docx"])
    assert summary[0] == ["Type samarbeid", *MEMBERS, "Alle"]
    assert {row[0]: row[1:] for row in summary[1:]} == expected_table(content_dir)
    forms = [row[0] for row in summary[1:-2]]
    order = vocabulary().names
    assert forms == sorted(forms, key=lambda f: order.index(f) if f in order else len(order)), "vocabulary order"
    assert len(agreements) == 1 + 13 + 57, "the agreement table follows, whole"


def test_pdf_summary_table_counts_match_the_data(with_summary, content_dir):
    (summary,) = [t for t in pdf_tables(with_summary["pdf"]) if t[0] == ["Type samarbeid", *MEMBERS, "Alle"]]
    assert {row[0]: row[1:] for row in summary[1:]} == expected_table(content_dir)


def test_summary_comes_after_the_narrative_and_before_the_table(with_summary):
    paragraphs = docx_paragraphs(with_summary["docx"])
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings == ["Oppsummering"]
    text = " ".join(pdf_text(with_summary["pdf"]).split())
    assert text.index("Vi har i hovedsak ikke tatt med") < text.index("Oppsummering") < text.index("Pr. 01.01.2019")


def test_pdf_chart_is_vector_drawing_with_alt_text(with_summary, content_dir):
    (figure,) = pdf_figures(with_summary["pdf"])
    forms = len(expected_table(content_dir)) - 2
    rectangles = figure.operators.count("re")
    assert rectangles >= forms * len(MEMBERS) + len(MEMBERS), "a bar per form and member, and the legend's swatches"
    assert "Do" not in figure.operators, "no embedded image: the chart is drawn"
    filled = sum(figure.operators.count(op) for op in ("f", "f*", "B", "B*"))
    assert filled >= forms * len(MEMBERS), "every bar is filled"
    totals = expected_table(content_dir)["Sum"]
    assert figure.alt.startswith("Stolpediagram over antall samarbeid per type samarbeid for hver kommune.")
    assert f"Lillehammer {totals[0]}, Gausdal {totals[1]} og Øyer {totals[2]}" in figure.alt
    text = pdf_text(with_summary["pdf"])
    assert "Antall samarbeid per type samarbeid og kommune" in text, "the chart's title is text"
    assert "Uten type" in text and "§ 28 – 1B" in text, "the chart's labels are text, not pixels"


def test_docx_chart_is_a_picture_with_a_description(with_summary, content_dir):
    (picture,) = docx_pictures(with_summary["docx"])
    (figure,) = pdf_figures(with_summary["pdf"])
    assert picture.description == figure.alt, "the same text alternative in both formats"
    image = Image.open(io.BytesIO(picture.image))
    assert image.format == "PNG" and image.width >= 1000
    colours = {colour for _, colour in image.convert("RGB").getcolors(maxcolors=1 << 16)}
    for grey in ("262626", "737373", "BFBFBF"):
        assert tuple(int(grey[i : i + 2], 16) for i in (0, 2, 4)) in colours, f"bars filled with #{grey}"
    captions = [text for _, text in docx_paragraphs(with_summary["docx"])]
    assert "Antall samarbeid per type samarbeid og kommune" in captions


def test_every_member_has_its_own_look(content_dir):
    """Four greys at most; then the greys again, hatched, and cross-hatched."""
    from builder.build import prepare

    style = prepare(content_dir).layout.chart
    assert 1 <= len(set(style.fills)) <= 4
    for count in (2, 3, 5, 8, 12):
        looks = style.series_looks(count)
        assert len(set(looks)) == count, looks
        assert {fill for fill, _ in looks} <= set(style.fills)
        assert all(pattern is None for _, pattern in looks[: len(style.fills)]), "plain greys first"


def test_summary_is_left_out_unless_asked(built):
    assert len(docx_tables(built["docx"])) == 1
    assert not docx_pictures(built["docx"]) and not pdf_figures(built["pdf"])


def test_report_yaml_can_ask_for_the_summary(make_edition, tmp_path):
    from edits import replace

    content = make_edition(replace("report.yaml", "language: nb", "language: nb\nsummary: true"))
    written, _ = build(content, tmp_path / "out", ("docx",))
    summary, _ = docx_tables(written[0])
    assert summary[-1] == ["Vertskommune for", "0", "0", "0", "0"], "the base edition names no host"
    written, _ = build(content, tmp_path / "off", ("docx",), summary=False)
    assert len(docx_tables(written[0])) == 1


def test_layout_chart_greys_are_checked(make_edition, tmp_path):
    from edits import replace

    from builder.diagnostics import ContentError

    content = make_edition(replace("report.yaml", "language: nb", "language: nb\nlayout: grått"))
    (content / "layouts").mkdir()
    (content / "layouts" / "grått.yaml").write_text('extends: oversikt\nchart:\n  fills: ["000000", "grå"]\n', "utf-8")
    with pytest.raises(ContentError) as error:
        build(content, tmp_path)
    (problem,) = error.value.diagnostics.errors
    assert (problem.location.line, problem.message) == (3, "'grå' er ingen farge")


@pytest.mark.parametrize(
    ("chart", "line", "message"),
    [
        (
            '  fills: ["000000", "444444", "888888", "BBBBBB", "FFFFFF"]\n',
            3,
            "'fills' skal ha fra én til 4 farger, ikke 5",
        ),
        (
            '  fills: ["000000", "BFBFBF", "C8C8C8"]\n',
            3,
            "fargene BFBFBF og C8C8C8 er for like på en gråtoneutskrift (1,1:1)",
        ),
        ("  patterns: [diagonal, prikker]\n", 3, "'prikker' er ikke et mønster"),
    ],
)
def test_layout_chart_looks_must_differ_in_grey_scale(make_edition, tmp_path, chart, line, message):
    from edits import replace

    from builder.diagnostics import ContentError

    content = make_edition(replace("report.yaml", "language: nb", "language: nb\nlayout: grått"))
    (content / "layouts").mkdir()
    (content / "layouts" / "grått.yaml").write_text(f"extends: oversikt\nchart:\n{chart}", "utf-8")
    with pytest.raises(ContentError) as error:
        build(content, tmp_path)
    (problem,) = error.value.diagnostics.errors
    assert (problem.location.line, problem.message) == (line, message)
