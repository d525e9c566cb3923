"""The workbench's save history: every save recorded, listed newest first,
undone to the exact earlier bytes (or refused with a reason), kept across a
restart, bounded, kept out of the content folder and out of every output,
and never a traceback when its store cannot be used."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import DATA_HOME
from edits import tree_digest
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import generate

from builder.workbench import history as history_module
from builder.workbench.history import History, HistoryUnavailable, UndoRefused, default_store

BORGERLIG = b"        comment: Med Ringebu\n"
LEGEVAKT = b'        comment: "Lillehammer vertskommune"\n'


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch) -> Path:
    """The user's data folder, one for each test, here and in every command it starts."""
    folder = tmp_path / "data"
    for name in DATA_HOME:
        monkeypatch.setenv(name, str(folder))
    return folder


@pytest.fixture
def content(make_edition) -> Path:
    return make_edition()


def save(history: History, content: Path, file: str, old: str | bytes, new: str | bytes, summary: str = "Endret"):
    """What the server does: change the file, then record the save."""
    old, new = (text.encode() if isinstance(text, str) else text for text in (old, new))
    path = content / file
    before = path.read_bytes()
    assert before.count(old) == 1
    after = before.replace(old, new)
    path.write_bytes(after)
    return history.record(file, before, after, summary)


def undo(history: History, content: Path, id: int):
    """What the server does for «Angre»: undo, write the file, record that."""
    entry = history.entry(id)
    path = content / entry.file
    current = path.read_bytes()
    undone = history.undo(id, current)
    path.write_bytes(undone)
    return history.record(entry.file, current, undone, f"Angret «{entry.summary}»", undoes=id)


def test_saves_are_listed_newest_first_with_time_user_file_and_diff(content):
    history = History(content)
    started = dt.datetime.now().astimezone()
    first = save(history, content, "agreements.yaml", BORGERLIG, "        comment: Med Ringebu og Øyer\n",
                 "Endret «Borgerlig vigsel»")  # fmt: skip
    second = save(
        history,
        content,
        "text/innledning.md",
        b"# Innledning\n",
        b"# Innledning\n\nNytt avsnitt.\n",
        "Endret innledningen",
    )
    listed = history.entries()
    assert [entry.id for entry in listed] == [second.id, first.id]
    assert listed[1] == first
    assert first.user == getpass.getuser()
    assert first.file == "agreements.yaml" and second.file == "text/innledning.md"
    assert first.summary == "Endret «Borgerlig vigsel»"
    assert first.time.tzinfo is not None and started - dt.timedelta(seconds=1) <= first.time <= second.time
    assert first.diff.splitlines()[:2] == ["--- a/agreements.yaml", "+++ b/agreements.yaml"]
    assert "-        comment: Med Ringebu" in first.diff.splitlines()
    assert "+        comment: Med Ringebu og Øyer" in first.diff.splitlines()
    assert first.undoes is None and first.undone_by is None
    assert history.entry(first.id) == first and history.entry(999) is None
    assert [entry.id for entry in history.entries(limit=1)] == [second.id]


EXACT = {
    "crlf": b"categories:\r\n  - name: Samarbeid\r\n    agreements: []\r\n",
    "bom": b"\xef\xbb\xbfcategories:\n  - name: Samarbeid\n",
    "no final newline": b"categories:\n  - name: Samarbeid",
    "non-ascii": "# Innledning\n\nÆ ø å, á č đ ŋ š ŧ ž, § – « » …\n".encode(),
    "mixed endings": b"a\r\nb\nc\rd",
    "latin-1": "Ærlig talt: blåbær\n".encode("latin-1"),
}


@pytest.mark.parametrize("kind", EXACT)
def test_undo_gives_back_the_exact_earlier_bytes(content, kind):
    history = History(content)
    before = EXACT[kind]
    (content / "notes.md").write_bytes(before)
    entry = save(history, content, "notes.md", b"Samarbeid" if b"Samarbeid" in before else before[:4], b"Nytt\n")
    assert history.undo(entry.id, (content / "notes.md").read_bytes()) == before


@pytest.mark.parametrize("kind", EXACT)
def test_undo_after_a_later_change_elsewhere_keeps_the_exact_bytes_around_it(content, kind):
    before = EXACT[kind] + b"\n".join(f"linje {n}".encode() for n in range(20)) + EXACT[kind]
    (content / "notes.md").write_bytes(before)
    history = History(content)
    entry = save(history, content, "notes.md", b"linje 3", b"linje tre")
    later = (content / "notes.md").read_bytes().replace(b"linje 15", b"linje femten")
    assert history.undo(entry.id, later) == before.replace(b"linje 15", b"linje femten")


def test_undo_after_an_unrelated_later_change_keeps_that_change(content):
    history = History(content)
    original = (content / "agreements.yaml").read_bytes()
    entry = save(history, content, "agreements.yaml", BORGERLIG, "        comment: Med Ringebu og Øyer\n")
    # later: a new agreement at the top (the lines below shift) and another one's comment changed
    save(history, content, "agreements.yaml", LEGEVAKT, '        comment: "Øyer vertskommune"\n')
    personvern = b"      - name: Felles personvernombud\n"
    new = b"      - name: Nytt\n        form: IKS\n        members: all\n"
    save(history, content, "agreements.yaml", personvern, new + personvern)
    current = (content / "agreements.yaml").read_bytes()
    undone = history.undo(entry.id, current)
    expected = current.replace(b"        comment: Med Ringebu og \xc3\x98yer\n", BORGERLIG)
    assert undone == expected != current
    assert BORGERLIG in undone and b'"\xc3\x98yer vertskommune"' in undone and b"- name: Nytt\n" in undone
    assert undone.replace(new, b"", 1).replace(b'"\xc3\x98yer vertskommune"', b'"Lillehammer vertskommune"') == original


def test_undo_after_the_same_lines_changed_is_refused_naming_them(content):
    history = History(content)
    before = (content / "agreements.yaml").read_bytes()
    entry = save(history, content, "agreements.yaml", BORGERLIG, b"        comment: Med Ringebu og \xc3\x98yer\n")
    save(history, content, "agreements.yaml", b"og \xc3\x98yer", b"og Gausdal")
    current = (content / "agreements.yaml").read_bytes()
    line = before[: before.index(BORGERLIG)].count(b"\n") + 1
    with pytest.raises(UndoRefused) as refused:
        history.undo(entry.id, current)
    assert str(refused.value) == (
        f"Kan ikke angre: linje {line} i agreements.yaml er endret etter denne lagringen"
        " (nå: «comment: Med Ringebu og Gausdal»). Gjør endringen for hånd i skjemaet i stedet."
    )


def test_undo_refused_where_the_saved_lines_were_deleted_or_surrounded(content):
    history = History(content)
    lines = b"".join(f"linje {n}\n".encode() for n in range(1, 11))
    (content / "notes.md").write_bytes(lines)
    entry = save(history, content, "notes.md", b"linje 5\nlinje 6\n", b"linje fem\nlinje seks\n")
    current = (content / "notes.md").read_bytes()
    deleted = current.replace(b"linje fem\nlinje seks\n", b"")
    with pytest.raises(UndoRefused, match=r"linje 4 i notes.md er endret .* \(linjer er slettet\)"):
        history.undo(entry.id, deleted)
    between = current.replace(b"linje fem\n", b"linje fem\nny linje\n")
    with pytest.raises(UndoRefused, match="linje 6 i notes.md er endret"):
        history.undo(entry.id, between)
    # a line added just before or after the saved ones does not stand in the way
    beside = current.replace(b"linje 4\n", b"linje 4\nny linje\n").replace(b"linje 7\n", b"ny linje\nlinje 7\n")
    assert history.undo(entry.id, beside) == lines.replace(b"linje 4\n", b"linje 4\nny linje\n").replace(
        b"linje 7\n", b"ny linje\nlinje 7\n"
    )


def test_a_save_undone_once_is_not_undone_again_but_the_undo_can_be(content):
    history = History(content)
    original = (content / "agreements.yaml").read_bytes()
    entry = save(history, content, "agreements.yaml", BORGERLIG, b"        comment: Med Ringebu og Gausdal\n")
    changed = (content / "agreements.yaml").read_bytes()
    undone = undo(history, content, entry.id)
    assert (content / "agreements.yaml").read_bytes() == original
    assert history.entry(entry.id).undone_by == undone.id and undone.undoes == entry.id
    assert history.entries()[0].summary == "Angret «Endret»"
    with pytest.raises(UndoRefused, match=f"«Endret» er allerede angret \\(lagring nr. {undone.id}\\)"):
        history.undo(entry.id, original)
    redone = undo(history, content, undone.id)
    assert (content / "agreements.yaml").read_bytes() == changed and redone.undoes == undone.id


def test_nothing_to_undo_when_the_file_is_already_as_before(content):
    history = History(content)
    original = (content / "agreements.yaml").read_bytes()
    entry = save(history, content, "agreements.yaml", BORGERLIG, b"        comment: Med Gausdal\n")
    with pytest.raises(UndoRefused, match="Ingenting å angre: agreements.yaml er allerede slik den var før «Endret»"):
        history.undo(entry.id, original)
    with pytest.raises(UndoRefused, match="lagring nr. 77 finnes ikke i historikken"):
        history.undo(77, original)


@st.composite
def two_edits_apart(draw):
    """A file of distinct lines, a save that replaced some of them, and a
    later change that replaced others, with at least one line between."""
    size = draw(st.integers(4, 40))
    lines = [f"linje {n}\n".encode() for n in range(size)]
    cut = draw(st.integers(1, size - 2))  # the save's lines are before the cut, the later change's after it

    def region(low, high):
        start = draw(st.integers(low, high))
        return start, draw(st.integers(start, min(high, start + 4)))

    saved_at, later_at = region(0, cut - 1), region(cut + 1, size)
    new_lines = draw(st.lists(st.sampled_from([b"ny\n", b"ny\r\n", b"\n", b"ny"]), max_size=3))
    other_lines = draw(st.lists(st.sampled_from([b"annen\n", b"\xc3\xa6\xc3\xb8\n"]), max_size=3))
    if saved_at[0] == saved_at[1] and not new_lines or later_at[0] == later_at[1] and not other_lines:
        new_lines, other_lines = [b"ny\n"], [b"annen\n"]
    return lines, saved_at, new_lines, later_at, other_lines


def _replaced(lines, at, new):
    return lines[: at[0]] + new + lines[at[1] :]


@settings(max_examples=300, deadline=None)
@given(two_edits_apart())
def test_undo_takes_out_exactly_the_save_and_keeps_a_later_change_apart_from_it(case):
    lines, saved_at, new, later_at, other = case
    before = b"".join(lines)
    after = b"".join(_replaced(lines, saved_at, new))
    # the later change, at the same lines as they stand after the save
    shift = len(new) - (saved_at[1] - saved_at[0])
    current = b"".join(_replaced(_replaced(lines, saved_at, new), (later_at[0] + shift, later_at[1] + shift), other))
    expected = b"".join(_replaced(lines, later_at, other))
    assert history_module.take_out(before, after, current, "f") == expected


def test_the_history_survives_a_restart(content):
    entry = save(History(content), content, "agreements.yaml", BORGERLIG, b"        comment: Med Gausdal\n")
    again = History(content)
    assert again.entries() == [entry]
    current = (content / "agreements.yaml").read_bytes()
    assert BORGERLIG in again.undo(entry.id, current)


def test_the_oldest_saves_are_trimmed_past_the_number_kept(content, tmp_path):
    history = History(content, tmp_path / "h.sqlite3", max_entries=5)
    ids = [history.record("notes.md", f"{n}\n".encode(), f"{n + 1}\n".encode(), f"lagring {n}").id for n in range(8)]
    assert [entry.id for entry in history.entries()] == ids[:2:-1]
    with pytest.raises(UndoRefused, match=f"lagring nr. {ids[0]} finnes ikke"):
        history.undo(ids[0], b"1\n")
    assert history.undo(ids[3], b"4\n") == b"3\n"
    with sqlite3.connect(history.store) as db:  # the contents only the trimmed saves had are gone too
        assert db.execute("SELECT count(*) FROM contents").fetchone() == (6,)


def test_the_oldest_saves_are_trimmed_past_the_bytes_kept(content, tmp_path):
    limit = 400_000
    history = History(content, tmp_path / "h.sqlite3", max_bytes=limit)
    files = [os.urandom(10_000).hex().encode() for _ in range(30)]  # random digits compress to half
    for n in range(29):
        history.record("notes.md", files[n], files[n + 1], f"lagring {n}")
        with sqlite3.connect(history.store) as db:
            (stored,) = db.execute(
                "SELECT (SELECT total(size) FROM contents) + (SELECT total(diff_size) FROM saves)"
            ).fetchone()
        assert stored <= limit
    kept = history.entries()
    assert 2 <= len(kept) < 29 and kept[0].summary == "lagring 28"
    oldest = int(kept[-1].summary.split()[1])
    assert history.undo(kept[-1].id, files[oldest + 1]) == files[oldest]
    # the file itself stays bounded: freed pages are used again
    assert history.store.stat().st_size < 2.5 * limit
    # a save larger than the bound is still kept, alone
    history.record("notes.md", files[29], os.urandom(limit // 2).hex().encode(), "stor")
    assert [entry.summary for entry in history.entries()] == ["stor"]


def test_the_store_is_in_the_data_folder_not_the_content_folder(content, data_home):
    history = History(content)
    assert history.store == default_store(content)
    assert history.store.parent == data_home / "oversikt" / "historikk"
    assert history.store.name == f"{history_module._hash(os.fsencode(content.resolve()))[:16]}.sqlite3"
    save(history, content, "agreements.yaml", BORGERLIG, b"        comment: Med Gausdal\n")
    with sqlite3.connect(history.store) as db:
        assert db.execute("SELECT value FROM about WHERE key = 'content'").fetchone() == (str(content.resolve()),)
    with pytest.raises(ValueError):
        History(content, content / "historikk.sqlite3")


def test_check_build_publish_roll_and_diff_never_see_the_history(content, data_home, tmp_path):
    history = History(content)
    save(history, content, "agreements.yaml", BORGERLIG, b"        comment: Med Gausdal\n")
    files = tree_digest(content)
    commands = [
        ["check", str(content)],
        ["build", str(content), "--out", str(tmp_path / "build"), "--format", "docx,pdf,html"],
        ["publish", str(content), "--out", str(tmp_path / "site")],
        ["roll", str(content), "--to", "2020-01-01", "--into", str(tmp_path / "next")],
        ["diff", str(tmp_path / "next"), str(content)],
    ]
    for command in commands:
        result = subprocess.run([sys.executable, "-m", "builder", *command], capture_output=True, cwd=tmp_path)
        assert result.returncode == 0, result.stderr.decode()
        assert tree_digest(content) == files
    made = [path for folder in ("build", "site", "next") for path in (tmp_path / folder).rglob("*")]
    assert made and (tmp_path / "site" / "index.html").exists()
    assert not [path for path in made if "histor" in path.name.lower() or "sqlite" in path.name]
    assert not [path for path in made if path.is_file() and path.read_bytes().startswith(b"SQLite format 3")]
    assert history.entries()  # the history is still there, and was all along in the data folder
    assert [path.name for path in (data_home / "oversikt" / "historikk").iterdir()] == [history.store.name]


@pytest.mark.parametrize(
    "spoil, message",
    [
        (lambda store: store.write_bytes(b"dette er ikke en database\n" * 100), "filen er skadet"),
        (lambda store: store.write_bytes(store.read_bytes()[:1024] + b"\0" * 4096), "filen er skadet"),
        (lambda store: _set_version(store, 99), "laget av en nyere versjon av oversikt"),
        (lambda store: store.unlink() or store.mkdir(), "kan ikke åpnes"),
    ],
    ids=["not sqlite", "truncated", "newer version", "a folder"],
)
def test_a_store_that_cannot_be_used_says_so_in_norwegian(content, spoil, message):
    History(content).record("agreements.yaml", b"a\n" * 2000, b"b\n" * 2000, "Endret")
    store = default_store(content)
    spoil(store)
    history = History(content)  # the server starts all the same
    for use in (
        history.entries,
        lambda: history.entry(1),
        lambda: history.undo(1, b"b\n"),
        lambda: history.record("agreements.yaml", b"a\n", b"b\n", "Endret"),
    ):
        with pytest.raises(HistoryUnavailable) as unavailable:
            use()
        assert message in str(unavailable.value) and str(store) in str(unavailable.value)
        # no SQLite error chained to it, to show up as a trace in a log
        error = unavailable.value
        assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


def _set_version(store: Path, version: int) -> None:
    with sqlite3.connect(store) as db:
        db.execute(f"PRAGMA user_version = {version}")


def test_damaged_contents_are_reported_not_returned(content):
    history = History(content)
    entry = history.record("notes.md", b"a\n", b"b\n", "Endret")
    with sqlite3.connect(history.store) as db:
        db.execute("UPDATE contents SET data = ? WHERE size > 0", (b"\x78\x9c garbage",))
    with pytest.raises(HistoryUnavailable, match="er skadet: innholdet fra lagring nr. 1 kan ikke leses"):
        history.undo(entry.id, b"c\n")


def test_a_store_held_by_another_program_is_reported(content, monkeypatch):
    history = History(content)
    history.record("notes.md", b"a\n", b"b\n", "Endret")
    monkeypatch.setattr(history_module, "WAIT_FOR_LOCK", 0.2)
    other = sqlite3.connect(history.store, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryUnavailable, match="et annet program skriver i den akkurat nå"):
            history.record("notes.md", b"b\n", b"c\n", "Endret")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert history.record("notes.md", b"b\n", b"c\n", "Endret").id == 2


def test_saves_from_several_threads_are_all_recorded(content):
    history = History(content)
    errors = []

    def saves(name: str) -> None:
        try:
            for n in range(40):
                History(content).record(f"{name}.md", f"{n}\n".encode(), f"{n + 1}\n".encode(), f"{name} {n}")
                history.entries(limit=5)
        except Exception as error:  # noqa: BLE001 - the test reports what any thread met
            errors.append(error)

    threads = [threading.Thread(target=saves, args=(name,)) for name in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    entries = history.entries(limit=1000)
    assert len(entries) == 120 and len({entry.id for entry in entries}) == 120
    for name in "abc":  # each thread's saves in its order
        mine = [entry.summary for entry in reversed(entries) if entry.file == f"{name}.md"]
        assert mine == [f"{name} {n}" for n in range(40)]


def test_the_user_name_never_fails(monkeypatch):
    def no_user():
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", no_user)
    monkeypatch.setenv("USERNAME", "kari")
    assert history_module.user_name() == "kari"
    monkeypatch.delenv("USERNAME")
    monkeypatch.delenv("USER", raising=False)
    assert history_module.user_name() == "ukjent"


def test_record_and_undo_of_a_one_megabyte_file_are_quick(tmp_path):
    content = generate(tmp_path / "stor", 5000, 16)
    before = (content / "agreements.yaml").read_bytes()
    assert len(before) > 900_000
    lines = before.splitlines(keepends=True)
    after = b"".join(lines[:30000] + [b"        comment: Endret her\n"] + lines[30001:])
    # changed since at two places far apart: the lines between them are matched line by line
    since = {100: b"        comment: Endret siden\n", 40000: b"        comment: Endret siden igjen\n"}
    later = b"".join(since.get(n, line) for n, line in enumerate(after.splitlines(keepends=True)))
    history = History(content)
    started = time.perf_counter()
    entry = history.record("agreements.yaml", before, after, "Endret")
    recorded = time.perf_counter() - started
    started = time.perf_counter()
    undone = history.undo(entry.id, later)
    merged = time.perf_counter() - started
    assert undone == b"".join(since.get(n, line) for n, line in enumerate(lines))
    print(f"\n1 MB: record {recorded * 1000:.0f} ms, undo with a later change {merged * 1000:.0f} ms")
    assert recorded < 3 and merged < 3  # seconds; a diff without autojunk takes longer than that alone
