"""The door of the local server: which requests may read, and which may change.

Any web page open in the user's browser can send requests to 127.0.0.1, and
a page on a domain that resolves to 127.0.0.1 (DNS rebinding) can even read
the answers. So every request must name the server itself in ``Host``, and
every request that changes anything must come from one of the server's own
pages (``Origin``) and carry the secret made for this run. Reading needs no
secret: the preview can be opened at the bare address.

Only an IP literal or ``localhost`` is accepted as the host name: a rebinding
attack needs a domain name of its own, and an IP literal cannot be rebound.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = {"GET", "HEAD"}
SECRET_FIELD = "nokkel"  # the form field, the query parameter and the cookie that carry the secret
COOKIE = "oversikt_nokkel"


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def same_secret(given: str | None, secret: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), secret.encode())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _split_host(value: str) -> tuple[str, int | None] | None:
    """``Host`` as (name, port); None when it is not a host and port."""
    try:
        parts = urlsplit(f"//{value}")
        return (parts.hostname or "", parts.port)
    except ValueError:  # a port that is not a number, or out of range
        return None


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class Door:
    """What the server checks of every request, before any route sees it."""

    def __init__(self, app: App, *, port: int, secret: str | None):
        self.app = app
        self.port = port
        self.secret = secret  # None: a read-only preview (listening beyond this machine)

    def host_is_ours(self, headers: dict[bytes, bytes]) -> bool:
        split = _split_host(headers.get(b"host", b"").decode("latin-1"))
        if split is None:
            return False
        name, port = split
        return port == self.port and (name == "localhost" or _is_ip_literal(name))

    def origin_is_ours(self, headers: dict[bytes, bytes]) -> bool:
        """The page that sent the request is one of ours: same scheme, host and port."""
        origin = headers.get(b"origin", b"").decode("latin-1")
        host = headers.get(b"host", b"").decode("latin-1")
        return bool(origin) and origin == f"http://{host}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if not self.host_is_ours(headers):
            await _refuse(send, 421, "Denne adressen hører ikke til forhåndsvisningen.")
            return
        if scope["method"] not in SAFE_METHODS:
            if self.secret is None:
                await _refuse(send, 403, "Forhåndsvisningen er skrivebeskyttet når den lytter på en annen adresse.")
                return
            if not self.origin_is_ours(headers):
                await _refuse(send, 403, "Endringer godtas bare fra arbeidsbenkens egne sider.")
                return
            # the secret itself is checked where the form is read (see app.py),
            # since the body is not read here
        await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, message: str) -> None:
    body = (message + "\n").encode()
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store")],
    })  # fmt: skip
    await send({"type": "http.response.body", "body": body})
