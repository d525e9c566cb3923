"""The narrative comes out of both formats in the reference's order, with
real Word list styles for the bullets and the nesting kept."""

from __future__ import annotations

from readback import docx_paragraphs, pdf_text, read_reference

REFERENCE = read_reference()
LIST_STYLES = {"- ": "List Bullet", " - ": "List Bullet 2"}
PDF_BULLETS = {"- ": "•", " - ": "–"}


def reference_paragraphs() -> list[tuple[str, str]]:
    """(Word style, text) for each narrative line of the reference."""
    title, *lines = REFERENCE.narrative
    result = [("Title", title)]
    for line in lines:
        prefix = next((p for p in (" - ", "- ") if line.startswith(p)), None)
        result.append((LIST_STYLES[prefix], line[len(prefix) :]) if prefix else ("Normal", line))
    return result


def test_docx_narrative_in_order_with_list_styles(built):
    paragraphs = [(style, text) for style, text in docx_paragraphs(built["docx"]) if text]
    assert paragraphs == reference_paragraphs()


def test_docx_has_no_empty_paragraphs_before_the_table(built):
    assert all(text for _, text in docx_paragraphs(built["docx"]))


def test_docx_bullets_are_word_numbering_not_typed_dashes(built):
    import docx

    document = docx.Document(str(built["docx"]))
    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith("List Bullet"):
            assert not paragraph.text.startswith(("-", "•"))
            numbering = paragraph.style.element.pPr.numPr
            assert numbering is not None and numbering.numId.val > 0


def test_pdf_narrative_in_order(built):
    text = " ".join(pdf_text(built["pdf"]).split())
    narrative = text[: text.index(REFERENCE.header[0])]
    expected = []
    for style, line in reference_paragraphs():
        bullet = {"List Bullet": "• ", "List Bullet 2": "– "}.get(style, "")
        expected.append(bullet + line)
    assert narrative.strip() == " ".join(" ".join(expected).split())
