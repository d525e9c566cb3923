"""``oversikt serve``: a live preview of the edition in the browser, rebuilt
whenever a content or layout file is saved."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading

from builder.commands.common import EXIT_OK, EXIT_TERMINATED, EXIT_USAGE, add_content_argument, add_edition_options

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_to(verbs) -> None:
    parser = verbs.add_parser(
        "serve",
        help="vis oversikten i nettleseren mens du redigerer",
        description="Bygger oversikten som nettside og viser den på http://127.0.0.1:8000/. "
        "Når du lagrer en fil i innholdsmappen, bygges den på nytt og siden i nettleseren lastes på nytt av seg selv. "
        "Feil i innholdet vises øverst på siden. PDF og Word lages når du åpner lenkene. "
        "Under «Rediger» endrer du samarbeidene og tekstene i skjemaer; for å lagre må du åpne adressen med nøkkel "
        "som skrives ut til slutt (den gjelder bare til forhåndsvisningen stoppes). Ctrl-C stopper.",
    )
    add_content_argument(parser)
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"porten (standard: {DEFAULT_PORT})")
    parser.add_argument(
        "--host", default=DEFAULT_HOST, metavar="ADRESSE",
        help=f"adressen det lyttes på (standard: {DEFAULT_HOST}, bare denne maskinen); "
        "en annen adresse gjør forhåndsvisningen synlig for andre på nettet",
    )  # fmt: skip
    parser.add_argument(
        "--open", action=argparse.BooleanOptionalAction, default=True,
        help="åpne arbeidsbenken i nettleseren, med nøkkelen som lar deg lagre (standard; --no-open: ikke åpne)",
    )  # fmt: skip
    add_edition_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from builder.serve import EDIT_VIEW, Preview, watch
    from builder.workbench.app import make_app
    from builder.workbench.guard import SECRET_FIELD, is_loopback, new_secret
    from builder.workbench.server import Serving, listen

    if not args.content.is_dir():
        from builder.build import prepare

        prepare(args.content)  # says, located, that the folder is missing (a ContentError: exit 1)
    preview = Preview(args.content, changes_since=args.changes_since, summary=args.summary, on_rebuild=_rebuilt)
    try:
        listening = listen(args.host, args.port)
    except OSError as error:
        print(f"oversikt: {_cannot_listen(error, args.host, args.port)}", file=sys.stderr)
        return EXIT_USAGE
    host, port = listening.getsockname()[:2]
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    # editing only for this machine: any other reader of the address gets the preview alone
    secret = new_secret() if is_loopback(host) else None
    serving = Serving(make_app(preview, port=port, secret=secret), listening)

    def ready() -> None:
        """The watches are set: the first build, then the addresses, the one with the secret last."""
        preview.outcome(None)
        print(f"Forhåndsvisningen er på {url} (Ctrl-C stopper)", flush=True)
        if secret is None:
            print("Den er skrivebeskyttet: redigering går bare når den lytter på 127.0.0.1.", flush=True)
            return
        editing = f"{url.rstrip('/')}{EDIT_VIEW}?{SECRET_FIELD}={secret}"
        print("For å redigere i nettleseren, åpne denne adressen (den gjelder til du stopper):", flush=True)
        print(editing, flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(editing)

    stop = threading.Event()
    # Ctrl-C stops it even when started in the background, where SIGINT is
    # ignored, and is the normal way to end a preview (exit 0); SIGTERM raises
    # builder.processes.Terminated and ends it as it ends every command (143)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    terminated = _noting_sigterm()
    try:
        watch(preview, stop, ready)
    except KeyboardInterrupt:  # watchfiles raises a plain one for either signal
        pass
    finally:
        stop.set()
        preview.stop()
        serving.stop()
    print("Forhåndsvisningen er stoppet.", flush=True)
    return EXIT_TERMINATED if terminated.is_set() else EXIT_OK


def _noting_sigterm() -> threading.Event:
    """An event set when SIGTERM comes, before its handler raises: the watcher
    turns every interrupt into a plain KeyboardInterrupt."""
    terminated = threading.Event()
    raising = signal.getsignal(signal.SIGTERM)

    def noted(signum, frame) -> None:
        terminated.set()
        if callable(raising):
            raising(signum, frame)

    signal.signal(signal.SIGTERM, noted)
    return terminated


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"«{value}» er ikke en port; bruk et tall fra 1024 til 65535")
    return port


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
