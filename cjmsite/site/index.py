"""What pages read about the whole site, computed once per build: gap rows, which stages use
each touchpoint, which journeys each persona is in, journey summaries.

Indexes instead of per-page scans, so any single page can be rendered on its own, in any
process, in any order, without a page costing the size of the site."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from cjmsite import model
from cjmsite.hierarchy import Tree
from cjmsite.history.dates import latest
from cjmsite.mapsvg.markers import persona_marker
from cjmsite.mapsvg.sparkline import render_sparkline
from cjmsite.site import attention

T = TypeVar("T")
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
HOME_OPEN_GAPS = 10  # the most severe open gaps on the home page; the gap index has all
SHARD_JOURNEYS = 16  # journeys a search shard: ~0.5 MB with 20-stage journeys
SEARCH_OTHERS = "others"  # the search shard of personas, touchpoints and surveys


def as_of() -> str:
    """The day exports judge `overdue` against: SOURCE_DATE_EPOCH's (UTC) when it is set,
    for reproducible builds, else today. An export is a snapshot of that day; the pages
    decide in the reader's browser instead."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            pass
    return dt.date.today().isoformat()


def search_shards(journeys: Iterable[str]) -> dict[str, list[str]]:
    """Search shard name -> the journey ids in it, in site order; the others' shard
    last. By position, so an edit inside a journey changes one shard (cjmsite.render.search)."""
    ids = list(journeys)
    named = {f"journeys-{n // SHARD_JOURNEYS:03d}": ids[n:n + SHARD_JOURNEYS]
             for n in range(0, len(ids), SHARD_JOURNEYS)}
    named[SEARCH_OTHERS] = []
    return named


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
        """The gap's own status (closing is a decision, not its actions' sum)."""
        return self.gap.is_open

    @property
    def due_dates(self) -> str:
        """The due dates of its actions not done or dropped: the browser marks the row
        overdue against the reader's today (built pages stay the same whatever the day)."""
        return " ".join(sorted({a.due for a in self.gap.actions if a.active and a.due}))

    def overdue(self, today: str) -> bool:
        return any(a.active and a.due and a.due < today for a in self.gap.actions)


@dataclass(frozen=True)
class Feeling:
    """One persona's score at a stage, as pages show it: the persona's map marker (inline
    SVG), its name, the score."""

    marker: str
    name: str
    score: int


def gap_rows(site: model.Site) -> list[GapRow]:
    return [GapRow(j, s, g, position) for j in site.journeys.values()
            for position, s in enumerate(j.stages, 1) for g in s.gaps]


class SiteView:
    """Everything pages need about the whole site (see the module's docstring)."""

    def __init__(self, site: model.Site, t: Callable[[str], str], language: str = "en",
                 stamps: dict[str, Any] | None = None,
                 histories: dict[str, list[dict[str, Any]]] | None = None,
                 review_every: int = 180):
        """`stamps`: project-relative path -> when it last changed in git (history.dates);
        `histories`: journey id -> its commits, newest first (history.timeline);
        `review_every`: [governance] review_every, in days."""
        self.site, self.t, self.language = site, t, language
        self.review_every = review_every
        self.stamps = stamps or {}
        self.histories = histories or {}
        self._summaries: dict[str, dict[str, Any]] = {}
        self._curves: dict[str, tuple[str, ...]] = {}  # journey id -> curve_personas

    # Each index is made when first read: a build makes them all before its workers fork
    # (index_all), serve's quick pass only those its one page reads.
    def index_all(self) -> None:
        for name in ("rows", "personas", "touchpoints", "uses", "gaps_at", "to_be",
                     "journeys_of", "search_shards", "tree"):
            getattr(self, name)

    @cached_property
    def rows(self) -> list[GapRow]:
        return gap_rows(self.site)

    @cached_property
    def personas(self) -> list[model.Persona]:
        return list(self.site.personas.values())

    @cached_property
    def touchpoints(self) -> list[model.Touchpoint]:
        return sorted(self.site.touchpoints.values(), key=lambda p: p.title.casefold())

    @cached_property
    def uses(self) -> dict[str, list[tuple[model.Journey, model.Stage]]]:
        """Touchpoint id -> the (journey, stage) pairs that name it, or one of its gaps."""
        uses: dict[str, list[tuple[model.Journey, model.Stage]]] = {}
        for journey in self.site.journeys.values():
            for stage in journey.stages:
                for point in dict.fromkeys([*stage.touchpoints,
                                            *(g.touchpoint for g in stage.gaps if g.touchpoint)]):
                    uses.setdefault(point, []).append((journey, stage))
        return uses

    @cached_property
    def gaps_at(self) -> dict[str, list[GapRow]]:
        gaps_at: dict[str, list[GapRow]] = {}
        for row in self.rows:
            if row.gap.touchpoint:
                gaps_at.setdefault(row.gap.touchpoint, []).append(row)
        return gaps_at

    @cached_property
    def to_be(self) -> dict[str, model.Journey]:
        """As-is journey id -> its to-be map (future_of), when both exist."""
        return {j.future_of: j for j in self.site.journeys.values()
                if j.future_of and j.future_of in self.site.journeys}

    @cached_property
    def journeys_of(self) -> dict[str, list[model.Journey]]:
        journeys_of: dict[str, list[model.Journey]] = {}
        for journey in self.site.journeys.values():
            for persona in dict.fromkeys(journey.personas):
                journeys_of.setdefault(persona, []).append(journey)
        return journeys_of

    @cached_property
    def tree(self) -> Tree:
        return Tree(self.site)

    @cached_property
    def attention(self) -> list[attention.Group]:
        """What needs attention, grouped: the home page counts it and the attention page
        lists it (both whole-site pages, rendered in one process: made once a build)."""
        return attention.groups(self.site, self.review_every, self.t)

    @cached_property
    def search_shards(self) -> dict[str, list[str]]:
        return search_shards(self.site.journeys)

    def updated(self, entity: Any) -> Any:
        """The last change of an entity's files (a journey: its index and every stage),
        or None outside git."""
        if isinstance(entity, model.Journey):
            return latest(self.stamps, [entity.source, *(s.source for s in entity.stages)])
        return self.stamps.get(entity.source)

    def feelings(self, journey: model.Journey, stage: model.Stage) -> list[Feeling]:
        """Every persona's score at `stage`, in the map's order, each named and with the
        marker its curve has on the map."""
        personas = self.site.personas
        if journey.id not in self._curves:  # asked once per stage: computed once per journey
            self._curves[journey.id] = journey.curve_personas
        return [Feeling(persona_marker(index), personas[p].name if p in personas else p,
                        stage.emotion[p])
                for index, p in enumerate(self._curves[journey.id]) if p in stage.emotion]

    def nearby_gaps(self, touchpoint_id: str) -> list[GapRow]:
        """Gaps in the stages that use a touchpoint but name another touchpoint or none:
        shown apart from the touchpoint's own gaps (gaps_at)."""
        stages = {(j.id, s.id) for j, s in self.uses.get(touchpoint_id, ())}
        return [r for r in self.rows if (r.journey.id, r.stage.id) in stages
                and r.gap.touchpoint != touchpoint_id]

    def marks(self, persona_id: str) -> dict[str, Feeling]:
        """Journey id -> the marker (and name) of this persona's curve on that map."""
        name = self.site.personas[persona_id].name
        return {j.id: Feeling(persona_marker(j.curve_personas.index(persona_id)), name, 0)
                for j in self.journeys_of.get(persona_id, []) if persona_id in j.curve_personas}

    def summary(self, journey: model.Journey) -> dict[str, Any]:
        if journey.id not in self._summaries:
            self._summaries[journey.id] = {
                "journey": journey,
                "personas": [self.site.personas[p] for p in journey.personas
                             if p in self.site.personas],
                "stage_count": len(journey.stages),
                "gap_count": len(journey.gaps),
                "counts": gap_counts(g for _, g in journey.gaps),
                "open_by_severity": {sev: sum(g.is_open and g.severity == sev
                                              for _, g in journey.gaps)
                                     for sev in model.SEVERITIES[::-1]},
                # Due dates of unfinished actions: counted as overdue in the browser.
                "due_dates": " ".join(sorted(a.due for _, g in journey.gaps
                                             for a in g.actions if a.active and a.due)),
                "next_review": journey.next_review(self.review_every),
                "coverage": coverage(journey),
                "sparkline": _Deferred(lambda: render_sparkline(
                    journey, f"{self.t('emotion_curve')} — {journey.title}",
                    {p.id: p.name for p in self.personas})),
                "as_is": self.site.journeys.get(journey.future_of)
                if journey.future_of else None,
                "to_be": self.to_be.get(journey.id),
                "depth": self.tree.depth(journey.id),
                "parent": self.tree.up.get(journey.id, ""),
                "children": len(self.tree.children.get(journey.id, ())),
            }
        return self._summaries[journey.id]

    def ordered(self) -> list[model.Journey]:
        """Journeys as lists show them: the hierarchy's top level first, each journey
        followed by its to-be map, then by the journeys below it."""
        out: list[model.Journey] = []
        listed: set[str] = set()
        todo = [j for j in reversed(self.tree.top())
                if j.future_of not in self.site.journeys or j.future_of == j.id]
        while todo:
            journey = todo.pop()
            if journey.id in listed:
                continue
            out.append(journey)
            listed.add(journey.id)
            partner = self.to_be.get(journey.id)
            if partner is not None and partner.id not in self.tree.up:
                out.append(partner)
                listed.add(partner.id)
            todo.extend(reversed(self.tree.kids(journey.id)))
        # Anything left (a to-be map of a to-be map: reported as an error) keeps its place.
        out.extend(j for j in self.site.journeys.values() if j.id not in listed)
        return out

    def summaries(self) -> list[dict[str, Any]]:
        return [self.summary(j) for j in self.ordered()]


@dataclass(frozen=True)
class GapCounts:
    """Open (open or in progress) and settled (closed or wont-fix) gaps: counts never mix
    them. `line(t)`: "3 open gaps (2 closed)"."""

    open: int
    closed: int

    def line(self, t: Callable[[str], str]) -> str:
        text = t("n_open_gap" if self.open == 1 else "n_open_gaps").replace("{n}",
                                                                          str(self.open))
        if self.closed:
            text += " " + t("n_closed_one" if self.closed == 1 else "n_closed").replace(
                "{n}", str(self.closed))
        return text


def gap_counts(gaps: Iterable[model.Gap]) -> GapCounts:
    opened = closed = 0
    for gap in gaps:
        if gap.is_open:
            opened += 1
        else:
            closed += 1
    return GapCounts(opened, closed)


def coverage(journey: model.Journey) -> int | None:
    """The share of stages with evidence (model.Stage.has_evidence), in percent."""
    if not journey.stages:
        return None
    return round(100 * sum(s.has_evidence for s in journey.stages) / len(journey.stages))


def gap_filters(rows: list[GapRow]) -> dict[str, list[str]]:
    """Choices for the gap index's filter menus, from the values actually used."""
    return {
        "journey": sorted({r.journey.title for r in rows}, key=str.casefold),
        "severity": [s for s in model.SEVERITIES[::-1] if any(r.gap.severity == s
                                                              for r in rows)],
        "status": [s for s in model.ACTION_STATUSES
                   if any(a.status == s for r in rows for a in r.gap.actions)],
        "gap_status": [s for s in model.GAP_STATUSES if any(r.gap.status == s for r in rows)],
        "owner": sorted({a.owner for r in rows for a in r.gap.actions if a.owner},
                        key=str.casefold),
    }


def by_owner(entries: Iterable[tuple[str, str, int, T]]) -> list[tuple[str, list[T]]]:
    """(owner, due date or "", the stage's place, item) grouped by owner (A to Z, none
    last), each owner's by due date (undated last), then by place, else as given: who has
    to do what, and by when."""
    owners: dict[str, list[tuple[str, int, T]]] = {}
    for owner, due, position, item in entries:
        owners.setdefault(owner, []).append((due or "9999", position, item))
    return [(owner, [item for _, _, item in sorted(items, key=lambda entry: entry[:2])])
            for owner, items in sorted(owners.items(),
                                       key=lambda kv: (not kv[0], kv[0].casefold()))]


def actions_by_owner(rows: list[GapRow]) -> list[tuple[str, list[tuple[GapRow, model.Action]]]]:
    """Every action by owner (see by_owner), with its gap's row."""
    return by_owner((a.owner, a.due, row.position, (row, a))
                    for row in rows for a in row.gap.actions)
