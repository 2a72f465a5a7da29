"""Rules about journeys, stages and the site (CJM2xx governance, CJM3xx evidence and
measures, CJM4xx the catalogue)."""

from __future__ import annotations

from collections.abc import Iterator

from cjmsite.lint.core import Context, Finding


def journey_without_owner(ctx: Context) -> Iterator[Finding]:
    for journey in ctx.site.journeys.values():
        if not journey.owner:
            yield Finding("CJM201", journey.source, f"journey '{journey.title}' has no owner",
                          (), journey.id, journey.id)


def review_due(ctx: Context) -> Iterator[Finding]:
    today = ctx.today.isoformat()
    for journey in ctx.site.journeys.values():
        due = journey.next_review(ctx.review_every)
        if not journey.reviewed:
            message = f"journey '{journey.title}' was never reviewed"
        elif due and due < today:
            message = (f"journey '{journey.title}' was due for review on {due} (reviewed "
                       f"{journey.reviewed})")
        else:
            continue
        yield Finding("CJM202", journey.source, message,
                      ("reviewed",) if journey.reviewed else (), journey.id, journey.id)


def stage_without_evidence(ctx: Context) -> Iterator[Finding]:
    for journey in ctx.site.journeys.values():
        for stage in journey.stages:
            if not stage.has_evidence:
                yield Finding("CJM301", stage.source,
                              f"stage '{stage.title}' has no evidence: no survey rows, metric "
                              "or cited insight", (), journey.id, stage.id)


def metric_off_target(ctx: Context) -> Iterator[Finding]:
    for journey in ctx.site.journeys.values():
        for stage in journey.stages:
            if any(gap.is_open for gap in stage.gaps):
                continue
            for metric in stage.metrics:
                if metric.meets_target is False:
                    yield Finding("CJM302", stage.source,
                                  f"metric '{metric.name}' is off target ({metric.value:g} vs "
                                  f"{metric.target:g}) and stage '{stage.title}' has no open "
                                  "gap", metric.at, journey.id, stage.id)


def unused(ctx: Context) -> Iterator[Finding]:
    site = ctx.site
    used = {point for journey in site.journeys.values() for stage in journey.stages
            for point in (*stage.touchpoints, *(g.touchpoint for g in stage.gaps))}
    for point in site.touchpoints.values():
        if point.id not in used:
            yield Finding("CJM401", point.source, f"touchpoint '{point.title}' is used by no "
                                                  "journey", (), "", point.id)
    cast = {p for journey in site.journeys.values() for p in journey.personas}
    for persona in site.personas.values():
        if persona.id not in cast:
            yield Finding("CJM401", persona.source, f"persona '{persona.name}' is in no journey",
                          (), "", persona.id)
