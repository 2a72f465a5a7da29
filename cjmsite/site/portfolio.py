"""What the portfolio page, the opportunity pages and the roll-ups read: opportunities
with the gaps, journeys and stages they touch, ranked by priority; the matrix's points;
each journey's roll-up, the hierarchy's top level first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cjmsite import model, urls
from cjmsite.hierarchy import Tree
from cjmsite.i18n import number
from cjmsite.mapsvg.matrix import Item, matrix_svg
from cjmsite.rollup import Rollup, gap_is_open, rollup


@dataclass(frozen=True)
class GapRef:
    ref: str  # "<journey>/<gap id>"
    journey: model.Journey
    stage: model.Stage
    gap: model.Gap

    @property
    def is_open(self) -> bool:
        return gap_is_open(self.gap)


@dataclass(frozen=True)
class MetricNow:
    metric: model.OpportunityMetric
    journey: model.Journey | None
    stage: model.Stage | None
    now: model.Metric | None  # the stage's metric of the same name (authored or measured)

    @property
    def meets(self) -> bool | None:
        target, now = self.metric.target, self.now
        if target is None or now is None or now.n == 0:
            return None
        return now.value >= target if self.metric.higher_is_better else now.value <= target


@dataclass(frozen=True)
class OpportunityRow:
    opportunity: model.Opportunity
    number: int  # its rank: 1 is the highest priority; unscored ones come last
    gaps: tuple[GapRef, ...]
    places: tuple[tuple[model.Journey, tuple[model.Stage, ...]], ...]  # journeys, stages
    metrics: tuple[MetricNow, ...]

    @property
    def journey_titles(self) -> str:
        return "|".join(j.title for j, _ in self.places)


def opportunity_rows(site: model.Site) -> list[OpportunityRow]:
    """Every opportunity, scored ones by priority (highest first, then title), then the
    unscored ones by title."""
    ranked = sorted(site.opportunities.values(), key=lambda o: (
        o.priority is None, -(o.priority or 0), o.title.casefold(), o.id))
    rows = []
    for index, opportunity in enumerate(ranked, 1):
        refs = []
        for ref in opportunity.gaps:
            found = _gap(site, ref)
            if found is not None:
                refs.append(found)
        places: dict[str, tuple[model.Journey, list[model.Stage]]] = {}
        for ref in refs:
            journey, stages = places.setdefault(ref.journey.id, (ref.journey, []))
            if ref.stage not in stages:
                stages.append(ref.stage)
        for journey in site.journeys.values():  # stages whose lane names it
            for stage in journey.stages:
                if opportunity.id in stage.opportunities:
                    _, stages = places.setdefault(journey.id, (journey, []))
                    if stage not in stages:
                        stages.append(stage)
        rows.append(OpportunityRow(
            opportunity, index, tuple(refs),
            tuple((j, tuple(s)) for j, s in places.values()),
            tuple(_metric_now(site, m) for m in opportunity.metrics)))
    return rows


def _gap(site: model.Site, ref: str) -> GapRef | None:
    journey_id, _, gap_id = ref.partition("/")
    journey = site.journeys.get(journey_id)
    if journey is None:
        return None
    return next((GapRef(ref, journey, s, g) for s, g in journey.gaps if g.id == gap_id), None)


def _metric_now(site: model.Site, metric: model.OpportunityMetric) -> MetricNow:
    journey_id, _, stage_id = metric.stage.partition("/")
    journey = site.journeys.get(journey_id)
    stage = next((s for s in journey.stages if s.id == stage_id), None) if journey else None
    now = next((m for m in stage.metrics if m.name.casefold() == metric.name.casefold()),
               None) if stage else None
    return MetricNow(metric, journey, stage, now)


def portfolio_filters(rows: list[OpportunityRow]) -> dict[str, list[str]]:
    """Choices for the priority table's filter menus, from the values used."""
    return {
        "status": [s for s in model.OPPORTUNITY_STATUSES
                   if any(r.opportunity.status == s for r in rows)],
        "journey": sorted({j.title for r in rows for j, _ in r.places}, key=str.casefold),
        "owner": sorted({r.opportunity.owner for r in rows if r.opportunity.owner},
                        key=str.casefold),
    }


def matrix(rows: list[OpportunityRow], t: Callable[[str], str], root: str) -> str:
    items = [Item(r.number, r.opportunity.title, r.opportunity.value or 0.0,
                  r.opportunity.effort or 1.0,
                  root + urls.opportunity(r.opportunity),
                  f"opp-{r.opportunity.status}")
             for r in rows if r.opportunity.scored]
    return matrix_svg(items, t, t("matrix_label"))


def quadrant(opportunity: model.Opportunity) -> str:
    """Which quadrant a scored opportunity falls in (value 50 and effort 3 split them)."""
    high = (opportunity.value or 0) >= 50
    easy = (opportunity.effort or 5) < 3
    return {(True, True): "quick_wins", (True, False): "big_bets",
            (False, True): "fill_ins", (False, False): "money_pits"}[(high, easy)]


def journey_rollups(site: model.Site) -> list[tuple[model.Journey, int, Rollup]]:
    """(journey, depth, roll-up of its subtree) for every journey, the top level first,
    each followed by the journeys below it."""
    tree = Tree(site)
    out: list[tuple[model.Journey, int, Rollup]] = []
    todo = [(journey, 0) for journey in reversed(tree.top())]
    while todo:
        journey, depth = todo.pop()
        out.append((journey, depth, rollup(site, tree.subtree(journey.id))))
        todo.extend((child, depth + 1) for child in reversed(tree.kids(journey.id)))
    return out


def score(value: float | None) -> str:
    return "—" if value is None else number(round(value, 2))


def opportunity_context(site: model.Site, row: OpportunityRow) -> dict[str, Any]:
    return {"row": row, "opportunity": row.opportunity, "section": "portfolio"}
