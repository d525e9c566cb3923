"""The same content gives byte-identical files on every run, in any process;
the time written into them is SOURCE_DATE_EPOCH when set, else the edition's date."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pikepdf

EPOCH = 1_700_000_000  # 2023-11-14 22:13:20 UTC


def build_in_new_process(content: Path, out: Path, **changes: str | None) -> subprocess.CompletedProcess:
    """reportlab keeps state between builds in one process; a new one starts
    clean. ``changes`` set (or, with None, remove) environment variables."""
    environment = dict(os.environ)
    for key, value in changes.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    return subprocess.run(
        [sys.executable, "-m", "builder", "build", str(content), "--out", str(out)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_two_builds_in_two_processes_are_byte_identical(built, content_dir, tmp_path):
    for run in ("first", "second"):
        assert build_in_new_process(content_dir, tmp_path / run).returncode == 0
    for name in ("oversikt-2019.pdf", "oversikt-2019.docx"):
        first, second = ((tmp_path / run / name).read_bytes() for run in ("first", "second"))
        assert first == second, name
        # and the same as a build in this process, after other builds in it
        assert first == built[name.rsplit(".", 1)[1]].read_bytes(), name


def test_sami_edition_builds_the_same_twice(sami, tmp_path):
    assert build_in_new_process(sami.content_dir, tmp_path).returncode == 0
    assert (tmp_path / sami.pdf.name).read_bytes() == sami.pdf.read_bytes()
    assert (tmp_path / sami.docx.name).read_bytes() == sami.docx.read_bytes()


def test_times_come_from_the_edition_without_source_date_epoch(content_dir, tmp_path):
    assert build_in_new_process(content_dir, tmp_path, SOURCE_DATE_EPOCH=None).returncode == 0
    expected = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc)
    assert written_times(tmp_path / "oversikt-2019.pdf", tmp_path / "oversikt-2019.docx") == {expected}


def test_times_come_from_source_date_epoch_when_set(content_dir, tmp_path):
    result = build_in_new_process(content_dir, tmp_path, SOURCE_DATE_EPOCH=str(EPOCH))
    assert result.returncode == 0, result.stderr
    expected = dt.datetime.fromtimestamp(EPOCH, tz=dt.timezone.utc)
    assert written_times(tmp_path / "oversikt-2019.pdf", tmp_path / "oversikt-2019.docx") == {expected}


def test_malformed_source_date_epoch_is_an_error_and_writes_nothing(content_dir, tmp_path):
    result = build_in_new_process(content_dir, tmp_path, SOURCE_DATE_EPOCH="i går")
    assert result.returncode == 1
    assert "error: miljøvariabelen SOURCE_DATE_EPOCH er 'i går'" in result.stderr
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


def written_times(pdf_path: Path, docx_path: Path) -> set[dt.datetime]:
    """Every time stamp in both files, as aware UTC times."""
    times = set()
    with pikepdf.open(pdf_path) as pdf:
        for key in ("/CreationDate", "/ModDate"):
            times.add(pikepdf.models.metadata.decode_pdf_date(str(pdf.docinfo[key])))
        meta = pdf.open_metadata()
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            times.add(dt.datetime.fromisoformat(meta[key].replace("Z", "+00:00")))
    core = docx.Document(str(docx_path)).core_properties
    times |= {core.created, core.modified, core.last_printed}
    with zipfile.ZipFile(docx_path) as archive:
        times |= {dt.datetime(*info.date_time, tzinfo=dt.timezone.utc) for info in archive.infolist()}
    return times
