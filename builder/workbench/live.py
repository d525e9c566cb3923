"""The open pages' line to the server: each is told every new version of the
preview over server-sent events, and reloads when it is not its own.

Versions are made in the watcher's thread; the event streams wait in the
server's event loop. A new version is handed over to the loop, where every
waiting stream wakes at once, so that an idle tab costs a coroutine, not a
thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

KEEPALIVE_SECONDS = 15  # a comment down an idle stream, so that a closed tab is noticed
RECONNECT_MS = 500  # how soon a page tries again when the server was away (restarted)


class Versions:
    """The current version's tag, and a wake-up for everyone waiting on the next."""

    def __init__(self, tag: str):
        self.tag = tag
        self.stopped = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.Event | None = None

    def publish(self, tag: str) -> None:
        """From any thread: ``tag`` is the current version now."""
        self.tag = tag
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake)

    def stop(self) -> None:
        self.stopped = True
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        if self._next is not None:
            woken, self._next = self._next, None
            woken.set()

    async def _changed(self, timeout: float) -> None:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        if self._next is None:
            self._next = asyncio.Event()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self._next.wait(), timeout)

    async def stream(self) -> AsyncIterator[bytes]:
        """The event stream one page listens to: the version now, then each new one."""
        yield f"retry: {RECONNECT_MS}\n\n".encode()
        seen = None
        while not self.stopped:
            if self.tag != seen:
                seen = self.tag
                yield f"data: {seen}\n\n".encode()
            else:
                yield b": \n\n"
            await self._changed(KEEPALIVE_SECONDS)
