"""builder.workbench.agreements_file: each kind of save changes exactly the
lines it should in content/agreements.yaml, and the result reads back with
the project's own reader."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from builder.build import prepare
from builder.readers.edition import AGREEMENT_KEYS
from builder.readers.facts import AGREEMENT_FACT_KEYS
from builder.workbench.agreements_file import (
    KEY_ORDER,
    AgreementFields,
    CategoryRef,
    Conflict,
    EditError,
    Ref,
    add_category,
    current_version,
    insert_agreement,
    locate,
    locate_category,
    move_agreement,
    move_category,
    parse,
    remove_agreement,
    remove_category,
    rename_category,
    replace_agreement,
    scalar,
)

ROOT = Path(__file__).resolve().parent.parent
REAL = (ROOT / "content" / "agreements.yaml").read_text("utf-8")


def changes(before: str, after: str) -> list[tuple[list[int], list[str]]]:
    """Each change as (the old lines it replaces, 1-based; the new lines)."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        (list(range(i1 + 1, i2 + 1)), new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]


def lines_of(text: str, first: int, last: int) -> list[str]:
    return text.splitlines(keepends=True)[first - 1 : last]


def read_back(tmp_path: Path, text: str):
    """The edition content/ makes with ``text`` as its agreements.yaml."""
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    (folder / "agreements.yaml").write_bytes(text.encode("utf-8"))
    return prepare(folder).edition


def entry(text: str, name: str):
    return next(e for e in parse(text).agreements() if e.fields.name == name)


def category(text: str, name: str) -> CategoryRef:
    return next(c.ref for c in parse(text).categories if c.name == name)


# --- reading ---------------------------------------------------------------------


def test_keys_are_the_readers():
    # the facts beyond the table (orgnr, purpose, …) are not on the form yet: a save keeps them as
    # written, as every key the form does not know (tests below)
    assert sorted(KEY_ORDER) == sorted(key for key in AGREEMENT_KEYS if key not in AGREEMENT_FACT_KEYS)


def test_a_save_keeps_previous_name_as_written():
    text = "categories:\n  - name: A\n    agreements:\n      - name: Ny\n        previous_name: Gammel  # i fjor\n"
    (entry,) = parse(text).categories[0].agreements
    saved = replace_agreement(text, entry.ref, AgreementFields(name="Nyere", form="KO", previous_name="Gammel"))
    assert "        previous_name: Gammel  # i fjor\n" in saved and "name: Nyere" in saved


def test_parse_matches_the_reader(tmp_path):
    register = parse(REAL)
    edition = read_back(tmp_path, REAL)
    assert [c.name for c in register.categories] == [c.name for c in edition.categories]
    for entry_category, read in zip(register.categories, edition.categories, strict=True):
        assert len(entry_category.agreements) == len(read.agreements)
        for found, agreement in zip(entry_category.agreements, read.agreements, strict=True):
            fields = found.fields
            assert fields.name == agreement.name
            assert (fields.comment or "") == agreement.comment
            assert fields.host == agreement.host
            assert fields.partners == agreement.partners
            assert (fields.status or "active") == agreement.status
            assert (fields.id, fields.part_of) == (agreement.id, agreement.part_of)
            expected = edition.members if fields.members == "all" else fields.members
            assert tuple(expected) == agreement.members
            assert found.unusual == frozenset()


def test_blocks_are_the_files_lines():
    lines = REAL.splitlines(keepends=True)
    for found in parse(REAL).agreements():
        first, last = found.lines
        assert found.text == "".join(lines[first - 1 : last])
        assert found.text.lstrip().startswith("- name:")
    # the comment at the end of a line is part of the agreement's line
    assert "# the reference's wording" in entry(REAL, "Interkommunal barnevernvakt").text


def test_comments_directly_above_and_below_belong_to_the_agreement():
    text = REAL.replace(
        "      - name: Rådmannsutvalg\n        form: Uformelt\n        members: all\n",
        "      # about the council\n      - name: Rådmannsutvalg\n        form: Uformelt\n        members: all\n"
        "        # host: Lillehammer\n\n      # about what follows\n",
    )
    found = entry(text, "Rådmannsutvalg")
    assert found.text.startswith("      # about the council\n")
    assert found.text.endswith("        # host: Lillehammer\n")
    follows = entry(text, "Digitaliseringsstyret")
    assert follows.text.startswith("      # about what follows\n")


# --- replacing one agreement --------------------------------------------------------


def test_saving_unchanged_fields_changes_nothing():
    for found in parse(REAL).agreements():
        assert replace_agreement(REAL, found.ref, found.fields) == REAL


SAVES = {
    # agreement, changes to its fields, the lines expected in its place
    "a value changes in place": (
        "Felles personvernombud",
        {"host": "Gausdal"},
        ["      - name: Felles personvernombud\n", "        form: § 28 – 1B\n", "        members: all\n",
         "        partners: [Ringebu]\n", "        host: Gausdal\n"],
    ),
    "its comment after the value stays": (
        "Interkommunal barnevernvakt",
        {"comment": "Ringsaker er vert"},
        ["      - name: Interkommunal barnevernvakt\n", "        form: § 28 – 1B\n", "        members: all\n",
         "        comment: Ringsaker er vert   # the reference's wording; host would print"
         " \"Ringsaker vertskommune\"\n"],
    ),
    "new keys go after the key before them": (
        "Felles personvernombud",
        {"id": "personvern", "status": "planned", "since": "2019", "comment": "Ny: kommentar"},
        ["      - name: Felles personvernombud\n", "        id: personvern\n", "        form: § 28 – 1B\n",
         "        members: all\n", "        partners: [Ringebu]\n", "        host: Lillehammer\n",
         "        status: planned\n", "        since: 2019\n", "        comment: \"Ny: kommentar\"\n"],
    ),
    "an emptied key loses its line": (
        "Felles personvernombud",
        {"partners": (), "host": None},
        ["      - name: Felles personvernombud\n", "        form: § 28 – 1B\n", "        members: all\n"],
    ),
    "members from all to a list, a name that needs quotes": (
        "Regionråd",
        {"members": ("Lillehammer", "Øyer"), "name": "Regionråd: Lillehammer"},
        ['      - name: "Regionråd: Lillehammer"\n', "        form: Avtale\n",
         "        members: [Lillehammer, Øyer]\n", "        partners: [Oppland fylkeskommune]\n"],
    ),
    "a date": (
        "Regionråd",
        {"since": "2019-03-01"},
        ["      - name: Regionråd\n", "        form: Avtale\n", "        members: all\n",
         "        partners: [Oppland fylkeskommune]\n", "        since: 2019-03-01\n"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", SAVES)
def test_a_save_changes_only_its_own_lines(kind, tmp_path):
    name, change, expected = SAVES[kind]
    found = entry(REAL, name)
    after = replace_agreement(REAL, found.ref, dataclasses.replace(found.fields, **change))
    first, last = found.lines
    # everything around the agreement is byte for byte as it was
    assert after.startswith("".join(lines_of(REAL, 1, first - 1)))
    assert after.endswith(REAL[REAL.index(found.text) + len(found.text) :])
    assert lines_of(after, first, first + len(expected) - 1) == expected
    for old, _ in changes(REAL, after):
        assert set(old) <= set(range(first, last + 1))
    # and the reader reads what the form said
    read = read_back(tmp_path, after)
    saved = next(a for a in read.agreements if a.name == change.get("name", name))
    fields = dataclasses.replace(found.fields, **change)
    assert saved.host == fields.host and saved.partners == fields.partners
    assert saved.comment == (fields.comment or "") and saved.id == fields.id
    assert saved.status == (fields.status or "active")
    since = fields.since
    assert saved.since == (None if since is None else int(since) if len(since) == 4 else dt.date.fromisoformat(since))
    assert saved.members == (read.members if fields.members == "all" else fields.members)


def test_an_unchanged_key_keeps_its_quotes_and_comment():
    found = entry(REAL, "Felles 110 nødalarmingsentral")
    after = replace_agreement(REAL, found.ref, dataclasses.replace(found.fields, form="§ 28 – 1B"))
    assert changes(REAL, after) == [([found.lines[0] + 1], ["        form: § 28 – 1B\n"])]
    assert '        comment: "46 kommuner, Hamar vertskommune"   # the reference\'s wording, kept as written\n' in after


def test_keys_the_form_does_not_know_stay():
    text = REAL.replace(
        "      - name: Regional næringsplan\n        form: Vedtak\n",
        "      - name: Regional næringsplan\n        note: 'kept as written'   # mine\n        form: Vedtak\n"
        "        extra:\n          - a\n          - b\n",
    )
    found = entry(text, "Regional næringsplan")
    after = replace_agreement(text, found.ref, dataclasses.replace(found.fields, form="IKS", comment="Ny"))
    assert "        note: 'kept as written'   # mine\n        form: IKS\n" in after
    assert "        extra:\n          - a\n          - b\n        members: all\n        comment: Ny\n" in after
    assert yaml.safe_load(after)["categories"][3]["agreements"][3]["extra"] == ["a", "b"]


def test_a_key_that_shares_the_line_of_the_dash():
    text = REAL.replace(
        "      - name: Regional landbruksplan\n        form: Vedtak\n",
        "      - form: Vedtak\n        name: Regional landbruksplan\n",
    )
    found = entry(text, "Regional landbruksplan")
    removed = replace_agreement(text, found.ref, dataclasses.replace(found.fields, form=None))
    assert "      - name: Regional landbruksplan\n        members: all\n" in removed
    changed = replace_agreement(text, found.ref, dataclasses.replace(found.fields, form="IKS"))
    assert "      - form: IKS\n        name: Regional landbruksplan\n" in changed


def test_a_value_written_the_way_the_reader_refuses_is_rewritten():
    text = REAL.replace(
        "        partners: [Ringebu]\n        host: Lillehammer", "        partners: Ringebu\n        host: 2019"
    )
    found = entry(text, "Felles personvernombud")
    assert found.unusual == {"partners", "host"}
    assert found.fields.partners == ("Ringebu",) and found.fields.host == "2019"
    after = replace_agreement(text, found.ref, found.fields)
    assert '        partners: [Ringebu]\n        host: "2019"\n' in after


# --- multi-line values ----------------------------------------------------------------

MULTILINE = """categories:
  - name: Kategori
    agreements:
      - name: Først
        comment: |
          Linje én
          # ikke en kommentar

        form: IKS
      - name: Andre
        comment: en lang tekst
          som fortsetter her
        host: "Lille
          hammer"   # sic
        partners: [A,
          B]
        members:
          - Lillehammer
          - Øyer
      - name: Tredje
        comment: >
          brettet
          tekst
"""


def test_multiline_values_are_spans():
    register = parse(MULTILINE)
    first, second, third = register.categories[0].agreements
    assert first.fields.comment == "Linje én\n# ikke en kommentar"
    assert first.lines == (4, 9)
    assert second.fields.comment == "en lang tekst som fortsetter her" and second.fields.host == "Lille hammer"
    assert second.fields.partners == ("A", "B") and second.lines == (10, 19)
    assert third.fields.comment == "brettet tekst" and third.lines == (20, 23)


def test_multiline_values_kept_changed_and_removed():
    register = parse(MULTILINE)
    first, second, third = register.categories[0].agreements
    after = replace_agreement(MULTILINE, first.ref, dataclasses.replace(first.fields, form="AS"))
    assert changes(MULTILINE, after) == [([9], ["        form: AS\n"])]
    after = replace_agreement(MULTILINE, first.ref, dataclasses.replace(first.fields, comment="Kort"))
    assert changes(MULTILINE, after) == [([5, 6, 7], ["        comment: Kort\n"])]
    assert after.count("\n\n") == 1  # the blank line after the block stays, outside the value
    after = replace_agreement(
        MULTILINE, second.ref, dataclasses.replace(second.fields, host="Øyer", partners=("C",), members=("Gausdal",))
    )
    assert changes(MULTILINE, after) == [
        ([13, 14, 15, 16], ["        host: Øyer   # sic\n", "        partners: [C]\n"]),
        ([18, 19], ["          - Gausdal\n"]),
    ]
    after = replace_agreement(MULTILINE, second.ref, dataclasses.replace(second.fields, members="all", comment=None))
    assert "      - name: Andre\n        host:" in after and "        members: all\n      - name: Tredje" in after
    assert remove_agreement(MULTILINE, second.ref) == "".join(
        line for number, line in enumerate(MULTILINE.splitlines(True), start=1) if not 10 <= number <= 19
    )
    assert remove_agreement(MULTILINE, third.ref) == "".join(MULTILINE.splitlines(True)[:19])


def test_a_new_agreement_takes_the_files_list_style():
    inserted = insert_agreement(
        MULTILINE.replace("[A,\n          B]", "[A, B]").replace("members:\n          - Lillehammer\n          - Øyer",
                                                                   "members: all"),
        CategoryRef(0, "Kategori"), 3, AgreementFields("Fjerde", members=("Øyer",)),
    )  # fmt: skip
    assert inserted.endswith("      - name: Fjerde\n        members: [Øyer]\n")
    block = "categories:\n- name: K\n  agreements:\n  - name: A\n    members:\n    - Øyer\n"
    inserted = insert_agreement(block, CategoryRef(0, "K"), 0, AgreementFields("B", members=("Gausdal", "Øyer")))
    assert (
        inserted
        == "categories:\n- name: K\n  agreements:\n  - name: B\n    members:\n    - Gausdal\n    - Øyer\n"
        + ("  - name: A\n    members:\n    - Øyer\n")
    )


# --- new, removed and moved agreements -------------------------------------------------


def test_insert_in_the_style_around_it(tmp_path):
    target = category(REAL, "Tekniske tjenester")
    fields = AgreementFields(
        "Nytt: vannverk", form="IKS", members=("Lillehammer", "Øyer"), partners=("Ringebu",), since="2019",
        comment="yes",
    )  # fmt: skip
    after = insert_agreement(REAL, target, 1, fields)
    geodata = entry(REAL, "Geodata-samarbeid")
    assert changes(REAL, after) == [
        ([], ['      - name: "Nytt: vannverk"\n', "        form: IKS\n", "        members: [Lillehammer, Øyer]\n",
              "        partners: [Ringebu]\n", "        since: 2019\n", '        comment: "yes"\n'])
    ]  # fmt: skip
    assert after.index('"Nytt: vannverk"') > after.index(geodata.text)
    read = read_back(tmp_path, after)
    made = next(a for a in read.agreements if a.name == "Nytt: vannverk")
    assert (made.form, made.members, made.since, made.comment) == ("IKS", ("Lillehammer", "Øyer"), 2019, "yes")
    assert [a.name for a in read.categories[2].agreements][1] == "Nytt: vannverk"


def test_insert_at_the_end_of_the_file(tmp_path):
    after = insert_agreement(REAL, category(REAL, "Ungdom"), 2, AgreementFields("Ungdomsråd", form="Vedtak",
                                                                                 members="all"))  # fmt: skip
    assert after == REAL + "      - name: Ungdomsråd\n        form: Vedtak\n        members: all\n"
    assert read_back(tmp_path, after).categories[-1].agreements[-1].name == "Ungdomsråd"


def test_remove_agreement(tmp_path):
    found = entry(REAL, "Rådmannsutvalg")
    after = remove_agreement(REAL, found.ref)
    first, last = found.lines
    assert changes(REAL, after) == [(list(range(first, last + 1)), [])]
    assert "Rådmannsutvalg" not in {a.name for a in read_back(tmp_path, after).agreements}


def test_move_within_and_between_categories(tmp_path):
    found = entry(REAL, "Rådmannsutvalg")
    down = move_agreement(REAL, found.ref, category(REAL, "Administrativt samarbeid"), 3)
    names = [a.fields.name for a in parse(down).categories[1].agreements]
    assert names[:5] == ["Felles personvernombud", "Digitaliseringsstyret", "Valg-samarbeid", "Rådmannsutvalg",
                         "Borgerlig vigsel"]  # fmt: skip
    assert sorted(down.splitlines()) == sorted(REAL.splitlines())
    across = move_agreement(REAL, found.ref, category(REAL, "NAV"), 1)
    assert across.count(found.text) == 1 and across.index(found.text) > across.index("  - name: NAV\n")
    read = read_back(tmp_path, across)
    assert [a.name for a in read.categories[-2].agreements] == ["Felles NAV-kontor", "Rådmannsutvalg"]


def test_the_last_agreement_of_a_category():
    nav = entry(REAL, "Felles NAV-kontor")
    emptied = remove_agreement(REAL, nav.ref)
    assert "  - name: NAV\n    agreements: []\n  - name: Ungdom\n" in emptied
    assert parse(emptied).categories[-2].agreements == ()
    refilled = insert_agreement(emptied, category(emptied, "NAV"), 0, AgreementFields("Ny", members="all"))
    assert "  - name: NAV\n    agreements:\n      - name: Ny\n        members: all\n  - name: Ungdom\n" in refilled
    moved = move_agreement(REAL, nav.ref, category(REAL, "Brannvesen"), 0)
    assert "  - name: NAV\n    agreements: []\n" in moved
    assert remove_category(moved, category(moved, "NAV")) == REAL.replace(
        "  - name: NAV\n    agreements:\n" + nav.text, ""
    ).replace("  - name: Brannvesen\n    agreements:\n", "  - name: Brannvesen\n    agreements:\n" + nav.text)


def test_a_moved_agreement_takes_the_indentation_of_its_new_category():
    text = REAL + "  - name: Flatt\n    agreements:\n    - name: Flat\n      members: all\n"
    found = entry(REAL, "Felles NAV-kontor")
    after = move_agreement(text, found.ref, category(text, "Flatt"), 0)
    assert after.endswith(
        "    agreements:\n    - name: Felles NAV-kontor\n      form: § 28 – 1B\n      members: [Lillehammer, Gausdal]\n"
        "      host: Lillehammer\n    - name: Flat\n      members: all\n"
    )


# --- categories ----------------------------------------------------------------------------


def test_category_operations(tmp_path):
    added = add_category(REAL, "Ny: kategori", 2)
    assert changes(REAL, added) == [([], ['  - name: "Ny: kategori"\n', "    agreements: []\n"])]
    with_one = insert_agreement(added, CategoryRef(2, "Ny: kategori"), 0, AgreementFields("Ett", members="all"))
    assert read_back(tmp_path, with_one).categories[2].name == "Ny: kategori"
    renamed = rename_category(REAL, category(REAL, "Landbruk"), "Landbruk og skog")
    assert changes(REAL, renamed) == [([110], ["  - name: Landbruk og skog\n"])]
    moved = move_category(REAL, category(REAL, "Ungdom"), 0)
    assert [c.name for c in parse(moved).categories][:2] == ["Ungdom", "Regionråd og annet politisk samarbeid"]
    assert sorted(moved.splitlines()) == sorted(REAL.splitlines())
    with pytest.raises(EditError, match="flytt eller fjern dem"):
        remove_category(REAL, category(REAL, "Ungdom"))
    with pytest.raises(EditError, match="finnes alt"):
        add_category(REAL, "Ungdom", 0)


# --- line endings, byte order mark, final line break --------------------------------------


@pytest.mark.parametrize(
    "dress",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.removesuffix("\n"), id="no-final-newline"),
        pytest.param(lambda t: "\ufeff" + t.replace("\n", "\r\n").removesuffix("\r\n"), id="all-three"),
    ],
)
def test_the_files_own_line_endings_stay(dress):
    text = dress(REAL)
    last = entry(text, "UMK: Ungdommens kulturmønstring")
    fields = AgreementFields("Ny", form="IKS", members="all")
    results = {
        "replace": (replace_agreement(text, last.ref, dataclasses.replace(last.fields, comment="Ny")),
                    lambda t: t.replace("[Gausdal, Øyer]\n", "[Gausdal, Øyer]\n        comment: Ny\n")),
        "insert": (insert_agreement(text, category(text, "Ungdom"), 2, fields),
                   lambda t: t + "      - name: Ny\n        form: IKS\n        members: all\n"),
        "remove": (remove_agreement(text, last.ref),
                   lambda t: t.replace(entry(REAL, "UMK: Ungdommens kulturmønstring").text, "")),
        "move": (move_category(text, category(text, "Ungdom"), 0),
                 lambda t: move_category(t, category(t, "Ungdom"), 0)),
    }  # fmt: skip
    for _, (result, on_plain_text) in results.items():
        assert result == dress(on_plain_text(REAL))


# --- scalars -----------------------------------------------------------------------------

TRICKY = [
    "# kommentar", "a: b", "a #b", 'sier "hei"', "it's", "§ 28 – 1B", "yes", "no", "on", "2019", "1.0", "null", "~",
    "2019-03-01", "🙂 smil", " foran", "bak ", "to\nlinjer", "- strek", "[liste]", "{x}", "*alias", "&anker", "!tag",
    "%", "@", "`", "a, b", "?", ":", "a:b", "tab\there", "\u2028", "\ufeff", "\x85", "æøå", "", "'", '"', "\\",
]  # fmt: skip


def _reads(document: str):
    return yaml.load(document, Loader=yaml.SafeLoader)


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_text_reads_back(value):
    for quote in ('"', "'"):
        written = scalar(value, quote=quote)
        assert "\n" not in written
        assert _reads(f"key: {written}\n") == {"key": value}
        assert _reads(f"key: [{scalar(value, flow=True, quote=quote)}, x]\n") == {"key": [value, "x"]}
    assert scalar("§ 28 – 1B") == "§ 28 – 1B" and scalar("yes") == '"yes"'


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=30))
@example("a\r\nb")
def test_any_text_reads_back(value):
    assert _reads(f"key: {scalar(value)}\n") == {"key": value}
    assert _reads(f"key: [{scalar(value, flow=True)}]\n") == {"key": [value]}


_SAFE_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Co", "Zl", "Zp"), blacklist_characters="\ufeff"), min_size=1
).filter(lambda s: s.strip() == s)


@settings(max_examples=60, deadline=None)
@given(name=_SAFE_TEXT, comment=_SAFE_TEXT, host=_SAFE_TEXT)
def test_saved_text_parses_back_as_saved(name, comment, host):
    found = entry(REAL, "Felles personvernombud")
    fields = dataclasses.replace(found.fields, name=name, comment=comment, host=host)
    after = replace_agreement(REAL, found.ref, fields)
    assert parse(after).categories[1].agreements[0].fields == dataclasses.replace(
        fields, **{k: _nfc(getattr(fields, k)) for k in ("name", "comment", "host")}
    )


def _nfc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text)


# --- saves that meet an edit made outside ----------------------------------------------------


def test_an_outside_edit_elsewhere_is_merged(tmp_path):
    found = entry(REAL, "Rådmannsutvalg")
    outside = REAL.replace("        comment: Telling/valgoppgjør\n", "        comment: Telling og valgoppgjør\n")
    outside = outside.replace(
        "      - name: Felles personvernombud\n",
        "      - name: Nytt utenfra\n        members: all\n      - name: Felles personvernombud\n",
    )
    where = locate(outside, found.ref)
    assert where is not None and (where.category, where.index) == (1, 2)
    after = replace_agreement(outside, found.ref, dataclasses.replace(found.fields, comment="Månedlig"))
    assert "Telling og valgoppgjør" in after and "Nytt utenfra" in after
    assert changes(outside, after) == [([], ["        comment: Månedlig\n"])]


def test_an_outside_edit_of_the_same_agreement_is_never_overwritten():
    found = entry(REAL, "Rådmannsutvalg")
    outside = REAL.replace(found.text, found.text.replace("Uformelt", "Avtale"))
    assert locate(outside, found.ref) is None
    with pytest.raises(Conflict):
        replace_agreement(outside, found.ref, dataclasses.replace(found.fields, comment="Mitt"))
    with pytest.raises(Conflict):
        remove_agreement(outside, found.ref)
    now = current_version(outside, found.ref)
    assert now is not None and now.fields.form == "Avtale" and now.fields.name == "Rådmannsutvalg"
    renamed = REAL.replace("      - name: Regionalt helsesamarbeid", "      - name: Helsesamarbeidet")
    helse = entry(REAL, "Regionalt helsesamarbeid – overbygning med felles hovedavtale og 6 delavtaler.")
    by_id = current_version(renamed, helse.ref).fields
    assert by_id.name.startswith("Helsesamarbeidet") and by_id.id == "helse"
    assert current_version(REAL.replace(found.text, ""), found.ref).fields.name == "Digitaliseringsstyret"


def test_a_category_is_found_by_its_name():
    ref = category(REAL, "Landbruk")
    moved = move_category(REAL, category(REAL, "Ungdom"), 0)
    assert locate_category(moved, ref) == CategoryRef(ref.index + 1, "Landbruk")
    renamed = rename_category(REAL, ref, "Jordbruk")
    assert locate_category(renamed, ref) is None
    with pytest.raises(Conflict):
        rename_category(renamed, ref, "Skogbruk")


def test_a_stale_ref_with_twins_is_refused():
    found = entry(REAL, "Rådmannsutvalg")
    twice = REAL.replace(found.text, found.text + found.text)
    moved = Ref(5, 0, found.text)  # not at its place, and there twice
    assert locate(twice, moved) is None


# --- what the forms cannot edit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", None, "tom"),
        ("# bare en kommentar\n", None, "tom"),
        ("categories: [{name: A, agreements: [{name: B}]}]\n", 1, "liste"),
        ("other: 1\n", 1, "categories"),
        ("categories:\n  - name: A\n", 2, "mangler 'agreements:'"),
        ("categories:\n  - name: A\n    agreements: [{name: B}]\n", 3, "'agreements'"),
        ("categories:\n  - name: A\n    agreements:\n      - {name: B}\n", 4, "samarbeid"),
        ("categories:\n  - name: A\n    agreements:\n      - &x\n        name: B\n  - name: C\n    agreements:\n"
         "      - *x\n", 4, "aliaser"),
        ("categories:\n  - name: A\n    agreements:\n      - name: B\n        name: C\n", 5, "to ganger"),
        ("categories:\n  - name: A\n    agreements:\n      - name: 'B\n", None, "YAML-feil"),
        ("categories:\n  - name: A\r    agreements: []\n", 2, "linjeskift"),
    ],
)  # fmt: skip
def test_what_the_forms_cannot_edit_is_refused_with_its_line(text, line, words):
    with pytest.raises(EditError, match=words) as refused:
        parse(text)
    assert refused.value.line == line or line is None
    assert "rediger filen i et tekstprogram" in refused.value.message


def test_a_category_without_agreements_parses():
    register = parse("categories:\n  - name: A\n    agreements:\n  - name: B\n    agreements: []   # snart\n")
    assert [c.agreements for c in register.categories] == [(), ()]
    after = insert_agreement(
        "categories:\n  - name: A\n    agreements: []   # snart\n", CategoryRef(0, "A"), 0, AgreementFields("X")
    )
    assert after == "categories:\n  - name: A\n    agreements:   # snart\n      - name: X\n"
