"""Where each page of the site is, in one place: the page table (site/pagekinds.py) puts
pages at these paths, and every link made in Python (exports, search, maps, evidence,
the attention page, the sitemap) asks here. Paths are relative to the site root."""

from __future__ import annotations

from cjmsite import model


def listing(name: str) -> str:
    """A whole-site list page: "" for the home page, else "journeys", "gaps"..."""
    return f"{name}/index.html" if name else "index.html"


def journey(item: model.Journey) -> str:
    return f"journeys/{item.slug}/index.html"


def journey_map(item: model.Journey) -> str:
    return f"journeys/{item.slug}/map.svg"


def history(item: model.Journey) -> str:
    return f"journeys/{item.slug}/history/index.html"


def stage(item: model.Journey, step: model.Stage) -> str:
    return f"{journey(item)}#stage-{step.slug}"


def gap(item: model.Gap) -> str:
    return f"{listing('gaps')}#{item.anchor}"


def persona(item: model.Persona) -> str:
    return f"personas/{item.slug}/index.html"


def touchpoint(item: model.Touchpoint) -> str:
    return f"touchpoints/{item.slug}/index.html"


def survey(item: model.Survey) -> str:
    return f"surveys/{item.slug}/index.html"


def folder(path: str) -> str:
    """A page's URL as a folder ("journeys/x/"), for the sitemap: index.html left out."""
    return path[:-len("index.html")] if path.endswith("index.html") else path


def insight(item: model.Insight) -> str:
    return f"insights/{item.slug}/index.html"
