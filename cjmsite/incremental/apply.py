"""Applying a build to the output folder: all of it, or only what changed.

A full build renders every job straight into a staged folder and switches it in. An
incremental one renders the jobs whose key changed in memory first (so a failure leaves
output/ untouched), then switches in a linked copy of the site with the changed files
replaced. Either way the state that describes the new tree is saved just before the
switch (see StagedOutput.commit)."""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cjmsite.config import Project
from cjmsite.diagnostics import Report
from cjmsite.incremental.state import BuildState
from cjmsite.output import (
    MANIFEST,
    StagedOutput,
    manifest_text,
    scan_output_dir,
    write_in_place,
)
from cjmsite.pool import Failure, RenderPool, write_into
from cjmsite.site.index import SiteView
from cjmsite.site.pagekinds import KINDS, Job


@dataclass
class BuildResult:
    report: Report
    output: Path | None = None
    files: int = 0  # files written (changed) by this build
    rendered: int = 0  # jobs rendered
    skipped: int = 0  # jobs whose inputs did not change
    removed: list[str] = field(default_factory=list)
    changed: list[str] | None = None  # files written, None when all of them were
    project: Project | None = None  # what was built, for serve's quick pass (live.hot)
    view: SiteView | None = None
    left_out: Any = None  # a public build: what it left out (cjmsite.site.audience.LeftOut)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """A build makes hundreds of thousands of objects and almost no cycles: the cyclic
    collector would rescan them all, again and again, for nothing (20% of a rebuild)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _job_id(job: Job) -> str:
    return f"{job[0]}:{job[1]}"


def _local(job: Job) -> bool:
    """Whole-site pages render in the main process, where the pieces they cache are kept."""
    return KINDS[job[0]].whole_site


def _sha(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def write_site(pool: RenderPool, jobs: list[Job], keys: dict[Job, str], state: BuildState,
               output: Path, report: Report,
               lock: AbstractContextManager | None = None) -> BuildResult:
    """Render and write what the state says is needed: everything when the state does not
    describe `output` or most pages changed, else the changed jobs only. `lock`: held by
    every reader of `output` (see _incremental)."""
    ids = {_job_id(job): key for job, key in keys.items()}
    usable = bool(state.hashes) and _manifest(output) == state.manifest
    todo = _todo(jobs, ids, state, output) if usable else jobs
    if not usable or sum(not _local(job) for job in todo) > len(jobs) // 2:
        scan_output_dir(output)  # a full build replaces the folder: only our files in it
        return _full(pool, jobs, ids, state, output, report)
    return _incremental(pool, jobs, todo, ids, state, output, report, lock)


def _manifest(output: Path) -> str | None:
    try:
        return (output / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _todo(jobs: list[Job], keys: dict[str, str], state: BuildState,
          output: Path) -> list[Job]:
    """Jobs whose inputs changed since the last build, or whose files went missing."""
    base = f"{output}{os.sep}"
    todo = []
    for job in jobs:
        last = state.jobs.get(_job_id(job))
        if last is None or last[0] != keys[_job_id(job)] or \
                not all(os.path.isfile(base + rel) for rel in last[1]):
            todo.append(job)
    return todo


def _failed(report: Report, failures: list[Failure]) -> BuildResult:
    report.extend(failure.diagnostic for failure in failures)
    return BuildResult(report)


def _full(pool: RenderPool, jobs: list[Job], keys: dict[str, str], state: BuildState,
          output: Path, report: Report) -> BuildResult:
    staged = StagedOutput(output)
    pool.write = write_into(staged.tmp, _sha)
    jobs_state: dict[str, tuple[str, list[str]]] = {}
    hashes: dict[str, str] = {}
    failures: list[Failure] = []
    try:
        for job, written in pool.run(jobs, _local):
            if isinstance(written, Failure):
                failures.append(written)
                continue
            hashes.update(written)
            jobs_state[_job_id(job)] = (keys[_job_id(job)], [rel for rel, _ in written])
        if failures:
            staged.discard()
            return _failed(report, failures)
        staged.commit(hashes, lambda manifest: state.replace(jobs_state, hashes, manifest))
    except BaseException:
        staged.discard()
        raise
    return BuildResult(report, output, len(hashes) + 1, len(jobs), 0)


def _incremental(pool: RenderPool, jobs: list[Job], todo: list[Job], keys: dict[str, str],
                 state: BuildState, output: Path, report: Report,
                 lock: AbstractContextManager | None) -> BuildResult:
    """Render what changed in memory first, so a failure leaves output/ untouched; then
    switch in a linked copy of the site with the changed files replaced, or, when every
    reader takes `lock` (serve's own server, whose folder nobody else reads), replace
    them in place while holding it."""
    # The linked copy is made while the changed jobs render: its links and folders are
    # system calls, which run beside Python code (on the 11k site that hides a quarter of
    # a second of a one-stage edit). Its thread starts once the pool has forked.
    made: list[Future[StagedOutput]] = []

    def start() -> None:
        if lock is None and todo:
            made.append(_stage_early(output))

    try:
        rendered = dict(pool.run(todo, _local, start))
        return _switch_in(rendered, jobs, todo, keys, state, output, report, lock, made)
    finally:
        for early in made:  # made but not used: a failure, nothing changed, an exception
            _discard(early)


def _switch_in(rendered: dict[Job, Any], jobs: list[Job], todo: list[Job],
               keys: dict[str, str], state: BuildState, output: Path, report: Report,
               lock: AbstractContextManager | None,
               made: list[Future[StagedOutput]]) -> BuildResult:
    """The rendered jobs' changed files written (see _incremental); `made`: the linked
    copy begun while they rendered, taken out of the list when used."""
    failures = [outputs for outputs in rendered.values() if isinstance(outputs, Failure)]
    if failures:
        return _failed(report, failures)
    current: set[str] = set()
    changes: list[tuple[str, bytes, str]] = []
    jobs_state = dict(state.jobs)
    for job in jobs:
        job_id = _job_id(job)
        if job in rendered:
            outputs = rendered[job]
            jobs_state[job_id] = (keys[job_id], [rel for rel, _ in outputs])
            for rel, data in outputs:
                current.add(rel)
                digest = _sha(data)
                if state.hashes.get(rel) != digest or not (output / rel).is_file():
                    changes.append((rel, data, digest))
        else:
            current.update(state.jobs[job_id][1])
    for job_id in set(jobs_state) - {_job_id(job) for job in jobs}:
        del jobs_state[job_id]
    removed = sorted(set(state.hashes) - current)
    hashes = {rel: digest for rel, digest in state.hashes.items() if rel in current}
    hashes.update((rel, digest) for rel, _, digest in changes)
    if (changes or removed) and lock is not None:
        with lock:  # the one reader (serve's server) waits: it never sees a mix
            write_in_place(output, changes, removed, hashes)
        state.replace(jobs_state, hashes, manifest_text(hashes))
    elif changes or removed:
        staged = made.pop().result() if made else StagedOutput(output, clone=True)
        try:
            for rel, data, _ in changes:
                staged.write_bytes(rel, data)
            for rel in removed:
                staged.remove(rel)
            staged.commit(hashes, lambda manifest: state.replace(jobs_state, hashes, manifest))
        except BaseException:
            staged.discard()
            raise
    else:
        state.jobs = jobs_state
    return BuildResult(report, output, len(changes), len(todo), len(jobs) - len(todo),
                       removed, [rel for rel, _, _ in changes])


def _stage_early(output: Path) -> Future[StagedOutput]:
    """StagedOutput(output, clone=True), made in a thread of its own."""
    executor = ThreadPoolExecutor(1, thread_name_prefix="cjmsite-stage")
    try:
        return executor.submit(StagedOutput, output, True)
    finally:
        executor.shutdown(wait=False)


def _discard(early: Future[StagedOutput] | None) -> None:
    """Drop a linked copy that will not be used (its making may have failed: the
    synchronous path reports that when it matters)."""
    if early is not None:
        with suppress(Exception):
            early.result().discard()
