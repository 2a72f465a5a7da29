"""Everything a build reuses from the last one, in one holder.

A CLI build opens the caches from the user's cache folder (never the project's: see
cjmsite.store) and saves them when done; `serve` keeps one holder for its whole run and
never writes to disk. Each cache is dropped when the code, theme or settings it depends on
change (`version`)."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

import jinja2

from cjmsite.config import Project
from cjmsite.content.parse import ParseCache
from cjmsite.content.slugs import known_slugs, remember_slugs
from cjmsite.incremental.fingerprint import code_version
from cjmsite.incremental.state import BuildState, state_path
from cjmsite.render.pieces import FragmentCache
from cjmsite.render.theme import environment
from cjmsite.store import Remembered, cache_folder
from cjmsite.surveys.load import SurveyCache

_SLUGIFY = f"python-slugify {metadata.version('python-slugify')}"  # what made the slugs


class Caches:
    """Parsed files, whole-site pieces, compiled templates and the last build's state.
    `in_memory`: kept across builds by a long-running process, which reads the disk caches
    on its first build but never writes them."""

    def __init__(self, in_memory: bool = False):
        self.in_memory = in_memory
        self.parse: ParseCache | None = None
        self.fragments: FragmentCache | None = None
        self.env: jinja2.Environment | None = None
        self.env_for = ""
        self.state: BuildState | None = None
        # Stages validated in the last build, by file, digest and journey context: model
        # objects, so only ever kept in memory.
        self.validated: dict | None = {} if in_memory else None
        self.history: Remembered | None = None  # journeys' history, per HEAD commit
        self.surveys: SurveyCache | None = None  # figures computed from responses files
        self.slugs: Remembered | None = None  # content.slugs's memo, for CLI builds
        self._slugs_seen = 0

    def open(self, project: Project, use_disk: bool, output: Path) -> None:
        """Bring every cache up to date with this build's code, theme and settings."""
        folder = cache_folder(project.root) if use_disk else None
        version = code_version(project) + ("-unsafe" if project.config.unsafe_html else "")
        version = hashlib.sha1(version.encode()).hexdigest()[:16]
        if self.parse is None or self.parse.version != version:
            self.parse = ParseCache(folder, version)
            if self.validated is not None:
                self.validated.clear()
        if self.fragments is None or self.fragments.version != version:
            self.fragments = FragmentCache(folder, version)
        env_for = f"{project.config!r}{project.theme_dir}"
        if self.env is None or self.env_for != env_for:
            self.env, self.env_for = environment(project, folder), env_for
        if self.surveys is None or not self.in_memory or self.surveys.version != version:
            self.surveys = SurveyCache(folder, version)
        if self.history is None or not self.in_memory:
            self.history = Remembered(folder / "history" if folder else None)
        if self.state is None or not self.in_memory:
            self.state = BuildState(None if self.in_memory else state_path(folder, output))
        if folder is not None and not self.in_memory:
            self.slugs = Remembered(folder / "slugs")
            remember_slugs(self.slugs.get(_SLUGIFY))
            self._slugs_seen = len(known_slugs())

    def save(self, rendered: bool) -> None:
        """Write to disk (unless in memory). Parsed files are kept even when the build
        failed: the fix is usually one file away."""
        assert self.parse is not None and self.fragments is not None
        if not self.in_memory:
            self.parse.save()
            if self.slugs is not None and len(known_slugs()) != self._slugs_seen:
                self.slugs.put(_SLUGIFY, known_slugs())
        if not rendered:
            return
        self.fragments.finish(save=not self.in_memory)
        if not self.in_memory and self.state is not None:
            self.state.save()  # again: an unchanged build may have new job keys
