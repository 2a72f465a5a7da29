"""`cjmsite build`: config -> load -> plan -> render -> write, all or nothing.

Everything is read and checked before anything is written; a failed build leaves the
previous output exactly as it was. Later builds re-render only the jobs whose inputs
changed, and the result is always byte-identical to a clean build (cjmsite.incremental)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path

from cjmsite.config import Project, load_config
from cjmsite.diagnostics import Report
from cjmsite.history.dates import Stamp, stamps
from cjmsite.history.git import GitError, locate
from cjmsite.history.timeline import histories
from cjmsite.i18n import translator
from cjmsite.incremental.apply import (
    BuildResult,
    no_cycle_collection,
    write_site,
)
from cjmsite.incremental.caches import Caches
from cjmsite.incremental.fingerprint import Fingerprints
from cjmsite.model import Site
from cjmsite.output import check_output_dir
from cjmsite.pipeline.load import load
from cjmsite.pool import RenderPool
from cjmsite.progress import NO_PROGRESS, Progress
from cjmsite.render.renderer import SiteRenderer
from cjmsite.render.theme import BUILTIN, check_theme
from cjmsite.site.audience import public
from cjmsite.site.index import SiteView

PACKAGE = BUILTIN.parent.parent


class Superseded(Exception):
    """The build was given up for a newer one (see `build`'s `superseded`)."""


def build(root: Path, strict: bool = False, use_cache: bool = True,
          session: Caches | None = None, output: Path | None = None,
          lock: AbstractContextManager | None = None,
          progress: Progress = NO_PROGRESS,
          superseded: Callable[[], bool] = lambda: False,
          audience: str | None = None) -> BuildResult:
    """Build the site in `root`. `output` replaces the configured folder (serve builds
    into a folder of its own); `session` keeps the caches in memory between builds;
    `lock`, held by every reader of `output`, lets a rebuild write in place;
    `superseded`, asked before rendering starts, gives the build up (raising Superseded,
    nothing written) when a newer one is waiting: serve, when a save arrives mid-way.
    `audience` ("internal" or "public") overrides [site] audience."""
    with no_cycle_collection():
        report = Report()
        project = load_config(root, report)
        if audience is not None:  # part of the config: every page's key depends on it
            project = replace(project, config=replace(project.config, audience=audience))
        check_theme(project, report)
        if report.failed(strict):  # a broken config or theme: nothing else is worth reading
            return BuildResult(report)
        output = output or project.output
        caches = session or Caches()
        caches.open(project, use_cache, output)
        assert caches.parse and caches.state and caches.env and caches.fragments
        site, digests = load(project, report, caches.parse, caches.validated, caches.surveys,
                             progress)
        if report.failed(strict):
            caches.save(rendered=False)
            return BuildResult(report)
        left_out = None
        if project.config.audience == "public":
            site, left_out = public(site)
        if superseded():
            raise Superseded
        check_output_dir(output, project.root, project.content)
        view = SiteView(site, translator(project.config.language, project.config.labels),
                        project.config.language,
                        *_git(project, site, digests, caches),
                        review_every=project.config.review_every)
        view.index_all()  # here, once: not again in each forked worker
        prints = Fingerprints(project, view, digests)
        renderer = SiteRenderer(project, site, caches.env, caches.fragments,
                                prints.journey_key, view)
        jobs = renderer.jobs()
        pool = RenderPool(renderer.run, _template_path(project), progress=progress)
        keys = {job: prints.key(job) for job in jobs}
        if superseded():  # the last moment: past here workers start and files change
            raise Superseded
        result = write_site(pool, jobs, keys, caches.state, output, report, lock)
        caches.save(rendered=result.output is not None)
        result.project, result.view = project, view
        result.left_out = left_out
        return result


def _git(project: Project, site: Site, digests: dict[str, str], caches: Caches
         ) -> tuple[dict[str, Stamp], dict[str, list[dict]]]:
    """When each file last changed, and each journey's history (none with git = false)."""
    if not project.config.git:
        return {}, {}
    assert caches.parse is not None and caches.history is not None
    try:
        place = locate(project.root)
    except (GitError, ValueError, OSError):
        return {}, {}  # not a repository, or no git: pages leave it out
    return (stamps(place, project.content, digests),
            histories(place, project.content, site, digests, caches.parse.parsed,
                      project.config.history_depth, caches.parse.version,
                      project.config.unsafe_html, caches.history))


def _template_path(project: Project):  # noqa: ANN202 - a path namer for pool.describe
    """Template file names as `path:` in messages: project-relative, or cjmsite/... for
    the built-in theme."""
    def where(filename: str) -> str:
        path = Path(filename)
        for base, prefix in ((project.root, ""), (PACKAGE, "cjmsite/")):
            if path.is_relative_to(base):
                return prefix + path.relative_to(base).as_posix()
        return path.name
    return where
