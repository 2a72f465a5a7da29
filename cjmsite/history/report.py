"""`cjmsite diff --format html`: one self-contained page a reviewer opens from a CI artefact.

For each changed journey: both emotion curves on one chart (before faint and dashed,
after solid), stages added, removed and moved marked on it, then gaps opened and closed,
actions that moved status, and metrics with arrows towards or away from their target.
Everything is inline (styles, SVG): no script, no request, works from file://."""

from __future__ import annotations

from html import escape
from typing import Any

from cjmsite import model
from cjmsite.history.compare import (
    TREND_CLASS,
    gap_word,
    shown_score,
    shown_value,
    side_name,
    trend,
)
from cjmsite.i18n import score_label
from cjmsite.mapsvg.curve import smooth_path
from cjmsite.mapsvg.svg import node, num, write
from cjmsite.mapsvg.text import wrap

COLUMN, LEFT, TOP, HEIGHT = 120.0, 70.0, 40.0, 200.0
COLOURS = ("#1d4ed8", "#c2410c", "#7e22ce", "#0f766e", "#a21caf", "#4d7c0f", "#be123c",
           "#0369a1")
# The map's dark palette: the light colours are too dark to read on a dark page.
DARK = ("#79b8ff", "#ffab70", "#d2a8ff", "#56d4c0", "#f778ba", "#a5d66f", "#ff8e9e", "#7dd3fc")
CSS = """
body{font:15px/1.5 system-ui,"Segoe UI",Arial,sans-serif;margin:2rem auto;max-width:72rem;
padding:0 1rem;color:#1f2328;background:#fff}
h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #d0d7de}
.muted{color:#57606a}.added{color:#027a48}.removed{color:#b42318}.moved{color:#7e22ce}
.better{color:#027a48}.worse{color:#b42318}
table{border-collapse:collapse;margin:.5rem 0}td,th{padding:.25rem .75rem;text-align:left;
border-bottom:1px solid #eaeef2;vertical-align:top}
.chart{overflow-x:auto}svg text{font:12px system-ui,Arial,sans-serif;fill:currentColor}
.grid{stroke:#d0d7de}.zero{stroke:#8c959f;stroke-dasharray:3 3}
.before{fill:none;stroke:currentColor;stroke-width:2;stroke-dasharray:6 5;opacity:.7}
.after{fill:none;stroke:currentColor;stroke-width:3}.mark-added{fill:#027a48}
.mark-removed{fill:#b42318}.mark-moved{fill:#7e22ce}
""" + "".join(f".s{i}{{color:{c}}}" for i, c in enumerate(COLOURS)) + """
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}
.muted{color:#9198a1}.grid{stroke:#3d444d}td,th{border-color:#21262d}h2{border-color:#3d444d}
.added,.mark-added,.better{color:#56d364;fill:#56d364}
.removed,.mark-removed,.worse{color:#ff7b72;fill:#ff7b72}.before{opacity:.85}
""" + "".join(f".s{i}{{color:{c}}}" for i, c in enumerate(DARK)) + """}
@media (max-width:40rem){.chart svg{width:100%;height:auto}
svg text.axis,svg text.key{font-size:16px}}
"""


def html_report(data: dict[str, Any], old: model.Site, new: model.Site) -> str:
    sides = f"{side_name(data['from'])} → {side_name(data['to'])}"
    parts = [f"<h1>Journey changes: {escape(sides)}</h1>",
             f'<p class="muted">{_commit(data["from"])} → {_commit(data["to"])}</p>']
    if not any(data[k] for k in ("journeys", "personas", "touchpoints", "insights")):
        parts.append("<p>No changes to journeys, personas, touchpoints or insights.</p>")
    for entry in data["journeys"]:
        parts.append(_journey(entry, old.journeys.get(entry["id"]),
                              new.journeys.get(entry["id"]), old, new))
    for kind, label in (("personas", "Personas"), ("touchpoints", "Touchpoints"),
                        ("insights", "Insights")):
        if data[kind]:
            rows = "".join(f'<tr><td>{escape(i["id"])}</td><td class="{i["status"]}">'
                           f'{i["status"]}</td><td>{escape(", ".join(i["fields"]))}</td></tr>'
                           for i in data[kind])
            parts.append(f"<h2>{label}</h2><table>{rows}</table>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Journey changes: {escape(sides)}</title><style>{CSS}</style></head>"
            f"<body><main>{''.join(parts)}</main></body></html>\n")


def _commit(side: dict[str, Any]) -> str:
    return escape(side["commit"][:10]) if side["commit"] else "uncommitted changes"


def _journey(entry: dict[str, Any], old: model.Journey | None, new: model.Journey | None,
             old_site: model.Site, new_site: model.Site) -> str:
    journey = new or old
    assert journey is not None
    status = f' <span class="{entry["status"]}">({entry["status"]})</span>'
    out = [f"<h2>{escape(journey.title)}{status}</h2>"]
    if entry["fields"]:
        out.append(f'<p class="muted">Changed: {escape(", ".join(entry["fields"]))}</p>')
    out.append(f'<div class="chart">{_chart(entry, old, new, new_site or old_site)}</div>'
               '<p class="muted">Dashed and faint: before. Solid: after. '
               "+ added, − removed, ↔ moved.</p>")
    stages = {s.id: s.title for j in (old, new) if j for s in j.stages}
    people = {**{p.id: p.name for p in old_site.personas.values()},
              **{p.id: p.name for p in new_site.personas.values()}}
    if entry["emotion"]:
        rows = "".join(
            f'<tr><td>{escape(stages.get(e["stage"], e["stage"]))}</td>'
            f'<td>{escape(people.get(e["persona"], e["persona"]))}</td>'
            f'<td class="{TREND_CLASS[trend(e["from"], e["to"])]}">{shown_score(e["from"])} → '
            f'{shown_score(e["to"])}</td></tr>' for e in entry["emotion"])
        out.append(f"<h3>Emotion</h3><table>{rows}</table>")
    if entry["gaps"]:
        rows = "".join(
            f'<tr><td class="{g["status"]}">{gap_word(g["status"], g.get("event", ""))}</td>'
            f'<td>{escape(g["title"])}</td><td class="muted">'
            f'{escape(stages.get(g["stage"], g["stage"]))}</td></tr>' for g in entry["gaps"])
        out.append(f"<h3>Gaps</h3><table>{rows}</table>")
    if entry["actions"]:
        rows = "".join(f'<tr><td>{escape(a["title"])}</td><td>{escape(a["from"] or "—")} → '
                       f'{escape(a["to"] or "—")}</td></tr>' for a in entry["actions"])
        out.append(f"<h3>Actions</h3><table>{rows}</table>")
    if entry["metrics"]:
        rows = "".join(_metric(m, stages) for m in entry["metrics"])
        out.append(f"<h3>Metrics</h3><table>{rows}</table>")
    return "".join(out)


def _metric(metric: dict[str, Any], stages: dict[str, str]) -> str:
    towards = {True: ('better', "↗ towards"), False: ("worse", "↘ away from"),
               None: ("", "")}[metric["better"]]
    target = f" {towards[1]} target {shown_value(metric['target'])}" \
        if metric["target"] is not None and towards[1] else ""
    return (f'<tr><td>{escape(metric["name"])} <span class="muted">'
            f'({escape(stages.get(metric["stage"], metric["stage"]))})</span></td>'
            f'<td class="{towards[0]}">{shown_value(metric["from"])} → {shown_value(metric["to"])}'
            f"{escape(target)}</td></tr>")


def _chart(entry: dict[str, Any], old: model.Journey | None, new: model.Journey | None,
           site: model.Site) -> str:
    """Stages of both sides on one axis (the new order, removed ones where they were),
    a dashed faint curve per persona before, a solid one after."""
    order = [s.id for s in (new.stages if new else [])]
    for index, stage in enumerate(old.stages if old else []):
        if stage.id not in order:
            order.insert(min(index, len(order)), stage.id)
    titles = {s.id: s.title for j in (old, new) if j for s in j.stages}
    marks = {s["id"]: s["status"] for s in entry["stages"]}
    width = LEFT + COLUMN * max(len(order), 1) + 20
    svg = node("svg", width=num(width), height=num(TOP + HEIGHT + 70),
               viewBox=f"0 0 {num(width)} {num(TOP + HEIGHT + 70)}", role="img")

    def x(stage: str) -> float:
        return LEFT + COLUMN * order.index(stage) + COLUMN / 2

    def y(score: int) -> float:
        return TOP + (2 - score) * HEIGHT / 4

    for score in (2, 1, 0, -1, -2):
        svg.add(node("line", class_="zero" if score == 0 else "grid", x1=num(LEFT),
                     x2=num(width - 10), y1=num(y(score)), y2=num(y(score))))
        svg.add(node("text", score_label(score), x=num(LEFT - 30), y=num(y(score) + 4),
                     class_="axis"))
    personas = list(dict.fromkeys([*(new.personas if new else []),
                                   *(old.personas if old else [])]))
    described = []
    for index, persona in enumerate(personas):
        # One colour per persona, light or dark as the page is (CSS), on the whole group.
        group = svg.add(node("g", class_=f"s{index % len(COLOURS)}"))
        for journey, cls in ((old, "before"), (new, "after")):
            # Both curves over today's stage order, so a moved stage is compared in place.
            points = sorted((x(s.id), y(s.emotion[persona]))
                            for s in (journey.stages if journey else []) if persona in s.emotion)
            if points:
                group.add(node("path", class_=cls, d=smooth_path(points)))
        name = site.personas[persona].name if persona in site.personas else persona
        described.append(name)
        group.add(node("text", f"━ {name}", x=num(LEFT + 180 * index), y="16", class_="key"))
    for stage in order:
        status = marks.get(stage, "")
        label = {"added": "+ ", "removed": "− ", "moved": "↔ "}.get(status, "")
        lines = wrap(f"{label}{titles[stage]}", COLUMN - 10, 12.0, 3)
        text = svg.add(node("text", x=num(x(stage) - COLUMN / 2 + 5), y=num(TOP + HEIGHT + 30),
                            class_=f"mark-{status}" if status else ""))
        for row, line in enumerate(lines.lines):
            text.add(node("tspan", line, x=num(x(stage) - COLUMN / 2 + 5),
                          y=num(TOP + HEIGHT + 30 + 15 * row)))
    svg["aria-label"] = (f"Emotion per stage, before (dashed) and after (solid), for "
                         f"{', '.join(described) or 'no persona'}")
    return write(svg)
