"""The workbench as a web application: the live preview of the edition and,
for the user at this machine, the forms that edit it.

Starlette routes the requests and uvicorn (see ``builder.commands.serve``)
serves them from one event loop: an idle connection or an open tab costs a
coroutine, not a thread. Building is blocking work, so the routes that build
run in Starlette's thread pool. :class:`builder.workbench.guard.Door` checks
every request before it gets here.
"""

from __future__ import annotations

from importlib import resources
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from builder.serve import EVENTS, PAPER_TYPES, Preview
from builder.workbench.guard import Door
from builder.workbench.live import Versions

# What the pages we serve may load: our own scripts and styles, from here
# only (the pages build and publish write carry a stricter one, with no script
# at all: builder.writers.html_writer.PAGE_POLICY). The edition's own page has
# inline styles; nothing has inline script.
POLICY = (
    "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": POLICY,
           "Referrer-Policy": "same-origin"}  # fmt: skip

_STATIC = {
    "direkte.js": "text/javascript; charset=utf-8",
    "arbeider.js": "text/javascript; charset=utf-8",
    "skjema.js": "text/javascript; charset=utf-8",
    "benk.css": "text/css; charset=utf-8",
}


def make_app(preview: Preview, *, port: int, secret: str | None) -> Door:
    """The application for ``preview``, behind its door. ``secret`` is None
    for a read-only preview."""
    versions = Versions(preview.tag)
    preview.on_change.append(versions.publish)

    def page(request: Request) -> Response:
        target = request.scope.get("raw_path", b"/").decode("latin-1")
        query = request.scope.get("query_string", b"").decode("latin-1")
        try:
            found = preview.find(target + (f"?{query}" if query else ""))
        except UnicodeDecodeError:
            found = None
        if found is None:
            return PlainTextResponse("Finnes ikke.\n", 404, headers=HEADERS)
        member, kind = found
        if kind == "html":
            return Response(preview.outcome(member).page, media_type="text/html; charset=utf-8", headers=HEADERS)
        try:
            data = preview.paper(member, kind)
        except Exception as error:  # a bug in a writer: said in the browser, and the preview goes on
            message = f"oversikt: intern feil ({type(error).__name__}: {error}); meld fra til utviklerne\n"
            return PlainTextResponse(message, 500, headers=HEADERS)
        if data is None:  # the content has errors: the page says which
            return RedirectResponse("/", 303, headers=HEADERS)
        name = urlsplit(target).path.rsplit("/", 1)[-1]
        disposition = {"Content-Disposition": f'inline; filename="{name}"'}
        return Response(data, media_type=PAPER_TYPES[kind], headers=HEADERS | disposition)

    async def events(request: Request) -> Response:
        return StreamingResponse(versions.stream(), media_type="text/event-stream", headers=HEADERS)

    def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            return PlainTextResponse("Finnes ikke.\n", 404, headers=HEADERS)
        # one argument: Python 3.10's Traversable.joinpath takes no more
        data = resources.files("builder.workbench").joinpath(f"static/{name}").read_bytes()
        return Response(data, media_type=_STATIC[name], headers=HEADERS)

    routes = [
        Route(EVENTS, events),
        Route("/_oversikt/{name}", static),
        *_editing_routes(preview, secret),
        Route("/{path:path}", page, methods=["GET", "HEAD"]),
    ]
    app = Starlette(routes=routes)
    app.state.versions = versions
    return Door(app, port=port, secret=secret)


def _editing_routes(preview: Preview, secret: str | None) -> list[Route]:
    from builder.workbench import editing, yearly

    bench = editing.Bench(preview, secret, HEADERS)
    return [*editing.routes(bench), *yearly.routes(bench)]
