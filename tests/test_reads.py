"""Each command reads each file once: the edition's files, its layout, and
for ``roll`` the new edition too; the preview reads them once per version,
however many pages it shows. Counted where every content file is read,
:func:`builder.readers.files.read_bytes`."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

from edits import replace
from register_files import edition_entities, register_edition, write_json_register

from builder.build import build
from builder.cli import main
from builder.publish import publish
from builder.readers.files import counted
from builder.rolling import roll
from builder.serve import Preview


def _read_once(reads: Counter[Path], *folders: Path) -> None:
    """Every file read was read once, and among them each YAML and Markdown file of ``folders``."""
    assert reads, "nothing was counted"
    assert {path: count for path, count in reads.items() if count != 1} == {}
    for folder in folders:
        files = {path.resolve() for path in folder.rglob("*") if path.suffix in (".yaml", ".md")}
        assert files <= set(reads), f"not read: {sorted(files - set(reads))}"


def test_publish_reads_each_file_once(content_dir, tmp_path):
    with counted() as reads:
        publish(content_dir, tmp_path / "site")
    assert reads[(content_dir / "agreements.yaml").resolve()] == 1
    _read_once(reads, content_dir)


def test_build_of_the_region_and_every_member_reads_each_file_once(content_dir, tmp_path):
    with counted() as reads:
        written, _ = build(content_dir, tmp_path / "out", ("html",), member="all", with_region=True)
    assert len(written) == 4, "the region's and three members'"
    _read_once(reads, content_dir)


def test_check_reads_each_file_once(content_dir, capsys):
    with counted() as reads:
        assert main(["check", str(content_dir)]) == 0
    _read_once(reads, content_dir)


def test_check_against_the_register_finds_the_orgnr_lines_without_reading_again(tmp_path, capsys):
    content = register_edition(tmp_path / "content")
    register = write_json_register(tmp_path / "enheter.json.gz", 10, edition_entities())
    with counted() as reads:
        main(["check", str(content), "--enhetsregisteret", str(register)])
    assert ": warning: " in capsys.readouterr().err, "the register's findings, at their lines"
    _read_once({path: count for path, count in reads.items() if path != register.resolve()}, content)


def test_roll_reads_this_years_files_once_and_next_years_once(content_dir, tmp_path):
    target = tmp_path / "innhold-2020"
    with counted() as reads:
        rolled = roll(content_dir, dt.date(2020, 1, 1), target)
    assert rolled.edition.as_of == dt.date(2020, 1, 1)
    layouts = {path for path in reads if path.suffix == ".yaml" and not path.is_relative_to(tmp_path)}
    layouts -= {(content_dir / name).resolve() for name in ("report.yaml", "agreements.yaml")}
    # the layout is read for each edition, this year's and next year's, which may each have their own
    assert {path: reads[path] for path in layouts} == dict.fromkeys(layouts, 2)
    _read_once(Counter({path: count for path, count in reads.items() if path not in layouts}), content_dir, target)


def _every_page(preview: Preview) -> list[bytes]:
    members = preview.last_edition.members
    return [preview.outcome(None).page, *(preview.outcome(member).page for member in members)]


def test_the_preview_reads_each_file_once_per_version_for_all_its_pages(content_dir, tmp_path):
    folder = shutil.copytree(content_dir, tmp_path / "content")
    preview = Preview(folder)
    with counted() as reads:
        pages = _every_page(preview)
    assert len(pages) == 4
    _read_once(reads, folder)

    text = folder / "text" / "innledning.md"
    text.write_text(text.read_text("utf-8") + "\nEn setning lagt til.\n", "utf-8")
    with counted() as reads:
        preview.changed()
        pages = _every_page(preview)
    assert all("En setning lagt til." in page.decode("utf-8") for page in pages), "every page of the new version"
    _read_once(reads, folder)


def test_a_save_from_the_workbench_is_read_once_for_all_pages(content_dir, tmp_path):
    """The workbench checks a change before it writes it; the pages of the
    new version are made from what that check read."""
    folder = shutil.copytree(content_dir, tmp_path / "content")
    preview = Preview(folder)
    _every_page(preview)
    agreements = folder / "agreements.yaml"
    changed = agreements.read_text("utf-8").replace("name: Regionråd", "name: Regionrådet", 1).encode("utf-8")
    with counted() as reads:
        prepared = preview.check({agreements: changed})
        agreements.write_bytes(changed)
        preview.changed(prepared)
        pages = _every_page(preview)
    assert all("Regionrådet" in page.decode("utf-8") for page in pages)
    assert agreements.resolve() not in reads, "checked as the bytes to be saved, not read from the file"
    _read_once(reads, folder / "text")


def test_a_report_key_is_located_where_the_reader_found_it_however_written(make_edition, capsys):
    """The layout's checks name report.yaml's line from the reader's places,
    not from a search of the file's lines (which missed a quoted key)."""
    content = make_edition(replace("report.yaml", "language: nb\n", 'language: nb\n"layout": finnes-ikke\n'))
    with counted() as reads:
        assert main(["check", str(content)]) == 1
    assert f"{content / 'report.yaml'}:5:1: error: oppsettet 'finnes-ikke' finnes ikke" in capsys.readouterr().err
    assert reads[(content / "report.yaml").resolve()] == 1
