"""content/ reads into the edition the 2019 document describes."""

from __future__ import annotations

import datetime as dt

from builder.assemble import assemble
from builder.build import prepare
from builder.model import AgreementTable, BulletList, Paragraph, Title


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
