"""What pages show of research insights: who cites each one (back-links), the insights
index's filters and rows, and each stage's research list. Built from the model once per
page; the evidence levels themselves are in cjmsite.content.evidence."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cjmsite import model, urls
from cjmsite.content.evidence import stage_evidence
from cjmsite.i18n import counted


@dataclass(frozen=True)
class Citation:
    """A place that cites an insight: what it is ("stage", "pain_points", "thoughts",
    "gap", "opportunity"), its text, where it sits, and its URL from the site root."""

    what: str
    text: str
    context: str
    href: str


def citations(site: model.Site) -> dict[str, list[Citation]]:
    """Insight id -> every stage, pain point, thought, gap and opportunity that cites it,
    in site order (a stage named in the insight's `stages` cites it too)."""
    out: dict[str, list[Citation]] = {}

    def add(ids: list[str], citation: Citation) -> None:
        for insight_id in dict.fromkeys(ids):
            if insight_id in site.insights:
                out.setdefault(insight_id, []).append(citation)

    for journey in site.journeys.values():
        page = f"journeys/{journey.slug}/index.html"
        for stage in journey.stages:
            here = f"{page}#stage-{stage.slug}"
            add(stage.insights, Citation("stage", stage.title, journey.title, here))
            for text, ids in zip(stage.pain_points, stage.pain_points_evidence, strict=False):
                add(ids, Citation("pain_points", text, f"{journey.title} › {stage.title}",
                                  here))
            if stage.thoughts:
                add(stage.thoughts_evidence, Citation("thoughts", stage.thoughts,
                                                      f"{journey.title} › {stage.title}", here))
            for gap in stage.gaps:
                add(gap.evidence, Citation("gap", gap.title, f"{journey.title} › {stage.title}",
                                           urls.gap(gap)))
    for opportunity in site.opportunities.values():
        add(opportunity.evidence, Citation("opportunity", opportunity.title, opportunity.owner,
                                           urls.opportunity(opportunity)))
    return out


def source_word(kind: str, t: Callable[[str], str]) -> str:
    """"entrevista", "support ticket": a kind of source as the site's language writes it."""
    return t(f"src_{kind}")


def insight_rows(site: model.Site) -> list[model.Insight]:
    """The insights index's rows: newest first, then by title."""
    rows = sorted(site.insights.values(), key=lambda i: i.title.casefold())
    return sorted(rows, key=lambda i: i.date, reverse=True)


def insight_filters(site: model.Site, t: Callable[[str], str]) -> dict[str, list[tuple[str, str]]]:
    """Choices (value, label) of the insights index's filter menus, from the values used."""
    insights = list(site.insights.values())
    journeys = {i.journey for i in insights if i.journey} | {
        ref.partition("/")[0] for i in insights for ref in i.stages}
    personas = {p for i in insights for p in i.personas}
    return {
        "source": [(k, source_word(k, t)) for k in model.INSIGHT_SOURCES
                   if any(i.kind == k for i in insights)],
        "journey": sorted(((j, site.journeys[j].title) for j in journeys if j in site.journeys),
                          key=lambda item: item[1].casefold()),
        "persona": sorted(((p, site.personas[p].name) for p in personas if p in site.personas),
                          key=lambda item: item[1].casefold()),
        "tag": [(tag, tag) for tag in sorted({tag for i in insights for tag in i.tags},
                                             key=str.casefold)],
    }


def insight_journeys(insight: model.Insight) -> list[str]:
    """The journeys an insight is about: its `journey` and those of its stages."""
    return list(dict.fromkeys([*([insight.journey] if insight.journey else []),
                               *(ref.partition("/")[0] for ref in insight.stages)]))


def strength(site: model.Site, stage: model.Stage, t: Callable[[str], str]) -> dict[str, Any]:
    """A stage's evidence in words, for the table twin and the stage card: its level and
    "Con evidencia · 3 fuentes · 2 tipos" (or "Medido · n = 220", "Supuesto")."""
    found = stage_evidence(site, stage)
    if found.level == "measured":
        words = t("measured") + (f" · n = {found.responses}" if found.responses else "")
        if found.n:
            words += f" · {counted(t, 'sources', found.n)}"
    elif found.level == "evidenced":
        words = (f"{t('evidenced')} · {counted(t, 'sources', found.n)} · "
                 f"{counted(t, 'kinds', found.kinds)}")
    else:
        words = t("assumed")
    return {"level": found.level, "words": words, "insights": found.insights,
            "kinds": found.kinds}
