"""Evidence behind the map (evidence-format.md): which research insights each stage rests
on, checked when references are resolved, and what that makes of a stage: measured (a
survey's rows reach it), evidenced (insights cite it) or assumed (neither).

Resolution (`check_insights`, `resolve_stage_evidence`) reports unknown ids with a
did-you-mean and sets `Stage.cites` and `Stage.insights`; the queries
(`stage_evidence`, `assumed_stages`, `coverage`) are pure and read those, for the map,
the pages, metrics.json, lint and the attention page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cjmsite import model
from cjmsite.content.slugs import slug
from cjmsite.content.source import SourceFile
from cjmsite.diagnostics import Report, did_you_mean

LEVELS = ("measured", "evidenced", "assumed")
DEFAULT_MAX_AGE = 365  # days: [governance] evidence_max_age


def _unknown(report: Report, src: SourceFile, path: tuple[str | int, ...], kind: str,
             ref: str, known: Any) -> None:
    if not report.knock_on(kind, ref):
        report.error(src.rel, src.line(*path), f"unknown {kind} '{ref}'{did_you_mean(ref, known)}")


def check_ids(ids: list[str], site: model.Site, src: SourceFile,
              path: tuple[str | int, ...], report: Report) -> list[str]:
    """`evidence: [insight ids]` anywhere (gaps, pain points, opportunities...): the ids
    that name insights; each other one is an error at its line, with a did-you-mean.
    `path` leads to the list in the file's front matter."""
    known = site.insights
    single = isinstance(_at(src.data, path), str)  # `evidence: one-id`
    found = []
    for index, ref in enumerate(ids):
        if ref in known:
            found.append(ref)
        else:
            _unknown(report, src, path if single else (*path, index), "insight", ref, known)
    return list(dict.fromkeys(found))


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _looks_like_id(item: str, known: dict[str, model.Insight]) -> bool:
    """A stage's `evidence` also holds the blueprint's evidence lane (text such as
    "Factura electrónica"). An entry that is no insight is taken for a misspelt insight
    id when it is written as one (a slug with a '-' or a digit, or close to an id)."""
    if not item or slug(item) != item:
        return False
    return "-" in item or any(c.isdigit() for c in item) or bool(did_you_mean(item, known))


def stages_named(site: model.Site, journey_id: str) -> dict[str, list[str]]:
    """Stage id -> the insights that name it in their `stages` (they count as cited)."""
    named: dict[str, list[str]] = {}
    prefix = f"{journey_id}/"
    for insight in site.insights.values():
        for ref in insight.stages:
            if ref.startswith(prefix):
                named.setdefault(ref[len(prefix):], []).append(insight.id)
    return named


def resolve_stage_evidence(site: model.Site, journey: model.Journey, stage: model.Stage,
                           src: SourceFile, report: Report,
                           named: dict[str, list[str]] | None = None) -> None:
    """Check every insight a stage cites and set `stage.cites` (the ids among its
    `evidence`) and `stage.insights` (all of them, newest first)."""
    known = site.insights
    cites = []
    for index, item in enumerate(stage.evidence):
        if item in known:
            cites.append(item)
        elif _looks_like_id(item, known):
            _unknown(report, src, ("evidence", index), "insight", item, known)
    stage.cites = list(dict.fromkeys(cites))
    ids = list(stage.cites)
    for index, refs in enumerate(stage.pain_points_evidence):
        ids += check_ids(refs, site, src, ("pain_points", index, "evidence"), report)
    ids += check_ids(stage.thoughts_evidence, site, src, ("thoughts", "evidence"), report)
    items = src.data.get("gaps")
    places = [i for i, item in enumerate(items) if isinstance(item, dict)] \
        if isinstance(items, list) else []
    for index, gap in zip(places, stage.gaps, strict=False):
        ids += check_ids(gap.evidence, site, src, ("gaps", index, "evidence"), report)
    if named is None:
        named = stages_named(site, journey.id)
    ids += named.get(stage.id, [])
    stage.insights = newest_first(site, set(ids))


def newest_first(site: model.Site, ids: Any) -> list[str]:
    chosen = [site.insights[i] for i in ids if i in site.insights]
    chosen.sort(key=lambda i: i.id)
    chosen.sort(key=lambda i: i.date, reverse=True)
    return [i.id for i in chosen]


def check_insights(site: model.Site, sources: dict[str, SourceFile], report: Report) -> None:
    """What each insight is about must exist: its journey, stages (`<journey>/<stage>`),
    touchpoints and personas."""
    stage_ids = {f"{j.id}/{s.id}" for j in site.journeys.values() for s in j.stages}
    for insight in site.insights.values():
        src = sources[insight.source]
        if insight.journey and insight.journey not in site.journeys:
            _unknown(report, src, ("journey",), "journey", insight.journey, site.journeys)
        for index, ref in enumerate(insight.stages):
            if ref in stage_ids:
                continue
            journey_id, _, stage_id = ref.partition("/")
            if report.knock_on("journey", journey_id):
                continue
            if not stage_id:
                report.error(src.rel, src.line("stages", index),
                             f"'stages[{index}]' is '{ref}': name a stage as "
                             f"<journey>/<stage>{did_you_mean(ref, stage_ids)}")
            else:
                _unknown(report, src, ("stages", index), "stage", ref, stage_ids)
        for index, ref in enumerate(insight.touchpoints):
            if ref not in site.touchpoints:
                _unknown(report, src, ("touchpoints", index), "touchpoint", ref,
                         site.touchpoints)
        for index, ref in enumerate(insight.personas):
            if ref not in site.personas:
                _unknown(report, src, ("personas", index), "persona", ref, site.personas)


# -- what it makes of a stage ---------------------------------------------------------------

def aged(insight: model.Insight, today: dt.date, max_age: int) -> bool:
    """Gathered more than `max_age` days before `today`."""
    try:
        return (today - dt.date.fromisoformat(insight.date)).days > max_age
    except ValueError:
        return False


@dataclass(frozen=True)
class StageEvidence:
    """What a stage's emotion rests on. `level`: measured (survey rows reach it),
    evidenced (insights cite it) or assumed (neither)."""

    level: str
    insights: tuple[model.Insight, ...]  # newest first
    kinds: int  # distinct kinds of source: the evidence's strength
    responses: int  # survey responses behind the measured figure

    @property
    def n(self) -> int:
        return len(self.insights)


def stage_evidence(site: model.Site, stage: model.Stage, today: dt.date | None = None,
                   max_age: int | None = None) -> StageEvidence:
    """A stage's evidence; with `today` and `max_age`, insights older than the limit
    count as absent (lint, the attention page). Pages pass no date: the build stays the
    same whatever day it runs, and the reader's browser marks aged evidence."""
    insights = tuple(site.insights[i] for i in stage.insights if i in site.insights)
    if today is not None and max_age is not None:
        insights = tuple(i for i in insights if not aged(i, today, max_age))
    kinds = len({i.kind for i in insights})
    responses = sum(n for _, n in stage.measured.values())
    level = "measured" if stage.measured else "evidenced" if insights else "assumed"
    return StageEvidence(level, insights, kinds, responses)


def has_evidence(site: model.Site, journey: model.Journey, today: dt.date | None = None,
                 max_age: int | None = None) -> bool:
    """Whether any stage of the journey is measured or evidenced."""
    return any(stage_evidence(site, s, today, max_age).level != "assumed"
               for s in journey.stages)


def assumed_stages(site: model.Site, journey: model.Journey, today: dt.date | None = None,
                   max_age: int | None = None) -> list[model.Stage]:
    """Stages with an emotion that nothing measures or evidences, when the journey has
    any evidence at all (journey-management.md's attention page); aged insights count as
    absent when `today` and `max_age` are given."""
    levels = [(s, stage_evidence(site, s, today, max_age).level) for s in journey.stages]
    if all(level == "assumed" for _, level in levels):
        return []
    return [s for s, level in levels if level == "assumed" and s.emotion]


def coverage(site: model.Site, journey: model.Journey) -> float:
    """Share of the journey's stages that are measured or evidenced (0..1)."""
    if not journey.stages:
        return 0.0
    return sum(stage_evidence(site, s).level != "assumed"
               for s in journey.stages) / len(journey.stages)
