"""The workbench in Debian's Chromium, driven by Playwright through the real
``oversikt serve``: each flow an editor follows to make the next year's
changes, found by the controls' accessible names, with axe-core's WCAG 2.1 AA
rules on every editing page."""

from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path

import pytest
from browsing import axe_violations, press
from platforms import needs_chromium

# A browser: the quick loop (-m "not slow") leaves these out.
pytestmark = [needs_chromium, pytest.mark.slow]


@pytest.fixture
def edition(content_dir, tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(content_dir, folder)
    return folder


def _agreements(edition: Path) -> str:
    return (edition / "agreements.yaml").read_text("utf-8")


def _save(page) -> None:
    press(page, page.get_by_role("button", name="Lagre", exact=True))


def test_edit_a_comment(bench, edition):
    served, page = bench
    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    assert page.get_by_role("row").nth(1).inner_text().startswith("Borgerlig vigsel")  # the row as it prints
    page.get_by_label("Kommentar").fill("Vigsler på rådhuset")
    _save(page)
    assert page.get_by_role("heading", name="Lagret: Endret «Borgerlig vigsel»").is_visible()
    assert "comment: Vigsler på rådhuset" in _agreements(edition)
    page.get_by_role("link", name="Forhåndsvisning").click()
    assert "Vigsler på rådhuset" in page.inner_text("main")


def test_end_an_agreement(bench, edition):
    served, page = bench
    page.get_by_role("link", name="Rediger Valg-samarbeid").click()
    page.get_by_label("Status").select_option(label="sagt opp")
    _save(page)
    text = _agreements(edition)
    block = text[text.index("- name: Valg-samarbeid") :].split("- name:", 2)[1]
    assert "status: terminated" in block


def test_add_an_agreement_and_a_part_of_a_framework(bench, edition):
    served, page = bench
    page.get_by_role("link", name="Nytt samarbeid i Administrativt samarbeid").click()
    page.get_by_label("Navn", exact=True).fill("Felles innkjøpskontor")
    page.get_by_label("Type samarbeid").select_option(label="KO")
    for member in ("Lillehammer", "Øyer"):
        page.get_by_label(member, exact=True).check()
    page.get_by_label("Andre deltakere").fill("Ringebu, Sør-Fron")
    page.get_by_label("Startet").fill("2020")
    _save(page)
    text = _agreements(edition)
    assert "- name: Felles innkjøpskontor" in text and "partners: [Ringebu, Sør-Fron]" in text
    assert "members: [Lillehammer, Øyer]" in text

    page.get_by_role("link", name="Nytt samarbeid i Helse og omsorg").click()
    page.get_by_label("Navn", exact=True).fill("Felles jordmortjeneste")
    page.get_by_label("Type samarbeid").select_option(label="Vertskommunesamarbeid")
    page.get_by_label("Lillehammer", exact=True).check()
    page.get_by_label("Gausdal", exact=True).check()
    page.get_by_label("Vertskommune").select_option(label="Lillehammer")
    page.get_by_label("Del av").select_option(value="helse")
    _save(page)
    text = _agreements(edition)
    new = text[text.index("- name: Felles jordmortjeneste") :]
    assert "part_of: helse" in new.split("- name:", 2)[1]
    page.get_by_role("link", name="Forhåndsvisning").click()
    assert "Felles jordmortjeneste" in page.inner_text("main")


def test_move_an_agreement_down_and_to_another_category(bench, edition):
    served, page = bench
    before = _agreements(edition)
    assert before.index("Borgerlig vigsel") < before.index("Felles økonomienhet")
    press(page, page.get_by_role("button", name="Flytt ned Borgerlig vigsel"))
    after = _agreements(edition)
    assert after.index("Felles økonomienhet") < after.index("Borgerlig vigsel")
    assert sorted(before.splitlines()) == sorted(after.splitlines())  # moved, not changed

    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    page.get_by_label("Kategori").select_option(label="Regionråd og annet politisk samarbeid")
    _save(page)
    moved = _agreements(edition)
    assert moved.index("Borgerlig vigsel") < moved.index("- name: Administrativt samarbeid")


def test_remove_an_agreement_after_being_told_of_ending_it(bench, edition):
    served, page = bench
    page.get_by_role("link", name="Rediger Felles formannskapsmøter").click()
    page.get_by_role("link", name="Fjern Felles formannskapsmøter").click()
    assert "sagt opp" in page.inner_text("main")  # ending it is usually what is meant
    press(page, page.get_by_role("button", name="Fjern Felles formannskapsmøter"))
    assert "Felles formannskapsmøter" not in _agreements(edition)


def test_a_refused_save_puts_focus_on_the_errors_and_keeps_what_was_typed(bench, edition):
    served, page = bench
    before = _agreements(edition)
    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    page.get_by_label("Startet").fill("i fjor")
    page.get_by_label("Kommentar").fill("Skrevet før feilen")
    _save(page)
    summary = page.get_by_role("alert")
    assert "Ikke lagret" in summary.inner_text() and "since" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-feil')")
    field = page.get_by_label("Startet")
    assert field.get_attribute("aria-invalid") == "true"
    assert "skal være" in page.locator(f"#{field.get_attribute('aria-describedby').split()[0]}").inner_text()
    assert page.get_by_label("Kommentar").input_value() == "Skrevet før feilen"
    assert _agreements(edition) == before
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "felt-startet"


def test_a_conflict_with_an_outside_edit_shows_both_versions(bench, edition):
    served, page = bench
    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    path = edition / "agreements.yaml"
    theirs = _agreements(edition).replace("members: [Lillehammer, Gausdal]", "members: all", 1)
    path.write_text(theirs, "utf-8")
    page.get_by_label("Kommentar").fill("Min endring")
    _save(page)
    assert page.get_by_role("heading", name="Ikke lagret: filen er endret et annet sted").is_visible()
    assert "Min endring" in page.inner_text("main") and "Kommuner: alle" in page.inner_text("main")
    assert _agreements(edition) == theirs


def test_undo_from_the_notice_and_from_the_history(bench, edition):
    served, page = bench
    original = (edition / "agreements.yaml").read_bytes()
    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    page.get_by_label("Kommentar").fill("Angres straks")
    _save(page)
    press(page, page.get_by_role("button", name="Angre", exact=True))
    assert (edition / "agreements.yaml").read_bytes() == original

    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    page.get_by_label("Kommentar").fill("Angres fra historikken")
    _save(page)
    page.get_by_role("link", name="Historikk").first.click()
    assert page.get_by_role("heading", name="Endret «Borgerlig vigsel»").first.is_visible()
    press(page, page.get_by_role("button", name="Angre Endret «Borgerlig vigsel»").first)
    assert (edition / "agreements.yaml").read_bytes() == original


def test_edit_the_introduction(bench, edition):
    served, page = bench
    page.get_by_role("link", name="Rediger innledning.md").click()
    text = page.get_by_label("Tekst")
    text.fill(text.input_value().replace("mange etablerte", "mange godt etablerte", 1))
    _save(page)
    assert "mange godt etablerte" in (edition / "text" / "innledning.md").read_text("utf-8")
    assert (edition / "text" / "innledning.md").read_bytes().count(b"\r") == 0


def test_add_a_category_with_its_first_agreement(bench, edition):
    served, page = bench
    page.get_by_label("Navn på ny kategori").fill("Vann og avløp")
    page.get_by_role("button", name="Legg til kategori").click()
    page.get_by_label("Navn", exact=True).fill("Felles vannverk")
    page.get_by_label("Type samarbeid").select_option(label="IKS")
    for member in ("Lillehammer", "Gausdal", "Øyer"):
        page.get_by_label(member, exact=True).check()
    _save(page)
    text = _agreements(edition)
    assert text.index("- name: Vann og avløp") < text.index("- name: Felles vannverk")
    assert "members: all" in text[text.index("- name: Felles vannverk") :]
    assert page.get_by_role("heading", name="Vann og avløp").is_visible()


def test_keyboard_alone_edits_and_saves(bench, edition):
    served, page = bench
    page.get_by_role("link", name="Rediger Borgerlig vigsel").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_label("Kommentar").focus()
    page.keyboard.type("Med tastaturet")
    page.keyboard.press("Tab")  # to the category
    page.keyboard.press("Tab")  # to «Lagre»
    assert page.evaluate("document.activeElement.textContent") == "Lagre"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "comment: Med tastaturet" in _agreements(edition)


def test_a_form_forged_on_another_local_port_changes_nothing(bench, edition, tmp_path):
    served, page = bench
    before = (edition / "agreements.yaml").read_bytes()
    forged = tmp_path / "forged"
    forged.mkdir()
    (forged / "index.html").write_text(
        f'<form id="f" method="post" action="http://127.0.0.1:{served.port}/rediger/samarbeid/1/4">'
        '<input name="nokkel" value="gjettet"><input name="navn" value="Kapret"><input name="handling" value="lagre">'
        "</form><script>document.getElementById('f').submit()</script>",
        "utf-8",
    )
    handler = type("Handler", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(forged)))
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        with page.expect_response(lambda r: "/rediger/samarbeid/1/4" in r.url) as answer:
            page.goto(f"http://127.0.0.1:{other.server_address[1]}/index.html")
        assert answer.value.status == 403
    finally:
        other.shutdown()
    assert (edition / "agreements.yaml").read_bytes() == before


@pytest.mark.parametrize("width", [320, 1280])
def test_no_wcag_violations_and_no_sideways_scrolling_on_the_editing_pages(bench, edition, width):
    served, page = bench
    page.set_viewport_size({"width": width, "height": 800})
    found = {}

    def check(name: str) -> None:
        if violations := axe_violations(page):
            found[name] = violations
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    page.goto(f"{served.url}rediger")
    check("oversikt")
    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    check("skjema")
    page.get_by_label("Startet").fill("i fjor")
    _save(page)
    check("skjema med feil")
    page.get_by_role("link", name="Fjern Borgerlig vigsel").click()
    check("fjern")
    page.goto(f"{served.url}rediger/kategori/1")
    check("kategori")
    page.goto(f"{served.url}rediger/tekst/innledning.md")
    check("tekst")
    page.goto(f"{served.url}rediger/samarbeid/1/4")
    page.get_by_label("Kommentar").fill("Lagret for historikken")
    _save(page)
    check("lagret")
    page.get_by_role("link", name="Historikk").first.click()
    check("historikk")
    assert not found, found
