"""Headless Chromium driven over the DevTools protocol on a pipe, for the report's browser tests.

``--remote-debugging-pipe`` speaks JSON messages ending in NUL on file descriptors 3 and 4, so
no websocket library is needed. Tests fail when Chromium is missing under CI (``CI=1``, set by
``.ci/run``, which installs it) and skip elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)  # fmt: skip


def chromium_exe() -> str:
    """Chromium's executable; a failure under CI (``CI=1``) without it, else a skip."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe:
        return exe
    reason = "chromium is not installed (apt-get install -y chromium)"
    if os.environ.get("CI") == "1":
        pytest.fail(f"{reason}; .ci/run installs it before make test")
    pytest.skip(reason)


class DevTools:
    """A Chromium process driven over the DevTools protocol on a pipe (fds 3 and 4)."""

    def __init__(self, exe: str, profile: Path, log: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"]
        # bash puts our pipe ends on descriptors 3 and 4, where Chromium expects them
        # (dash, Debian's sh, only redirects descriptors 0-9)
        script = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        with open(log, "wb") as err:
            self.proc = subprocess.Popen(
                ["bash", "-c", script, *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
                pass_fds=(to_browser_r, from_browser_w),
            )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._messages: queue.Queue = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0
        self.events: list[dict] = []

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_browser, 65536):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._messages.put(json.loads(message))
        self._messages.put(None)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:  # fmt: skip
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._get(deadline, method)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        """The first event called ``method`` (already received or still to come)."""
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while True:
            event = self._get(deadline, method)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _get(self, deadline: float, waiting_for: str) -> dict:
        try:
            message = self._messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError(f"Chromium did not answer {waiting_for} in time") from None
        if message is None:
            raise RuntimeError(f"Chromium closed the pipe while waiting for {waiting_for}")
        return message

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.call("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        self._reader.join(timeout=5)
        os.close(self._from_browser)
