"""``oversikt serve`` as an editor runs it: a process on a free port, the
addresses it printed, and its pages and forms fetched over HTTP as they are
sent (not tidied as a browser would)."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

SECONDS_TO_SEE_A_CHANGE = 2


class Served:
    """A preview process and the addresses it printed."""

    def __init__(self, content: Path, *options: str, log: Path):
        self.content = content
        self.out, self.err = log.with_suffix(".out"), log.with_suffix(".err")
        with self.out.open("w") as out, self.err.open("w") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "builder", "serve", str(content), "--port", "0", "--no-open", *options],
                stdout=out, stderr=err, cwd=content.parent,
            )  # fmt: skip
        self.url = self._address()
        self.host, self.port = urlsplit(self.url).hostname, urlsplit(self.url).port

    def _address(self) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            words = [word for word in self.out.read_text().split() if word.startswith("http://")]
            if words:
                return words[0]
            assert self.process.poll() is None, self.err.read_text()
            time.sleep(0.05)
        raise AssertionError("the preview printed no address")

    @property
    def editing_url(self) -> str:
        """The address with this run's secret: the last line that holds an address."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            lines = [line for line in self.out.read_text().splitlines() if "http://" in line]
            if lines and "nokkel=" in lines[-1]:
                return lines[-1].strip()
            time.sleep(0.05)
        raise AssertionError("the preview printed no address with a secret")

    @property
    def secret(self) -> str:
        return self.editing_url.rsplit("nokkel=", 1)[1]

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def get(self, target: str, method: str = "GET", headers: dict | None = None):
        """The target sent as it is, not tidied as a browser or urllib would."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        connection.putrequest(method, target, skip_accept_encoding=True, skip_host=bool(headers and "Host" in headers))
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body, response

    def post(self, target: str, fields, headers: dict | None = None):
        """A form posted as a browser on one of the server's own pages posts it (unless ``headers`` say otherwise)."""
        body = urlencode(fields, doseq=True).encode()
        sent = {"Origin": self.origin, "Content-Type": "application/x-www-form-urlencoded"} | (headers or {})
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        connection.request("POST", target, body=body, headers={k: v for k, v in sent.items() if v is not None})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, data, response

    def page(self, target: str = "/") -> str:
        status, body, _ = self.get(target)
        assert status == 200, (status, body[:500])
        return body.decode("utf-8")

    def form(self, target: str, index: int = 0) -> tuple[str, list[tuple[str, str]]]:
        """The ``index``-th form on the page at ``target`` with the secret's cookie:
        its action and the fields a browser would send as they stand."""
        status, body, _ = self.get(target, headers={"Cookie": f"oversikt_nokkel={self.secret}"})
        assert status == 200, (status, body[:500])
        return form_fields(body.decode("utf-8"))[index]

    def wait_for(self, condition, target: str = "/") -> tuple[str, float]:
        """The page once ``condition`` holds for it, and how long that took."""
        started = time.monotonic()
        while True:
            page = self.page(target)
            elapsed = time.monotonic() - started
            if condition(page) or elapsed > SECONDS_TO_SEE_A_CHANGE:
                return page, elapsed
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def form_fields(page: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each form on ``page``: its action and the fields a browser would send as they stand."""
    forms = _Forms()
    forms.feed(page)
    return forms.found


class _Forms(HTMLParser):
    """Each form's action and the values its fields hold, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str]]]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._first_option: tuple[str, str] | None = None
        self._chosen = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.found.append((a.get("action", ""), []))
        elif not self.found:
            return
        fields = self.found[-1][1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select, self._first_option, self._chosen = a.get("name"), None, False
        elif tag == "option" and self._select:
            value = a.get("value") or ""
            if self._first_option is None:
                self._first_option = (self._select, value)
            if "selected" in a:
                fields.append((self._select, value))
                self._chosen = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), []

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            if not self._chosen and self._first_option:
                self.found[-1][1].append(self._first_option)
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text)
            self.found[-1][1].append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)
