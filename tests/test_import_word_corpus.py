"""Word files of 2019 made as people make them (tests/word_corpus.py), and
the same overview saved as .odt and .doc by LibreOffice: each imports to
exactly content/ (its categories, names, forms, marks, comments and facts,
and the narrative's 19 lines in order at their levels), says only what is
true, and rolls into a year without the agreements given notice."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import word_corpus

from builder.build import prepare
from builder.diagnostics import Diagnostics
from builder.importing import import_source
from builder.model import BulletList, Paragraph
from builder.readers.edition import read_edition
from builder.rolling import roll

SOFFICE = shutil.which("soffice")


def facts(folder: Path) -> list[tuple]:
    problems = Diagnostics()
    edition = read_edition(folder, problems)
    assert edition is not None, [str(d) for d in problems.errors]
    names = {a.id: a.name for a in edition.agreements if a.id}
    return [
        (c.name, a.name, a.form, a.members, a.comment, a.host, a.partners, a.status, names.get(a.part_of))
        for c in edition.categories
        for a in c.agreements
    ]


def narrative_lines(blocks) -> list[tuple[int | None, str]]:
    """Each paragraph as (None, text), each list item as (level, text)."""
    lines = []

    def items(found, level):
        for item in found:
            lines.append((level, "".join(run.text for run in item.runs)))
            items(item.children, level + 1)

    for block in blocks:
        if isinstance(block, BulletList):
            items(block.items, 0)
        elif isinstance(block, Paragraph):
            lines.append((None, "".join(run.text for run in block.runs)))
    return lines


# The reference's 19 narrative lines: each paragraph, each list item at its level
REFERENCE_LINES = [
    (len(line) - len(line.lstrip()), line.lstrip()[2:]) if line.lstrip().startswith("- ") else (None, line)
    for line in word_corpus.REFERENCE.narrative[1:]
]


def assert_imports_to_content(source: Path, into: Path, content_dir: Path) -> Diagnostics:
    result = import_source(source, into)
    assert facts(into) == facts(content_dir)
    imported, original = prepare(into).document, prepare(content_dir).document
    assert imported == original
    return result.diagnostics


@pytest.mark.parametrize("name", list(word_corpus.FILES))
def test_each_corpus_file_imports_to_content(name, tmp_path, content_dir):
    source, draft = word_corpus.make(tmp_path, name)
    started = time.perf_counter()
    diagnostics = assert_imports_to_content(source, tmp_path / "imported", content_dir)
    print(f"{name}: {time.perf_counter() - started:.2f} s")
    said = [str(d) for d in diagnostics.warnings]
    assert len(said) == len(draft.warnings), said
    for expected in draft.warnings:
        assert any(expected in line for line in said), (expected, said)


def test_the_narrative_is_19_lines_at_their_levels(tmp_path, content_dir):
    source, _ = word_corpus.make(tmp_path, "grown_over_years")
    import_source(source, tmp_path / "imported")
    lines = narrative_lines(prepare(tmp_path / "imported").document.blocks)
    assert len(REFERENCE_LINES) == 19
    assert lines[:19] == REFERENCE_LINES
    assert (1, "§ 27: interkommunalt samarbeid med eget styre") in lines


@pytest.mark.parametrize("name", ["grown_over_years", "reviewed"])
def test_roll_drops_the_agreements_given_notice(name, tmp_path):
    source, _ = word_corpus.make(tmp_path, name)
    import_source(source, tmp_path / "imported")
    roll(tmp_path / "imported", dt.date(2020, 1, 1), tmp_path / "next")
    names = [row[1] for row in facts(tmp_path / "next")]
    assert "Eioff (eiendomsforvaltning/driftskontroll)" not in names
    assert not any(n.startswith("INNOFF") for n in names)
    assert "Regionråd" in names


@pytest.mark.slow  # starts LibreOffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("suffix", ["odt", "doc"])
def test_libreoffice_files_import_to_content(suffix, built, tmp_path, content_dir):
    profile = tmp_path / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", suffix,
         "--outdir", str(tmp_path), str(built["docx"])],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    (source,) = tmp_path.glob(f"*.{suffix}")
    diagnostics = assert_imports_to_content(source, tmp_path / "imported", content_dir)
    assert not diagnostics.warnings, [str(d) for d in diagnostics.warnings]
    roll(tmp_path / "imported", dt.date(2020, 1, 1), tmp_path / "next")
    names = [row[1] for row in facts(tmp_path / "next")]
    assert "Eioff (eiendomsforvaltning/driftskontroll)" not in names
