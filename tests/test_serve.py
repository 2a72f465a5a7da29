"""`cjmsite serve`: a real server on a free port, real file edits, real HTTP clients."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cjmsite.commands.serve import Preview, ServeError, start_server
from cjmsite.live.watch import watch

STAGE = "content/journeys/buy/01-call.md"
TYPO = ("title: Call", "title: Call\npain_point: [slow]")  # builds, with a warning
UNKNOWN = ("touchpoints: [phone]", "touchpoints: [phnoe]")  # does not build


class Live:
    def __init__(self, root: Path):
        self.preview = Preview(root)
        self.builds = 0
        original = self.preview.rebuild

        def counted(changed: set[str] | None = None, structural: bool = True,
                    **kwargs: object) -> bool:
            self.builds += 1
            return original(changed, structural, **kwargs)

        self.preview.rebuild = counted  # type: ignore[method-assign]
        assert self.preview.rebuild()
        self.server = start_server("127.0.0.1", 0, self.preview)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.watcher = watch(root, root / "content", self.preview.rebuild)

    def state_build(self) -> int:
        return self.preview.state.build

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body

    def save(self, old: str, new: str) -> str:
        """Save the stage with `old` replaced by `new`, as an editor would; returns the
        text it had, to save back."""
        stage = self.preview.root / STAGE
        text = stage.read_text()
        stage.write_text(text.replace(old, new))
        return text

    def restore(self, text: str) -> None:
        (self.preview.root / STAGE).write_text(text)

    def events(self) -> Iterator[dict]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        conn.request("GET", "/__cjmsite/events")
        response = conn.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                yield json.loads(line[6:])

    def close(self) -> None:
        self.watcher.stop()
        self.server.shutdown()
        self.server.server_close()
        self.preview.close()


@pytest.fixture
def live(make_site) -> Iterator[Live]:
    server = Live(make_site())
    yield server
    server.close()


def _wait_for(events: Iterator[dict], predicate, timeout: float = 15) -> dict:
    deadline = time.monotonic() + timeout
    for event in events:
        if predicate(event):
            return event
        assert time.monotonic() < deadline
    raise AssertionError("event stream ended")


def test_edit_triggers_reload_and_new_content(live: Live) -> None:
    status, page = live.get("/journeys/buy/index.html")
    assert status == 200 and b"Call" in page
    assert b'<script src="/__cjmsite/client.js" data-build="1">' in page
    built = (live.preview.site / "journeys/buy/index.html").read_bytes()
    assert b"__cjmsite" not in built, "the reload script is never written into built files"
    events = live.events()
    assert next(events) == {"build": 1, "errors": [], "warnings": [], "changed": None,
                            "busy": False}
    live.save("title: Call", "title: Phone call")
    # The journey's own page first (the quick pass, cjmsite.live.hot), then the rest.
    quick = _wait_for(events, lambda e: e["build"] == 2)
    assert quick["busy"] and quick["changed"] == ["journeys/buy/index.html",
                                                   "journeys/buy/map.svg"]
    # The page comes with the event, as a request would get it: the tab needs no request.
    sent = quick["pages"]["journeys/buy/index.html"]
    assert "Phone call" in sent and '<script src="/__cjmsite/client.js" data-build="2">' in sent
    assert live.get("/__cjmsite/shown")[0] == 204  # the tab's word that it is on screen
    assert b"Phone call" in live.get("/journeys/buy/index.html")[1]
    full = _wait_for(events, lambda e: not e["busy"])
    assert full["build"] == 3 and full["errors"] == []
    assert "journeys/buy/index.html" not in full["changed"]  # the quick pass wrote it
    assert full["changed"] == ["touchpoints/phone/index.html", "search/journeys-000.js"]


def test_warnings_reach_the_overlay_and_a_fix_clears_them(live: Live) -> None:
    """A save that builds with warnings (content may be missing) is published with them,
    for the page's dismissable overlay; fixing the file clears them."""
    events = live.events()
    next(events)
    good = live.save(*TYPO)
    warned = _wait_for(events, lambda e: e["warnings"])
    assert warned["build"] == 3 and warned["errors"] == []
    assert warned["warnings"] == ["content/journeys/buy/01-call.md:3: warning: unknown field "
                                  "'pain_point' (did you mean 'pain_points'?)"]
    live.restore(good)
    assert _wait_for(events, lambda e: e["build"] == 5)["warnings"] == []


def test_overlay_in_the_browser_warns_dismisses_and_errors(live: Live, tab) -> None:
    page = tab.open(f"http://127.0.0.1:{live.port}/journeys/buy/index.html").page
    good = live.save(*TYPO)
    page.wait_for_selector("#cjmsite-overlay[data-level=warning]", timeout=15000)
    assert "pain_point" in page.text_content("#cjmsite-overlay")
    page.click("#cjmsite-overlay button")
    assert page.query_selector("#cjmsite-overlay") is None
    page.reload()
    page.wait_for_timeout(1500)  # the same warnings, already dismissed: no overlay
    assert page.query_selector("#cjmsite-overlay") is None
    live.restore(good.replace(*UNKNOWN))
    page.wait_for_selector("#cjmsite-overlay[data-level=error]", timeout=15000)
    assert page.query_selector("#cjmsite-overlay button") is None  # errors stay until fixed


def test_bad_edit_shows_errors_and_fix_clears_them(live: Live) -> None:
    events = live.events()
    next(events)
    good = live.save(*UNKNOWN)
    failed = _wait_for(events, lambda e: e["errors"])
    assert failed["build"] == 1
    assert failed["errors"] == ["content/journeys/buy/01-call.md:3: error: unknown touchpoint "
                                "'phnoe' (did you mean 'phone'?)"]
    status, page = live.get("/journeys/buy/index.html")
    assert status == 200 and b"Phone line" in page, "the last good site is still served"
    live.restore(good.replace("title: Call", "title: Fixed"))
    fixed = _wait_for(events, lambda e: e["build"] >= 2 and not e["busy"])
    assert fixed["errors"] == []


def test_traversal_and_symlinks_out_get_404(live: Live, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    os.symlink(secret, live.preview.site / "link.txt")
    for path in ("/../cjmsite.toml", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                 "/assets/../../secret.txt", "/link.txt", "/nope.html", "/%00"):
        status, body = live.get(path)
        assert status == 404, path
        assert b"top secret" not in body and b"root:" not in body


def test_twenty_concurrent_clients(live: Live) -> None:
    streams = [live.events() for _ in range(20)]
    for stream in streams:
        assert next(stream)["build"] == 1
    results: list[int] = []

    def fetch() -> None:
        for path in ("/index.html", "/gaps/index.html", "/journeys/buy/map.svg"):
            results.append(live.get(path)[0])

    threads = [threading.Thread(target=fetch) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results == [200] * 60
    (live.preview.root / "content/personas/ana.md").write_text("---\nname: Ana María\n---\n")
    for stream in streams:
        assert _wait_for(stream, lambda e: e["build"] == 2)["build"] == 2


def test_event_storm_gives_one_rebuild(live: Live) -> None:
    events = live.events()
    next(events)
    before = live.builds
    root = live.preview.root
    started = time.monotonic()
    for i in range(300):
        (root / f"content/personas/p{i:03d}.md").write_text(f"---\nname: P {i}\n---\n")
    storm = time.monotonic() - started
    _wait_for(events, lambda e: e["build"] >= 2)
    time.sleep(0.6)
    # Coalesced: one round, plus at most one per quiet window (50 ms) the storm itself
    # lasted, which is ~30 ms on an idle machine but can be far longer on a loaded one.
    assert live.builds - before <= 2 + int(storm / 0.05)
    assert live.get("/personas/p299/index.html")[0] == 200


def test_port_in_use_is_a_clear_error(live: Live) -> None:
    with pytest.raises(ServeError, match="already in use"):
        start_server("127.0.0.1", live.port, live.preview)


def cli_serve(site: Path) -> tuple[subprocess.Popen, int]:
    """`cjmsite serve` as a user runs it; returns once it says where it serves."""
    proc = subprocess.Popen([sys.executable, "-m", "cjmsite", "serve", str(site), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = ""
    while "serving" not in line:
        line = proc.stdout.readline()
        if not line:
            proc.kill()
            raise AssertionError("server exited early")
    return proc, int(re.search(r":(\d+)/", line).group(1))


def test_cli_serves_and_stops_cleanly_on_ctrl_c(make_site) -> None:
    site = make_site()
    proc, port = cli_serve(site)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        assert not (site / "output").exists(), "serve never writes the user's output/"
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "stopped" in out and "Traceback" not in out


def test_a_stop_during_the_first_build_does_not_hang(make_site, monkeypatch) -> None:
    """Ctrl-C or SIGTERM while the first build runs (before the server thread starts)
    must not leave serve waiting for a server loop that never ran."""
    from cjmsite.commands import serve as serve_command

    def interrupted(self, *args, **kwargs) -> None:  # noqa: ANN001
        raise KeyboardInterrupt

    monkeypatch.setattr(serve_command.Preview, "rebuild", interrupted)
    ended = []

    def run() -> None:
        try:
            serve_command.serve(make_site(), "127.0.0.1", 0, False, False, False,
                                lambda text, err: None)
        except KeyboardInterrupt:
            ended.append(True)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert ended, "serve hung after a stop during its first build"


def test_cli_says_the_port_is_taken_before_building(make_site, live: Live) -> None:
    proc = subprocess.run([sys.executable, "-m", "cjmsite", "serve", str(make_site()),
                           "--port", str(live.port)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1 and "already in use" in proc.stderr
    assert "built in" not in proc.stdout + proc.stderr


def _ask(port: int, method: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest(method, path, skip_host=host is not None)
    if host is not None:
        conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def test_a_loopback_preview_answers_only_to_local_names(live: Live) -> None:
    """DNS rebinding: a page at evil.example pointed at 127.0.0.1 must not read it."""
    for host in ("evil.example", "evil.example:80", "192.168.1.9:8000"):
        status, body = _ask(live.port, "GET", "/index.html", host)
        assert status == 403 and b"<html" not in body, host
    assert _ask(live.port, "GET", "/__cjmsite/events", "evil.example")[0] == 403
    for host in (f"localhost:{live.port}", f"127.0.0.1:{live.port}", f"[::1]:{live.port}",
                 "app.localhost"):
        assert _ask(live.port, "GET", "/index.html", host)[0] == 200, host


def test_head_of_the_event_stream_is_headers_only(live: Live) -> None:
    with socket.create_connection(("127.0.0.1", live.port), timeout=5) as sock:
        sock.sendall(b"HEAD /__cjmsite/events HTTP/1.1\r\nHost: localhost\r\n"
                     b"Connection: close\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):  # the server closes: no stream follows
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200") and b"data:" not in answer


def test_event_streams_are_capped(live: Live, monkeypatch) -> None:
    """Each stream holds a thread: past the cap a client is told to come back later."""
    monkeypatch.setattr("cjmsite.live.server.MAX_STREAMS", 3)
    streams = [live.events() for _ in range(3)]
    for stream in streams:
        next(stream)
    assert _ask(live.port, "GET", "/__cjmsite/events")[0] == 503
    assert live.get("/index.html")[0] == 200


def test_a_tab_on_a_deleted_page_is_told_to_fetch_it(live: Live) -> None:
    """It then shows the 404 page, as a fresh load would, not the page that is gone."""
    events = live.events()
    next(events)
    shutil.rmtree(live.preview.root / "content/journeys/buy")
    event = _wait_for(events, lambda e: e["build"] >= 2 and not e["busy"], timeout=30)
    assert "journeys/buy/index.html" in event["changed"]
    assert live.get("/journeys/buy/index.html")[0] == 404
