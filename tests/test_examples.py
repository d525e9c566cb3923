"""The nynorsk example proves nothing is tied to Lillehammer: another region,
five members with Sami names, nynorsk labels, a landscape layout."""

from __future__ import annotations

import subprocess
import sys

import pikepdf
import pytest
from readback import docx_tables, pdf_table_rows, pdf_text, spaced

from builder.build import build

SAMI = ["Guovdageaidnu", "Kárášjohka", "Deatnu", "Porsáŋgu", "Unjárga"]


@pytest.fixture(scope="module")
def example(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("nord-sami")
    written, _ = build(root / "examples" / "nord-sami", out)
    return {path.suffix.lstrip("."): path for path in written}


# no-break spaces after "§" and "i": the layout keeps "§ i kommunelova" on one line
HEADER = ["Pr. 01.01.2024", "Type samarbeid §\u00a0i\u00a0kommunelova", *SAMI, "Kommentarar"]


def test_summary_then_agreements_in_docx(example):
    summary, table = docx_tables(example["docx"])
    assert summary[0][1 : 1 + len(SAMI)] == SAMI, "the summary counts per member"
    assert table[0] == HEADER


def test_nynorsk_labels_and_sami_names_in_docx(example):
    table = docx_tables(example["docx"])[-1]
    assert table[0] == HEADER
    names = [row[0] for row in table]
    assert "Samisk helsepark Sjå under*" in names and "Legevakt*" in names
    assert "Riddu Riđđu festivála" in names


def test_nynorsk_labels_and_sami_names_in_pdf(example):
    rows = pdf_table_rows(example["pdf"])
    assert spaced(HEADER) in rows, "the agreement table's header, after the summary's"
    text = pdf_text(example["pdf"])
    for word in ["Sjå under*", "Snåasen tjïelte", "Riddu Riđđu festivála", "Sámi giellaguovddáš"]:
        assert word in text
    with pikepdf.open(example["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "nn-NO"
        width, height = (float(v) for v in pdf.pages[0].mediabox[2:])
        assert width > height, "the example's layout is landscape"


def test_narrative_uses_nynorsk_and_alphabetical_members(example):
    text = " ".join(pdf_text(example["pdf"]).split())
    assert "Deatnu, Guovdageaidnu, Kárášjohka, Porsáŋgu og Unjárga kommunar utgjer Nordkalotten samarbeidsråd." in text
    assert "per 1. januar 2024: 8 samarbeid i 4 kategoriar" in text


def test_api_script_builds_the_example(root, tmp_path):
    script = root / "examples" / "build_with_api.py"
    result = subprocess.run(
        [sys.executable, str(script), str(root / "examples" / "nord-sami"), str(tmp_path)],
        capture_output=True, text=True, cwd=root, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oversikt-2024.docx", "oversikt-2024.pdf"]
