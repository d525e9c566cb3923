"""The yearly cycle: roll content/ to 2020, see what changed with diff, and
build the new edition with the section on changes in both formats.

Expectations come from the YAML data (which agreements say terminated),
not from the output of the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from edits import replace
from readback import docx_paragraphs, docx_tables, pdf_text

from builder.build import build, prepare
from builder.changes import compare
from builder.cli import main
from builder.forms import vocabulary
from builder.norwegian import ascii_name
from builder.rolling import RollRefused, roll


def agreements_by_status(content_dir) -> dict[str, list[tuple[str, str]]]:
    """(category, name) of each agreement, by the status the YAML gives it (none: active)."""
    data = yaml.safe_load((content_dir / "agreements.yaml").read_text("utf-8"))
    found: dict[str, list[tuple[str, str]]] = {}
    for category in data["categories"]:
        for agreement in category["agreements"]:
            found.setdefault(agreement.get("status", "active"), []).append((category["name"], agreement["name"]))
    return found


@pytest.fixture(scope="module")
def rolled(content_dir, tmp_path_factory):
    return roll(content_dir, dt.date(2020, 1, 1), tmp_path_factory.mktemp("cycle") / "2020")


def test_content_has_terminated_agreements_to_roll_out(content_dir):
    assert len(agreements_by_status(content_dir)["terminated"]) == 2


def test_roll_leaves_out_the_terminated_and_keeps_the_rest(rolled, content_dir):
    statuses = agreements_by_status(content_dir)
    assert [(p.category, p.agreement.name) for p in rolled.left_out] == statuses["terminated"]
    new = prepare(rolled.target).edition
    assert new.as_of == dt.date(2020, 1, 1)
    assert [(c.name, a.name) for c in new.categories for a in c.agreements] == statuses["active"]
    assert rolled.planned == ()


def test_roll_changes_only_the_date_and_the_terminated_lines(rolled, content_dir):
    old = (content_dir / "report.yaml").read_text("utf-8")
    new = (rolled.target / "report.yaml").read_text("utf-8")
    dated = old.replace("as_of: 2019-01-01", "as_of: 2020-01-01")
    assert new.startswith(dated)
    (added,) = new[len(dated) :].splitlines()  # one line more: the edition it was rolled from
    earlier = yaml.safe_load(added)["changes_since"]
    assert (rolled.target / earlier).resolve() == content_dir.resolve()
    for text in (content_dir / "text").iterdir():
        assert (rolled.target / "text" / text.name).read_bytes() == text.read_bytes()
    before = (content_dir / "agreements.yaml").read_text("utf-8").splitlines()
    after = (rolled.target / "agreements.yaml").read_text("utf-8").splitlines()
    removed = [line for line in before if line not in after]
    assert all("terminated" in line or line.startswith("        ") or "- name:" in line for line in removed)
    added = [line for line in after if line not in before]
    kept = [a for c in yaml.safe_load((content_dir / "agreements.yaml").read_text("utf-8"))["categories"]
            for a in c["agreements"] if a.get("status") != "terminated"]  # fmt: skip
    assert added == [f"        id: {ascii_name(a['name'])}" for a in kept if "id" not in a], (
        "only ids added, comments kept"
    )


def test_diff_lists_the_ended_agreements_and_nothing_else(rolled, content_dir, capsys):
    changes = compare(prepare(content_dir).edition, prepare(rolled.target).edition)
    assert [(p.category, p.agreement.name) for p in changes.ended] == agreements_by_status(content_dir)["terminated"]
    assert changes.added == () and changes.changed == ()

    assert main(["diff", str(content_dir), str(rolled.target)]) == 0
    lines = capsys.readouterr().out.splitlines()
    ended = [f"  - {name} ({category})" for category, name in agreements_by_status(content_dir)["terminated"]]
    assert lines == ["Endringer siden 1. januar 2019", f"Avsluttede samarbeid ({len(ended)})", *ended]


def test_diff_after_editing_the_new_edition(rolled, content_dir, tmp_path, capsys):
    import shutil

    edited = tmp_path / "2020"
    shutil.copytree(rolled.target, edited)
    replace(
        "agreements.yaml",
        "      - name: Felles NAV-kontor\n        id: felles-nav-kontor\n        form: § 28 – 1B\n"
        "        members: [Lillehammer, Gausdal]\n        host: Lillehammer\n",
        "      - name: Felles NAV-kontor\n        id: felles-nav-kontor\n        form: Vertskommunesamarbeid\n"
        "        members: all\n        host: Gausdal\n      - name: Felles barnevern\n"
        "        form: Vertskommunesamarbeid\n        members: [Lillehammer, Gausdal]\n"
        "        host: Lillehammer\n        status: planned\n",
    ).apply(edited)
    changes = compare(prepare(content_dir).edition, prepare(edited).edition)
    assert [p.agreement.name for p in changes.added] == ["Felles barnevern"]
    (nav,) = changes.changed
    assert [(f.field, f.old, f.new) for f in nav.fields] == [
        ("form", "§ 28 – 1B", "Vertskommunesamarbeid"),
        ("members", ("Lillehammer", "Gausdal"), ("Lillehammer", "Gausdal", "Øyer")),
        ("host", "Lillehammer", "Gausdal"),
    ]
    assert main(["diff", str(content_dir), str(edited)]) == 0
    out = capsys.readouterr().out
    assert "Nye samarbeid (1)\n  - Felles barnevern (NAV)\n" in out
    assert (
        "Endrede samarbeid (1)\n  - Felles NAV-kontor (NAV)\n"
        "    - type samarbeid: § 28 – 1B → Vertskommunesamarbeid\n"
        "    - kommuner: Lillehammer og Gausdal → Lillehammer, Gausdal og Øyer\n"
        "    - vertskommune: Lillehammer → Gausdal\n"
    ) in out


def test_build_with_changes_since_shows_them_in_both_formats(rolled, content_dir, tmp_path):
    written, _ = build(rolled.target, tmp_path, changes_since=content_dir)
    files = {p.suffix: p for p in written}
    ended = [name for _, name in agreements_by_status(content_dir)["terminated"]]
    paragraphs = docx_paragraphs(files[".docx"])
    assert ("Heading 2", "Endringer siden 1. januar 2019") in paragraphs
    assert ("Heading 3", f"Avsluttede samarbeid ({len(ended)})") in paragraphs
    listed = [text for style, text in paragraphs if style == "List Bullet"]
    assert all(any(text.startswith(name + " (") for text in listed) for name in ended)
    text = " ".join(pdf_text(files[".pdf"]).split())
    assert "Endringer siden 1. januar 2019" in text and all(name in text for name in ended)
    (table,) = docx_tables(files[".docx"])
    assert table[0][0] == "Pr. 01.01.2020"
    assert not any(row[0] in ended for row in table), "the ended agreements are gone from the table"


def test_changes_since_a_later_edition_is_refused(rolled, content_dir, tmp_path, capsys):
    assert main(["build", str(content_dir), "--out", str(tmp_path), "--changes-since", str(rolled.target)]) == 1
    assert "ikke eldre enn denne" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_2018_act_warning_in_the_rolled_edition_only(rolled, content_dir):
    assert not [d for d in prepare(content_dir).diagnostics.warnings if "1992" in d.message]
    data = yaml.safe_load((rolled.target / "agreements.yaml").read_text("utf-8"))
    old_forms = [
        a["form"] for c in data["categories"] for a in c["agreements"]
        if a.get("form") and vocabulary().lookup(a["form"]).act == "1992"
    ]  # fmt: skip
    warnings = [d for d in rolled.diagnostics.warnings if "kommuneloven av 1992" in d.message]
    assert len(warnings) == len(old_forms) > 0
    assert all(d.location.path == rolled.target / "agreements.yaml" and d.location.line for d in warnings)
    hints = {d.hint for d in warnings}
    assert hints == {
        "vurder kommunalt oppgavefellesskap (kommuneloven § 19-1) eller interkommunalt selskap (IKS-loven)",
        "vurder administrativt vertskommunesamarbeid (kommuneloven § 20-2)",
    }


def test_the_2018_act_date(make_edition):
    def warned(as_of: str) -> bool:
        content = make_edition(replace("report.yaml", "as_of: 2019-01-01", f"as_of: {as_of}"))
        return any("1992" in d.message for d in prepare(content).diagnostics.warnings)

    assert not warned("2019-10-31") and warned("2019-11-01") and warned("2024-01-01")


def test_roll_flags_planned_agreements_and_years_in_the_text(make_edition, tmp_path, capsys):
    content = make_edition(
        replace(
            "agreements.yaml",
            "        comment: Med Ringebu\n",
            "        partners: [Ringebu]\n        status: planned\n",
        ),
        replace(
            "text/innledning.md",
            "Oversikten gjelder per {{ as_of | date_long }}.",
            "Fra 2019 er alt nytt. Oversikten gjelder per 1. januar 2019, tallene pr. 2019.",
        ),
    )
    target = tmp_path / "neste"
    assert main(["roll", str(content), "--to", "2020-01-01", "--into", str(target)]) == 0
    captured = capsys.readouterr()
    assert (
        f"{target / 'agreements.yaml'}:14:17: warning: samarbeidet 'Borgerlig vigsel' var under utredning"
        in captured.err
    )
    text = target / "text" / "innledning.md"
    warned = [line for line in captured.err.splitlines() if "årstallet 2019" in line]
    # an event's year ("Fra 2019") is only to be checked: {{ year }} would print 2020 there;
    # the edition's own date ("per 1. januar 2019", "pr. 2019") can come from as_of
    assert warned == [
        f"{text}:5:5: warning: teksten nevner årstallet 2019 (sjekk om det fortsatt stemmer)",
        f"{text}:5:56: warning: teksten nevner årstallet 2019 (sjekk om det fortsatt stemmer; {{{{ year }}}} gir"
        " utgavens år) [2 steder: linje 5 og 5]",
    ]
    assert "Under utredning, til vurdering (1):\n  - Borgerlig vigsel (Administrativt samarbeid)" in captured.out
    assert prepare(target).edition.as_of == dt.date(2020, 1, 1)


def test_the_year_hint_in_the_2019_text_is_only_to_check(content_dir, tmp_path, capsys):
    """barnevern.md: "starter opp fra januar 2019" is an event, not the edition's year."""
    assert main(["roll", str(content_dir), "--to", "2020-01-01", "--into", str(tmp_path / "2020")]) == 0
    (line,) = [line for line in capsys.readouterr().err.splitlines() if "årstallet" in line]
    assert line.endswith("barnevern.md:1:41: warning: teksten nevner årstallet 2019 (sjekk om det fortsatt stemmer)")


def test_roll_removes_a_category_left_empty(make_edition, tmp_path):
    content = make_edition(
        replace("agreements.yaml", "        form: Vedtak\n", "        form: Vedtak\n        status: terminated\n"),
        replace("agreements.yaml", "        part_of: helse\n", "        part_of: helse\n        status: terminated\n"),
    )
    result = roll(content, dt.date(2020, 1, 1), tmp_path / "neste")
    assert [p.agreement.name for p in result.left_out] == ["Regionalt helsesamarbeid", "Legevaktsamarbeid"]
    assert [c.name for c in result.edition.categories] == ["Administrativt samarbeid"]


def test_roll_refuses_to_orphan_a_part(make_edition, tmp_path, capsys):
    content = make_edition(
        replace("agreements.yaml", "        form: Vedtak\n", "        form: Vedtak\n        status: terminated\n")
    )
    assert main(["roll", str(content), "--to", "2020-01-01", "--into", str(tmp_path / "neste")]) == 1
    err = capsys.readouterr().err
    assert (
        "'Regionalt helsesamarbeid' er sagt opp og tas ut, men delavtalen 'Legevaktsamarbeid' viser fortsatt til den"
        in err
    )
    assert not (tmp_path / "neste").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_roll_refuses_a_date_not_after_the_edition(make_edition, tmp_path, capsys):
    assert main(["roll", str(make_edition()), "--to", "2019-01-01", "--into", str(tmp_path / "neste")]) == 2
    assert "oversikt: datoen 2019-01-01 er ikke etter utgavens dato (1. januar 2019)" in capsys.readouterr().err
    assert not (tmp_path / "neste").exists()


def test_roll_refuses_what_is_no_date(make_edition, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["roll", str(make_edition()), "--to", "2020-13-01", "--into", str(tmp_path / "neste")])
    assert exit_info.value.code == 2
    assert "'2020-13-01' er ingen dato; skriv ÅÅÅÅ-MM-DD" in capsys.readouterr().err


def test_roll_refuses_a_folder_with_files(make_edition, tmp_path):
    (tmp_path / "neste").mkdir()
    (tmp_path / "neste" / "notat.txt").write_text("behold meg")
    with pytest.raises(RollRefused, match="finnes og er ikke en tom mappe"):
        roll(make_edition(), dt.date(2020, 1, 1), tmp_path / "neste")
    assert [p.name for p in (tmp_path / "neste").iterdir()] == ["notat.txt"]


def test_a_members_changes_are_those_it_took_part_in(rolled, content_dir, tmp_path):
    data = yaml.safe_load((content_dir / "agreements.yaml").read_text("utf-8"))
    ended = [
        a["name"] for c in data["categories"] for a in c["agreements"]
        if a.get("status") == "terminated" and (a["members"] == "all" or "Øyer" in a["members"])
    ]  # fmt: skip
    assert 0 < len(ended) < len(agreements_by_status(content_dir)["terminated"])
    (written,), _ = build(rolled.target, tmp_path, ("docx",), member="Øyer", changes_since=content_dir)
    paragraphs = docx_paragraphs(written)
    start = paragraphs.index(("Heading 3", f"Avsluttede samarbeid ({len(ended)})")) + 1
    listed = [text for style, text in paragraphs[start : start + len(ended) + 1] if style == "List Bullet"]
    assert [text.split(" (")[0] for text in listed] == ended
