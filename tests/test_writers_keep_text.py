"""Nothing the editors wrote is lost or changed by a writer, read back from
the built files: no-break and other special spaces in every kind of text,
markup-like text on every path (title, region, headings, paragraphs, list
items), rows taller than a page wherever the page breaks, and many members."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import docx
import pdfplumber
import pikepdf
import pytest
from docx.oxml.ns import qn
from edits import make_edition, replace
from readback import docx_paragraphs, docx_tables, pdf_structure, pdfa_findings_beyond_the_known

from builder.build import build
from builder.cli import main

A, R, T = "agreements.yaml", "report.yaml", "text/innledning.md"

# U+00A0 NO-BREAK SPACE, U+202F NARROW NO-BREAK SPACE, U+2007 FIGURE SPACE
NO_BREAK = "\u00a0\u202f\u2007"
# drawn as they are too: thin space, zero width space, zero width (non-)joiner, zero width no-break space
KEPT_AS_IS = "\u2009\u200b\u200c\u200d\ufeff"


def _chapters(count: int) -> str:
    """ "kap. 1 kap. 2 …" with a no-break space of each kind after "kap.",
    long enough to run over several lines; with plain spaces, lines would break after "kap." """
    return " ".join(f"kap.{NO_BREAK[number % 3]}{number}" for number in range(1, count + 1))


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _pdf_chars(path: Path) -> list[dict]:
    with pdfplumber.open(str(path)) as pdf:
        return [char for page in pdf.pages for char in page.chars]


def _marked_text(path: Path) -> dict[tuple[int, int], str]:
    """The glyph text of each marked-content sequence, every character as drawn."""
    texts: dict[tuple[int, int], str] = {}
    with pdfplumber.open(str(path)) as pdf:
        for index, page in enumerate(pdf.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (index, char["mcid"])
                    texts[key] = texts.get(key, "") + char["text"]
    return texts


def _outline_titles(path: Path) -> list[str]:
    titles = []
    with pikepdf.open(str(path)) as pdf, pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(item.title)
            stack[:0] = list(item.children)
    return titles


@pytest.fixture(scope="module")
def spaces_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("spaces")
    name = f"Avtale om {_chapters(12)}"
    comment = f"Se {_chapters(40)}"
    heading = f"Del {_chapters(3)}"
    paragraph = (
        f"Merk {_chapters(40)}. Også tynt\u2009rom, null\u200bbredde, ikke\u200cføyd, føyd\u200dsammen, og\ufeffså."
    )
    item = f"Punkt {_chapters(4)}"
    content = make_edition(
        root / "content",
        replace(A, "name: Borgerlig vigsel", f"name: {_quoted(name)}"),
        replace(A, "comment: Med Ringebu", f"comment: {_quoted(comment)}"),
        replace(R, "region: Lillehammer-regionen", "region: 'Region\u00a0Nord'"),
    )
    with (content / T).open("a", encoding="utf-8") as file:
        file.write(f"\n# {heading}\n\n{paragraph}\n\n- {item}\n")
    written, diagnostics = build(content, root / "out")
    assert diagnostics.items == []
    docx_path, pdf_path = sorted(written)
    return {"docx": docx_path, "pdf": pdf_path, "texts": (name, comment, heading, paragraph, item)}


def test_no_break_spaces_are_kept_in_docx(spaces_build):
    name, comment, heading, paragraph, item = spaces_build["texts"]
    (table,) = docx_tables(spaces_build["docx"])
    assert [name, "Avtale", "x", "x", "", comment] in table
    paragraphs = [text for _, text in docx_paragraphs(spaces_build["docx"])]
    for text in (heading, paragraph, item, "Gausdal, Lillehammer og Øyer utgjør Region\u00a0Nord."):
        assert text in paragraphs


def test_no_break_spaces_are_kept_in_pdf_and_never_break_a_line(spaces_build):
    pdf_path = spaces_build["pdf"]
    chars = _pdf_chars(pdf_path)
    text = "".join(char["text"] for char in chars)
    expected = sorted(re.findall(r"kap\..\d+", " ".join(spaces_build["texts"])))
    found = [(match.group(), match.start(), match.end()) for match in re.finditer(r"kap\..\d+", text)]
    assert sorted(shown for shown, _, _ in found) == expected, "every no-break space is drawn as itself"
    tops = {round(chars[start]["top"]) for _, start, _ in found}
    assert len(tops) > 10, "the texts run over several lines"
    for shown, start, end in found:
        same_line = all(abs(char["top"] - chars[start]["top"]) < 1 for char in chars[start:end])
        assert same_line, f"a line broke in {shown!r}"
    for char in KEPT_AS_IS:
        assert char in text, f"U+{ord(char):04X} is drawn as written"
    assert "Region\u00a0Nord" in text


def test_no_break_spaces_are_kept_in_the_pdf_structure_and_bookmarks(spaces_build):
    pdf_path = spaces_build["pdf"]
    name, comment, heading, paragraph, item = spaces_build["texts"]
    marked = _marked_text(pdf_path)

    def text_of(element) -> str:
        # a line break takes the place of a plain space; every other character is drawn
        return "".join(marked.get(key, "") for key in element.marked).replace(" ", "")

    tree = pdf_structure(pdf_path)
    (heading_element,) = [e for e in tree.find_all("H2") if text_of(e).startswith("Del")]
    assert text_of(heading_element) == heading.replace(" ", "")
    for role, text in (("P", paragraph), ("P", item), ("TH", name), ("TD", comment)):
        assert text.replace(" ", "") in [text_of(element) for element in tree.find_all(role)]
    assert heading in _outline_titles(pdf_path)


def test_pdf_with_special_spaces_passes_the_pdfua_checker(spaces_build):
    _assert_pdfua_clean(spaces_build["pdf"])


def _assert_pdfua_clean(path: Path) -> None:
    """The check test_pdf_tagging runs on every edition, and pikepdf's PDF/A
    validator's, for a file built here (see test_pdfa for what it cannot approve)."""
    result = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", str(path)], capture_output=True, text=True
    )
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["skipped"] == [] and result.returncode == 0
    assert pdfa_findings_beyond_the_known(path) == []


@pytest.mark.parametrize("char", ["\u2060", "\u00ad"])
def test_invisible_characters_the_font_lacks_are_refused_with_their_place(char, tmp_path, capsys):
    """U+2060 WORD JOINER and U+00AD SOFT HYPHEN: the layout's font has no
    glyph for them, so rather than drop them the build names where they stand."""
    content = make_edition(tmp_path / "content", replace(A, "name: Borgerlig vigsel", f"name: Borgerlig{char}vigsel"))
    assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert f"{content / A}:8:24: error:" in error and f"U+{ord(char):04X}" in error
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- rows taller than a page -------------------------------------------------

TALL_COMMENT = " ".join(f"Merknad {number}." for number in range(1, 161))  # some 2,000 characters
TALL_NAME = "Samarbeid om " + " ".join(f"tjeneste {number}" for number in range(1, 141))


def _squeezed(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def tall_rows(tmp_path_factory):
    """One edition with a comment and a name too tall for a page, built with
    0, 3, 6, … paragraphs before the table, so that the rows start all over a page in turn."""
    assert len(TALL_COMMENT) >= 1600 and len(TALL_NAME) >= 1600
    root = tmp_path_factory.mktemp("tall")
    content = make_edition(
        root / "content",
        replace(A, "comment: Med Ringebu", f"comment: {TALL_COMMENT}"),
        replace(A, "name: Legevaktsamarbeid", f"name: {TALL_NAME}"),
    )
    narrative = (content / T).read_text("utf-8")
    builds = []
    for extra in range(0, 40, 3):  # some 34 paragraphs fill a page
        (content / T).write_text(narrative + "".join(f"\nAvsnitt {number}.\n" for number in range(extra)), "utf-8")
        written, _ = build(content, root / f"out{extra}")
        builds.append(sorted(written))
    return builds


def test_rows_taller_than_a_page_are_whole_in_docx_and_may_split(tall_rows):
    for docx_path, _ in tall_rows:
        (table,) = docx_tables(docx_path)
        assert [row[-1] for row in table if row[0] == "Borgerlig vigsel"] == [TALL_COMMENT]
        assert [row[0] for row in table if row[0].startswith("Samarbeid om")] == [TALL_NAME + "*"]
        rows = docx.Document(str(docx_path)).tables[0].rows
        for row in rows:
            if row.cells[0].text in ("Borgerlig vigsel", TALL_NAME + "*"):
                assert row._tr.trPr is None or row._tr.trPr.find(qn("w:cantSplit")) is None, "Word may split the row"


def test_rows_taller_than_a_page_split_over_pages_in_pdf_wherever_they_start(tall_rows):
    starts, spans = set(), set()
    for _, pdf_path in tall_rows:
        tree = pdf_structure(pdf_path)
        comments = [_squeezed(td.text) for td in tree.find_all("TD") if "Merknad 1." in td.text]
        assert comments == [TALL_COMMENT], f"{pdf_path.parent.name}: the whole comment is in its cell"
        names = [_squeezed(th.text) for th in tree.find_all("TH") if th.text.startswith("Samarbeid om")]
        assert names == [TALL_NAME + "*"], f"{pdf_path.parent.name}: the whole name is in its cell"
        (row,) = [tr for tr in tree.find_all("TR") if any("Merknad 1." in cell.text for cell in tr.children)]
        pages = {page for cell in row.children for page, _ in cell.marked}
        starts.add(min(pages))
        spans.add(len(pages))
        with pdfplumber.open(str(pdf_path)) as pdf:
            for page in pdf.pages[1:]:
                (table,) = page.find_tables()
                header = table.extract()[0]
                assert header[0].startswith("Pr. 01.01.2019"), "every page repeats the header row"
    assert starts == {0, 1}, "the sweep moved the row over the first page"
    _assert_pdfua_clean(tall_rows[len(tall_rows) // 2][1])
    assert min(spans) >= 2, "the row runs over pages"


# --- many members ------------------------------------------------------------


def _with_members(target: Path, count: int, layout: str) -> Path:
    names = [f"Kommune {number}" for number in range(1, count + 1)]
    return make_edition(
        target,
        replace(R, "members: [Lillehammer, Gausdal, Øyer]", f"members: [{', '.join(names)}]\nlayout: {layout}"),
        replace(A, "[Lillehammer, Gausdal]", "[Kommune 1, Kommune 2]"),
        replace(A, "[Lillehammer, Øyer]", "[Kommune 1, Kommune 3]"),
        replace(A, "comment: Lillehammer vertskommune", "comment: Kommune 1 vertskommune"),
        replace(A, 'comment: "Lillehammer vertskommune"', "comment: Kommune 1 vertskommune"),
        replace(T, "{{ members | alphabetical | and_list }} utgjør {{ region }}.", "{{ region }}."),
    )


def _capacity(root: Path, layout: str) -> int:
    from builder.diagnostics import Diagnostics
    from builder.readers.layout import read_layout

    return read_layout(root / "layouts" / f"{layout}.yaml", Diagnostics()).member_capacity()


@pytest.mark.parametrize("layout", ["oversikt", "oversikt-liggende"])
def test_as_many_members_as_the_layout_holds_build(layout, root, tmp_path):
    count = _capacity(root, layout)
    assert count >= 20
    content = _with_members(tmp_path / "content", count, layout)
    assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 0
    header = docx_tables(tmp_path / "out" / "oversikt-2019.docx")[0][0]
    assert header[2:-1] == [f"Kommune {number}" for number in range(1, count + 1)]
    tree = pdf_structure(tmp_path / "out" / "oversikt-2019.pdf")
    (head,) = tree.find_all("THead")
    member_headers = [th.text.replace(" ", "") for th in head.find_all("TH")][2:-1]
    assert member_headers == [f"Kommune{number}" for number in range(1, count + 1)]
    with pdfplumber.open(tmp_path / "out" / "oversikt-2019.pdf") as pdf:  # so many fit on landscape pages only
        assert all(page.width > page.height for page in pdf.pages)


def test_100_members_are_refused_with_the_room_there_is(root, tmp_path, capsys):
    """More members than any layout holds: a message on report.yaml's members,
    not an internal error, and nothing written. The official layout may turn
    its pages landscape, so it is the roomiest: on it the hint can only say to
    divide the region; on the landscape layout it names the official one."""
    official, landscape = _capacity(root, "oversikt"), _capacity(root, "oversikt-liggende")
    assert 20 <= landscape <= official < 100
    expected = {
        "oversikt": f"tabellen har plass til {official} medlemmer med oppsettet 'oversikt', men 'members' har 100"
        " (del regionen i flere oversikter)",
        "oversikt-liggende": f"tabellen har plass til {landscape} medlemmer med oppsettet 'oversikt-liggende',"
        f" men 'members' har 100 (oppsettet 'oversikt' har plass til {official}; del regionen i flere oversikter)",
    }
    for layout, message in expected.items():
        content = _with_members(tmp_path / layout, 100, layout)
        assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 1
        assert capsys.readouterr().err.splitlines() == [f"{content / R}:3:1: error: {message}", "1 feil, 0 advarsler"]
        assert not (tmp_path / "out").exists()


# --- escaping on every path --------------------------------------------------

# Written in the data (report.yaml), printed as written wherever it goes
TRICKY = "A & B <b>fet</b> ]]> &amp; &lt; 1 < 2 {{ 7*7 }}"
# The same in Markdown, as an editor writes it to be printed so: "<b>" is text
# (the narrative takes no HTML), "\&amp;" is a literal "&amp;" (CommonMark
# reads a bare "&amp;" as the entity for "&"), and braces need a raw block
TRICKY_MARKDOWN = r"A & B <b>fet</b> ]]> \&amp; \&lt; 1 < 2 {% raw %}{{ 7*7 }}{% endraw %}"


@pytest.fixture(scope="module")
def tricky_everywhere(tmp_path_factory):
    root = tmp_path_factory.mktemp("tricky")
    content = make_edition(
        root / "content",
        replace(R, "region: Lillehammer-regionen", f"region: {_quoted(TRICKY)}\ntitle: {_quoted('Tittel ' + TRICKY)}"),
    )
    (content / T).write_text(
        f"# Overskrift {TRICKY_MARKDOWN}\n\n"
        f"Avsnitt {TRICKY_MARKDOWN}\n\n"
        "# Region {{ region }}\n\n"
        "Vi er {{ region }}, *{{ region }}* og **{{ region }}**.\n\n"
        f"- Punkt {TRICKY_MARKDOWN}\n"
        "  - Under {{ region }}\n",
        "utf-8",
    )
    written, diagnostics = build(content, root / "out")
    assert diagnostics.items == []
    docx_path, pdf_path = sorted(written)
    return docx_path, pdf_path


EXPECTED_ANYWHERE = [
    ("title", f"Tittel {TRICKY}"),
    ("heading", f"Overskrift {TRICKY}"),
    ("paragraph", f"Avsnitt {TRICKY}"),
    ("heading", f"Region {TRICKY}"),
    ("paragraph", f"Vi er {TRICKY}, {TRICKY} og {TRICKY}."),
    ("item", f"Punkt {TRICKY}"),
    ("item", f"Under {TRICKY}"),
]


def test_tricky_text_prints_as_written_everywhere_in_docx(tricky_everywhere):
    docx_path, _ = tricky_everywhere
    paragraphs = docx_paragraphs(docx_path)
    styles = {"title": "Title", "heading": "Heading 2", "paragraph": "Normal", "item": "List Bullet"}
    for kind, text in EXPECTED_ANYWHERE:
        assert any(style.startswith(styles[kind]) and shown == text for style, shown in paragraphs), text
    properties = docx.Document(str(docx_path)).core_properties
    assert properties.title == f"Tittel {TRICKY}"
    assert properties.subject.endswith(TRICKY)


def test_tricky_text_prints_as_written_everywhere_in_pdf(tricky_everywhere):
    _, pdf_path = tricky_everywhere
    with pdfplumber.open(str(pdf_path)) as pdf:
        shown = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    tree = pdf_structure(pdf_path)
    tagged = {
        "title": [e.text for e in tree.find_all("H1")],
        "heading": [e.text for e in tree.find_all("H2")],
        "paragraph": [e.text for e in tree.children if e.role == "P"],
        "item": [p.text for body in tree.find_all("LBody") for p in body.children if p.role == "P"],
    }
    for kind, text in EXPECTED_ANYWHERE:
        assert text in shown, f"{text!r} is not shown"
        assert text in tagged[kind], f"{text!r} is not the text of a {kind} in the structure tree"
    assert _outline_titles(pdf_path)[:2] == [f"Tittel {TRICKY}", f"Overskrift {TRICKY}"]
    assert f"Region {TRICKY}" in _outline_titles(pdf_path)
    with pikepdf.open(str(pdf_path)) as pdf:
        assert str(pdf.docinfo["/Title"]) == f"Tittel {TRICKY}"
        assert pdf.open_metadata()["dc:title"] == f"Tittel {TRICKY}"


def test_every_space_reportlab_would_change_is_kept_or_refused():
    """The rule in one place: each character reportlab's paragraph breaks at
    and prints as a plain space is either drawn as itself (pdf_characters.KEPT)
    or refused by the content checks, so that no writer changes it silently."""
    from reportlab.platypus.paragraph import _wsc  # reportlab's own list of the spaces it breaks at

    from builder.measure.characters import KEPT
    from builder.readers.text_checks import is_clean

    for char in _wsc + "\u00a0":  # U+00A0: reportlab's fonts draw it as U+0020
        if char != " ":
            assert char in KEPT or not is_clean(f"a{char}b"), f"U+{ord(char):04X} would be changed in the PDF"


@pytest.mark.parametrize(("count", "layout"), [(4, "oversikt"), (None, "oversikt"), (None, "oversikt-liggende")])
def test_a_member_name_as_long_as_its_column_header_holds_builds_and_a_longer_one_is_refused(
    count, layout, root, tmp_path, capsys
):
    """A name of the widest letters, as long as allowed, builds; one letter more
    is an error on members. ``None``: as many members as the layout holds."""
    from builder.diagnostics import Diagnostics
    from builder.readers.layout import read_layout

    count = count or _capacity(root, layout)
    longest = read_layout(root / "layouts" / f"{layout}.yaml", Diagnostics()).longest_member_name(count)
    for letters, code in ((longest, 0), (longest + 1, 1)):
        content = _with_members(tmp_path / f"content{letters}", count - 1, layout)
        replace(R, "]\nlayout:", f", {'W' * letters}]\nlayout:").apply(content)
        assert main(["build", str(content), "--out", str(tmp_path / f"out{letters}")]) == code
    assert f"{content / R}:3:1: error: kommunenavnet 'WWW" in capsys.readouterr().err
