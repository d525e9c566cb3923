"""The forms of kommuneloven 2018 (LOV-2018-06-22-83) and of the acts on
companies: their paragraph numbers and names check clean and print one
canonical way; a 1992 form's warning names the 2018 paragraph to consider."""

from __future__ import annotations

import pytest
import yaml
from edits import replace
from html_readback import agreement_table, parse, seen_text
from readback import docx_tables, pdf_text

from builder.build import build, prepare
from builder.forms import vocabulary

# spelling -> the one way it prints
SPELLINGS = {
    "§ 17-1": "§ 17-1",
    "§ 18-1": "IPR",
    "interkommunalt politisk råd": "IPR",
    "§ 19-1": "KO",
    "kommuneloven § 19-1": "KO",
    "§ 20-1": "Vertskommunesamarbeid",
    "§ 20-2": "Vertskommunesamarbeid",
    "§20-2": "Vertskommunesamarbeid",
    "kl. § 20-2": "Vertskommunesamarbeid",
    "administrativt vertskommunesamarbeid": "Vertskommunesamarbeid",
    "§ 20-3": "Vertskommune med nemnd",
    "§ 20–3 kommunelova": "Vertskommune med nemnd",
    "vertskommunesamarbeid med felles folkevalgt nemnd": "Vertskommune med nemnd",
    "IKS-loven": "IKS",
    "lov om interkommunale selskaper": "IKS",
    "aksjeloven": "AS",
    "samvirkelova": "Samvirkeforetak",
    "stiftelsesloven": "Stiftelse",
}
FORM_LINE = 9  # of Borgerlig vigsel's form in tests/editions/base/agreements.yaml


def with_form(make_edition, spelling: str, as_of: str = "2024-01-01"):
    return make_edition(
        replace("report.yaml", "as_of: 2019-01-01", f"as_of: {as_of}"),
        replace("agreements.yaml", "        form: Avtale\n", f'        form: "{spelling}"\n'),
    )


@pytest.mark.parametrize(("spelling", "canonical"), SPELLINGS.items())
def test_2018_paragraphs_and_company_acts_check_clean(make_edition, spelling, canonical):
    prepared = prepare(with_form(make_edition, spelling))
    vigsel = next(a for a in prepared.edition.agreements if a.name == "Borgerlig vigsel")
    assert vigsel.form == canonical
    assert not [d for d in prepared.diagnostics.items if d.location.line == FORM_LINE]
    assert vocabulary().lookup(spelling).act in ("2018", "other")


def test_each_form_prints_one_canonical_way(make_edition, tmp_path):
    for number, spelling in enumerate(("§ 20-2", "administrativt vertskommunesamarbeid", "kl. § 20-1")):
        (written,), _ = build(with_form(make_edition, spelling), tmp_path / str(number), ("docx",))
        (table,) = docx_tables(written)
        assert next(row for row in table if row[0] == "Borgerlig vigsel")[1] == "§ 20-2"


def heard_text(element) -> str:
    """The element's text as a screen reader reads it out: what is hidden
    from it (aria-hidden) left out, the visually hidden text in."""

    def walk(node) -> str:
        text = node.text or ""
        for child in node:
            if child.get("aria-hidden") != "true":
                text += walk(child)
            text += child.tail or ""
        return text

    return " ".join(walk(element).split())


@pytest.mark.parametrize(
    ("written", "printed", "words"),
    [
        ("IPR", "§ 18-1", "interkommunalt politisk råd"),
        ("kommunalt oppgavefellesskap", "§ 19-1", "kommunalt oppgavefellesskap"),
        ("Vertskommunesamarbeid", "§ 20-2", "administrativt vertskommunesamarbeid"),
        ("Vertskommune med nemnd", "§ 20-3", "vertskommunesamarbeid med felles folkevalgt nemnd"),
    ],
)
def test_a_2018_form_prints_as_its_paragraph_and_is_read_out_in_words(make_edition, tmp_path, written, printed, words):
    """The § column speaks the act's language, as the 1992 forms do ("§ 27"):
    in the Word file, the PDF and the HTML; the HTML's reader hears the words too."""
    content = with_form(make_edition, written)
    files = {p.suffix: p for p in build(content, tmp_path, ("docx", "pdf", "html"))[0]}
    (table,) = docx_tables(files[".docx"])
    assert next(row for row in table if row[0] == "Borgerlig vigsel")[1] == printed
    assert f"Borgerlig vigsel {printed} x x" in pdf_text(files[".pdf"])
    page = parse(files[".html"])
    row = next(row for row in agreement_table(page).xpath("./tbody/tr") if seen_text(row[0]) == "Borgerlig vigsel")
    cell = row.xpath("./td[contains(@class, 'form')]")[0]
    assert seen_text(cell) == printed
    assert heard_text(cell) == f"{printed} ({words})"
    assert cell.xpath(".//abbr/@title") == [words]
    assert (
        yaml.safe_load((content / "agreements.yaml").read_text("utf-8"))["categories"][0]["agreements"][1]["form"]
        == written
    ), "the editor's spelling stays in the file"


@pytest.mark.parametrize(
    ("old", "hint"),
    [
        ("§ 28-1 b", "vurder administrativt vertskommunesamarbeid (kommuneloven § 20-2)"),
        ("§ 28-1 c", "vurder vertskommunesamarbeid med felles folkevalgt nemnd (kommuneloven § 20-3)"),
        ("§ 27", "vurder kommunalt oppgavefellesskap (kommuneloven § 19-1) eller interkommunalt selskap (IKS-loven)"),
        ("Regionråd", "vurder interkommunalt politisk råd (kommuneloven § 18-1)"),
    ],
)
def test_the_1992_warning_names_the_2018_paragraph(make_edition, old, hint):
    (warning,) = [d for d in prepare(with_form(make_edition, old)).diagnostics.warnings if d.location.line == FORM_LINE]
    assert "kommuneloven av 1992" in warning.message and warning.hint == hint
