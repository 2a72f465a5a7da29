"""A rendering or parsing worker that dies (killed, out of memory) costs its jobs, not the
build's time: the pool notices at once instead of waiting for the lost job."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from cjmsite import pool
from cjmsite.pool import LOST, TOO_LONG, Failure, RenderPool, fork_map


@pytest.fixture(autouse=True)
def two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pool, "workers", lambda: 2)
    # Were the lost job waited for, it would come back as "took too long", after this.
    monkeypatch.setattr(pool, "BUILD_SECONDS", 30.0)


def _dies_in_a_worker(victim: int):  # noqa: ANN202
    parent = os.getpid()

    def render(job: int) -> list[int]:
        if job == victim and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return [job]
    return render


def test_a_killed_render_worker_fails_its_jobs_with_a_message() -> None:
    jobs = list(range(3 * pool.PARALLEL_MIN_JOBS))
    results = dict(RenderPool(_dies_in_a_worker(57), str).run(jobs, lambda job: job < 3))
    assert sorted(results) == jobs
    lost = results[57]
    assert isinstance(lost, Failure) and LOST in lost.diagnostic.message
    assert lost.diagnostic.level == "error"
    for job, outputs in results.items():
        assert outputs == [job] or (isinstance(outputs, Failure) and
                                    outputs.diagnostic == lost.diagnostic)
    assert all(results[job] == [job] for job in range(3))  # rendered here, unaffected


def test_a_render_pool_without_deaths_returns_every_job_in_order() -> None:
    jobs = list(range(3 * pool.PARALLEL_MIN_JOBS))
    results = list(RenderPool(_dies_in_a_worker(-1), str).run(jobs, lambda job: False))
    assert results == [(job, [job]) for job in jobs]


PARENT = os.getpid()


def _parse(batch: list[int]) -> int:  # workers are sent it by name: module level
    if batch[0] == 10 and os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    return sum(batch)


def test_a_killed_parse_worker_has_its_batch_done_again_here() -> None:
    batches = [[n, n + 1] for n in range(0, 40, 2)]
    assert fork_map(_parse, batches) == [sum(batch) for batch in batches]


def _stuck_in_a_worker(victim: int):  # noqa: ANN202
    parent = os.getpid()

    def render(job: int) -> list[int]:
        if job == victim and os.getpid() != parent:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as C code can
            time.sleep(300)
        return [job]
    return render


def test_a_worker_stuck_past_the_deadline_is_not_waited_for(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.setattr(pool, "BUILD_SECONDS", 1.0)
    monkeypatch.setattr(pool, "GRACE_SECONDS", 1.0)
    jobs = list(range(3 * pool.PARALLEL_MIN_JOBS))
    results = dict(RenderPool(_stuck_in_a_worker(57), str).run(jobs, lambda job: False))
    assert sorted(results) == jobs
    stuck = results[57]
    assert isinstance(stuck, Failure) and TOO_LONG in stuck.diagnostic.message


@pytest.mark.parametrize("count", [3, 3 * pool.PARALLEL_MIN_JOBS])
def test_started_is_called_once_the_workers_exist(count: int) -> None:
    """The incremental build starts a thread there (the linked copy of output/): it must
    never be running when a worker is forked."""
    children: list[int] = []
    jobs = list(range(count))
    results = dict(RenderPool(lambda job: [job], str).run(
        jobs, lambda job: job < 3, lambda: children.append(len(multiprocessing.active_children()))))
    assert results == {job: [job] for job in jobs}
    assert children == [0 if count < pool.PARALLEL_MIN_JOBS else 2]
