"""``oversikt serve``: a live preview of the edition in the browser, rebuilt
whenever a content or layout file is saved."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading
from pathlib import Path

from builder.commands.common import EXIT_CONTENT, EXIT_OK, add_content_argument

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "serve",
        help="vis oversikten i nettleseren mens du redigerer",
        description="Bygger oversikten som nettside og viser den på http://127.0.0.1:8000/. "
        "Når du lagrer en fil i innholdsmappen, bygges den på nytt og siden i nettleseren lastes på nytt av seg selv. "
        "Feil i innholdet vises øverst på siden. PDF og Word lages når du åpner lenkene. Ctrl-C stopper.",
    )
    add_content_argument(parser)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"porten (standard: {DEFAULT_PORT})")
    parser.add_argument(
        "--host", default=DEFAULT_HOST, metavar="ADRESSE",
        help=f"adressen det lyttes på (standard: {DEFAULT_HOST}, bare denne maskinen); "
        "en annen adresse gjør forhåndsvisningen synlig for andre på nettet",
    )  # fmt: skip
    parser.add_argument("--open", action="store_true", help="åpne siden i nettleseren")
    parser.add_argument(
        "--changes-since", metavar="MAPPE", type=Path,
        help="ta med «Endringer siden …» fra utgaven i denne mappen (fjorårets innholdsmappe)",
    )  # fmt: skip
    parser.add_argument(
        "--summary", action=argparse.BooleanOptionalAction, default=None,
        help="ta med (eller --no-summary: ikke ta med) oppsummeringen, uansett hva report.yaml sier",
    )  # fmt: skip
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from builder.serve import Preview, make_server, watch

    if not args.content.is_dir():
        from builder.build import prepare

        prepare(args.content)  # says, located, that the folder is missing (a ContentError: exit 1)
    preview = Preview(args.content, changes_since=args.changes_since, summary=args.summary, on_rebuild=_rebuilt)
    try:
        server = make_server(preview, args.host, args.port)
    except OSError as error:
        print(f"oversikt: {_cannot_listen(error, args.host, args.port)}", file=sys.stderr)
        return EXIT_CONTENT
    host, port = server.server_address[:2]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    def ready() -> None:
        """The watches are set: the first build, then the address."""
        preview.outcome(None)
        print(f"Forhåndsvisningen er på {url} (Ctrl-C stopper)", flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(url)

    stop = threading.Event()
    # Ctrl-C stops it even when started in the background, where SIGINT is
    # ignored; SIGTERM raises builder.processes.Terminated, a KeyboardInterrupt
    # too: either is the normal way for a preview to end
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        watch(preview, stop, ready)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        preview.stop()
        server.shutdown()
        server.server_close()
    print("Forhåndsvisningen er stoppet.", flush=True)
    return EXIT_OK


def _cannot_listen(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"port {port} er allerede i bruk (kanskje av en annen forhåndsvisning); "
            f"velg en annen port, for eksempel --port {port + 1}"
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"har ikke lov til å bruke port {port}; velg en port over 1023, for eksempel --port {DEFAULT_PORT}"
    return f"kan ikke lytte på {host}:{port} ({error.strerror or error}); sjekk --host, standard er {DEFAULT_HOST}"


def _rebuilt(outcome, seconds: float) -> None:
    from datetime import datetime

    now = f"{datetime.now():%H:%M:%S}"
    if outcome.prepared is None:
        print(f"{now} {len(outcome.problems)} feil:", file=sys.stderr)
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
    else:
        print(f"{now} bygget på {seconds * 1000:.0f} ms", flush=True)
