"""Rendering jobs, in forked workers when there are enough of them, each within a time limit.

A theme template comes with the repository and can loop for ever or raise anything; a
job that fails comes back as a `Failure` with the template's path and line, never as an
exception out of a worker, and every job of a build shares one deadline, so a hostile
theme costs at most that long."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cjmsite.diagnostics import Diagnostic
from cjmsite.progress import NO_PROGRESS, Progress

PARALLEL_MIN_JOBS = 40  # fewer pages render faster in one process than in a pool
JOB_SECONDS = 60.0  # one page; the largest page of an 11,000-file site takes ~2 s
BUILD_SECONDS = 600.0  # all the pages of one build
GRACE_SECONDS = 60.0  # past the build's deadline, for a worker's own time limit to act
# Messages for jobs that never came back, the same for every such job (shown once).
LOST = "a rendering process died (killed, or out of memory?): the site was not written"
TOO_LONG = "rendering took too long (a theme template that does not end?)"


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@contextmanager
def _forked() -> Iterator[ProcessPoolExecutor]:
    """Forked workers (cheap on Linux: no re-import, no pickled state). A concurrent.futures
    pool, not multiprocessing.Pool: when a worker dies (killed, out of memory, a crash in C
    code) it fails every job not done at once, where multiprocessing.Pool starts a new
    worker and waits for the lost job until its timeout."""
    executor = ProcessPoolExecutor(workers(), mp_context=multiprocessing.get_context("fork"))
    try:
        yield executor
    except BaseException:  # given up (an interrupt, a newer save in serve)
        _stop(executor)
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Its workers stopped now, not when their jobs end (the executor keeps no public
    handle on its processes)."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()


def fork_map(function: Callable, batches: list,
             progress: Progress = NO_PROGRESS) -> list:
    """Map over batches in forked workers, for work that cannot hang (parsing is bounded,
    see content/source.py). A batch whose worker died is done again here: bounded work
    did not kill it, something outside did."""
    out = []
    with _forked() as executor:
        futures = [executor.submit(function, batch) for batch in batches]
        for batch, future in zip(batches, futures, strict=True):
            try:
                out.append(future.result())
            except BrokenProcessPool:
                out.append(function(batch))
            progress.advance(len(batch))
            progress.checkpoint()  # may raise: the workers are then terminated
    return out


@dataclass(frozen=True)
class Failure:
    """A job that raised or ran out of time, as a diagnostic."""

    diagnostic: Diagnostic


class TimeUp(Exception):
    """A job ran past its time (see time_limit)."""


def _time_up(signum: int, frame: object) -> None:
    raise TimeUp


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds`, where signals can be used (the main thread: the CLI, serve
    and forked workers all render there)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _time_up)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def describe(exc: BaseException, where: Callable[[str], str]) -> Diagnostic:
    """`path:line: error:` for an exception out of rendering: the innermost template frame
    (Jinja rewrites tracebacks so templates appear as frames) or the template named by a
    syntax error. `where` turns a template file name into a project path."""
    path, line = "cjmsite.toml", 1
    filename = getattr(exc, "filename", None)
    if filename and getattr(exc, "lineno", None):
        path, line = where(filename), exc.lineno
    else:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename.endswith((".html", ".xml", ".svg", ".js", ".txt")):
                path, line = where(frame.filename), frame.lineno or 1
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if isinstance(exc, TimeUp):
        message = TOO_LONG
    elif isinstance(exc, RecursionError):
        message = "rendering recursed too deeply (a theme macro that calls itself?)"
    elif isinstance(exc, MemoryError):
        message = "rendering ran out of memory"
    return Diagnostic(path, line, "error", f"cannot render the page: {message}")


class RenderPool:
    """Runs `render(job)` for many jobs. `render` returns a job's outputs; `write`, when
    given, is applied to them in whichever process rendered them (a full build's workers
    write their own files instead of piping megabytes back)."""

    def __init__(self, render: Callable, where: Callable[[str], str],
                 write: Callable | None = None, progress: Progress = NO_PROGRESS):
        self.render, self.where, self.write = render, where, write
        self.progress = progress
        self.deadline = 0.0

    def _run(self, job: object) -> object:
        left = min(JOB_SECONDS, self.deadline - time.monotonic())
        try:
            if left <= 0:
                raise TimeUp
            with time_limit(left):
                outputs = self.render(job)
                return self.write(outputs) if self.write else outputs
        except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001
            return Failure(describe(exc, self.where))

    def _batch(self, jobs: list) -> list[tuple[object, object]]:
        return [(job, self._run(job)) for job in jobs]

    def run(self, jobs: list, local: Callable[[object], bool],
            started: Callable[[], None] = lambda: None) -> Iterator[tuple[object, object]]:
        """(job, outputs or Failure) for every job. Jobs for which `local(job)` is true
        render in this process while the workers run (they fill this process's caches).
        `started` is called once the workers are forked (if any), before this process
        renders: a thread started there is never forked (a fork copies the locks it may
        hold)."""
        self.deadline = time.monotonic() + BUILD_SECONDS
        self.progress.phase("rendering pages", len(jobs))
        for item in self._run_all(jobs, local, started):
            yield item
            self.progress.advance()

    def _run_all(self, jobs: list, local: Callable[[object], bool], started: Callable[[], None]
                 ) -> Iterator[tuple[object, object]]:
        here = [job for job in jobs if local(job)]
        pooled = [job for job in jobs if not local(job)]
        if len(pooled) < PARALLEL_MIN_JOBS or workers() == 1:
            started()
            yield from self._batch(jobs)
            return
        global _ACTIVE
        size = max(4, len(pooled) // (workers() * 8))
        batches = [pooled[i:i + size] for i in range(0, len(pooled), size)]
        _ACTIVE = self  # forked workers find the pool here: nothing to pickle
        try:
            with _forked() as executor:
                pending = [executor.submit(_batch_in_worker, batch) for batch in batches]
                started()
                yield from self._batch(here)
                for batch, future in zip(batches, pending, strict=True):
                    yield from self._result(batch, future)  # in order, each when done
                if not all(future.done() for future in pending):
                    _stop(executor)  # stuck past the deadline (in C code, say): not waited for
        finally:
            _ACTIVE = None

    def _result(self, batch: list, future: Future) -> list[tuple[object, object]]:
        """A batch's results, or a failure for each job: its worker died, or it is not
        done by the deadline and grace (after which a batch not done is not waited for)."""
        try:
            left = self.deadline + GRACE_SECONDS - time.monotonic()
            return future.result(timeout=max(left, 0))
        except (BrokenProcessPool, TimeoutError) as exc:
            message = LOST if isinstance(exc, BrokenProcessPool) else TOO_LONG
            lost = Failure(Diagnostic("cjmsite.toml", 1, "error",
                                      f"cannot render the page: {message}"))
            return [(job, lost) for job in batch]


_ACTIVE: RenderPool | None = None


def _batch_in_worker(jobs: list) -> list[tuple[object, object]]:
    assert _ACTIVE is not None
    return _ACTIVE._batch(jobs)


def write_into(folder: Path, digest: Callable[[bytes], str]) -> Callable:
    """A `write` for RenderPool: files into `folder`, reported as (rel, digest)."""
    from cjmsite.output import write_file

    def write(outputs: list[tuple[str, bytes]]) -> list[tuple[str, str]]:
        written = []
        for rel, data in outputs:
            write_file(folder, rel, data)  # inside `folder`, never through a symlink
            written.append((rel, digest(data)))
        return written

    return write
