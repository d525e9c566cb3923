"""A live preview of an edition for its editors: the HTML edition built in
memory and served over HTTP, rebuilt whenever a content or layout file
changes, with the open page reloading itself.

The process stays warm: libraries, fonts and measured words stay loaded
between rebuilds. Nothing is written to disk, and only what the preview made
is served: a URL is looked up among the pages and files of the current
edition, never turned into a path. While the content has errors the page
shows them on top, above the last version that built, marked as out of date.

The page learns of a new version through server-sent events: a small script,
which only the preview adds, listens on ``EVENTS`` and reloads when the
version it is told differs from its own.
"""

from __future__ import annotations

import datetime as dt
import gc
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from builder import norwegian
from builder.build import Prepared, output_name, prepare_all
from builder.diagnostics import ContentError, Diagnostic
from builder.model import Edition
from builder.readers.layout import layout_search_path
from builder.selection import find_member
from builder.writers import writer
from builder.writers.html_writer import LinkSection, render_html

EVENTS = "/_oversikt/hendelser"
PAPER_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
KEEPALIVE_SECONDS = 15  # a comment sent down an idle event stream, so that a closed tab is noticed
RECONNECT_MS = 500  # how soon a page tries again when the server was away (restarted)

# Changes arriving within this many milliseconds of each other are one save
# (an editor that writes a temporary file and renames it makes several).
SETTLE_MS = 10
WATCH_TICK_MS = 200  # how often the watcher looks up when nothing changes: the first time says it is ready

Region = None  # the key of the region's edition among the members' editions


@dataclass
class Outcome:
    """One edition (the region's or a member's) as the current content gives it."""

    prepared: Prepared | None  # None when the content has errors
    problems: list[Diagnostic | str]  # errors, or the text of an internal error
    page: bytes  # as served: the live page, or the errors over the last good page


class Preview:
    """The current version of an edition's pages and files, made on demand
    and kept until a watched file changes."""

    def __init__(
        self,
        content_dir: Path | str,
        *,
        changes_since: Path | str | None = None,
        summary: bool | None = None,
        on_rebuild: Callable[[Outcome, float], None] = lambda outcome, seconds: None,
    ):
        self.content_dir = Path(content_dir)
        self.changes_since = None if changes_since is None else Path(changes_since)
        self.summary = summary
        self.on_rebuild = on_rebuild
        self.version = 1
        self.stopping = False
        self._lock = threading.RLock()  # one build at a time; the caches change under it
        self._changed = threading.Condition()
        self._outcomes: dict[str | None, Outcome] = {}
        self._papers: dict[tuple[str | None, str], bytes] = {}
        self._last_good: dict[str | None, tuple[bytes, dt.datetime]] = {}
        self._edition: Edition | None = None  # the last region's edition that built: its members and year
        self._routes: dict[str, tuple[str | None, str]] = {"/": (Region, "html")}  # URL path -> (member, kind)

    # --- what is watched ---------------------------------------------------

    def watched(self) -> list[Path]:
        """The folders whose changes make a new version: the content, the
        folders a layout is looked up in, the edition compared with."""
        folders = [self.content_dir, *layout_search_path(self.content_dir)]
        if self.changes_since is not None:
            folders.append(self.changes_since)
        unique = dict.fromkeys(folder.resolve() for folder in folders if folder.is_dir())
        # a folder inside another is watched with it
        return [f for f in unique if not any(other != f and other in f.parents for other in unique)]

    def changed(self) -> None:
        """A watched file changed: forget the current version, build the
        region's page again, then tell the open pages to reload."""
        with self._lock:
            self.version += 1
            self._outcomes.clear()
            self._papers.clear()
            self.outcome(Region)
        with self._changed:
            self._changed.notify_all()

    def wait_for_change(self, seen: int | None, timeout: float) -> int:
        """The current version, once it is not ``seen`` (or the time is up)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self.stopping, timeout)
            return self.version

    def stop(self) -> None:
        self.stopping = True
        with self._changed:
            self._changed.notify_all()

    # --- the editions ------------------------------------------------------

    def outcome(self, member: str | None) -> Outcome:
        with self._lock:
            if member not in self._outcomes:
                started = time.perf_counter()
                self._outcomes[member] = outcome = self._build(member)
                if member is Region:
                    self.on_rebuild(outcome, time.perf_counter() - started)
            return self._outcomes[member]

    def _build(self, member: str | None) -> Outcome:
        try:
            (prepared,) = prepare_all(
                self.content_dir, members=None if member is Region else (member,),
                changes_since=self.changes_since, summary=self.summary,
            )  # fmt: skip
        except ContentError as error:
            return self._failed(member, error.diagnostics.errors)
        except Exception as error:  # a bug in oversikt must not stop the preview; it is shown like an error
            return self._failed(member, [f"intern feil ({type(error).__name__}: {error}); meld fra til utviklerne"])
        if member is Region:
            self._edition = prepared.edition
            self._routes = self._route_table(prepared)
        page = render_html(prepared.document, prepared.layout, self._links(prepared))
        self._last_good[member] = (page, dt.datetime.now())
        return Outcome(prepared, [], _live(page, self.version))

    def _failed(self, member: str | None, problems: list) -> Outcome:
        good = self._last_good.get(member)
        return Outcome(None, problems, _live(_with_problems(problems, good), self.version))

    def paper(self, member: str | None, fmt: str) -> bytes | None:
        """The PDF or DOCX of the current content, rendered when first asked
        for; None while the content has errors."""
        with self._lock:
            prepared = self.outcome(member).prepared
            if prepared is None:
                return None
            if (member, fmt) not in self._papers:
                self._papers[member, fmt] = writer(fmt)(prepared.document, prepared.layout)
            return self._papers[member, fmt]

    # --- addresses ---------------------------------------------------------

    def _route_table(self, region: Prepared) -> dict[str, tuple[str | None, str]]:
        routes: dict[str, tuple[str | None, str]] = {"/": (Region, "html")}
        for member in (Region, *region.edition.members):
            folder = "/" if member is Region else f"/{member_folder(member)}/"
            if member is not Region:
                routes[folder] = routes[folder.rstrip("/")] = (member, "html")
            for fmt in PAPER_TYPES:
                routes[f"{folder}{output_name(region.edition, member)}.{fmt}"] = (member, fmt)
        return routes

    def _links(self, prepared: Prepared) -> list[LinkSection]:
        """Links to the PDF and DOCX, and between the region's page and the members'."""
        layout, edition = prepared.layout, prepared.edition
        labels = layout.labels[edition.language]
        member = prepared.member
        folder = "/" if member is None else f"/{member_folder(member)}/"
        stem = output_name(edition, member)
        downloads = [(labels["download_pdf"], f"{folder}{stem}.pdf"), (labels["download_docx"], f"{folder}{stem}.docx")]
        if member is None:
            pages = [(name, f"/{member_folder(name)}/") for name in edition.members]
            return [(labels["downloads_heading"], downloads), (labels["members_heading"], pages)]
        back = layout.label(edition.language, "full_edition", region=edition.region)
        return [("", [(back, "/")]), (labels["downloads_heading"], downloads)]

    def find(self, target: str) -> tuple[str | None, str] | None:
        """What a request's target names: (member, kind), or None for
        anything the preview did not make. The target is looked up, never
        read as a path: ``/../etc/passwd`` is simply not among the pages."""
        parts = urlsplit(target)
        path = unquote(parts.path, errors="strict") if parts.path else "/"
        with self._lock:
            self.outcome(Region)  # the routes are those of the current version
            found = self._routes.get(path)
            wanted = parse_qs(parts.query).get("member")
            if found == (Region, "html") and wanted:
                member = find_member(self._edition, wanted[0]) if self._edition else None
                return None if member is None else (member, "html")
            return found


def member_folder(member: str) -> str:
    """A member's edition's folder in the preview: /oyer/ for Øyer."""
    return norwegian.ascii_name(member) or "kommune"


# --- what the preview adds to a page ---------------------------------------

_STYLE = """<style>
.forhandsvisning{font-family:sans-serif;border:3px solid #A00000;background:#FFF4F4;color:#000;
padding:.75rem 1rem;margin:0 auto 1.5rem;max-width:75rem}
.forhandsvisning h2{margin:0 0 .5rem;font-size:1.2rem;color:#A00000}
.forhandsvisning ul{margin:0 0 .5rem;padding-left:1.25rem}
.forhandsvisning li{margin:.25rem 0;font-family:monospace;white-space:pre-wrap;overflow-wrap:anywhere}
body.utdatert main{opacity:.6}
</style>
"""


def _live(page: bytes, version: int) -> bytes:
    """The page with the script that reloads it when a new version is out."""
    script = (
        "<script>(function(){var shown=" + f'"{version}"' + ";"
        f'var events=new EventSource("{EVENTS}");'
        "events.onmessage=function(e){if(e.data!==shown){events.close();location.reload();}};})();</script>\n"
    )
    return page.replace(b"</body>", script.encode() + b"</body>", 1)


def _with_problems(problems: list, good: tuple[bytes, dt.datetime] | None) -> bytes:
    """The list of problems on top of the last page that built, or alone."""
    items = "".join(f"<li>{escape(str(problem), quote=False)}</li>" for problem in problems)
    heading = f"Innholdet har {len(problems)} feil, som må rettes"
    if good is None:
        note = "<p>Ingen versjon er bygget ennå. Siden lastes på nytt når du lagrer.</p>"
    else:
        note = (
            f"<p>Under står siste versjon uten feil, fra kl. {good[1]:%H:%M:%S}. "
            "Den er utdatert: endringene etter den vises ikke før feilene er rettet.</p>"
        )
    box = f'<section class="forhandsvisning" role="alert"><h2>{heading}</h2><ul>{items}</ul>{note}</section>\n'
    if good is None:
        return (
            '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
            "<title>Feil i innholdet</title>\n" + _STYLE + "</head>\n<body>\n" + box + "</body>\n</html>\n"
        ).encode()
    page = good[0].replace(b"</head>", _STYLE.encode() + b"</head>", 1)
    return page.replace(b"<body>\n", b'<body class="utdatert">\n' + box.encode(), 1)


# --- the HTTP server ---------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    preview: Preview  # set on the class made for each server
    server_version = "oversikt"

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def _answer(self, body: bool) -> None:
        if urlsplit(self.path).path == EVENTS:
            self._events()
            return
        try:
            found = self.preview.find(self.path)
        except UnicodeDecodeError:
            found = None
        if found is None:
            self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"Finnes ikke.\n", body)
            return
        member, kind = found
        if kind == "html":
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", self.preview.outcome(member).page, body)
            return
        try:
            data = self.preview.paper(member, kind)
        except Exception as error:  # a bug in a writer: said in the browser, and the preview goes on
            message = f"oversikt: intern feil ({type(error).__name__}: {error}); meld fra til utviklerne\n"
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", message.encode(), body)
            return
        if data is None:  # the content has errors: the page says which
            self._send(HTTPStatus.SEE_OTHER, "text/plain; charset=utf-8", b"", body, location="/")
            return
        name = urlsplit(self.path).path.rsplit("/", 1)[-1]
        self._send(HTTPStatus.OK, PAPER_TYPES[kind], data, body, disposition=f'inline; filename="{name}"')

    def _send(self, status: HTTPStatus, kind: str, data: bytes, body: bool, **extra: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if "location" in extra:
            self.send_header("Location", extra["location"])
        if "disposition" in extra:
            self.send_header("Content-Disposition", extra["disposition"])
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-sent events: the current version now and whenever it changes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        seen = None
        try:
            self.wfile.write(f"retry: {RECONNECT_MS}\n\n".encode())
            while not self.preview.stopping:
                version = self.preview.wait_for_change(seen, KEEPALIVE_SECONDS)
                self.wfile.write(f"data: {version}\n\n".encode() if version != seen else b": \n\n")
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's name
        pass  # every request is not news to an editor


def make_server(preview: Preview, host: str, port: int) -> ThreadingHTTPServer:
    """A server for ``preview`` listening on ``host``:``port``; raises OSError
    (EADDRINUSE) when the port is taken."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    handler = type("Handler", (_Handler,), {"preview": preview})
    server_class = type("Server", (ThreadingHTTPServer,), {"address_family": family, "daemon_threads": True})
    return server_class((host, port), handler)


def watch(preview: Preview, stop: threading.Event, ready: Callable[[], None]) -> None:
    """Rebuild on every change to a watched file, until ``stop`` is set;
    ``ready`` is called once the watches are in place, so that no change made
    after it is missed. Runs in the main thread, where Ctrl-C arrives."""
    import watchfiles

    changes = watchfiles.watch(
        *preview.watched(), stop_event=stop, debounce=1000, step=SETTLE_MS,
        rust_timeout=WATCH_TICK_MS, yield_on_timeout=True,  # an empty batch first: the watches are set
    )  # fmt: skip
    next(changes)
    ready()
    # the command runs with the cycle collector off (see builder.cli.run);
    # a preview that rebuilds for hours collects the old versions' cycles,
    # when idle, not while a page waits, and only among what came after
    # the libraries and the first build
    gc.freeze()
    collected = True
    for batch in changes:
        if batch:
            preview.changed()
            collected = False
        elif not collected:
            gc.collect()
            collected = True
