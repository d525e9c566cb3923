"""Fewer, better warnings: the same warning for many places is one line with
the count and the first three places; --all-warnings lists each."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from builder.build import prepare
from builder.cli import main
from builder.diagnostics import Diagnostics, Location
from builder.forms import vocabulary


def warning_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": warning: " in line]


@pytest.fixture(scope="module")
def rolled_output(content_dir, tmp_path_factory) -> tuple:
    """What `oversikt roll content --to 2020-01-01` prints, and where the new edition is."""
    target = tmp_path_factory.mktemp("roll") / "2020"
    err = io.StringIO()  # capsys is for one test; this output serves several
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["roll", str(content_dir), "--to", "2020-01-01", "--into", str(target)]) == 0
    return err.getvalue(), target


def test_a_roll_of_2019_prints_at_most_8_warning_lines(rolled_output):
    err, target = rolled_output
    assert len(warning_lines(err)) <= 8
    warnings = prepare(target).diagnostics.warnings
    assert len(warnings) > 20, "every warning still counts"
    assert f"0 feil, {len(warnings) + 1} advarsler" in err  # and the year in the text the roll flags


def test_the_same_warning_is_one_line_with_count_and_first_three_places(rolled_output):
    err, target = rolled_output
    lines = (target / "agreements.yaml").read_text("utf-8").splitlines()
    forms = {number: re.fullmatch(r"\s+form: ([^#]+?)\s*(#.*)?", line) for number, line in enumerate(lines, start=1)}
    places = [n for n, form in forms.items() if form and vocabulary().lookup(form[1]).name == "§ 28 – 1B"]
    assert len(places) > 3
    (line,) = [line for line in warning_lines(err) if "'§ 28 – 1B'" in line]
    first, second, third = places[:3]
    assert line.startswith(f"{target / 'agreements.yaml'}:{first}:15: warning: '§ 28 – 1B' er en samarbeidsform")
    assert line.endswith(f" [{len(places)} steder: linje {first}, {second}, {third}, …; --all-warnings viser alle]")


def test_all_warnings_lists_each(content_dir, tmp_path, capsys):
    target = tmp_path / "2020"
    assert main(["roll", str(content_dir), "--to", "2020-01-01", "--into", str(target), "--all-warnings"]) == 0
    lines = warning_lines(capsys.readouterr().err)
    assert len(lines) == len(prepare(target).diagnostics.warnings) + 1
    assert len(lines) == len(set(lines))


@pytest.mark.parametrize("extra", [[], ["--member", "all"]])
def test_2019_content_builds_with_its_warnings_printed_once(content_dir, tmp_path, capsys, extra):
    assert main(["build", str(content_dir), "--out", str(tmp_path), "--format", "docx", *extra]) == 0
    lines = warning_lines(capsys.readouterr().err)
    assert sorted(lines) == sorted(str(d) for d in prepare(content_dir).diagnostics.warnings)
    assert len(lines) == len(set(lines)) > 0


def test_two_or_three_places_are_all_named_and_errors_never_grouped(tmp_path):
    problems = Diagnostics()
    path = tmp_path / "agreements.yaml"
    for line in (4, 9):
        problems.warning(Location(path, line, 3), "samme advarsel", "gjør slik")
        problems.error(Location(path, line, 5), "samme feil")
    problems.warning(Location(tmp_path / "report.yaml", 2), "samme advarsel", "gjør slik")
    assert problems.lines() == [
        f"{path}:4:3: warning: samme advarsel (gjør slik)"
        f" [3 steder: {path}:4:3, {path}:9:3 og {tmp_path / 'report.yaml'}:2]",
        f"{path}:4:5: error: samme feil",
        f"{path}:9:5: error: samme feil",
    ]
