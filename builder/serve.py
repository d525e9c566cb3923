"""A live preview of an edition for its editors: the HTML edition built in
memory, rebuilt whenever a content or layout file changes, with the open
page reloading itself. :mod:`builder.workbench.app` serves it.

The process stays warm: libraries, fonts and measured words stay loaded
between rebuilds. Nothing is written to disk, and only what the preview made
is served: a URL is looked up among the pages and files of the current
edition, never turned into a path. While the content has errors the page
shows them on top, above the last version that built, marked as out of date.

A page learns of a new version through server-sent events: a script that
only the preview adds (``builder/workbench/static/direkte.js``) listens and
reloads when the version it is told differs from its own.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from builder import norwegian
from builder.build import Prepared, Reading, output_name, prepare_all, prepare_from, read_checked
from builder.diagnostics import ContentError, Diagnostic
from builder.model import Edition
from builder.outputs import is_scratch
from builder.readers.files import substituted
from builder.readers.layout import layout_search_path
from builder.selection import find_member
from builder.writers import writer
from builder.writers.html_writer import LinkSection, render_html

EVENTS = "/_oversikt/hendelser"
LIVE_SCRIPT = "/_oversikt/direkte.js"
BENCH_STYLE = "/_oversikt/benk.css"
EDIT_VIEW = "/rediger"
# the workbench's bar on every page it serves, the preview's too: (label, address)
NAVIGATION = (
    ("Forhåndsvisning", "/"), ("Rediger", EDIT_VIEW), ("Nytt år", "/nytt-ar"), ("Importer", "/importer"),
    ("Advarsler", "/advarsler"), ("Endringer", "/endringer"), ("Bygg", "/bygg"), ("Publiser", "/publiser"),
    ("Historikk", EDIT_VIEW + "/historikk"),
)  # fmt: skip
PAPER_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# Changes arriving within this many milliseconds of each other are one save
# (an editor that writes a temporary file and renames it makes several).
SETTLE_MS = 10
COLLECT_EVERY = 4  # rebuilds in a row before the old versions are collected anyway
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
        self.on_change: list[Callable[[str], None]] = []  # told each new version's tag
        self.run = secrets.token_hex(4)  # a page from before a restart is never taken for current
        self.version = 1
        self.stopping = False
        self._lock = threading.RLock()  # one build at a time; the caches change under it
        self._outcomes: dict[str | None, Outcome] = {}
        self._reading: Reading | None = None  # the current version's files, read once for all its pages
        self._papers: dict[tuple[str | None, str], bytes] = {}
        self._last_good: dict[str | None, tuple[bytes, dt.datetime]] = {}
        self._edition: Edition | None = None  # the last region's edition that built: its members and year
        self._routes: dict[str, tuple[str | None, str]] = {"/": (Region, "html")}  # URL path -> (member, kind)
        self._written: dict[Path, tuple[int, int]] = {}  # files the workbench saved, as it left them

    @property
    def last_edition(self) -> Edition | None:
        """The region's edition as it last built: its members, year and texts."""
        with self._lock:
            self.outcome(Region)
            return self._edition

    @property
    def tag(self) -> str:
        """The current version, as the pages are told it."""
        return f"{self.run}-{self.version}"

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

    def changed(self, region: Prepared | None = None) -> None:
        """A watched file changed: forget the current version, build the
        region's page again (or take ``region``, already prepared from the
        files as they now are), then tell the open pages to reload."""
        with self._lock:
            self.version += 1
            self._outcomes.clear()
            self._papers.clear()
            self._reading = None if region is None else region.reading
            if region is not None:
                self._outcomes[Region] = self._built(Region, region)
            self.outcome(Region)
        for listener in self.on_change:
            listener(self.tag)

    def check(self, candidates: dict[Path, bytes]) -> Prepared:
        """The region's edition as it would be with ``candidates`` saved,
        checked as ``check`` checks it; raises ContentError with every problem."""
        with substituted(candidates):  # the glyph check's places too are found in the candidates
            (prepared,) = prepare_all(self.content_dir, changes_since=self.changes_since, summary=self.summary)
        return prepared

    def saved(self, path: Path) -> None:
        """The workbench wrote ``path`` and has shown its change already: the
        watcher need not build it again."""
        info = path.stat()
        self._written[path.resolve()] = (info.st_mtime_ns, info.st_size)

    def news(self, paths: set[Path]) -> bool:
        """Whether a batch of changed paths holds anything the workbench did not save itself."""
        for path in paths:
            if is_scratch(path):
                continue  # the workbench's own write, on its way to its name
            seen = self._written.pop(path.resolve(), None)
            try:
                info = os.stat(path)
            except OSError:
                return True
            if seen != (info.st_mtime_ns, info.st_size):
                return True
        return False

    def open(self, content_dir: Path) -> None:
        """Show another edition (a new year, an import) from now on; the
        watcher follows, since the folder it watches is no longer this one.
        Its changes section is the one its report.yaml asks for."""
        with self._lock:
            self.content_dir = Path(content_dir)
            self.changes_since = None
            self._last_good.clear()
            self._edition = None
        self.changed()

    def stop(self) -> None:
        self.stopping = True

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
            if self._reading is None:
                self._reading = read_checked(self.content_dir, self.changes_since)
            members = None if member is Region else (member,)
            (prepared,) = prepare_from(self._reading, members=members, summary=self.summary)
        except ContentError as error:
            return self._failed(member, error.diagnostics.errors)
        except Exception as error:  # a bug in oversikt must not stop the preview; it is shown like an error
            return self._failed(member, [f"intern feil ({type(error).__name__}: {error}); meld fra til utviklerne"])
        return self._built(member, prepared)

    def _built(self, member: str | None, prepared: Prepared) -> Outcome:
        if member is Region:
            self._edition = prepared.edition
            self._routes = self._route_table(prepared)
        # no policy in the page: the server sends its own, which lets the page's live script run
        page = render_html(prepared.document, prepared.layout, self._links(prepared), policy=None)
        self._last_good[member] = (page, dt.datetime.now())
        return Outcome(prepared, [], _live(page, self.tag, prepared.diagnostics.warnings))

    def _failed(self, member: str | None, problems: list) -> Outcome:
        good = self._last_good.get(member)
        return Outcome(None, problems, _live(_with_problems(problems, good), self.tag))

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
.feillinje{position:sticky;top:0;z-index:10;font-family:sans-serif;background:#A00000;color:#fff;
padding:.5rem 1rem;margin:0 0 1rem;overflow-wrap:anywhere}
.feillinje a{color:#fff;font-weight:600}
.feillinje code{font-family:monospace;white-space:pre-wrap}
.forhandsvisning{font-family:sans-serif;border:3px solid #A00000;background:#FFF4F4;color:#000;
padding:.75rem 1rem;margin:0 auto 1.5rem;max-width:75rem}
.forhandsvisning h2{margin:0 0 .5rem;font-size:1.2rem;color:#A00000}
.forhandsvisning ul{margin:0 0 .5rem;padding-left:1.25rem}
.forhandsvisning li{margin:.25rem 0;font-family:monospace;white-space:pre-wrap;overflow-wrap:anywhere}
.forhandsvisning-advarsler{font-family:sans-serif;margin:0 auto 1rem;max-width:75rem;padding:0 1rem}
.forhandsvisning-advarsler li{font-family:monospace;white-space:pre-wrap;overflow-wrap:anywhere}
body.utdatert main{opacity:.6}
</style>
"""


def _live(page: bytes, tag: str, warnings: list | tuple = ()) -> bytes:
    """The page with the workbench's bar on top, its warnings folded under
    it, and the script that reloads it when a new version is out."""
    head = f'<link rel="stylesheet" href="{BENCH_STYLE}">\n'
    links = "".join(f'<a href="{address}">{label}</a>' for label, address in NAVIGATION[1:])
    bar = f'<nav class="benk" aria-label="Arbeidsbenken">{links}</nav>\n'
    if warnings:
        items = "".join(f"<li>{escape(str(warning), quote=False)}</li>" for warning in warnings)
        noun = "advarsel" if len(warnings) == 1 else "advarsler"
        bar += (
            f'<details class="forhandsvisning-advarsler"><summary>{len(warnings)} {noun} '
            f'(hindrer ikke bygging; se også <a href="/advarsler">Advarsler</a>)</summary><ul>{items}</ul></details>\n'
        )
        head += _STYLE
    script = f'<script src="{LIVE_SCRIPT}" data-versjon="{tag}" defer></script>\n'
    page = page.replace(b"</head>", head.encode() + b"</head>", 1)
    opened = page.find(b">", page.find(b"<body")) + 1  # after the body's start tag, whatever its class
    page = page[:opened] + b"\n" + bar.encode() + page[opened:]
    return page.replace(b"</body>", script.encode() + b"</body>", 1)


def _with_problems(problems: list, good: tuple[bytes, dt.datetime] | None) -> bytes:
    """The first problem in a bar that stays at the top of the window however
    far down the editor was, the full list below it, over the last page that
    built (or alone)."""
    items = "".join(f"<li>{escape(str(problem), quote=False)}</li>" for problem in problems)
    first = escape(str(problems[0]), quote=False) if problems else ""
    more = f' <a href="#alle-feil">Se alle {len(problems)} feil</a>' if len(problems) > 1 else ""
    line = (
        f'<div class="feillinje" role="alert" data-feil-i-innholdet><strong>Feil i innholdet:</strong> '
        f"<code>{first}</code>{more}</div>\n"
    )
    heading = f"Innholdet har {len(problems)} feil, som må rettes"
    if good is None:
        note = "<p>Ingen versjon er bygget ennå. Siden lastes på nytt når du lagrer.</p>"
    else:
        note = (
            f"<p>Under står siste versjon uten feil, fra kl. {good[1]:%H:%M:%S}. "
            "Den er utdatert: endringene etter den vises ikke før feilene er rettet.</p>"
        )
    box = (
        f'<section class="forhandsvisning" id="alle-feil" aria-labelledby="alle-feil-tittel">'
        f'<h2 id="alle-feil-tittel">{heading}</h2><ul>{items}</ul>{note}</section>\n'
    )
    if good is None:
        return (
            '<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>Feil i innholdet</title>\n" + _STYLE + "</head>\n<body>\n<main>\n" + line + box
            + "</main>\n</body>\n</html>\n"
        ).encode()  # fmt: skip
    page = good[0].replace(b"</head>", _STYLE.encode() + b"</head>", 1)
    return page.replace(b"<body>\n", b'<body class="utdatert">\n' + line.encode() + box.encode(), 1)


def watch(preview: Preview, stop: threading.Event, ready: Callable[[], None]) -> None:
    """Rebuild on every change to a watched file, until ``stop`` is set;
    ``ready`` is called once the watches are in place, so that no change made
    after it is missed. Runs in the main thread, where Ctrl-C arrives.

    A content folder that is deleted and made again (a sync client, an
    unpacked copy) is a new folder to the operating system: the watches are
    set again on it."""
    import watchfiles

    first = True
    while not stop.is_set():
        folder = _identity(preview.content_dir)
        changes = watchfiles.watch(
            *preview.watched(), stop_event=stop, debounce=1000, step=SETTLE_MS,
            rust_timeout=WATCH_TICK_MS, yield_on_timeout=True,  # an empty batch first: the watches are set
        )  # fmt: skip
        next(changes)
        if first:
            ready()
            first = False
            # the command runs with the cycle collector off (see builder.cli.run);
            # a preview that rebuilds for hours collects the old versions'
            # cycles, when idle, not while a page waits, and only among what
            # came after the libraries and the first build
            gc.freeze()
        else:
            preview.changed()
        _follow(preview, changes, folder)


def _follow(preview: Preview, changes, folder: tuple[int, int] | None) -> None:
    """Rebuild for each batch of changes until the content folder is no longer the one watched."""
    uncollected = 0  # rebuilds since the last collection
    for batch in changes:
        if batch and preview.news({Path(path) for _, path in batch}):
            preview.changed()
            uncollected += 1
        # the old versions' cycles go when the editor pauses, or, when saves
        # come faster than a large register rebuilds, every few versions:
        # otherwise they pile up while the saves go on
        if (uncollected and not batch) or uncollected >= COLLECT_EVERY:
            gc.collect()
            uncollected = 0
        if _identity(preview.content_dir) != folder:
            preview.changed()  # gone: the page says so; made again: its content
            while _identity(preview.content_dir) is None and not preview.stopping:
                time.sleep(WATCH_TICK_MS / 1000)
            return


def _identity(folder: Path) -> tuple[int, int] | None:
    """Which folder stands at ``folder`` now (device and inode), or None."""
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)
