"""No page the project writes can carry a script from the content or the
layout. Every text an editor or a layout author writes holds markup meant to
run (a script, an event handler, a ``javascript:`` link, the end of the
page's <style>); the pages of ``build --format html`` and ``publish`` are
parsed back, and hold no script, no handler and no such link, carry the
Content-Security-Policy, and show each payload as the text it was.
"""

from __future__ import annotations

import dataclasses
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from edits import replace, write
from platforms import launch_chromium, needs_chromium
from test_hostile_content import run_oversikt

from builder.build import prepare
from builder.writers.html_writer import PAGE_POLICY, render_html, stylesheet

ROOT = Path(__file__).resolve().parent.parent
PAYLOAD = (
    '<script>alert(1)</script></style><img src=x onerror="alert(2)"><a href="javascript:alert(3)">x</a>'
    "<svg onload=alert(4)>'\"&"
)
SHORT = "<b onmouseover=alert(5)>"  # where the text must stay short: a member's name heads a narrow column
QUOTED, SHORT_QUOTED = json.dumps(PAYLOAD), json.dumps(SHORT)  # as YAML strings
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
EXPECTED_ELEMENTS = {
    "html", "head", "meta", "title", "style", "body", "a", "main", "nav", "h1", "h2", "h3", "h4", "h5", "h6",
    "p", "ul", "li", "em", "strong", "table", "caption", "colgroup", "col", "thead", "tbody", "tr", "th", "td",
    "span", "div", "figure", "figcaption", "svg", "rect", "line", "text", "defs", "pattern",
}  # fmt: skip


class _Page(HTMLParser):
    """What a browser would build from the page: its elements, their attributes, the text and the CSS."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def assert_no_script(html: str) -> _Page:
    page = _Page(html)
    tags = [tag for tag, _ in page.elements]
    assert "script" not in tags
    assert set(tags) <= EXPECTED_ELEMENTS, set(tags) - EXPECTED_ELEMENTS
    for tag, attributes in page.elements:
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, (tag, handlers)
        for name in URL_ATTRIBUTES & set(attributes):
            value = "".join((attributes[name] or "").split()).lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, name, value)
    policies = [
        a["content"] for tag, a in page.elements if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policies == [PAGE_POLICY]
    assert tags.index("meta") < tags.index("style")  # the policy is read before anything it governs
    assert tags.count("style") == 1 and "<" not in "".join(page.styles)
    return page


def _hostile_layout(content: Path) -> None:
    """Every label of the shipped layout, with the payload in front."""
    shipped = yaml.safe_load((ROOT / "layouts" / "oversikt.yaml").read_text("utf-8"))
    labels = {
        language: {
            key: ("" if key in ("mark", "part_marker", "and") else PAYLOAD) + text for key, text in texts.items()
        }
        for language, texts in shipped["labels"].items()
    }
    (content / "layouts").mkdir()
    text = yaml.safe_dump({"extends": "oversikt", "labels": labels}, allow_unicode=True, width=10_000)
    (content / "layouts" / "fiendtlig.yaml").write_text(text, "utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The base edition with the payload in every text an editor writes, and the hostile layout."""
    from edits import make_edition

    content = make_edition(
        tmp_path_factory.mktemp("fiendtlig") / "content1",
        replace("report.yaml", "region: Lillehammer-regionen", f"region: {QUOTED}"),
        replace(
            "report.yaml", "members: [Lillehammer, Gausdal, Øyer]", f"members: [Lillehammer, Gausdal, {SHORT_QUOTED}]"
        ),
        replace("report.yaml", "language: nb", f"language: nb\nlayout: fiendtlig\nsummary: true\ntitle: {QUOTED}"),
        replace("agreements.yaml", "- name: Administrativt samarbeid", f"- name: {QUOTED}"),
        replace("agreements.yaml", "- name: Felles personvernombud", f"- name: {QUOTED}"),
        replace(
            "agreements.yaml",
            "members: all\n        comment: Lillehammer vertskommune",
            f"members: all\n        comment: {QUOTED}",
        ),  # fmt: skip
        replace("agreements.yaml", "members: [Lillehammer, Øyer]", f"members: [Lillehammer, {SHORT_QUOTED}]"),
        write(
            "text/innledning.md",
            f"# Innledning {PAYLOAD}\n\n{PAYLOAD}\n\n<script>alert(6)</script>\n\n"
            "[lenke](javascript:alert(7)) og ![bilde](javascript:alert(8)) og <javascript:alert(9)>\n\n"
            f"- *{PAYLOAD}*\n- **{PAYLOAD}**\n",
        ),
    )
    _hostile_layout(content)
    return content


def _written(folder: Path) -> list[Path]:
    pages = sorted(folder.glob("*.html"))
    assert pages
    return pages


def test_a_built_page_carries_no_script(hostile, tmp_path):
    result = run_oversikt("build", "content1", "--format", "html", "--member", "all", "--out", str(tmp_path),
                          cwd=hostile.parent)  # fmt: skip
    assert result.returncode == 0, result.stderr
    for path in _written(tmp_path):
        page = assert_no_script(path.read_text("utf-8"))
        shown = "".join(page.text)
        assert "<script>alert(1)</script></style><img src=x onerror=" in shown, path.name  # shown, not lost


def test_a_published_page_carries_no_script(hostile, tmp_path):
    result = run_oversikt("publish", "content1", "--out", str(tmp_path / "nettsted"), cwd=hostile.parent)
    assert result.returncode == 0, result.stderr
    pages = _written(tmp_path / "nettsted")
    assert len(pages) == 4  # the region's page and one per member
    for path in pages:
        page = assert_no_script(path.read_text("utf-8"))
        assert "<script>alert(1)</script>" in "".join(page.text), path.name


def test_the_stylesheet_holds_only_css_whatever_reaches_the_writer(content_dir, tmp_path):
    """Past the layout reader's check of font names, the writer still writes
    a name as a CSS string: a family or a font file's name cannot end the <style>."""
    prepared = prepare(content_dir)
    font = tmp_path / "a}<script>alert(2)<-Regular.ttf"  # the page names the font its file is named for
    font.write_bytes(prepared.layout.fonts.files["regular"].read_bytes())
    fonts = dataclasses.replace(
        prepared.layout.fonts,
        family="x}</style><script>alert(1)</script><style>",
        files={**prepared.layout.fonts.files, "regular": font},
    )
    layout = dataclasses.replace(prepared.layout, fonts=fonts)
    assert "<" not in stylesheet(layout)
    page = assert_no_script(render_html(prepared.document, layout).decode("utf-8"))
    assert "\\3c /style\\3e" in "".join(page.styles)


def test_a_link_with_a_scheme_is_never_written(content_dir):
    prepared = prepare(content_dir)
    with pytest.raises(ValueError, match="within its site"):
        render_html(prepared.document, prepared.layout, [("Last ned", [("PDF", " javascript:alert(1)")])])


def test_the_policy_can_be_left_out_for_a_server_that_sends_its_own(content_dir):
    prepared = prepare(content_dir)
    with_policy = render_html(prepared.document, prepared.layout)
    without = render_html(prepared.document, prepared.layout, policy=None)
    assert b"Content-Security-Policy" in with_policy and b"Content-Security-Policy" not in without
    assert with_policy.replace(b'<meta http-equiv="Content-Security-Policy"', b"").count(b"<meta") == without.count(
        b"<meta"
    )


@needs_chromium
@pytest.mark.slow
def test_the_policy_stops_a_script_in_chromium_and_lets_the_style_apply(content_dir, tmp_path):
    """Were a script ever to reach a page, the page's own policy would stop
    it; its inline CSS still applies."""
    from playwright.sync_api import sync_playwright

    prepared = prepare(content_dir)
    html = render_html(prepared.document, prepared.layout).decode("utf-8")
    smuggled = '<script>window.ran = 1</script><img src="x" onerror="window.ran = 2"><svg onload="window.ran=3"></svg>'
    path = tmp_path / "side.html"
    path.write_text(html.replace("<body>\n", "<body>\n" + smuggled, 1), "utf-8")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.ran") == "undefined"
            shading = page.eval_on_selector("thead th", "th => getComputedStyle(th).backgroundColor")
            assert shading == "rgb(217, 217, 217)"  # the layout's header_shading, D9D9D9
        finally:
            browser.close()
