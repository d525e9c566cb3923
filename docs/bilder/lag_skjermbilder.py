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

and the year's work, on a copy of content/ named innhold-2019:

    nytt-ar.png          «Nytt år»: the form
    nytt-ar-ferdig.png   its result: what was left out, the warnings to go through
    advarsler.png        «Advarsler» in the new year's edition: the 1992 act's forms, which can wait
    bygg.png             «Bygg» after a finished build: the files, with links
    gjetninger.png       the guesses after importing the Word file ``oversikt build`` makes of content/

Run it from the checkout after changing the workbench's pages, and look at
every picture before committing them (``--year``: the year's pictures only):

    python docs/bilder/lag_skjermbilder.py [--year]

Needs Playwright and Chromium (/usr/bin/chromium), as the browser tests do.
Not a test: nothing here is checked.
"""

from __future__ import annotations

import contextlib
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

    year_only = sys.argv[1:] == ["--year"]
    with tempfile.TemporaryDirectory(prefix="oversikt-bilder-") as scratch, sync_playwright() as playwright:
        scratch = Path(scratch)
        browser = launch_chromium(playwright)
        try:
            if not year_only:
                content = shutil.copytree(ROOT / "content", scratch / "redigering" / "innhold-2020")
                with serving(content, scratch) as editing_url:
                    shoot(browser, editing_url, content)
            year_pictures(browser, scratch)
        finally:
            browser.close()
    for name in sorted(HERE.glob("*.png")):
        print(f"{name.relative_to(ROOT)}: {name.stat().st_size // 1024} KB")
    return 0


@contextlib.contextmanager
def serving(content: Path, scratch: Path):
    """``oversikt serve`` of ``content`` while the block runs: the address with its key."""
    server, editing_url = start(content, scratch)
    try:
        yield editing_url
    finally:
        server.terminate()
        server.wait(timeout=10)


def start(content: Path, scratch: Path) -> tuple[subprocess.Popen, str]:
    """``oversikt serve`` on a free port, and the address with the key it printed last."""
    log = scratch / f"serve-{content.name}.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),  # this checkout's code, whatever is installed
        "XDG_DATA_HOME": str(scratch / "data"),  # the history, away from the user's own
        "LOGNAME": "kari",  # the user name «Historikk» shows
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "builder", "serve", content.name, "--port", "0", "--no-open"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=content.parent,
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


def year_pictures(browser, scratch: Path) -> None:
    """The year's pictures, in a folder with a short name, as C:\\Oversikt would be on Windows."""
    folder = Path(tempfile.gettempdir()) / "Oversikt"
    if folder.exists():
        raise SystemExit(f"{folder} finnes fra før; flytt den eller fjern den først")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        # the first year: only last year's Word file, as ``oversikt build`` makes it of content/,
        # and the workbench started on a new edition from ``oversikt init`` to import it from
        made = scratch / "fjor"
        subprocess.run(
            [sys.executable, "-m", "builder", "build", str(ROOT / "content"), "--out", str(made), "--format", "docx"],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
        starter = folder / "ny-region"
        subprocess.run(
            [sys.executable, "-m", "builder", "init", str(starter)], check=True, capture_output=True, env=env
        )
        with serving(starter, scratch) as editing_url:
            shoot_an_import(browser, editing_url, made / "oversikt-2019.docx")
        shutil.rmtree(folder)
        # every other year: last year's folder
        last_year = shutil.copytree(ROOT / "content", folder / "innhold-2019")
        with serving(last_year, scratch) as editing_url:
            shoot_the_year(browser, editing_url)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def shoot_an_import(browser, editing_url: str, word: Path) -> None:
    page = browser.new_context(viewport={"width": WIDE, "height": 900}).new_page()
    page.goto(editing_url)
    page.get_by_role("link", name="Importer", exact=True).click()
    page.get_by_label("Fil").set_input_files(str(word))
    with page.expect_navigation():
        page.get_by_role("button", name="Importer").click()
    save(page, "gjetninger.png", page.locator("main"), height=760)
    page.context.close()


def shoot_the_year(browser, editing_url: str) -> None:
    page = browser.new_context(viewport={"width": WIDE, "height": 900}).new_page()
    page.goto(editing_url)

    # «Nytt år»: the form, filled in as the guide says
    page.get_by_role("link", name="Nytt år", exact=True).click()
    page.get_by_label("Dato").fill("01.01.2020")
    save(page, "nytt-ar.png", page.locator("main"))
    # its result: what was left out, and the warnings to go through (one kind's places opened)
    with page.expect_navigation():
        page.get_by_role("button", name="Lag nytt år").click()
    page.locator("main details summary").first.click()
    save(page, "nytt-ar-ferdig.png", page.locator("main"), height=760)

    # «Advarsler» in the new edition: the kind that can wait, the 1992 act's forms, its places opened
    page.get_by_role("link", name="Advarsler", exact=True).click()
    forms_1992 = page.locator("section.rad-advarsel").filter(has_text="kommuneloven av 1992")
    forms_1992.locator("summary").click()
    save(page, "advarsler.png", forms_1992, height=560, margin=8)

    # «Bygg», waited for until the files are listed
    page.get_by_role("link", name="Bygg", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Bygg", exact=True).click()
    page.get_by_role("heading", name="Ferdig:").wait_for(timeout=300_000)
    save(page, "bygg.png", page.locator("main"), height=700)
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
