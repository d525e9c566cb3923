"""Makes the workbench's screenshots in this folder, for docs/brukerveiledning.md.

Starts the real ``oversikt serve`` on a copy of content/ (its history in a
scratch data folder, so the user's own is not touched), drives headless
Chromium with Playwright through the flows the guide describes, and writes
each picture cropped to the part the guide talks about:

    redigering.png       the editing view («Rediger»)
    redigering-bunn.png  its foot: a new category, the texts
    skjema.png           the agreement form, 1280 px wide
    skjema-mobil.png     the same form on a phone, 375 px wide
    avvist.png           a refused save: the error summary on top of the form
    avvist-felt.png      the field the summary links to, with its message
    konflikt.png         a save refused because the file was changed in another program
    historikk.png        «Historikk» after a save, with the change opened

Run it from the checkout after changing the workbench's pages, and look at
every picture before committing them:

    python docs/bilder/lag_skjermbilder.py

Needs Playwright and Chromium (/usr/bin/chromium), as the browser tests do.
Not a test: nothing here is checked.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from platforms import launch_chromium  # noqa: E402

WIDE, PHONE = 1280, 375
COLOURS = 256  # a palette image: text and flat colours keep their look at a fraction of the size


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="oversikt-bilder-") as scratch:
        scratch = Path(scratch)
        content = shutil.copytree(ROOT / "content", scratch / "innhold-2020")
        server, editing_url = start(content, scratch)
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                try:
                    shoot(browser, editing_url, content)
                finally:
                    browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    for name in sorted(HERE.glob("*.png")):
        print(f"{name.relative_to(ROOT)}: {name.stat().st_size // 1024} KB")
    return 0


def start(content: Path, scratch: Path) -> tuple[subprocess.Popen, str]:
    """``oversikt serve`` on a free port, and the address with the key it printed last."""
    log = scratch / "serve.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # this checkout's code, whatever is installed
        "XDG_DATA_HOME": str(scratch / "data"),  # the history, away from the user's own
        "LOGNAME": "kari",  # the user name «Historikk» shows
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", content.name, "--port", "0"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=scratch,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lines = [line.strip() for line in log.read_text().splitlines() if "http://" in line]
        if lines and "nokkel=" in lines[-1]:
            return server, lines[-1]
        if server.poll() is not None:
            raise SystemExit(log.read_text())
        time.sleep(0.1)
    server.kill()
    raise SystemExit("oversikt serve printed no address with a key")


def shoot(browser, editing_url: str, content: Path) -> None:
    page = browser.new_context(viewport={"width": WIDE, "height": 900}).new_page()
    page.goto(editing_url)

    # the editing view: the bar, the heading and the first two categories
    right = page.locator("main").evaluate("e => e.getBoundingClientRect().right")
    second = page.locator("section.kategori").nth(1)
    bottom = second.evaluate("e => e.getBoundingClientRect().bottom + scrollY")
    save(page, "redigering.png", page.locator("body"), height=round(bottom) + 8, width=round(right) + 16)
    # its foot: a new category, and the texts
    save(page, "redigering-bunn.png", page.locator("main"), start=page.locator("#ny-kategori"))

    # the agreement form, with the row as it prints
    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    page.get_by_label("Kommentar").fill("Vigsler på rådhuset i Lillehammer")
    save(page, "skjema.png", page.locator("main"))

    # a refused save: the summary on top, the field marked
    page.get_by_label("Startet").fill("i fjor")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre", exact=True).click()
    save(page, "avvist.png", page.locator("main"), height=400)
    save(page, "avvist-felt.png", page.locator(".felt").filter(has=page.get_by_label("Startet")), margin=8)

    # the form on a phone
    # a phone's scroll bars lie over the page, taking none of its width
    phone = browser.new_context(viewport={"width": PHONE, "height": 800}, is_mobile=True, has_touch=True).new_page()
    phone.goto(editing_url)
    phone.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    save(phone, "skjema-mobil.png", phone.locator("html"), height=1400)
    phone.context.close()

    # a save, then «Historikk» with the change opened
    page.get_by_role("link", name="Rediger", exact=True).click()
    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    page.get_by_label("Kommentar").fill("Vigsler på rådhuset i Lillehammer")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre", exact=True).click()
    page.get_by_role("link", name="Historikk").first.click()
    page.locator(".historikk summary").first.click()
    save(page, "historikk.png", page.locator("main"), height=620)

    # a conflict: the same agreement changed in Notepad while the form was open
    page.get_by_role("link", name="Rediger", exact=True).click()
    page.get_by_role("link", name="Rediger Borgerlig vigsel").click()
    agreements = content / "agreements.yaml"
    text = agreements.read_text("utf-8")
    agreements.write_text(text.replace("members: [Lillehammer, Gausdal]", "members: all", 1), "utf-8")
    page.get_by_label("Kommentar").fill("Vigsler på rådhuset og i kirken")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre", exact=True).click()
    save(page, "konflikt.png", page.locator("main"))
    page.context.close()


def save(
    page, name: str, element, height: int | None = None, width: int | None = None, margin: int = 0, start=None
) -> None:
    """The element's box with ``margin`` pixels of page around it (its top
    ``height`` and left ``width`` pixels at most, from ``start``'s upper edge when
    given), as a palette PNG."""
    page.wait_for_load_state("networkidle")
    page.evaluate("document.activeElement && document.activeElement.blur()")  # no focus ring in the picture
    box = _box(element)
    if start is not None:
        cut = _box(start)["y"] - 8
        box = {**box, "y": cut, "height": box["y"] + box["height"] - cut}
    left, top = max(0, box["x"] - margin), max(0, box["y"] - margin)
    clip = {
        "x": left,
        "y": top,
        "width": min(box["x"] + box["width"] + margin, page.viewport_size["width"]) - left,
        "height": box["y"] + box["height"] + margin - top,
    }
    clip["width"] = min(clip["width"], width or clip["width"])
    clip["height"] = min(clip["height"], height or clip["height"])
    shot = Image.open(io.BytesIO(page.screenshot(clip=clip, full_page=True, animations="disabled", caret="hide")))
    shot.convert("RGB").quantize(COLOURS).save(HERE / name, optimize=True)


def _box(element) -> dict:
    """The element's box in the page's coordinates, as a full-page screenshot's clip takes it."""
    return element.evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height}; }"
    )


if __name__ == "__main__":
    sys.exit(main())
