"""Roll-ups: what a journey and everything below it add up to (open gaps by severity,
actions still to do with their due dates, the mean authored emotion, what surveys
measured, opportunities by status), read from the model alone so the map's roll-up lane,
the home page and the portfolio page count the same way.

Whether a gap is open, and whether an action still counts, is decided here and nowhere
else (`gap_is_open`, `action_pending`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from cjmsite import model

SEVERITIES_DOWN = ("high", "medium", "low")


def gap_is_open(gap: model.Gap) -> bool:
    """Open: its own status is neither closed nor won't fix (closing is a decision)."""
    return gap.is_open


def action_pending(action: model.Action) -> bool:
    """Not done and not dropped: it can be overdue."""
    return action.active


@dataclass(frozen=True)
class Measure:
    survey: str  # survey id
    title: str
    metric: str  # nps | csat | ces | score
    value: float
    n: int
    target: float | None

    @property
    def meets(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target  # CES too: 7 is the easiest


@dataclass(frozen=True)
class Rollup:
    journeys: int  # journeys counted (the journey and its subtree)
    stages: int
    open_gaps: dict[str, int]  # severity -> open gaps, high first
    dues: tuple[str, ...]  # due dates of pending actions of open gaps, sorted
    emotion: float | None  # mean authored score over every stage and persona
    measured: tuple[Measure, ...]
    opportunities: dict[str, int] = field(default_factory=dict)  # status -> count

    @property
    def open_total(self) -> int:
        return sum(self.open_gaps.values())


def rollup(site: model.Site, journeys: list[model.Journey]) -> Rollup:
    """Everything in `journeys` (a journey's subtree) counted together."""
    open_gaps = dict.fromkeys(SEVERITIES_DOWN, 0)
    dues: list[str] = []
    scores: list[int] = []
    stages = 0
    ids = {j.id for j in journeys}
    gap_refs = set()
    for journey in journeys:
        stages += len(journey.stages)
        for stage in journey.stages:
            scores.extend(stage.emotion.values())
            for gap in stage.gaps:
                gap_refs.add(f"{journey.id}/{gap.id}")
                if gap_is_open(gap):
                    open_gaps[gap.severity] = open_gaps.get(gap.severity, 0) + 1
                    dues.extend(a.due for a in gap.actions if a.due and action_pending(a))
    statuses: dict[str, int] = {}
    for opportunity in site.opportunities.values():
        if any(ref in gap_refs for ref in opportunity.gaps):
            statuses[opportunity.status] = statuses.get(opportunity.status, 0) + 1
    return Rollup(len(journeys), stages, open_gaps, tuple(sorted(dues)),
                  sum(scores) / len(scores) if scores else None,
                  tuple(_measured(site, ids)),
                  {s: statuses[s] for s in model.OPPORTUNITY_STATUSES if s in statuses})


def _measured(site: model.Site, ids: set[str]) -> Iterable[Measure]:
    """Per survey, its figure over the journeys counted: the journey figures weighted by
    their responses (exact for NPS and for means)."""
    for survey in site.surveys.values():
        figures = [f for f in survey.results.figures
                   if f.scope == "journey" and f.id in ids and f.period is None and f.n]
        n = sum(f.n for f in figures)
        if n:
            value = sum(f.value * f.n for f in figures) / n
            yield Measure(survey.id, survey.title, survey.metric, value, n, survey.target)
