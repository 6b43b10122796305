"""A small W3C WebDriver client over httpx, driving Debian's headless Chromium through
chromedriver (package chromium-driver): enough to type into a form, click and read the page.

A real browser and a real driver process (127.0.0.1, a free port, polled until it answers), no
Selenium: the protocol is plain JSON over HTTP.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from servers import free_port

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference


class Browser:
    def __init__(self, http: httpx.Client, session: str) -> None:
        self.http = http
        self.session = session

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        response = self.http.request(method, f"/session/{self.session}{path}", json=body)
        data = response.json()
        assert response.status_code == 200, data
        return data["value"]

    def go(self, url: str) -> None:
        self._call("POST", "/url", {"url": url})

    @property
    def url(self) -> str:
        return self._call("GET", "/url")

    def find(self, css: str) -> list[str]:
        found = self._call("POST", "/elements", {"using": "css selector", "value": css})
        return [e[ELEMENT] for e in found]

    def type(self, element: str, text: str) -> None:
        self._call("POST", f"/element/{element}/value", {"text": text})

    def click(self, element: str) -> None:
        self._call("POST", f"/element/{element}/click", {})

    def property(self, element: str, name: str) -> Any:
        """A DOM property (`href` is then the absolute URL)."""
        return self._call("GET", f"/element/{element}/property/{name}")

    def text(self, element: str) -> str:
        return self._call("GET", f"/element/{element}/text")

    def wait_for_url(self, predicate: Any, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while not predicate(url := self.url):
            assert time.monotonic() < deadline, f"still at {url}"
            time.sleep(0.05)
        return url


@contextmanager
def browser(chromium: str, chromedriver: str, profile: Path) -> Iterator[Browser]:
    port = free_port()
    driver = subprocess.Popen([chromedriver, f"--port={port}"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            deadline = time.monotonic() + 30
            while True:  # poll until the driver answers
                assert driver.poll() is None, driver.stdout.read() if driver.stdout else ""
                try:
                    if http.get("/status").json()["value"]["ready"]:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "chromedriver did not start"
                time.sleep(0.05)
            options = {"binary": chromium, "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}"]}
            created = http.post("/session", json={"capabilities": {"alwaysMatch": {
                "browserName": "chrome", "goog:chromeOptions": options}}})
            assert created.status_code == 200, created.text
            session = created.json()["value"]["sessionId"]
            try:
                yield Browser(http, session)
            finally:
                http.delete(f"/session/{session}")
    finally:
        driver.terminate()
        try:
            driver.wait(10)
        except subprocess.TimeoutExpired:
            driver.kill()
            driver.wait()
