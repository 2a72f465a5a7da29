"""Rules about research evidence (evidence-format.md): CJM303 evidence older than
`[governance] evidence_max_age`, CJM304 a pain point that cites no evidence."""

from __future__ import annotations

from collections.abc import Iterator

from cjmsite.content.evidence import aged
from cjmsite.lint.core import Context, Finding


def evidence_too_old(ctx: Context) -> Iterator[Finding]:
    """Each insight gathered more than evidence_max_age days before today, with what
    cites it: aged evidence counts as absent for the attention page."""
    limit = ctx.evidence_max_age
    cited: dict[str, int] = {}
    for journey in ctx.site.journeys.values():
        for stage in journey.stages:
            for insight_id in stage.insights:
                cited[insight_id] = cited.get(insight_id, 0) + 1
    for insight in ctx.site.insights.values():
        if aged(insight, ctx.today, limit):
            stages = cited.get(insight.id, 0)
            behind = f"; {stages} stage{'s' if stages != 1 else ''} rest on it" if stages else ""
            yield Finding("CJM303", insight.source,
                          f"insight '{insight.title}' was gathered on {insight.date}, more "
                          f"than {limit} days ago{behind}", ("date",), insight.journey,
                          insight.id)


def pain_point_without_evidence(ctx: Context) -> Iterator[Finding]:
    """A pain point is backed when it cites insights itself or its stage has any."""
    for journey in ctx.site.journeys.values():
        for stage in journey.stages:
            for index, text in enumerate(stage.pain_points):
                own = stage.pain_points_evidence[index] \
                    if index < len(stage.pain_points_evidence) else []
                if own or stage.insights:
                    continue
                yield Finding("CJM304", stage.source,
                              f"pain point '{text}' of stage '{stage.title}' cites no "
                              "evidence", ("pain_points", index), journey.id, stage.id)
