"""Serve's quick pass: the edited journey's page within milliseconds of a save.

A full rebuild of a large site takes a second or more, most of it on pages the editor is
not looking at (the gap index, the search index, the exports). Before it runs, serve
renders just the journey whose files were saved, from the last build's model with that
journey read again, validated and cross-checked against the same personas and
touchpoints, and puts that page on screen. The full rebuild follows at once and is what
counts: it writes the same bytes for this page (tests/test_hot.py holds the two equal)
and every other page the save touched.

It is the build's pipeline run on one unit: the journey is read by the functions the
full load runs for every journey (reload_journey, resolve_journey, measure_journey), put
in place of its old self in the last build's site, and its page rendered by the same
view and renderer. The pass only runs when it is sure to agree with the full build:
every changed file is a page of one journey that the last build already had (no file
added or removed, no folder moved), the journey reads without an error and names the
same as-is map as before (so the last build's survey results still apply to its
stages). Otherwise it gives up and the full rebuild does everything."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cjmsite import model, safefs
from cjmsite.content.load import reload_journey
from cjmsite.content.parse import parse_all
from cjmsite.content.resolve import resolve_journey
from cjmsite.diagnostics import Report
from cjmsite.incremental.apply import BuildResult, no_cycle_collection
from cjmsite.incremental.caches import Caches
from cjmsite.pool import time_limit
from cjmsite.render.renderer import Output, SiteRenderer
from cjmsite.site.index import SiteView
from cjmsite.surveys.load import measure_journey

QUICK_SECONDS = 5.0  # a journey page takes milliseconds; past this the full build decides


def _journey_of(built: BuildResult, changed: set[str]) -> model.Journey | None:
    """The one journey of the last build that all the changed files belong to, or None
    when any of them is something else (a persona, a theme file, a new stage...)."""
    assert built.project is not None and built.view is not None
    content, root = built.project.content, built.project.root
    found: model.Journey | None = None
    for path in changed:
        target = Path(path)
        if not target.is_relative_to(content):
            return None
        parts = target.relative_to(content).parts
        if any(part.startswith(".") for part in parts):
            continue  # an editor's swap or backup file: the build skips hidden names
        if len(parts) < 2 or parts[0] != "journeys":
            return None
        if not target.name.endswith(".md"):
            continue  # nothing but .md files is read from a journey's folder
        rel = target.relative_to(root).as_posix()
        index = f"{rel.rsplit('/', 1)[0]}/index.md"
        journey = found or next((j for j in built.view.site.journeys.values()
                                 if j.source == index), None)
        if journey is None or not target.is_file() or \
                rel not in (journey.source, *(s.source for s in journey.stages)):
            return None
        found = journey
    return found


def _links(journey: model.Journey) -> tuple:
    """What places a journey in the hierarchy: its parent and the journeys its stages
    detail (a change there moves other journeys' pages: the full build's business)."""
    return journey.parent, tuple(s.detail for s in journey.stages)


def quick_pass(built: BuildResult, caches: Caches, changed: set[str]) -> list[Output] | None:
    """The journey page (and map) that the saved files change, as the full build will
    write them; None when this pass cannot be sure of that (see the module's docstring)."""
    if built.project is None or built.view is None or caches.parse is None:
        return None
    with no_cycle_collection(), time_limit(QUICK_SECONDS):  # a theme may loop: TimeUp
        return _quick(built, caches, changed)


def _quick(built: BuildResult, caches: Caches, changed: set[str]) -> list[Output] | None:
    old = _journey_of(built, changed)
    if old is None:
        return None
    project, view, site = built.project, built.view, built.view.site
    if project.config.audience == "public":  # what to leave out needs the whole site
        return None
    directory = old.source.rsplit("/", 1)[0]
    folder = directory.rsplit("/", 1)[1]
    files, names = [], set()
    for entry in safefs.walk(project.root / directory, project.root,
                             safefs.MAX_CONTENT_BYTES, ".md"):
        if entry.problem or len(entry.parts) != 1:
            return None
        files.append((entry.path, f"{directory}/{entry.parts[0]}", entry.stat))
        names.add(files[-1][1])
    if names != {old.source, *(s.source for s in old.stages)}:
        return None  # a stage came or went since the last build: the full build sorts it out
    report = Report()
    parsed = parse_all(files, project.config.unsafe_html, caches.parse, str(project.root),
                       prune=False)
    for path, rel, _ in files:
        report.extend(parsed[rel].diagnostics)
        source = parsed[rel].source
        if source is not None:  # cached entries do not keep where they were read from
            source.path = path
    journey, sources = reload_journey(site, parsed, folder, directory, caches.validated,
                                      report)
    if journey is None or journey.id != old.id or report.failed(False) or \
            journey.future_of != old.future_of or _links(journey) != _links(old):
        return None
    resolve_journey(site, journey, sources, report)
    # The same stage ids as before (they are file names), so the last build's survey
    # results still hold for this journey's stages.
    journey = measure_journey(site, journey, sources, report)
    if report.failed(False):
        return None
    # The last build's site with this journey's unit replaced, in its place: the same
    # model, view and renderer the build uses, so nothing is picked by hand here.
    site = replace(site, journeys={id_: journey if id_ == journey.id else other
                                   for id_, other in site.journeys.items()})
    stamps = view.stamps
    if stamps:  # a git project: whether a saved file now differs from HEAD
        stamps = dict(stamps)
        for _, rel, _ in files:
            if rel not in stamps:
                return None
            stamps[rel] = stamps[rel].after_save(parsed[rel].digest)
    now = SiteView(site, view.t, view.language, stamps, view.histories, view.review_every)
    # No fragment cache: whole-site pieces are the full rebuild's business.
    renderer = SiteRenderer(project, site, caches.env, None, None, now)
    return renderer.run(("journey", journey.id))
