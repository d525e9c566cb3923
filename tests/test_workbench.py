"""``oversikt serve`` as a workbench, over HTTP through the real command: who
may change the content, that a save changes only its own lines and loses
nothing written elsewhere, and that history and undo give back exact bytes.
The same flows in a browser are in test_workbench_browser.py."""

from __future__ import annotations

import difflib
import http.client
import shutil
import socket
import time
from pathlib import Path

import pytest

BORGERLIG = "/rediger/samarbeid/1/4"  # Borgerlig vigsel, the fifth agreement of the second category


@pytest.fixture
def edition(content_dir, tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(content_dir, folder)
    return folder


def _changed(fields, **new) -> list[tuple[str, str]]:
    """The form's fields with some values replaced, as a browser would send them after typing."""
    return [(name, new.get(name, value)) for name, value in fields]


def _changed_lines(before: str, after: str) -> set[int]:
    """The lines of ``before`` (1-based) that the change from ``before`` to ``after`` replaced or removed,
    and the line before which it inserted."""
    lines: set[int] = set()
    matcher = difflib.SequenceMatcher(None, before.splitlines(True), after.splitlines(True), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return lines


def _span(text: str, name: str) -> set[int]:
    """The lines of the agreement named ``name``: its '- name:' line to the line before the next '- name:'."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.strip() == f"- name: {name}")
    last = next((i - 1 for i, line in enumerate(lines, 1) if i > first and line.lstrip().startswith("- ")), len(lines))
    return set(range(first, last + 2))  # and the line after it, where a key appended at its end goes


# --- the door ---------------------------------------------------------------------


def test_reading_needs_no_secret_and_changing_does(serve, edition):
    served = serve()
    agreements = (edition / "agreements.yaml").read_bytes()
    page = served.page("/rediger")
    assert "Du kan se, men ikke lagre" in page and "Rediger Borgerlig vigsel" in page
    action, fields = served.form(BORGERLIG)
    without = [(name, value) for name, value in fields if name != "nokkel"]
    for sent in (without, _changed(fields, nokkel="gjettet")):
        status, body, _ = served.post(action, _changed(sent, kommentar="Endret uten nøkkel"))
        assert status == 403, body
    assert (edition / "agreements.yaml").read_bytes() == agreements


@pytest.fixture(scope="module")
def door(content_dir, tmp_path_factory):
    """One workbench for the requests it must refuse: a refused request changes
    nothing, so they share it rather than each start one."""
    from served import Served

    folder = tmp_path_factory.mktemp("door")
    edition = folder / "content"
    shutil.copytree(content_dir, edition)
    served = Served(edition, log=folder / "serve")
    yield served, edition
    served.stop()


@pytest.mark.parametrize(
    "origin", ["http://127.0.0.1:1", "http://localhost:{port}", "null", None, "https://127.0.0.1:{port}"]
)
def test_a_change_from_any_other_page_is_refused(door, origin):
    served, edition = door
    agreements = (edition / "agreements.yaml").read_bytes()
    action, fields = served.form(BORGERLIG)
    sent = None if origin is None else origin.format(port=served.port)
    status, _, _ = served.post(action, _changed(fields, kommentar="Forfalsket"), headers={"Origin": sent})
    assert status == 403
    assert (edition / "agreements.yaml").read_bytes() == agreements


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1.nip.io:{port}", "127.0.0.1:1", "", "127.0.0.1"])
def test_a_foreign_host_is_refused_on_every_page(door, host):
    served, _ = door
    for target in ("/", "/rediger", "/oversikt-2019.pdf", "/_oversikt/hendelser"):
        status, body, _ = served.get(target, headers={"Host": host.format(port=served.port)})
        assert status == 421, target
        assert b"interkommunale" not in body
    for good in (f"127.0.0.1:{served.port}", f"localhost:{served.port}"):
        assert served.get("/", headers={"Host": good})[0] == 200


def test_the_secret_address_sets_a_cookie_and_leaves_the_address_bar(serve):
    served = serve()
    status, _, response = served.get(f"/rediger?nokkel={served.secret}")
    assert status == 303 and response.getheader("Location") == "/rediger"
    cookie = response.getheader("Set-Cookie")
    assert f"oversikt_nokkel={served.secret}" in cookie
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    status, _, response = served.get("/rediger?nokkel=gjettet")
    assert status == 303 and response.getheader("Set-Cookie") is None
    lines = served.out.read_text().splitlines()
    assert lines[-1] == served.editing_url  # the address with the secret: last, on a line of its own
    assert sum("http://" in line for line in lines) == 2


def test_no_get_changes_anything(serve, edition):
    served = serve()
    before = {path: path.read_bytes() for path in edition.rglob("*") if path.is_file()}
    action, fields = served.form(BORGERLIG)
    served.post(action, _changed(fields, kommentar="Første lagring", handling="lagre"))
    after_save = (edition / "agreements.yaml").read_bytes()
    cookie = {"Cookie": f"oversikt_nokkel={served.secret}"}
    for target in (
        BORGERLIG, f"{BORGERLIG}/fjern", f"{BORGERLIG}/flytt", "/rediger/kategori/0", "/rediger/kategori/0/flytt",
        "/rediger/kategori/0/fjern", "/rediger/nytt/0", "/rediger/historikk", "/rediger/historikk/1/angre",
        "/rediger/tekst/innledning.md", "/rediger/kategori/ny?navn=Vann",
        f"{BORGERLIG}?nokkel={served.secret}&kommentar=GET&handling=lagre",
    ):  # fmt: skip
        served.get(target, headers=cookie)
    assert (edition / "agreements.yaml").read_bytes() == after_save
    assert {p: p.read_bytes() for p in before if p.name != "agreements.yaml"} == {
        p: b for p, b in before.items() if p.name != "agreements.yaml"
    }
    history = served.page("/rediger/historikk")
    assert history.count('class="lagring"') == 1


def test_listening_beyond_this_machine_is_a_read_only_preview(serve, edition):
    served = serve("--host", "0.0.0.0")
    assert "nokkel=" not in served.out.read_text()
    assert "skrivebeskyttet" in served.out.read_text()
    assert "skrivebeskyttet" in served.page("/rediger")
    status, _, _ = served.post(BORGERLIG, [("nokkel", "x"), ("navn", "Borgerlig vigsel")])
    assert status == 403


# --- saves --------------------------------------------------------------------------


def test_a_save_changes_only_that_agreements_lines_and_shows_in_the_preview(serve, edition):
    served = serve()
    path = edition / "agreements.yaml"
    before = path.read_text("utf-8")
    action, fields = served.form(BORGERLIG)
    status, _, response = served.post(action, _changed(fields, kommentar="Vigsler på rådhuset", handling="lagre"))
    assert status == 303
    after = path.read_text("utf-8")
    assert _changed_lines(before, after) <= _span(before, "Borgerlig vigsel")
    assert "comment: Vigsler på rådhuset" in after
    assert "Lillehammer vertskommune. Vigsler på rådhuset" in served.page("/")
    notice = served.page(response.getheader("Location"))
    assert "Lagret: Endret «Borgerlig vigsel»" in notice and "Angre" in notice


def test_a_refused_save_writes_nothing_and_ties_the_message_to_its_field(serve, edition):
    served = serve()
    path = edition / "agreements.yaml"
    before = path.read_bytes()
    action, fields = served.form(BORGERLIG)
    status, body, _ = served.post(action, _changed(fields, startet="i fjor", handling="lagre"))
    page = body.decode()
    assert status == 422
    assert path.read_bytes() == before
    assert 'role="alert"' in page and 'href="#felt-startet"' in page
    assert 'id="feil-startet"' in page and 'aria-describedby="feil-startet om-startet"' in page
    assert "agreements.yaml:" in page and "error:" in page  # as check says it
    assert 'value="i fjor"' in page  # what was typed is kept


def test_an_outside_edit_elsewhere_is_merged_and_one_of_the_same_lines_refused(serve, edition):
    served = serve()
    path = edition / "agreements.yaml"
    action, fields = served.form(BORGERLIG)
    # Notepad saves a change to another agreement while the form is open
    outside = path.read_text("utf-8").replace("comment: Telling/valgoppgjør", "comment: Telling og valgoppgjør")
    path.write_text(outside, "utf-8")
    status, _, _ = served.post(action, _changed(fields, kommentar="Flettet", handling="lagre"))
    assert status == 303
    merged = path.read_text("utf-8")
    assert "comment: Telling og valgoppgjør" in merged and "comment: Flettet" in merged

    action, fields = served.form(BORGERLIG)
    theirs = merged.replace("comment: Flettet", "comment: Skrevet i Notisblokk")
    path.write_text(theirs, "utf-8")
    status, body, _ = served.post(action, _changed(fields, kommentar="Min versjon", handling="lagre"))
    assert status == 409
    assert path.read_text("utf-8") == theirs  # never overwritten
    page = body.decode()
    assert "Min versjon" in page and "Skrevet i Notisblokk" in page  # both versions shown


def test_undo_gives_back_the_exact_bytes_and_is_refused_once_the_lines_changed(serve, edition):
    served = serve()
    path = edition / "agreements.yaml"
    original = path.read_bytes()
    action, fields = served.form(BORGERLIG)
    served.post(action, _changed(fields, kommentar="Skal angres", handling="lagre"))
    undo_action, undo_fields = served.form("/rediger/historikk", 0)
    status, _, _ = served.post(undo_action, undo_fields)
    assert status == 303
    assert path.read_bytes() == original

    action, fields = served.form(BORGERLIG)
    served.post(action, _changed(fields, kommentar="Lagret", handling="lagre"))
    path.write_text(path.read_text("utf-8").replace("comment: Lagret", "comment: Endret etterpå"), "utf-8")
    undo_action, undo_fields = served.form("/rediger/historikk", 0)
    status, body, _ = served.post(undo_action, undo_fields)
    assert status == 409 and "Kan ikke angre" in body.decode()
    assert "comment: Endret etterpå" in path.read_text("utf-8")


def test_the_history_survives_a_restart(serve, edition):
    served = serve()
    action, fields = served.form(BORGERLIG)
    served.post(action, _changed(fields, kommentar="Før omstart", handling="lagre"))
    served.stop()
    again = serve()
    page = again.page("/rediger/historikk")
    assert "Endret «Borgerlig vigsel»" in page and "+        comment: Før omstart" in page


def test_a_text_file_is_saved_checked_and_kept_as_typed(serve, edition):
    served = serve()
    path = edition / "text" / "innledning.md"
    action, fields = served.form("/rediger/tekst/innledning.md")
    typed = dict(fields)["tekst"] + "\r\nEn ny linje om {{ region }} med æøå og «sitat».\r\n"
    status, _, _ = served.post(action, _changed(fields, tekst=typed))
    assert status == 303
    assert path.read_text("utf-8").endswith("En ny linje om {{ region }} med æøå og «sitat».\n")
    assert "En ny linje om Lillehammer-regionen med æøå og «sitat»." in served.page("/")
    before = path.read_bytes()
    action, fields = served.form("/rediger/tekst/innledning.md")
    status, body, _ = served.post(action, _changed(fields, tekst="{{ ukjent }}"))
    assert status == 422 and path.read_bytes() == before
    assert 'href="#felt-tekst"' in body.decode()


# --- many tabs, idle connections -------------------------------------------------------


def test_many_open_tabs_and_idle_connections_leave_the_server_answering(serve):
    served = serve()
    streams = []
    for _ in range(20):  # twenty tabs' event streams, each held open
        connection = http.client.HTTPConnection(served.host, served.port, timeout=10)
        connection.request("GET", "/_oversikt/hendelser")
        response = connection.getresponse()
        assert response.status == 200 and response.readline().startswith(b"retry:")
        streams.append(connection)
    idle = [socket.create_connection((served.host, served.port)) for _ in range(300)]  # open and say nothing
    started = time.monotonic()
    assert "interkommunale" in served.page("/")
    assert time.monotonic() - started < 5
    for connection in (*streams, *idle):
        connection.close()


def test_a_connection_that_says_nothing_is_closed_after_a_while(serve):
    served = serve()
    silent = socket.create_connection((served.host, served.port))
    silent.settimeout(15)
    started = time.monotonic()
    assert silent.recv(1) == b""  # closed by the server
    assert time.monotonic() - started < 10
    silent.close()


def test_a_content_folder_deleted_and_made_again_is_followed(serve, edition, tmp_path):
    served = serve()
    assert "interkommunale" in served.page("/")
    kept = tmp_path / "kept"
    shutil.copytree(edition, kept)
    shutil.rmtree(edition)
    page, _ = served.wait_for(lambda page: "finnes ikke" in page)
    assert "finnes ikke" in page
    shutil.copytree(kept, edition)
    text = edition / "text" / "innledning.md"
    text.write_text(text.read_text("utf-8") + "\nEtter at mappen kom tilbake.\n", "utf-8")
    page, _ = served.wait_for(lambda page: "Etter at mappen kom tilbake." in page)
    assert "Etter at mappen kom tilbake." in page


def test_removing_the_last_agreement_of_a_category_removes_the_category(serve, edition):
    served = serve()
    path = edition / "agreements.yaml"
    before = path.read_text("utf-8")
    action, fields = served.form("/rediger/kategori/ny?navn=Vann%20og%20avl%C3%B8p")
    status, _, _ = served.post(action, _changed(fields, navn="Felles vannverk", handling="lagre"))
    assert status == 303 and "- name: Vann og avløp" in path.read_text("utf-8")
    last = len([line for line in path.read_text("utf-8").splitlines() if line.startswith("  - name:")]) - 1
    page = served.page(f"/rediger/samarbeid/{last}/0/fjern")
    assert "siste samarbeidet i kategorien «Vann og avløp»" in page
    action, fields = served.form(f"/rediger/samarbeid/{last}/0/fjern")
    status, _, _ = served.post(action, fields)
    assert status == 303
    assert path.read_text("utf-8") == before  # the category went with its last agreement


def test_a_renamed_agreement_without_an_id_remembers_its_old_name(serve, edition):
    served = serve()
    action, fields = served.form(BORGERLIG)
    status, _, _ = served.post(action, _changed(fields, navn="Borgerlige vielser", handling="lagre"))
    assert status == 303
    text = (edition / "agreements.yaml").read_text("utf-8")
    assert "- name: Borgerlige vielser\n        previous_name: Borgerlig vigsel\n" in text
    action, fields = served.form(BORGERLIG)  # renamed again: the name it had last year stays
    served.post(action, _changed(fields, navn="Vigsler", handling="lagre"))
    assert "- name: Vigsler\n        previous_name: Borgerlig vigsel\n" in (edition / "agreements.yaml").read_text(
        "utf-8"
    )
