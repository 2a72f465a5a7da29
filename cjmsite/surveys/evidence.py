"""What a page shows of the surveys that reach it: for a stage, a touchpoint, a persona or
a survey as a whole, each survey's figure (value, n, 95% interval), its monthly trend as
a chart with the same figures in a table, and the most recent comments.

Figures are written as each metric is read: NPS as a signed whole number, CSAT as a
whole percentage, CES and mean scores with one decimal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from cjmsite import model, urls
from cjmsite.figures import Figure, Verbatim
from cjmsite.mapsvg.svg import node, num, write
from cjmsite.mapsvg.trend import Series, trend_chart

VERBATIMS = 5
METRIC_NAMES = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}


def shown(metric: str, value: float) -> str:
    """A figure as written on pages: "+12", "−37", "82 %", "4.4"."""
    if metric == "nps":
        whole = round(value)
        return f"+{whole}" if whole > 0 else (f"−{-whole}" if whole < 0 else "0")
    if metric == "csat":
        return f"{round(value)} %"
    return f"{value:.1f}"


def interval(metric: str, ci: tuple[float, float] | None) -> str:
    if ci is None:
        return ""
    low, high = ci
    if metric in ("nps", "csat"):
        return f"{_minus(str(round(low)))} … {_minus(str(round(high)))}"
    return f"{_minus(f'{low:.1f}')} … {_minus(f'{high:.1f}')}"


def _minus(text: str) -> str:
    return text.replace("-", "−")


def metric_name(survey: model.Survey, t: Callable[[str], str]) -> str:
    return METRIC_NAMES.get(survey.metric) or t("mean_score")


def _range(survey: model.Survey) -> tuple[float, float, list[tuple[float, str]]]:
    """The chart's vertical range and its ruled values."""
    if survey.metric == "nps":
        return -100, 100, [(v, shown("nps", v)) for v in (100, 50, 0, -50, -100)]
    if survey.metric == "csat":
        return 0, 100, [(v, f"{v} %") for v in (100, 75, 50, 25, 0)]
    low, high = survey.scale
    step = max(1, (high - low) // 6)
    return low, high, [(v, str(v)) for v in range(high, low - 1, -step)]


def scope_evidence(site: model.Site, scope: str, id_: str, t: Callable[[str], str],
                   match: Callable[[Verbatim], bool]) -> list[dict[str, Any]]:
    """One entry per survey with figures for (scope, id): what the evidence macro shows.
    `match` picks this scope's comments."""
    return [entry for survey in site.surveys.values()
            if (entry := survey_entry(survey, scope, id_, t, match)) is not None]


def survey_entry(survey: model.Survey, scope: str, id_: str, t: Callable[[str], str],
                 match: Callable[[Verbatim], bool], verbatims: int = VERBATIMS
                 ) -> dict[str, Any] | None:
    """One survey's figure for (scope, id), or None when its rows do not reach it."""
    figure = survey.figure(scope, id_)
    if figure is None:
        return None
    return _entry(survey, figure, survey.trend(scope, id_), t,
                  [v for v in survey.results.verbatims if match(v)][:verbatims])


def _entry(survey: model.Survey, figure: Figure, trend: list[Figure],
           t: Callable[[str], str], verbatims: list[Verbatim]) -> dict[str, Any]:
    name = metric_name(survey, t)
    low, high, ticks = _range(survey)
    chart = trend_chart([f.period or "" for f in trend], [Series(name, [f.value for f in trend])],
                        low, high, ticks, f"{name} {t('per_month')} — {survey.title}",
                        lambda v: shown(survey.metric, v)) if len(trend) > 1 else ""
    target = survey.target
    meets = None if target is None else figure.value >= target
    return {"survey": survey, "name": name, "value": shown(survey.metric, figure.value),
            "n": figure.n, "ci": interval(survey.metric, figure.ci), "meets": meets,
            "target": "" if target is None else shown(survey.metric, target),
            "chart": Markup(chart),
            "months": [(f.period, shown(survey.metric, f.value), f.n,
                        interval(survey.metric, f.ci)) for f in reversed(trend)],
            "verbatims": verbatims}


def distribution(survey: model.Survey, t: Callable[[str], str]) -> dict[str, Any]:
    """How many responses gave each score: bars (SVG) and the same as table rows."""
    counts = survey.results.distribution
    total = sum(n for _, n in counts) or 1
    rows = [(_score(s), n, f"{100 * n / total:.1f} %") for s, n in counts]
    if not counts:
        return {"svg": Markup(""), "rows": rows}
    width, height, left, bottom = 44.0 * len(counts) + 60, 180.0, 40.0, 28.0
    top = max(n for _, n in counts)
    svg = node("svg", class_="cjm-bars", width=num(width), height=num(height),
               viewBox=f"0 0 {num(width)} {num(height)}", role="img")
    svg["aria-label"] = f"{t('distribution')} — {survey.title}: " + ", ".join(
        f"{score}: {n}" for score, n, _ in rows)
    plot = height - bottom - 20
    for index, (score, n, share) in enumerate(rows):
        x = left + 44 * index
        h = plot * n / top
        bar = svg.add(node("rect", class_="bar", x=num(x), y=num(height - bottom - h),
                           width="32", height=num(max(h, 1))))
        bar.add(node("title", f"{score}: {n} ({share})"))
        svg.add(node("text", str(n), class_="bar-n", x=num(x + 16),
                     y=num(height - bottom - h - 4)))
        svg.add(node("text", score, class_="bar-label", x=num(x + 16),
                     y=num(height - bottom + 16)))
    svg.add(node("line", class_="bar-base", x1=num(left - 6), x2=num(width - 10),
                 y1=num(height - bottom), y2=num(height - bottom)))
    return {"svg": Markup(write(svg)), "rows": rows}


def _score(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def stage_match(journey: model.Journey, stage: model.Stage) -> Callable[[Verbatim], bool]:
    return lambda v: v.journey == journey.id and v.stage == stage.id


def survey_tables(survey: model.Survey, site: model.Site) -> list[tuple[str, list[tuple]]]:
    """(scope, rows of (label, href from the site root, value, n, interval)) for the
    survey page's tables by stage, touchpoint and persona."""
    tables = []
    order = _site_order(site)
    for scope in ("stage", "touchpoint", "persona"):
        rows = []
        figures = [f for f in survey.results.figures if f.scope == scope and f.period is None]
        # As the journeys tell them: stages on the timeline, touchpoints and personas in
        # the order the journeys list them; anything else after, by id.
        figures.sort(key=lambda f: (order[scope].get(f.id, len(order[scope])), f.id))
        for figure in figures:
            label, href = _where(site, scope, figure.id)
            rows.append((label, href, shown(survey.metric, figure.value), figure.n,
                         interval(survey.metric, figure.ci)))
        if rows:
            tables.append((scope, rows))
    return tables


def _site_order(site: model.Site) -> dict[str, dict[str, int]]:
    """scope -> id -> place: stages in journey and timeline order, touchpoints in the
    order the journeys' stages list them, personas in the order journeys name them."""
    stages = [f"{j.id}/{s.id}" for j in site.journeys.values() for s in j.stages]
    points = [p for j in site.journeys.values() for s in j.stages for p in s.touchpoints]
    people = [*(p for j in site.journeys.values() for p in j.personas), *site.personas]
    return {scope: {id_: place for place, id_ in enumerate(dict.fromkeys(ids))}
            for scope, ids in (("stage", stages), ("touchpoint", points),
                               ("persona", people))}


def _where(site: model.Site, scope: str, id_: str) -> tuple[str, str]:
    if scope == "stage":
        journey_id, _, stage_id = id_.partition("/")
        journey = site.journeys.get(journey_id)
        stage = next((s for s in journey.stages if s.id == stage_id), None) if journey else None
        if journey and stage:
            return f"{journey.title} · {stage.title}", urls.stage(journey, stage)
    if scope == "touchpoint" and id_ in site.touchpoints:
        point = site.touchpoints[id_]
        return point.title, urls.touchpoint(point)
    if scope == "persona" and id_ in site.personas:
        persona = site.personas[id_]
        return persona.name, urls.persona(persona)
    return id_, ""
