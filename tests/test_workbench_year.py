"""The year's work from the workbench, in Debian's Chromium through the real
``oversikt serve``: a new year, an import and its guesses, the warnings,
what changed, building and publishing (the same files as the command line
makes), and the preview's error bar; axe-core on every page."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from browsing import axe_violations, press
from platforms import needs_chromium
from served import Served
from synthetic import generate

# A browser: the quick loop (-m "not slow") leaves these out.
pytestmark = [needs_chromium, pytest.mark.slow]


@pytest.fixture
def edition(content_dir, tmp_path) -> Path:
    folder = tmp_path / "innhold-2019"
    shutil.copytree(content_dir, folder)
    return folder


def _oversikt(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True, text=True, timeout=300)


def test_every_page_has_the_bar_with_each_step(bench):
    served, page = bench
    for address in ("/", "/rediger", "/nytt-ar", "/importer", "/advarsler", "/endringer", "/bygg", "/publiser"):
        page.goto(served.url.rstrip("/") + address)
        bar = page.get_by_role("navigation", name="Arbeidsbenken")
        for name in ("Rediger", "Nytt år", "Importer", "Advarsler", "Endringer", "Bygg", "Publiser"):
            assert bar.get_by_role("link", name=name, exact=True).count() == 1, (address, name)


def test_a_new_year_is_made_and_opened(bench, edition):
    served, page = bench
    page.get_by_role("link", name="Nytt år", exact=True).click()
    assert page.get_by_label("Ny mappe").input_value().endswith("innhold-2020")
    page.get_by_label("Dato").fill("01.01.2020")
    press(page, page.get_by_role("button", name="Lag nytt år"))
    assert page.get_by_role("heading", name="Utgaven for 2020 er laget").is_visible()
    main = page.inner_text("main")
    assert "INNOFF Innkjøpssamarbeid" in main and "Eioff" in main  # left out: they were terminated
    assert "Samarbeidsformer fra kommuneloven av 1992" in main and "Kan vente" in main
    new = edition.parent / "innhold-2020"
    report = yaml.safe_load((new / "report.yaml").read_text("utf-8"))
    assert str(report["as_of"]) == "2020-01-01" and report["changes_since"] == "../innhold-2019"
    assert (edition / "report.yaml").read_text("utf-8").count("2019-01-01") == 1  # last year's is as it was
    page.get_by_role("link", name="Rediger", exact=True).click()
    assert page.get_by_role("heading", name="Rediger Lillehammer-regionen 2020").is_visible()
    page.get_by_role("link", name="Endringer", exact=True).click()
    assert "Avsluttede samarbeid (2)" in page.inner_text("main")
    page.get_by_role("link", name="Forhåndsvisning").click()
    assert "per 1. januar 2020" in page.inner_text("main") and "Endringer siden" in page.inner_text("main")


def test_an_import_lists_its_guesses_and_a_confirmed_one_loses_its_mark(bench, edition, tmp_path):
    served, page = bench
    word = tmp_path / "word"
    assert _oversikt("build", str(edition), "--out", str(word), "--format", "docx").returncode == 0
    page.get_by_role("link", name="Importer", exact=True).click()
    page.get_by_label("Fil").set_input_files(str(word / "oversikt-2019.docx"))
    press(page, page.get_by_role("button", name="Importer"))
    imported = edition.parent / "innhold-2019-2"  # named from the document's date; innhold-2019 is taken
    assert (imported / "agreements.yaml").is_file()
    assert page.get_by_role("heading", name="Importert: 57 samarbeid i 13 kategorier").is_visible()

    def marks() -> int:
        return sum(
            (imported / name).read_text("utf-8").count("# guessed") for name in ("report.yaml", "agreements.yaml")
        )

    marked = marks()
    assert marked > 0 and f"Importen måtte gjette {marked} verdier" in page.inner_text("main")
    assert "gjettet ut fra kommentaren «med ringebu. lillehammer vertskommune»" in page.inner_text("main").casefold()
    first = page.get_by_role("button", name="Bekreft Vertskommune: Lillehammer i Felles personvernombud")
    press(page, first)
    after = (imported / "agreements.yaml").read_text("utf-8")
    assert marks() == marked - 1
    block = after[after.index("- name: Felles personvernombud") :].split("- name:", 2)[1]
    assert "host: Lillehammer\n" in block and "partners: [Ringebu]  # guessed" in block
    assert f"Importen måtte gjette {marked - 1} verdier" in page.inner_text("main")
    page.get_by_role("link", name="Advarsler", exact=True).click()
    assert f"{marked - 1} gjetninger fra importen er ikke bekreftet" in page.inner_text("main")
    page.get_by_role("link", name=f"{marked - 1} gjetninger fra importen").first.click()
    # a guess changed in the form is a guess no longer
    page.get_by_role("link", name="Rediger Felles personvernombud").first.click()
    page.get_by_label("Andre deltakere").fill("Ringebu, Sør-Fron")
    press(page, page.get_by_role("button", name="Lagre", exact=True))
    assert marks() == marked - 2


def test_build_and_publish_make_what_the_command_line_makes(bench, edition, tmp_path):
    served, page = bench
    page.get_by_role("link", name="Bygg", exact=True).click()
    page.get_by_label("Nettside (HTML)").check()
    press(page, page.get_by_role("button", name="Bygg", exact=True))
    page.get_by_role("heading", name="Ferdig: 12 filer").wait_for(timeout=120_000)  # the page asks until it is done
    built = edition.parent / "bygg-2019"
    assert "formats: [docx, pdf, html]" in (edition / "report.yaml").read_text("utf-8")  # remembered
    cli = tmp_path / "cli"
    assert _oversikt("build", str(edition), "--out", str(cli)).returncode == 0  # formats from report.yaml
    assert _oversikt("build", str(edition), "--out", str(cli), "--member", "all").returncode == 0
    assert sorted(p.name for p in built.iterdir()) == sorted(p.name for p in cli.iterdir())
    for made in cli.iterdir():
        assert (built / made.name).read_bytes() == made.read_bytes(), made.name
    assert page.get_by_role("link", name="oversikt-2019-oyer.pdf").is_visible()

    page.get_by_role("link", name="Publiser", exact=True).click()
    press(page, page.get_by_role("button", name="Publiser", exact=True))
    page.get_by_role("link", name="Åpne nettstedets forside").wait_for(timeout=120_000)
    site, cli_site = edition.parent / "nettsted-2019", tmp_path / "cli-site"
    assert _oversikt("publish", str(edition), "--out", str(cli_site)).returncode == 0
    assert sorted(p.name for p in site.iterdir()) == sorted(p.name for p in cli_site.iterdir())
    for made in cli_site.iterdir():
        assert (site / made.name).read_bytes() == made.read_bytes(), made.name
    assert (site / "oversikt-2019.pdf").read_bytes() == (built / "oversikt-2019.pdf").read_bytes()
    page.get_by_role("link", name="Åpne nettstedets forside").click()
    assert "Oversikt over interkommunale samarbeid" in page.inner_text("h1")


def test_a_second_build_while_one_runs_is_refused(tmp_path):
    large = generate(tmp_path / "stor", 3000, 8)
    served = Served(large, log=tmp_path / "serve")
    try:
        fields = [("nokkel", served.secret), ("format", "pdf"), ("format", "docx")]
        first, _, _ = served.post("/bygg", fields)
        second, body, _ = served.post("/bygg", fields)
        assert first == 303
        assert second == 409 and "Et bygg pågår allerede" in body.decode()
    finally:
        served.stop()


def test_an_error_stays_in_view_and_the_page_returns_once_it_is_mended(bench, edition):
    served, page = bench
    page.goto(served.url)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 1000
    path = edition / "agreements.yaml"
    good = path.read_text("utf-8")
    path.write_text(good.replace("members: [Lillehammer, Gausdal]", "members: [Lillehammer, Oyer]", 1), "utf-8")
    bar = page.get_by_role("alert")
    bar.wait_for(timeout=5000)
    box = bar.bounding_box()
    assert box is not None and 0 <= box["y"] < 900  # in the window
    assert "agreements.yaml:" in bar.inner_text() and "Oyer" in bar.inner_text()
    path.write_text(good, "utf-8")
    page.wait_for_function("() => !document.querySelector('[data-feil-i-innholdet]')", timeout=5000)
    page.wait_for_timeout(300)
    assert abs(page.evaluate("window.scrollY") - scrolled) < 50


@pytest.mark.parametrize("width", [320, 1280])
def test_no_wcag_violations_on_the_years_pages(bench, edition, width):
    served, page = bench
    page.set_viewport_size({"width": width, "height": 800})
    found = {}
    for address in ("/nytt-ar", "/importer", "/advarsler", "/endringer", "/bygg", "/publiser", "/importer/gjetninger"):
        page.goto(served.url.rstrip("/") + address)
        if violations := axe_violations(page):
            found[address] = violations
        assert page.evaluate("document.documentElement.scrollWidth") <= width, address
    assert not found, found
