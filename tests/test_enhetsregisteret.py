"""``oversikt check --enhetsregisteret FIL``: the org.nrs against the register's
bulk download (gzip JSON or CSV), each problem a warning at its line, and
the file treated as untrusted input: a broken, foreign or bomb file is an
error at the file (exit 1), never a traceback. The time and memory on a file
of the real size are measured by tests/bench_enhetsregisteret.py."""

from __future__ import annotations

import gzip

import pytest
from register_files import (
    BANKRUPT,
    FINE,
    MISSING,
    ORGNR_LINES,
    WOUND_UP,
    WRONG_FORM,
    edition_entities,
    register_edition,
    write_csv_register,
    write_json_register,
)

from builder import enhetsregisteret, orgnr
from builder.cli import main


@pytest.fixture
def content(tmp_path):
    return register_edition(tmp_path / "content")


def _check(content, register, capsys, *more) -> tuple[int, list[str]]:
    code = main(["check", str(content), "--enhetsregisteret", str(register), *more])
    return code, capsys.readouterr().err.splitlines()


def _warnings_by_line(lines: list[str]) -> dict[int, str]:
    found = {}
    for line in lines:
        if "agreements.yaml:" in line and ": warning: " in line:
            found[int(line.split("agreements.yaml:")[1].split(":")[0])] = line
    return found


def _assert_named(lines: list[str]) -> None:
    warnings = _warnings_by_line(lines)
    assert set(warnings) == {ORGNR_LINES[n] for n in (MISSING, BANKRUPT, WRONG_FORM, WOUND_UP)}, lines
    assert f"{orgnr.shown(MISSING)} ('Nedlagt AS') finnes ikke i Enhetsregisteret" in warnings[ORGNR_LINES[MISSING]]
    assert f"{orgnr.shown(BANKRUPT)} ('Konkurs AS') er konkurs" in warnings[ORGNR_LINES[BANKRUPT]]
    assert (
        "er registrert som AS i Enhetsregisteret, men samarbeidet er oppgitt som IKS"
        in warnings[ORGNR_LINES[WRONG_FORM]]
    )
    assert "er under avvikling" in warnings[ORGNR_LINES[WOUND_UP]]
    assert ORGNR_LINES[FINE] not in warnings


def test_json_download_names_missing_bankrupt_and_wrongly_formed_at_their_lines(content, tmp_path, capsys):
    register = write_json_register(tmp_path / "enheter_alle.json.gz", 2000, edition_entities())
    code, lines = _check(content, register, capsys)
    assert code == 0
    _assert_named(lines)


def test_csv_download_is_read_too(content, tmp_path, capsys):
    register = write_csv_register(tmp_path / "enheter_alle.csv.gz", edition_entities())
    code, lines = _check(content, register, capsys)
    assert code == 0
    _assert_named(lines)


def test_strict_makes_the_register_warnings_errors(content, tmp_path, capsys):
    register = write_json_register(tmp_path / "enheter.json.gz", 10, edition_entities())
    code, lines = _check(content, register, capsys, "--strict")
    assert code == 1 and sum(": error: " in line for line in lines) == 4


def test_every_form_maps_to_real_register_codes():
    assert enhetsregisteret.REGISTER_FORMS["AS"] == ("AS", "ASA")
    assert enhetsregisteret.REGISTER_FORMS["Samvirkeforetak"] == ("SA",)
    assert enhetsregisteret.REGISTER_FORMS["KO"] == enhetsregisteret.REGISTER_FORMS["IPR"] == ("ANNA",)
    assert "Vertskommunesamarbeid" not in enhetsregisteret.REGISTER_FORMS


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (gzip.compress(b'[{"organisasjonsnummer": "923609016", "navn": '), "filen er ikke gyldig JSON"),
        (gzip.compress(b'[{"organisasjonsnummer": "923609016"} {"x": 1}]'), "filen er ikke gyldig JSON"),
        (gzip.compress(b"[1, 2, 3]"), "ikke av enheter"),
        (b"\x1f\x8b\x08\x00garbage", "ikke en hel gzip-fil"),
        (gzip.compress(b"<html>Not found</html>"), "verken Enhetsregisterets JSON eller CSV"),
        (gzip.compress(b"\xff\xfe\x00\x01" * 100), "verken JSON eller UTF-8-tekst"),
        (gzip.compress(b'organisasjonsnummer,navn\n"' + b"x" * 200_000 + b'"\n'), "CSV-filen kan ikke leses på linje"),
    ],
    ids=["cut-off", "malformed", "not-entities", "broken-gzip", "html", "binary", "huge-field"],
)
def test_a_broken_register_file_is_an_error_at_the_file(content, tmp_path, capsys, data, message):
    register = tmp_path / "enheter.json.gz"
    register.write_bytes(data)
    code, lines = _check(content, register, capsys)
    assert code == 1, lines
    assert any(line.startswith(f"{register}: error: ") and message in line for line in lines), lines
    assert not any("Traceback" in line or "intern feil" in line for line in lines)


def test_a_gzip_bomb_stops_at_the_bound(content, tmp_path, capsys, monkeypatch):
    register = tmp_path / "bombe.json.gz"
    with gzip.open(register, "wb", compresslevel=9) as out:
        out.write(b"[" + b" " * 20_000_000)  # 20 MB of nothing, some 20 kB packed
    monkeypatch.setattr(enhetsregisteret, "MAX_UNPACKED_BYTES", 1_000_000)
    code, lines = _check(content, register, capsys)
    assert code == 1
    assert any(f"{register}: error: filen pakkes ut til mer enn" in line for line in lines), lines


def test_a_missing_register_file_is_an_error(content, tmp_path, capsys):
    code, lines = _check(content, tmp_path / "finnes-ikke.json.gz", capsys)
    assert code == 1 and any("registerfilen kan ikke leses" in line for line in lines), lines
