"""`cjmsite build`: config -> load -> validate -> render -> write, all or nothing.

The first build renders everything into a folder beside output/ and switches it in. Later
builds re-render only the jobs whose fingerprint changed and switch in a copy of the site
with only the changed files rewritten; the result is always byte-identical to a clean
build, and a reader never sees a mix of old and new."""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from cjmsite.config import Project, load_config
from cjmsite.diagnostics import Report
from cjmsite.fingerprint import Fingerprints, code_version
from cjmsite.fragments import FragmentCache
from cjmsite.i18n import translator
from cjmsite.load import load
from cjmsite.output import MANIFEST, StagedOutput, check_output_dir, scan_output_dir
from cjmsite.parse import ParseCache
from cjmsite.pool import Failure, RenderPool, write_into
from cjmsite.render import SiteRenderer
from cjmsite.site.index import SiteView
from cjmsite.site.pagekinds import KINDS, Job
from cjmsite.state import BuildState, state_path
from cjmsite.store import cache_folder
from cjmsite.theme import BUILTIN, check_theme, environment

PACKAGE = BUILTIN.parent.parent


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


def _local(job: Job) -> bool:
    """Whole-site pages render in the main process, where the pieces they cache are kept."""
    return KINDS[job[0]].whole_site


def _sha(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def _template_path(project: Project):  # noqa: ANN202 - a path namer for pool.describe
    def where(filename: str) -> str:
        path = Path(filename)
        for base, prefix in ((project.root, ""), (PACKAGE, "cjmsite/")):
            if path.is_relative_to(base):
                return prefix + path.relative_to(base).as_posix()
        return path.name
    return where


@dataclass
class Session:
    """Caches kept in memory between builds of one long-running process (`serve`), so a
    rebuild skips reading them from disk."""

    parse_cache: ParseCache | None = None
    state: BuildState | None = None
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
    else from the user's cache folder (never the project's: see cjmsite.store). Each is
    dropped when the code, theme or settings it depends on change (`version`)."""

    parse: ParseCache
    fragments: FragmentCache
    env: jinja2.Environment
    env_for: str
    state: BuildState

    @classmethod
    def open(cls, project: Project, session: Session | None, use_disk: bool,
             output: Path) -> _Caches:
        """A session reads the disk caches on its first build but never writes them."""
        folder = cache_folder(project.root) if use_disk else None
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
        state = kept.state or BuildState(None if session else state_path(folder, output))
        return cls(parse, fragments, env, env_for, state)

    def keep(self, session: Session | None, rendered: bool = True) -> None:
        """Save to disk (CLI) or hand over to the next build of the session (serve).
        Parsed files are kept even when the build failed: the fix is usually one file
        away."""
        if session is None:
            self.parse.save()
        else:
            session.parse_cache = self.parse
        if not rendered:
            return
        self.fragments.finish(save=session is None)
        if session is None:
            self.state.save()  # again: an unchanged build may have new job keys
        else:
            session.fragments, session.state = self.fragments, self.state
            session.env = (self.env_for, self.env)


def _build(root: Path, strict: bool, use_cache: bool, session: Session | None,
           output: Path | None) -> BuildResult:
    report = Report()
    project = load_config(root, report)
    check_theme(project, report)
    if report.failed(strict):  # a broken config or theme: nothing else is worth reading
        return BuildResult(report)
    output = output or project.output
    caches = _Caches.open(project, session, use_cache, output)
    site, digests = load(project, report, caches.parse)
    if report.failed(strict):
        caches.keep(session, rendered=False)
        return BuildResult(report)
    check_output_dir(output, project.root, project.content)
    view = SiteView(site, translator(project.config.language), project.config.language)
    prints = Fingerprints(project, view, digests)
    renderer = SiteRenderer(project, site, caches.env, caches.fragments, prints.journey_key,
                            view)
    jobs = renderer.jobs()
    keys = {_job_id(job): prints.key(job) for job in jobs}
    state = caches.state
    usable = bool(state.hashes) and _manifest(output) == state.manifest
    todo = _todo(jobs, keys, state, output) if usable else jobs
    pool = RenderPool(renderer.run, _template_path(project))
    if not usable or sum(not _local(job) for job in todo) > len(jobs) // 2:
        scan_output_dir(output)  # a full build replaces the folder: only our files in it
        result = _full(pool, jobs, keys, state, output, report)
    else:
        result = _incremental(pool, jobs, todo, keys, state, output, report)
    caches.keep(session, rendered=result.output is not None)
    return result


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
    report.items.extend(failure.diagnostic for failure in failures)
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
                 state: BuildState, output: Path, report: Report) -> BuildResult:
    """Render what changed in memory first, so a failure leaves output/ untouched; then
    switch in a linked copy of the site with the changed files replaced."""
    rendered = dict(pool.run(todo, _local))
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
    if changes or removed:
        staged = StagedOutput(output, clone=True)
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
                       removed)
