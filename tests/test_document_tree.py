"""The Document tree is ready for any writer: the table says which column
holds what, the layout says how headings shift and which bullets lists
carry, and one walker over the Document serves every writer and every
text extraction."""

from __future__ import annotations

import pytest
from html_readback import agreement_table, parse, table_rows
from readback import docx_tables, pdf_table_rows

from builder.build import prepare
from builder.model import (
    COMMENT,
    FORM,
    MEMBER,
    NAME,
    AgreementRow,
    AgreementTable,
    Document,
    RowGroup,
    Run,
    Title,
)
from builder.writers import writer


@pytest.fixture(scope="module")
def layout(content_dir):
    return prepare(content_dir).layout


def _document(*blocks) -> Document:
    return Document(title="T", language_tag="nb-NO", subject="S", blocks=(Title("T"), *blocks),
                    footer_page_label="Side {page}")  # fmt: skip


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
    document = _document(table)
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
