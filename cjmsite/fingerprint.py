"""What each output job depends on, as a hash: unchanged hash, unchanged bytes, skip it.

A job's key covers the code and theme, the site settings, and the source files whose text
can appear in it (a journey page: its own files plus the touchpoints and personas it names).
Pages that summarise the whole site depend on every file and are redone on any edit."""

from __future__ import annotations

import hashlib
from functools import cache, cached_property
from pathlib import Path

from cjmsite import __version__, model, safefs
from cjmsite.config import Project
from cjmsite.render import Job
from cjmsite.theme import build_date

PACKAGE = Path(__file__).resolve().parent


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
    def __init__(self, project: Project, site: model.Site,
                 uses: dict[str, list[tuple[model.Journey, model.Stage]]]):
        """`uses`: the stages that show each touchpoint (SiteView.uses), whose files a
        touchpoint page depends on."""
        self.site, self.uses = site, uses
        self.global_key = _hash(code_version(project), repr(project.config),
                                build_date() if project.config.show_build_date else "")
        self._journey: dict[str, str] = {}

    def _file(self, rel: str) -> str:
        return f"{rel}:{self.site.digests.get(rel, '')}"

    def journey_files(self, journey: model.Journey) -> str:
        if journey.id not in self._journey:
            self._journey[journey.id] = _hash(
                self._file(journey.source), *(self._file(s.source) for s in journey.stages))
        return self._journey[journey.id]

    def key(self, job: Job) -> str:
        kind, id_ = job
        site = self.site
        if kind == "journey":
            journey = site.journeys[id_]
            points = sorted({p for s in journey.stages for p in s.touchpoints}
                            | {g.touchpoint for _, g in journey.gaps if g.touchpoint})
            return _hash(self.global_key, self.journey_files(journey),
                         *(self._file(site.touchpoints[p].source) for p in points
                           if p in site.touchpoints),
                         *(self._file(site.personas[p].source) for p in journey.personas
                           if p in site.personas))
        if kind == "persona":
            persona = site.personas[id_]
            journeys = [j for j in site.journeys.values() if persona.id in j.personas]
            cast = sorted({p for j in journeys for p in j.personas if p in site.personas})
            image = Path(persona.image_source).stat() if persona.image_source else None
            return _hash(self.global_key, self._file(persona.source),
                         f"{image.st_size}:{image.st_mtime_ns}" if image else "",
                         *(self.journey_files(j) for j in journeys),
                         *(self._file(site.personas[p].source) for p in cast))
        if kind == "touchpoint":
            point = site.touchpoints[id_]
            files = sorted({rel for journey, stage in self.uses.get(point.id, ())
                            for rel in (journey.source, stage.source)})
            return _hash(self.global_key, self._file(point.source),
                         *(self._file(f) for f in files))
        if kind in ("404", "assets"):
            return _hash(self.global_key, kind)
        # Whole-site pages, exports and search show something of every file. They are
        # joined from cached per-journey pieces, so redoing them is cheap, and a file is
        # only rewritten when its bytes change.
        return _hash(self.global_key, kind, self._all_files)

    @cached_property
    def _all_files(self) -> str:
        return _hash(*(self._file(rel) for rel in sorted(self.site.digests)))
