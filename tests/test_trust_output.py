"""A killed build, or a reader during a build, sees the old site or the new one, never a mix;
leftovers of killed builds are cleaned by the next one."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import copy_example, run
from test_build import snapshot

from cjmsite.output import StagedOutput, safe_rel

TOUCHPOINT = "content/touchpoints/caja.md"




def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".output."))


def test_killed_builds_never_leave_a_mixed_site(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    path = site / TOUCHPOINT
    original = path.read_text(encoding="utf-8")
    edited = original.replace("title: Caja y facturación", "title: Caja única")
    assert edited != original
    assert run("build", str(site)).exit_code == 0
    old = snapshot(site / "output")
    path.write_text(edited, encoding="utf-8")
    assert run("build", str(site)).exit_code == 0
    new = snapshot(site / "output")
    assert len({rel for rel in old if old[rel] != new.get(rel)}) > 5  # many files change
    rng = random.Random(3)
    seen = set()
    for _ in range(12):
        path.write_text(original, encoding="utf-8")
        assert run("build", str(site)).exit_code == 0
        assert snapshot(site / "output") == old
        path.write_text(edited, encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "cjmsite", "build", str(site)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.9))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = snapshot(site / "output")
        assert now in (old, new), "a killed build left a mix of old and new files"
        seen.add("new" if now == new else "old")
    assert run("build", str(site)).exit_code == 0
    assert snapshot(site / "output") == new
    assert _leftovers(site) == []


def test_leftovers_of_killed_builds_are_removed(make_site) -> None:
    site = make_site()
    dead = 2 ** 22 + 12345  # above the default pid_max: no such process
    for kind in ("tmp", "old"):
        leftover = site / f".output.{kind}-{dead}-abc"
        (leftover / "x").mkdir(parents=True)
    alive = site / f".output.tmp-{os.getpid()}-mine"
    alive.mkdir()
    assert run("build", str(site)).exit_code == 0
    assert _leftovers(site) == [alive.name]  # a running build's folder is left alone


def test_read_only_folder_in_output_does_not_break_the_site(make_site) -> None:
    site = make_site()
    assert run("build", str(site)).exit_code == 0
    before = snapshot(site / "output")
    os.chmod(site / "output/gaps", 0o555)
    try:
        (site / "content/journeys/buy/01-call.md").write_text(
            "---\ntitle: Call\ntouchpoints: [phone]\nemotion: 1\n"
            "gaps:\n  - title: Slow answer\n---\n")
        result = run("build", str(site))
        after = snapshot(site / "output")
        if result.exit_code == 0:
            assert "Slow answer" in (site / "output/gaps/index.html").read_text()
        else:
            assert after == before
    finally:
        for folder in (site / "output").rglob("*"):
            if folder.is_dir():
                os.chmod(folder, 0o755)
    assert _leftovers(site) == []


def test_staged_output_refuses_paths_outside_it(tmp_path: Path) -> None:
    staged = StagedOutput(tmp_path / "output")
    for rel in ("../x", "/etc/passwd", "a/../../x", "a//b", "", "a\\..\\b", "C:/x", "a/./b"):
        assert not safe_rel(rel), rel
        try:
            staged.write_bytes(rel, b"x")
        except Exception as exc:  # noqa: BLE001
            assert "refusing" in str(exc)
        else:
            raise AssertionError(f"{rel!r} was written")
    staged.discard()
    assert not (tmp_path / "x").exists()


def test_serve_writes_in_place_only_while_readers_wait(tmp_path: Path) -> None:
    """serve's folder has one reader, its own server, which takes the lock for each file:
    a rebuild writes in place holding it, so a page never mixes two builds."""
    import threading

    from cjmsite.commands.build import build
    from cjmsite.incremental.caches import Caches

    site = copy_example(tmp_path / "site")
    out, lock, session = tmp_path / "served", threading.Lock(), Caches(in_memory=True)
    assert build(site, session=session, output=out, lock=lock).output == out
    before = snapshot(out)
    path = site / TOUCHPOINT
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Caja y facturación", "title: Caja única"), encoding="utf-8")
    done = threading.Event()
    with lock:  # a reader in the middle of a file
        thread = threading.Thread(target=lambda: (build(site, session=session, output=out,
                                                        lock=lock), done.set()))
        thread.start()
        assert not done.wait(3), "the rebuild must wait for the reader"
        assert snapshot(out) == before
    assert done.wait(30)
    thread.join()
    clean = copy_example(tmp_path / "clean")
    (clean / TOUCHPOINT).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert build(clean).output is not None
    assert snapshot(out) == snapshot(clean / "output")
