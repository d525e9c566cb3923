"""The corpus of broken editions: each an editor's mistake made in a copy of
``tests/editions/base``, with the message, the place and the exit code it
must give. No mistake may produce a traceback, a written file or a change
to the content folder.

The base files, for reading the positions below:

report.yaml                               agreements.yaml
 1 as_of: 2019-01-01                       1 categories:
 2 region: Lillehammer-regionen            2   - name: Administrativt samarbeid
 3 members: [Lillehammer, Gausdal, Øyer]   3     agreements:
 4 language: nb                            4       - name: Felles personvernombud
 5 text: [innledning.md]                   5         form: § 28 – 1B
                                           6         members: all
text/innledning.md                         7         comment: Lillehammer vertskommune
 1 # Innledning                            8       - name: Borgerlig vigsel
 2                                         9         form: Avtale
 3 {{ members | alphabetical | and_list }} utgjør {{ region }}.
 4                                        10         members: [Lillehammer, Gausdal]
 5 Oversikten gjelder per {{ as_of | date_long }}.
                                          11         comment: Med Ringebu
                                          12   - name: Helse og omsorg
                                          13     agreements:
                                          14       - name: Regionalt helsesamarbeid
                                          15         id: helse
                                          16         form: Vedtak
                                          17         members: all
                                          18       - name: Legevaktsamarbeid
                                          19         part_of: helse
                                          20         form: § 28 – 1B
                                          21         members: [Lillehammer, Øyer]
                                          22         comment: "Lillehammer vertskommune"
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from edits import Edit, delete, replace, tree_digest, write

from builder.cli import main

A, R, T = "agreements.yaml", "report.yaml", "text/innledning.md"

BILLION_LAUGHS = "lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10)
)


@dataclass(frozen=True)
class Mistake:
    id: str
    edits: tuple[Edit, ...]
    where: str  # path in the edition:line:col
    message: str  # must be in the message
    hint: str = ""  # must be in the hint, in parentheses after the message
    errors: int = 1  # how many errors the run reports: a mistake is reported once, without follow-on errors
    also: tuple[str, ...] = field(default=())  # more places:fragments reported for the same mistake


MISTAKES = [
    # --- YAML syntax
    Mistake("tab-indentation", (replace(A, "        form: Avtale\n", "\t  form: Avtale\n"),),
            f"{A}:9:1", "tabulator der YAML krever mellomrom", "bruk mellomrom"),
    Mistake("tab-after-colon", (replace(R, "region: Lillehammer", "region:\tLillehammer"),),
            f"{R}:2:8", "tabulator der YAML krever mellomrom"),
    Mistake("indented-too-far", (replace(A, "        form: Avtale", "          form: Avtale"),),
            f"{A}:9:15", "kolon på et sted der det ikke kan stå", "sjekk innrykket"),
    Mistake("indented-too-little", (replace(A, "        form: Avtale", "       form: Avtale"),),
            f"{A}:9:8", "innrykket passer ikke med linjene over", "like mange mellomrom"),
    Mistake("unclosed-double-quote", (replace(A, "comment: Med Ringebu", 'comment: "Med Ringebu'),),
            f"{A}:11:18", "anførselstegnet som åpnes her, lukkes ikke på samme linje",
            "YAML stoppet først på linje 22"),
    Mistake("unclosed-quote-at-end", (replace(A, 'comment: "Lillehammer vertskommune"', "comment: 'Lillehammer"),),
            f"{A}:22:18", "anførselstegnet som åpnes her, lukkes aldri"),
    Mistake("duplicate-key", (replace(A, "        form: Avtale\n", "        form: Avtale\n        form: Vedtak\n"),),
            f"{A}:10:9", "nøkkelen 'form' står to ganger i samme oppslag (første gang på linje 9)"),
    Mistake("unclosed-list", (replace(R, "Gausdal, Øyer]", "Gausdal, Øyer"),),
            f"{R}:4:9", "en liste som er åpnet med [ lukkes ikke"),
    # --- unknown keys
    Mistake("unknown-key", (replace(A, "comment: Med Ringebu", "coment: Med Ringebu"),),
            f"{A}:11:9", "ukjent nøkkel 'coment' i samarbeidet", "mente du 'comment'?"),
    Mistake("unknown-report-key", (replace(R, "language: nb", "langauge: nb"),),
            f"{R}:4:1", "ukjent nøkkel 'langauge' i report.yaml", "mente du 'language'?"),
    # --- wrong types
    Mistake("report-members-a-string", (replace(R, "members: [Lillehammer, Gausdal, Øyer]", "members: Lillehammer"),),
            f"{R}:3:10", "'members' skal være en liste, men er tekst", "skriv en liste: [Lillehammer]"),
    Mistake("members-a-string", (replace(A, "members: [Lillehammer, Gausdal]", "members: Lillehammer"),),
            f"{A}:10:18", "'members' skal være en liste, men er tekst", "skriv en liste: [Lillehammer]"),
    Mistake("members-alle", (replace(A, "members: [Lillehammer, Gausdal]", "members: alle"),),
            f"{A}:10:18", "'members' er 'alle'", "skriv all"),
    Mistake("month-13", (replace(R, "as_of: 2019-01-01", "as_of: 2019-13-01"),),
            f"{R}:1:8", "'as_of' skal være en dato på formen ÅÅÅÅ-MM-DD, men er '2019-13-01'", "måneden er 13"),
    Mistake("february-30", (replace(R, "as_of: 2019-01-01", "as_of: 2019-02-30"),),
            f"{R}:1:8", "'as_of' skal være en dato på formen ÅÅÅÅ-MM-DD, men er '2019-02-30'",
            "februar 2019 har ikke dag 30"),
    Mistake("date-in-words", (replace(R, "as_of: 2019-01-01", "as_of: 1. januar 2019"),),
            f"{R}:1:8", "'as_of' skal være en dato på formen ÅÅÅÅ-MM-DD", "for eksempel 2019-01-01"),
    Mistake("number-for-text", (replace(R, "region: Lillehammer-regionen", "region: 2019"),),
            f"{R}:2:9", "'region' skal være tekst, men er et tall", "sett verdien i anførselstegn"),
    Mistake("number-for-name", (replace(A, "name: Borgerlig vigsel", "name: 112"),),
            f"{A}:8:15", "navnet på samarbeidet skal være tekst, men er et tall"),
    Mistake("list-for-comment", (replace(A, "comment: Med Ringebu", "comment: [Med Ringebu]"),),
            f"{A}:11:18", "'comment' skal være tekst, men er en liste"),
    # --- members
    Mistake("member-without-ø", (replace(A, "members: [Lillehammer, Øyer]", "members: [Lillehammer, Oyer]"),),
            f"{A}:21:32", "'Oyer' er ikke en av kommunene i report.yaml", "mente du 'Øyer'?"),
    Mistake("member-wrong-case", (replace(A, "members: [Lillehammer, Gausdal]", "members: [Lillehammer, gausdal]"),),
            f"{A}:10:32", "'gausdal' er ikke en av kommunene i report.yaml", "mente du 'Gausdal'?"),
    Mistake("member-twice-in-agreement", (replace(A, "[Lillehammer, Gausdal]", "[Lillehammer, Gausdal, Lillehammer]"),),
            f"{A}:10:41", "kommunen 'Lillehammer' står to ganger i 'members'", "første gang i kolonne 19"),
    Mistake("report-members-empty", (replace(R, "members: [Lillehammer, Gausdal, Øyer]", "members: []"),),
            f"{R}:3:10", "'members' er tom", "list kommunene"),
    Mistake("report-member-twice", (replace(R, "Gausdal, Øyer]", "Gausdal, Øyer, Gausdal]"),),
            f"{R}:3:39", "kommunen 'Gausdal' står to ganger i 'members'"),
    # --- forms
    Mistake("form-typo", (replace(A, "form: Avtale", "form: Avtal"),), f"{A}:9:15",
            "ukjent type samarbeid 'Avtal'", "mente du 'Avtale'?"),
    Mistake("form-unknown-paragraph", (replace(A, "form: Avtale", "form: § 28 – 1D"),), f"{A}:9:15",
            "ukjent type samarbeid '§ 28 – 1D'", "mente du '§ 28 – 1C' eller '§ 28 – 1B'?"),
    Mistake("form-far-off", (replace(A, "form: Avtale", "form: Kommunalt foretak"),), f"{A}:9:15",
            "ukjent type samarbeid 'Kommunalt foretak'", "kjente typer er § 27, § 28 – 1B"),
    # --- facts: host, partners, status, since, summary
    Mistake("status-typo", (replace(A, "comment: Med Ringebu", "status: terminatd"),),
            f"{A}:11:17", "ukjent status 'terminatd'", "mente du 'terminated'?"),
    Mistake("status-in-norwegian", (replace(A, "comment: Med Ringebu", "status: sagt opp"),),
            f"{A}:11:17", "ukjent status 'sagt opp'", "mente du 'terminated'?"),
    Mistake("partners-a-string", (replace(A, "comment: Med Ringebu", "partners: Ringebu"),),
            f"{A}:11:19", "'partners' skal være en liste, men er tekst", "skriv en liste: [Ringebu]"),
    Mistake("partner-is-a-member", (replace(A, "comment: Med Ringebu", "partners: [Ringebu, Øyer]"),),
            f"{A}:11:29", "'Øyer' er en av kommunene i report.yaml, ikke en deltaker utenfor regionen",
            "merk kommunen under 'members'"),
    Mistake("partner-twice", (replace(A, "comment: Med Ringebu", "partners: [Ringebu, Ringebu]"),),
            f"{A}:11:29", "'Ringebu' står to ganger i 'partners'"),
    Mistake("since-no-year", (replace(A, "comment: Med Ringebu", "since: 19"),),
            f"{A}:11:16", "'since' er 19, som ikke er et årstall", "skriv et årstall"),
    Mistake("since-impossible-date", (replace(A, "comment: Med Ringebu", "since: 2018-02-30"),),
            f"{A}:11:16", "'since' skal være en dato på formen ÅÅÅÅ-MM-DD", "februar 2018 har ikke dag 30"),
    # the years 'since' may have: 1800 to 2100 (tests/test_content.py reads the bounds themselves)
    Mistake("since-year-before-1800", (replace(A, "comment: Med Ringebu", "since: 1799"),),
            f"{A}:11:16", "'since' er 1799, som ikke er et årstall", "skriv et årstall fra 1800 til 2100"),
    Mistake("since-year-after-2100", (replace(A, "comment: Med Ringebu", "since: 2101"),),
            f"{A}:11:16", "'since' er 2101, som ikke er et årstall", "skriv et årstall fra 1800 til 2100"),
    Mistake("since-year-20199", (replace(A, "comment: Med Ringebu", "since: 20199"),),
            f"{A}:11:16", "'since' er 20199, som ikke er et årstall", "skriv et årstall fra 1800 til 2100"),
    Mistake("since-date-before-1800", (replace(A, "comment: Med Ringebu", "since: 1799-12-31"),),
            f"{A}:11:16", "'since' er i år 1799", "skriv en dato fra 1800 til 2100"),
    Mistake("since-date-after-2100", (replace(A, "comment: Med Ringebu", "since: 01.01.2101"),),
            f"{A}:11:16", "'since' er i år 2101", "skriv en dato fra 1800 til 2100"),
    Mistake("as-of-before-1900", (replace(R, "as_of: 2019-01-01", "as_of: 31.12.1899"),),
            f"{R}:1:8", "'as_of' er i år 1899", "skriv en dato fra 1900 til 2100"),
    Mistake("as-of-after-2100", (replace(R, "as_of: 2019-01-01", "as_of: 2101-01-01"),),
            f"{R}:1:8", "'as_of' er i år 2101", "skriv en dato fra 1900 til 2100"),
    Mistake("host-a-list", (replace(A, "comment: Med Ringebu", "host: [Lillehammer]"),),
            f"{A}:11:15", "'host' skal være tekst, men er en liste"),
    Mistake("summary-not-yes-or-no", (replace(R, "language: nb", "language: nb\nsummary: ja"),),
            f"{R}:5:10", "'summary' skal være true eller false, men er tekst"),
    # --- structure
    Mistake("duplicate-name", (replace(A, "name: Borgerlig vigsel", "name: Felles personvernombud"),),
            f"{A}:8:9", "samarbeidet 'Felles personvernombud' står to ganger i kategorien 'Administrativt samarbeid'"
            " (første gang på linje 4)"),
    Mistake("duplicate-id", (replace(A, "        part_of: helse\n", "        id: helse\n"),),
            f"{A}:19:13", "id 'helse' er brukt før, på linje 15"),
    Mistake("part-of-missing-id", (replace(A, "part_of: helse", "part_of: helsa"),),
            f"{A}:19:18", "'part_of' viser til id 'helsa', som ikke finnes", "mente du 'helse'?"),
    Mistake("part-of-itself", (replace(A, "        id: helse\n", "        id: helse\n        part_of: helse\n"),),
            f"{A}:16:18", "samarbeidet med id 'helse' er oppgitt som del av seg selv"),
    Mistake("part-of-cycle", (
        replace(A, "        id: helse\n", "        id: helse\n        part_of: lege\n"),
        replace(A, "        part_of: helse\n", "        id: lege\n        part_of: helse\n"),
    ), f"{A}:16:18", "'part_of' går i ring: 'helse' → 'lege' → 'helse'"),
    Mistake("empty-category", (replace(A, "  - name: Helse og omsorg\n", "  - name: Tom\n    agreements: []\n"
                                       "  - name: Helse og omsorg\n"),),
            f"{A}:13:17", "kategorien 'Tom' har ingen samarbeid", "legg til samarbeid eller fjern kategorien"),
    Mistake("category-without-agreements-key", (replace(A, "  - name: Helse og omsorg\n", "  - name: Tom\n"
                                                         "  - name: Helse og omsorg\n"),),
            f"{A}:12:5", "kategorien mangler nøkkelen 'agreements'"),
    Mistake("agreement-without-name", (replace(A, "      - name: Borgerlig vigsel\n        form", "      - form"),),
            f"{A}:8:9", "samarbeidet mangler nøkkelen 'name'"),
    Mistake("report-without-as-of", (replace(R, "as_of: 2019-01-01\n", ""),),
            f"{R}:1:1", "report.yaml mangler nøkkelen 'as_of'"),
    Mistake("no-categories", (write(A, "categories: []\n"),),
            f"{A}:1:13", "'categories' skal være en liste av kategorier"),
    # --- narrative
    Mistake("undefined-placeholder", (replace(T, "{{ region }}", "{{ regionn }}"),),
            f"{T}:3:51", "ukjent plassholder 'regionn'", "mente du 'region'?"),
    Mistake("placeholder-not-closed", (replace(T, "{{ region }}", "{{ region }"),),
            f"{T}:3:48", "plassholderen lukkes ikke riktig", "}}"),
    Mistake("placeholder-never-ends", (replace(T, "{{ as_of | date_long }}", "{{ as_of | date_long"),),
            f"{T}:5:24", "en plassholder eller en blokk avsluttes aldri"),
    Mistake("unknown-filter", (replace(T, "date_long", "date_lang"),),
            f"{T}:5:35", "ukjent filter 'date_lang'", "mente du 'date_long'"),
    Mistake("sandbox", (replace(T, "{{ region }}", "{{ region.__class__.__mro__ }}"),),
            f"{T}:3:48", "plassholderen prøver å nå noe som ikke er tillatt"),
    # --- unsafe and explosive YAML
    Mistake("python-tag", (replace(R, "region: Lillehammer-regionen",
                                   "region: !!python/object/apply:os.system ['echo hacked > hacked.txt']"),),
            f"{R}:2:9", "YAML-merkelappen 'tag:yaml.org,2002:python/object/apply:os.system' er ikke tillatt"),
    Mistake("custom-tag", (replace(A, "comment: Med Ringebu", "comment: !tekst Med Ringebu"),),
            f"{A}:11:18", "YAML-merkelappen '!tekst' er ikke tillatt"),
    Mistake("billion-laughs", (replace(R, "language: nb\n", "language: nb\n" + BILLION_LAUGHS),),
            f"{R}:1:1", "filen blir for stor når ankere og aliaser (&/*) foldes ut (over 1 000 000 verdier)"),
    Mistake("alias-inside-itself", (replace(R, "language: nb\n", "language: nb\nloop: &loop [*loop]\n"),),
            f"{R}:1:1", "filen blir for stor når ankere og aliaser"),
    Mistake("undefined-alias", (replace(A, "members: all\n        comment: Lillehammer", "members: *alle\n"
                                        "        comment: Lillehammer"),),
            f"{A}:6:18", "aliaset (*) viser til et anker (&) som ikke finnes"),
    Mistake("nested-too-deep", (replace(R, "language: nb\n", "language: nb\ndeep: " + "[" * 2000 + "]" * 2000 + "\n"),),
            R, "filen har for mange nivåer inne i hverandre"),
    # --- files
    Mistake("text-file-misspelt", (replace(R, "text: [innledning.md]", "text: [innleding.md]"),),
            f"{R}:5:8", "tekstfilen 'innleding.md' finnes ikke", "mente du 'innledning.md'?"),
    Mistake("text-file-deleted", (delete(T),), f"{R}:5:8", "tekstfilen 'innledning.md' finnes ikke"),
    Mistake("text-file-outside", (replace(R, "text: [innledning.md]", "text: [../report.yaml]"),),
            f"{R}:5:8", "tekstfilen '../report.yaml' ligger utenfor mappen"),
    Mistake("report-missing", (delete(R),), R, "filen finnes ikke"),
    Mistake("agreements-empty", (write(A, "# ingenting ennå\n"),), f"{A}:1:1", "filen er tom"),
    Mistake("latin-1-yaml", (replace(A, b"Med Ringebu", "Med Ringebø".encode("latin-1")),),
            f"{A}:11:28", "filen er ikke UTF-8: byte 0xF8 ved byte-posisjon 309", "Latin-1 eller Windows-1252"),
    Mistake("latin-1-markdown", (replace(T, "utgjør".encode(), "utgjør".encode("latin-1")),),
            f"{T}:3:45", "filen er ikke UTF-8: byte 0xF8 ved byte-posisjon 58"),
    # --- characters no writer can carry
    Mistake("vertical-tab-pasted", (replace(A, "Med Ringebu", "Med\vRingebu"),),
            f"{A}:11:21", "tegnet U+000B vertikal tabulator kan ikke skrives ut", "limes inn fra andre programmer"),
    Mistake("escaped-control-character", (replace(A, "name: Borgerlig vigsel", 'name: "Borgerlig\\x07 vigsel"'),),
            f"{A}:8:15", "tegnet U+0007 kan ikke skrives ut (tegn nr. 10 i verdien)"),
    Mistake("form-feed-in-markdown", (replace(T, "Oversikten gjelder", "Oversikten\fgjelder"),),
            f"{T}:5:11", "tegnet U+000C sideskift kan ikke skrives ut"),
    Mistake("tab-inside-quotes", (replace(A, "name: Borgerlig vigsel", 'name: "Borgerlig\tvigsel"'),),
            f"{A}:8:15", "tegnet U+0009 tabulator kan ikke skrives ut (tegn nr. 10 i verdien)"),
    Mistake("line-break-in-name",
            (replace(A, "name: Borgerlig vigsel", "name: |\n          Borgerlig\n          vigsel"),),
            f"{A}:8:15", "tegnet U+000A linjeskift kan ikke stå i en verdi", "bruk '>'"),
    Mistake("line-separator", (replace(A, "Med Ringebu", "Med\u2028Ringebu"),),
            f"{A}:11:21", "tegnet U+2028 LINE SEPARATOR kan ikke skrives ut"),
    Mistake("private-use", (replace(A, "Med Ringebu", "Med \ue000 Ringebu"),),
            f"{A}:11:22", "tegnet U+E000 kan ikke skrives ut"),
    Mistake("no-glyph-cjk", (replace(A, "Med Ringebu", "Med 中 Ringebu"),),
            f"{A}:11:22", "skrifttypen i oppsettet 'oversikt' har ikke tegnet U+4E2D CJK UNIFIED IDEOGRAPH-4E2D ('中')",
            "bytt ut tegnet"),
    Mistake("no-glyph-emoji-twice", (replace(T, "Oversikten gjelder", "Oversikten 😀 gjelder 😀"),),
            f"{T}:5:12", "skrifttypen i oppsettet 'oversikt' har ikke tegnet U+1F600 GRINNING FACE ('😀')", errors=2,
            also=(f"{T}:5:22: error: skrifttypen i oppsettet 'oversikt' har ikke tegnet U+1F600",)),
    Mistake("no-glyph-in-title", (replace(R, "language: nb", "language: nb\ntitle: Oversikt ✓"),),
            f"{R}:5:17", "skrifttypen i oppsettet 'oversikt' har ikke tegnet U+2713 CHECK MARK ('✓')"),
]  # fmt: skip


def _problem_lines(err: str, content: Path, severity: str = "error") -> list[str]:
    return [line for line in err.splitlines() if f": {severity}: " in line]


def _assert_reported(err: str, content: Path, mistake: Mistake) -> None:
    assert "Traceback" not in err
    lines = _problem_lines(err, content)
    head = f"{content / mistake.where}: error: {mistake.message}"
    found = [line for line in lines if line.startswith(str(content / mistake.where) + ": ") and mistake.message in line]
    assert found, f"expected {head!r} in:\n{err}"
    assert found[0].startswith(head), f"{found[0]!r} does not start with {head!r}"
    if mistake.hint:
        assert mistake.hint in found[0].partition(mistake.message)[2], found[0]
    for other in mistake.also:
        assert any(line.startswith(str(content / other.partition(":")[0]) + ":" + other.partition(":")[2])
                   for line in lines), f"{other!r} not in:\n{err}"  # fmt: skip
    assert len(lines) == mistake.errors, f"expected {mistake.errors} error(s), got:\n{err}"
    assert f"{mistake.errors} feil" in err.splitlines()[-1]


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.id)
def test_mistake_is_reported_where_it_stands(mistake, make_edition, tmp_path, capsys, monkeypatch):
    content = make_edition(*mistake.edits)
    monkeypatch.chdir(tmp_path)
    before = tree_digest(tmp_path)
    out = tmp_path / "out"

    assert main(["check", str(content)]) == 1
    _assert_reported(capsys.readouterr().err, content, mistake)

    assert main(["build", str(content), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    _assert_reported(captured.err, content, mistake)
    assert captured.out == ""
    assert tree_digest(tmp_path) == before, "a failed build or a check wrote or changed a file"


def test_content_folder_missing(tmp_path, capsys):
    missing = tmp_path / "innhold"
    assert main(["build", str(missing), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{missing}: error: innholdsmappen finnes ikke (oppgi mappen med report.yaml)",
        "1 feil, 0 advarsler",
    ]
    assert list(tmp_path.iterdir()) == []


def test_content_folder_is_a_file(tmp_path, capsys):
    (tmp_path / "report.yaml").write_text("as_of: 2019-01-01\n")
    assert main(["check", str(tmp_path / "report.yaml")]) == 1
    assert "innholdsmappen er en fil, ikke en mappe" in capsys.readouterr().err


def test_python_tag_runs_no_code(make_edition, tmp_path, monkeypatch, capsys):
    (mistake,) = [m for m in MISTAKES if m.id == "python-tag"]
    monkeypatch.chdir(tmp_path)
    main(["check", str(make_edition(*mistake.edits))])
    assert not (tmp_path / "hacked.txt").exists()


@pytest.mark.parametrize("verb", ["check", "build"])
def test_the_real_command_exits_1_without_a_traceback(verb, make_edition, tmp_path):
    """Through ``python -m builder``, as an editor runs it."""
    content = make_edition(replace(A, "comment: Med Ringebu", "coment: Med Ringebu"))
    out = tmp_path / "out"
    args = [sys.executable, "-m", "builder", verb, str(content)] + (["--out", str(out)] if verb == "build" else [])
    result = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{content / A}:11:9: error: ukjent nøkkel 'coment' i samarbeidet (mente du 'comment'?)",
        "1 feil, 0 advarsler",
    ]
    assert not out.exists()


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["build", "--format", "odt"])
    assert exit.value.code == 2
    assert "ukjent format 'odt'" in capsys.readouterr().err


def test_all_problems_of_a_run_are_printed_together_sorted_with_a_count(make_edition, capsys):
    content = make_edition(
        replace(T, "{{ region }}", "{{ regionn }}"),
        replace(A, "form: Avtale", "form: Avtal"),
        replace(R, "region: Lillehammer-regionen", "region: 'Lillehammer-regionen '"),
        replace(A, "comment: Med Ringebu", "coment: Med Ringebu"),
        replace(A, "members: [Lillehammer, Øyer]", "members: [Lillehammer, Oyer]"),
    )
    assert main(["check", str(content)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert [line.replace(f"{content}/", "") for line in lines] == [
        "agreements.yaml:9:15: error: ukjent type samarbeid 'Avtal' (mente du 'Avtale'?)",
        "agreements.yaml:11:9: error: ukjent nøkkel 'coment' i samarbeidet (mente du 'comment'?)",
        "agreements.yaml:21:32: error: 'Oyer' er ikke en av kommunene i report.yaml (mente du 'Øyer'?)",
        "report.yaml:2:9: warning: verdien begynner eller slutter med mellomrom"
        " (fjern mellomrommet hvis det ikke skal stå der)",
        "text/innledning.md:3:51: error: ukjent plassholder 'regionn' (mente du 'region'?)",
        "4 feil, 1 advarsel",
    ]


def test_warnings_pass_but_strict_makes_them_errors(make_edition, tmp_path, capsys):
    content = make_edition(replace(A, "        form: Avtale\n", ""))
    where = f"{content / A}:8:9"

    assert main(["build", str(content), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{where}: warning: samarbeidet 'Borgerlig vigsel' har ingen type samarbeid ('form')",
        "0 feil, 1 advarsel",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["oversikt-2019.docx", "oversikt-2019.pdf"]

    strict_out = tmp_path / "strict"
    assert main(["build", str(content), "--out", str(strict_out), "--strict"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{where}: error: samarbeidet 'Borgerlig vigsel' har ingen type samarbeid ('form')",
        "1 feil, 0 advarsler",
    ]
    assert not strict_out.exists()
    assert main(["check", str(content), "--strict"]) == 1


def test_syntax_errors_in_several_categories_come_at_once(make_edition, capsys):
    """The parser stops at its first error; each category after it is read
    again on its own, so the editor mends them all in one round. Where lines
    follow an error in its own category, more may come once it is mended."""
    content = make_edition(
        replace(A, "        form: Avtale", "          form: Avtale"),  # category 1, line 9
        replace(A, "        form: Vedtak", "       form: Vedtak"),  # category 2, line 16
    )
    assert main(["check", str(content)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split(": error: ")[0] for line in err[:-1]] == [f"{content / A}:9:15", f"{content / A}:16:8"]
    assert "kolon på et sted der det ikke kan stå" in err[0] and "innrykket passer ikke" in err[1]
    assert all(line.endswith("; det kan komme flere feil når denne er rettet)") for line in err[:-1])
    assert err[-1] == "2 feil, 0 advarsler"


def test_a_syntax_error_on_the_last_line_says_nothing_of_more(make_edition, capsys):
    content = make_edition(replace(A, 'comment: "Lillehammer vertskommune"', "comment: 'Lillehammer"))
    assert main(["check", str(content)]) == 1
    (line, summary) = capsys.readouterr().err.splitlines()
    assert "anførselstegnet som åpnes her, lukkes aldri" in line and "flere feil" not in line
