"""`cjmsite serve`: build, serve, watch, rebuild incrementally, reload the browser.

Builds go to a temporary folder of their own (never the user's output/), the reload script
is injected at serve time only, and bad content keeps the last good site on screen with the
errors shown over it."""

from __future__ import annotations

import errno
import os
import signal
import tempfile
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from pathlib import Path

from cjmsite.commands.build import Superseded, build
from cjmsite.config import load_config
from cjmsite.diagnostics import Report
from cjmsite.incremental.apply import BuildResult
from cjmsite.incremental.caches import Caches
from cjmsite.live.hot import quick_pass
from cjmsite.live.server import LiveState, PreviewServer, inject, is_loopback
from cjmsite.live.watch import Watcher
from cjmsite.output import OutputError
from cjmsite.progress import Progress

READ_SECONDS = 60.0  # a rebuild's reading of content (parsing) is given up past this


class ServeError(Exception):
    pass


class _OutOfTime(Exception):
    pass


class _Watchdog(Progress):
    """Checked between files while a rebuild reads content: a newer save gives the
    rebuild up (Superseded), and so does reading past READ_SECONDS. What was read is kept
    (cjmsite.content.parse), so the next rebuild carries on where this one stopped."""

    def __init__(self, superseded: Callable[[], bool]):
        self.superseded = superseded
        self.deadline = time.monotonic() + READ_SECONDS

    def checkpoint(self) -> None:
        if self.superseded():
            raise Superseded
        if time.monotonic() > self.deadline:
            raise _OutOfTime


class Preview:
    """One preview: its build folder, its caches, its live state. Thread-safe rebuilds."""

    def __init__(self, root: Path, strict: bool = False,
                 say: Callable[[str, bool], None] = lambda line, err: None):
        self.root, self.strict, self.say = root, strict, say
        self._tmp = tempfile.TemporaryDirectory(prefix="cjmsite-serve-")
        self.site = Path(self._tmp.name) / "site"
        self.session = Caches(in_memory=True)
        self.state = LiveState()
        self._lock = threading.Lock()
        # Held by the server while it reads a file and by a rebuild while it replaces
        # files, so a page never mixes two builds (and a rebuild needs no copy of the site).
        self.files_lock = threading.Lock()
        self.built: BuildResult | None = None  # the last good build, for the quick pass
        # The quick pass's pages, served instead of the built files until the next full
        # build is in (the built files are never touched: a failed build needs no undo).
        self.overlay: dict[str, bytes] = {}

    def rebuild(self, changed: set[str] | None = None, structural: bool = True,
                superseded: Callable[[], bool] = lambda: False) -> bool:
        """Build and publish; never raises, so the watcher always gets to the next save
        (an exception that escaped here once stopped every later rebuild). `changed`: the
        files saved since the last round, when the watcher knows them; a save that only
        touches one journey's pages shows that page first (cjmsite.live.hot).
        `superseded`: whether a newer save is waiting; the full rebuild is then given up
        before it renders, for the next round (which shows the newer save's page first
        and rebuilds for both)."""
        with self._lock:
            started = time.perf_counter()
            quick = self._quick(changed) if changed and not structural else []
            try:
                result = build(self.root, self.strict, session=self.session, output=self.site,
                               lock=self.files_lock, superseded=superseded,
                               progress=_Watchdog(superseded))
                report = result.report
                ok = result.output is not None
            except Superseded:
                self.say("a newer save came in: rebuilding for it", False)
                return True
            except _OutOfTime:
                result, report, ok = None, Report(), False
                report.error("cjmsite.toml", 1, f"reading the content took more than "
                             f"{READ_SECONDS:.0f} s: gave up (what was read is kept; the "
                             "next save carries on)")
            except OutputError as exc:
                result, report, ok = None, Report(), False
                report.error("cjmsite.toml", 1, str(exc))
            except Exception as exc:  # noqa: BLE001 - reported, and the next save retries
                if os.environ.get("CJMSITE_DEBUG"):
                    traceback.print_exc()
                result, report, ok = None, Report(), False
                report.error("cjmsite.toml", 1, f"internal error while building: "
                                                f"{type(exc).__name__}: {exc}")
                self.session = Caches(in_memory=True)  # whatever it held may be half-done
            if not ok and superseded():
                # It may have read a file mid-save (an editor truncates, then writes): the
                # next round, for the newer save, tells whether the error is real.
                self.say("a newer save came in: rebuilding for it", False)
                return False
            problems = [d for d in report.shown(self.strict) if d.level == "error"]
            for item in report.shown(self.strict):
                self.say(str(item), True)
            warnings = [str(d) for d in report.shown(self.strict) if d.level == "warning"]
            with self.files_lock:  # the built files again, good or last good
                undone = sorted(self.overlay)
                self.overlay.clear()
            if ok and result is not None:
                verb = "rebuilt" if self.built else "built"
                self.built = result
                written = None if result.changed is None else [*result.changed,
                                                                 *result.removed]
                self.state.publish(self.state.build + 1, [], warnings,
                                   self._to_refresh(written, quick))
                self.say(f"{verb} in {1000 * (time.perf_counter() - started):.0f} ms", False)
            else:
                self.state.publish(self.state.build + (1 if undone else 0),
                                   [str(d) for d in problems], warnings, [*undone])
                self.say("build failed; still serving the last good site", True)
            return ok

    def _to_refresh(self, changed: list[str] | None, quick: list[Quick]) -> list[str] | None:
        """The pages tabs must fetch after a full build: what it changed, less the quick
        pass's pages that tabs already have, unless the full build wrote other bytes for
        one (the quick pass is meant to agree; if it ever does not, tabs still end right)."""
        if changed is None:
            return None
        with self.files_lock:
            stale = {rel for rel, shown in quick if _bytes(self.site / rel) != shown}
        quick_pages = {rel for rel, _ in quick}
        return [rel for rel in changed if rel not in quick_pages or rel in stale] + \
            sorted(stale - set(changed))

    def _quick(self, changed: set[str]) -> list[Quick]:
        """Put the saved journey's page on screen before the full rebuild (live.hot):
        served from memory until that build is in; returns each page and what it
        showed."""
        if self.built is None:
            return []
        started = time.perf_counter()
        try:
            outputs = quick_pass(self.built, self.session, changed)
        except Exception:  # noqa: BLE001 - the full rebuild that follows reports it
            if os.environ.get("CJMSITE_DEBUG"):
                traceback.print_exc()
            return []
        if not outputs:
            return []
        with self.files_lock:
            self.overlay.update(outputs)
        build = self.state.build + 1
        self.state.publish(build, [], self.state.warnings, [rel for rel, _ in outputs],
                           busy=True, pages={rel: inject(data, build).decode("utf-8")
                                             for rel, data in outputs if rel.endswith(".html")})
        self.say(f"{outputs[0][0]} in {1000 * (time.perf_counter() - started):.0f} ms", False)
        if self.state.listeners:
            # Let a tab show the page before the full rebuild takes the CPU from the
            # browser and the GIL from the server's threads (on 2 cores that cost ~20 ms
            # of parsing): the rebuild shows nothing new on that page.
            self.state.shown.wait(0.1)
        return outputs

    def served(self, rel: str) -> bytes | None:
        """What the server sends for an output file now (before the reload script)."""
        with self.files_lock:
            return self.overlay.get(rel) or _bytes(self.site / rel)

    def close(self) -> None:
        self.state.close()
        self._tmp.cleanup()


Quick = tuple[str, bytes]  # a quick pass's page: path, bytes shown


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def start_server(host: str, port: int, preview: Preview) -> PreviewServer:
    try:
        return PreviewServer((host, port), preview.site, preview.state, preview.files_lock,
                             preview.overlay)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use; stop the other server "
                             "or pick another port (--port 0 picks a free one)") from exc
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM both end the server cleanly, even where a parent shell started us
    with SIGINT ignored."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)


def serve(root: Path, host: str, port: int, open_browser: bool, poll: bool, strict: bool,
          say: Callable[[str, bool], None]) -> None:
    """Serve on a thread of its own; rebuild on this, the main thread, where signal-based
    time limits work (see cjmsite.pool) and Ctrl-C arrives."""
    project = load_config(root, Report())
    _stop_on_signals()
    preview = Preview(root, strict, say)
    server = None
    serving = False
    watcher = None
    try:
        server = start_server(host, port, preview)  # first: a port in use fails at once
        preview.rebuild()
        watcher = Watcher(project.root, project.content, poll)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.25},
                         name="cjmsite-http", daemon=True).start()
        serving = True
        url = f"http://{host if ':' not in host else f'[{host}]'}:{server.server_port}/"
        say(f"serving {project.root} at {url} (Ctrl-C to stop)", False)
        if not is_loopback(host):
            say(f"warning: listening on {host}, not loopback: other machines can see this "
                "preview", True)
        if open_browser:
            webbrowser.open(url)
        while True:
            if watcher.wait(0.5):  # saves during a round start the next one
                preview.rebuild(*watcher.take(), superseded=watcher.saved_since)
    finally:
        if watcher is not None:
            watcher.stop()
        if server is not None:
            if serving:  # shutdown() waits for serve_forever: for ever if it never ran
                server.shutdown()
            server.server_close()
        preview.close()
