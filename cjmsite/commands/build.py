"""`cjmsite build`: config -> load -> validate -> render -> write, all or nothing.

The first build renders everything into a temporary folder and swaps it in. Later builds
re-render only the jobs whose fingerprint changed and rewrite only files whose bytes
changed; the result is always byte-identical to a clean build."""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from cjmsite.config import Project, load_config
from cjmsite.diagnostics import Report
from cjmsite.fingerprint import Fingerprints, code_version
from cjmsite.fragments import FragmentCache
from cjmsite.load import load_site
from cjmsite.output import MANIFEST, StagedOutput, check_output_dir, scan_output_dir
from cjmsite.parse import ParseCache, workers
from cjmsite.render import Job, Output, SiteRenderer
from cjmsite.theme import environment

CACHE_DIR = ".cjmsite-cache"
STATE_FILE = "outputs.json"
PARALLEL_MIN_JOBS = 40  # fewer pages render faster in one process than in a pool
WHOLE_SITE = frozenset({"home", "journeys", "gaps", "exports", "search"})

_RENDERER: SiteRenderer | None = None  # set before forking, read by workers
_WRITE_TO: str | None = None  # likewise: where a full build's workers write


@dataclass
class BuildResult:
    report: Report
    output: Path | None = None
    files: int = 0  # files written (changed) by this build
    rendered: int = 0  # jobs rendered
    skipped: int = 0  # jobs whose inputs did not change
    removed: list[str] = field(default_factory=list)


def _job_id(job: Job) -> str:
    return f"{job[0]}:{job[1]}"


def _run(job: Job) -> list[Output] | list[tuple[str, str]]:
    """A job's files, or with _WRITE_TO set, written there and reported as (rel, sha1):
    a full build's workers write their own files instead of piping them back."""
    assert _RENDERER is not None
    outputs = _RENDERER.run(job)
    if _WRITE_TO is None:
        return outputs
    written = []
    for rel, data in outputs:
        path = os.path.join(_WRITE_TO, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as file:
            file.write(data)
        written.append((rel, _sha(data)))
    return written


def _render_batch(jobs: list[Job]) -> list[tuple[Job, list]]:
    return [(job, _run(job)) for job in jobs]


def render_jobs(renderer: SiteRenderer, jobs: list[Job],
                write_to: Path | None = None) -> Iterator[tuple[Job, list]]:
    """Render in forked workers when there are enough jobs to pay for the pool. Whole-site
    pages render in this process meanwhile, so the pieces they cache are kept."""
    global _RENDERER, _WRITE_TO
    local = [job for job in jobs if job[0] in WHOLE_SITE]
    pooled = [job for job in jobs if job[0] not in WHOLE_SITE]
    _RENDERER, _WRITE_TO = renderer, str(write_to) if write_to else None
    try:
        if len(pooled) < PARALLEL_MIN_JOBS or workers() == 1:
            for job in jobs:
                yield job, _run(job)
            return
        size = max(4, len(pooled) // (workers() * 8))
        batches = [pooled[i:i + size] for i in range(0, len(pooled), size)]
        with multiprocessing.get_context("fork").Pool(workers()) as pool:
            pending = pool.map_async(_render_batch, batches)
            for job in local:
                yield job, _run(job)
            for batch in pending.get():
                yield from batch
    finally:
        _RENDERER = _WRITE_TO = None


class _State:
    """What the last build wrote: job keys, each job's outputs, each output's hash."""

    def __init__(self, path: Path | None):
        self.path = path
        self.jobs: dict[str, list] = {}
        self.hashes: dict[str, str] = {}
        if path and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.jobs, self.hashes = data["jobs"], data["hashes"]
            except (OSError, ValueError, KeyError, TypeError):
                self.jobs, self.hashes = {}, {}

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"jobs": self.jobs, "hashes": self.hashes}, sort_keys=True),
                       encoding="utf-8")
        os.replace(tmp, self.path)


def _sha(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass
class Session:
    """Caches kept in memory between builds of one long-running process (`serve`), so a
    rebuild skips reading them from disk."""

    parse_cache: ParseCache | None = None
    state: _State | None = None
    fragments: FragmentCache | None = None
    env: tuple[str, jinja2.Environment] | None = None  # (settings it was made for, env)


def build(root: Path, strict: bool = False, use_cache: bool = True,
          session: Session | None = None, output: Path | None = None) -> BuildResult:
    """Build the site; on any content error the previous output stays exactly as it was.
    `output` replaces the configured folder (serve builds into a folder of its own)."""
    # A build makes hundreds of thousands of objects and almost no cycles: the cyclic
    # collector would rescan them all, again and again, for nothing (20% of a rebuild).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build(root, strict, use_cache, session, output)
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class _Caches:
    """Everything a build reuses from the last one: from the session when `serve` runs,
    else from .cjmsite-cache/ on disk. Each is dropped when the code, theme or settings
    it depends on change (`version`)."""

    parse: ParseCache
    fragments: FragmentCache
    env: jinja2.Environment
    env_for: str
    state: _State

    @classmethod
    def open(cls, project: Project, session: Session | None, use_disk: bool) -> _Caches:
        """A session reads the disk caches on its first build but never writes them."""
        folder = project.root / CACHE_DIR if use_disk else None
        version = code_version(project) + ("-unsafe" if project.config.unsafe_html else "")
        version = hashlib.sha1(version.encode()).hexdigest()[:16]
        kept = session or Session()
        parse = kept.parse_cache
        if parse is None or parse.version != version:
            parse = ParseCache(folder, version)
            parse.keep_validated = session is not None
        fragments = kept.fragments
        if fragments is None or fragments.version != version:
            fragments = FragmentCache(folder, version)
        env_for = f"{project.config!r}{project.theme_dir}"
        env = kept.env[1] if kept.env and kept.env[0] == env_for else \
            environment(project, folder)
        state = kept.state or _State(folder / STATE_FILE if folder and not session else None)
        return cls(parse, fragments, env, env_for, state)

    def keep(self, session: Session | None) -> None:
        """Save to disk (CLI) or hand over to the next build of the session (serve)."""
        self.fragments.finish(save=session is None)
        if session is None:
            self.parse.save()
            self.state.save()
        else:
            session.parse_cache, session.fragments, session.state = \
                self.parse, self.fragments, self.state
            session.env = (self.env_for, self.env)


def _build(root: Path, strict: bool, use_cache: bool, session: Session | None,
           output: Path | None) -> BuildResult:
    report = Report()
    project = load_config(root, report)
    caches = _Caches.open(project, session, use_cache)
    site = load_site(project, report, caches.parse)
    if report.failed(strict):  # keep what was parsed: the fix is usually one file away
        if session is None:
            caches.parse.save()
        else:
            session.parse_cache = caches.parse
        return BuildResult(report)
    output = output or project.output
    check_output_dir(output, project.root, project.content)
    keys: dict[str, str] = {}
    renderer = SiteRenderer(project, site, caches.env, caches.fragments,
                            lambda journey: keys[f"journey:{journey}"])
    prints = Fingerprints(project, site, renderer.view.uses)
    jobs = renderer.jobs()
    keys.update((_job_id(job), prints.key(job)) for job in jobs)
    state = caches.state
    usable = bool(state.hashes) and (output / MANIFEST).is_file()
    todo = _todo(jobs, keys, state, output) if usable else jobs
    if not usable or sum(job[0] not in WHOLE_SITE for job in todo) > len(jobs) // 2:
        scan_output_dir(output)  # a full build replaces the folder: only our files in it
        result = _full(renderer, jobs, keys, state, output)
    else:
        result = _incremental(renderer, jobs, todo, keys, state, output)
    caches.keep(session)
    result.report = report
    return result


def _todo(jobs: list[Job], keys: dict[str, str], state: _State, output: Path) -> list[Job]:
    """Jobs whose inputs changed since the last build, or whose files went missing."""
    base = f"{output}{os.sep}"
    todo = []
    for job in jobs:
        job_id = _job_id(job)
        last = state.jobs.get(job_id)
        if last is None or last[0] != keys[job_id] or \
                not all(os.path.isfile(base + rel) for rel in last[1]):
            todo.append(job)
    return todo


def _full(renderer: SiteRenderer, jobs: list[Job], keys: dict[str, str], state: _State,
          output: Path) -> BuildResult:
    staged = StagedOutput(output)
    jobs_state: dict[str, list] = {}
    hashes: dict[str, str] = {}
    try:
        for job, written in render_jobs(renderer, jobs, staged.tmp):
            hashes.update(written)
            staged.written.extend(rel for rel, _ in written)
            jobs_state[_job_id(job)] = [keys[_job_id(job)], [rel for rel, _ in written]]
        staged.commit()
    except BaseException:
        staged.discard()
        raise
    state.jobs, state.hashes = jobs_state, hashes
    return BuildResult(Report(), output, len(staged.written), len(jobs), 0)


def _incremental(renderer: SiteRenderer, jobs: list[Job], todo: list[Job],
                 keys: dict[str, str], state: _State, output: Path) -> BuildResult:
    """Render what changed in memory first, so a failure leaves output/ untouched."""
    rendered = dict(render_jobs(renderer, todo))
    current: set[str] = set()
    changes: list[tuple[str, bytes, str]] = []
    for job in jobs:
        job_id = _job_id(job)
        if job in rendered:
            outputs = rendered[job]
            state.jobs[job_id] = [keys[job_id], [rel for rel, _ in outputs]]
            for rel, data in outputs:
                current.add(rel)
                digest = _sha(data)
                if state.hashes.get(rel) != digest or not (output / rel).is_file():
                    changes.append((rel, data, digest))
        else:
            current.update(state.jobs[job_id][1])
    for job_id in set(state.jobs) - {_job_id(job) for job in jobs}:
        del state.jobs[job_id]
    removed = sorted(set(state.hashes) - current)
    for rel, data, digest in changes:
        path = output / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        state.hashes[rel] = digest
    for rel in removed:
        (output / rel).unlink(missing_ok=True)
        del state.hashes[rel]
        parent = (output / rel).parent
        while parent != output and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    manifest = "\n".join(sorted([*current, MANIFEST])) + "\n"
    if (output / MANIFEST).read_text(encoding="utf-8") != manifest:
        (output / MANIFEST).write_text(manifest, encoding="utf-8")
    return BuildResult(Report(), output, len(changes), len(todo), len(jobs) - len(todo),
                       removed)
