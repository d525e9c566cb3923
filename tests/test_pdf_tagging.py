"""The PDF is a tagged PDF/UA-1 file: its structure tree, read back with
pikepdf and the glyphs each element marks, is the document's content in
reading order, and everything else on the pages is an artifact."""

from __future__ import annotations

import json
import subprocess
import sys

import pikepdf
from conftest import SAMI_MEMBERS, SPECIAL_TEXT, BuiltEdition
from readback import TaggedElement, pdf_artifact_text, pdf_structure, spaced
from test_reference import expected_header, expected_rows

from builder.build import prepare
from builder.model import AgreementTable, BulletList, Chart, DataTable, Document, Heading, Paragraph, Title
from builder.walk import BlockVisitor, walk

BULLET = "<bullet>"  # any of the list bullets; which one is a matter of looks

# Operators that put marks on the page (ISO 32000-1, tables 59, 107 and 109).
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
PATH_PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*"}
OTHER_PAINTING = {"Do", "sh", "BI"}


def squeeze(text: str, loose: bool) -> str:
    """Whitespace collapsed; ``loose`` drops it, for narrow columns where a
    long word is broken over two lines without a hyphen."""
    return "".join(text.split()) if loose else " ".join(text.split())


def plain(runs) -> str:
    return "".join(run.text for run in runs)


def expected_structure(document: Document, loose: bool) -> tuple:
    """The tags the content asks for, as (role, text, children), in reading order."""

    def node(role: str, text: str = "", children: tuple = ()) -> tuple:
        return (role, squeeze(text, loose), tuple(children))

    def bullet_list(items) -> tuple:
        return node(
            "L",
            children=[
                node(
                    "LI",
                    children=[
                        ("Lbl", BULLET, ()),
                        node(
                            "LBody",
                            children=[node("P", plain(item.runs))]
                            + ([bullet_list(item.children)] if item.children else []),
                        ),
                    ],
                )
                for item in items
            ],
        )

    def table(block: AgreementTable) -> tuple:
        rows = []
        for group in block.groups:
            rows.append(node("TR", children=[node("TD", group.heading)]))
            for row in group.rows:
                cells = [node("TH", plain(row.name)), node("TD", row.form)]
                cells += [node("TD", block.mark if mark else "") for mark in row.marks]
                cells.append(node("TD", row.comment))
                rows.append(node("TR", children=cells))
        head = node("THead", children=[node("TR", children=[node("TH", label) for label in block.header])])
        return node("Table", children=[head, node("TBody", children=rows)])

    class Expected(BlockVisitor[list]):
        def title(self, block: Title) -> list:
            return [node("H1", block.text)]

        def heading(self, block: Heading) -> list:
            return [node(f"H{block.level + 1}", plain(block.runs))]

        def paragraph(self, block: Paragraph) -> list:
            return [node("P", plain(block.runs))]

        def bullet_list(self, block: BulletList) -> list:
            return [bullet_list(block.items)]

        def agreement_table(self, block: AgreementTable) -> list:
            return [table(block)]

        def data_table(self, block: DataTable) -> list:
            head = node("THead", children=[node("TR", children=[node("TH", label) for label in block.header])])
            rows = [
                node("TR", children=[node("TH", cells[0]), *(node("TD", cell) for cell in cells[1:])])
                for cells in block.rows
            ]
            return [node("Table", children=[head, node("TBody", children=rows)])]

        def chart(self, block: Chart) -> list:
            return [node("P", block.title), node("Figure", FIGURE), *([node("P", block.note)] if block.note else [])]

    blocks = [element for elements in walk(document.blocks, Expected()) for element in elements]
    return node("Document", children=blocks)


FIGURE = "<chart>"  # a figure is read by its /Alt, tested on its own


def as_read(element: TaggedElement, loose: bool) -> tuple:
    text = FIGURE if element.role == "Figure" else squeeze(element.text, loose)
    if element.role == "Lbl" and text in ("•", "–", "◦"):
        text = BULLET
    return (element.role, text, tuple(as_read(child, loose) for child in element.children))


def document_of(edition):
    return prepare(edition.content_dir).document


def table_of(document: Document) -> AgreementTable:
    return next(block for block in document.blocks if isinstance(block, AgreementTable))


def test_structure_tree_is_the_content_in_reading_order(edition):
    # The 2019 columns are wide enough for every word, so its text must come
    # back exactly; narrower columns may break a long word over two lines.
    loose = edition.name != "content"
    document = document_of(edition)
    assert as_read(pdf_structure(edition.pdf), loose) == expected_structure(document, loose)


def test_2019_table_has_one_row_per_category_and_agreement(built):
    tree = pdf_structure(built["pdf"])
    (table,) = tree.find_all("Table")
    head, body = table.children
    assert [head.role, body.role] == ["THead", "TBody"]
    assert len(head.children) == 1 and len(body.children) == 13 + 57
    assert len(table.find_all("TR")) == 1 + 13 + 57
    header_cells = head.children[0].children
    assert [cell.role for cell in header_cells] == ["TH"] * 6
    assert all(cell.attributes == {"O": "Table", "Scope": "Column"} for cell in header_cells)
    categories = [row.children for row in body.children if len(row.children) == 1]
    assert len(categories) == 13
    assert all(cell.role == "TD" and cell.attributes["ColSpan"] == 6 for (cell,) in categories)
    agreements = [row.children for row in body.children if len(row.children) > 1]
    assert all(cells[0].role == "TH" and cells[0].attributes["Scope"] == "Row" for cells in agreements)
    assert all([cell.role for cell in cells[1:]] == ["TD"] * 5 for cells in agreements)


def test_2019_table_read_through_the_tree_matches_the_reference(built):
    (table,) = pdf_structure(built["pdf"]).find_all("Table")
    rows = [[cell.text for cell in row.children] for row in table.find_all("TR")]
    assert rows[0] == spaced(expected_header())
    assert rows[1:] == [spaced(row) for row in expected_rows()]


def test_tables_have_their_captions_and_summaries(edition):
    expected = [b for b in document_of(edition).blocks if isinstance(b, (AgreementTable, DataTable))]
    tables = pdf_structure(edition.pdf).find_all("Table")
    assert [(t.title, t.attributes) for t in tables] == [
        (block.caption, {"O": "Table", "Summary": block.description}) for block in expected
    ]


def test_figures_carry_the_charts_text_alternative(edition):
    charts = [b for b in document_of(edition).blocks if isinstance(b, Chart)]
    figures = pdf_structure(edition.pdf).find_all("Figure")
    assert [figure.alt for figure in figures] == [chart.alt_text for chart in charts]


def test_title_and_headings_are_the_only_headings(edition):
    document = document_of(edition)
    tree = pdf_structure(edition.pdf)
    headings = [e for e in tree.walk() if e.role.startswith("H") and e.role[1:].isdigit()]
    assert headings[0].role == "H1" and headings[0].text == document.title
    assert [e.role for e in headings].count("H1") == 1
    expected = [f"H{b.level + 1}" for b in document.blocks if isinstance(b, Heading)]
    assert [e.role for e in headings[1:]] == expected


def test_one_list_item_per_bullet_nested_as_written(edition):
    document = document_of(edition)

    def count(items) -> int:
        return sum(1 + count(item.children) for item in items)

    bullets = sum(count(b.items) for b in document.blocks if isinstance(b, BulletList))
    tree = pdf_structure(edition.pdf)
    assert len(tree.find_all("LI")) == bullets == len(tree.find_all("Lbl")) == len(tree.find_all("LBody"))
    for element in tree.find_all("L"):
        assert {child.role for child in element.children} == {"LI"}
        assert element.attributes["O"] == "List"


def test_sami_edition_nests_lists_three_deep_and_keeps_every_character(sami):
    tree = pdf_structure(sami.pdf)
    deepest = max(len([e for e in path if e.role == "L"]) for path in _paths(tree))
    assert deepest == 3
    assert any(element.text == f"Teikn som må kome med: {SPECIAL_TEXT}" for element in tree.find_all("P"))
    header = tree.find_all("THead")[0].all_text.replace(" ", "")
    assert all(name in header for name in SAMI_MEMBERS)


def _paths(element: TaggedElement, above: tuple = ()):
    path = (*above, element)
    yield path
    for child in element.children:
        yield from _paths(child, path)


def test_every_mcid_belongs_to_exactly_one_element(edition):
    tree = pdf_structure(edition.pdf)
    marked = [key for element in tree.walk() for key in element.marked]
    assert len(marked) == len(set(marked)), "no content is claimed twice"
    with pikepdf.open(edition.pdf) as pdf:
        parent_tree = pdf.Root.StructTreeRoot.ParentTree.Nums
        owners = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)}
        for index, page in enumerate(pdf.pages):
            mcids = [
                int(op.operands[1].MCID)
                for op in pikepdf.parse_content_stream(page)
                if str(op.operator) == "BDC"
                and isinstance(op.operands[1], pikepdf.Dictionary)
                and "/MCID" in op.operands[1]
            ]
            assert mcids == list(range(len(mcids)))
            assert int(page.StructParents) == index
            assert len(owners[index]) == len(mcids)
            assert sorted(mcid for page_index, mcid in marked if page_index == index) == mcids


def test_every_mark_on_a_page_is_content_or_artifact(edition):
    """Text in a sequence with an MCID or an artifact; lines and shading only as artifacts."""
    with pikepdf.open(edition.pdf) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            stack: list[str] = []
            for instruction in pikepdf.parse_content_stream(page):
                operator = str(instruction.operator)
                if operator in ("BMC", "BDC"):
                    properties = instruction.operands[1] if operator == "BDC" else None
                    is_content = isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties
                    tag = str(instruction.operands[0])
                    stack.append(("figure" if tag == "/Figure" else "content") if is_content else tag)
                elif operator == "EMC":
                    stack.pop()
                elif operator in TEXT_SHOWING:
                    assert stack and stack[-1] in ("content", "figure", "/Artifact"), (
                        f"page {number}: text outside marked content"
                    )
                elif operator in PATH_PAINTING | OTHER_PAINTING:
                    # a chart's bars are what its Figure shows; elsewhere lines and shading decorate
                    assert stack and stack[-1] in ("/Artifact", "figure"), (
                        f"page {number}: {operator} is not an artifact"
                    )
            assert not stack, f"page {number}: marked content left open"


def test_repeated_header_rows_and_page_numbers_are_artifacts(edition):
    loose = edition.name != "content"
    document = document_of(edition)
    header = squeeze(" ".join(table_of(document).header), loose)
    first, last = table_pages(edition)
    for index, text in enumerate(pdf_artifact_text(edition.pdf)):
        footer = document.footer_page_label.format(page=index + 1)
        assert text.startswith(footer), "the page number is an artifact"
        repeated = squeeze(text[len(footer) :], loose)
        assert repeated == (header if first < index <= last else "")


def test_the_tables_tested_run_over_page_breaks(built, sami, content_dir):
    """So the header row is drawn again, and a repeat is there to be an artifact."""
    first, last = table_pages(BuiltEdition("content", content_dir, built["pdf"], built["docx"]))
    assert last - first == 2
    first, last = table_pages(sami)
    assert last - first >= 2


def table_pages(edition) -> tuple[int, int]:
    """The first and last page (indexes) with rows of the agreement table on them."""
    caption = table_of(document_of(edition)).caption
    table = next(t for t in pdf_structure(edition.pdf).find_all("Table") if t.title == caption)
    pages = {page for row in table.find_all("TR") for page, _ in _marks(row)}
    return min(pages), max(pages)


def _marks(element: TaggedElement):
    for each in element.walk():
        yield from each.marked


def test_bookmarks_lead_to_the_title_headings_and_categories(edition):
    document = document_of(edition)
    tree = pdf_structure(edition.pdf)
    first_page = {}
    for element in tree.walk():
        if element.marked:
            first_page.setdefault(element.text, element.marked[0][0])
    with pikepdf.open(edition.pdf) as pdf:
        assert pdf.Root.PageMode == pikepdf.Name.UseOutlines
        page_index = {page.objgen: index for index, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            (top,) = outline.root
            assert top.title == document.title
            children = [(item.title, page_index[item.destination[0].objgen]) for item in top.children]
    headings = [plain(b.runs) for b in document.blocks if isinstance(b, Heading)]
    categories = [group.heading for group in table_of(document).groups]
    assert [title for title, _ in children] == headings + categories
    if edition.name == "content":
        assert all(page == first_page[title] for title, page in children)


def test_document_declares_language_title_and_tagging(edition):
    document = document_of(edition)
    with pikepdf.open(edition.pdf) as pdf:
        assert str(pdf.Root.Lang) == document.language_tag
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == document.title
        assert all(page.Tabs == pikepdf.Name.S for page in pdf.pages)


def test_fonts_are_embedded_with_widths_and_unicode_maps(edition):
    with pikepdf.open(edition.pdf) as pdf:
        fonts = {font.objgen: font for page in pdf.pages for font in page.Resources.Font.values()}
        assert fonts
        for font in fonts.values():
            assert "/FontFile2" in font.FontDescriptor, f"{font.BaseFont} is embedded"
            assert len(font.Widths) == int(font.LastChar) - int(font.FirstChar) + 1
            assert "/ToUnicode" in font


def test_pdfua_checker_reports_nothing(edition):
    """The command docs/utvikling.md gives: `pdfua check FILE`, here as JSON."""
    result = subprocess.run(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", str(edition.pdf)],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["skipped"] == []
    assert report["summary"]["rules_run"] >= 12
    assert result.returncode == 0
