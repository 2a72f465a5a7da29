"""Every kind of page (and file) the site has, declared once.

A build is a list of jobs, one per (kind, id). Each kind says which ids it has, where its
page goes, which template shows it with what context, which other files the job writes,
and which source files it depends on (for incremental builds). The renderer, the
fingerprints and the build read this table and nothing else: adding a page kind is one
entry here plus its template.

`context`, `files` and `inputs` (in cjmsite.site.inputs) receive the renderer (its view, its
pieces, its project)
or the fingerprints; they are called by those layers, so nothing here imports them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from cjmsite import urls
from cjmsite.content.evidence import has_evidence
from cjmsite.history.page import history_context
from cjmsite.mapsvg.blocks import Context
from cjmsite.mapsvg.lanes import TABLE_LANES
from cjmsite.model import OPPORTUNITY_STATUSES, SETTLED
from cjmsite.site import attention
from cjmsite.site.index import (
    HOME_OPEN_GAPS,
    SEVERITY_RANK,
    SiteView,
    actions_by_owner,
    as_of,
    gap_counts,
    gap_filters,
)
from cjmsite.site.inputs import (
    history_inputs,
    insight_inputs,
    journey_inputs,
    no_inputs,
    opportunity_inputs,
    persona_inputs,
    rollup_of,
    shard_inputs,
    survey_inputs,
    touchpoint_inputs,
)
from cjmsite.site.insights import (
    citations,
    insight_filters,
    insight_journeys,
    insight_rows,
    source_word,
    strength,
)
from cjmsite.site.portfolio import (
    journey_rollups,
    matrix,
    opportunity_rows,
    portfolio_filters,
    quadrant,
)
from cjmsite.surveys.evidence import (
    distribution,
    scope_evidence,
    stage_match,
    survey_entry,
    survey_tables,
)

Files = list[tuple[str, bytes]]
Job = tuple[str, str]  # (kind, id): ("journey", "onboarding"), ("home", "")


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


def _single(view: SiteView) -> Iterable[str]:
    return ("",)


def _nothing(renderer: Any, id_: str) -> Files:
    return []


@dataclass(frozen=True)
class PageKind:
    """`inputs(keys, view, id)`: the strings whose change means the job must run again
    (file digests via `keys.file(rel)`); None means every source file. `whole_site`
    jobs are joined from per-journey pieces, or share a site-wide index with such a job
    (attention, with home), and render in the main process, which keeps both.
    `any_url`: the page is served at any URL (404), so its links are absolute under
    base_url when one is set. `listed`: its pages are in the sitemap."""

    name: str
    template: str = ""  # "" for jobs that only write files
    path: Callable[[SiteView, str], str] = lambda view, id_: ""
    context: Callable[[Any, str], dict[str, Any]] = lambda renderer, id_: {}
    files: Callable[[Any, str], Files] = _nothing
    ids: Callable[[SiteView], Iterable[str]] = _single
    inputs: Callable[[Any, SiteView, str], list[str]] | None = None
    whole_site: bool = False
    any_url: bool = False
    listed: bool = True  # in the sitemap (pages only: kinds with a template)


# -- contexts -----------------------------------------------------------------------

def _home(r: Any, id_: str) -> dict[str, Any]:
    view = r.view
    open_rows = sorted((row for row in view.rows if row.is_open),
                       key=lambda row: SEVERITY_RANK[row.gap.severity])
    fixed, dates = attention.totals(view.attention)
    return {"journeys": view.summaries(), "personas": view.personas,
            "touchpoints": view.touchpoints, "open_gaps": open_rows[:HOME_OPEN_GAPS],
            "open_total": len(open_rows), "gap_total": len(view.rows), "section": "home",
            "closed_total": len(view.rows) - len(open_rows),
            "attention_fixed": fixed, "attention_dates": dates,
            "journey_rows": r.pieces.journey_rows(""),
            "open_items": r.pieces.open_items("", HOME_OPEN_GAPS),
            "rollups": journey_rollups(view.site),
            "opportunity_total": len(view.site.opportunities)}


def _journey(r: Any, id_: str) -> dict[str, Any]:
    view, site = r.view, r.view.site
    summary = view.summary(site.journeys[id_])
    tree = view.tree  # built once per build (SiteView.index_all), not once a page
    lanes = Context(site, view.language, view.t, "../../", r.project.config.closed_gaps)
    return {**summary, "section": "journeys", "map_svg": r.map_svg(id_),
            "ancestors": tree.ancestors(id_),
            "ancestor_crumbs": [(a.title, urls.journey(a))
                                for a in tree.ancestors(id_)],
            "sub_journeys": [(j, rollup_of(site, tree, j.id)) for j in tree.kids(id_)],
            "detailed_by": {s.id: site.journeys[s.detail]
                            for s in site.journeys[id_].stages if s.detail in site.journeys},
            "map_frame": r.map_frame(id_),
            "stage_counts": {s.id: gap_counts(s.gaps) for s in site.journeys[id_].stages},
            "updated": view.updated(site.journeys[id_]),
            "has_history": id_ in view.histories,
            "site_touchpoints": site.touchpoints, "table_lanes": TABLE_LANES,
            "lane_context": lanes,
            # The map-as-table's cells, per stage in lane order (a call per cell from the
            # template cost a third of the page).
            "table_cells": {s.id: [lane.table(s, lanes) for lane in TABLE_LANES]
                            for s in site.journeys[id_].stages},
            "strength": {s.id: strength(site, s, view.t) for s in site.journeys[id_].stages},
            "show_strength": has_evidence(site, site.journeys[id_]),
            "insights_by_id": site.insights,
            "source_word": lambda kind: source_word(kind, view.t),
            "max_age": r.project.config.evidence_max_age,
            "feelings": view.feelings,
            "survey_kinds": {s.id: s.metric for s in site.surveys.values()},
            "stage_evidence": {s.id: scope_evidence(site, "stage", f"{id_}/{s.id}", view.t,
                                                    stage_match(site.journeys[id_], s))
                               for s in site.journeys[id_].stages} if site.surveys else {}}


def _portfolio(r: Any, id_: str) -> dict[str, Any]:
    view = r.view
    rows = opportunity_rows(view.site)
    return {"rows": rows, "section": "portfolio", "filters": portfolio_filters(rows),
            "scored": [row for row in rows if row.opportunity.scored],
            "unscored": [row for row in rows if not row.opportunity.scored],
            "matrix": matrix(rows, view.t, "../") if any(
                row.opportunity.scored for row in rows) else "",
            "quadrant": quadrant, "rollups": journey_rollups(view.site),
            "statuses": list(OPPORTUNITY_STATUSES)}


def _opportunity(r: Any, id_: str) -> dict[str, Any]:
    view = r.view
    row = next(row for row in opportunity_rows(view.site) if row.opportunity.id == id_)
    opportunity = row.opportunity
    return {"row": row, "opportunity": opportunity, "section": "portfolio",
            "updated": view.updated(opportunity), "insights": view.site.insights,
            "quadrant": quadrant(opportunity) if opportunity.scored else ""}


def _insight(r: Any, id_: str) -> dict[str, Any]:
    view = r.view
    insight = view.site.insights[id_]
    return {"insight": insight, "section": "insights", "updated": view.updated(insight),
            "site": view.site,
            "cited_by": citations(view.site).get(id_, []),
            "source_word": lambda kind: source_word(kind, view.t),
            "journeys": [view.site.journeys[j] for j in insight_journeys(insight)
                         if j in view.site.journeys],
            "stage_titles": {f"{j.id}/{s.id}": (j, s) for j in view.site.journeys.values()
                             for s in j.stages},
            "max_age": r.project.config.evidence_max_age}


def _insights_page(r: Any, id_: str) -> dict[str, Any]:
    view = r.view
    return {"insights": insight_rows(view.site), "section": "insights", "site": view.site,
            "filters": insight_filters(view.site, view.t),
            "source_word": lambda kind: source_word(kind, view.t),
            "journeys_of": {i.id: insight_journeys(i) for i in view.site.insights.values()},
            "cited": {k: len(v) for k, v in citations(view.site).items()},
            "max_age": r.project.config.evidence_max_age}


def _history(r: Any, id_: str) -> dict[str, Any]:
    view = r.view
    return history_context(view.site, view.site.journeys[id_], view.histories[id_], view.t,
                           r.project.config.history_depth)


def _survey(r: Any, id_: str) -> dict[str, Any]:
    view = r.view
    survey = view.site.surveys[id_]
    return {"survey": survey, "section": "surveys", "updated": view.updated(survey),
            "evidence": [e for e in [survey_entry(survey, "survey", "", view.t,
                                                  lambda v: True, 12)] if e],
            "tables": survey_tables(survey, view.site),
            "distribution": distribution(survey, view.t)}


def _shard_path(name: str) -> str:
    return f"search/{name}.js"


def _persona_image(r: Any, id_: str) -> Files:
    persona = r.view.site.personas[id_]
    if not persona.image_source:
        return []
    return [(f"personas/{persona.slug}/{persona.image_file}", r.image(persona))]


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("home", "home.html", lambda v, i: urls.listing(""), _home, whole_site=True),
    PageKind("journeys", "journeys.html", lambda v, i: urls.listing("journeys"),
             lambda r, i: {"journeys": r.view.summaries(), "section": "journeys",
                           "journey_rows": r.pieces.journey_rows("../")},
             whole_site=True),
    PageKind("personas", "personas.html", lambda v, i: urls.listing("personas"),
             lambda r, i: {"personas": r.view.personas, "section": "personas"}),
    PageKind("touchpoints", "touchpoints.html", lambda v, i: urls.listing("touchpoints"),
             lambda r, i: {"touchpoints": r.view.touchpoints, "section": "touchpoints",
                           "use_counts": {p.id: len(r.view.uses.get(p.id, []))
                                          for p in r.view.touchpoints}}),
    PageKind("gaps", "gaps.html", lambda v, i: urls.listing("gaps"),
             lambda r, i: {"rows": r.view.rows, "section": "gaps",
                           "filters": gap_filters(r.view.rows), "settled": SETTLED,
                           "touchpoints": r.view.site.touchpoints,
                           "row_html": r.pieces.gap_rows("../"),
                           "owners": actions_by_owner(r.view.rows),
                           "owner_rows": r.pieces.owner_rows()},
             whole_site=True),
    PageKind("attention", "attention.html", lambda v, i: urls.listing("attention"),
             lambda r, i: {"groups": r.view.attention, "section": "attention"},
             whole_site=True),
    PageKind("portfolio", "portfolio.html", lambda v, i: urls.listing("portfolio"),
             _portfolio),
    PageKind("surveys", "surveys.html", lambda v, i: urls.listing("surveys"),
             lambda r, i: {"surveys": list(r.view.site.surveys.values()),
                           "section": "surveys", "figures": {
                               s.id: survey_entry(s, "survey", "", r.view.t, lambda v: False)
                               for s in r.view.site.surveys.values()}},
             ids=lambda view: ("",) if view.site.surveys else ()),
    PageKind("insights", "insights.html", lambda v, i: urls.listing("insights"), _insights_page,
             ids=lambda view: ("",) if view.site.insights else (), inputs=insight_inputs),
    PageKind("404", "404.html", lambda v, i: "404.html", lambda r, i: {"section": ""},
             inputs=no_inputs, any_url=True, listed=False),
    PageKind("journey", "journey.html",
             lambda v, i: urls.journey(v.site.journeys[i]), _journey,
             lambda r, i: [(urls.journey_map(r.view.site.journeys[i]), r.map_file(i))],
             ids=lambda view: view.site.journeys, inputs=journey_inputs),
    PageKind("history", "history.html",
             lambda v, i: urls.history(v.site.journeys[i]), _history,
             ids=lambda view: view.histories, inputs=history_inputs),
    PageKind("persona", "persona.html",
             lambda v, i: urls.persona(v.site.personas[i]),
             lambda r, i: {"persona": r.view.site.personas[i], "section": "personas",
                           "updated": r.view.updated(r.view.site.personas[i]),
                           "evidence": scope_evidence(r.view.site, "persona", i, r.view.t,
                                                      lambda v: v.persona == i),
                           "journeys": [r.view.summary(j) for j in r.view.journeys_of.get(i, [])],
                           "marks": r.view.marks(i)},
             _persona_image, ids=lambda view: view.site.personas, inputs=persona_inputs),
    PageKind("touchpoint", "touchpoint.html",
             lambda v, i: urls.touchpoint(v.site.touchpoints[i]),
             lambda r, i: {"touchpoint": r.view.site.touchpoints[i], "section": "touchpoints",
                           "updated": r.view.updated(r.view.site.touchpoints[i]),
                           "evidence": scope_evidence(r.view.site, "touchpoint", i, r.view.t,
                                                      lambda v: v.touchpoint == i),
                           "uses": r.view.uses.get(i, []), "gaps": r.view.gaps_at.get(i, []),
                           "nearby": r.view.nearby_gaps(i), "feelings": r.view.feelings,
                           "site_touchpoints": r.view.site.touchpoints,
                           "counts": gap_counts(row.gap for row in r.view.gaps_at.get(i, []))},
             ids=lambda view: view.site.touchpoints, inputs=touchpoint_inputs),
    PageKind("survey", "survey.html",
             lambda v, i: urls.survey(v.site.surveys[i]), _survey,
             ids=lambda view: view.site.surveys, inputs=survey_inputs),
    PageKind("opportunity", "opportunity.html",
             lambda v, i: urls.opportunity(v.site.opportunities[i]),
             _opportunity, ids=lambda view: view.site.opportunities,
             inputs=opportunity_inputs),
    PageKind("insight", "insight.html",
             lambda v, i: urls.insight(v.site.insights[i]), _insight,
             ids=lambda view: view.site.insights, inputs=insight_inputs),
    # Exports say which actions are overdue as of the build's day: the day is an input;
    # the sitemap lists every page (history pages come with commits, not files).
    PageKind("exports", files=lambda r, i: r.exports(), whole_site=True,
             inputs=lambda keys, view, i: [keys.all_files, as_of(), *pages(view)]),
    PageKind("search", files=lambda r, i: [("search_index.js", r.pieces.search_manifest(
        [_shard_path(name) for name in r.view.search_shards]))],
             inputs=lambda keys, view, i: [*view.search_shards]),
    PageKind("search-shard",
             files=lambda r, i: [(_shard_path(i), r.pieces.search_shard(i))],
             ids=lambda view: view.search_shards, inputs=shard_inputs, whole_site=True),
    PageKind("assets", files=lambda r, i: r.assets(), inputs=no_inputs),
)
KINDS = {kind.name: kind for kind in PAGE_KINDS}


def jobs(view: SiteView) -> list[Job]:
    """Every job, in a fixed order: kinds as declared, ids in the site's order."""
    return [(kind.name, id_) for kind in PAGE_KINDS for id_ in kind.ids(view)]


def pages(view: SiteView) -> list[str]:
    """The path of every listed page (see PageKind.listed), in job order: the sitemap."""
    return [KINDS[kind].path(view, id_) for kind, id_ in jobs(view)
            if KINDS[kind].template and KINDS[kind].listed]
