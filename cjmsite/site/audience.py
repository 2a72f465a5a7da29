"""Public builds (`cjmsite build --audience public`, `[site] audience = "public"`): the
same site without anything marked `internal: true` (insights, journeys, personas,
touchpoints) and without the quotes, comments and survey verbatims of anything internal;
opportunities and the journey hierarchy lose their references to what was left out.

Everything is left out of the model before any page, map, search shard, export or
sitemap is made from it, so no byte of the output can carry it. The loaded objects are
shared with caches (validated stages, survey results): they are copied, never changed."""

from __future__ import annotations

from dataclasses import dataclass, replace

from cjmsite import model
from cjmsite.figures import Figure, Verbatim


@dataclass(frozen=True)
class LeftOut:
    """How many items a public build left out, by kind."""

    insights: int = 0
    journeys: int = 0
    personas: int = 0
    touchpoints: int = 0
    verbatims: int = 0

    @property
    def items(self) -> int:
        return self.insights + self.journeys + self.personas + self.touchpoints

    def summary(self) -> str:
        parts = [f"{n} {kind}" for kind, n in (
            ("insights", self.insights), ("journeys", self.journeys),
            ("personas", self.personas), ("touchpoints", self.touchpoints),
            ("survey comments", self.verbatims)) if n]
        return ", ".join(parts) or "nothing"


def public(site: model.Site) -> tuple[model.Site, LeftOut]:
    """The site as the public sees it, and what was left out."""
    insights = {k: v for k, v in site.insights.items() if not v.internal}
    journeys = {k: v for k, v in site.journeys.items() if not v.internal}
    personas = {k: v for k, v in site.personas.items() if not v.internal}
    points = {k: v for k, v in site.touchpoints.items() if not v.internal}
    gone_insights = set(site.insights) - set(insights)
    stage_ids = {f"{j.id}/{s.id}" for j in journeys.values() for s in j.stages}
    surveys, dropped = {}, 0
    for key, survey in site.surveys.items():
        surveys[key], gone = _survey(survey, journeys, stage_ids, personas, points)
        dropped += gone
    out = replace(  # whatever else the site holds stays as it is
        site, personas=personas, touchpoints=points, surveys=surveys,
        journeys={k: _journey(j, journeys, personas, points, gone_insights)
                  for k, j in journeys.items()},
        insights={k: replace(i, journey=i.journey if i.journey in journeys else "",
                             stages=[s for s in i.stages if s in stage_ids],
                             personas=[p for p in i.personas if p in personas],
                             touchpoints=[p for p in i.touchpoints if p in points])
                  for k, i in insights.items()},
        opportunities={k: _opportunity(o, journeys, gone_insights)
                       for k, o in site.opportunities.items()})
    return out, LeftOut(len(gone_insights), len(site.journeys) - len(journeys),
                        len(site.personas) - len(personas),
                        len(site.touchpoints) - len(points), dropped)


def _journey(journey: model.Journey, journeys: dict[str, model.Journey],
             personas: dict[str, model.Persona], points: dict[str, model.Touchpoint],
             gone: set[str]) -> model.Journey:
    keep = [p for p in journey.personas if p in personas]
    return replace(journey, personas=keep,
                   future_of=journey.future_of if journey.future_of in journeys else "",
                   parent=journey.parent if journey.parent in journeys else "",
                   stages=[_stage(s, set(keep), points, gone, journeys)
                           for s in journey.stages])


def _opportunity(opportunity: model.Opportunity, journeys: dict[str, model.Journey],
                 gone: set[str]) -> model.Opportunity:
    """Without the gaps, stages and insights of anything internal."""
    def public_ref(ref: str) -> bool:
        return ref.partition("/")[0] in journeys

    return replace(opportunity, gaps=[g for g in opportunity.gaps if public_ref(g)],
                   evidence=[i for i in opportunity.evidence if i not in gone],
                   metrics=[m if not m.stage or public_ref(m.stage) else replace(m, stage="")
                            for m in opportunity.metrics])


def _stage(stage: model.Stage, personas: set[str], points: dict[str, model.Touchpoint],
           gone: set[str], journeys: dict[str, model.Journey]) -> model.Stage:
    def kept(ids: list[str]) -> list[str]:
        return [i for i in ids if i not in gone]

    return replace(
        stage,
        emotion={p: s for p, s in stage.emotion.items() if p in personas},
        detail=stage.detail if stage.detail in journeys else "",
        touchpoints=[p for p in stage.touchpoints if p in points],
        evidence=kept(stage.evidence), cites=kept(stage.cites),
        insights=kept(stage.insights), thoughts_evidence=kept(stage.thoughts_evidence),
        pain_points_evidence=[kept(ids) for ids in stage.pain_points_evidence],
        gaps=[replace(g, touchpoint=g.touchpoint if g.touchpoint in points else "",
                      evidence=kept(g.evidence)) for g in stage.gaps])


def _survey(survey: model.Survey, journeys: dict[str, model.Journey], stages: set[str],
            personas: dict[str, model.Persona], points: dict[str, model.Touchpoint]
            ) -> tuple[model.Survey, int]:
    """A survey without the figures and comments of internal journeys, stages, personas
    and touchpoints (its overall figures stay: they name nobody)."""
    known = {"journey": journeys, "stage": stages, "persona": personas, "touchpoint": points}

    def public_scope(figure: Figure) -> bool:
        return figure.scope == "survey" or figure.id in known.get(figure.scope, {})

    def public_comment(v: Verbatim) -> bool:
        return ((not v.journey or v.journey in journeys)
                and (not v.stage or f"{v.journey}/{v.stage}" in stages)
                and (not v.persona or v.persona in personas)
                and (not v.touchpoint or v.touchpoint in points))

    results = survey.results
    verbatims = [v for v in results.verbatims if public_comment(v)]
    results = replace(results, figures=[f for f in results.figures if public_scope(f)],
                      verbatims=verbatims)
    return replace(survey, results=results,
                   journey=survey.journey if survey.journey in journeys else "",
                   stage=survey.stage if survey.journey in journeys else "",
                   touchpoint=survey.touchpoint if survey.touchpoint in points else ""), \
        len(survey.results.verbatims) - len(verbatims)
