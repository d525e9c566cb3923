"""Each member's own overview: the reference table cut down to the rows the
member takes part in (and the framework its parts belong to), read back from
both formats with the same checks as the full edition."""

from __future__ import annotations

import pikepdf
import pytest
from readback import docx_paragraphs, docx_tables, pdf_table_rows, pdf_tables, pdf_text, spaced
from test_reference import expected_header, expected_rows

from builder.build import build
from builder.cli import main

MEMBERS = ["Lillehammer", "Gausdal", "Øyer"]
FILES = {"Lillehammer": "lillehammer", "Gausdal": "gausdal", "Øyer": "oyer"}


def rows_for(member: str) -> list[list[str]]:
    """The expected rows of the member's table, derived from the reference:
    a row where the member's column has an x; a framework row ("Se under*")
    when one of its parts (the "*" rows after it) stays; a category when any
    of its rows stays."""
    column = expected_header().index(member)
    result: list[list[str]] = []
    groups: list[tuple[list[str], list[list[str]]]] = []
    for row in expected_rows():
        if len(row) == 1:
            groups.append((row, []))
        else:
            groups[-1][1].append(row)
    for heading, rows in groups:
        kept = []
        for index, row in enumerate(rows):
            parts = []
            if row[0].endswith(" Se under*"):
                parts = [r for r in rows[index + 1 :] if r[0].endswith("*") and r[column] == "x"]
            if row[column] == "x" or parts:
                kept.append(
                    row if parts or not row[0].endswith(" Se under*") else [row[0][: -len(" Se under*")], *row[1:]]
                )
        if kept:
            result += [heading, *kept]
    return result


@pytest.fixture(scope="module")
def member_builds(content_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("members")
    written, _ = build(content_dir, out, member="all")
    return out, written


def test_all_makes_one_pair_of_files_per_member_named_after_it(member_builds):
    out, written = member_builds
    assert sorted(p.name for p in written) == sorted(
        f"oversikt-2019-{name}.{fmt}" for name in FILES.values() for fmt in ("docx", "pdf")
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in written)


@pytest.mark.parametrize("member", MEMBERS)
def test_docx_table_holds_the_members_rows(member_builds, member):
    out, _ = member_builds
    (table,) = docx_tables(out / f"oversikt-2019-{FILES[member]}.docx")
    header, *body = table
    assert header == expected_header(), "every member keeps its column, so the reader sees who else takes part"
    assert body == rows_for(member)
    agreements = [row for row in body if len(row) > 1]
    assert all(row[2 + MEMBERS.index(member)] == "x" or "Se under*" in row[0] for row in agreements)
    others = {row[2 + i] for row in agreements for i, m in enumerate(MEMBERS) if m != member}
    assert others == {"x", ""}, "the other members' marks are shown"


@pytest.mark.parametrize("member", MEMBERS)
def test_pdf_table_holds_the_members_rows(member_builds, member):
    out, _ = member_builds
    pdf = out / f"oversikt-2019-{FILES[member]}.pdf"
    rows = pdf_table_rows(pdf)
    header = rows[0]
    assert header == spaced(expected_header())
    tables = pdf_tables(pdf)
    assert len(tables) >= 2 and [t[0] for t in tables] == [header] * len(tables), "the header repeats on every page"
    body = [row for row in rows if row != header]
    assert body == [[" ".join(cell.split()) for cell in row] for row in rows_for(member)]


@pytest.mark.parametrize("member", MEMBERS)
def test_title_and_metadata_name_the_member(member_builds, member):
    out, _ = member_builds
    title = f"Oversikt over interkommunale samarbeid for {member} per 1. januar 2019"
    paragraphs = docx_paragraphs(out / f"oversikt-2019-{FILES[member]}.docx")
    assert paragraphs[0] == ("Title", title)
    with pikepdf.open(out / f"oversikt-2019-{FILES[member]}.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == title
        assert str(pdf.Root.Lang) == "nb-NO"
    assert title in " ".join(pdf_text(out / f"oversikt-2019-{FILES[member]}.pdf").split())


def test_each_member_edition_is_smaller_than_the_region_and_they_differ():
    counts = {m: len([r for r in rows_for(m) if len(r) > 1]) for m in MEMBERS}
    total = len([r for r in expected_rows() if len(r) > 1])
    assert all(count < total for count in counts.values())
    assert len({tuple(map(tuple, rows_for(m))) for m in MEMBERS}) == 3


def test_one_member_by_name_ignoring_case(content_dir, tmp_path, capsys):
    assert main(["build", str(content_dir), "--out", str(tmp_path), "--member", "øyer", "--format", "pdf"]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / "oversikt-2019-oyer.pdf")]


def test_unknown_member_is_named_with_a_suggestion(content_dir, tmp_path, capsys):
    assert main(["build", str(content_dir), "--out", str(tmp_path), "--member", "Oyer"]) == 1
    err = capsys.readouterr().err
    assert f"{content_dir / 'report.yaml'}: error: --member 'Oyer' er ikke en av kommunene i report.yaml" in err
    assert "(mente du 'Øyer'?)" in err
    assert not list(tmp_path.iterdir())


def test_a_framework_stays_with_its_parts_and_loses_see_below_without_them(make_edition, tmp_path):
    from edits import replace

    content = make_edition(
        replace(
            "agreements.yaml",
            "        form: Vedtak\n        members: all",
            "        form: Vedtak\n        members: [Lillehammer]",
        )
    )
    (gausdal,), _ = build(content, tmp_path / "g", ("docx",), member="Gausdal")
    assert [row[0] for row in docx_tables(gausdal)[0][1:]] == [
        "Administrativt samarbeid",
        "Felles personvernombud",
        "Borgerlig vigsel",
    ]
    (oyer,), _ = build(content, tmp_path / "o", ("docx",), member="Øyer")
    assert docx_tables(oyer)[0][1:] == [
        ["Administrativt samarbeid"],
        ["Felles personvernombud", "§ 28 – 1B", "x", "x", "x", "Lillehammer vertskommune"],
        ["Helse og omsorg"],
        ["Regionalt helsesamarbeid Se under*", "Vedtak", "x", "", "", ""],
        ["Legevaktsamarbeid*", "§ 28 – 1B", "x", "", "x", "Lillehammer vertskommune"],
    ]
    (lillehammer,), _ = build(content, tmp_path / "l", ("docx",), member="Lillehammer")
    assert ["Regionalt helsesamarbeid Se under*", "Vedtak", "x", "", "", ""] in docx_tables(lillehammer)[0]
