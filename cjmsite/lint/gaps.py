"""Rules about gaps and their actions (CJM1xx): is every gap someone's, on a date, and
closed when it is closed?"""

from __future__ import annotations

from collections.abc import Iterator

from cjmsite import model
from cjmsite.lint.core import Context, Finding


def _gaps(ctx: Context) -> Iterator[tuple[model.Journey, model.Stage, model.Gap]]:
    for journey in ctx.site.journeys.values():
        for stage in journey.stages:
            for gap in stage.gaps:
                yield journey, stage, gap


def _actions(ctx: Context) -> Iterator[tuple[model.Journey, model.Stage, model.Gap,
                                             model.Action]]:
    for journey, stage, gap in _gaps(ctx):
        for action in gap.actions:
            yield journey, stage, gap, action


def _gap(code: str, journey: model.Journey, stage: model.Stage, gap: model.Gap,
         message: str) -> Finding:
    return Finding(code, stage.source, message, gap.at, journey.id, gap.id)


def _action(code: str, journey: model.Journey, stage: model.Stage, gap: model.Gap,
            action: model.Action, message: str) -> Finding:
    return Finding(code, stage.source, message, action.at, journey.id, gap.id)


def gap_without_action(ctx: Context) -> Iterator[Finding]:
    for journey, stage, gap in _gaps(ctx):
        if gap.is_open and gap.severity in ("high", "medium") and not any(
                a.status != "dropped" for a in gap.actions):
            yield _gap("CJM101", journey, stage, gap,
                       f"{gap.severity} gap '{gap.title}' is open and has no action")


def action_without_owner(ctx: Context) -> Iterator[Finding]:
    for journey, stage, gap, action in _actions(ctx):
        if action.status in model.ACTIVE_ACTIONS and not action.owner:
            yield _action("CJM102", journey, stage, gap, action,
                          f"{action.status} action '{action.title}' has no owner")


def action_without_due(ctx: Context) -> Iterator[Finding]:
    for journey, stage, gap, action in _actions(ctx):
        if action.status in model.ACTIVE_ACTIONS and not action.due:
            yield _action("CJM103", journey, stage, gap, action,
                          f"{action.status} action '{action.title}' has no due date")


def action_overdue(ctx: Context) -> Iterator[Finding]:
    today = ctx.today.isoformat()
    for journey, stage, gap, action in _actions(ctx):
        if action.active and action.due and action.due < today:
            yield _action("CJM104", journey, stage, gap, action,
                          f"action '{action.title}' was due {action.due} and is "
                          f"{action.status}, not done")


def open_but_done(ctx: Context) -> Iterator[Finding]:
    for journey, stage, gap in _gaps(ctx):
        live = [a for a in gap.actions if a.status != "dropped"]
        if gap.is_open and live and all(a.status == "done" for a in live):
            yield _gap("CJM105", journey, stage, gap,
                       f"gap '{gap.title}' is still {gap.status} but all its actions are done")


def closed_without_date(ctx: Context) -> Iterator[Finding]:
    for journey, stage, gap in _gaps(ctx):
        if not gap.is_open and not gap.closed:
            yield _gap("CJM106", journey, stage, gap,
                       f"gap '{gap.title}' is {gap.status} without a 'closed' date")
