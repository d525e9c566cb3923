"""The agreement table's columns are as wide as the text they set needs, the
same in both formats: no header word and no member name broken inside, the
common comments on one line, and with many members the layout's steps
(turned member headers, a smaller header row, landscape pages). Read back
from the built files: pdfplumber for the PDF, python-docx for the Word file."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn

from builder.build import build, prepare
from builder.diagnostics import Diagnostics
from builder.model import AgreementTable
from builder.readers.layout import read_layout

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import generate  # noqa: E402

ROTATED = {"char_dir_rotated": "btt", "line_dir_rotated": "ltr"}  # turned text reads from the bottom up


def agreement_table(content: Path) -> AgreementTable:
    return next(block for block in prepare(content).document.blocks if isinstance(block, AgreementTable))


def pdf_header(path: Path, header: tuple[str, ...]) -> tuple[list[float], list[list[dict]]]:
    """On the first page of the agreement table: its column rules (x, from
    the table's left edge) and the words of each header cell, turned or not."""
    first_word = header[0].split()[0]
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            anchor = next((w for w in page.extract_words(**ROTATED) if w["text"] == first_word), None)
            if anchor is None:
                continue
            lines = page.lines
            across = [line for line in lines if line["top"] <= anchor["top"] <= line["bottom"]]
            columns = sorted({round(line["x0"], 2) for line in across if line["x0"] == line["x1"]})
            rows = sorted(line["top"] for line in lines if line["top"] == line["bottom"] and line["x0"] <= anchor["x0"])
            top = max(y for y in rows if y <= anchor["top"])
            bottom = min(y for y in rows if y > anchor["bottom"])
            cells = [page.within_bbox((left, top, right, bottom)).extract_words(**ROTATED)
                     for left, right in zip(columns, columns[1:], strict=False)]  # fmt: skip
            return [x - columns[0] for x in columns], cells
    raise AssertionError(f"no page shows '{first_word}'")


def docx_columns(path: Path, header: tuple[str, ...]) -> tuple[list[float], docx.table.Table]:
    """The agreement table's column rules (x in pt from its left edge) from its grid, and the table."""
    table = next(t for t in docx.Document(str(path)).tables if t.rows[0].cells[0].text == header[0])
    positions = [0.0]
    for column in table.columns:
        positions.append(positions[-1] + column.width.pt)
    return positions, table


@pytest.fixture(scope="module")
def many_members(tmp_path_factory) -> Path:
    """An edition of twelve members in the official (portrait) layout."""
    return generate(tmp_path_factory.mktemp("twelve") / "content", 40, 12)


def built_files(content: Path, out: Path) -> dict[str, Path]:
    written, _ = build(content, out)
    return {path.suffix.lstrip("."): path for path in written}


# --- every edition -------------------------------------------------------------


def test_no_header_word_is_broken_in_the_pdf(edition):
    """Every word of every header label comes back whole from its own cell:
    "kommuneloven" is not "kommunelov" and "en", "Guovdageaidnu" not "Guovdage" and "aidnu"."""
    table = agreement_table(edition.content_dir)
    _, cells = pdf_header(edition.pdf, table.header)
    assert [[w["text"] for w in cell] for cell in cells] == [label.split() for label in table.header]


def test_columns_stand_at_the_same_places_in_both_formats(edition):
    table = agreement_table(edition.content_dir)
    pdf_positions, _ = pdf_header(edition.pdf, table.header)
    docx_positions, word_table = docx_columns(edition.docx, table.header)
    assert len(pdf_positions) == len(table.header) + 1
    assert docx_positions == pytest.approx(pdf_positions, abs=0.05)
    # every cell of the header row says the same width as the grid
    widths = [cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w")) for cell in word_table.rows[0].cells]
    assert [int(width) for width in widths] == [round(c.width.twips) for c in word_table.columns]


# --- the 2019 edition ----------------------------------------------------------


def test_common_comments_stand_on_one_line_in_the_pdf(built, content_dir):
    """The comments that several rows share ("Lillehammer vertskommune", in
    eleven rows) come back as one line of the comment column in every row."""
    table = agreement_table(content_dir)
    comments = [row.comment for group in table.groups for row in group.rows]
    common = {c for c in comments if c and comments.count(c) > 1}
    assert "Lillehammer vertskommune" in common
    positions, _ = pdf_header(built["pdf"], table.header)
    found = []
    with pdfplumber.open(built["pdf"]) as pdf:
        for page in pdf.pages:
            lines = page.lines
            edges = sorted({line["x0"] for line in lines if line["x0"] == line["x1"]})
            if len(edges) < len(positions):
                continue  # not a page of the table
            column = page.within_bbox((edges[-2], 0, edges[-1], page.height))
            found += [line["text"] for line in column.extract_text_lines()]
    for comment in common:
        assert found.count(comment) == comments.count(comment), comment


def test_member_names_stand_whole_across_when_they_fit(built, content_dir):
    table = agreement_table(content_dir)
    _, cells = pdf_header(built["pdf"], table.header)
    for name, cell in zip(table.header[2:-1], cells[2:-1], strict=True):
        assert [(w["text"], w["upright"]) for w in cell] == [(name, True)]
        assert len({round(w["top"]) for w in cell}) == 1


# --- many members --------------------------------------------------------------


def turned_directions(word_table) -> list[str | None]:
    """Each header cell's text direction in the Word file (None: across)."""
    directions = []
    for cell in word_table.rows[0].cells:
        found = cell._tc.tcPr.find(qn("w:textDirection"))
        directions.append(None if found is None else found.get(qn("w:val")))
    return directions


def pdf_is_landscape(path: Path) -> list[bool]:
    with pdfplumber.open(path) as pdf:
        return sorted({page.width > page.height for page in pdf.pages})


def test_five_members_turn_their_headers_on_a_portrait_page(sami):
    """Five Sami names do not fit across a portrait page beside the other
    columns: the official layout turns them to read upwards, whole, in the
    PDF and in the Word file, and the page stays portrait."""
    table = agreement_table(sami.content_dir)
    members = table.header[2:-1]
    _, cells = pdf_header(sami.pdf, table.header)
    assert [[(w["text"], w["upright"]) for w in cell] for cell in cells[2:-1]] == [[(n, False)] for n in members]
    assert all(w["upright"] for cell in (cells[:2] + cells[-1:]) for w in cell)
    _, word_table = docx_columns(sami.docx, table.header)
    assert turned_directions(word_table) == [None, None, *["btLr"] * len(members), None]
    # the row is tall enough for the longest name, as in the PDF
    height = word_table.rows[0]._tr.trPr.find(qn("w:trHeight"))
    assert height.get(qn("w:hRule")) == "atLeast"
    longest = max(w["bottom"] - w["top"] for cell in cells[2:-1] for w in cell)
    assert int(height.get(qn("w:val"))) / 20 > longest
    assert pdf_is_landscape(sami.pdf) == [False]
    section = docx.Document(str(sami.docx)).sections[0]
    assert section.page_width < section.page_height


def test_twelve_members_turn_their_headers_on_landscape_pages(many_members, tmp_path):
    """Twelve members do not fit a portrait page even turned: the official
    layout's next step sets the pages landscape, in both formats, with the
    names turned and whole."""
    files = built_files(many_members, tmp_path)
    table = agreement_table(many_members)
    members = table.header[2:-1]
    _, cells = pdf_header(files["pdf"], table.header)
    for name, cell in zip(members, cells[2:-1], strict=True):
        assert [w["text"] for w in cell] == name.split()
        assert all(not w["upright"] for w in cell)
    _, word_table = docx_columns(files["docx"], table.header)
    assert turned_directions(word_table) == [None, None, *["btLr"] * len(members), None]
    assert pdf_is_landscape(files["pdf"]) == [True]
    section = docx.Document(str(files["docx"])).sections[0]
    assert section.page_width > section.page_height


def test_a_layout_without_landscape_keeps_its_pages(many_members, tmp_path):
    """`many_members: turn` alone: the twelve members turned on portrait pages."""
    content = tmp_path / "content"
    shutil.copytree(many_members, content)
    write_layout(content, "extends: oversikt\ntable:\n  many_members: turn\n")
    files = built_files(content, tmp_path / "out")
    table = agreement_table(content)
    _, word_table = docx_columns(files["docx"], table.header)
    assert turned_directions(word_table) == [None, None, *["btLr"] * len(table.header[2:-1]), None]
    assert pdf_is_landscape(files["pdf"]) == [False]
    section = docx.Document(str(files["docx"])).sections[0]
    assert section.page_width < section.page_height


def write_layout(content: Path, text: str) -> None:
    """A layout of the edition's own, named in its report.yaml."""
    (content / "layouts").mkdir(exist_ok=True)
    (content / "layouts" / "eget.yaml").write_text(text, "utf-8")
    report = content / "report.yaml"
    report.write_text(report.read_text("utf-8").replace("layout: oversikt", "layout: eget"), "utf-8")


def test_a_layout_may_set_the_header_smaller_instead(tmp_path):
    """A layout that says `many_members: smaller` gets its header row in a
    smaller size, the names across and whole, in both formats: ten members
    on a landscape page fit at a smaller size, not at the table's."""
    content = generate(tmp_path / "content", 40, 10)
    write_layout(
        content,
        "extends: oversikt\npage:\n  orientation: landscape\ntable:\n  many_members: smaller\n  smallest_header: 6\n",
    )
    files = built_files(content, tmp_path / "out")
    table = agreement_table(content)
    _, cells = pdf_header(files["pdf"], table.header)
    assert [[w["text"] for w in cell] for cell in cells] == [label.split() for label in table.header]
    assert all(w["upright"] for cell in cells for w in cell)
    with pdfplumber.open(files["pdf"]) as pdf:
        sizes = {round(c["size"], 1) for page in pdf.pages[:3] for c in page.chars
                 if c["text"] in "".join(table.header[2:-1]) and c["fontname"].endswith("Bold")}  # fmt: skip
    header_pt = min(sizes)
    assert 6 <= header_pt < 9
    _, word_table = docx_columns(files["docx"], table.header)
    runs = [run for cell in word_table.rows[0].cells for run in cell.paragraphs[0].runs]
    assert {run.font.size.pt for run in runs} == {header_pt}
    assert all(cell._tc.tcPr.find(qn("w:textDirection")) is None for cell in word_table.rows[0].cells)


# --- the layout's rules --------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("  columns:\n    name: 52\n", "kolonnen 'name' skal ha en minste og største bredde i cm, ikke '52'"),
        ("  columns:\n    form: {min: 3, max: 2}\n", "kolonnen 'form' har 'min' (3,0 cm) større enn 'max' (2,0 cm)"),
        ("  columns:\n    member: {min: 1, maks: 2}\n", "ukjent nøkkel 'maks' i kolonnen 'member'"),
        ("  columns:\n    comment: {min: -1, max: 2}\n", "'min' skal være et tall fra 0,5 til 30 cm, ikke '-1'"),
        ("  slack: member\n", "'slack' kan ikke være 'member'"),
        ("  many_members: liggende\n", "'many_members' kan ikke være 'liggende'"),
        ("  many_members: [turn, smaller, turn]\n", "'turn' står to ganger i 'many_members'"),
        ("  smallest_header: 0\n", "'smallest_header' skal være et tall fra 4 til 24 pt, ikke '0'"),
    ],
)
def test_layout_column_rules_are_checked_where_they_stand(tmp_path, table, message):
    path = tmp_path / "mitt.yaml"
    path.write_text("extends: oversikt\ntable:\n" + table, "utf-8")
    problems = Diagnostics()
    assert read_layout(path, problems, tmp_path) is None
    (problem,) = problems.errors
    assert problem.message == message
    assert problem.location.path == path and problem.location.line >= 3


def test_layout_needs_every_column_role(tmp_path):
    path = tmp_path / "mitt.yaml"
    layouts = Path(__file__).parent.parent / "layouts"
    base = (layouts / "oversikt.yaml").read_text("utf-8").replace(" fonts/", f" {layouts}/fonts/")
    path.write_text(base.replace("    form: {min: 1.5, max: 4.0}\n", ""), "utf-8")
    problems = Diagnostics()
    assert read_layout(path, problems, tmp_path) is None
    assert [p.message for p in problems.errors] == ["'columns' mangler nøkkelen 'form'"]


LONG_WORD = "Interkommunalsamarbeidsavtaleforvaltningsdokumentasjonsregisteret"  # 65 letters, one word


def test_check_says_which_column_turned_the_member_names(make_edition, tmp_path, capsys):
    """Columns turn only when they must, and then ``check`` names the column
    that did not fit beside the members, in one info line."""
    from edits import replace

    from builder.cli import main

    upright = make_edition()
    assert main(["check", str(upright)]) == 0
    assert ": info: " not in capsys.readouterr().err
    crowded = make_edition(
        replace("agreements.yaml", "        form: Vedtak\n", f"        form: Vedtak\n        comment: {LONG_WORD}\n")
    )
    assert main(["check", str(crowded)]) == 0
    (info,) = [line for line in capsys.readouterr().err.splitlines() if ": info: " in line]
    assert info == (
        f"{crowded}: info: kommunenavnene i tabellen står på høykant fordi kolonnen «Kommentarer» ikke fikk plass"
        " ved siden av dem: den lengste teksten i den krever 5,5 cm, der oppsettet gir den minst 3,0 cm"
    )
    (pdf,), _ = build(crowded, tmp_path, ("pdf",))
    with pdfplumber.open(pdf) as document:
        words = [
            w for page in document.pages for w in page.extract_words(char_dir_rotated="btt", line_dir_rotated="ltr")
        ]
    assert {w["text"] for w in words if not w["upright"]} >= {"Lillehammer", "Gausdal", "Øyer"}, "turned indeed"
