"""Facts as data: host, partners, status and since make the printed comment
in the layout's words, are counted by the narrative's filters, and are
checked with warnings where they are most likely mistaken."""

from __future__ import annotations

import pytest
from edits import replace
from readback import docx_tables

from builder.build import build, prepare
from builder.diagnostics import ContentError
from builder.model import AgreementTable

A = "agreements.yaml"
VIGSEL = "        members: [Lillehammer, Gausdal]\n        comment: Med Ringebu\n"


def vigsel(*facts: str) -> replace:
    """Borgerlig vigsel (base edition, Lillehammer and Gausdal) with these lines instead of its comment."""
    return replace(A, VIGSEL, "        members: [Lillehammer, Gausdal]\n" + "".join(f"        {f}\n" for f in facts))


def comment_of(content, name: str = "Borgerlig vigsel") -> str:
    table = next(b for b in prepare(content).document.blocks if isinstance(b, AgreementTable))
    return next(row.comment for group in table.groups for row in group.rows if row.name[0].text == name)


def warnings(content) -> list[str]:
    return [
        f"{d.location.line}:{d.location.column}: {d.message} ({d.hint})" for d in prepare(content).diagnostics.warnings
    ]


@pytest.mark.parametrize(
    ("facts", "printed"),
    [
        (["host: Lillehammer"], "Lillehammer vertskommune"),
        (["partners: [Ringebu]"], "Med Ringebu"),
        (["partners: [Ringebu, Oppland fylkeskommune, Nord-Fron]"], "Med Ringebu, Oppland fylkeskommune og Nord-Fron"),
        (["status: terminated"], "Avtalen er sagt opp."),
        (["status: planned"], "Under utredning."),
        (["status: active", "since: 2018"], "Fra 2018"),
        (["status: terminated", "since: 2018-03-01"], "Avtalen er sagt opp. Fra 1. mars 2018"),
        (["comment: Nord-Fron er med", "host: Øyer"], "Øyer vertskommune. Nord-Fron er med"),
        (
            ["status: terminated", "comment: Med flere kommuner og OFK", "host: Gausdal", "partners: [OFK]"],
            "Med OFK. Gausdal vertskommune. Med flere kommuner og OFK. Avtalen er sagt opp.",
        ),
        (["comment: Se avtalen.", "status: terminated"], "Se avtalen. Avtalen er sagt opp."),
    ],
)
def test_printed_comment_is_made_from_the_facts(make_edition, facts, printed):
    assert comment_of(make_edition(vigsel(*facts))) == printed


def test_printed_comment_reads_back_from_the_docx_in_nynorsk(make_edition, tmp_path):
    content = make_edition(
        vigsel("partners: [Ringebu]", "host: Lillehammer", "status: planned"),
        replace("report.yaml", "language: nb", "language: nn"),
    )
    (written,), _ = build(content, tmp_path, ("docx",))
    rows = docx_tables(written)[0]
    assert [
        "Borgerlig vigsel",
        "Avtale",
        "x",
        "x",
        "",
        "Med Ringebu. Lillehammer vertskommune. Under utgreiing.",
    ] in rows


def test_a_host_outside_the_region_is_a_name_like_any_other(make_edition):
    content = make_edition(vigsel("host: Ringsaker"))
    assert comment_of(content) == "Ringsaker vertskommune"
    assert warnings(content) == []


def test_a_member_that_hosts_takes_part(make_edition):
    assert warnings(make_edition(vigsel("host: Øyer"))) == [
        "11:15: vertskommunen 'Øyer' er ikke merket som deltaker i samarbeidet 'Borgerlig vigsel'"
        " (legg 'Øyer' til i 'members')"
    ]


def test_since_after_the_edition_date_wants_planned(make_edition):
    assert warnings(make_edition(vigsel("since: 2019-06-01"))) == [
        "11:16: samarbeidet 'Borgerlig vigsel' starter 2019-06-01, etter datoen for utgaven (1. januar 2019)"
        " (gi det 'status: planned' til det er i gang, eller rett datoen)"
    ]
    assert warnings(make_edition(vigsel("since: 2020", "status: planned"))) == []
    assert warnings(make_edition(vigsel("since: 2018"))) == []


def test_narrative_filters_count_from_the_facts(make_edition):
    text = (
        '{{ agreements | hosted_by("Lillehammer") | length }}/{{ agreements | taking_part("Øyer") | length }}/'
        '{{ agreements | of_form("§28-1b") | length }}/{{ agreements | with_status("terminated") | length }}'
    )
    content = make_edition(
        vigsel("host: Lillehammer", "status: terminated"),
        replace("text/innledning.md", "Oversikten gjelder", text + " Oversikten gjelder"),
    )
    paragraphs = ["".join(r.text for r in b.runs) for b in prepare(content).document.blocks[1:] if hasattr(b, "runs")]
    # hosted by Lillehammer: only vigsel (Legevaktsamarbeid says so in a free comment, which is no fact);
    # Øyer: personvernombud, helsesamarbeid, legevakt; § 28 – 1B: personvernombud, legevakt; terminated: vigsel
    assert any(p.startswith("1/3/2/1 Oversikten gjelder") for p in paragraphs), paragraphs


@pytest.mark.parametrize(
    ("placeholder", "message"),
    [
        (
            '{{ agreements | hosted_by("Oyer") | length }}',
            "'Oyer' er ikke en av kommunene i report.yaml (mente du 'Øyer'?)",
        ),
        ('{{ agreements | of_form("IKSS") | length }}', "'IKSS' er ikke en kjent type samarbeid (mente du 'IKS'?)"),
        ('{{ agreements | with_status("ended") | length }}', "'ended' er ikke en status"),
    ],
)
def test_a_filter_given_an_unknown_value_names_it(make_edition, placeholder, message):
    content = make_edition(replace("text/innledning.md", "Oversikten gjelder", placeholder + " Oversikten gjelder"))
    with pytest.raises(ContentError) as error:
        prepare(content)
    (problem,) = error.value.diagnostics.errors
    assert f"{problem.location.line}: {problem.message} ({problem.hint})".startswith("5: " + message)
