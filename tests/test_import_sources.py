"""``oversikt import`` from spreadsheets and on the command line: CSV and XLSX
made here with csv and openpyxl, rows it cannot interpret, existing files,
sources with nothing usable."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import docx
import openpyxl
import pytest
from readback import REFERENCE

from builder.assemble import printed_comment
from builder.build import prepare
from builder.cli import main
from builder.diagnostics import Diagnostics
from builder.readers.edition import read_edition
from builder.readers.layout import find_layout, read_layout

HEADER = ["Pr. 01.01.2021", "Type samarbeid § i kommuneloven", "Vik", "Aurland", "Lærdal", "Kommentarer"]
ROWS = [
    ["Administrasjon", "", "", "", "", ""],
    ["Felles IKT", "§ 28-1 b", "x", "X", "✓", "Vik vertskommune"],
    ["Arkiv", "IKS", "x", "", "x", ""],
    ["Helse", "", "", "", "", ""],
    ["Helsesamarbeid Se under*", "Avtale", "x", "x", "x", "Med Årdal"],
    ["Legevakt*", "vertskommune", "x", "x", "", "Lærdal vertskommune: natt"],
]


def edition(content_dir: Path):
    problems = Diagnostics()
    result = read_edition(content_dir, problems)
    assert result is not None, [str(d) for d in problems.errors]
    return result


def rows_of(content_dir: Path) -> list[tuple]:
    """Each agreement with its comment as printed: the facts an import reads
    out of a comment ("Vik vertskommune") print the same words again."""
    found = edition(content_dir)
    labels = read_layout(find_layout("oversikt", Path(".")), Diagnostics()).labels[found.language]
    return [
        (c.name, a.name, a.form, a.members, printed_comment(a, labels), bool(a.id), bool(a.part_of))
        for c in found.categories
        for a in c.agreements
    ]


EXPECTED = [
    ("Administrasjon", "Felles IKT", "§ 28 – 1B", ("Vik", "Aurland", "Lærdal"), "Vik vertskommune", False, False),
    ("Administrasjon", "Arkiv", "IKS", ("Vik", "Lærdal"), "", False, False),
    ("Helse", "Helsesamarbeid", "Avtale", ("Vik", "Aurland", "Lærdal"), "Med Årdal", True, False),
    ("Helse", "Legevakt", "Vertskommunesamarbeid", ("Vik", "Aurland"), "Lærdal vertskommune: natt", False, True),
]


def write_csv(path: Path, rows: list[list[str]], separator: str = ";", encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream, delimiter=separator).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]], *, title: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Oversikt"
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    for row in rows:
        sheet.append(row)
        if not any(row[1:]):
            # categories span the table, as a spreadsheet would show them
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(HEADER))
    workbook.save(path)
    return path


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_csv_imports(tmp_path, separator, capsys):
    source = write_csv(tmp_path / "oversikt.csv", [HEADER, *ROWS], separator)
    assert main(["import", str(source), "--into", str(tmp_path / "new")]) == 0
    assert rows_of(tmp_path / "new") == EXPECTED
    assert edition(tmp_path / "new").as_of == dt.date(2021, 1, 1)
    prepare(tmp_path / "new")  # passes the check


def test_csv_from_excel_on_windows_is_read_as_windows_1252(tmp_path, capsys):
    source = write_csv(tmp_path / "oversikt.csv", [HEADER, ROWS[0], ROWS[2]], encoding="cp1252")
    assert main(["import", str(source), "--into", str(tmp_path / "new")]) == 0
    assert edition(tmp_path / "new").members == ("Vik", "Aurland", "Lærdal")
    assert "Windows-1252" in capsys.readouterr().err


def test_xlsx_imports_with_title_row_and_merged_categories(tmp_path, capsys):
    title = "Oversikt over interkommunale samarbeid per 1. januar 2021"
    source = write_xlsx(tmp_path / "oversikt.xlsx", [HEADER, *ROWS], title=title)
    assert main(["import", str(source), "--into", str(tmp_path / "new")]) == 0
    assert rows_of(tmp_path / "new") == EXPECTED
    found = edition(tmp_path / "new")
    assert found.title is None and found.narrative == ()
    assert found.region == "Ukjent region"
    report = (tmp_path / "new" / "report.yaml").read_text("utf-8")
    assert "region: Ukjent region" in report and "guessed: the source does not name the region" in report
    prepare(tmp_path / "new")


def test_xlsx_agreement_with_only_a_name_is_not_a_category_when_categories_are_merged(tmp_path, capsys):
    source = write_xlsx(tmp_path / "oversikt.xlsx", [HEADER, *ROWS[:3], ["Nytt samarbeid", "", "", "", "", ""]])
    # the last row has only a name but is not merged: write_xlsx merged it, so unmerge it again
    workbook = openpyxl.load_workbook(source)
    sheet = workbook.active
    sheet.unmerge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(HEADER))
    workbook.save(source)
    assert main(["import", str(source), "--into", str(tmp_path / "new")]) == 0
    assert rows_of(tmp_path / "new")[-1] == ("Administrasjon", "Nytt samarbeid", None, (), "", False, False)


def test_nynorsk_labels_give_nynorsk(tmp_path, capsys):
    header = [*HEADER[:1], "Type samarbeid § i kommunelova", *HEADER[2:5], "Kommentarar"]
    rows = [*ROWS[:4], ["Helsesamarbeid Sjå under*", "Avtale", "x", "x", "x", ""], ["Legevakt*", "KO", "x", "", "", ""]]
    source = write_csv(tmp_path / "oversyn.csv", [header, *rows])
    assert main(["import", str(source), "--into", str(tmp_path / "new")]) == 0
    found = edition(tmp_path / "new")
    assert found.language == "nn"
    assert [(a.name, a.part_of is not None) for a in found.categories[-1].agreements] == [
        ("Helsesamarbeid", False),
        ("Legevakt", True),
    ]


def test_rows_it_cannot_interpret_are_reported_with_their_row_and_the_rest_written(tmp_path, capsys):
    rows = [
        HEADER,
        ROWS[0],
        ["", "IKS", "x", "", "", "uten navn"],  # line 3: no name
        ["Brann", "kommunalt foretak", "x", "x", "x", ""],  # line 4: unknown form
        ["Vann", "AS", "delvis", "x", "", ""],  # line 5: unknown mark
        ROWS[1],
    ]
    source = write_csv(tmp_path / "oversikt.csv", rows)
    assert main(["import", str(source), "--into", str(tmp_path / "new")]) == 0
    err = capsys.readouterr().err
    assert f"{source}:3: warning: raden har ikke noe navn og er ikke tatt med: IKS | x | uten navn" in err
    assert f"{source}:4: warning: ukjent type samarbeid «kommunalt foretak»" in err
    assert f"{source}:5: warning: ukjent merke «delvis» i kolonnen Vik" in err
    assert "Traceback" not in err
    names = [(a.name, a.form, a.members) for a in edition(tmp_path / "new").agreements]
    assert names == [
        ("Brann", None, ("Vik", "Aurland", "Lærdal")),
        ("Vann", "AS", ("Vik", "Aurland")),
        ("Felles IKT", "§ 28 – 1B", ("Vik", "Aurland", "Lærdal")),
    ]
    text = (tmp_path / "new" / "agreements.yaml").read_text("utf-8")
    assert '# form: the source says "kommunalt foretak", which is not a known form' in text
    assert 'members: [Vik, Aurland]  # guessed: the source marks "delvis" for Vik' in text


def test_existing_files_are_kept_without_force(tmp_path, capsys):
    target = tmp_path / "content"
    target.mkdir()
    (target / "report.yaml").write_text("# mine\n", "utf-8")
    assert main(["import", str(REFERENCE), "--into", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{target / 'report.yaml'}: error: filen finnes fra før og er ikke skrevet over (bruk --force" in err
    assert (target / "report.yaml").read_text("utf-8") == "# mine\n"
    assert sorted(p.name for p in target.iterdir()) == ["report.yaml"], "a refused import writes nothing"
    assert main(["import", str(REFERENCE), "--into", str(target), "--force"]) == 0
    assert edition(target).region == "Lillehammer-regionen"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tom.csv", "", "fant ingen tabell med samarbeid"),
        ("bare-hode.csv", ";".join(HEADER) + "\n", "fant ingen samarbeid i tabellen"),
        ("tekst.txt", "Bare tekst, ingen tabell.\n", "fant ingen tabell: ingen linje har tabulator"),
        ("gammel.doc", "x", "filen er ikke en eldre Word-fil (.doc), selv om endelsen sier det"),
        ("oversikt.docx", "ikke en zip", "Word-filen kan ikke leses"),
        ("oversikt.xlsx", "ikke en zip", "regnearket kan ikke leses"),
    ],
)
def test_nothing_usable_exits_1_and_writes_nothing(tmp_path, capsys, name, content, message):
    source = tmp_path / name
    source.write_text(content, "utf-8")
    assert main(["import", str(source), "--into", str(tmp_path / "new")]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and "intern feil" not in err
    assert not (tmp_path / "new").exists()


def test_missing_source(tmp_path, capsys):
    assert main(["import", str(tmp_path / "finnes-ikke.docx"), "--into", str(tmp_path / "new")]) == 1
    assert "filen finnes ikke" in capsys.readouterr().err


def test_into_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["import", str(REFERENCE)])
    assert exit_info.value.code == 2


def test_a_title_of_its_own_is_kept_in_report_yaml(tmp_path, capsys):
    document = docx.Document()
    document.add_paragraph("Samarbeid i Sogn 2021", style="Title")
    document.add_paragraph("Sogn-regionen har mange samarbeid.")
    table = document.add_table(rows=3, cols=len(HEADER))
    for row, cells in zip(table.rows, [HEADER, ROWS[0], ROWS[2]], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.save(str(tmp_path / "sogn.docx"))
    assert main(["import", str(tmp_path / "sogn.docx"), "--into", str(tmp_path / "new")]) == 0
    found = edition(tmp_path / "new")
    assert (found.title, found.region) == ("Samarbeid i Sogn 2021", "Sogn-regionen")
    report = (tmp_path / "new" / "report.yaml").read_text("utf-8")
    assert "the source's own title; remove this line" in report
    assert prepare(tmp_path / "new").document.title == "Samarbeid i Sogn 2021"


def test_rows_that_do_not_fit_the_structure_are_reported_and_kept_readable(tmp_path, capsys):
    rows = [
        HEADER,
        ["Tom kategori", "", "", "", "", ""],  # line 2: no agreements under it
        ["Administrasjon", "", "", "", "", ""],
        ["Løs*", "IKS", "x", "", "", ""],  # line 4: a part with no "Se under*" above
        ["Ramme Se under*", "Avtale", "x", "x", "x", ""],  # line 5: no part below
        ["Arkiv", "IKS", "x", "", "", ""],
        ["Arkiv", "IKS", "x", "", "", ""],  # line 7: the same row again
        ["Arkiv", "AS", "x", "", "", ""],  # line 8: same name, other content
    ]
    source = write_csv(tmp_path / "oversikt.csv", rows)
    assert main(["import", str(source), "--into", str(tmp_path / "new")]) == 0
    err = capsys.readouterr().err
    for line, message in [
        (2, "kategorien «Tom kategori» har ingen samarbeid og er ikke tatt med"),
        (4, "«Løs*» er merket som delavtale (*), men ingen rad over har «Se under*»"),
        (5, "raden viser til delavtaler («Se under»), men ingen rad under er merket med *"),
        (7, "«Arkiv» står likt på rad 6; tatt med én gang"),
        (8, "«Arkiv» står to ganger i kategorien «Administrasjon» (også rad 6); kalt «Arkiv (2)»"),
    ]:
        assert f"{source}:{line}: warning: {message}" in err
    found = edition(tmp_path / "new")
    assert [c.name for c in found.categories] == ["Administrasjon"]
    assert [(a.name, a.form, a.id, a.part_of) for a in found.agreements] == [
        ("Løs*", "IKS", None, None),
        ("Ramme Se under*", "Avtale", None, None),
        ("Arkiv", "IKS", None, None),
        ("Arkiv (2)", "AS", None, None),
    ]
    prepare(tmp_path / "new")


def test_a_folder_that_cannot_be_written_gets_nothing(tmp_path, capsys):
    target = tmp_path / "content"
    target.mkdir()
    (target / "text").write_text("a file where the text folder would go", "utf-8")
    assert main(["import", str(REFERENCE), "--into", str(target)]) == 1
    err = capsys.readouterr().err
    assert "kan ikke skrive utdata" in err and "Traceback" not in err
    assert sorted(p.name for p in target.iterdir()) == ["text"], "no report.yaml without its text files"
