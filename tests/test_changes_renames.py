"""A renamed agreement is the same agreement: followed by its ``id`` (which
``roll`` gives every agreement that has none) or by ``previous_name``, and
shown as changed ("navn: … → …"), through ``oversikt diff`` and the build's
section on changes. And a name that ends with a full stop is not followed by
another before more text (issue 23)."""

from __future__ import annotations

import shutil

import yaml
from edits import replace
from readback import docx_paragraphs

from builder.build import build
from builder.cli import main


def next_year(content, folder, *edits):
    """``content`` as the next edition: a copy with as_of 2020-01-01 and ``edits``."""
    target = folder / "2020"
    shutil.copytree(content, target)
    for edit in (replace("report.yaml", "as_of: 2019-01-01", "as_of: 2020-01-01"), *edits):
        edit.apply(target)
    return target


def diff(old, new, capsys) -> list[str]:
    assert main(["diff", str(old), str(new)]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_new_name_with_the_same_id_is_a_change(make_edition, tmp_path, capsys):
    old = make_edition()
    new = next_year(old, tmp_path, replace("agreements.yaml", "- name: Regionalt helsesamarbeid\n",
                                           "- name: Regionalt helsesamarbeid i Gudbrandsdalen\n"))  # fmt: skip
    assert diff(old, new, capsys) == [
        "Endringer siden 1. januar 2019",
        "Endrede samarbeid (1)",
        "  - Regionalt helsesamarbeid i Gudbrandsdalen (Helse og omsorg)",
        "    - navn: Regionalt helsesamarbeid → Regionalt helsesamarbeid i Gudbrandsdalen",
    ]


def test_previous_name_follows_an_agreement_without_an_id(make_edition, tmp_path, capsys):
    old = make_edition()
    new = next_year(
        old,
        tmp_path,
        replace("agreements.yaml", "- name: Borgerlig vigsel\n",
                "- name: Borgerlig vigsel og navnesermoni.\n        previous_name: Borgerlig vigsel\n"),
    )  # fmt: skip
    assert diff(old, new, capsys) == [
        "Endringer siden 1. januar 2019",
        "Endrede samarbeid (1)",
        "  - Borgerlig vigsel og navnesermoni (Administrativt samarbeid)",  # no ". (": the name's stop goes
        "    - navn: Borgerlig vigsel → Borgerlig vigsel og navnesermoni.",
    ]
    written, _ = build(new, tmp_path / "ut", ("docx",), changes_since=old)
    paragraphs = docx_paragraphs(written[0])
    assert ("Heading 3", "Endrede samarbeid (1)") in paragraphs
    assert ("List Bullet", "Borgerlig vigsel og navnesermoni (Administrativt samarbeid)") in paragraphs
    assert not [text for _, text in paragraphs if ". (" in text]


def test_without_id_or_previous_name_a_rename_is_ended_and_added(make_edition, tmp_path, capsys):
    old = make_edition()
    new = next_year(old, tmp_path, replace("agreements.yaml", "- name: Borgerlig vigsel\n", "- name: Vigsler\n"))
    lines = diff(old, new, capsys)
    assert "Nye samarbeid (1)" in lines and "Avsluttede samarbeid (1)" in lines


def test_previous_name_is_checked(make_edition, capsys):
    content = make_edition(
        replace("agreements.yaml", "- name: Borgerlig vigsel\n",
                "- name: Borgerlig vigsel\n        previous_name: Borgerlig vigsel\n"),
        replace("agreements.yaml", "        id: helse\n", "        id: helse\n        previous_name: Helse\n"),
    )  # fmt: skip
    assert main(["check", str(content)]) == 1
    err = capsys.readouterr().err
    agreements = content / "agreements.yaml"
    assert (
        f"{agreements}:9:24: error: 'previous_name' er det samme som navnet 'Borgerlig vigsel'"
        " (skriv navnet samarbeidet hadde i fjor, eller fjern 'previous_name')" in err
    )
    assert f"{agreements}:17:24: warning: samarbeidet 'Regionalt helsesamarbeid' har 'id', så" in err


def test_roll_gives_every_agreement_an_id_that_next_years_rename_keeps(make_edition, tmp_path, capsys):
    old = make_edition(
        # a name that YAML would read as a number, two agreements of one name, a flow mapping, CRLF
        replace("agreements.yaml", "- name: Felles personvernombud\n", "- name: '110'\n"),
        replace("agreements.yaml", "  - name: Helse og omsorg\n",
                "      - {name: Legevaktsamarbeid, form: Avtale, members: all}\n  - name: Helse og omsorg\n"),
    )  # fmt: skip
    agreements = old / "agreements.yaml"
    agreements.write_bytes(agreements.read_bytes().replace(b"\n", b"\r\n"))
    rolled = tmp_path / "2020"
    assert main(["roll", str(old), "--to", "2020-01-01", "--into", str(rolled)]) == 0
    capsys.readouterr()
    text = (rolled / "agreements.yaml").read_bytes()
    assert b"\r\n" in text and b"\n" not in text.replace(b"\r\n", b"")
    ids = [a.get("id") for c in yaml.safe_load(text)["categories"] for a in c["agreements"]]
    # the second Legevaktsamarbeid (in Helse og omsorg) takes a number: the first has its name
    assert ids == ["110", "borgerlig-vigsel", "legevaktsamarbeid", "helse", "legevaktsamarbeid-2"]
    assert b'id: "110"' in text and b"{name: Legevaktsamarbeid, id: legevaktsamarbeid, form: Avtale" in text
    added = {b"        id: " + made + b"\r\n" for made in (b'"110"', b"borgerlig-vigsel", b"legevaktsamarbeid-2")}
    without_ids = [line for line in text.splitlines(keepends=True) if line not in added]
    assert b"".join(without_ids).replace(b", id: legevaktsamarbeid", b"") == agreements.read_bytes(), "nothing else"
    # next year: renamed, and followed by the id the roll gave it
    (rolled / "agreements.yaml").write_bytes(text.replace(b"name: Borgerlig vigsel\r", b"name: Vigsel\r"))
    assert diff(old, rolled, capsys)[1:] == [
        "Endrede samarbeid (1)",
        "  - Vigsel (Administrativt samarbeid)",
        "    - navn: Borgerlig vigsel → Vigsel",
    ]
