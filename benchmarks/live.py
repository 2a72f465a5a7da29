"""Save-to-screen: a file is written, and the clock runs until an open Chromium tab shows
the new text. Measured end to end for `cjmsite serve` and for Hugo's server on the same
number of files, with Playwright driving Debian's chromium (no browser download).

Each edit waits for the server to finish all it does for the previous one first (cjmsite:
its full rebuild after the quick pass; Hugo: a quiet second), so every figure is one save
on an idle server, as an author typing and saving sees it."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

CHROMIUM = os.environ.get("CJMSITE_CHROMIUM") or shutil.which("chromium") or ""
RUN = os.urandom(4).hex()  # in each marker: text no earlier run can have left in a file
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_http(port: int, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no server on port {port} after {timeout:.0f} s")


class _CjmsiteState:
    """The serve's event stream, read on a thread: whether a rebuild is under way."""

    def __init__(self, port: int):
        self.state: dict = {}
        self.changed = threading.Event()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        conn.request("GET", "/__cjmsite/events")
        self._response = conn.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self._response.fp:
                if line.startswith(b"data: "):
                    self.state = json.loads(line[6:])
                    self.changed.set()
        except (OSError, ValueError):
            return

    def idle_after(self, build: int, timeout: float = 600) -> int:
        """Wait until a build later than `build` is done and nothing more is under way."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.state
            if state and state["build"] > build and not state.get("busy"):
                return state["build"]
            self.changed.wait(0.05)
            self.changed.clear()
        raise RuntimeError("cjmsite serve did not finish rebuilding")


def _measure(url: str, edit: Callable[[int], str], settle: Callable[[], None],
             edits: int) -> float:
    """Open `url` in Chromium, then `edits` times: write (edit(n) returns the text to look
    for) and time until the tab's page contains it; the median."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(url, wait_until="load")
        for n in range(1, edits + 1):
            start = time.perf_counter()
            marker = edit(n)
            page.wait_for_function(
                "m => document.body && document.body.textContent.includes(m)", arg=marker,
                polling="raf", timeout=120_000)
            times.append(time.perf_counter() - start)
            if os.environ.get("CJMSITE_BENCH_VERBOSE"):
                print(f"  edit {n}: {1000 * times[-1]:.0f} ms", flush=True)
            settle()
        browser.close()
    return statistics.median(times)


def _rewrite(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(pattern, replacement, text, count=1, flags=re.M), encoding="utf-8")


def cjmsite_serve(site: Path, edits: int) -> float | None:
    """Median save-to-screen of a stage title on its journey page, `cjmsite serve`; None
    without chromium."""
    if not CHROMIUM:
        return None
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "cjmsite", "serve", str(site), "--port",
                             str(port), "--quiet"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    stage = sorted((site / "content/journeys/journey-0001").glob("0*.md"))[1]
    original = stage.read_text(encoding="utf-8")
    try:
        _wait_http(port, "/journeys/journey-0001/", 600)
        state = _CjmsiteState(port)
        last = state.idle_after(0)

        def edit(n: int) -> str:
            _rewrite(stage, r"^title: (Guardado \d+ [0-9a-f]+ )?", f"title: Guardado {n} {RUN} ")
            return f"Guardado {n} {RUN} "

        def settle() -> None:
            nonlocal last
            last = state.idle_after(last)

        return _measure(f"http://127.0.0.1:{port}/journeys/journey-0001/", edit, settle,
                        edits)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        stage.write_text(original, encoding="utf-8")


def hugo_server(hugo: str, root: Path, edits: int) -> float | None:
    """Median save-to-screen of a page's heading on that page, Hugo's server (its
    defaults: rendering to memory, fast render, live reload)."""
    if not hugo or not CHROMIUM:
        return None
    port = _free_port()
    proc = subprocess.Popen([hugo, "server", "-s", str(root / "hugo"), "--port", str(port),
                             "--bind", "127.0.0.1", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page_file = root / "docs/section-000/page-00001.md"
    original = page_file.read_text(encoding="utf-8")
    try:
        _wait_http(port, "/section-000/page-00001/", 600)

        def edit(n: int) -> str:
            _rewrite(page_file, r"^# (Guardado \d+ [0-9a-f]+ )?", f"# Guardado {n} {RUN} ")
            return f"Guardado {n} {RUN} "

        return _measure(f"http://127.0.0.1:{port}/section-000/page-00001/", edit,
                        lambda: time.sleep(1.0), edits)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        page_file.write_text(original, encoding="utf-8")
