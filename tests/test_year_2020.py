"""The 2020 edition as the administrator of issue 23 made it (tests/year_2020.py:
rolled from content/, two agreements ended, three added, the framework
agreement renamed, a new category, Oppland fylkeskommune now Innlandet),
built and published through the real commands with the changes since 2019
and the summary, the region's edition and Øyer's. What the reader gets:

- the renamed framework agreement as changed ("navn: … → …"), neither ended nor new;
- no page of a PDF ending with a heading ("Endringer siden …", «Nye samarbeid (4)»),
  and every heading of the Word file kept with what follows;
- the three member names upright: the 2018 forms print as their paragraphs;
- no doubled full stop before a category: no ". (".
"""

from __future__ import annotations

import pdfplumber
import pytest
from docx import Document as WordDocument
from html_readback import parse
from pages import page_end_problems, read_pages
from readback import docx_paragraphs, pdf_text
from year_2020 import ADDED, ENDED, NEW_NAME, OLD_NAME, ROOT, make_2020

from builder.build import prepare
from builder.cli import main

MEMBERS = ("Lillehammer", "Gausdal", "Øyer")


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("year")
    edition = make_2020(folder / "2020")
    out = {}
    for who, extra in (("region", []), ("Øyer", ["--member", "Øyer"])):
        out[who] = folder / who
        args = ["build", str(edition), "--out", str(out[who]), "--changes-since", str(ROOT / "content"), "--summary"]
        assert main([*args, "--format", "docx,pdf,html", *extra]) == 0
    site = folder / "site"
    assert (
        main(["publish", str(edition), "--out", str(site), "--changes-since", str(ROOT / "content"), "--summary"]) == 0
    )
    return edition, out, site


def built(out, suffix):
    (path,) = out.glob(f"*{suffix}")
    return path


def test_the_renamed_framework_is_changed_not_ended_and_new(year, capsys):
    edition, _, _ = year
    capsys.readouterr()
    assert main(["diff", str(ROOT / "content"), str(edition)]) == 0
    out = capsys.readouterr().out
    assert f"    - navn: {OLD_NAME} → {NEW_NAME}\n" in out
    lines = out.splitlines()
    changed = lines.index(next(line for line in lines if line.startswith("Endrede samarbeid")))
    ended = lines.index(next(line for line in lines if line.startswith("Avsluttede samarbeid")))
    added = lines.index(next(line for line in lines if line.startswith("Nye samarbeid")))
    assert lines[added] == f"Nye samarbeid ({len(ADDED)})"
    assert sorted(line.split(" (")[0].strip("- ") for line in lines[added + 1 : ended]) == sorted(ADDED)
    assert all(name in out for name in ENDED)
    assert OLD_NAME.rstrip(".") not in "\n".join(lines[: changed + 1]), "the old name is not listed as ended"


def test_no_pdf_page_ends_with_a_heading(year):
    _, out, _ = year
    for who, folder in out.items():
        pdf = built(folder, ".pdf")
        member = None if who == "region" else who
        document = prepare(year[0], member=member, changes_since=ROOT / "content", summary=True).document
        layout = prepare(year[0]).layout
        pages = read_pages(pdf, layout.margins_cm["bottom"] / 2.54 * 72)
        assert "Endringer siden 1. januar 2019" in pdf_text(pdf)
        assert page_end_problems(who, document, pages) == []


def test_every_word_heading_keeps_with_what_follows(year):
    _, out, _ = year
    for folder in out.values():
        word = WordDocument(str(built(folder, ".docx")))
        headings = [p for p in word.paragraphs if p.style.name.startswith("Heading")]
        assert any(p.text == "Endringer siden 1. januar 2019" for p in headings)

        def kept(paragraph) -> bool:
            style = paragraph.style
            while style is not None and paragraph.paragraph_format.keep_with_next is None:
                if style.paragraph_format.keep_with_next is not None:
                    return style.paragraph_format.keep_with_next
                style = style.base_style
            return bool(paragraph.paragraph_format.keep_with_next)

        assert [p.text for p in headings if not kept(p)] == []


def test_the_member_names_stand_upright(year):
    _, out, _ = year
    for folder in out.values():
        with pdfplumber.open(built(folder, ".pdf")) as pdf:
            turned = [
                word["text"]
                for page in pdf.pages
                for word in page.extract_words(char_dir_rotated="btt", line_dir_rotated="ltr")
                if not word["upright"]
            ]
        assert turned == []
        assert b"btLr" not in _document_xml(built(folder, ".docx"))
        text = pdf_text(built(folder, ".pdf"))
        assert "Felles rehabilitering* § 20-2 x x x" in text and "Felles slamtømming § 19-1" in text


def test_no_doubled_full_stop_before_a_category(year, capsys):
    edition, out, site = year
    texts = []
    for folder in out.values():
        texts.append(pdf_text(built(folder, ".pdf")))
        texts.append("\n".join(text for _, text in docx_paragraphs(built(folder, ".docx"))))
        texts.append(parse(built(folder, ".html")).text_content())
    texts += [parse(page).text_content() for page in site.glob("*.html")]
    capsys.readouterr()
    main(["diff", str(ROOT / "content"), str(edition)])
    texts.append(capsys.readouterr().out)
    assert len(texts) >= 8
    assert [text[max(0, i - 40) : i + 20] for text in texts if (i := text.find(". (")) >= 0] == []
    assert all(NEW_NAME.rstrip(".") + " (Helse og omsorg)" in text for text in texts[:3])


def _document_xml(docx_path) -> bytes:
    import zipfile

    with zipfile.ZipFile(docx_path) as archive:
        return archive.read("word/document.xml")
