"""The Document tree is ready for any writer: the table says which column
holds what, the layout says how headings shift and which bullets lists
carry, and one walker over the Document serves every writer and every
text extraction."""

from __future__ import annotations

import dataclasses
import typing

import docx
import pytest
from docx.oxml.ns import qn
from edits import replace, write
from html_readback import agreement_table, parse, table_rows
from readback import docx_numbering, docx_paragraphs, docx_tables, pdf_structure, pdf_table_rows

from builder.build import build, prepare
from builder.diagnostics import Diagnostics
from builder.measure import measure
from builder.model import (
    COMMENT,
    FORM,
    MEMBER,
    NAME,
    AgreementRow,
    AgreementTable,
    Block,
    Document,
    RowGroup,
    Run,
    Title,
)
from builder.readers.layout import read_layout
from builder.walk import VISITOR_METHODS, BlockVisitor, document_text
from builder.writers import writer


@pytest.fixture(scope="module")
def layout(content_dir):
    return prepare(content_dir).layout


def _document(*blocks) -> Document:
    return Document(title="T", language_tag="nb-NO", subject="S", blocks=(Title("T"), *blocks),
                    footer_page_label="Side {page}")  # fmt: skip


def _measured(document: Document, layout) -> Document:
    """The document as a build hands it to the writers: its tables measured."""
    measured, page = measure(document, layout)
    assert page == layout
    return measured


def test_writers_put_each_cell_in_the_column_its_role_names(layout, tmp_path):
    # the comment before the members and the form last: no writer may assume the usual order
    table = AgreementTable(
        header=("Navn", "Kommentar", "Øyer", "Gausdal", "Type"),
        roles=(NAME, COMMENT, MEMBER, MEMBER, FORM),
        groups=(RowGroup("Helse", (AgreementRow((Run("Legevakt"),), "IS", (False, True), "Med Ringebu"),)),),
        mark="x",
        caption="Samarbeid",
        description="Tabell",
    )
    expected = [["Navn", "Kommentar", "Øyer", "Gausdal", "Type"], ["Helse"], ["Legevakt", "Med Ringebu", "", "x", "IS"]]
    document = _measured(_document(table), layout)
    for fmt in ("docx", "pdf", "html"):
        path = tmp_path / f"table.{fmt}"
        path.write_bytes(writer(fmt)(document, layout))
        if fmt == "docx":
            rows = docx_tables(path)[0]
        elif fmt == "pdf":
            rows = pdf_table_rows(path)
        else:
            rows = table_rows(agreement_table(parse(path)))
            rows[-1][2:4] = ["x" if cell else "" for cell in rows[-1][2:4]]  # a mark is read as "x deltar"
        assert rows == expected, fmt


NARRATIVE = "# Innledning\n\nTekst.\n\n## Bakgrunn\n\n### Detaljer\n\n- ytre\n  - indre\n    - innerst\n"
OUTLINE_LAYOUT = 'extends: oversikt\nheadings:\n  shift: 2\n  deepest: 4\nlists:\n  bullets: ["▪", "+"]\n'


def test_heading_levels_and_bullets_come_from_the_layout(make_edition, tmp_path):
    content = make_edition(
        replace("report.yaml", "language: nb", "language: nb\nlayout: dypere"),
        write("text/innledning.md", NARRATIVE),
    )
    (content / "layouts").mkdir()
    (content / "layouts" / "dypere.yaml").write_text(OUTLINE_LAYOUT, "utf-8")
    build(content, tmp_path, formats=("docx", "pdf", "html"))
    (docx_path,) = tmp_path.glob("*.docx")
    (pdf_path,) = tmp_path.glob("*.pdf")
    (html_path,) = tmp_path.glob("*.html")
    # a heading of level n is shown at n + 2, none deeper than 4; the title stays the one level 1
    expected = [("Innledning", 3), ("Bakgrunn", 4), ("Detaljer", 4)]
    headings = [
        (text, int(style.split()[-1])) for style, text in docx_paragraphs(docx_path) if style.startswith("Heading")
    ]
    assert headings == expected
    structure = pdf_structure(pdf_path)
    assert [(e.text, int(e.role[1:])) for e in structure.walk() if e.role in ("H2", "H3", "H4", "H5", "H6")] == expected
    assert [e.text for e in structure.find_all("H1")] == [docx_paragraphs(docx_path)[0][1]]
    page = parse(html_path)
    assert [(h.text_content(), int(h.tag[1])) for h in page.xpath("//main/h3 | //main/h4 | //main/h5")] == expected
    # bullets per nesting level, the last again for deeper ones
    word = docx.Document(str(docx_path))
    numbered = [docx_numbering(p) for p in word.paragraphs if p.style.name.startswith("List Bullet")]
    assert [level for _, level, _ in numbered] == [0, 1, 2]
    assert [_bullet_text(word, num_id, level) for num_id, level, _ in numbered] == ["▪", "+", "+"]
    assert [e.text for e in structure.find_all("Lbl")] == ["▪", "+", "+"]
    assert "ul {list-style-type:square}" in html_path.read_text("utf-8")
    assert 'ul ul {list-style-type:"+ "}' in html_path.read_text("utf-8")


def _bullet_text(word, num_id: str, level: int) -> str:
    numbering = word.part.numbering_part.element
    (number,) = [n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id]
    abstract_id = number.find(qn("w:abstractNumId")).get(qn("w:val"))
    (abstract,) = [a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id]
    (definition,) = [d for d in abstract.findall(qn("w:lvl")) if d.get(qn("w:ilvl")) == str(level)]
    return definition.find(qn("w:lvlText")).get(qn("w:val"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("headings:\n  shift: 0\n", "'shift' skal være et helt tall fra 1 til 5, ikke '0'"),
        ("headings:\n  shift: 2\n  deepest: 2\n", "'deepest' skal være et helt tall fra 3 til 6, ikke '2'"),
        ("headings:\n  deepest: 7\n", "'deepest' skal være et helt tall fra 2 til 6, ikke '7'"),
        ("headings:\n  deepest: en\n", "'deepest' skal være et helt tall fra 2 til 6, ikke 'en'"),
        ('lists:\n  bullets: ["•", "–", "◦", "·"]\n', "'bullets' skal ha fra ett til 3 punkttegn, ikke 4"),
        ('lists:\n  bullets: ["•", "->"]\n', "punkttegnet '->' skal være ett tegn"),
        ('lists:\n  bullets: ["•", " "]\n', "et element i 'bullets' er tom"),
        ("lists:\n  numbers: [1]\n", None),
    ],
)
def test_headings_and_bullets_are_checked_where_they_stand(tmp_path, text, message):
    path = tmp_path / "mitt.yaml"
    path.write_text("extends: oversikt\n" + text, "utf-8")
    problems = Diagnostics()
    assert read_layout(path, problems, tmp_path) is None
    (problem,) = problems.errors
    if message is not None:
        assert problem.message == message
    assert problem.location.path == path and problem.location.line >= 2


def test_every_kind_of_block_has_its_visitor_method():
    assert set(VISITOR_METHODS) == set(typing.get_args(Block))
    assert set(VISITOR_METHODS.values()) == BlockVisitor.__abstractmethods__


def test_a_visitor_must_say_what_it_makes_of_every_kind_of_block():
    class Forgetful(BlockVisitor[str]):
        def title(self, block):
            return block.text

    with pytest.raises(TypeError, match="abstract"):
        Forgetful()


def test_a_block_no_visitor_knows_is_refused_by_name(layout):
    @dataclasses.dataclass(frozen=True)
    class Footnote:
        text: str

    for fmt in ("docx", "pdf", "html"):
        with pytest.raises(TypeError, match="no visitor method for a Footnote"):
            writer(fmt)(_document(Footnote("fotnote")), layout)


def test_the_text_of_a_document_is_every_text_its_blocks_show(content_dir):
    document = prepare(content_dir).document
    text = document_text(document).split("\n")
    table = next(block for block in document.blocks if isinstance(block, AgreementTable))
    assert text[0] == document.title
    assert set(table.header) | {group.heading for group in table.groups} <= set(text)
    assert text[-1] == document.footer_page_label
