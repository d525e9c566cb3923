"""What the browser tests share: axe-core's WCAG 2.1 AA rules, and a click
that waits for the page it leads to."""

from __future__ import annotations

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# only the violations' nodes are sent back: the passes' nodes of a large table took seconds
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}


def axe_violations(page) -> list:
    """axe-core's WCAG 2.1 AA findings on the page as it stands: (rule, first nodes) for each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.response["passes"], "axe ran its rules"
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]]


def press(page, control) -> None:
    """Click ``control`` and wait for the page it leads to."""
    with page.expect_navigation():
        control.click()
