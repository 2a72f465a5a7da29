"""The live preview goes on whatever a client or a save does: idle event streams cannot
keep new tabs out past STALL_SECONDS, and a body that is slow to build is refused or given
up for a newer save, so later saves are still shown."""

from __future__ import annotations

import http.client
import select
import socket
import threading
import time

from test_serve import Live, cli_serve, live  # noqa: F401 - the same live server fixture


def _idle_stream(port: int) -> socket.socket:
    """A client that asks for the event stream and then never reads."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /__cjmsite/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
    return sock


def _stream_status(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/__cjmsite/events")
    status = conn.getresponse().status
    conn.close()
    return status


def _until(predicate, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_64_idle_streams_do_not_keep_a_new_tab_out(live: Live, monkeypatch) -> None:  # noqa: F811
    """The attack as reported: 64 streams that never read. Once they are STALL_SECONDS
    old (here 1 s), a new tab takes the place of the oldest, which is closed."""
    monkeypatch.setattr("cjmsite.live.server.STALL_SECONDS", 1.0)
    idle = [_idle_stream(live.port) for _ in range(64)]
    assert _until(lambda: live.preview.state.listeners == 64)
    assert _stream_status(live.port) == 503  # all 64 are fresh: the cap holds
    time.sleep(1.2)
    assert _stream_status(live.port) == 200
    # The oldest was let go: the server closed it. Which socket that is depends on the
    # order the server's threads took the 64 connections in, not on the order made here.
    received = {sock: b"" for sock in idle}
    closed: list[socket.socket] = []
    deadline = time.monotonic() + 10
    while not closed and time.monotonic() < deadline:
        for sock in select.select(idle, [], [], 1)[0]:
            chunk = sock.recv(65536)
            received[sock] += chunk
            if not chunk:
                closed.append(sock)
    assert len(closed) == 1
    assert received[closed[0]].startswith(b"HTTP/1.1 200")
    assert live.preview.state.listeners <= 64
    for sock in idle:
        sock.close()


def test_a_live_tab_let_go_comes_back_and_takes_an_idle_ones_place(
        live: Live, monkeypatch) -> None:  # noqa: F811
    """Variant: the cap at 3, one real reader among idle sockets: every newcomer gets in
    once the others are old, and the number of streams never passes the cap."""
    monkeypatch.setattr("cjmsite.live.server.MAX_STREAMS", 3)
    monkeypatch.setattr("cjmsite.live.server.STALL_SECONDS", 0.5)
    idle = [_idle_stream(live.port) for _ in range(3)]
    assert _until(lambda: live.preview.state.listeners == 3)
    time.sleep(0.6)
    statuses = [_stream_status(live.port) for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert live.preview.state.listeners <= 3
    for sock in idle:
        sock.close()


def test_serve_shows_saves_after_a_huge_body_is_saved_and_reverted(make_site) -> None:
    """As reported: after a 2 MiB body of '# h' lines was saved and reverted, no save
    was ever shown again. Now the body is refused in seconds and serve goes on."""
    site = make_site()
    stage = site / "content/journeys/buy/01-call.md"
    good = stage.read_text()
    proc, port = cli_serve(site)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
    try:
        stage.write_text(good + "# h\n" * (2 * 1024 * 1024 // 4 - 100))
        assert _until(lambda: any("steps of Markdown work" in line for line in lines) and
                      any("still serving the last good site" in line for line in lines), 90)
        stage.write_text(good.replace("title: Call", "title: Call again"))

        assert _until(lambda: _page(port, b"Call again"), 90)
        stage.write_text(good.replace("title: Call", "title: Call a third time"))
        assert _until(lambda: _page(port, b"Call a third time"), 60)
    finally:
        proc.kill()
        proc.communicate(timeout=15)


def _page(port: int, text: bytes) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/journeys/buy/index.html")
    return text in conn.getresponse().read()


def _many_stages(make_site, count: int):
    files = {f"content/journeys/buy/{i:02d}-s{i}.md": f"---\ntitle: S{i}\nemotion: 1\n---\n"
             for i in range(2, count + 2)}
    return make_site(files)


def test_a_newer_save_gives_up_reading_between_files(make_site, monkeypatch) -> None:
    """Variant: a rebuild reading many changed files is given up at the next file once a
    newer save is waiting, not after reading them all; what it read is kept."""
    from cjmsite.commands.serve import Preview
    from cjmsite.content import parse

    site = _many_stages(make_site, 30)
    preview = Preview(site)
    try:
        assert preview.rebuild()
        for stage in (site / "content/journeys/buy").glob("*-s*.md"):
            stage.write_text(stage.read_text().replace("emotion: 1", "emotion: 2"))
        parsed: list[str] = []
        original = parse.parse_one
        monkeypatch.setattr(parse, "parse_one",
                            lambda *a: parsed.append(a[1]) or original(*a))
        asked = []
        assert preview.rebuild(superseded=lambda: asked.append(1) or len(asked) > 3)
        assert 0 < len(parsed) < 30  # given up part-way: a newer save is waiting
        assert preview.rebuild()  # the next round reads only the rest
        assert sorted(parsed) == sorted(set(parsed)) and len(parsed) == 30
        assert preview.state.errors == []
    finally:
        preview.close()


def test_a_rebuild_past_its_reading_time_is_reported_and_serve_goes_on(
        make_site, monkeypatch) -> None:
    """Variant: no newer save, but reading takes too long: an error on screen, the last
    good site kept, and the next rebuild carries on."""
    from cjmsite.commands import serve
    from cjmsite.commands.serve import Preview

    site = _many_stages(make_site, 5)
    preview = Preview(site)
    try:
        assert preview.rebuild()
        stage = site / "content/journeys/buy/02-s2.md"
        stage.write_text(stage.read_text().replace("S2", "S2 renamed"))
        monkeypatch.setattr(serve, "READ_SECONDS", -1.0)
        assert not preview.rebuild()
        assert any("reading the content took more than" in e for e in preview.state.errors)
        monkeypatch.setattr(serve, "READ_SECONDS", 60.0)
        assert preview.rebuild()
        assert preview.state.errors == []
        assert "S2 renamed" in (preview.site / "journeys/buy/index.html").read_text()
    finally:
        preview.close()
