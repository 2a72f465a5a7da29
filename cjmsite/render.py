"""Model -> output files, one job at a time: a job is a page (or a few files) and its bytes.

Jobs are independent, so they can run in forked workers and be skipped when their inputs
did not change (see cjmsite.fingerprint)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from cjmsite import model, safefs
from cjmsite.config import Project
from cjmsite.fragments import FragmentCache, Pieces
from cjmsite.i18n import translator
from cjmsite.mapsvg.draw import render_map, standalone_svg
from cjmsite.pages import HOME_OPEN_GAPS, SiteView
from cjmsite.theme import environment, read_asset, static_files

Job = tuple[str, str]  # (kind, id): ("journey", "onboarding"), ("home", ""), ...
Output = tuple[str, bytes]
EXTRA_JOBS: tuple[Job, ...] = (("exports", ""), ("search", ""), ("assets", ""))


class SiteRenderer:
    def __init__(self, project: Project, site: model.Site, env: jinja2.Environment | None = None,
                 fragments: FragmentCache | None = None,
                 journey_key: Callable[[str], str] | None = None):
        """`fragments` and `journey_key` let whole-site pages reuse unchanged journeys'
        pieces; `env` lets a long-running process keep its compiled templates."""
        self.project, self.site = project, site
        self.language = project.config.language
        self.t = translator(self.language)
        self.env = env or environment(project)
        self.view = SiteView(site, self.t, self.language)
        self.pieces = Pieces(self, fragments, journey_key)

    def jobs(self) -> list[Job]:
        return [*self.view.page_ids(), *EXTRA_JOBS]

    def run(self, job: Job) -> list[Output]:
        kind, id_ = job
        if kind == "exports":
            return self._exports()
        if kind == "search":
            return [("search_index.js", self.pieces.search_index())]
        if kind == "assets":
            return [(f"assets/{name}", read_asset(self.project, path))
                    for name, path in static_files(self.project)]
        outputs: list[Output] = []
        map_svg = ""
        if kind == "journey":
            journey = self.site.journeys[id_]
            map_svg = render_map(journey, self.site, self.language, self.t)
            outputs.append((f"journeys/{journey.slug}/map.svg",
                            standalone_svg(map_svg).encode("utf-8")))
        if kind == "persona":
            persona = self.site.personas[id_]
            if persona.image_source:
                outputs.append((f"personas/{persona.slug}/{persona.image}", safefs.read(
                    persona.image_source, self.project.root, safefs.MAX_ASSET_BYTES)))
        page = self.view.page(kind, id_, map_svg)
        if kind in ("home", "journeys", "gaps"):
            page = replace(page, context={**page.context, **self._pieces(kind, page.root)})
        if kind == "404" and self.project.config.base_url:
            # Web servers send 404.html for missing URLs at any depth: relative links break.
            base = urlsplit(self.project.config.base_url).path.rstrip("/") + "/"
            page = replace(page, base=base)
        html = self.env.get_template(page.template).render(page=page, root=page.root,
                                                           **page.context)
        outputs.insert(0, (page.path, html.encode("utf-8")))
        return outputs

    def _pieces(self, kind: str, root: str) -> dict[str, list[Markup]]:
        if kind == "gaps":
            return {"row_html": self.pieces.gap_rows(root)}
        rows = {"journey_rows": self.pieces.journey_rows(root)}
        if kind == "home":
            return {**rows, "open_items": self.pieces.open_items(root, HOME_OPEN_GAPS)}
        return rows

    def _exports(self) -> list[Output]:
        outputs = [("gaps.csv", self.pieces.gaps_csv()), ("gaps.json", self.pieces.gaps_json())]
        if self.project.config.base_url:
            outputs.append(("sitemap.xml", _sitemap(self.project, self.site).encode("utf-8")))
        return outputs


def _sitemap(project: Project, site: model.Site) -> str:
    base = project.config.base_url.rstrip("/") + "/"
    paths = ["", "journeys/", "personas/", "touchpoints/", "gaps/"]
    paths += [f"journeys/{j.slug}/" for j in site.journeys.values()]
    paths += [f"personas/{p.slug}/" for p in site.personas.values()]
    paths += [f"touchpoints/{p.slug}/" for p in site.touchpoints.values()]
    urls = "".join(f"  <url><loc>{_xml(base + p)}</loc></url>\n" for p in paths)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{urls}</urlset>\n")


def _xml(text: str) -> str:
    return json.dumps(text)[1:-1].replace("&", "&amp;").replace("<", "&lt;")
