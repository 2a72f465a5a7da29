"""Forked workers: a killed worker costs its pages (reported), not a build that waits until
its deadline; workers die with the process that forked them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cjmsite import pool

MAIN = os.getpid()
needs_two = pytest.mark.skipif(pool.workers() < 2, reason="one core: no worker processes")


def _render(job: int) -> list[tuple[str, bytes]]:
    if job == 150 and os.getpid() != MAIN:
        os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer would
    return [(f"{job}.html", b"ok")]


@needs_two
def test_a_killed_worker_fails_its_pages_at_once() -> None:
    jobs = list(range(200))
    start = time.monotonic()
    results = dict(pool.RenderPool(_render, str).run(jobs, local=lambda job: False))
    assert time.monotonic() - start < 30  # not BUILD_SECONDS + 60
    assert sorted(results) == jobs
    failed = [job for job, out in results.items() if isinstance(out, pool.Failure)]
    assert 150 in failed
    assert 0 not in failed  # the batches already done stay done
    message = results[150].diagnostic.message
    assert "ended unexpectedly" in message
    assert all(results[job] == [(f"{job}.html", b"ok")] for job in jobs if job not in failed)


def _parse(batch: list[int]) -> list[int]:
    if 7 in batch and os.getpid() != MAIN:
        os.kill(os.getpid(), signal.SIGKILL)
    return [n * 2 for n in batch]


@needs_two
def test_fork_map_does_here_what_a_killed_worker_left() -> None:
    batches = [list(range(i, i + 5)) for i in range(0, 60, 5)]
    assert pool.fork_map(_parse, batches) == [[n * 2 for n in b] for b in batches]


def _worker_pid(batch: list[int]) -> list[int]:
    return [os.getpid() for _ in batch]


def test_a_healthy_pool_gives_every_result_in_order() -> None:
    batches = [list(range(i, i + 3)) for i in range(0, 300, 3)]
    assert pool.fork_map(_parse, [[n + 100 for n in b] for b in batches]) == [
        [2 * (n + 100) for n in b] for b in batches]
    pids = {pid for out in pool.fork_map(_worker_pid, batches) for pid in out}
    assert MAIN not in pids or pool.workers() == 1  # done in workers, none redone here


@needs_two
def test_workers_die_with_their_parent(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = textwrap.dedent(f"""
        import os, time
        from cjmsite.pool import fork_map
        def slow(batch):
            with open({str(pids)!r}, "a") as f:
                f.write(f"{{os.getpid()}}\\n")
            time.sleep(60)
            return batch
        fork_map(slow, [[1], [2], [3], [4]])
    """)
    parent = subprocess.Popen([sys.executable, "-c", script],
                              cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (pids.exists() and pids.read_text().count("\n") >= 2):
        time.sleep(0.05)
    workers = [int(pid) for pid in pids.read_text().split()]
    assert len(workers) >= 2
    parent.kill()
    parent.wait()

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        # a zombie still answers kill(0): it has died, only not yet reaped by init
        stat = Path(f"/proc/{pid}/stat")
        return stat.exists() and stat.read_text().split(") ")[-1][0] != "Z"

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers), "orphaned workers still run"
