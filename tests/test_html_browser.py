"""The publication folder in a real browser: Debian's Chromium driven by
Playwright (the system browser, never a downloaded one), with axe-core's
WCAG 2.0/2.1 A and AA rules, on content/, the nynorsk example and a
five-member Sami edition. Every page: no axe violation at 1280 and at 320
CSS pixels, no horizontal scrolling of the page at 320 (WCAG 1.4.10), every
link resolving, and no request leaving file://. The 2019 table read from the
DOM equals the reference's 70 rows, at both widths."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browsing import axe_violations
from conftest import write_sami_edition
from platforms import needs_chromium
from readback import spaced
from test_reference import expected_header, expected_rows

from builder.publish import publish

# A browser: the quick loop (-m "not slow") leaves these out.
pytestmark = [needs_chromium, pytest.mark.slow]

WIDTHS = (1280, 320)
SITES = ["content", "examples/nord-sami", "sami-nn"]

# The cells a sighted reader sees: without the words only screen readers get
# (.vh) and the labels only a narrow screen shows (.label, .lead).
ROWS_AS_SEEN = """() => {
  const hidden = n => n.classList && ['vh', 'label', 'lead'].some(c => n.classList.contains(c));
  const text = n => [...n.childNodes].map(c => c.nodeType === 3 ? c.data : (hidden(c) ? '' : text(c))).join('');
  const rows = document.querySelectorAll('table.agreements > thead > tr, table.agreements > tbody > tr');
  return [...rows].map(r => [...r.children].map(c => text(c).split(/\\s+/).filter(Boolean).join(' ')));
}"""


WIDTHS_OF = "elements => elements.map(e => e.getBoundingClientRect().width)"


@pytest.fixture(scope="module")
def requests() -> list[str]:
    """Every URL any page asked for."""
    return []


@pytest.fixture(scope="module")
def open_page(browser, requests):
    """A page at a width, loaded from file:// once and shared by the tests;
    every request recorded, and any that would leave file:// refused."""
    contexts, pages = {}, {}

    def guard(route):
        requests.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def opener(path: Path, width: int):
        if width not in contexts:
            contexts[width] = browser.new_context(viewport={"width": width, "height": 900})
            contexts[width].route("**/*", guard)
        if (path, width) not in pages:
            pages[path, width] = page = contexts[width].new_page()
            page.goto(path.as_uri())
            page.wait_for_load_state("networkidle")
        return pages[path, width]

    yield opener
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="module", params=SITES)
def site(request, root, tmp_path_factory) -> Path:
    name = request.param
    content = write_sami_edition(tmp_path_factory.mktemp("sami")) if name == "sami-nn" else root / name
    folder = tmp_path_factory.mktemp("site")
    publish(content, folder)
    return folder


def _pages(site: Path) -> list[Path]:
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 4
    return pages


@pytest.mark.parametrize("width", WIDTHS)
def test_no_wcag_violations_on_any_page(site, open_page, width):
    found = {}
    for path in _pages(site):
        if violations := axe_violations(open_page(path, width)):
            found[path.name] = violations
    assert found == {}


def test_no_horizontal_scrolling_at_320_pixels(site, open_page):
    for path in _pages(site):
        page = open_page(path, 320)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path.name} is {width} px wide at 320"
        # and the table reflowed rather than squeezed: each agreement's name has a line of its own
        names = page.eval_on_selector_all(".agreements th[scope=row]", WIDTHS_OF)
        assert min(names) >= 250, f"{path.name}: an agreement's name is squeezed to {min(names):.0f} px"


def test_every_link_resolves(site, open_page):
    for path in _pages(site):
        page = open_page(path, 1280)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            parts = urlsplit(href)
            assert parts.scheme == "file", href
            target = Path(unquote(parts.path))
            assert target.is_file() and target.parent == site, f"{path.name}: {href}"
            if parts.fragment:
                assert page.locator(f"#{parts.fragment}").count() == 1


def test_nothing_leaves_file_urls(site, open_page, requests):
    for path in _pages(site):
        open_page(path, 1280)
    assert requests and all(url.startswith("file://") for url in requests), sorted(set(requests))


@pytest.mark.parametrize("width", WIDTHS)
def test_table_rows_from_the_dom_equal_the_reference(root, tmp_path_factory, open_page, width):
    folder = tmp_path_factory.mktemp("site2019")
    publish(root / "content", folder)
    header, *body = open_page(folder / "index.html", width).evaluate(ROWS_AS_SEEN)
    assert header == spaced(expected_header())  # the no-break spaces split as white space
    assert body == expected_rows() and len(body) == 70


def test_a_narrow_screen_shows_each_agreement_as_a_labelled_block(root, tmp_path_factory, open_page):
    folder = tmp_path_factory.mktemp("narrow")
    publish(root / "content", folder)
    page = open_page(folder / "index.html", 320)
    row = page.locator("table.agreements tbody tr", has_text="Felles personvernombud")
    shown = row.inner_text()
    assert "Type samarbeid §\u00a0i\u00a0kommuneloven: § 28 – 1B" in shown
    assert "Deltar:" in shown and "Lillehammer" in shown and "Kommentarer: Med Ringebu" in shown
    assert page.locator("table.agreements thead").bounding_box()["height"] <= 1, "the header row is for screen readers"
    # the table is still a table to assistive technology, named and described
    from playwright.sync_api import expect

    table = page.locator("table.agreements")
    expect(table).to_have_accessible_name("Interkommunale samarbeid per 1. januar 2019")
    expect(table).to_have_accessible_description(re.compile(r"^Tabell over 57 samarbeid i 13 kategorier\."))
    snapshot = table.aria_snapshot()
    assert '- rowheader "Felles personvernombud"' in snapshot and '- columnheader "Lillehammer"' in snapshot
    assert '- cell "deltar"' in snapshot and not re.search(r'cell "[^"]*\bx\b', snapshot), "a mark is read as deltar"


def test_printed_the_header_row_repeats_and_no_page_ends_with_a_category(root, tmp_path_factory, browser):
    import pdfplumber

    from builder.build import prepare

    folder = tmp_path_factory.mktemp("print")
    publish(root / "content", folder)
    page = browser.new_page()
    page.goto((folder / "index.html").as_uri())
    page.emulate_media(media="print")
    printed = folder / "printed.pdf"
    page.pdf(path=str(printed), prefer_css_page_size=True)
    page.close()
    categories = {category.name for category in prepare(root / "content").edition.categories}
    with pdfplumber.open(printed) as pdf:
        pages = [(p.extract_text() or "").splitlines() for p in pdf.pages]
    assert round(pdf.pages[0].width / 72 * 2.54, 1) == 21.0, "the layout's A4 page"
    with_table = [lines for lines in pages if any(line.startswith("Pr. 01.01.2019") for line in lines)]
    assert len(with_table) >= 3
    assert all(lines[0].startswith("Pr. 01.01.2019 Type") for lines in with_table[1:]), "the header row repeats"
    assert not [lines[-1] for lines in pages if lines[-1] in categories], "a category row keeps with its first row"


def test_the_summary_table_keeps_its_right_border_at_375_pixels(tmp_path, browser):
    """The 2020 edition's summary (a row named «Vertskommunesamarbeid»)
    fits a 375-pixel phone screen whole: its scroll region has nothing to
    hide, and the table's right border is drawn, dark, inside the screen."""
    import io

    from PIL import Image
    from year_2020 import make_2020

    from builder.build import build

    (html,), _ = build(make_2020(tmp_path / "2020"), tmp_path / "out", ("html",), summary=True)
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        page.goto(html.as_uri())
        region = page.query_selector(".scroll:has(table.data)")
        region.scroll_into_view_if_needed()
        sizes = region.evaluate(
            "e => [e.scrollWidth, e.clientWidth, e.querySelector('table').getBoundingClientRect().right,"
            " e.getBoundingClientRect().right]"
        )
        scroll_width, client_width, table_right, region_right = sizes
        assert scroll_width <= client_width, f"the summary table is {scroll_width - client_width} px too wide"
        assert table_right <= region_right <= 375
        box = region.bounding_box()
        shot = Image.open(io.BytesIO(page.screenshot(clip=box))).convert("L")
        rightmost = [shot.getpixel((shot.width - 1 - x, shot.height // 2)) for x in range(3)]
        assert min(rightmost) < 128, f"no dark border at the table's right edge: {rightmost}"
    finally:
        page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_agreements_facts_open_from_its_row_by_keyboard_and_stay_accessible(tmp_path_factory, open_page, width):
    """Issue 25: the facts in a disclosure in the row, opened with the
    keyboard; axe clean with every disclosure open, nothing scrolling
    sideways at 320 px, and the statement's link in the footer."""
    from edits import make_edition
    from test_register import BASE_AGREEMENT, FACTS, PUBLICATION

    folder = tmp_path_factory.mktemp("facts")
    content = make_edition(folder / "content")
    agreements, report = content / "agreements.yaml", content / "report.yaml"
    agreements.write_text(agreements.read_text("utf-8").replace(BASE_AGREEMENT, FACTS), "utf-8")
    report.write_text(report.read_text("utf-8") + PUBLICATION, "utf-8")
    publish(content, folder / "site")
    page = open_page(folder / "site" / "index.html", width)
    summary = page.locator("details.facts summary").first
    link = page.get_by_role("link", name="923 609 016")
    assert not link.is_visible()
    summary.focus()
    page.keyboard.press("Enter")
    assert link.is_visible() and link.get_attribute("href").endswith("/enheter/923609016")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("footer").get_by_role("link", name="Tilgjengelighetserklæring").count() == 1
