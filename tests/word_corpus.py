"""Word files of the 2019 overview made as people make them by hand, for the
import to read back to exactly content/.

Each file is the 2019 reference (tests/fixtures/oversikt-2019.txt) written
by :func:`write` with the quirks of one way of working. A quirk is one
function that takes the :class:`Draft` and either changes a choice the
writer makes (styles, marks, how a category row looks) or changes the
written document (python-docx's lxml tree) afterwards, as raw OOXML where
python-docx has no way to say it (tracked changes, boxes, fields). A new
quirk is one more function, added to a file's list in ``FILES``.

A quirk that makes the import say something true adds the words it expects
to ``Draft.warnings``; a tracked change adds to ``Draft.changes``.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt
from lxml import etree
from readback import read_reference

REFERENCE = read_reference()
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


@dataclass
class Draft:
    """The choices the writer makes, and what quirks do after it wrote."""

    title_style: str | None = "Title"  # None: direct formatting
    list_styles: tuple[str, ...] | None = ("List Bullet", "List Bullet 2")  # by level; None: typed bullets
    merged_categories: bool = True
    mark: Callable[[int], str] = lambda _: "x"  # the mark for the n-th one written
    split_table: bool = False  # the table split before "Energi", its header repeated
    spacer_rows: bool = False
    cell_writers: dict[str, Callable] = field(default_factory=dict)  # cell text -> writes it into a cell
    after: list[Callable[[docx.document.Document], None]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the import should say, in part
    changes: int = 0  # tracked changes made


def write(path: Path, quirks: tuple[Callable[[Draft], None], ...]) -> Draft:
    """Write the 2019 overview to ``path`` with ``quirks``; the draft says what the import should say."""
    draft = Draft()
    for quirk in quirks:
        quirk(draft)
    document = docx.Document()
    _narrative(document, draft)
    _tables(document, draft)
    for change in draft.after:
        change(document)
    document.save(str(path))
    return draft


def _narrative(document, draft: Draft) -> None:
    title, *lines = REFERENCE.narrative
    if draft.title_style:
        document.add_paragraph(title, style=draft.title_style)
    else:
        run = document.add_paragraph().add_run(title)
        run.bold, run.font.size = True, Pt(20)
    for line in lines:
        level = (len(line) - len(line.lstrip(" "))) if line.lstrip().startswith("- ") else None
        if level is None:
            document.add_paragraph(line)
        elif draft.list_styles:
            document.add_paragraph(line.lstrip()[2:], style=draft.list_styles[level])
        else:  # typed by hand: "•" and a tab, indented by level; a dash and a space further in
            bullet = "•\t" if level == 0 else "–\t"
            paragraph = document.add_paragraph(bullet + line.lstrip()[2:])
            paragraph.paragraph_format.left_indent = Cm(0.63 * (level + 1))
            paragraph.paragraph_format.first_line_indent = Cm(-0.63)


def _tables(document, draft: Draft) -> None:
    header = REFERENCE.header
    parts = [REFERENCE.categories]
    if draft.split_table:
        at = next(n for n, (name, _) in enumerate(REFERENCE.categories) if name == "Energi")
        parts = [REFERENCE.categories[:at], REFERENCE.categories[at:]]
    marks = 0
    for number, categories in enumerate(parts):
        if number:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        table = document.add_table(rows=0, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _row(table, header, draft)
        for index, (name, rows) in enumerate(categories):
            if draft.spacer_rows and index:
                cells = table.add_row().cells
                if index % 2:  # every other spacer merged across the table
                    cells[0].merge(cells[-1])
            cells = table.add_row().cells
            if draft.merged_categories:
                cells[0].merge(cells[-1])
            cells[0].paragraphs[0].add_run(name).bold = True
            for row in rows:
                texts = list(row)
                for column in range(2, len(header) - 1):
                    if texts[column] == "x":
                        texts[column] = draft.mark(marks)
                        marks += 1
                _row(table, [_plain(text) for text in texts], draft)


def _row(table, texts: list[str], draft: Draft) -> None:
    for cell, text in zip(table.add_row().cells, texts, strict=True):
        writer = draft.cell_writers.get(text)
        if writer:
            writer(cell)
        else:
            cell.paragraphs[0].add_run(text)


def _plain(text: str) -> str:
    return text.replace("<i>", "").replace("</i>", "")


# --- helpers for raw OOXML -------------------------------------------------------


def paragraphs_starting(document, start: str) -> list:
    return [p for p in document.element.body.iter(qn("w:p")) if _text(p).startswith(start)]


def cell_with(document, text: str):
    return next(c for c in document.element.body.iter(qn("w:tc")) if _text(c) == text)


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def run(text: str, tag: str = "w:t", properties: str = "") -> str:
    space = ' xml:space="preserve"' if tag in ("w:t", "w:delText") else ""
    return f"<w:r>{properties}<{tag}{space}>{text}</{tag}></w:r>"


_REVISION = 'w:id="{}" w:author="Kari" w:date="2018-12-01T10:00:00Z"'
_ids = iter(range(100, 10_000))


def revision(tag: str, content: str = "") -> str:
    return f"<w:{tag} {_REVISION.format(next(_ids))}>{content}</w:{tag}>"


def replace_content(paragraph, xml: str) -> None:
    """Put ``xml`` (runs and what wraps them) in place of the paragraph's runs."""
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)
    for element in parse_xml(f"<w:body {nsdecls('w', 'r')} xmlns:mc='{MC}'>{xml}</w:body>"):
        paragraph.append(element)


def mark_paragraph(paragraph, tag: str) -> None:
    """Mark the paragraph's mark (its pilcrow) as inserted, deleted or moved."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = OxmlElement("w:pPr")
        paragraph.insert(0, properties)
    mark = properties.find(qn("w:rPr"))
    if mark is None:
        mark = OxmlElement("w:rPr")
        properties.append(mark)
    mark.append(parse_xml(f"<w:{tag} {nsdecls('w')} {_REVISION.format(next(_ids))}/>"))


def add_part(document, name: str, content_type: str, relationship: str, xml: str) -> None:
    part = Part(PackURI(name), content_type, xml.encode("utf-8"), document.part.package)
    document.part.relate_to(part, relationship)


# --- the quirks ----------------------------------------------------------------


def norwegian_styles(draft: Draft) -> None:
    """Norwegian Word's styles: the ids Word gives them (Tittel, Overskrift1,
    Punktliste, Punktliste2), some named in Norwegian as older files have them."""

    def rename(document) -> None:
        styles = document.styles
        for english, own_id, own_name in (
            ("Title", "Tittel", "Tittel"),
            ("Heading 1", "Overskrift1", "heading 1"),
            ("List Bullet", "Punktliste", "Punktliste"),
            ("List Bullet 2", "Punktliste2", "Punktliste 2"),
        ):
            element = styles[english].element
            for paragraph in document.element.body.iter(qn("w:p")):
                style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                if style is not None and style.get(qn("w:val")) == element.get(qn("w:styleId")):
                    style.set(qn("w:val"), own_id)
            element.set(qn("w:styleId"), own_id)
            element.find(qn("w:name")).set(qn("w:val"), own_name)

    draft.after.append(rename)


def numbered_list_paragraphs(draft: Draft) -> None:
    """List items as Word makes them with the bullet button: "Listeavsnitt"
    (List Paragraph) with the level in the paragraph's numbering."""

    def renumber(document) -> None:
        document.styles["List Paragraph"].element.set(qn("w:styleId"), "Listeavsnitt")
        for level, style in enumerate(("List Bullet", "List Bullet 2")):
            style_id = document.styles[style].style_id
            for paragraph in document.element.body.iter(qn("w:p")):
                found = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                if found is None or found.get(qn("w:val")) != style_id:
                    continue
                found.set(qn("w:val"), "Listeavsnitt")
                numbering = paragraph.pPr.get_or_add_numPr()
                numbering.get_or_add_ilvl().val = level
                numbering.get_or_add_numId().val = 1

    draft.after.append(renumber)


def logo(draft: Draft) -> None:
    """The region's logo, a small picture, beside the title."""
    from PIL import Image

    def add(document) -> None:
        stream = io.BytesIO()
        Image.new("RGB", (40, 20), (0, 90, 160)).save(stream, "PNG")
        stream.seek(0)
        first = document.paragraphs[0]
        first.insert_paragraph_before().add_run().add_picture(stream, width=Cm(3))

    draft.after.append(add)
    draft.warnings.append("et bilde eller innebygd objekt kan ikke importeres")


def direct_formatting(draft: Draft) -> None:
    """No styles: a big bold title, bullets typed by hand and indented, category rows in bold, not merged."""
    draft.title_style = draft.list_styles = None
    draft.merged_categories = False


def spacer_rows(draft: Draft) -> None:
    """An empty row before each category, every other one merged across the table."""
    draft.spacer_rows = True


def spacer_rows_in_merged_table(draft: Draft) -> None:
    """The bug of issue 24: merged categories and one merged empty spacer row."""
    draft.spacer_rows = True
    draft.merged_categories = True


def split_table(draft: Draft) -> None:
    """The table split after a page break, its header row repeated at the top of the second."""
    draft.split_table = True


def typed_marks(draft: Draft) -> None:
    """Marks typed as "X", "x " or "✓"."""
    draft.mark = lambda n: ("X", "x ", "✓")[n % 3]


def two_paragraph_cells(draft: Draft) -> None:
    """A name and comments in two paragraphs, a comment with a manual line break after a space."""

    def paragraphs(*texts: str) -> Callable:
        def write_cell(cell) -> None:
            cell.paragraphs[0].add_run(texts[0])
            for text in texts[1:]:
                cell.add_paragraph(text)

        return write_cell

    def line_break(cell) -> None:
        run = cell.paragraphs[0].add_run("Med OFK. ")
        run.add_break()
        run.add_text("Avtalen er sagt opp.")

    draft.cell_writers.update({
        "Felles økonomienhet - regnskap, lønn, fakturering": paragraphs(
            "Felles økonomienhet -", "regnskap, lønn, fakturering"
        ),
        "Med flere kommuner og OFK. Avtalen er sagt opp.":
            paragraphs("Med flere kommuner og OFK.", "Avtalen er sagt opp."),
        "Med OFK. Avtalen er sagt opp.": line_break,
        "Med Ringebu. Flere kommuner i deler av samarbeidet. Kommunalsjefgruppe koordinerer.": paragraphs(
            "Med Ringebu.", "Flere kommuner i deler av samarbeidet.", "Kommunalsjefgruppe koordinerer."
        ),
    })  # fmt: skip


def merged_comment_cell(draft: Draft) -> None:
    """One comment cell merged down over the rows that share it (w:vMerge)."""

    def merge(document) -> None:
        table = document.tables[0]
        starts = ("Borgerlig vigsel", "Felles økonomienhet")
        rows = [row for row in table.rows if row.cells[0].text.startswith(starts)]
        rows[0].cells[-1].merge(rows[1].cells[-1])
        merged = rows[0].cells[-1]
        for paragraph in merged.paragraphs[1:]:  # python-docx keeps both texts; Word's merge shows one
            paragraph._p.getparent().remove(paragraph._p)

    draft.after.append(merge)


def footnotes_and_comments(draft: Draft) -> None:
    """A footnote after a word of the narrative and after an agreement's
    name, and Word comments on the narrative and on a cell."""

    def add(document) -> None:
        footnotes = (
            f"<w:footnotes {nsdecls('w')}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
            "</w:footnote>"
            '<w:footnote w:id="1"><w:p><w:r><w:t>Fylkeskommunen er med i noen samarbeid.</w:t></w:r></w:p></w:footnote>'
            '<w:footnote w:id="2"><w:p><w:r><w:t>Sekretariat i Lillehammer.</w:t></w:r></w:p></w:footnote>'
            "</w:footnotes>"
        )
        add_part(document, "/word/footnotes.xml", CT.WML_FOOTNOTES, RT.FOOTNOTES, footnotes)
        reference = '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{}"/></w:r>'
        (intro,) = paragraphs_starting(document, "Gausdal, Lillehammer og Øyer")
        intro.append(parse_xml(reference.format(1).replace("<w:r>", f"<w:r {nsdecls('w')}>")))
        name = cell_with(document, "Regionråd").find(qn("w:p"))
        name.append(parse_xml(reference.format(2).replace("<w:r>", f"<w:r {nsdecls('w')}>")))
        motives = document.paragraphs[2]
        document.add_comment(motives.runs, text="Er dette fortsatt riktig?", author="Kari", initials="KN")
        cell = document.tables[0].rows[3].cells[-1]
        document.add_comment(cell.paragraphs[0].runs, text="Sjekk med Ringebu", author="Ola", initials="ON")

    draft.after.append(add)


def tracked_changes(draft: Draft) -> None:
    """Changes nobody accepted: words inserted and deleted in the narrative, a
    paragraph typed in two whose mark was deleted, a list item deleted and one
    moved, a comment changed in its cell, a row inserted and one deleted."""

    def change(document) -> None:
        (motives,) = paragraphs_starting(document, "Interkommunalt samarbeid framstår")
        text = _text(motives)
        at = text.index("strategi")
        replace_content(
            motives,
            run(text[:at])
            + revision("del", run("viktig ", "w:delText"))
            + revision("ins", run("strategi"))
            + run(text[at + len("strategi") :]),
        )
        (caveat,) = paragraphs_starting(document, "Her gis en kort oversikt")
        text = _text(caveat)
        at = text.index("Selv om")
        second = etree.fromstring(etree.tostring(caveat))
        caveat.addnext(second)
        replace_content(caveat, run(text[:at]))
        replace_content(second, run(text[at:]))
        mark_paragraph(caveat, "del")
        (item,) = paragraphs_starting(document, "Større fagmiljø for å redusere")
        deleted = etree.fromstring(etree.tostring(item))
        item.addnext(deleted)
        replace_content(deleted, revision("del", run("Lavere kostnader", "w:delText")))
        mark_paragraph(deleted, "del")
        (moved,) = paragraphs_starting(document, "Større fagmiljø for rekruttering")
        away = etree.fromstring(etree.tostring(moved))
        paragraphs_starting(document, "Gevinstrealisering")[0].addprevious(away)
        replace_content(away, revision("moveFrom", run("Større fagmiljø for rekruttering")))
        mark_paragraph(away, "moveFrom")
        replace_content(moved, revision("moveTo", run("Større fagmiljø for rekruttering")))
        mark_paragraph(moved, "moveTo")
        comment = cell_with(document, "Med OFK. Avtalen er sagt opp.").find(qn("w:p"))
        replace_content(
            comment,
            run("Med OFK. ")
            + revision("del", run("Avtalen løper.", "w:delText"))
            + revision("ins", run("Avtalen er sagt opp.")),
        )
        inserted = next(r for r in document.tables[0].rows if r.cells[0].text == "Regional næringsplan")._tr
        inserted.get_or_add_trPr().append(parse_xml(f"<w:ins {nsdecls('w')} {_REVISION.format(next(_ids))}/>"))
        gone = etree.fromstring(etree.tostring(inserted))
        inserted.addprevious(gone)
        gone.find(qn("w:trPr")).remove(gone.find(f"{qn('w:trPr')}/{qn('w:ins')}"))
        gone.find(qn("w:trPr")).append(parse_xml(f"<w:del {nsdecls('w')} {_REVISION.format(next(_ids))}/>"))
        for paragraph in gone.iter(qn("w:p")):
            text = _text(paragraph)
            replace_content(paragraph, revision("del", run(f"{text} (gammel)", "w:delText")) if text else "")

    draft.after.append(change)
    # two in the narrative's words, a mark deleted, a deleted item (text and
    # mark), a move (both ends and both marks), two in a cell, two rows
    draft.changes += 2 + 1 + 2 + 4 + 2 + 2
    draft.warnings.append(f"dokumentet har {draft.changes} endringer som ikke er godtatt")


def box_with_nested_table(draft: Draft) -> None:
    """The caveat in a one-cell table drawn as a box, with a table nested in
    it holding the paragraph on child welfare."""

    def box(document) -> None:
        (caveat,) = paragraphs_starting(document, "Her gis en kort oversikt")
        (welfare,) = paragraphs_starting(document, "En utredning som starter")
        outer = document.add_table(rows=1, cols=1)
        outer.style = "Table Grid"
        cell = outer.cell(0, 0)
        cell._tc.remove(cell.paragraphs[0]._p)
        cell._tc.append(caveat)
        inner = cell.add_table(rows=1, cols=1)
        inner.style = "Table Grid"
        inner_cell = inner.cell(0, 0)
        inner_cell._tc.remove(inner_cell.paragraphs[0]._p)
        inner_cell._tc.append(welfare)
        cell.add_paragraph()  # Word ends a cell with a paragraph after a nested table
        (limits,) = paragraphs_starting(document, "Vi har i hovedsak")
        limits.addprevious(outer._tbl)

    draft.after.append(box)


def fields_and_controls(draft: Draft) -> None:
    """A hyperlink, a field (code and result), a bookmark, a content control,
    a smart tag and mc:AlternateContent, all of which show their text once."""

    def add(document) -> None:
        (intro,) = paragraphs_starting(document, "Gausdal, Lillehammer og Øyer")
        text = _text(intro)
        at = text.index("Oppland fylkeskommune")
        link = document.part.relate_to("https://www.oppland.no/", RT.HYPERLINK, is_external=True)
        replace_content(
            intro,
            '<w:bookmarkStart w:id="7" w:name="innledning"/>'
            + run(text[:at])
            + f'<w:hyperlink r:id="{link}">{run("Oppland fylkeskommune")}</w:hyperlink>'
            + run(" (")
            + '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + run(' HYPERLINK "https://www.oppland.no/" ', "w:instrText")
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + run("OFK")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + run(").")
            + '<w:bookmarkEnd w:id="7"/>',
        )
        (limits,) = paragraphs_starting(document, "Vi har i hovedsak")
        text = _text(limits)
        at = text.index("regnskap")
        replace_content(
            limits,
            run(text[:at])
            + '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
            + run("regnskap")
            + "</w:smartTag>"
            + '<w:fldSimple w:instr=" COMMENTS "><w:r><w:t></w:t></w:r></w:fldSimple>'
            + run(text[at + len("regnskap") :]),
        )
        control = parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtPr><w:alias w:val='Avgrensning'/></w:sdtPr><w:sdtContent/></w:sdt>"
        )
        limits.addprevious(control)
        control.find(qn("w:sdtContent")).append(limits)
        mark = cell_with(document, "Felles kommunestyremøter").getparent().findall(qn("w:tc"))[2].find(qn("w:p"))
        replace_content(
            mark,
            f'<mc:AlternateContent><mc:Choice Requires="w14">{run("x")}</mc:Choice>'
            f"<mc:Fallback>{run('x')}</mc:Fallback></mc:AlternateContent>",
        )

    draft.after.append(add)


def hidden_text(draft: Draft) -> None:
    """A note to self typed as hidden text (w:vanish) in the narrative."""

    def hide(document) -> None:
        (limits,) = paragraphs_starting(document, "Vi har i hovedsak")
        limits.append(parse_xml(f"<w:r {nsdecls('w')}><w:rPr><w:vanish/></w:rPr><w:t> Sjekk med økonomi!</w:t></w:r>"))

    draft.after.append(hide)
    draft.warnings.append("dokumentet har skjult tekst (1 sted)")


# --- the corpus ----------------------------------------------------------------

FILES: dict[str, tuple[Callable[[Draft], None], ...]] = {
    "tidy": (),
    "norwegian_word": (norwegian_styles, logo, typed_marks),
    "grown_over_years": (
        direct_formatting,
        spacer_rows,
        split_table,
        typed_marks,
        two_paragraph_cells,
        merged_comment_cell,
    ),
    "merged_spacer": (spacer_rows_in_merged_table, typed_marks),
    "reviewed": (tracked_changes, footnotes_and_comments, merged_comment_cell),
    "boxed": (numbered_list_paragraphs, box_with_nested_table, fields_and_controls, hidden_text),
}


def make(folder: Path, name: str) -> tuple[Path, Draft]:
    path = folder / f"{name}.docx"
    return path, write(path, FILES[name])


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for name in FILES:
        print(make(out, name)[0])
