"""The PDF writer reads only the font faces a document is drawn in; every
face it draws in must be there, also in a process that has read none."""

from __future__ import annotations

import subprocess
import sys

import pdfplumber
from edits import Edit

from builder.measure.fonts import faces_drawn
from builder.model import (
    COMMENT,
    FORM,
    MEMBER,
    NAME,
    AgreementRow,
    AgreementTable,
    BulletList,
    Document,
    Heading,
    ListItem,
    Paragraph,
    RowGroup,
    Run,
)


def _document(*blocks) -> Document:
    return Document(title="T", language_tag="nb-NO", subject="S", blocks=blocks, footer_page_label="{page}")


def _table(name: tuple[Run, ...]) -> AgreementTable:
    row = AgreementRow(name=name, form="", marks=(True,), comment="")
    return AgreementTable(
        header=("Navn", "Type", "A", "Kommentar"), roles=(NAME, FORM, MEMBER, COMMENT),
        groups=(RowGroup("Gruppe", (row,)),),
        mark="x", caption="c", description="d",
    )  # fmt: skip


def test_faces_follow_where_a_run_is_emphasised():
    plain, italic, strong_italic = Run("a"), Run("b", emphasis=True), Run("c", emphasis=True, strong=True)
    assert faces_drawn(_document(Paragraph((plain, Run("d", strong=True))))) == ("regular", "bold")
    assert faces_drawn(_document(Paragraph((plain, italic)))) == ("regular", "bold", "italic")
    assert faces_drawn(_document(Paragraph((strong_italic,)))) == ("regular", "bold", "bold_italic")
    # a heading is bold: emphasis in it is bold italic
    assert faces_drawn(_document(Heading(1, (italic,)))) == ("regular", "bold", "bold_italic")
    nested = BulletList((ListItem((plain,), (ListItem((italic,)),)),))
    assert faces_drawn(_document(nested)) == ("regular", "bold", "italic")
    assert faces_drawn(_document(_table((italic,)))) == ("regular", "bold", "italic")


def test_a_fresh_process_draws_every_face_the_text_asks_for(make_edition, tmp_path):
    content = make_edition(
        Edit(
            "text/innledning.md", "# Innledning", "# Innledning *i skrå*\n\nEt ***sterkt skrått*** ord og et *skrått*."
        ),
    )
    out = tmp_path / "out"
    # a new process: font files read by earlier tests in this one do not count
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", str(content), "--out", str(out), "--format", "pdf"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (pdf,) = out.glob("*.pdf")
    with pdfplumber.open(pdf) as document:
        chars = document.pages[0].chars
    by_font: dict[str, str] = {}
    for char in chars:
        face = char["fontname"].split("+")[-1]
        by_font[face] = by_font.get(face, "") + char["text"]
    assert "iskrå" in by_font["Carlito-BoldItalic"].replace(" ", "")
    assert "sterktskrått" in by_font["Carlito-BoldItalic"].replace(" ", "")
    assert "skrått" in by_font["Carlito-Italic"]
    assert "Innledning" in by_font["Carlito-Bold"]
