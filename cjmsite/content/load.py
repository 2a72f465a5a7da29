"""Walk `content/`, parse and validate every file, then resolve references into a Site."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from cjmsite import model, safefs
from cjmsite.config import Project
from cjmsite.content import validate
from cjmsite.content.markup import plain_summary
from cjmsite.content.parse import ParseCache, Parsed, parse_all
from cjmsite.content.resolve import resolve_site
from cjmsite.content.slugs import slug, split_order_prefix
from cjmsite.content.source import SourceFile
from cjmsite.diagnostics import Report
from cjmsite.progress import NO_PROGRESS, Progress

MAX_CELLS = 20_000  # a journey's personas × stages (the example: 2 × 10)


@dataclass
class _Loaded:
    """A site plus the parsed sources, kept so cross-reference errors can name key lines."""

    site: model.Site
    sources: dict[str, SourceFile]
    memo: dict | None = None  # validated stages of the last build (serve keeps them)
    fresh_memo: dict | None = None  # this build's, replacing `memo` when done


Stat = tuple[int, int]  # safefs.stamp; (-1, -1) when the file cannot be read
# Folders of one file per entity (each also the model.Site field that holds them), and the
# entity's name (also its validator in content/validate.py).
ENTITY_FOLDERS = {"personas": "persona", "touchpoints": "touchpoint", "surveys": "survey",
                  "insights": "insight", "opportunities": "opportunity"}


def _fallback(entity: object) -> str:
    """A description where the body has none: a persona's role, an insight's or an
    opportunity's title; touchpoints and surveys keep an empty one."""
    if isinstance(entity, model.Persona):
        return entity.role
    if isinstance(entity, (model.Insight, model.Opportunity)):
        return entity.title
    return ""


def _content_files(project: Project, report: Report
                   ) -> list[tuple[str, str, tuple[str, ...], Stat]]:
    """(path, project-relative path, parts below content/, stat) of every Markdown file
    that may be read, hidden files and folders skipped, in a stable order; the others
    (symlinks out of the project, FIFOs, devices, huge files) are reported."""
    base = os.path.relpath(project.content, project.root).replace(os.sep, "/")
    files: list[tuple[str, str, tuple[str, ...], Stat]] = []
    for entry in safefs.walk(project.content, project.root, safefs.MAX_CONTENT_BYTES, ".md"):
        rel = "/".join((base, *entry.parts))
        if entry.problem:
            report.error(rel, 1, f"{entry.name} {entry.problem}")
        else:
            files.append((entry.path, rel, entry.parts, entry.stat))
    return sorted(files, key=lambda item: item[2])


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1][:-3]  # "content/personas/ana.md" -> "ana"


def _entity_id(stem: str, rel: str, report: Report) -> tuple[str, str, int | None] | None:
    order, id_ = split_order_prefix(stem)
    entity_slug = slug(id_)
    if not entity_slug:
        report.error(rel, 1, f"'{stem}' gives an empty URL slug: use letters or digits in the name")
        return None
    return id_, entity_slug, order


class _Registry:
    """Ids and slugs of one kind of entity, so duplicates are reported at both places."""

    def __init__(self, kind: str, report: Report):
        self.kind, self.report = kind, report
        self.ids: dict[str, str] = {}
        self.slugs: dict[str, str] = {}

    def claim(self, id_: str, entity_slug: str, rel: str) -> bool:
        if id_ in self.ids:
            self.report.error(rel, 1, f"duplicate {self.kind} id '{id_}' (also {self.ids[id_]})")
            return False
        if entity_slug in self.slugs:
            self.report.error(rel, 1, f"{self.kind} slug '{entity_slug}' collides with "
                                      f"{self.slugs[entity_slug]}: rename one of them")
            return False
        self.ids[id_], self.slugs[entity_slug] = rel, rel
        return True


def load(project: Project, report: Report, cache: ParseCache | None = None,
         validated: dict | None = None, progress: Progress = NO_PROGRESS
         ) -> tuple[model.Site, dict[str, str], dict[str, SourceFile]]:
    """The site as its files say (surveys not yet read: cjmsite.pipeline does that), the
    git blob id of every source file read (by project-relative path), for fingerprints,
    and the parsed sources by path, for messages. Every problem ends up in `report`.
    `validated`: stages validated by the last build, kept by a long-running process
    (serve) and brought up to date here."""
    content = project.content
    if not content.is_dir():
        where = (f"{project.root} does not exist" if not project.root.exists()
                 else f"{project.root} has no folder '{project.config.content_dir}'")
        report.error(project.config.content_dir, 1, f"content folder not found: {where} "
                     f"(run 'cjmsite init {project.root}' to start a new site there)")
        return model.Site(), {}, {}
    entities: list[tuple[str, str]] = []  # (kind, rel) of personas and touchpoints
    stage_files: dict[str, list[str]] = {}  # journey folder -> rel of each stage
    journey_dirs: dict[str, str] = {}  # journey folder -> its rel path
    to_parse: list[tuple[str, str, Stat]] = []
    for path, rel, parts, stat in _content_files(project, report):
        kind = parts[0] if len(parts) > 1 else ""
        if kind == "journeys" and len(parts) == 3:
            journey_dirs.setdefault(parts[1], rel.rsplit("/", 1)[0])
            if parts[2] != "index.md":
                stage_files.setdefault(parts[1], []).append(rel)
            to_parse.append((path, rel, stat))
        elif kind == "journeys":
            report.error(rel, 1, "stage file outside a journey folder: put stages in "
                                 "content/journeys/<journey>/ next to its index.md")
        elif kind not in ENTITY_FOLDERS or len(parts) != 2:
            report.warning(rel, 1, "not part of the content layout (personas/, touchpoints/, "
                                   "surveys/, insights/, opportunities/, journeys/<id>/); "
                                   "ignored")
        else:
            entities.append((kind, rel))
            to_parse.append((path, rel, stat))
    parsed = parse_all(to_parse, project.config.unsafe_html, cache, str(project.root),
                       progress)
    for path, rel, _ in to_parse:  # cached entries do not keep where they were read from
        source = parsed[rel].source
        if source is not None:
            source.path = path
    for rel in sorted(parsed):
        report.extend(parsed[rel].diagnostics)
    loaded = _Loaded(model.Site(), {})
    if validated is not None:
        loaded.memo, loaded.fresh_memo = dict(validated), {}
    digests = {rel: result.digest for rel, result in parsed.items()}
    registries = {kind: _Registry(ENTITY_FOLDERS[kind], report)
                  for kind in ENTITY_FOLDERS}
    for kind, rel in entities:
        ident = _entity_id(_stem(rel), rel, report)
        src = parsed[rel].source
        if ident is not None and src is None:
            report.cannot_read(ENTITY_FOLDERS[kind], ident[0])
        if ident is None or src is None or not registries[kind].claim(ident[0], ident[1], rel):
            continue
        loaded.sources[rel] = src
        name = ENTITY_FOLDERS[kind]
        entity = getattr(validate, name)(src, report, ident[0], ident[1])
        entity.body_html = src.html
        entity.description = plain_summary(src.html) or _fallback(entity)
        getattr(loaded.site, kind)[entity.id] = entity
    journeys = _Registry("journey", report)
    for folder, directory in sorted(journey_dirs.items()):
        _load_journey(loaded, parsed, journeys, folder, directory,
                      stage_files.get(folder, []), report)
    resolve_site(project, loaded.site, loaded.sources, report)
    if validated is not None and loaded.fresh_memo is not None:
        validated.clear()
        validated.update(loaded.fresh_memo)
    return loaded.site, digests, loaded.sources


def stage_key(rel: str, digest: str, id_: str, stage_slug: str,
              journey: model.Journey) -> tuple:
    """What a validated stage depends on: its file and the journey around it. Validated
    stages are kept under it (serve between builds, history between revisions)."""
    return (rel, digest, id_, stage_slug, journey.slug, tuple(journey.personas))


def load_journey(parsed: dict[str, Parsed], folder: str, directory: str,
                 memo: dict | None = None) -> model.Journey | None:
    """One journey on its own from parsed files (its index and stages, by project-relative
    path), validated as a build would, problems dropped: a past revision's journey, for
    the history pages. `memo`: stages validated so far, shared between revisions. None
    when the journey cannot be read (no index.md, say)."""
    loaded = _Loaded(model.Site(), {}, memo, memo)
    stages = sorted((rel for rel in parsed if not rel.endswith("/index.md")),
                    key=lambda rel: rel.rsplit("/", 1)[-1])
    _load_journey(loaded, parsed, _Registry("journey", Report()), folder, directory, stages,
                  Report())
    return next(iter(loaded.site.journeys.values()), None)


def reload_journey(site: model.Site, parsed: dict[str, Parsed], folder: str, directory: str,
                   memo: dict | None, report: Report) -> tuple[model.Journey | None,
                                                               dict[str, SourceFile]]:
    """One journey of a loaded site read again from its parsed files, validated as a build
    would, problems into `report` (serve's quick pass, cjmsite.live.hot); with the sources
    that its messages and cross-checks (content.resolve.resolve_journey) need."""
    loaded = _Loaded(replace(site, journeys={}), {}, memo)
    stages = sorted(rel for rel in parsed if rel != f"{directory}/index.md")
    _load_journey(loaded, parsed, _Registry("journey", report), folder, directory, stages,
                  report)
    return next(iter(loaded.site.journeys.values()), None), loaded.sources


def _load_journey(loaded: _Loaded, parsed: dict[str, Parsed], journeys: _Registry,
                  folder: str, directory: str, stages: list[str], report: Report) -> None:
    rel = f"{directory}/index.md"
    if rel not in parsed:
        first = stages[0] if stages else directory
        report.error(first, 1, f"journey folder '{folder}' has no index.md: add one with the "
                               "journey's title, persona and objective")
        return
    ident = _entity_id(folder, rel, report)
    src = parsed[rel].source
    if ident is not None and src is None:
        report.cannot_read("journey", ident[0])
    if ident is None or src is None or not journeys.claim(ident[0], ident[1], rel):
        return
    journey = validate.journey(src, report, ident[0], ident[1])
    cells = len(journey.personas) * len(stages)
    if cells > MAX_CELLS:
        # every persona gets a row of emotion cells across every stage: on the map, in its
        # table, in the history pages; past this a build takes minutes
        report.error(rel, src.line("persona"),
                     f"journey '{journey.id}' has {len(journey.personas):,} personas and "
                     f"{len(stages):,} stages, {cells:,} persona × stage cells, more than "
                     f"{MAX_CELLS:,}: split it into smaller journeys")
        return
    journey.body_html = src.html
    journey.description = plain_summary(src.html) or journey.objective
    loaded.sources[rel] = src
    registry = _Registry("stage", report)
    keyed = []
    for stage_rel in stages:
        stage_ident = _entity_id(_stem(stage_rel), stage_rel, report)
        stage_src = parsed[stage_rel].source
        if stage_ident is not None and stage_src is None:
            report.cannot_read("stage", f"{journey.id}/{stage_ident[0]}")
        if stage_ident is None or stage_src is None:
            continue
        id_, stage_slug, prefix = stage_ident
        if not registry.claim(id_, stage_slug, stage_rel):
            continue
        key = stage_key(stage_rel, parsed[stage_rel].digest, id_, stage_slug, journey)
        hit = loaded.memo.get(key) if loaded.memo is not None else None
        if hit is None:
            local = Report()
            stage = validate.stage(stage_src, local, id_, stage_slug, f"gap-{journey.slug}",
                                   journey.personas)
            stage.body_html = stage_src.html
            hit = (stage, local.items)
        stage, items = hit
        report.extend(items)
        if loaded.fresh_memo is not None:
            loaded.fresh_memo[key] = hit
        loaded.sources[stage_rel] = stage_src
        order = stage.order if stage.order is not None else prefix
        keyed.append(((order is None, order or 0, stage_rel.rsplit("/", 1)[-1]), stage))
    journey.stages = [stage for _, stage in sorted(keyed, key=lambda item: item[0])]
    _unique_gap_ids(journey, loaded.sources, report)
    if not journey.stages:
        report.warning(rel, 1, f"journey '{journey.id}' has no stages: add files such as "
                               f"content/journeys/{folder}/01-first-stage.md")
    loaded.site.journeys[journey.id] = journey


def _unique_gap_ids(journey: model.Journey, sources: dict[str, SourceFile],
                    report: Report) -> None:
    """Gaps must be told apart: links and diffs name them by their anchor (an `id` unique
    in the journey, or a title unique in its stage)."""
    seen: dict[str, tuple[SourceFile, tuple[str, int, str]]] = {}
    for stage in journey.stages:
        src = sources[stage.source]
        items = src.data.get("gaps")
        # Validation made one Gap per mapping in the list, in order.
        places = [i for i, item in enumerate(items) if isinstance(item, dict)] \
            if isinstance(items, list) else []
        for index, gap in zip(places, stage.gaps, strict=False):
            key = ("gaps", index, "id" if items[index].get("id") else "title")
            if gap.anchor in seen:  # lines only now: a cached file reads them again
                first, first_key = seen[gap.anchor]
                report.error(src.rel, src.line(*key),
                             f"gap id '{gap.id}' is used twice in journey '{journey.id}' (also "
                             f"{first.rel}:{first.line(*first_key)}): give one of them an "
                             "'id:'")
            else:
                seen[gap.anchor] = (src, key)
