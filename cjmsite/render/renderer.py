"""Model -> output files, one job at a time: a job is a page (or a few files) and its bytes.

What each job is comes from the page-kind table (cjmsite.site.pagekinds); this module
supplies what those entries ask for: templates, the map, pieces, exports, assets. Jobs are
independent, so they can run in forked workers and be skipped when their inputs did not
change (see cjmsite.incremental.fingerprint)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import quote, urlsplit

import jinja2

from cjmsite import images, model, safefs
from cjmsite.config import Project
from cjmsite.i18n import translator
from cjmsite.mapsvg.draw import DrawnMap, draw_map, standalone_svg
from cjmsite.mapsvg.svg import node, num, write
from cjmsite.render.exports import metric_records, metrics_csv, metrics_json
from cjmsite.render.pieces import FragmentCache, Pieces
from cjmsite.render.theme import environment, read_asset, static_files
from cjmsite.site import pagekinds
from cjmsite.site.index import SiteView
from cjmsite.site.pagekinds import KINDS, Job, Page
from cjmsite.urls import folder

Output = tuple[str, bytes]


class SiteRenderer:
    def __init__(self, project: Project, site: model.Site, env: jinja2.Environment | None = None,
                 fragments: FragmentCache | None = None,
                 journey_key: Callable[[str], str] | None = None,
                 view: SiteView | None = None):
        """`fragments` and `journey_key` let whole-site pages reuse unchanged journeys'
        pieces; `env` lets a long-running process keep its compiled templates."""
        self.project, self.site = project, site
        self.language = project.config.language
        self.t = view.t if view else translator(self.language, project.config.labels)
        self.env = env or environment(project)
        self.view = view or SiteView(site, self.t, self.language,
                                     review_every=project.config.review_every)
        self.pieces = Pieces(self, fragments, journey_key)
        self.env.globals["has_surveys"] = bool(site.surveys)  # the menu links them
        self.env.globals["has_insights"] = bool(site.insights)
        self._map: tuple[str, DrawnMap | None] = ("", None)  # page and file share it

    def jobs(self) -> list[Job]:
        return pagekinds.jobs(self.view)

    def run(self, job: Job) -> list[Output]:
        kind, id_ = KINDS[job[0]], job[1]
        outputs: list[Output] = []
        if kind.template:
            page = Page(kind.path(self.view, id_), kind.template, kind.context(self, id_))
            if kind.any_url and self.project.config.base_url:
                # Web servers send 404.html for missing URLs at any depth: relative links
                # would break.
                base = urlsplit(self.project.config.base_url).path.rstrip("/") + "/"
                page = replace(page, base=base)
            html = self.env.get_template(page.template).render(page=page, root=page.root,
                                                               **page.context)
            outputs.append((page.path, html.encode("utf-8")))
        outputs.extend(kind.files(self, id_))
        return outputs

    # -- what page kinds ask for ------------------------------------------------------------
    def drawn_map(self, journey_id: str) -> DrawnMap:
        if self._map[0] != journey_id or self._map[1] is None:
            journey = self.site.journeys[journey_id]
            self._map = (journey_id, draw_map(journey, self.site, self.language, self.t,
                                              closed_gaps=self.project.config.closed_gaps))
        return self._map[1]

    def map_svg(self, journey_id: str) -> str:
        return self.drawn_map(journey_id).svg

    def map_file(self, journey_id: str) -> bytes:
        """map.svg: the map under a title block (a slide must say whose map it is)."""
        return standalone_svg(self.drawn_map(journey_id), self._head(journey_id)).encode("utf-8")

    def map_frame(self, journey_id: str) -> str:
        """map.svg's title block around an empty slot the map's size: the page's "Download
        PNG" puts the map it shows (light or dark) in the slot and draws the PNG."""
        drawn = self.drawn_map(journey_id)
        width, height = drawn.width, drawn.height
        slot = f'<svg class="cjm-map-slot" height="{num(height)}" width="{num(width)}"></svg>'
        frame = standalone_svg(DrawnMap(slot, width, height), self._head(journey_id))
        return frame[frame.index("<svg"):]

    def _head(self, journey_id: str) -> tuple[str, ...]:
        journey, t = self.site.journeys[journey_id], self.t
        people = ", ".join(self.site.personas[p].name if p in self.site.personas else p
                           for p in journey.personas)
        stamp = self.view.updated(journey)
        facts = [t(journey.status)] + ([f"{t('last_updated')}: {stamp.date}"]
                                       if stamp and stamp.date else [])
        return (journey.title, f"{t('persona')}: {people}",
                f"{t('objective')}: {journey.objective}", " · ".join(facts))

    def image(self, persona: model.Persona) -> bytes:
        """The persona's picture as published: checked again (it may have changed since
        it was loaded), an SVG sanitised."""
        data = safefs.read(persona.image_source, self.project.root, safefs.MAX_ASSET_BYTES)
        return images.published(data, persona.image_kind)

    def assets(self) -> list[Output]:
        return [(f"assets/{name}", read_asset(self.project, path))
                for name, path in static_files(self.project)]

    def exports(self) -> list[Output]:
        outputs = [("gaps.csv", self.pieces.gaps_csv()), ("gaps.json", self.pieces.gaps_json()),
                   ("gaps.xlsx", self.pieces.gaps_xlsx())]
        if self.site.surveys or self.site.insights:
            records = metric_records(self.site)
            outputs += [("metrics.csv", metrics_csv(records)),
                        ("metrics.json", metrics_json(records))]
        if self.project.config.base_url:
            outputs.append(("sitemap.xml", _sitemap(self.project, self.view).encode("utf-8")))
        return outputs


def _sitemap(project: Project, view: SiteView) -> str:
    """Every page's URL (the page table's, as folders), percent-encoded as sitemaps
    require (base_url may hold "ñ")."""
    base = quote(project.config.base_url.rstrip("/") + "/", safe=":/?#[]@!$&'()*+,;=%~")
    urls = []
    for path in pagekinds.pages(view):
        url = node("url")
        url.add(node("loc", base + quote(folder(path))))
        urls.append(f"  {write(url)}\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{''.join(urls)}</urlset>\n")
