"""What each output job depends on, as a hash: unchanged hash, unchanged bytes, skip it.

A job's key covers the code and theme, the site settings, and the source files whose text
can appear in it, as its page kind declares (a journey page: its own files plus the
touchpoints and personas it names). Pages that summarise the whole site depend on every
file and are redone on any edit, from cached per-journey pieces."""

from __future__ import annotations

import hashlib
from functools import cache, cached_property
from pathlib import Path

from cjmsite import __version__, model, safefs
from cjmsite.config import Project
from cjmsite.render.theme import build_date
from cjmsite.site.index import SiteView
from cjmsite.site.pagekinds import KINDS, Job

PACKAGE = Path(__file__).resolve().parent.parent  # the cjmsite package


def _hash(*parts: str) -> str:
    return hashlib.sha1("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _tree_hash(folder: Path, root: Path) -> str:
    """Every readable file's name and bytes (what check_theme refuses is left out: the
    build stops on it anyway)."""
    parts = []
    for entry in sorted(safefs.walk(folder, root, safefs.MAX_ASSET_BYTES),
                        key=lambda e: e.parts):
        if entry.problem or "__pycache__" in entry.parts or entry.parts[-1].endswith(".pyc"):
            continue
        try:
            digest = hashlib.sha1(safefs.read(entry.path, root, safefs.MAX_ASSET_BYTES))
        except safefs.UnsafeFile:
            continue
        parts.append(f"{'/'.join(entry.parts)}:{digest.hexdigest()}")
    return _hash(*parts)


@cache
def _package_hash() -> str:
    """The installed code and built-in theme do not change while a process runs."""
    return _tree_hash(PACKAGE, PACKAGE)


def code_version(project: Project) -> str:
    """Changes whenever cjmsite's code, its built-in theme or the site's theme changes."""
    theme = project.theme_dir
    return _hash(__version__, _package_hash(),
                 _tree_hash(theme, project.root) if theme and theme.is_dir() else "")


class Fingerprints:
    """Job keys: the global key (code, theme, settings) plus what the job's page kind says
    it depends on (PageKind.inputs), computed once per job."""

    def __init__(self, project: Project, view: SiteView, digests: dict[str, str]):
        self.view, self.digests = view, digests
        self.global_key = _hash(code_version(project), repr(project.config),
                                str(bool(view.site.surveys)),  # every page's menu
                                str(bool(view.site.insights)),
                                build_date() if project.config.show_build_date else "")
        self._journey: dict[str, str] = {}
        self._keys: dict[Job, str] = {}

    def file(self, rel: str) -> str:
        return f"{rel}:{self.digests.get(rel, '')}"

    def image(self, persona: model.Persona) -> str:
        if not persona.image_source:
            return ""
        return ":".join(map(str, safefs.stamp(Path(persona.image_source).stat())))

    def journey_files(self, journey: model.Journey) -> str:
        if journey.id not in self._journey:
            self._journey[journey.id] = _hash(
                self.file(journey.source), *(self.file(s.source) for s in journey.stages))
        return self._journey[journey.id]

    def key(self, job: Job) -> str:
        if job not in self._keys:
            kind = KINDS[job[0]]
            inputs = [self._all_files] if kind.inputs is None else \
                kind.inputs(self, self.view, job[1])
            self._keys[job] = _hash(self.global_key, *job, *inputs)
        return self._keys[job]

    def journey_key(self, journey_id: str) -> str:
        """What a journey's pieces of the whole-site pages are cached under."""
        return self.key(("journey", journey_id))

    @property
    def all_files(self) -> str:
        """Every source file: for jobs whose inputs add something to them."""
        return self._all_files

    @cached_property
    def _all_files(self) -> str:
        return _hash(*(self.file(rel) for rel in sorted(self.digests)))
