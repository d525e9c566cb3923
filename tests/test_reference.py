"""The built 2019 edition holds the official document's content row for row."""

from __future__ import annotations

import pytest
from readback import docx_tables, pdf_table_cells, pdf_table_rows, read_reference, spaced

from builder.forms import vocabulary

REFERENCE = read_reference()


def expected_rows() -> list[list[str]]:
    """The reference table as the build must print it.

    Two things differ from the text on purpose: forms are printed in their
    one canonical spelling ("§27" becomes "§ 27"), and the "<i>…</i>" markup
    of the text export is italic formatting, not text.
    """
    rows = []
    for category, agreements in REFERENCE.categories:
        rows.append([category])
        for cells in agreements:
            name, form, *rest = cells
            name = name.replace("<i>", "").replace("</i>", "")
            form = vocabulary().lookup(form).name if form else ""
            rows.append([name, form, *rest])
    return rows


def expected_header() -> list[str]:
    """The text export lost the space in "§ i" (a line break in the Word cell);
    DOMAIN.md gives the label as "Type samarbeid § i kommuneloven". The build
    writes the spaces after "§" and "i" as no-break spaces (U+00A0), as
    Norwegian typography binds "§" to what follows, so that "§ i kommuneloven"
    stands whole on one line of the header cell."""
    assert REFERENCE.header[1] == "Type samarbeid §i kommuneloven"
    return [REFERENCE.header[0], "Type samarbeid §\u00a0i\u00a0kommuneloven", *REFERENCE.header[2:]]


def test_reference_has_57_agreements_in_13_categories():
    assert len(REFERENCE.categories) == 13
    assert sum(len(rows) for _, rows in REFERENCE.categories) == 57


def test_docx_table_matches_reference_row_for_row(built):
    (table,) = docx_tables(built["docx"])
    header, *body = table
    assert header == expected_header()
    assert body == expected_rows()


def test_pdf_table_matches_reference_row_for_row(built):
    rows = pdf_table_rows(built["pdf"])
    header = rows[0]
    assert header == spaced(expected_header())
    body = [row for row in rows if row != header]
    assert rows.count(header) >= 2, "the header row is repeated on every page"
    expected = [spaced(row) for row in expected_rows()]
    assert body == expected


def test_pdf_header_keeps_the_section_sign_with_what_follows(built):
    """The header cell has "§ i kommuneloven" on one line, its no-break spaces drawn as themselves."""
    header = next(row for row in pdf_table_cells(built["pdf"]) if row and row[0] == expected_header()[0])
    assert header[1].split("\n") == ["Type samarbeid", "§\u00a0i\u00a0kommuneloven"]


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_forms_are_canonical(built, fmt):
    rows = docx_tables(built["docx"])[0] if fmt == "docx" else pdf_table_rows(built["pdf"])
    forms = {row[1] for row in rows[1:] if len(row) > 1}
    assert "§27" not in forms and "§ 27" in forms
