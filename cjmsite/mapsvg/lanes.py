"""The one lane list: every row of a journey map, in order, and what each shows.

A lane is declared once here and read by everything that shows a stage lane by lane: the
map's layout (measured text blocks), the map-as-table twin on the journey page (one column
per lane), the search index (a lane's words) and the docs test. Adding a lane is one entry
below plus its field in the model and validation."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from cjmsite import model, urls
from cjmsite.i18n import EMOTION_NAMES, counted, number, score_label
from cjmsite.mapsvg.blocks import (
    CHANNEL_MARKS,
    SIZE,
    Block,
    Context,
    badge_width,
)
from cjmsite.mapsvg.text import wrap
from cjmsite.rollup import Rollup, rollup

Cells = Callable[[model.Stage, float, Context], list[Block]]
Table = Callable[[model.Stage, Context], str]


@dataclass(frozen=True)
class Lane:
    """`kind`: "phase" (a header spanning runs of stages), "title" (the stage itself),
    "emotion" (the curves), "cells" (blocks per stage, from `cells`) or "table" (a
    column of the map-as-table only). `table` is the
    lane's HTML in the map-as-table; `words`, its text in the search index (None: not
    searched as part of the stage)."""

    key: str
    kind: str
    table: Table
    cells: Cells | None = None
    words: Callable[[model.Stage], list[str]] | None = None


def _text_block(kind: str, text: str, width: float, max_lines: int, **kw: str) -> Block:
    wrapped = wrap(text, width, SIZE, max_lines)
    return Block(kind, wrapped.lines, text, wrapped.truncated, **kw)


def _bullets(kind: str, field: str) -> Cells:
    return lambda s, width, ctx: [_text_block("bullet", item, width - 14, 5, cls=kind)
                                  for item in getattr(s, field)]


def _joined(field: str) -> Table:
    return lambda s, ctx: escape("; ".join(getattr(s, field)))


def _listed(field: str) -> Callable[[model.Stage], list[str]]:
    return lambda s: list(getattr(s, field))


def _touchpoint_cells(stage: model.Stage, width: float, ctx: Context) -> list[Block]:
    blocks = []
    marks = CHANNEL_MARKS.get(ctx.language, CHANNEL_MARKS["en"])
    for point_id in stage.touchpoints:
        point = ctx.site.touchpoints.get(point_id)
        if point is None:
            continue
        badge = marks.get(point.channel, "•••")
        wrapped = wrap(point.title, width - badge_width(badge) - 20, SIZE, 3)
        blocks.append(Block("chip", wrapped.lines, point.title, wrapped.truncated,
                            href=ctx.root + urls.touchpoint(point),
                            cls=f"ch-{point.channel}", badge=badge))
    return blocks


def _touchpoint_table(stage: model.Stage, ctx: Context) -> str:
    points = [ctx.site.touchpoints[p] for p in stage.touchpoints if p in ctx.site.touchpoints]
    root = escape(ctx.root)  # Markup.format costs ~10× these escapes
    return Markup(", ".join(f'<a href="{root}{escape(urls.touchpoint(p))}">'
                            f"{escape(p.title)}</a>" for p in points))


SUP_W = 18.0  # room kept at the end of a line for a superscript count


def cited_link(ids: list[str], stage: model.Stage, ctx: Context) -> dict[str, str]:
    """The superscript of a text citing insights: their count, linking to the one insight
    or, for several, to the stage's list of its research on the journey page."""
    found = [ctx.site.insights[i] for i in ids if i in ctx.site.insights]
    if not found:
        return {}
    href = ctx.root + urls.insight(found[0]) if len(found) == 1 else \
        f"index.html#research-{stage.slug}"
    return {"sup": str(len(found)), "sup_href": href,
            "sup_title": f"{ctx.t('insights')}: " + "; ".join(i.title for i in found)}


def _cited_block(kind: str, text: str, width: float, max_lines: int, ids: list[str],
                 stage: model.Stage, ctx: Context, **kw: str) -> Block:
    sup = cited_link(ids, stage, ctx)
    return _text_block(kind, text, width - (SUP_W if sup else 0), max_lines, **kw, **sup)


def _pain_cells(stage: model.Stage, width: float, ctx: Context) -> list[Block]:
    cited = stage.pain_points_evidence
    return [_cited_block("bullet", item, width - 14, 5, cited[i] if i < len(cited) else [],
                         stage, ctx, cls="pain") for i, item in enumerate(stage.pain_points)]


def _thought_cells(stage: model.Stage, width: float, ctx: Context) -> list[Block]:
    if not stage.thoughts:
        return []
    return [_cited_block("thought", f"“{stage.thoughts}”", width, 6, stage.thoughts_evidence,
                         stage, ctx)]


def _cited_table(field: str) -> Table:
    """A lane of texts that may cite insights: each text, then its insights linked."""
    def table(stage: model.Stage, ctx: Context) -> str:
        texts = getattr(stage, field)
        cited = getattr(stage, f"{field}_evidence")
        if isinstance(texts, str):
            texts, cited = ([texts], [cited]) if texts else ([], [])
        parts = []
        for text, ids in zip(texts, cited, strict=False):
            links = [Markup('<a href="{}insights/{}/index.html">{}</a>').format(
                ctx.root, ctx.site.insights[i].slug, ctx.site.insights[i].title)
                for i in ids if i in ctx.site.insights]
            parts.append(escape(text) + (Markup(" (") + Markup(", ").join(links) + Markup(")")
                                         if links else Markup("")))
        return Markup("; ").join(parts)
    return table


def _emotion_table(stage: model.Stage, ctx: Context) -> str:
    names = EMOTION_NAMES.get(ctx.language, EMOTION_NAMES["en"])
    people = {p.id: p.name for p in ctx.site.personas.values()}
    several = len(stage.emotion) > 1
    return escape("; ".join(
        f"{people.get(pid, pid) + ': ' if several else ''}{score_label(score)} {names[score]}"
        for pid, score in sorted(stage.emotion.items())))


def shown_gaps(stage: model.Stage, ctx: Context) -> list[model.Gap]:
    """The gaps a map draws: closed and wont-fix ones too, unless [map] hides them."""
    if ctx.closed_gaps == "hidden":
        return [gap for gap in stage.gaps if gap.is_open]
    return stage.gaps


def _gap_cells(stage: model.Stage, width: float, ctx: Context) -> list[Block]:
    blocks = []
    for gap in shown_gaps(stage, ctx):
        muted = not gap.is_open and ctx.closed_gaps == "muted"
        wrapped = wrap(gap.title, width - 18, SIZE, 4)
        change = wrap(f"→ {gap.change}", width - 18, 11.5, 3).lines if gap.change else ()
        full = gap.title + (f" — {gap.change}" if gap.change else "")
        badge = ctx.t(gap.severity)
        if muted:  # a faded card, its status next to its severity, its title struck
            badge = f"{badge} · {ctx.t('gs_' + gap.status)}"
            full = f"{full} ({ctx.t('gs_' + gap.status)}{' ' + gap.closed if gap.closed else ''})"
        blocks.append(Block("gap", wrapped.lines, full, wrapped.truncated or bool(change)
                            or muted, href=ctx.root + urls.gap(gap),
                            cls=f"sev-{gap.severity}" + (" settled" if muted else ""),
                            badge=badge, extra=change))
    return blocks


def _gap_table(stage: model.Stage, ctx: Context) -> str:
    root = escape(ctx.root)
    return Markup("; ".join(f'<a href="{root}{escape(urls.gap(g))}">'
                            f"{escape(g.title)}</a> ({escape(ctx.t(g.severity))})"
                            for g in stage.gaps))


def _gap_status_table(stage: model.Stage, ctx: Context) -> str:
    """The table twin's status column: each gap's status (and closing date), in the
    order of the gaps column, every gap whatever [map] closed_gaps says."""
    return escape("; ".join(
        f"{ctx.t('gs_' + g.status)}{' ' + g.closed if g.closed else ''}" for g in stage.gaps))


def metric_line(metric: model.Metric, t: Callable[[str], str]) -> tuple[str, str]:
    """(value against target, CSS class): "✓ 4.6 / target ≥ 4.5", "metric-ok"."""
    unit = f" {metric.unit}" if metric.unit else ""
    if metric.n == 0:
        return f"— ({t('no_responses')})", ""
    value = f"{number(metric.value)}{unit}" + (f" (n = {metric.n:,})" if metric.n else "")
    if metric.target is None:
        return value, ""
    sign = "≥" if metric.higher_is_better else "≤"
    ok = metric.meets_target
    return (f"{'✓' if ok else '✗'} {value} / {t('target').lower()} {sign} "
            f"{number(metric.target)}{unit}", "metric-ok" if ok else "metric-miss")


def _metric_cells(stage: model.Stage, width: float, ctx: Context) -> list[Block]:
    blocks = []
    for metric in stage.metrics:
        line, cls = metric_line(metric, ctx.t)
        wrapped = wrap(metric.name, width, SIZE, 3)
        value_lines = wrap(line, width, SIZE, 2).lines
        full = f"{metric.name}: {line}" + (f" ({metric.source})" if metric.source else "")
        blocks.append(Block("metric", wrapped.lines, full, True, cls=cls, extra=value_lines))
    return blocks


def _metric_table(stage: model.Stage, ctx: Context) -> str:
    return escape("; ".join(f"{m.name}: {metric_line(m, ctx.t)[0]}" for m in stage.metrics))


def _opportunity_cells(stage: model.Stage, width: float, ctx: Context) -> list[Block]:
    """Opportunity ids as linked chips with their status; other items as ideas."""
    blocks = []
    for item in stage.opportunities:
        opportunity = ctx.site.opportunities.get(item)
        if opportunity is None:
            blocks.append(_text_block("bullet", item, width - 14, 5, cls="idea"))
            continue
        status = ctx.t(f"opp_{opportunity.status}")
        wrapped = wrap(opportunity.title, width - badge_width("◆") - 20, SIZE, 3)
        blocks.append(Block("chip", wrapped.lines, f"{opportunity.title} ({status})",
                            wrapped.truncated,
                            href=ctx.root + urls.opportunity(opportunity),
                            cls=f"opp-{opportunity.status}", badge="◆", extra=(status,)))
    return blocks


def _opportunity_table(stage: model.Stage, ctx: Context) -> str:
    parts = []
    for item in stage.opportunities:
        opportunity = ctx.site.opportunities.get(item)
        if opportunity is None:
            parts.append(escape(item))
        else:
            parts.append(Markup('<a href="{}{}">{}</a> ({})').format(
                ctx.root, urls.opportunity(opportunity), opportunity.title,
                ctx.t(f"opp_{opportunity.status}")))
    return Markup("; ").join(parts)


def _opportunity_words(stage: model.Stage) -> list[str]:
    return list(stage.opportunities)


def detailed(stage: model.Stage, ctx: Context) -> tuple[model.Journey, Rollup] | None:
    """The sub-journey that zooms into a stage and its subtree's roll-up, if any."""
    sub = ctx.site.journeys.get(stage.detail) if stage.detail else None
    if sub is None or sub.stages is None or stage.source in {s.source for s in sub.stages}:
        return None
    return sub, rollup(ctx.site, ctx.tree.subtree(sub.id))


def rollup_lines(figures: Rollup, t: Callable[[str], str], counts: bool = True
                 ) -> list[tuple[str, str, str]]:
    """(name, value, CSS class) of each figure of a roll-up, as the map and pages say it;
    `counts`: with the responses behind each measured figure."""
    gaps = figures.open_gaps
    lines = [(t("open_gaps"), " · ".join(counted(t, f"n_sev_{s}", gaps[s]) for s in gaps), "")]
    if figures.dues:
        lines.append((t("dated_actions"), f"{len(figures.dues)} · {t('next_due')} "
                                          f"{figures.dues[0]}", ""))
    if figures.emotion is not None:
        lines.append((t("mean_emotion"), number(round(figures.emotion, 1)), ""))
    for measure in figures.measured:
        result = "" if measure.meets is None else ("metric-ok" if measure.meets
                                                   else "metric-miss")
        mark = "" if measure.meets is None else ("✓ " if measure.meets else "✗ ")
        target = "" if measure.target is None else \
            f" / {t('target').lower()} {number(measure.target)}"
        n = f" (n = {measure.n:,})" if counts else ""
        lines.append((measure.title, f"{mark}{number(round(measure.value, 1))}{n}{target}",
                      result))
    return lines


def _rollup_cells(stage: model.Stage, width: float, ctx: Context) -> list[Block]:
    """The zoom-in link, then one short block per figure (a measured one coloured by
    whether it meets its target)."""
    found = detailed(stage, ctx)
    if found is None:
        return []
    sub, figures = found
    badge = "»"
    zoom = f"{ctx.t('zoom_in')}: {sub.title}"
    wrapped = wrap(zoom, width - badge_width(badge) - 20, SIZE, 3)
    blocks = [Block("chip", wrapped.lines, zoom, wrapped.truncated,
                    href=f"{ctx.root}journeys/{sub.slug}/index.html", cls="zoom", badge=badge)]
    for name, value, cls in rollup_lines(figures, ctx.t, counts=False):
        if cls:  # measured: coloured by its target
            text = wrap(f"{name}: {value}", width, SIZE, 3)
            blocks.append(Block("metric", (), f"{name}: {value}", True, cls=cls,
                                extra=text.lines))
        else:
            text = wrap(f"{name}: {value}", width, SIZE, 3)
            blocks.append(Block("metric", text.lines, f"{name}: {value}", text.truncated))
    return blocks


def _rollup_table(stage: model.Stage, ctx: Context) -> str:
    found = detailed(stage, ctx)
    if found is None:
        return ""
    sub, figures = found
    link = Markup('<a href="{}journeys/{}/index.html">{}: {}</a>').format(
        ctx.root, sub.slug, ctx.t("zoom_in"), sub.title)
    return link + Markup("; ") + escape("; ".join(f"{name}: {value}" for name, value, _ in
                                                 rollup_lines(figures, ctx.t)))


def _list_lane(key: str, kind: str = "dot") -> Lane:
    """A lane that lists a stage's texts in one field (one bullet each)."""
    return Lane(key, "cells", _joined(key), _bullets(kind, key), _listed(key))


LANES: tuple[Lane, ...] = (
    Lane("phase", "phase", lambda s, ctx: escape(s.phase)),
    Lane("stage", "title", lambda s, ctx: escape(s.title)),
    # Computed, never written: what the sub-journey behind a stage (`detail`) adds up to.
    Lane("rollup", "cells", _rollup_table, _rollup_cells),
    Lane("evidence", "cells", lambda s, ctx: escape("; ".join(s.proof)),
         lambda s, width, ctx: [_text_block("bullet", item, width - 14, 5, cls="proof")
                                for item in s.proof], lambda s: list(s.proof)),
    Lane("actions", "cells", _joined("actions"), _bullets("dot", "actions"),
         _listed("actions")),
    Lane("touchpoints", "cells", _touchpoint_table, _touchpoint_cells),
    Lane("thoughts", "cells", _cited_table("thoughts"), _thought_cells,
         lambda s: [s.thoughts]),
    Lane("emotion", "emotion", _emotion_table),
    Lane("pain_points", "cells", _cited_table("pain_points"), _pain_cells,
         _listed("pain_points")),
    # The service blueprint: shown together when a stage uses any of the three, with
    # the lines of interaction, visibility and internal interaction above each.
    _list_lane("frontstage", "front"),
    _list_lane("backstage", "back"),
    _list_lane("support", "support"),
    Lane("gaps", "cells", _gap_table, _gap_cells),
    Lane("gap_status", "table", _gap_status_table),  # the map-as-table's column only
    Lane("opportunities", "cells", _opportunity_table, _opportunity_cells,
         _opportunity_words),
    Lane("company_actions", "cells", _joined("company_actions"),
         _bullets("company", "company_actions"), _listed("company_actions")),
    Lane("metrics", "cells", _metric_table, _metric_cells,
         lambda s: [m.name for m in s.metrics]),
)
TABLE_LANES = tuple(lane for lane in LANES if lane.kind != "title")  # the title heads rows
BLUEPRINT = ("frontstage", "backstage", "support")
# The line drawn above each blueprint lane (data-line, and its label's key).
BLUEPRINT_LINES = {"frontstage": "interaction", "backstage": "visibility",
                   "support": "internal"}


def column_width(stage: model.Stage) -> float:
    """Wider columns for wordier stages, within bounds that keep the map readable."""
    texts = [stage.title, stage.thoughts, *stage.actions, *stage.pain_points,
             *stage.company_actions, *(g.title for g in stage.gaps), *stage.proof,
             *stage.frontstage, *stage.backstage, *stage.support, *stage.opportunities]
    longest = max((len(t) for t in texts), default=0)
    if stage.detail:  # room for the roll-up's figures, a line each
        longest = max(longest, 85)
    return float(min(280, max(190, 150 + longest * 1.3)))
