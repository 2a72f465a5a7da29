"""What each page kind's job depends on: the strings whose change means the job must run
again (PageKind.inputs in cjmsite.site.pagekinds). Files by digest (`keys.file(rel)`,
`keys.journey_files(journey)`), plus what the page shows that no file holds: git dates,
the roll-ups of sub-journeys, the rows of other journeys.

`keys` is the build's Fingerprints (cjmsite.incremental.fingerprint), passed in, so this
module imports neither it nor the renderer."""

from __future__ import annotations

from typing import Any

from cjmsite.hierarchy import Tree
from cjmsite.rollup import rollup
from cjmsite.site.index import SEARCH_OTHERS, SiteView


def rollup_of(site: Any, tree: Tree, id_: str) -> Any:
    return rollup(site, tree.subtree(id_))


def opportunity_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    """Its file, the journeys whose gaps, stages or metrics it names or that name it,
    surveys (a metric's current value), and when it last changed in git."""
    site = view.site
    opportunity = site.opportunities[id_]
    named = {ref.partition("/")[0] for ref in
             [*opportunity.gaps, *(m.stage for m in opportunity.metrics)]}
    journeys = [j for j in site.journeys.values() if j.id in named or
                any(id_ in s.opportunities for s in j.stages)]
    return [keys.file(opportunity.source), repr(view.updated(opportunity)),
            *(keys.journey_files(j) for j in journeys), *surveys_of(keys, view),
            *(keys.file(site.insights[i].source) for i in opportunity.evidence
              if i in site.insights)]


def insights_of(keys: Any, view: SiteView, journey: Any) -> list[str]:
    """A journey page shows the insights behind its stages (their titles, kinds, dates)."""
    ids = sorted({i for s in journey.stages for i in s.insights})
    return [repr(ids), *(keys.file(view.site.insights[i].source) for i in ids
                         if i in view.site.insights)]


def insight_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    """An insight page shows the insight, what it names (journeys, stages, personas,
    touchpoints) and what cites it: every insight file and the files of the journeys that
    cite or are named by it (a citation may be added in any stage)."""
    site = view.site
    return [*(keys.file(i.source) for i in site.insights.values()),
            *(keys.journey_files(j) for j in site.journeys.values()
              if any(s.insights for s in j.stages)),
            *(keys.file(o.source) for o in site.opportunities.values() if o.evidence),
            *(keys.file(p.source) for p in site.personas.values()),
            *(keys.file(p.source) for p in site.touchpoints.values()),
            repr(view.updated(site.insights[id_])) if id_ else ""]


def surveys_of(keys: Any, view: SiteView) -> list[str]:
    """A page that shows survey figures depends on every survey's results (a survey's
    rows may reach any stage, touchpoint or persona)."""
    return [keys.file(s.source) + keys.file(s.file) for s in view.site.surveys.values()]


def journey_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    site = view.site
    journey = site.journeys[id_]
    points = sorted({p for s in journey.stages for p in s.touchpoints}
                    | {g.touchpoint for _, g in journey.gaps if g.touchpoint})
    partners = [p for p in (site.journeys.get(journey.future_of), view.to_be.get(id_)) if p]
    return [keys.journey_files(journey), repr(view.updated(journey)),
            *hierarchy_inputs(view, journey),
            str(id_ in view.histories), *surveys_of(keys, view),
            *insights_of(keys, view, journey),
            *(keys.journey_files(p) for p in partners),
            *(keys.file(site.touchpoints[p].source) for p in points if p in site.touchpoints),
            *(keys.file(site.personas[p].source) for p in journey.personas
              if p in site.personas)]


def hierarchy_inputs(view: SiteView, journey: Any) -> list[str]:
    """What a journey's page shows of other journeys and of opportunities, as text: its
    ancestors' names (breadcrumbs), each sub-journey's name and roll-up (the list and
    the roll-up lane), and the opportunities its stages name (chips)."""
    site, tree = view.site, view.tree
    named = {o for s in journey.stages for o in s.opportunities if o in site.opportunities}
    details = {s.detail for s in journey.stages if s.detail in site.journeys}
    below = [site.journeys[i] for i in dict.fromkeys(
        [*(k.id for k in tree.kids(journey.id)), *sorted(details)])]
    return [*(repr((a.id, a.title, a.slug)) for a in tree.ancestors(journey.id)),
            *(repr((k.id, k.title, k.slug, rollup_of(site, tree, k.id))) for k in below),
            *(repr((o.id, o.title, o.slug, o.status)) for o in
              (site.opportunities[i] for i in sorted(named)))]


def rows_of(view: SiteView, journeys: list[Any]) -> str:
    """Where journey rows sit in the tree (their class, parent and toggle)."""
    return repr([(view.summary(j)["depth"], view.summary(j)["parent"],
                  view.summary(j)["children"]) for j in journeys])


def persona_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    site = view.site
    persona = site.personas[id_]
    journeys = view.journeys_of.get(id_, [])
    cast = sorted({p for j in journeys for p in j.personas if p in site.personas})
    return [keys.file(persona.source), keys.image(persona), repr(view.updated(persona)),
            *surveys_of(keys, view),
            *(keys.journey_files(j) for j in journeys), rows_of(view, journeys),
            *(keys.file(site.personas[p].source) for p in cast)]


def touchpoint_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    point = view.site.touchpoints[id_]
    files = sorted({rel for journey, stage in view.uses.get(id_, ())
                    for rel in (journey.source, stage.source)})
    # Its stages' scores are named by persona; their gaps may name other touchpoints.
    people = sorted({p for journey, _ in view.uses.get(id_, ()) for p in journey.personas
                     if p in view.site.personas})
    others = sorted({g.touchpoint for _, stage in view.uses.get(id_, ()) for g in stage.gaps
                     if g.touchpoint in view.site.touchpoints and g.touchpoint != id_})
    return [keys.file(point.source), repr(view.updated(point)), *(keys.file(f) for f in files),
            *surveys_of(keys, view),
            *(keys.file(view.site.personas[p].source) for p in people),
            *(keys.file(view.site.touchpoints[p].source) for p in others)]


def history_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    journey = view.site.journeys[id_]
    return [keys.file(journey.source), repr(view.histories[id_]),
            *(keys.file(view.site.personas[p].source) for p in journey.personas
              if p in view.site.personas)]


def survey_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    survey = view.site.surveys[id_]
    return [keys.file(survey.source), keys.file(survey.file), repr(view.updated(survey)),
            *(keys.journey_files(j) for j in view.site.journeys.values()),
            *(keys.file(p.source) for p in view.site.touchpoints.values()),
            *(keys.file(p.source) for p in view.site.personas.values())]


def shard_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    """A journeys' shard: those journeys' files; the others' shard: the personas,
    touchpoints, surveys (with their responses: comments may be searched) and
    opportunities."""
    site = view.site
    if id_ != SEARCH_OTHERS:
        return [keys.journey_files(site.journeys[j]) for j in view.search_shards[id_]]
    return [*(keys.file(p.source) for p in site.personas.values()),
            *(keys.file(p.source) for p in site.touchpoints.values()),
            *(keys.file(i.source) for i in site.insights.values()),
            *(keys.file(s.source) + keys.file(s.file) for s in site.surveys.values()),
            *(keys.file(o.source) for o in site.opportunities.values())]


def no_inputs(keys: Any, view: SiteView, id_: str) -> list[str]:
    return []
