"""Every file of the hostile corpus (tests/hostile_imports.py) imported by a
real ``oversikt import`` process, under a memory limit and a time limit: it
ends in exit 0 or 1 with a message naming the file, never in an internal
error, and a failed import leaves ``--into`` empty. Then what some of them
read as, where something could be lost without a word."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hostile_imports import (
    CASES,
    CATEGORY,
    HEADER,
    MEMBERS,
    ROWS,
    Case,
    cell,
    csv_2000_rows_of_one_name,
    csv_that_is_a_docx,
    docx_nested_table,
    docx_tables_nested_40_deep,
    overview_table,
    sheet_rows,
    sheet_xml,
    spreadsheet,
    txt_excel_unicode_text,
    word,
    xlsx_formula_without_value,
    xlsx_lying_dimension,
)

from builder.cli import main
from builder.diagnostics import Diagnostics
from builder.importing import import_source
from builder.readers.edition import read_edition

try:
    import resource
except ImportError:  # not on Windows
    resource = None

MEMORY = 1024**3
SECONDS = 30


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_import(source, into) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "builder", "import", str(source), "--into", str(into)],
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=limit_memory,
    )


@pytest.mark.skipif(resource is None, reason="the memory limit needs the resource module (POSIX only)")
@pytest.mark.parametrize(
    "case",
    # The 30,000-row imports take seconds each: the quick loop leaves them out.
    [pytest.param(case, marks=pytest.mark.slow) if (case.agreements or 0) >= 30_000 else case for case in CASES],
    ids=str,
)
def test_hostile_file_ends_in_a_message_about_the_file(case: Case, tmp_path):
    source = case.make(tmp_path)
    into = tmp_path / "into"
    into.mkdir()
    done = run_import(source, into)
    assert done.returncode == case.exit_code, done.stderr
    assert "intern feil" not in done.stderr and "Traceback" not in done.stderr
    assert case.message in done.stderr
    if case.exit_code:
        assert f"{source}" in done.stderr and ": error: " in done.stderr
        assert list(into.iterdir()) == [], "a failed import writes nothing"
    else:
        assert (into / "agreements.yaml").is_file()
        if case.agreements is not None:
            assert f"Importerte {case.agreements} samarbeid" in done.stdout


def test_the_corpus_is_large_enough():
    kinds = {case.name.split("_")[0] for case in CASES}
    assert len(CASES) >= 25 and kinds == {"docx", "xlsx", "csv", "txt"}


# --- what the corpus's files read as -------------------------------------------


def imported(source, into):
    """The edition an import of ``source`` wrote, read back from ``into``."""
    result = import_source(source, into)
    problems = Diagnostics()
    edition = read_edition(into, problems)
    assert edition is not None, [str(d) for d in problems.errors]
    return result, edition


def test_excel_unicode_text_reads_as_the_table(tmp_path):
    result, edition = imported(txt_excel_unicode_text(tmp_path), tmp_path / "into")
    assert edition.members == MEMBERS
    assert [(a.name, a.form, a.members) for a in edition.agreements] == [
        ("Felles IKT", "IKS", MEMBERS),
        ("Arkiv", "IKS", ("Vik", "Lærdal")),
        ("Legevakt", "Avtale", ("Aurland", "Lærdal")),
    ]
    assert not result.diagnostics.warnings, "no guessing at the encoding"


def test_a_table_inside_a_cell_is_read_into_the_cell(tmp_path):
    source = docx_nested_table(tmp_path)
    result, edition = imported(source, tmp_path / "into")
    assert edition.agreements[0].comment == "Med Nes Gol Hol Ål"
    assert [str(d) for d in result.diagnostics.warnings] == [
        f"{source}:3: warning: cellen har en tabell inni seg; teksten i den er tatt med i cellen"
        " (sjekk raden i agreements.yaml)"
    ]


def test_tables_nested_deeply_keep_their_innermost_text(tmp_path):
    _, edition = imported(docx_tables_nested_40_deep(tmp_path), tmp_path / "into")
    assert edition.agreements[0].comment == "innerst"


def test_a_cell_merged_with_the_one_above_holds_its_text(tmp_path):
    merged = '<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
    rows = overview_table().replace(cell("x"), cell("x", merged), 1)  # Felles IKT's mark for Vik
    below = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
    rows = rows.replace(f"{cell('IKS')}{cell('x')}", f"{cell('IKS')}{below}", 1)  # Arkiv's, merged into it
    _, edition = imported(word(tmp_path / "merged.docx", rows), tmp_path / "into")
    assert [a.members for a in edition.agreements[:2]] == [MEMBERS, ("Vik", "Lærdal")]


def test_a_formula_without_a_saved_value_is_refused_with_its_cell(tmp_path, capsys):
    source = xlsx_formula_without_value(tmp_path)
    assert main(["import", str(source), "--into", str(tmp_path / "into")]) == 1
    assert (
        f"{source}:5: error: cellen B5 har en formel uten lagret verdi"
        " (åpne og lagre filen i Excel, så verdien lagres med formelen)" in capsys.readouterr().err
    )
    assert not (tmp_path / "into").exists()


def test_a_formula_with_its_saved_value_reads_as_the_value(tmp_path):
    rows = sheet_rows([HEADER, (CATEGORY,), *ROWS]).replace(
        '<c r="B4" t="inlineStr"><is><t>IKS</t></is></c>', '<c r="B4" t="str"><f>"IK"&amp;"S"</f><v>IKS</v></c>'
    )
    assert '<f>"IK"' in rows
    _, edition = imported(spreadsheet(tmp_path / "formula.xlsx", sheet_xml(rows)), tmp_path / "into")
    assert edition.agreements[1].form == "IKS"


def test_a_sheet_is_read_by_its_cells_not_its_claimed_dimension(tmp_path):
    _, edition = imported(xlsx_lying_dimension(tmp_path), tmp_path / "into")
    assert [a.name for a in edition.agreements] == [row[0] for row in ROWS]


def test_2000_rows_of_one_name_are_numbered_in_order(tmp_path):
    _, edition = imported(csv_2000_rows_of_one_name(tmp_path), tmp_path / "into")
    assert [a.name for a in edition.agreements] == ["Arkiv"] + [f"Arkiv ({n})" for n in range(2, 2001)]


def test_a_word_file_named_csv_is_refused_as_what_it_is(tmp_path, capsys):
    source = csv_that_is_a_docx(tmp_path)
    assert main(["import", str(source), "--into", str(tmp_path / "into")]) == 1
    assert (
        f"{source}: error: filen ser ut til å være en Word-fil (.docx), ikke det endelsen .csv sier"
        " (gi filen endelsen .docx og importer den på nytt)" in capsys.readouterr().err
    )


# --- values a spreadsheet would run, and guesses from words that are no plain fact ---


def _csv_source(folder, rows, members=MEMBERS) -> object:
    path = folder / "oversikt.csv"
    header = (*HEADER[:2], *members, HEADER[-1])
    path.write_text("".join(";".join(row) + "\r\n" for row in [header, (CATEGORY,), *rows]), "utf-8")
    return path


@pytest.mark.skipif(resource is None, reason="the memory limit needs the resource module (POSIX only)")
def test_values_a_spreadsheet_would_run_are_warned_of_at_their_row(tmp_path):
    rows = [
        ("=HYPERLINK(A1)", "IKS", "x", "x", "x", ""),
        ("Arkiv", "IKS", "x", "", "x", "+47 22 00 00 00"),
        ("Legevakt", "Avtale", "", "x", "x", "-"),
    ]
    source = _csv_source(tmp_path, rows, ("Vik", "@Aurland", "Lærdal"))
    done = run_import(source, tmp_path / "into")
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "formel i regneark" in line]
    assert warnings == [
        f"{source}:1: warning: kommunenavnet «@Aurland» begynner med «@» og kan bli tolket som en formel i regneark"
        " (den publiserte CSV-filen får en apostrof foran verdien; sjekk at verdien skal stå slik)",
        f"{source}:3: warning: navnet «=HYPERLINK(A1)» begynner med «=» og kan bli tolket som en formel i regneark"
        " (den publiserte CSV-filen får en apostrof foran verdien; sjekk at verdien skal stå slik)",
        f"{source}:4: warning: kommentaren «+47 22 00 00 00» begynner med «+» og kan bli tolket som en formel i"
        " regneark (den publiserte CSV-filen får en apostrof foran verdien; sjekk at verdien skal stå slik)",
        f"{source}:5: warning: kommentaren «-» begynner med «-» og kan bli tolket som en formel i regneark"
        " (den publiserte CSV-filen får en apostrof foran verdien; sjekk at verdien skal stå slik)",
    ]


GUESSES = {  # comment: (host, partners, the comment left)
    "Tidligere Vik vertskommune": (None, (), "Tidligere Vik vertskommune"),
    "Ikke Aurland vertskommune": (None, (), "Ikke Aurland vertskommune"),
    "Gjelder Lærdal vertskommune": (None, (), "Gjelder Lærdal vertskommune"),
    "NAV Vik vertskommune": (None, (), "NAV Vik vertskommune"),
    "Med Kari Nordmann": (None, (), "Med Kari Nordmann"),
    "Vik vertskommune": ("Vik", (), ""),
    "Med Ringebu": (None, ("Ringebu",), ""),
}


@pytest.mark.skipif(resource is None, reason="the memory limit needs the resource module (POSIX only)")
def test_a_host_or_partner_is_guessed_only_from_the_plain_wording(tmp_path):
    rows = [(f"Samarbeid {n}", "IKS", "x", "x", "x", comment) for n, comment in enumerate(GUESSES)]
    into = tmp_path / "into"
    done = run_import(_csv_source(tmp_path, rows), into)
    assert done.returncode == 0, done.stderr
    problems = Diagnostics()
    edition = read_edition(into, problems)
    assert not problems.errors, [str(d) for d in problems.errors]
    read = {a.name: (a.host, a.partners, a.comment) for a in edition.agreements}
    assert read == {f"Samarbeid {n}": guessed for n, guessed in enumerate(GUESSES.values())}


# --- .doc and .odt: converted by LibreOffice, bounded ------------------------------


def _run_with(source, into, **env) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "builder", "import", str(source), "--into", str(into)],
        capture_output=True,
        text=True,
        timeout=SECONDS,
        preexec_fn=limit_memory if resource else None,
        env={**os.environ, **env},
    )


def test_a_doc_that_is_not_one_is_refused_without_converting(tmp_path):
    source = tmp_path / "gammel.doc"
    source.write_bytes(b"{\\rtf1\\ansi Pr. 01.01.2019}")
    done = _run_with(source, tmp_path / "into")
    assert done.returncode == 1, done.stderr
    assert "filen ser ut til å være en RTF-fil, ikke det endelsen .doc sier" in done.stderr


def test_a_huge_odt_is_refused_by_its_size(tmp_path):
    source = tmp_path / "stor.odt"
    with source.open("wb") as stream:
        stream.truncate(129 * 1024 * 1024)  # sparse: nothing written
    done = _run_with(source, tmp_path / "into")
    assert done.returncode == 1, done.stderr
    assert "filen er større enn 128 MiB" in done.stderr


def _fake_soffice(folder, script: str):
    folder.mkdir()
    fake = folder / "soffice"
    fake.write_text("#!/bin/sh\n" + script, "utf-8")
    fake.chmod(0o755)
    return f"{folder}:/usr/bin:/bin"


@pytest.mark.skipif(resource is None, reason="process groups (POSIX only)")
def test_a_conversion_that_hangs_is_stopped_with_all_it_started(tmp_path):
    import time

    source = tmp_path / "oversikt.odt"
    source.write_bytes(odt_bytes())
    marker = tmp_path / "child.pid"
    path = _fake_soffice(tmp_path / "bin", f"sleep 600 & echo $! > {marker}\nsleep 600\n")
    started = time.monotonic()
    done = _run_with(source, tmp_path / "into", PATH=path, OVERSIKT_CONVERT_SECONDS="2")
    assert time.monotonic() - started < 15
    assert done.returncode == 1, done.stderr
    assert "LibreOffice brukte mer enn 2 sekunder på å gjøre om OpenDocument-filen og ble stoppet" in done.stderr
    child = int(marker.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]


def test_without_libreoffice_the_message_says_how_to_save_as_docx(tmp_path):
    source = tmp_path / "oversikt.odt"
    source.write_bytes(odt_bytes())
    (tmp_path / "empty").mkdir()
    done = _run_with(source, tmp_path / "into", PATH=str(tmp_path / "empty"))
    assert done.returncode == 1, done.stderr
    assert "OpenDocument-filen kan bare importeres når LibreOffice er installert" in done.stderr
    assert "Fil > Lagre som > Word-dokument (*.docx)" in done.stderr


def odt_bytes() -> bytes:
    """An OpenDocument text package, as small as one can be: its ``mimetype``
    first and stored, then its content. Enough for these tests, which never let a
    real LibreOffice read it (none is on the PATH, or a stand-in that hangs),
    so they need no office suite."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        package.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content'
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
            "<office:body><office:text><text:p>Pr. 01.01.2019</text:p></office:text></office:body>"
            "</office:document-content>",
            zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()
