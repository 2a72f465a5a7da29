"""serve survives what real use throws at it: a rebuild that raises, content/ replaced by a
branch switch, hundreds of clients, tabs closed mid-answer, absurd URLs."""

from __future__ import annotations

import http.client
import shutil
import signal
import socket
import struct
import threading
import time
from pathlib import Path

import pytest
from test_serve import Live, _wait_for, cli_serve

import cjmsite.commands.serve as serve_module
from cjmsite.live.server import PreviewServer


@pytest.fixture
def live(make_site):
    server = Live(make_site({"content/personas/big.md":
                             "---\nname: Big\n---\n" + "Palabra larga. " * 40000}))
    yield server
    server.close()


def test_an_exception_in_a_rebuild_is_reported_and_the_next_save_rebuilds(live, monkeypatch,
                                                                          capsys) -> None:
    events = live.events()
    next(events)
    real = serve_module.build
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(serve_module, "build", flaky)
    stage = live.preview.root / "content/journeys/buy/01-call.md"
    stage.write_text(stage.read_text().replace("title: Call", "title: One"))
    failed = _wait_for(events, lambda e: e["errors"])
    assert failed["errors"] == ["cjmsite.toml:1: error: internal error while building: "
                                "RuntimeError: disk on fire"]
    # The last good site stays up: the quick pass's page (cjmsite.live.hot) is put back.
    assert b"Call" in live.get("/journeys/buy/index.html")[1]
    stage.write_text(stage.read_text().replace("title: One", "title: Two"))
    fixed = _wait_for(events, lambda e: e["build"] > failed["build"] and not e["busy"])
    assert fixed["errors"] == []
    assert b"Two" in live.get("/journeys/buy/index.html")[1]


@pytest.mark.parametrize("how", ["delete", "rename"])
def test_watching_survives_content_being_replaced(live, how: str) -> None:
    """What `git checkout other-branch` can do to content/."""
    events = live.events()
    next(events)
    root = live.preview.root
    content = root / "content"
    copy = root / "content-next"
    shutil.copytree(content, copy)
    if how == "delete":
        shutil.rmtree(content)
        time.sleep(0.4)
        copy.rename(content)
    else:
        content.rename(root / "content-old")
        copy.rename(content)
    _wait_for(events, lambda e: e["build"] >= 2)
    time.sleep(0.5)  # let the new watch settle
    build = live.state_build()
    stage = content / "journeys/buy/01-call.md"
    stage.write_text(stage.read_text().replace("title: Call", "title: After checkout"))
    _wait_for(events, lambda e: e["build"] > build)
    assert b"After checkout" in live.get("/journeys/buy/index.html")[1]


def test_listen_backlog_and_250_concurrent_clients(live) -> None:
    assert PreviewServer.request_queue_size >= 128
    statuses: list[int] = []
    lock = threading.Lock()

    def fetch() -> None:
        status = live.get("/index.html")[0]
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=fetch) for _ in range(250)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 250
    assert time.monotonic() - started < 30


def _slam(port: int, request: bytes) -> None:
    """Send a request and close at once with a reset (SO_LINGER 0): a tab closed mid-answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.sendall(request)
    sock.close()


def test_closed_tabs_and_odd_requests_print_no_traceback(live, capfd) -> None:
    for _ in range(30):
        _slam(live.port, b"GET /personas/big/index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        _slam(live.port, b"GET /__cjmsite/events HTTP/1.1\r\nHost: x\r\n\r\n")
    for path in ("/" + "a" * 6000, "/" + "/".join(["b" * 255] * 30), "/%00", "/x%00.html",
                 "/..%2f..%2fetc/passwd", "/" + "%2e%2e/" * 50 + "etc/passwd"):
        status, body = live.get(path)
        assert status in (404, 414), path
        assert b"root:" not in body
    _slam(live.port, b"\x16\x03\x01 not http at all\r\n\r\n")
    time.sleep(0.5)
    assert live.get("/index.html")[0] == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err, err[:2000]


def test_cli_serve_reports_a_broken_rebuild_and_keeps_going(make_site) -> None:
    """The real command: rebuilds run on its main thread; Ctrl-C still stops it."""
    site = make_site()
    proc, port = cli_serve(site)
    try:
        stage = site / "content/journeys/buy/01-call.md"
        stage.write_text("---\ntitle: Call\nowner: &a [*a]\n---\n")
        seen = ""
        while "refers to itself" not in seen:
            seen = proc.stdout.readline()
            assert seen, "server exited"
        stage.write_text("---\ntitle: Repaired\ntouchpoints: [phone]\n---\n")
        while "rebuilt" not in seen:
            seen = proc.stdout.readline()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/journeys/buy/index.html")
        assert b"Repaired" in conn.getresponse().read()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0 and "Traceback" not in out


def test_render_time_limit_works_in_serve(make_site, monkeypatch) -> None:
    """serve rebuilds on the main thread, so an endless theme template is cut off."""
    from cjmsite import pool
    from cjmsite.commands.serve import Preview

    monkeypatch.setattr(pool, "JOB_SECONDS", 1.0)
    site = make_site({"cjmsite.toml": '[site]\ntheme = "mine"\n',
                      "themes/mine/templates/404.html":
                          "{% for a in range(100000) %}{% for b in range(100000) %}"
                          "{% endfor %}{% endfor %}"})
    preview = Preview(Path(site))
    try:
        started = time.monotonic()
        assert preview.rebuild() is False
        assert time.monotonic() - started < 20
        assert any("took too long" in e for e in preview.state.errors)
    finally:
        preview.close()
