"""Text that could break a writer is printed as written in both formats,
read back from the built files: markup-like text, XML's special characters,
template syntax in the data, no-break spaces, Sami letters, words longer
than their column."""

from __future__ import annotations

import docx
import pdfplumber
import pytest
from edits import replace
from pypdf import PdfReader
from readback import docx_paragraphs, docx_tables, pdf_shows, pdf_table_cells, pdf_text

from builder.assemble import template_context
from builder.build import build, prepare
from builder.narrative import TEMPLATE_NAMES

A, R, T = "agreements.yaml", "report.yaml", "text/innledning.md"

TRICKY = [
    "A < B & C > D",
    "slutt ]]> her",
    "<b>ikke fet</b>",
    "<font color=red>rød</font>",
    "<i>ikke kursiv",
    "&amp; &lt; &#65; &nbsp;",
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "*stjerne* og **dobbel** _under_",
    "<br/> <para> <![CDATA[x]]> <?xml?> <!-- c -->",
    "Guovdageaidnu, Kárášjohka, Deatnu, Porsáŋgu, Unjárga, Snåasen tjïelte",
    "sitat «slik» – og “slik” … § 28 – 1B €",
]


def _agreement(name: str, comment: str) -> str:
    return f"      - name: '{name.replace(chr(39), chr(39) * 2)}'\n        form: Avtale\n        members: all\n" + (
        f"        comment: '{comment.replace(chr(39), chr(39) * 2)}'\n"
    )


@pytest.fixture(scope="module")
def tricky_build(tmp_path_factory):
    """One edition holding every tricky text as an agreement's name and
    comment, as the region's name and, through a placeholder, in the narrative."""
    from edits import make_edition

    root = tmp_path_factory.mktemp("tricky")
    rows = "".join(_agreement(text, text) for text in TRICKY)
    content = make_edition(
        root / "content",
        replace(A, "    agreements:\n      - name: Felles personvernombud", f"    agreements:\n{rows}"
                "      - name: Felles personvernombud"),
        replace(R, "region: Lillehammer-regionen", "region: '<b>Region</b> & {{ 7*7 }}'"),
        replace(T, "Oversikten gjelder", "Første avtale: {{ agreements[0].name }}. Oversikten gjelder"),
    )  # fmt: skip
    written, diagnostics = build(content, root / "out")
    assert diagnostics.items == []
    return {path.suffix.lstrip("."): path for path in written}


def _by_name(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row for row in rows if len(row) > 2}


def test_tricky_text_prints_literally_in_docx(tricky_build):
    (table,) = docx_tables(tricky_build["docx"])
    rows = _by_name(table)
    for text in TRICKY:
        assert rows[text] == [text, "Avtale", "x", "x", "x", text]
    paragraphs = [text for _, text in docx_paragraphs(tricky_build["docx"])]
    assert "Gausdal, Lillehammer og Øyer utgjør <b>Region</b> & {{ 7*7 }}." in paragraphs
    assert f"Første avtale: {TRICKY[0]}. Oversikten gjelder per 1. januar 2019." in paragraphs
    subject = docx.Document(str(tricky_build["docx"])).core_properties.subject
    assert subject == "Interkommunale samarbeid i <b>Region</b> & {{ 7*7 }}"


def test_tricky_text_prints_literally_in_pdf(tricky_build):
    rows = [row for row in pdf_table_cells(tricky_build["pdf"]) if len(row) > 2]
    for text in TRICKY:
        shown = [row for row in rows if pdf_shows(text, row[0])]
        assert shown, f"{text!r} is not a name in the PDF table"
        assert pdf_shows(text, shown[0][-1]), f"the comment {shown[0][-1]!r} is not {text!r}"
    text = " ".join(pdf_text(tricky_build["pdf"]).split())
    assert "Gausdal, Lillehammer og Øyer utgjør <b>Region</b> & {{ 7*7 }}." in text
    assert f"Første avtale: {TRICKY[0]}. Oversikten gjelder per 1. januar 2019." in text
    assert "49" not in text, "no template in the data was run"
    assert PdfReader(tricky_build["pdf"]).metadata.subject == "Interkommunale samarbeid i <b>Region</b> & {{ 7*7 }}"


def test_a_word_longer_than_its_column_is_wrapped_inside_its_cell(make_edition, tmp_path):
    word = "Interkommunalt" + "samarbeid" * 20 + "Slutt"  # three lines even in the widest column a page gives
    content = make_edition(replace(A, "name: Borgerlig vigsel", f"name: {word}"))
    written, _ = build(content, tmp_path / "out")
    docx_path, pdf_path = sorted(written)

    assert word in _by_name(docx_tables(docx_path)[0])

    with pdfplumber.open(str(pdf_path)) as pdf:
        page = pdf.pages[0]
        (table,) = page.find_tables()
        cells = [row.cells for row in table.rows if len(row.cells) > 2]
        (name_cell,) = [row[0] for row in cells if row[0] and word[:20] in page.crop(row[0]).extract_text()]
        chars = page.crop(name_cell, strict=True).chars
    assert "".join(c["text"] for c in chars) == word, "every letter is drawn inside the name cell"
    assert len({round(c["top"]) for c in chars}) >= 3, "the word is wrapped, not squeezed"
    left, _, right, _ = name_cell
    assert all(left <= c["x0"] and c["x1"] <= right for c in chars)


def test_surrounding_spaces_are_a_warning_and_kept(make_edition, tmp_path, capsys):
    from builder.cli import main

    content = make_edition(replace(A, "name: Borgerlig vigsel", "name: ' Borgerlig  vigsel '"))
    assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"{content / A}:8:15: warning: verdien begynner eller slutter med mellomrom"
        " (fjern mellomrommet hvis det ikke skal stå der)",
        f"{content / A}:8:15: warning: verdien har flere mellomrom etter hverandre (skriv ett mellomrom)",
        "0 feil, 2 advarsler",
    ]
    assert " Borgerlig  vigsel " in _by_name(docx_tables(tmp_path / "out" / "oversikt-2019.docx")[0])


def test_decomposed_letters_are_composed(make_edition):
    """A Mac pastes "å" as "a" and a combining ring, which the font cannot draw alone."""
    content = make_edition(replace(A, "name: Borgerlig vigsel", "name: Borgerlig vigsel pa\u030a Øyer"))
    names = [a.name for a in prepare(content).edition.agreements]
    assert "Borgerlig vigsel på Øyer" in names


def test_template_names_are_what_assemble_provides(make_edition):
    prepared = prepare(make_edition())
    assert set(template_context(prepared.edition, "tittel")) == set(TEMPLATE_NAMES)
