"""The preview server: files from the build folder, a reload script, server-sent events."""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from cjmsite.diagnostics import printable

LIVE = Path(str(files("cjmsite").joinpath("live")))
PING_SECONDS = 15.0
MAX_STREAMS = 64  # open event streams: tabs share one through a worker; 64 is plenty
# A client stuck this long on a write is dropped; when MAX_STREAMS are open, a new stream
# takes the place of the oldest one open this long (a tab's EventSource reconnects by
# itself within a second; a client that only holds a socket open does not).
STALL_SECONDS = 30.0
SCRIPTS = {"/__cjmsite/client.js": "client.js", "/__cjmsite/worker.js": "worker.js",
           "/__cjmsite/idiomorph.js": "vendor/idiomorph.js"}  # URL -> file under live/


class LiveState:
    """The newest build number, its errors and warnings, the files it changed (None: any
    of them), whether more of it is still being built, and the pages the quick pass
    rendered (output path -> HTML as served: sent with the event, so the tab showing one
    needs no request); waiters wake when they change."""

    def __init__(self) -> None:
        self.build = 0
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.changed: list[str] | None = None
        self.busy = False
        self.pages: dict[str, str] = {}
        self._streams: dict[int, float] = {}  # open event streams -> when each opened
        self._opened = 0
        self.shown = threading.Event()  # a tab has this version's page on screen
        self.version = 0
        self.closed = False
        self._cond = threading.Condition()
        self._message = (-1, "")  # (version, its message): made once, not once a tab

    def publish(self, build: int, errors: list[str], warnings: list[str] | None = None,
                changed: list[str] | None = None, busy: bool = False,
                pages: dict[str, str] | None = None) -> None:
        with self._cond:
            self.build, self.errors, self.warnings = build, errors, warnings or []
            self.changed, self.busy, self.pages = changed, busy, pages or {}
            self.shown.clear()
            self.version += 1
            self._cond.notify_all()

    @property
    def listeners(self) -> int:
        """Open event streams (tabs, or their shared worker)."""
        return len(self._streams)

    def open_stream(self) -> int | None:
        """A new stream's number; None when MAX_STREAMS are open and none of them for
        STALL_SECONDS (else the oldest is let go: see `wait`)."""
        with self._cond:
            now = time.monotonic()
            if len(self._streams) >= MAX_STREAMS:
                oldest = min(self._streams, key=self._streams.__getitem__)
                if now - self._streams[oldest] < STALL_SECONDS:
                    return None
                del self._streams[oldest]
                self._cond.notify_all()
            self._opened += 1
            self._streams[self._opened] = now
            return self._opened

    def close_stream(self, stream: int) -> None:
        with self._cond:
            self._streams.pop(stream, None)

    def is_open(self, stream: int) -> bool:
        return stream in self._streams

    def message(self) -> str:
        with self._cond:
            if self._message[0] != self.version:
                # A tab needs the list only to tell whether its page is in it: past a few
                # hundred files, "any of them" says as much in fewer bytes.
                changed = self.changed if self.changed is None or len(self.changed) <= 500 \
                    else None
                message = {"build": self.build, "errors": self.errors,
                           "warnings": self.warnings, "changed": changed, "busy": self.busy}
                if self.pages:
                    message["pages"] = self.pages
                self._message = (self.version, json.dumps(message))
            return self._message[1]

    def wait(self, version: int, timeout: float, stream: int | None = None) -> int:
        """The version once it is not `version` (or after `timeout`, or when `stream` is
        let go or the server closes)."""
        with self._cond:
            self._cond.wait_for(lambda: self.version != version or self.closed or (
                stream is not None and stream not in self._streams), timeout)
            return self.version

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


def inject(html: bytes, build: int) -> bytes:
    """A page as serve sends it: with the live client (never written into built files)."""
    tag = ('<script src="/__cjmsite/idiomorph.js"></script>'
           f'<script src="/__cjmsite/client.js" data-build="{build}"></script>').encode()
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _local_host(header: str) -> bool:
    """Whether a Host header ("localhost:8000", "[::1]:8000") names this machine."""
    try:
        name = urlsplit(f"//{header}").hostname
    except ValueError:  # "[::1" and the like
        return False
    return name is not None and is_loopback(name)


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # socketserver's 5 queues a burst of tabs for seconds

    def __init__(self, address: tuple[str, int], site: Path, state: LiveState,
                 files_lock: threading.Lock | None = None,
                 overlay: dict[str, bytes] | None = None):
        super().__init__(address, PreviewHandler)
        self.site, self.state = site, state
        # Pages served instead of the built files (output path -> bytes): serve's quick
        # pass puts the saved journey's page here until the full build is in.
        self.overlay = overlay if overlay is not None else {}
        # Bound to loopback, only names of this machine may ask: a web page whose name
        # an attacker points at 127.0.0.1 (DNS rebinding) must not read the preview.
        self.local_only = is_loopback(address[0])
        self.files_lock = files_lock or threading.Lock()  # rebuilds hold it while writing

    def handle_error(self, request: object, client_address: tuple) -> None:
        """A tab closed mid-answer is normal: silence. Anything else: one line, never a
        traceback (socketserver prints one per error)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, _GONE):
            return
        print(printable(f"serve: bad request from {client_address[0]}: "
                        f"{type(exc).__name__}: {exc}"),
              file=sys.stderr)


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = STALL_SECONDS  # on the socket: a stalled reader or writer is let go

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet terminal
        return

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._serve(head=False)

    def _serve(self, head: bool) -> None:
        host = self.headers.get("Host")
        if self.server.local_only and host is not None and not _local_host(host):
            return self._send(HTTPStatus.FORBIDDEN, b"This preview answers to localhost only.",
                              "text/plain; charset=utf-8", head)
        path = unquote(urlsplit(self.path).path)
        if path == "/__cjmsite/events":
            if head:
                return self._send(HTTPStatus.OK, b"", "text/event-stream", head)
            return self._events()
        if path == "/__cjmsite/shown":  # a tab put the quick pass's page on screen
            self.server.state.shown.set()
            return self._send(HTTPStatus.NO_CONTENT, b"", "text/plain", head)
        if path in SCRIPTS:
            return self._send(HTTPStatus.OK, (LIVE / SCRIPTS[path]).read_bytes(),
                              "text/javascript; charset=utf-8", head)
        with self.server.files_lock:  # never half-way through a rebuild's writes
            target = self._resolve(path)
            try:
                data = None if target is None else self.server.overlay.get(
                    target.relative_to(self.server.site.resolve()).as_posix()) \
                    or target.read_bytes()
            except OSError:
                data = None
        if target is None or data is None:
            return self._not_found(head)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = inject(data, self.server.state.build)
        if kind.startswith("text/") or kind in ("image/svg+xml", "application/json"):
            kind += "; charset=utf-8"
        self._send(HTTPStatus.OK, data, kind, head)

    def _resolve(self, path: str) -> Path | None:
        """A file inside the site, or None: no '..', no encoded tricks, no symlinks out."""
        root = self.server.site.resolve()
        try:
            target = (root / path.lstrip("/")).resolve()
            if not target.is_relative_to(root):
                return None
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None
        except (OSError, ValueError):  # a NUL byte, a name too long for the file system
            return None

    def _not_found(self, head: bool) -> None:
        page = self.server.site / "404.html"
        body = page.read_bytes() if page.is_file() else (
            b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>cjmsite</title></head>"
            b"<body><p>Not found (or the site has not built yet).</p></body></html>")
        self._send(HTTPStatus.NOT_FOUND, inject(body, self.server.state.build),
                   "text/html; charset=utf-8", head)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-sent events: the state now, then on every change; pings find dead tabs."""
        state = self.server.state
        stream = state.open_stream()
        if stream is None:
            self.send_response(HTTPStatus.SERVICE_UNAVAILABLE)
            self.send_header("Retry-After", "5")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            version = state.version
            self.wfile.write(f"retry: 1000\ndata: {state.message()}\n\n".encode())
            self.wfile.flush()
            while not state.closed:
                new = state.wait(version, PING_SECONDS, stream)
                if state.closed or not state.is_open(stream):
                    break  # closed, or let go for a newer stream: a tab reconnects
                chunk = f"data: {state.message()}\n\n" if new != version else ": ping\n\n"
                version = new
                self.wfile.write(chunk.encode())
                self.wfile.flush()
        except _GONE:
            return
        finally:
            state.close_stream(stream)
