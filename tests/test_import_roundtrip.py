"""The three round trips of ``oversikt import``: our own Word file back to the
same edition, the 2019 text export back to the same table, and a Word file
made by another tool, with its own styles, read correctly."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from readback import REFERENCE, docx_paragraphs, docx_tables

from builder.assemble import printed_comment
from builder.build import build, prepare
from builder.diagnostics import Diagnostics
from builder.importing import import_source
from builder.model import BulletList, Edition, Paragraph, Run
from builder.readers.edition import read_edition
from builder.readers.layout import find_layout, read_layout


def edition_of(content_dir: Path) -> Edition:
    problems = Diagnostics()
    edition = read_edition(content_dir, problems)
    assert edition is not None, [str(d) for d in problems.errors]
    return edition


def structure(edition: Edition) -> dict:
    """Everything an edition says, with part_of resolved to the parent's name,
    since an import has to make its own ids up, and comments as printed: an
    import reads the comment column, where host, partners and status are
    already written out in words."""
    labels = read_layout(find_layout("oversikt", Path(".")), Diagnostics()).labels[edition.language]
    names = {a.id: a.name for a in edition.agreements if a.id}
    pointed_to = {a.part_of for a in edition.agreements if a.part_of}
    return {
        "as_of": edition.as_of,
        "region": edition.region,
        "members": edition.members,
        "language": edition.language,
        "layout": edition.layout,
        "title": edition.title,
        "categories": [
            (
                c.name,
                [(a.name, a.form, a.members, printed_comment(a, labels), names.get(a.part_of)) for a in c.agreements],
            )
            for c in edition.categories
        ],
        "parents": sorted(a.name for a in edition.agreements if a.id in pointed_to),
    }


# --- 1: our own DOCX of content/ -----------------------------------------


def test_own_docx_imports_to_the_same_edition(built, content_dir, tmp_path):
    result = import_source(built["docx"], tmp_path / "imported")
    assert not result.diagnostics.errors
    original, imported = edition_of(content_dir), edition_of(tmp_path / "imported")
    assert structure(imported) == structure(original)
    assert len(imported.agreements) == 57 and len(imported.categories) == 13
    assert structure(original)["parents"], "the round trip covers the part_of structure"


def test_own_docx_imports_to_the_same_document(built, content_dir, tmp_path):
    """Narrative included: the imported edition assembles to the very same
    document (title, paragraphs, nested lists, table) as content/ does."""
    import_source(built["docx"], tmp_path / "imported")
    assert prepare(tmp_path / "imported").document == prepare(content_dir).document


# --- 2: the 2019 text export -----------------------------------------------


def test_text_export_builds_the_same_table_as_content(built, tmp_path):
    result = import_source(REFERENCE, tmp_path / "imported")
    assert (result.categories, result.agreements) == (13, 57)
    written, diagnostics = build(tmp_path / "imported", tmp_path / "out", ("docx",))
    assert not diagnostics.errors
    (imported_docx,) = written
    assert docx_tables(imported_docx) == docx_tables(built["docx"])
    assert docx_paragraphs(imported_docx) == docx_paragraphs(built["docx"])


def test_text_export_gives_the_date_region_and_language(tmp_path):
    import_source(REFERENCE, tmp_path / "imported")
    edition = edition_of(tmp_path / "imported")
    assert edition.as_of == dt.date(2019, 1, 1)
    assert edition.region == "Lillehammer-regionen"
    assert edition.language == "nb"
    report = (tmp_path / "imported" / "report.yaml").read_text("utf-8")
    assert 'from "Pr. 01.01.2019" in the table header' in report


def test_text_export_keeps_the_trailing_space_of_a_starred_name(tmp_path):
    import_source(REFERENCE, tmp_path / "imported")
    text = (tmp_path / "imported" / "agreements.yaml").read_text("utf-8")
    line = next(line for line in text.splitlines() if "Intermediære" in line)
    assert "'Intermediære senger '" in line and 'the source prints "Intermediære senger *"' in line


# --- 3: a DOCX made by another tool -----------------------------------------

MEMBERS = ("Nes", "Gol", "Hol")
HEADER = ("Pr. 01.01.2024", "Type samarbeid § i kommuneloven", *MEMBERS, "Kommentarer")
CHECK = "SYMBOL"  # a Wingdings check mark, as Word inserts it from Insert > Symbol


def foreign_docx(path: Path) -> Path:
    """A Word file as a region might have it: its own styles, the title in a
    style of its own, a list and italic text before the table, category rows
    merged across the table, the header repeated in the middle, "X", "✓" and a
    symbol-font check mark as marks, forms spelt in several ways."""
    document = docx.Document()
    styles = document.styles
    own_title = styles.add_style("Dokumenttittel", WD_STYLE_TYPE.PARAGRAPH)
    own_title.base_style = styles["Normal"]
    own_title.font.size = docx.shared.Pt(20)
    body = styles.add_style("Brødtekst", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = styles["Normal"]
    document.add_paragraph("Oversikt over interkommunale samarbeid per 1. januar 2024", style="Dokumenttittel")
    intro = document.add_paragraph("Nes, Gol og Hol utgjør Hallingdal-regionen. Samarbeidet er ", style="Brødtekst")
    intro.add_run("omfattende").italic = True
    intro.add_run(" og gjelder {{ mange }} områder.")
    document.add_paragraph("Vi samarbeider om:", style="Brødtekst")
    document.add_paragraph("Helse", style="List Bullet")
    document.add_paragraph("Legevakt", style="List Bullet 2")
    document.add_paragraph("Skole og ", style="List Bullet").add_run("barnehage").bold = True
    # Word's own way: "List Paragraph" with the level in the paragraph's numbering
    numbered = document.add_paragraph("SFO", style="List Paragraph")
    numbering = numbered._p.get_or_add_pPr().get_or_add_numPr()
    numbering.get_or_add_ilvl().val = 1
    numbering.get_or_add_numId().val = 1
    rows = [
        HEADER,
        ("Politisk samarbeid",),
        ("Regionråd", "regionråd", "X", "X", "X", "Med Buskerud"),
        ("Felles møter", "uformell", "✓", "", "✓", ""),
        ("Helse",),
        ("Helsesamarbeid Se under*", "Vedtak", "x", "x", "x", "Hovedavtale"),
        ("Legevakt*", "§28-1b", "x", CHECK, "x", "Gol vertskommune"),
        HEADER,
        ("Jordmor *", "vertskommune med felles folkevalgt nemnd", "x", "", "", ""),
        ("Krisesenter", "interkommunalt selskap", "x", "x", "", "Med flere"),
    ]
    table = document.add_table(rows=len(rows), cols=len(HEADER))
    for row, cells in zip(table.rows, rows, strict=True):
        if len(cells) == 1:
            merged = row.cells[0].merge(row.cells[-1])
            merged.text = cells[0]
            continue
        for cell, text in zip(row.cells, cells, strict=True):
            if text == CHECK:
                symbol = OxmlElement("w:sym")
                symbol.set(qn("w:font"), "Wingdings")
                symbol.set(qn("w:char"), "F0FC")
                cell.paragraphs[0].add_run()._r.append(symbol)
            else:
                cell.text = text
    document.save(str(path))
    return path


def test_docx_from_another_tool_imports_correctly(tmp_path):
    result = import_source(foreign_docx(tmp_path / "annen.docx"), tmp_path / "imported")
    assert not result.diagnostics.errors
    edition = edition_of(tmp_path / "imported")
    assert edition.as_of == dt.date(2024, 1, 1)
    assert edition.region == "Hallingdal-regionen"
    assert edition.members == MEMBERS
    assert edition.title is None, "a title the layout gives is not repeated in report.yaml"
    assert structure(edition)["categories"] == [
        (
            "Politisk samarbeid",
            [
                ("Regionråd", "Regionråd", MEMBERS, "Med Buskerud", None),
                ("Felles møter", "Uformelt", ("Nes", "Hol"), "", None),
            ],
        ),
        (
            "Helse",
            [
                ("Helsesamarbeid", "Vedtak", MEMBERS, "Hovedavtale", None),
                ("Legevakt", "§ 28 – 1B", MEMBERS, "Gol vertskommune", "Helsesamarbeid"),
                ("Jordmor ", "Vertskommune med nemnd", ("Nes",), "", "Helsesamarbeid"),
                ("Krisesenter", "IKS", ("Nes", "Gol"), "Med flere", None),
            ],
        ),
    ]


def test_docx_from_another_tool_keeps_its_narrative(tmp_path):
    import_source(foreign_docx(tmp_path / "annen.docx"), tmp_path / "imported")
    blocks = prepare(tmp_path / "imported").document.blocks
    intro, lead_in, bullets = blocks[1:4]
    assert intro == Paragraph(
        (
            Run("Nes, Gol og Hol utgjør Hallingdal-regionen. Samarbeidet er "),
            Run("omfattende", emphasis=True),
            Run(" og gjelder {{ mange }} områder."),
        )
    )
    assert lead_in == Paragraph((Run("Vi samarbeider om:"),))
    assert isinstance(bullets, BulletList)
    helse, school = bullets.items
    assert helse.runs == (Run("Helse"),) and [c.runs for c in helse.children] == [(Run("Legevakt"),)]
    # markdown-it leaves an empty text after a closing "**"; no writer shows it
    assert tuple(r for r in school.runs if r.text) == (Run("Skole og "), Run("barnehage", strong=True))
    assert [c.runs for c in school.children] == [(Run("SFO"),)]
    markdown = (tmp_path / "imported" / "text" / "innledning.md").read_text("utf-8")
    assert "- Helse\n  - Legevakt\n- Skole og **barnehage**\n  - SFO\n" in markdown
    assert "*omfattende*" in markdown


def test_docx_from_another_tool_builds(tmp_path):
    import_source(foreign_docx(tmp_path / "annen.docx"), tmp_path / "imported")
    written, diagnostics = build(tmp_path / "imported", tmp_path / "out", ("docx",))
    assert not diagnostics.errors
    (table,) = docx_tables(written[0])
    assert table[0] == ["Pr. 01.01.2024", "Type samarbeid §\u00a0i\u00a0kommuneloven", *MEMBERS, "Kommentarer"]
    assert table[1:] == [
        ["Politisk samarbeid"],
        ["Regionråd", "Regionråd", "x", "x", "x", "Med Buskerud"],
        ["Felles møter", "Uformelt", "x", "", "x", ""],
        ["Helse"],
        ["Helsesamarbeid Se under*", "Vedtak", "x", "x", "x", "Hovedavtale"],
        ["Legevakt*", "§ 28 – 1B", "x", "x", "x", "Gol vertskommune"],
        ["Jordmor *", "§ 20-3", "x", "", "", ""],
        ["Krisesenter", "IKS", "x", "x", "", "Med flere"],
    ]


def test_own_nynorsk_docx_imports_to_the_same_edition(content_dir, tmp_path):
    """The nynorsk labels ("Kommentarar", "Sjå under*") are read as well."""
    shutil.copytree(content_dir, tmp_path / "nn")
    report = tmp_path / "nn" / "report.yaml"
    report.write_text(report.read_text("utf-8").replace("language: nb", "language: nn"), "utf-8")
    (written,), _ = build(tmp_path / "nn", tmp_path / "out", ("docx",))
    import_source(written, tmp_path / "imported")
    assert structure(edition_of(tmp_path / "imported")) == structure(edition_of(tmp_path / "nn"))
    assert edition_of(tmp_path / "imported").language == "nn"
