"""Headless Chromium over the DevTools protocol: open a page, run JavaScript, collect
console errors and network requests, take a full-page screenshot.

Uses the system browser (Debian package `chromium`) and `websocket-client`; nothing
is downloaded. Used by the report test and by `session-analytics report --screenshot`.

    with Browser(find_chromium()) as browser:
        browser.open(path.as_uri())
        browser.wait_for("document.body.dataset.ready === 'true'")
        browser.screenshot(Path("shot.png"))
        assert not browser.console_errors()
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import websocket

FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


class BrowserError(RuntimeError):
    """The browser could not be started or did not answer as expected."""


def find_chromium() -> str | None:
    """Path of a Chromium executable: env CHROMIUM, else the first one on PATH."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """One headless Chromium process with one page, driven over DevTools."""

    def __init__(
        self, executable: str, *, width: int = 1400, height: int = 900
    ) -> None:
        self.executable = executable
        self.width = width
        self.height = height
        self.events: list[dict[str, Any]] = []
        self._next_id = 0
        self._profile = ""
        self._proc: subprocess.Popen[bytes] | None = None
        self._ws: websocket.WebSocket | None = None

    # -- process -------------------------------------------------------------
    def __enter__(self) -> Browser:
        self._profile = tempfile.mkdtemp(prefix="session-analytics-chromium-")
        log = open(Path(self._profile) / "chromium.log", "wb")  # noqa: SIM115
        self._proc = subprocess.Popen(
            [
                self.executable,
                *FLAGS,
                f"--user-data-dir={self._profile}",
                f"--window-size={self.width},{self.height}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        try:
            port = self._devtools_port(timeout=30)
            self._ws = websocket.create_connection(
                self._page_websocket(port), timeout=30, suppress_origin=True
            )
            for domain in ("Page", "Runtime", "Log", "Network"):
                self.call(f"{domain}.enable")
        except Exception:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._ws is not None:
            self._ws.close()
            self._ws = None
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
            self._proc = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = ""

    def _log_tail(self) -> str:
        path = Path(self._profile) / "chromium.log"
        text = path.read_text("utf-8", "replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-20:])

    def _devtools_port(self, timeout: float) -> int:
        marker = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise BrowserError(
                    f"{self.executable} exited with {self._proc.returncode}:\n"
                    + self._log_tail()
                )
            if marker.exists():
                lines = marker.read_text().splitlines()
                if lines and lines[0].strip().isdigit():
                    return int(lines[0])
            time.sleep(0.1)
        raise BrowserError(
            f"{self.executable} did not open DevTools:\n{self._log_tail()}"
        )

    @staticmethod
    def _page_websocket(port: int) -> str:
        url = f"http://127.0.0.1:{port}/json/list"
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            targets = json.load(response)
        for target in targets:
            if target.get("type") == "page":
                return str(target["webSocketDebuggerUrl"])
        raise BrowserError("no page target in the browser")

    # -- protocol ------------------------------------------------------------
    def _receive(self, timeout: float) -> dict[str, Any]:
        assert self._ws is not None
        self._ws.settimeout(max(timeout, 0.05))
        message: dict[str, Any] = json.loads(self._ws.recv())
        if "method" in message:
            self.events.append(message)
        return message

    def call(
        self, method: str, params: dict[str, Any] | None = None, timeout: float = 60
    ) -> dict[str, Any]:
        """Send one DevTools command and return its result (events are recorded)."""
        assert self._ws is not None, "use Browser as a context manager"
        self._next_id += 1
        call_id = self._next_id
        self._ws.send(
            json.dumps({"id": call_id, "method": method, "params": params or {}})
        )
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline - time.monotonic())
            if message.get("id") == call_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    def _wait_event(
        self, match: Callable[[dict[str, Any]], bool], timeout: float
    ) -> dict[str, Any]:
        for event in self.events:
            if match(event):
                return event
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self._receive(deadline - time.monotonic())
            except websocket.WebSocketTimeoutException:
                break
            if "method" in message and match(message):
                return message
        raise BrowserError("timed out waiting for a browser event")

    # -- page ----------------------------------------------------------------
    def open(self, url: str, timeout: float = 60) -> None:
        """Navigate to `url` and wait for its load event."""
        self.events.clear()
        result = self.call("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"cannot open {url}: {result['errorText']}")
        if not result.get("loaderId"):  # same-document navigation: no load event
            return
        self._wait_event(lambda e: e["method"] == "Page.loadEventFired", timeout)

    def evaluate(self, expression: str, timeout: float = 60) -> Any:
        """The value of a JavaScript expression (promises are awaited)."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details
            raise BrowserError(f"JavaScript error in {expression!r}: {text}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> Any:
        """Poll `expression` until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise BrowserError(f"timed out waiting for {expression!r}")

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        """Save a PNG of the page (whole scroll height when `full_page`)."""
        height = self.height
        if full_page:
            height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": self.width,
                "height": height,
                "deviceScaleFactor": 1,
                "mobile": False,
            },
        )
        shot = self.call("Page.captureScreenshot", {"format": "png"})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    # -- what happened -------------------------------------------------------
    def console_errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser log errors so far."""
        errors: list[str] = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "assert",
            ):
                args = params.get("args", [])
                errors.append(
                    " ".join(
                        str(a.get("value", a.get("description", ""))) for a in args
                    )
                )
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                errors.append(
                    str(details.get("exception", {}).get("description") or details)
                )
            elif method == "Log.entryAdded":
                entry = params.get("entry", {})
                if entry.get("level") == "error":
                    errors.append(f"{entry.get('text')} ({entry.get('url', '')})")
        return errors

    def requested_urls(self) -> list[str]:
        """URLs of every network request the page made so far."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent"
        ]
