"""Serving the workbench: a socket bound before anything starts (so that a
taken port is known at once), and uvicorn on it in a thread of its own while
the main thread watches the files.

uvicorn runs one event loop for every connection: an idle connection or an
open tab costs a coroutine, not a thread, and a connection that says nothing
is closed after ``IDLE_SECONDS``, like one that has finished a request.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import threading

import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

IDLE_SECONDS = 5  # a connection with no request under way is closed after this long


class _Protocol(H11Protocol):
    """HTTP/1.1 as uvicorn speaks it, with the idle timeout also before a
    connection's first request: otherwise a socket opened and left silent
    stays open for as long as its opener likes."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self.timeout_keep_alive_handler)


def listen(host: str, port: int) -> socket.socket:
    """A socket bound and listening; OSError (EADDRINUSE …) when it cannot be."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        if sys.platform != "win32":  # on Windows this would let two servers share the port
            listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(128)
    except OSError:
        listening.close()
        raise
    return listening


class Serving:
    """uvicorn serving ``app`` on ``listening`` in a thread, until :meth:`stop`."""

    def __init__(self, app: ASGIApp, listening: socket.socket):
        config = uvicorn.Config(
            app, http=_Protocol, log_level="critical", access_log=False, lifespan="off", ws="none",
            timeout_keep_alive=IDLE_SECONDS, timeout_graceful_shutdown=1,
        )  # fmt: skip
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [listening]}, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=2)
