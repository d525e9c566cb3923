"""content/ reads into the edition the 2019 document describes."""

from __future__ import annotations

import datetime as dt

import pytest
from edits import replace

from builder.assemble import assemble
from builder.build import prepare
from builder.commands import common
from builder.importing.header import find_date
from builder.model import AgreementTable, BulletList, Paragraph, Title
from builder.norwegian import parse_date


def test_edition_is_read_with_its_quirks_as_warnings(content_dir):
    prepared = prepare(content_dir)
    edition = prepared.edition
    assert edition.as_of == dt.date(2019, 1, 1)
    assert edition.members == ("Lillehammer", "Gausdal", "Øyer")
    assert len(edition.categories) == 13 and len(edition.agreements) == 57
    messages = [d.message for d in prepared.diagnostics.warnings]
    assert not prepared.diagnostics.errors
    assert sum("ingen type samarbeid" in m for m in messages) == 3  # Eioff, Nasjonalparkkommunene, GIAX
    assert any("Øyeblikkelighjelp-senger" in m and "ingen av kommunene" in m for m in messages)


def test_framework_agreement_gets_see_below_and_parts_a_star(content_dir):
    prepared = prepare(content_dir)
    table = next(b for b in prepared.document.blocks if isinstance(b, AgreementTable))
    health = next(g for g in table.groups if g.heading == "Helse og omsorg")
    parent = health.rows[1]
    assert parent.name[-1].text == "Se under*" and parent.name[-1].emphasis
    parts = [row.name[0].text for row in health.rows[2:8]]
    assert all(name.endswith("*") for name in parts)
    assert not health.rows[0].name[0].text.endswith("*")


def test_document_order_title_narrative_table(content_dir):
    prepared = prepare(content_dir)
    kinds = [type(b) for b in prepared.document.blocks]
    assert kinds[0] is Title and kinds[-1] is AgreementTable
    assert kinds[1:-1].count(BulletList) == 2 and Paragraph in kinds
    assert prepared.document.title == "Oversikt over interkommunale samarbeid per 1. januar 2019"
    assert prepared.document.language_tag == "nb-NO"


def test_title_in_report_overrides_the_layout(content_dir, tmp_path):
    import shutil

    copy = tmp_path / "content"
    shutil.copytree(content_dir, copy)
    report = copy / "report.yaml"
    report.write_text(report.read_text("utf-8") + 'title: "Samarbeid i regionen"\n', "utf-8")
    prepared = prepare(copy)
    assert prepared.document.title == "Samarbeid i regionen"
    again = assemble(prepared.edition, prepared.layout, prepared.diagnostics)
    assert again.blocks[0] == Title("Samarbeid i regionen")


# --- dates: the Norwegian way, and the years they may have -------------------


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("05.03.2020", dt.date(2020, 3, 5)),  # day first, then month
        ("13.01.2020", dt.date(2020, 1, 13)),  # a day no month can be
        ("1.2.2020", dt.date(2020, 2, 1)),
        ("31.12.2019", dt.date(2019, 12, 31)),
        ("2020-03-05", dt.date(2020, 3, 5)),
        ("01.13.2020", None),  # the month is 13: never read month first
        ("30.02.2020", None),
    ],
)
def test_a_date_is_read_day_first(written, day):
    assert parse_date(written) == day
    if day is not None:  # roll --to reads its date the same way
        assert common.date(written) == day


def test_a_dd_mm_date_reaches_the_title_and_the_imported_header(make_edition):
    content = make_edition(replace("report.yaml", "as_of: 2019-01-01", 'as_of: "05.03.2020"'))
    prepared = prepare(content)
    assert prepared.edition.as_of == dt.date(2020, 3, 5)
    assert prepared.document.title == "Oversikt over interkommunale samarbeid per 5. mars 2020"
    # and the date over the names in last year's table, when it is imported
    assert find_date("Pr. 05.03.2020") == dt.date(2020, 3, 5)
    assert find_date("Pr. 13.1.20") == dt.date(2020, 1, 13)


@pytest.mark.parametrize("since", ["1800", "2100", "1800-01-01", "31.12.2100"])
def test_since_at_the_bounds_of_its_years_is_read(since, make_edition):
    content = make_edition(replace("agreements.yaml", "comment: Med Ringebu", f"since: {since}"))
    prepared = prepare(content)
    (vigsel,) = [a for a in prepared.edition.agreements if a.name == "Borgerlig vigsel"]
    expected = int(since) if since.isdigit() else parse_date(since)
    assert vigsel.since == expected


@pytest.mark.parametrize("as_of", ["1900-01-01", "31.12.2100"])
def test_as_of_at_the_bounds_of_its_years_is_read(as_of, make_edition):
    content = make_edition(replace("report.yaml", "as_of: 2019-01-01", f"as_of: {as_of}"))
    assert prepare(content).edition.as_of == parse_date(as_of)
