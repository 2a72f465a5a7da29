"""Model -> every output file as (relative path, bytes); writing is someone else's job."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from cjmsite import exports, model
from cjmsite.config import Project
from cjmsite.i18n import translator
from cjmsite.mapsvg.journey_map import render_map, standalone_svg
from cjmsite.pages import build_pages, gap_rows
from cjmsite.theme import environment, static_files

Output = tuple[str, bytes | Path]  # bytes to write, or a file to copy


def render_site(project: Project, site: model.Site) -> Iterator[Output]:
    language = project.config.language
    t = translator(language)
    env = environment(project)
    maps = {j.id: render_map(j, site, language, t) for j in site.journeys.values()}
    for page in build_pages(site, language, t, maps):
        template = env.get_template(page.template)
        html = template.render(page=page, root=page.root, **page.context)
        yield page.path, html.encode("utf-8")
    for journey in site.journeys.values():
        svg = standalone_svg(maps[journey.id])
        yield f"journeys/{journey.slug}/map.svg", svg.encode("utf-8")
    for persona in site.personas.values():
        if persona.image_source:
            yield f"personas/{persona.slug}/{persona.image}", Path(persona.image_source)
    rows = gap_rows(site)
    yield "gaps.csv", exports.gaps_csv(rows).encode("utf-8")
    yield "gaps.json", exports.gaps_json(rows).encode("utf-8")
    for name, path in static_files(project):
        yield f"assets/{name}", path
    if project.config.base_url:
        yield "sitemap.xml", _sitemap(project, site).encode("utf-8")


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
