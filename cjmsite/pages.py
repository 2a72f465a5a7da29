"""Which pages the site has and what each one shows: pure functions from the model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cjmsite import model
from cjmsite.mapsvg.lanes import TABLE_LANES, Context
from cjmsite.mapsvg.sparkline import render_sparkline

SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
HOME_OPEN_GAPS = 10  # the most severe open gaps on the home page; the gap index has all


@dataclass(frozen=True)
class Page:
    path: str  # output-relative, e.g. "journeys/x/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    base: str = ""  # absolute root path, for pages served at any URL (404)

    @property
    def root(self) -> str:
        """Relative prefix back to the site root, so links also work from file://."""
        return self.base or "../" * self.path.count("/")


class _Deferred:
    """Markup made only if a template prints it: whole-site pages mostly reuse cached rows
    and never look at the sparklines of unchanged journeys."""

    def __init__(self, make: Callable[[], str]):
        self._make = make
        self._html: str | None = None

    def __html__(self) -> str:
        if self._html is None:
            self._html = self._make()
        return self._html

    __str__ = __html__


@dataclass(frozen=True)
class GapRow:
    """A gap with where it sits, for the index, the exports and the touchpoint pages."""

    journey: model.Journey
    stage: model.Stage
    gap: model.Gap
    position: int = 0  # the stage's place on the timeline, from 1

    @property
    def statuses(self) -> str:
        return " ".join(dict.fromkeys(a.status for a in self.gap.actions))

    @property
    def owners(self) -> str:
        return "|".join(dict.fromkeys(a.owner for a in self.gap.actions if a.owner))

    @property
    def first_due(self) -> str:
        return min((a.due for a in self.gap.actions if a.due), default="9999")

    @property
    def is_open(self) -> bool:
        return not self.gap.actions or any(
            a.status not in ("done", "dropped") for a in self.gap.actions
        )


def gap_rows(site: model.Site) -> list[GapRow]:
    return [GapRow(j, s, g, position) for j in site.journeys.values()
            for position, s in enumerate(j.stages, 1) for g in s.gaps]


class SiteView:
    """Everything pages need, computed once per build (indexes instead of per-page scans),
    so any single page can be rendered on its own, in any process, in any order."""

    def __init__(self, site: model.Site, t: Callable[[str], str], language: str = "en"):
        self.site, self.t, self.language = site, t, language
        self.rows = gap_rows(site)
        self.personas = list(site.personas.values())
        self.touchpoints = sorted(site.touchpoints.values(), key=lambda p: p.title.casefold())
        self.uses: dict[str, list[tuple[model.Journey, model.Stage]]] = {}
        self.gaps_at: dict[str, list[GapRow]] = {}
        for journey in site.journeys.values():
            for stage in journey.stages:
                for point in dict.fromkeys([*stage.touchpoints,
                                            *(g.touchpoint for g in stage.gaps if g.touchpoint)]):
                    self.uses.setdefault(point, []).append((journey, stage))
        for row in self.rows:
            if row.gap.touchpoint:
                self.gaps_at.setdefault(row.gap.touchpoint, []).append(row)
        self._summaries: dict[str, dict[str, Any]] = {}

    def summary(self, journey: model.Journey) -> dict[str, Any]:
        if journey.id not in self._summaries:
            self._summaries[journey.id] = {
                "journey": journey,
                "personas": [self.site.personas[p] for p in journey.personas
                             if p in self.site.personas],
                "stage_count": len(journey.stages),
                "gap_count": len(journey.gaps),
                "sparkline": _Deferred(lambda: render_sparkline(
                    journey, f"{self.t('emotion_curve')} — {journey.title}")),
            }
        return self._summaries[journey.id]

    def summaries(self) -> list[dict[str, Any]]:
        return [self.summary(j) for j in self.site.journeys.values()]

    def page_ids(self) -> Iterator[tuple[str, str]]:
        """(kind, id) of every page, in a fixed order."""
        yield from (("home", ""), ("journeys", ""), ("personas", ""), ("touchpoints", ""),
                    ("gaps", ""), ("404", ""))
        yield from (("journey", j) for j in self.site.journeys)
        yield from (("persona", p) for p in self.site.personas)
        yield from (("touchpoint", p) for p in self.site.touchpoints)

    def page(self, kind: str, id_: str, map_svg: str = "") -> Page:
        site = self.site
        if kind == "home":
            open_rows = sorted((r for r in self.rows if r.is_open),
                               key=lambda r: SEVERITY_RANK[r.gap.severity])
            return Page("index.html", "home.html", {
                "journeys": self.summaries(), "personas": self.personas,
                "touchpoints": self.touchpoints, "open_gaps": open_rows[:HOME_OPEN_GAPS],
                "open_total": len(open_rows), "gap_total": len(self.rows),
                "section": "home"})
        if kind == "journeys":
            return Page("journeys/index.html", "journeys.html",
                        {"journeys": self.summaries(), "section": "journeys"})
        if kind == "personas":
            return Page("personas/index.html", "personas.html",
                        {"personas": self.personas, "section": "personas"})
        if kind == "touchpoints":
            return Page("touchpoints/index.html", "touchpoints.html", {
                "touchpoints": self.touchpoints, "section": "touchpoints",
                "use_counts": {p.id: len(self.uses.get(p.id, [])) for p in self.touchpoints}})
        if kind == "gaps":
            return Page("gaps/index.html", "gaps.html", {
                "rows": self.rows, "section": "gaps", "filters": _gap_filters(self.rows),
                "touchpoints": site.touchpoints})
        if kind == "journey":
            summary = self.summary(site.journeys[id_])
            return Page(f"journeys/{summary['journey'].slug}/index.html", "journey.html", {
                **summary, "section": "journeys", "map_svg": map_svg,
                "site_touchpoints": site.touchpoints, "table_lanes": TABLE_LANES,
                "lane_context": Context(site, self.language, self.t, "../../"),
                "persona_names": {p.id: p.name for p in summary["personas"]}})
        if kind == "persona":
            persona = site.personas[id_]
            return Page(f"personas/{persona.slug}/index.html", "persona.html", {
                "persona": persona, "section": "personas",
                "journeys": [self.summary(j) for j in site.journeys.values()
                             if persona.id in j.personas]})
        if kind == "touchpoint":
            point = site.touchpoints[id_]
            return Page(f"touchpoints/{point.slug}/index.html", "touchpoint.html", {
                "touchpoint": point, "section": "touchpoints",
                "uses": self.uses.get(point.id, []), "gaps": self.gaps_at.get(point.id, [])})
        return Page("404.html", "404.html", {"section": ""})


def _gap_filters(rows: list[GapRow]) -> dict[str, list[str]]:
    """Choices for the gap index's filter menus, from the values actually used."""
    return {
        "journey": sorted({r.journey.title for r in rows}, key=str.casefold),
        "severity": [s for s in model.SEVERITIES[::-1] if any(r.gap.severity == s
                                                              for r in rows)],
        "status": [s for s in model.ACTION_STATUSES
                   if any(a.status == s for r in rows for a in r.gap.actions)],
        "owner": sorted({a.owner for r in rows for a in r.gap.actions if a.owner},
                        key=str.casefold),
    }
