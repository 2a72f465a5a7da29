"""Which pages the site has and what each one shows: pure functions from the model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cjmsite import model
from cjmsite.mapsvg.sparkline import render_sparkline

SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


@dataclass(frozen=True)
class Page:
    path: str  # output-relative, e.g. "journeys/x/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> str:
        """Relative prefix back to the site root, so links also work from file://."""
        return "../" * self.path.count("/")


@dataclass(frozen=True)
class GapRow:
    """A gap with where it sits, for the index, the exports and the touchpoint pages."""

    journey: model.Journey
    stage: model.Stage
    gap: model.Gap
    position: int = 0  # the stage's place on the timeline, from 1

    @property
    def is_open(self) -> bool:
        return not self.gap.actions or any(
            a.status not in ("done", "dropped") for a in self.gap.actions
        )


def gap_rows(site: model.Site) -> list[GapRow]:
    return [GapRow(j, s, g, j.stages.index(s) + 1) for j in site.journeys.values()
            for s, g in j.gaps]


def _journey_summary(site: model.Site, journey: model.Journey, spark_label: str) -> dict:
    return {
        "journey": journey,
        "personas": [site.personas[p] for p in journey.personas if p in site.personas],
        "stage_count": len(journey.stages),
        "gap_count": len(journey.gaps),
        "sparkline": render_sparkline(journey, f"{spark_label} — {journey.title}"),
    }


def build_pages(site: model.Site, language: str, t: Callable[[str], str],
                maps: dict[str, str]) -> Iterator[Page]:
    """Every HTML page of the site, in a fixed order; `maps` holds each journey's SVG."""
    journeys = [_journey_summary(site, j, t("emotion_curve")) for j in site.journeys.values()]
    rows = gap_rows(site)
    open_rows = sorted((r for r in rows if r.is_open),
                       key=lambda r: SEVERITY_RANK[r.gap.severity])
    personas = list(site.personas.values())
    touchpoints = sorted(site.touchpoints.values(), key=lambda p: p.title.casefold())
    yield Page("index.html", "home.html", {
        "journeys": journeys, "personas": personas, "touchpoints": touchpoints,
        "open_gaps": open_rows, "gap_total": len(rows), "section": "home",
    })
    yield Page("journeys/index.html", "journeys.html", {"journeys": journeys,
                                                        "section": "journeys"})
    for summary in journeys:
        journey = summary["journey"]
        yield Page(f"journeys/{journey.slug}/index.html", "journey.html", {
            **summary, "section": "journeys",
            "map_svg": maps[journey.id],
            "site_touchpoints": site.touchpoints,
            "persona_names": {p.id: p.name for p in summary["personas"]},
        })
    yield Page("personas/index.html", "personas.html", {"personas": personas,
                                                        "section": "personas"})
    for persona in personas:
        yield Page(f"personas/{persona.slug}/index.html", "persona.html", {
            "persona": persona, "section": "personas",
            "journeys": [s for s in journeys if persona.id in s["journey"].personas],
        })
    yield Page("touchpoints/index.html", "touchpoints.html", {
        "touchpoints": touchpoints, "section": "touchpoints",
        "use_counts": {p.id: len(site.uses_of_touchpoint(p.id)) for p in touchpoints},
    })
    for point in touchpoints:
        yield Page(f"touchpoints/{point.slug}/index.html", "touchpoint.html", {
            "touchpoint": point, "section": "touchpoints",
            "uses": site.uses_of_touchpoint(point.id),
            "gaps": [r for r in rows if r.gap.touchpoint == point.id],
        })
    yield Page("gaps/index.html", "gaps.html", {"rows": rows, "section": "gaps",
                                                "filters": _gap_filters(rows),
                                                "touchpoints": site.touchpoints})
    yield Page("404.html", "404.html", {"section": ""})


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
