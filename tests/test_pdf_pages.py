"""The PDF's pages, read back with pdfplumber, without an office suite: so
that where LibreOffice is missing (tests/test_office_layout.py is skipped)
the PDF's pagination is still checked.

The 2020 edition (tests/year_2020.py) with its summary and the section on
changes since 2019, the region's and each member's, is swept over a page:
0 to 14 one-line paragraphs after the title. No page may end with a heading
(the changes section's "Endringer siden …" and «Nye samarbeid (…)» among
them), a category row or the header row; each page's footer is its page
label in one size, and a list's lines are evenly spaced at every level.
tests/test_office_layout.py checks the same on the PDF of the 2019 edition
and the others it sweeps, with or without LibreOffice.
"""

from __future__ import annotations

import pytest
from pages import EVEN_PT, list_gaps, page_end_problems, read_pages, with_extra_lines
from year_2020 import ROOT, make_2020

from builder.build import prepare_all
from builder.writers.pdf_writer import render_pdf

EXTRA_LINES = range(15)  # one body line each: together most of a page


@pytest.fixture(scope="module")
def edition_2020(tmp_path_factory):
    return make_2020(tmp_path_factory.mktemp("year") / "2020")


@pytest.mark.parametrize("who", ["region", "members"])
def test_no_pdf_page_ends_with_a_heading_a_category_or_the_header(edition_2020, tmp_path, who):
    prepared = prepare_all(
        edition_2020, members=None if who == "region" else ("all",), changes_since=ROOT / "content", summary=True
    )
    problems, depths, swept = [], [], 0
    for one in prepared:
        margin = one.layout.margins_cm["bottom"] / 2.54 * 72
        for count in EXTRA_LINES:
            document = with_extra_lines(one.document, count)
            path = tmp_path / f"{one.member or 'region'}-{count:02d}.pdf"
            path.write_bytes(render_pdf(document, one.layout))
            pages = read_pages(path, margin)
            problems += page_end_problems(path.stem, document, pages)
            for page in pages:
                (footer,) = page.footer
                assert footer.text == document.footer_page_label.format(page=page.number), path.stem
                assert footer.sizes == {one.layout.fonts.footer_pt}, (path.stem, page.number, footer.sizes)
            for depth, gaps in list_gaps(document, pages):
                assert max(gaps) - min(gaps) <= EVEN_PT, (path.stem, gaps)
                depths.append(depth)
            swept += 1
    assert swept == len(prepared) * len(EXTRA_LINES) and len(prepared) == (1 if who == "region" else 3)
    assert problems == []
    assert max(depths) >= 1, "a list with second-level items was read"
