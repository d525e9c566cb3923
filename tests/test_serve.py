"""``oversikt serve``: the live preview, run as an editor runs it (a process
on a free port, fetched over HTTP) while its content folder is edited."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import psutil
import pytest
from docx import Document as WordDocument
from platforms import launch_chromium, needs_chromium
from pypdf import PdfReader
from served import SECONDS_TO_SEE_A_CHANGE

POSIX_SIGNALS = pytest.mark.skipif(os.name != "posix", reason="needs POSIX signals (SIGINT, SIGTERM)")


@pytest.fixture
def edition(content_dir, tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(content_dir, folder)
    return folder


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


def test_serves_the_edition_its_members_and_paper_formats_writing_nothing(serve, edition):
    before = _snapshot(edition)
    served = serve()
    page = served.page("/")
    assert "<h1>Oversikt over interkommunale samarbeid per 1. januar 2019</h1>" in page
    assert '<th scope="row">Felles kommunestyremøter</th>' in page
    assert 'href="/oyer/"' in page and 'href="/oversikt-2019.pdf"' in page
    assert '<script src="/_oversikt/direkte.js"' in page  # the preview's own script, from the server
    assert "EventSource" in served.page("/_oversikt/direkte.js")

    member = served.page("/oyer/")
    for asked in ("Øyer", "øyer"):  # as the region's page names the member, or in any case
        assert served.page(f"/?member={quote(asked)}").count("<tr>") == member.count("<tr>")
    assert 0 < member.count("<tr>") < page.count("<tr>")  # Øyer takes part in fewer agreements than the region
    assert served.get("/?member=Oslo")[0] == 404

    status, pdf, response = served.get("/oversikt-2019.pdf")
    assert status == 200 and response.getheader("Content-Type") == "application/pdf"
    assert "interkommunale samarbeid" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    status, docx, _ = served.get("/oyer/oversikt-2019-oyer.docx")
    assert status == 200
    paragraphs = [p.text for p in WordDocument(io.BytesIO(docx)).paragraphs]
    assert any("Øyer" in text for text in paragraphs)
    assert _snapshot(edition) == before


def test_a_saved_change_shows_within_two_seconds(serve, edition):
    served = serve()
    assert "Lagret akkurat nå" not in served.page()
    text = edition / "text" / "innledning.md"
    text.write_text(text.read_text("utf-8") + "\nLagret akkurat nå.\n", "utf-8")
    page, elapsed = served.wait_for(lambda page: "Lagret akkurat nå." in page)
    assert "Lagret akkurat nå." in page, f"not seen in {elapsed:.2f} s"


def test_a_file_replaced_by_renaming_and_a_half_saved_file(serve, edition):
    served = serve()
    agreements = edition / "agreements.yaml"
    whole = agreements.read_text("utf-8")
    agreements.write_text(whole[: len(whole) // 2 + 7], "utf-8")  # half-saved: the rest follows
    time.sleep(0.3)
    replacement = edition / ".agreements.yaml.tmp"  # how many editors save: a new file renamed over the old
    renamed = whole.replace("name: Felles kommunestyremøter", "name: Felles kommunestyremøter i ny drakt", 1)
    replacement.write_text(renamed, "utf-8")
    os.replace(replacement, agreements)
    page, elapsed = served.wait_for(lambda page: "Felles kommunestyremøter i ny drakt" in page)
    assert "Felles kommunestyremøter i ny drakt" in page, f"not seen in {elapsed:.2f} s"
    assert 'class="forhandsvisning"' not in page
    assert served.process.poll() is None


def test_errors_show_on_top_of_the_last_good_version_and_go_when_mended(serve, edition):
    served = serve()
    agreements = edition / "agreements.yaml"
    good = agreements.read_text("utf-8")
    broken = good.replace("members: [Lillehammer, Øyer]", "members: [Lillehammer, Oyer]", 1)
    line = broken.split("\n").index(next(t for t in broken.split("\n") if "Oyer]" in t)) + 1
    agreements.write_text(broken, "utf-8")
    page, _ = served.wait_for(lambda page: 'class="forhandsvisning"' in page)
    listed = page.split('class="forhandsvisning"')[1].split("</section>")[0]
    assert f"agreements.yaml:{line}:" in listed
    assert "'Oyer' er ikke en av kommunene i report.yaml (mente du 'Øyer'?)" in listed
    assert '<body class="utdatert">' in page and "utdatert" in listed
    assert "<h1>Oversikt over interkommunale samarbeid" in page  # the last good version, below

    agreements.write_text(good.replace("categories:\n", "categories:\n  - name: [\n", 1), "utf-8")
    line = good.split("\n").index("categories:") + 3  # where the parser finds the list unclosed
    page, _ = served.wait_for(lambda page: "YAML-syntaksfeil" in page)
    assert f"agreements.yaml:{line}:3: error: YAML-syntaksfeil" in page

    agreements.write_text(good, "utf-8")
    page, elapsed = served.wait_for(lambda page: 'class="forhandsvisning"' not in page)
    assert 'class="forhandsvisning"' not in page and "<body>" in page, f"errors still shown after {elapsed:.2f} s"
    assert served.process.poll() is None


TRAVERSALS = [
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
    "/..%2f..%2fetc%2fpasswd",
    "//etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/../../etc/passwd",
    "/oyer/../../../etc/passwd",
    "/agreements.yaml",
    "/report.yaml",
    "/text/innledning.md",
    "/%00",
    "/%ff",
]


def test_serves_only_what_the_preview_made(serve, edition):
    served = serve()
    for target in TRAVERSALS:
        status, body, _ = served.get(target)
        # 404, or 421 where the target names another host than the server's own
        assert status == (421 if target.startswith("http://127.0.0.1/") else 404), target
        assert b"root:" not in body and b"as_of" not in body
    absolute = quote(str(edition / "report.yaml"))
    assert served.get(absolute)[0] == 404
    assert served.get("/", method="HEAD")[0] == 200


def test_listens_on_the_loopback_address_only(serve):
    served = serve()
    assert served.host == "127.0.0.1"
    listening = [c for c in psutil.Process(served.process.pid).net_connections() if c.status == psutil.CONN_LISTEN]
    assert [c.laddr.ip for c in listening] == ["127.0.0.1"]
    others = [
        address.address
        for addresses in psutil.net_if_addrs().values()
        for address in addresses
        if address.family == socket.AF_INET and not address.address.startswith("127.")
    ]
    for address in others:  # the machine's other addresses (if it has any) do not answer
        with pytest.raises(ConnectionRefusedError), socket.create_connection((address, served.port), timeout=2):
            pass


def test_summary_and_changes_since_as_build_has_them(serve, edition, tmp_path):
    older = tmp_path / "content-2018"
    shutil.copytree(edition, older)
    report = older / "report.yaml"
    report.write_text(report.read_text("utf-8").replace("2019-01-01", "2018-01-01"), "utf-8")
    agreements = older / "agreements.yaml"
    older_text = agreements.read_text("utf-8").replace("Felles kommunestyremøter", "Gamle kommunestyremøter")
    agreements.write_text(older_text, "utf-8")
    page = serve("--summary", "--changes-since", str(older)).page()
    assert 'class="chart"' in page
    assert "Endringer siden" in page and "Gamle kommunestyremøter" in page


@POSIX_SIGNALS
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stops_cleanly_within_a_second(serve, stop):
    served = serve()
    served.page()
    started = time.monotonic()
    served.process.send_signal(stop)
    code = served.process.wait(timeout=5)
    assert time.monotonic() - started < 1
    assert code == (0 if stop == signal.SIGINT else 143)  # Ctrl-C is how a preview ends; SIGTERM as for every command
    assert "stoppet" in served.out.read_text()
    assert served.err.read_text() == ""


def test_a_port_in_use_is_named_with_a_suggestion(edition):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "builder", "serve", str(edition), "--port", str(port), "--no-open"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert result.returncode == 2  # wrong use of the command, not a fault in the content
    assert f"port {port} er allerede i bruk" in result.stderr
    assert f"--port {port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_content_folder_is_a_located_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "builder", "serve", str(tmp_path / "finnes-ikke")], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "finnes-ikke: error: innholdsmappen finnes ikke" in result.stderr


@needs_chromium
@pytest.mark.slow
def test_the_page_reloads_itself_in_chromium(serve, edition):
    from playwright.sync_api import sync_playwright

    served = serve()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page()
            page.goto(served.url)
            page.evaluate("window.notReloaded = true")
            text = edition / "text" / "innledning.md"
            text.write_text(text.read_text("utf-8") + "\nEndret mens siden var åpen.\n", "utf-8")
            # (a locator: the page's Content-Security-Policy allows no evaluated script)
            page.get_by_text("Endret mens siden var åpen.").wait_for(timeout=SECONDS_TO_SEE_A_CHANGE * 1000)
            assert page.evaluate("window.notReloaded") is None  # a new page, loaded by itself
        finally:
            browser.close()


@needs_chromium
@pytest.mark.slow
def test_ten_tabs_stay_live_in_one_browser(serve, edition):
    """A browser opens at most six connections to one server; the tabs share
    one event stream, so the seventh and later still load and reload."""
    from playwright.sync_api import sync_playwright

    served = serve()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context()
            tabs = []
            for _ in range(10):
                tab = context.new_page()
                tab.goto(served.url, timeout=10_000)
                tabs.append(tab)
            text = edition / "text" / "innledning.md"
            text.write_text(text.read_text("utf-8") + "\nSett i alle faner.\n", "utf-8")
            for tab in tabs:
                tab.get_by_text("Sett i alle faner.").wait_for(timeout=SECONDS_TO_SEE_A_CHANGE * 2000)
        finally:
            browser.close()
