"""The PDF identifies itself as PDF/A-2a; every rule of PDF/A-2b that can be
read from the file with pikepdf holds, and so do the rules level A adds
(ISO 19005-2, 6.2.11.7 and 6.8): a tagged file whose structure types are
standard or role-mapped to standard ones, its language given, and Unicode
for every glyph it shows. pikepdf's own PDF/A validator, which knows level B
only, approves all but the PDF/UA identification, which its allowlist cannot
read, and the level A claim."""

from __future__ import annotations

import io

import pikepdf
import pikepdf.pdfa
import pytest
from conftest import write_sami_edition
from pdfminer.cmapdb import CMapParser, FileUnicodeMap
from readback import pdfa_findings_beyond_the_known

from builder.build import prepare
from builder.diagnostics import ContentError

# Action types PDF/A-2 forbids (ISO 19005-2, 6.6.1), and the keys through which
# a file would run code or depend on something outside itself.
FORBIDDEN_ACTIONS = {
    "/Launch",
    "/Sound",
    "/Movie",
    "/ResetForm",
    "/ImportData",
    "/JavaScript",
    "/Hide",
    "/Rendition",
    "/SetOCGState",
    "/GoTo3DView",
    "/Trans",
}
FORBIDDEN_KEYS = {
    "/JS",
    "/JavaScript",
    "/AA",
    "/EmbeddedFiles",
    "/Ref",
    "/OPI",
    "/Encrypt",
    "/AlternatePresentations",
    "/PresSteps",
}
XMP = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}


def every_object(pdf: pikepdf.Pdf):
    yield pdf.trailer
    yield from pdf.objects


def dictionaries(obj, seen=None):
    """Every dictionary reachable inside one object, direct ones included."""
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        yield obj
        for value in obj.values():
            if isinstance(value, pikepdf.Object) and not value.is_indirect:
                yield from dictionaries(value)
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            if isinstance(value, pikepdf.Object) and not value.is_indirect:
                yield from dictionaries(value)


def test_header_version_and_trailer(edition):
    data = edition.pdf.read_bytes()
    assert data.startswith(b"%PDF-1.7\n%")
    assert all(byte > 127 for byte in data.split(b"\n")[1][1:5]), "a binary comment follows the header"
    with pikepdf.open(edition.pdf) as pdf:
        assert not pdf.is_encrypted
        assert len(pdf.trailer.ID) == 2


def test_no_javascript_no_launch_actions_no_external_content(edition):
    with pikepdf.open(edition.pdf) as pdf:
        for obj in every_object(pdf):
            for dictionary in dictionaries(obj):
                assert not FORBIDDEN_KEYS & set(dictionary.keys())
                assert str(dictionary.get("/S")) not in FORBIDDEN_ACTIONS
                assert "/F" not in dictionary or dictionary.get("/Type") == "/Annot", "no file specification"


def test_fonts_are_embedded_and_the_only_colour_is_rgb_or_grey(edition):
    with pikepdf.open(edition.pdf) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                assert font.Subtype == "/TrueType"
                descriptor = font.FontDescriptor
                assert "/FontFile2" in descriptor and "/Widths" in font and "/ToUnicode" in font
                # a symbolic TrueType font may not name an encoding (6.2.11.6)
                assert int(descriptor.Flags) & 4 and "/Encoding" not in font
            operators = {str(op.operator) for op in pikepdf.parse_content_stream(page)}
            assert not operators & {"k", "K", "cs", "CS", "sc", "SC", "scn", "SCN"}, "only DeviceRGB and DeviceGray"


def test_one_srgb_output_intent(edition):
    with pikepdf.open(edition.pdf) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3
        icc = profile.read_bytes()
        assert icc[36:40] == b"acsp" and icc[16:20] == b"RGB " and icc[12:16] == b"mntr"
        assert str(intent.OutputConditionIdentifier).startswith("sRGB")


def test_xmp_claims_pdfa_2a_and_pdfua_1_and_agrees_with_the_document_info(edition):
    document = prepare(edition.content_dir).document
    with pikepdf.open(edition.pdf) as pdf:
        assert "/Filter" not in pdf.Root.Metadata.stream_dict, "the XMP stays readable"
        info = pdf.docinfo
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "A"
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(info.Title) == document.title
        assert meta["dc:description"] == str(info.Subject) == document.subject
        assert set(meta["dc:language"]) == {document.language_tag}
        assert meta["xmp:CreatorTool"] == str(info.Creator)
        assert meta["pdf:Producer"] == str(info.Producer)
        created = pikepdf.models.metadata.decode_pdf_date(str(info.CreationDate))
        modified = pikepdf.models.metadata.decode_pdf_date(str(info.ModDate))
        assert meta["xmp:CreateDate"].replace("Z", "+00:00") == created.isoformat()
        assert meta["xmp:ModifyDate"].replace("Z", "+00:00") == modified.isoformat()
        # no entry in the document info that the XMP does not mirror
        assert set(info.keys()) <= {"/Title", "/Subject", "/Creator", "/Producer", "/CreationDate", "/ModDate"}
        packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
    # PDF/A-2 accepts the pdfuaid namespace only with its extension schema
    assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in packet
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in packet
    assert "<pdfaProperty:name>part</pdfaProperty:name>" in packet


def test_pikepdf_pdfa_validator_approves_all_but_the_pdfua_identification(edition):
    """pikepdf's validator approves only what it recognises; it does not read
    XMP extension schemas, so it cannot approve the pdfuaid property that
    PDF/A-2 allows through one. It checks level B only ("2a" is no flavour of
    it), so it also names the level A claim. Every other rule it checks must pass."""
    with pytest.raises(ValueError):
        pikepdf.pdfa.Flavour("2a")  # when pikepdf learns level A, validate with it instead
    assert pdfa_findings_beyond_the_known(edition.pdf) == []


# --- the rules conformance level A adds ----------------------------------------

# ISO 32000-1, 14.8.4: the standard structure types (grouping, block, list,
# table, inline, illustration)
# fmt: off
STANDARD_STRUCTURE_TYPES = {
    "Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct", "Private",
    "P", "H", "H1", "H2", "H3", "H4", "H5", "H6",
    "L", "LI", "Lbl", "LBody",
    "Table", "TR", "TH", "TD", "THead", "TBody", "TFoot",
    "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot", "Ruby", "RB", "RT", "RP", "Warichu",
    "WT", "WP",
    "Figure", "Formula", "Form",
}
# fmt: on
TEXT_SHOWING = {"Tj", "TJ", "'", '"'}
NOT_UNICODE = {None, "\x00", "\ufeff", "\ufffe"}  # what 6.2.11.7.2 does not accept as a glyph's text


def structure_elements(pdf: pikepdf.Pdf):
    """Every structure element, depth first."""
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        kids = stack.pop()
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield kid
                if "/K" in kid:
                    stack.append(kid.K)


def nonstandard_structure_types(pdf: pikepdf.Pdf) -> set[str]:
    """The structure types that are neither standard nor role-mapped to a
    standard one (6.8.3), and standard ones mapped to something else."""
    role_map = pdf.Root.StructTreeRoot.get("/RoleMap", pikepdf.Dictionary())
    wrong = {name for name in role_map if name[1:] in STANDARD_STRUCTURE_TYPES}
    for element in structure_elements(pdf):
        kind, seen = str(element.S), set()
        while kind[1:] not in STANDARD_STRUCTURE_TYPES and kind in role_map and kind not in seen:
            seen.add(kind)
            kind = str(role_map[kind])
        if kind[1:] not in STANDARD_STRUCTURE_TYPES:
            wrong.add(str(element.S))
    return wrong


def glyphs_without_unicode(pdf: pikepdf.Pdf) -> set[tuple[str, int]]:
    """(font, code) of every glyph shown, on a page or in a form it draws,
    whose ToUnicode map gives no Unicode text for it (6.2.11.7.2)."""
    shown: dict[tuple, tuple[pikepdf.Dictionary, set[int]]] = {}

    def read(content, resources) -> None:
        font = None
        for operands, operator in pikepdf.parse_content_stream(content):
            if str(operator) == "Tf":
                font = resources.Font[operands[0]]
            elif str(operator) in TEXT_SHOWING:
                strings = operands[0] if str(operator) == "TJ" else operands[-1:]
                codes = shown.setdefault(font.objgen, (font, set()))[1]
                codes.update(byte for text in strings if isinstance(text, pikepdf.String) for byte in bytes(text))
            elif str(operator) == "Do":
                drawn = resources.XObject[operands[0]]
                if drawn.Subtype == "/Form":
                    read(drawn, drawn.get("/Resources", resources))

    for page in pdf.pages:
        read(page, page.Resources)
    missing = set()
    for font, codes in shown.values():
        unicode = FileUnicodeMap()
        if "/ToUnicode" in font:
            CMapParser(unicode, io.BytesIO(font.ToUnicode.read_bytes())).run()
        missing |= {(str(font.BaseFont), code) for code in codes if unicode.cid2unichr.get(code) in NOT_UNICODE}
    return missing


def test_level_a_the_file_is_tagged_in_its_language(edition):
    document = prepare(edition.content_dir).document
    with pikepdf.open(edition.pdf) as pdf:
        assert pdf.Root.MarkInfo.Marked is True and pdf.Root.MarkInfo.get("/Suspects") is not True
        assert str(pdf.Root.Lang) == document.language_tag
        assert all("/StructParents" in page.obj for page in pdf.pages)
        elements = list(structure_elements(pdf))
        assert elements and str(elements[0].S) == "/Document"
        # an element naming its own language names one of the same form
        assert all(str(e.Lang).count("-") <= 2 and str(e.Lang) for e in elements if "/Lang" in e)


def test_level_a_every_structure_type_is_standard_or_role_mapped(edition):
    with pikepdf.open(edition.pdf) as pdf:
        assert nonstandard_structure_types(pdf) == set()


def test_level_a_every_glyph_shown_has_unicode(edition):
    with pikepdf.open(edition.pdf) as pdf:
        assert glyphs_without_unicode(pdf) == set()


def test_level_a_checks_find_what_breaks_them(built):
    """The checks above can fail: a paragraph renamed to an unmapped type, and
    a font whose ToUnicode map has lost its entries, are both found; the type
    role-mapped to P is accepted."""
    with pikepdf.open(built["pdf"]) as pdf:
        paragraph = next(e for e in structure_elements(pdf) if e.S == "/P")
        paragraph.S = pikepdf.Name("/Avsnitt")
        assert nonstandard_structure_types(pdf) == {"/Avsnitt"}
        pdf.Root.StructTreeRoot.RoleMap = pikepdf.Dictionary(Avsnitt=pikepdf.Name.P)
        assert nonstandard_structure_types(pdf) == set()
        pdf.Root.StructTreeRoot.RoleMap.P = pikepdf.Name.Span
        assert nonstandard_structure_types(pdf) == {"/P"}
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        font.ToUnicode.write(b"begincmap\nendcmap\n")
        assert glyphs_without_unicode(pdf)


def test_a_character_without_a_glyph_stops_the_build_and_is_named(tmp_path):
    """Carlito draws every Norwegian and Sami letter; one it cannot draw is an
    error at the line where it is written, not a blank box in the PDF."""
    content = write_sami_edition(tmp_path / "edition")
    agreements = content / "agreements.yaml"
    agreements.write_text(
        agreements.read_text("utf-8").replace("Med Snåasen tjïelte", "Med 漢 og Snåasen tjïelte", 1), "utf-8"
    )
    with pytest.raises(ContentError) as raised:
        prepare(content)
    (problem,) = [str(p) for p in raised.value.diagnostics.sorted() if p.severity == "error"]
    line = next(n for n, text in enumerate(agreements.read_text("utf-8").splitlines(), 1) if "漢" in text)
    assert problem.startswith(f"{agreements}:{line}:")
    assert "U+6F22" in problem and "error" in problem
