"""The Word file carries what assistive technology needs: language, title,
a heading outline, real nested lists, a repeating header row, the table's
alt text, no empty paragraphs for spacing, and readable shaded rows; and
what an office suite pages it by, in a package that names oversikt.
(tests/test_office_layout.py looks at the pages LibreOffice lays out.)"""

from __future__ import annotations

import zipfile
from itertools import accumulate
from xml.etree import ElementTree

import docx
import pytest
from docx.oxml.ns import qn
from readback import docx_numbering

from builder import __version__
from builder.build import prepare
from builder.model import MINIMUM_TEXT_CONTRAST, AgreementTable, BulletList, DataTable, Heading, contrast_ratio


def prepared(edition):
    return prepare(edition.content_dir)


def table_of(document) -> AgreementTable:
    return next(block for block in document.blocks if isinstance(block, AgreementTable))


def outline_level(style) -> int | None:
    while style is not None:
        properties = style.element.pPr
        level = properties.find(qn("w:outlineLvl")) if properties is not None else None
        if level is not None:
            return int(level.get(qn("w:val")))
        style = style.base_style
    return None


def test_title_subject_and_language_in_core_properties_and_styles(edition):
    document = prepared(edition).document
    word = docx.Document(str(edition.docx))
    core = word.core_properties
    assert (core.title, core.subject, core.language) == (document.title, document.subject, document.language_tag)
    defaults = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = defaults.find(qn("w:lang"))
    assert language.get(qn("w:val")) == document.language_tag == language.get(qn("w:bidi"))
    assert document.language_tag in ("nb-NO", "nn-NO")


def test_the_package_names_oversikt_and_has_no_template_thumbnail(edition):
    with zipfile.ZipFile(edition.docx) as package:
        names = set(package.namelist())
        relationships = package.read("_rels/.rels").decode()
        content_types = package.read("[Content_Types].xml").decode()
        application = ElementTree.fromstring(package.read("docProps/app.xml"))
    assert not any("thumbnail" in name for name in names)
    assert "thumbnail" not in relationships and 'Extension="jpeg"' not in content_types
    namespace = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert [(child.tag, child.text) for child in application] == [
        (namespace + "Application", f"oversikt/{__version__}")
    ]


def keeps_with_next(row) -> bool:
    """Whether every paragraph of the row keeps with the next one (so the row keeps with the next row)."""
    paragraphs = row._tr.findall(f".//{qn('w:p')}")
    return all(p.pPr is not None and p.pPr.find(qn("w:keepNext")) is not None for p in paragraphs)


def test_header_and_category_rows_keep_with_the_next_row_and_no_row_splits(edition):
    document = prepared(edition).document
    word = docx.Document(str(edition.docx))
    table = table_of(document)
    (rows,) = [t.rows for t in word.tables if len(t.rows) == 1 + sum(1 + len(g.rows) for g in table.groups)]
    categories = {0} | set(accumulate((1 + len(group.rows) for group in table.groups[:-1]), initial=1))
    assert [index for index, row in enumerate(rows) if keeps_with_next(row)] == sorted(categories)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    for summary in [b for b in document.blocks if isinstance(b, DataTable)]:
        (grid,) = [t for t in word.tables if t.rows[0].cells[0].text == summary.header[0]]
        last = len(summary.rows)  # rows under the header: 1 … last
        # every row but the last keeps with the next: the short table whole on one page
        assert [i for i, row in enumerate(grid.rows) if keeps_with_next(row)] == list(range(last))


def test_title_tops_the_outline_and_headings_sit_below_it(edition):
    document = prepared(edition).document
    paragraphs = [p for p in docx.Document(str(edition.docx)).paragraphs if p.text]
    assert paragraphs[0].text == document.title and paragraphs[0].style.name == "Title"
    assert outline_level(paragraphs[0].style) == 0
    headings = [block for block in document.blocks if isinstance(block, Heading)]
    written = [p for p in paragraphs if p.style.name.startswith("Heading")]
    assert [p.text for p in written] == ["".join(run.text for run in h.runs) for h in headings]
    assert [outline_level(p.style) for p in written] == [h.level for h in headings]


def test_sami_edition_has_a_heading(sami):
    written = [p for p in docx.Document(str(sami.docx)).paragraphs if p.style.name.startswith("Heading")]
    assert [p.style.name for p in written] == ["Heading 2"]


def test_bullets_are_word_lists_nested_by_level(edition):
    document = prepared(edition).document
    expected = []

    def walk(items, depth):
        for item in items:
            expected.append(("".join(run.text for run in item.runs), depth))
            walk(item.children, depth + 1)

    for block in document.blocks:
        if isinstance(block, BulletList):
            walk(block.items, 0)
    numbered = []
    for paragraph in docx.Document(str(edition.docx)).paragraphs:
        numbering = docx_numbering(paragraph)
        if numbering is not None:
            numbered.append((paragraph.text, numbering))
    assert [(text, level) for text, (_, level, _) in numbered] == expected
    assert {number_format for _, (_, _, number_format) in numbered} == {"bullet"}
    assert len({num_id for _, (num_id, _, _) in numbered}) == 1, "one list definition, levels for nesting"


def test_numbering_reaches_list_items_through_their_style(built):
    word = docx.Document(str(built["docx"]))
    items = [p for p in word.paragraphs if p.style.name.startswith("List Bullet")]
    assert items
    for paragraph in items:
        direct = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        assert direct is None and paragraph.style.element.pPr.numPr is not None


def agreement_table(edition):
    """The agreement table of the built DOCX, known by its caption (a summary table may come first)."""
    caption = table_of(prepared(edition).document).caption
    tables = docx.Document(str(edition.docx)).tables
    (table,) = [t for t in tables if t._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val")) == caption]
    return table


def test_header_row_repeats_and_no_row_breaks_over_pages(edition):
    table = agreement_table(edition)
    rows = table._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)


def test_table_has_title_and_description(edition):
    expected = table_of(prepared(edition).document)
    properties = agreement_table(edition)._tbl.tblPr
    assert properties.find(qn("w:tblCaption")).get(qn("w:val")) == expected.caption
    assert properties.find(qn("w:tblDescription")).get(qn("w:val")) == expected.description
    # Word rejects a tblPr whose children are out of the schema's order
    order = [child.tag for child in properties]
    assert order.index(qn("w:tblCellMar")) < order.index(qn("w:tblLook")) < order.index(qn("w:tblCaption"))


def test_no_empty_paragraphs_for_spacing(edition):
    word = docx.Document(str(edition.docx))
    # a paragraph that holds a picture (the chart) has no text and is no spacer
    assert all(p.text.strip() or p._p.xpath(".//w:drawing") for p in word.paragraphs)
    for table in word.tables:
        assert all(len(cell.paragraphs) == 1 for row in table.rows for cell in row.cells)


def test_category_rows_are_readable_on_their_shading(edition):
    layout = prepared(edition).layout
    table = agreement_table(edition)
    categories = [row for row in table.rows if len({id(cell._tc) for cell in row.cells}) == 1]
    assert len(categories) == len(table_of(prepared(edition).document).groups)
    for row in categories:
        cell = row.cells[0]
        fill = cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        (run,) = cell.paragraphs[0].runs
        assert (str(run.font.color.rgb), fill) == (layout.table.category_text, layout.table.category_shading)
        assert contrast_ratio(str(run.font.color.rgb), fill) >= MINIMUM_TEXT_CONTRAST


def test_shipped_layout_text_contrast_meets_wcag(built, content_dir):
    layout = prepare(content_dir).layout
    contrasts = layout.text_contrasts()
    assert set(contrasts) == {"text", "header_row", "category_row"}
    assert all(ratio >= MINIMUM_TEXT_CONTRAST for ratio in contrasts.values()), contrasts


@pytest.mark.parametrize(
    ("foreground", "background", "ratio"),
    [("000000", "FFFFFF", 21.0), ("FFFFFF", "FFFFFF", 1.0), ("777777", "FFFFFF", 4.48), ("767676", "FFFFFF", 4.54)],
)
def test_contrast_ratio_is_wcag_s(foreground, background, ratio):
    assert round(contrast_ratio(foreground, background), 2) == ratio
    assert round(contrast_ratio(background, foreground), 2) == ratio


def test_a_layout_with_too_little_contrast_is_refused(root, tmp_path, capsys):
    """Category text on a dark grey fails WCAG 1.4.3; the layout file is named at the colour."""
    import shutil

    from builder.cli import main

    content = tmp_path / "content"
    shutil.copytree(root / "tests" / "editions" / "base", content)
    (content / "layouts").mkdir()
    layout = content / "layouts" / "mork.yaml"
    layout.write_text('extends: oversikt\ntable:\n  category_shading: "595959"\n', "utf-8")
    report = content / "report.yaml"
    report.write_text(report.read_text("utf-8") + "layout: mork\n", "utf-8")
    assert main(["check", str(content)]) == 1
    err = capsys.readouterr().err
    assert f"{layout}:3:21: error: kontrasten mellom teksten og bakgrunnen i kategoriradene er 3,0:1" in err
    assert "WCAG 2.1 krever minst 4,5:1" in err
