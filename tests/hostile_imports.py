"""A corpus of hostile or broken files for ``oversikt import``, made here so
that nothing binary is committed: Word and Excel files whose parts are not
XML, hide entity tricks or unpack to gigabytes, files that are not what their
name says, text in UTF-16, and tables large or odd enough to find work that
grows faster than the input. Each case says how the import must end.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import openpyxl

MEMBERS = ("Vik", "Aurland", "Lærdal")
HEADER = ("Pr. 01.01.2021", "Type samarbeid § i kommuneloven", *MEMBERS, "Kommentarer")
ROWS = [
    ("Felles IKT", "IKS", "x", "x", "x", "Vik vertskommune"),
    ("Arkiv", "IKS", "x", "", "x", ""),
    ("Legevakt", "Avtale", "", "x", "x", ""),
]
CATEGORY = "Administrasjon"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">' for n in range(1, 10))
    + "]>"
)


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]  # writes the file into a folder, returns its path
    exit_code: int
    message: str  # part of what the import must say
    agreements: int | None  # how many an import that succeeds must find, where the case is about that

    def __str__(self) -> str:
        return self.name


CASES: list[Case] = []


def case(exit_code: int, message: str = "", agreements: int | None = None):
    def register(make: Callable[[Path], Path]) -> Callable[[Path], Path]:
        CASES.append(Case(make.__name__, make, exit_code, message, agreements))
        return make

    return register


# --- building blocks ----------------------------------------------------------


def paragraph(text: str, properties: str = "") -> str:
    return f'<w:p>{properties}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def cell(text: str, properties: str = "") -> str:
    return f"<w:tc>{properties}{paragraph(text)}</w:tc>"


def table(rows) -> str:
    """A Word table; a row of one text is a category spanning the table."""
    xml = []
    for row in rows:
        if len(row) == 1:
            span = f'<w:tcPr><w:gridSpan w:val="{len(HEADER)}"/></w:tcPr>'
            xml.append(f"<w:tr>{cell(row[0], span)}</w:tr>")
        else:
            xml.append("<w:tr>" + "".join(cell(text) for text in row) + "</w:tr>")
    return "<w:tbl>" + "".join(xml) + "</w:tbl>"


def overview_table(rows=ROWS) -> str:
    return table([HEADER, (CATEGORY,), *rows])


def document_xml(body: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
        f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    ).encode()


def base_docx() -> bytes:
    stream = io.BytesIO()
    docx.Document().save(stream)
    return stream.getvalue()


def base_xlsx(rows=ROWS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [HEADER, (CATEGORY,), *rows]:
        sheet.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def rezip(data: bytes, path: Path, parts: dict[str, bytes | None]) -> Path:
    """``data`` (a ZIP) written to ``path`` with ``parts`` replaced, added or (None) left out."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name not in parts:
                target.writestr(name, source.read(name))
        for name, content in parts.items():
            if content is not None:
                target.writestr(name, content)
    return path


def word(path: Path, body: str, doctype: str = "", **parts: bytes | None) -> Path:
    return rezip(base_docx(), path, {"word/document.xml": document_xml(body, doctype), **parts})


def sheet_xml(rows: str, dimension: str = "A1:F5", doctype: str = "") -> bytes:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}<worksheet xmlns="{main}">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def sheet_rows(rows) -> str:
    """Rows of inline strings, as a script writing XLSX might store them."""
    xml = []
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{chr(65 + column)}{number}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
            for column, text in enumerate(row)
            if text
        )
        xml.append(f'<row r="{number}">{cells}</row>')
    return "".join(xml)


def spreadsheet(path: Path, sheet: bytes) -> Path:
    return rezip(base_xlsx(), path, {"xl/worksheets/sheet1.xml": sheet})


def csv_text(rows, separator: str = ";") -> str:
    return "".join(separator.join(row) + "\r\n" for row in [HEADER, (CATEGORY,), *rows])


def zeros_part(target: zipfile.ZipFile, name: str, size: int) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with target.open(info, "w", force_zip64=True) as stream:
        chunk = bytes(1024 * 1024)
        for _ in range(size // len(chunk)):
            stream.write(chunk)


# --- Word ---------------------------------------------------------------------


@case(0)
def docx_plain(folder: Path) -> Path:
    """The well-formed file every hostile one is made from."""
    return word(folder / "plain.docx", paragraph("Sogn-regionen samarbeider.") + overview_table())


@case(1, "word/document.xml er ikke gyldig XML")
def docx_document_not_xml(folder: Path) -> Path:
    return rezip(base_docx(), folder / "not-xml.docx", {"word/document.xml": b"<w:document><w:body>nei"})


@case(1, "word/styles.xml er ikke gyldig XML")
def docx_broken_styles(folder: Path) -> Path:
    return word(folder / "styles.docx", overview_table(), **{"word/styles.xml": b'<?xml version="1.0"?><w:styles'})


@case(1, "word/document.xml har en dokumenttypedefinisjon (<!DOCTYPE>)")
def docx_billion_laughs(folder: Path) -> Path:
    return word(folder / "laughs.docx", paragraph("&lol9;").replace("&amp;", "&") + overview_table(), LAUGHS)


@case(1, "<!DOCTYPE>")
def docx_external_entity(folder: Path) -> Path:
    doctype = '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    return word(folder / "xxe.docx", paragraph("&secret;").replace("&amp;", "&") + overview_table(), doctype)


@case(1, "<!DOCTYPE>")
def docx_external_dtd(folder: Path) -> Path:
    doctype = '<!DOCTYPE w:document SYSTEM "http://example.invalid/word.dtd">'
    return word(folder / "dtd.docx", overview_table(), doctype)


@case(1, "word/styles.xml har en dokumenttypedefinisjon (<!DOCTYPE>)")
def docx_entities_in_styles(folder: Path) -> Path:
    styles = f'<?xml version="1.0"?>{LAUGHS}<w:styles xmlns:w="{W}"><w:style w:styleId="a">&lol9;</w:style></w:styles>'
    return word(folder / "styles-laughs.docx", overview_table(), **{"word/styles.xml": styles.encode()})


@case(1, "kolonner")
def docx_huge_grid_span(folder: Path) -> Path:
    wide = '<w:tr><w:tc><w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr><w:p/></w:tc></w:tr>'
    return word(folder / "span.docx", overview_table().replace("</w:tbl>", wide + "</w:tbl>"))


@case(1, "kolonner")
def docx_huge_grid_before(folder: Path) -> Path:
    wide = '<w:tr><w:trPr><w:gridBefore w:val="99999999"/></w:trPr>' + cell("x") + "</w:tr>"
    return word(folder / "before.docx", overview_table().replace("</w:tbl>", wide + "</w:tbl>"))


@case(0)
def docx_odd_values(folder: Path) -> Path:
    """Values Word never writes where numbers belong."""
    odd = '<w:tcPr><w:gridSpan w:val="-5"/></w:tcPr>'
    listed = '<w:pPr><w:numPr><w:ilvl w:val="abc"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    body = paragraph("Punkt", listed) + overview_table([(*ROWS[0][:5], "")]).replace("<w:tc>", f"<w:tc>{odd}", 1)
    return word(folder / "odd.docx", body)


@case(1, "ZIP-bombe")
def docx_zip_bomb(folder: Path) -> Path:
    """A part that packs 200 MiB of zeros into 200 KB."""
    path = word(folder / "bomb.docx", overview_table())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as target:
        zeros_part(target, "word/media/image1.png", 200 * 1024 * 1024)
    return path


@case(1, "word/document.xml")
def docx_lying_sizes(folder: Path) -> Path:
    """document.xml says it unpacks to 200 bytes; it unpacks to 50 MiB."""
    body = overview_table() + paragraph("x" * 50 * 1024 * 1024)
    path = word(folder / "liar.docx", body)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
        local = package.getinfo("word/document.xml").header_offset
    central = data.rindex(b"word/document.xml") - 46  # the central directory comes last
    for size_field in (central + 24, local + 22):  # the unpacked size in both headers
        data[size_field : size_field + 4] = (200).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@case(1, "er kryptert")
def docx_encrypted_part(folder: Path) -> Path:
    path = word(folder / "locked.docx", overview_table(), **{"word/media/image1.png": b"secret"})
    data = bytearray(path.read_bytes())
    central = data.rindex(b"word/media/image1.png") - 46
    data[central + 8] |= 0x1  # the central directory's flag: encrypted
    path.write_bytes(bytes(data))
    return path


@case(1, "deler")
def docx_too_many_parts(folder: Path) -> Path:
    return word(folder / "parts.docx", overview_table(), **{f"customXml/item{n}.bin": b"" for n in range(10_001)})


@case(1, "Word-filen kan ikke leses")
def docx_without_document(folder: Path) -> Path:
    return rezip(base_docx(), folder / "empty.docx", {"word/document.xml": None})


@case(1, "Word-filen kan ikke leses")
def docx_without_content_types(folder: Path) -> Path:
    return word(folder / "types.docx", overview_table(), **{"[Content_Types].xml": None})


@case(1, "Word-filen kan ikke leses")
def docx_truncated(folder: Path) -> Path:
    data = word(folder / "whole.docx", overview_table()).read_bytes()
    path = folder / "half.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


@case(1, "Word-filen kan ikke leses: Excessive depth")
def docx_deeply_nested_xml(folder: Path) -> Path:
    depth = 100_000
    controls = "<w:sdt><w:sdtContent>" * depth + "</w:sdtContent></w:sdt>" * depth
    return word(folder / "deep.docx", controls + overview_table())


@case(1, "mangler w:body")
def docx_without_body(folder: Path) -> Path:
    return rezip(base_docx(), folder / "no-body.docx", {"word/document.xml": f'<w:document xmlns:w="{W}"/>'.encode()})


@case(1, "Word-filen har en ugyldig verdi")
def docx_bold_maybe(folder: Path) -> Path:
    maybe = '<w:p><w:r><w:rPr><w:b w:val="maybe"/></w:rPr><w:t>Kanskje fet</w:t></w:r></w:p>'
    return word(folder / "maybe.docx", maybe + overview_table())


@case(0)
def docx_styles_based_on_each_other(folder: Path) -> Path:
    styles = "".join(
        f'<w:style w:type="paragraph" w:styleId="{own}"><w:name w:val="{own}"/><w:basedOn w:val="{other}"/></w:style>'
        for own, other in (("A", "B"), ("B", "A"))
    )
    styled = paragraph("Tekst", '<w:pPr><w:pStyle w:val="A"/></w:pPr>')
    return word(
        folder / "loop.docx",
        styled + overview_table(),
        **{"word/styles.xml": f'<w:styles xmlns:w="{W}">{styles}</w:styles>'.encode()},
    )


@case(0, "et bilde eller innebygd objekt kan ikke importeres")
def docx_mark_drawn_as_a_picture(folder: Path) -> Path:
    return word(
        folder / "picture.docx", overview_table().replace('<w:t xml:space="preserve">x</w:t>', "<w:drawing/>", 1)
    )


@case(1, "en PDF-fil")
def docx_that_is_a_pdf(folder: Path) -> Path:
    path = folder / "rapport.docx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return path


@case(1, "et Excel-regneark (.xlsx)")
def docx_that_is_an_xlsx(folder: Path) -> Path:
    path = folder / "tabell.docx"
    path.write_bytes(base_xlsx())
    return path


def with_comment_cell(content: str) -> str:
    """The overview table with the first row's comment cell holding ``content`` (cell XML)."""
    return overview_table().replace(cell(ROWS[0][5]), content, 1)


@case(0, "tabell inni seg")
def docx_nested_table(folder: Path) -> Path:
    inner = table([("Nes", "Gol"), ("Hol", "Ål")])
    return word(folder / "nested.docx", with_comment_cell(f"<w:tc>{paragraph('Med')}{inner}</w:tc>"))


@case(0, "tabell inni seg")
def docx_tables_nested_40_deep(folder: Path) -> Path:
    inner = cell("innerst")
    for _ in range(40):
        inner = f"<w:tc><w:tbl><w:tr>{inner}</w:tr></w:tbl><w:p/></w:tc>"
    return word(folder / "nested-deep.docx", with_comment_cell(inner))


@case(0, agreements=30000)
def docx_30000_rows(folder: Path) -> Path:
    rows = [(f"Samarbeid {n}", "IKS", "x", "" if n % 2 else "x", "x", f"Rad {n}") for n in range(30_000)]
    return word(folder / "big.docx", overview_table(rows))


@case(0, agreements=3003)
def docx_3000_tables(folder: Path) -> Path:
    tables = [table([(f"Samarbeid {n}", "IKS", "x", "", "x", "")]) + paragraph(f"Tekst {n}") for n in range(3000)]
    return word(folder / "tables.docx", overview_table() + "".join(tables))


@case(0)
def docx_list_40_levels_deep(folder: Path) -> Path:
    items = "".join(
        paragraph(f"Nivå {n}", f'<w:pPr><w:numPr><w:ilvl w:val="{n}"/><w:numId w:val="1"/></w:numPr></w:pPr>')
        for n in range(40)
    )
    return word(folder / "list.docx", items + overview_table())


@case(1, "fant ingen tabell")
def docx_without_table(folder: Path) -> Path:
    return word(folder / "text.docx", paragraph("Bare tekst."))


# --- Excel --------------------------------------------------------------------


@case(0)
def xlsx_plain(folder: Path) -> Path:
    path = folder / "plain.xlsx"
    path.write_bytes(base_xlsx())
    return path


@case(1, "XFD1048576")
def xlsx_lone_far_cell(folder: Path) -> Path:
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return spreadsheet(folder / "far.xlsx", sheet_xml(sheet_rows([HEADER, (CATEGORY,), *ROWS]) + far, "A1:XFD1048576"))


@case(0)
def xlsx_lying_dimension(folder: Path) -> Path:
    return spreadsheet(folder / "dimension.xlsx", sheet_xml(sheet_rows([HEADER, (CATEGORY,), *ROWS]), "A1:XFD1048576"))


@case(0)
def xlsx_empty_far_cells(folder: Path) -> Path:
    """Formatted but empty cells far out, on thousands of rows."""
    rows = sheet_rows([HEADER, (CATEGORY,), *ROWS]).replace('<row r="1">', '<row r="1"><c r="XFD1" s="0"/>')
    rows += "".join(f'<row r="{n}"><c r="XFD{n}" s="0"/></row>' for n in range(10, 100_000))
    return spreadsheet(folder / "styled.xlsx", sheet_xml(rows, "A1:XFD100000"))


@case(1, "cellen B5 har en formel uten lagret verdi")
def xlsx_formula_without_value(folder: Path) -> Path:
    workbook = openpyxl.load_workbook(io.BytesIO(base_xlsx()))
    workbook.active["B5"] = '="IK"&"S"'  # openpyxl saves a formula without its value, as scripts do
    path = folder / "formula.xlsx"
    workbook.save(path)
    return path


@case(1, "xl/worksheets/sheet1.xml har en dokumenttypedefinisjon (<!DOCTYPE>)")
def xlsx_billion_laughs(folder: Path) -> Path:
    rows = sheet_rows([HEADER, (CATEGORY,), *ROWS]).replace("<t>Arkiv</t>", "<t>&lol9;</t>")
    return spreadsheet(folder / "laughs.xlsx", sheet_xml(rows, doctype=LAUGHS))


@case(1, "<!DOCTYPE>")
def xlsx_external_entity_in_shared_strings(folder: Path) -> Path:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = (
        f'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY s SYSTEM "file:///etc/passwd">]>'
        f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>&s;</t></si></sst>'
    )
    return rezip(base_xlsx(), folder / "xxe.xlsx", {"xl/sharedStrings.xml": strings.encode()})


@case(1, "xl/worksheets/sheet1.xml er ikke gyldig XML")
def xlsx_sheet_not_xml(folder: Path) -> Path:
    return spreadsheet(folder / "not-xml.xlsx", b"<worksheet><sheetData><row>")


@case(1, "regnearket kan ikke leses: Excessive depth")
def xlsx_deeply_nested_xml(folder: Path) -> Path:
    depth = 100_000
    nested = "<extLst>" * depth + "</extLst>" * depth
    rows = sheet_rows([HEADER, (CATEGORY,), *ROWS]).replace('<row r="1">', f'<row r="1">{nested}', 1)
    return spreadsheet(folder / "deep.xlsx", sheet_xml(rows))


@case(1, "regnearket kan ikke leses")
def xlsx_without_workbook(folder: Path) -> Path:
    return rezip(base_xlsx(), folder / "no-book.xlsx", {"xl/workbook.xml": None})


@case(1, "men Excel har bare 1048576 rader")
def xlsx_row_past_the_last(folder: Path) -> Path:
    past = '<row r="99999999999"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>'
    return spreadsheet(folder / "past.xlsx", sheet_xml(sheet_rows([HEADER, (CATEGORY,), *ROWS]) + past))


@case(1, "regnearket")
def xlsx_shared_string_out_of_range(folder: Path) -> Path:
    rows = sheet_rows([HEADER, (CATEGORY,), *ROWS]) + '<row r="9"><c r="A9" t="s"><v>999999</v></c></row>'
    return spreadsheet(folder / "strings.xlsx", sheet_xml(rows))


@case(1, "regnearket")
def xlsx_number_that_is_not(folder: Path) -> Path:
    rows = sheet_rows([HEADER, (CATEGORY,), *ROWS]) + '<row r="9"><c r="A9"><v>ikke et tall</v></c></row>'
    return spreadsheet(folder / "number.xlsx", sheet_xml(rows))


@case(0, agreements=30000)
def xlsx_30000_rows(folder: Path) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in [HEADER, (CATEGORY,)]:
        sheet.append(list(row))
    for n in range(30_000):
        sheet.append([f"Samarbeid {n}", "IKS", "x", "", "x", f"Rad {n}"])
    path = folder / "big.xlsx"
    workbook.save(path)
    return path


@case(1, "en Word-fil (.docx)")
def xlsx_that_is_a_docx(folder: Path) -> Path:
    path = folder / "tabell.xlsx"
    path.write_bytes(word(folder / "plain.docx", overview_table()).read_bytes())
    return path


# --- CSV and text ---------------------------------------------------------------


@case(1, "en Word-fil (.docx)")
def csv_that_is_a_docx(folder: Path) -> Path:
    path = folder / "oversikt.csv"
    path.write_bytes(word(folder / "plain.docx", overview_table()).read_bytes())
    return path


@case(1, "en PDF-fil")
def txt_that_is_a_pdf(folder: Path) -> Path:
    path = folder / "oversikt.txt"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj << >> endobj\n%%EOF\n")
    return path


@case(1, "binære data")
def txt_random_bytes(folder: Path) -> Path:
    path = folder / "data.txt"
    path.write_bytes(os.urandom(65_536))
    return path


@case(1, "binære data")
def csv_with_nul(folder: Path) -> Path:
    path = folder / "nul.csv"
    path.write_bytes(csv_text(ROWS).encode().replace(b"IKS", b"I\0S"))
    return path


@case(0)
def txt_excel_unicode_text(folder: Path) -> Path:
    """Excel's "Unicode text": UTF-16 LE with its mark, tab-separated."""
    path = folder / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + csv_text(ROWS, "\t").encode("utf-16-le"))
    return path


@case(0)
def csv_utf16_big_endian(folder: Path) -> Path:
    path = folder / "utf16be.csv"
    path.write_bytes(codecs.BOM_UTF16_BE + csv_text(ROWS).encode("utf-16-be"))
    return path


@case(0)
def csv_utf32(folder: Path) -> Path:
    path = folder / "utf32.csv"
    path.write_bytes(codecs.BOM_UTF32_LE + csv_text(ROWS).encode("utf-32-le"))
    return path


@case(1, "UTF-16")
def csv_broken_utf16(folder: Path) -> Path:
    path = folder / "broken16.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + csv_text(ROWS).encode("utf-16-le") + b"\x00\xdc")
    return path


@case(0, "står to ganger", agreements=2000)
def csv_2000_rows_of_one_name(folder: Path) -> Path:
    path = folder / "same.csv"
    path.write_text(csv_text([("Arkiv", "IKS", "x", "", "", f"Rad {n}") for n in range(2000)]), "utf-8")
    return path


@case(0, agreements=30000)
def csv_30000_rows(folder: Path) -> Path:
    path = folder / "big.csv"
    rows = [(f"Samarbeid {n}", "IKS", "x", "" if n % 2 else "x", "x", f"Rad {n}") for n in range(30_000)]
    path.write_text(csv_text(rows), "utf-8")
    return path


@case(1, "rader")
def csv_too_many_rows(folder: Path) -> Path:
    path = folder / "rows.csv"
    path.write_text(csv_text([(f"S{n}", "IKS", "x") for n in range(100_001)]), "utf-8")
    return path


@case(1, "kolonner")
def csv_row_100000_cells_wide(folder: Path) -> Path:
    path = folder / "wide.csv"
    path.write_text(csv_text([("Arkiv", "IKS", *(["x"] * 100_000))]), "utf-8")
    return path


@case(1, "kolonner")
def csv_one_row_as_large_as_allowed(folder: Path) -> Path:
    """A row of five million cells, in a file just under the size limit: the most memory a CSV can take."""
    path = folder / "widest.csv"
    cells = (16 * 1024 * 1024 - 1000) // 3
    path.write_text(csv_text([]) + ";".join(f"{n % 100:02d}" for n in range(cells)), "utf-8")
    return path


@case(1, "CSV-filen kan ikke leses videre")
def csv_endless_quote(folder: Path) -> Path:
    path = folder / "quote.csv"
    path.write_text(csv_text(ROWS) + '"' + "x;" * 200_000, "utf-8")
    return path


@case(0)
def txt_list_5000_levels_deep(folder: Path) -> Path:
    lines = "".join(" " * n + f"- Punkt {n}\n" for n in range(5000))
    path = folder / "list.txt"
    path.write_text(lines + "\n" + csv_text(ROWS, "\t"), "utf-8")
    return path


@case(1, "fant ingen tabell")
def csv_empty(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(codecs.BOM_UTF8)
    return path


@case(1, "ikke en vanlig fil")
def csv_link_to_a_device(folder: Path) -> Path:
    path = folder / "zero.csv"
    path.symlink_to("/dev/zero")
    return path
