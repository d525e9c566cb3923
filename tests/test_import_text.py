"""Imported text prints as it stood in the source: Markdown and Jinja syntax
in it is escaped, emphasis and lists are kept, and every YAML value reads
back as the same text."""

from __future__ import annotations

from pathlib import Path

import docx
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from readback import REFERENCE, docx_paragraphs

from builder.build import build
from builder.diagnostics import Diagnostics
from builder.importing import import_source
from builder.importing.content_files import flow_list, scalar
from builder.importing.markdown import to_markdown
from builder.importing.source import merge_runs
from builder.model import BulletList, ListItem, NarrativeSource, Paragraph, Run
from builder.narrative import render_narrative

HEADER = ("Pr. 01.01.2020", "Type samarbeid § i kommuneloven", "A", "B", "Kommentarer")
# What an editor's text may hold: letters, digits, punctuation, symbols and
# spaces of every script; control characters are dropped on import.
TEXT = st.text(st.characters(categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=40)
WORD = st.text(st.characters(categories=("L", "N")), min_size=1, max_size=8)


def rendered(markdown: str) -> tuple:
    problems = Diagnostics()
    blocks = render_narrative((NarrativeSource(Path("t.md"), markdown),), {}, "og", problems)
    assert not problems.items, [str(p) for p in problems.items]
    return tuple(_visible(block) for block in blocks)


def _visible(block):
    """Without the empty runs markdown-it leaves after a closing "**"."""
    if isinstance(block, BulletList):
        return BulletList(tuple(_visible_item(item) for item in block.items))
    return Paragraph(tuple(run for run in block.runs if run.text))


def _visible_item(item: ListItem) -> ListItem:
    return ListItem(tuple(run for run in item.runs if run.text), tuple(_visible_item(c) for c in item.children))


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_prints_literally(text):
    runs = merge_runs([Run(text)])
    if runs:
        blocks = (Paragraph(runs),)
        assert rendered(to_markdown(blocks)) == blocks


SEPARATOR = st.sampled_from([" ", ", ", " (", ") ", "-", ": «", "» "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(SEPARATOR, WORD, st.booleans(), st.booleans()), min_size=1))
def test_emphasis_and_strong_are_kept(parts):
    """Style that changes between words, as it does in real text."""
    runs = []
    for between, word, emphasis, strong in parts:
        runs += [Run(between), Run(word, emphasis, strong)]
    blocks = (Paragraph(merge_runs(runs)),)
    assert rendered(to_markdown(blocks)) == blocks


@settings(max_examples=100, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_nested_lists_and_line_breaks_are_kept(first, second, third):
    items = [merge_runs([Run(text)]) for text in (first, second, f"{first}\n{third}")]
    if all(items) and all(not run.text.startswith("\n") for item in items for run in item):
        blocks = (BulletList((ListItem(items[0], (ListItem(items[1]), ListItem(items[2]))),)),)
        assert rendered(to_markdown(blocks)) == blocks


def test_style_changing_inside_a_word_is_kept_where_markdown_can_say_it():
    runs = (Run("fet", strong=True), Run("kursiv", emphasis=True, strong=True), Run("slutt", emphasis=True))
    blocks = (Paragraph(runs),)
    assert rendered(to_markdown(blocks)) == blocks


def test_style_markdown_cannot_say_is_reported_not_lost_silently(tmp_path):
    """Bold, italic, bold-italic and plain inside one word has no Markdown
    spelling; the import says so and names the file."""
    document = docx.Document()
    paragraph = document.add_paragraph()
    for text, italic, bold in (("a", False, True), ("b", True, False), ("c", True, True), ("d", False, False)):
        run = paragraph.add_run(text)
        run.italic, run.bold = italic, bold
    document.add_paragraph("Nok tekst.")
    table = document.add_table(rows=3, cols=5)
    rows = [HEADER, ("Kategori", "", "", "", ""), ("Samarbeid", "IKS", "x", "x", "")]
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(str(tmp_path / "kilde.docx"))
    result = import_source(tmp_path / "kilde.docx", tmp_path / "new")
    warnings = [str(w) for w in result.diagnostics.warnings]
    assert any(w.startswith(f"{tmp_path / 'new' / 'text' / 'innledning.md'}: warning: teksten kunne") for w in warnings)


def test_two_lists_in_a_row_stay_two_lists():
    blocks = (BulletList((ListItem((Run("a"),)),)), BulletList((ListItem((Run("b"),)),)))
    assert rendered(to_markdown(blocks)) == blocks


def test_placeholders_and_markup_from_the_source_print_literally(tmp_path):
    narrative = [
        "{{ region }} og {% if x %} og {# ikke en kommentar #}",
        "# ikke en overskrift",
        "1. ikke en nummerert liste",
        "Stjerner *her* og _her_, [lenke](http://x), <http://y>, &amp; og \\ står som de er.",
        "Ekte <i>kursiv</i>.",
    ]
    source = tmp_path / "kilde.txt"
    original = REFERENCE.read_text("utf-8")
    source.write_text("\n\n".join(narrative) + "\n\n" + original[original.index("Pr. 01.01.2019") :], "utf-8")
    import_source(source, tmp_path / "new")
    written, _ = build(tmp_path / "new", tmp_path / "out", ("docx",))
    paragraphs = [text for style, text in docx_paragraphs(written[0]) if style == "Normal"]
    assert paragraphs[: len(narrative)] == [*narrative[:4], "Ekte kursiv."]


@given(TEXT)
def test_any_value_reads_back_from_yaml(value):
    assert yaml.safe_load(f"key: {scalar(value)}") == {"key": value}
    assert yaml.safe_load(f"key: {flow_list((value, 'Øyer'))}") == {"key": [value, "Øyer"]}


def test_imported_yaml_loads_back_as_what_was_read(tmp_path):
    import_source(REFERENCE, tmp_path / "new")
    data = yaml.safe_load((tmp_path / "new" / "agreements.yaml").read_text("utf-8"))
    rows = [row for _, rows in _reference_categories() for row in rows]
    names = [agreement["name"] for category in data["categories"] for agreement in category["agreements"]]
    expected = [row[0].replace(" <i>Se under*</i>", "").removesuffix("*") for row in rows]
    assert names == expected
    assert [c["name"] for c in data["categories"]] == [name for name, _ in _reference_categories()]


def _reference_categories():
    from readback import read_reference

    return read_reference().categories
