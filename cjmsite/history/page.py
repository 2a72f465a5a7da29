"""What a journey's history page shows, from its revisions (cjmsite.history.timeline):
each commit's changes as sentences in the site's language, a sparkline of the curve after
it, and the mean emotion per persona across commits as a chart with a table twin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from cjmsite import model
from cjmsite.history.compare import TREND_CLASS, gap_word, shown_score, shown_value, trend
from cjmsite.i18n import number, score_label
from cjmsite.mapsvg.sparkline import curves_sparkline
from cjmsite.mapsvg.trend import Series, trend_chart

_GAP_CLASS = {"opened": "worse", "closed": "better", "changed": "", "reopened": "worse",
              "status changed": ""}


def history_context(site: model.Site, journey: model.Journey,
                    revisions: list[dict[str, Any]], t: Callable[[str], str],
                    depth: int) -> dict[str, Any]:
    names = {p.id: p.name for p in site.personas.values()}
    oldest_first = revisions[::-1]
    personas = list(dict.fromkeys(p for r in oldest_first for p in r["personas"]))
    means = [{p: _mean(r["emotion"].get(p, [])) for p in personas} for r in oldest_first]
    series = [Series(names.get(p, p), [m[p] for m in means]) for p in personas]
    chart = trend_chart([r["date"] for r in oldest_first], series, -2, 2,
                        [(v, score_label(v)) for v in (2, 1, 0, -1, -2)],
                        f"{t('history_chart')} — {journey.title}", number) \
        if any(v is not None for s in series for v in s.values) else ""
    entries = [{**r, "lines": _lines(r, names, t),
                "sparkline": Markup(curves_sparkline(
                    len(r["stages"]), [r["emotion"][p] for p in r["personas"]],
                    f"{t('emotion_curve')} — {r['date']} {r['short']}",
                    [names.get(p, p) for p in r["personas"]]))}
               for r in revisions]
    table = [{"date": r["date"], "short": r["short"],
              "means": [("—" if m[p] is None else number(m[p])) for p in personas]}
             for r, m in zip(oldest_first, means, strict=True)][::-1]
    return {"journey": journey, "section": "journeys", "revisions": entries,
            "chart": Markup(chart), "table": table,
            "table_personas": [names.get(p, p) for p in personas],
            "intro": t("history_intro").replace("{n}", str(depth))}


def _mean(scores: list[int | None]) -> float | None:
    known = [s for s in scores if s is not None]
    return round(sum(known) / len(known), 2) if known else None


def _lines(revision: dict[str, Any], names: dict[str, str],
           t: Callable[[str], str]) -> list[tuple[str, Markup]]:
    """(class, sentence) for each thing the commit changed, as `cjmsite diff` sees it."""
    change = revision["change"]
    if not revision["readable"]:
        return [("muted", Markup(escape(t("unreadable"))))]
    if change is None:
        return [("muted", Markup(escape(t("no_map_change"))))]
    titles = dict(revision["stages"])
    if change["status"] == "added":
        return [("added", Markup(escape(t("created_with").replace(
            "{n}", str(len(revision["stages"]))))))]
    out: list[tuple[str, Markup]] = []

    def say(cls: str, template: str, *values: Any) -> None:
        out.append((cls, Markup(template).format(*values)))

    if change["fields"]:
        say("", "{}: {}", t("changed_fields"),
            ", ".join(t("body_text") if f == "body" else f for f in change["fields"]))
    for stage in change["stages"]:
        fields = ", ".join(t("body_text") if f == "body" else f for f in stage["fields"])
        fields = f" ({fields})" if fields else ""
        say(stage["status"], "{} <q>{}</q>: {}{}", t("stage"),
            titles.get(stage["id"], stage["id"]), t(f"h_{stage['status']}"), fields)
    for e in change["emotion"]:
        say(TREND_CLASS[trend(e["from"], e["to"])], "{} · <q>{}</q> · {}: {} → {}", t("emotion"),
            titles.get(e["stage"], e["stage"]), names.get(e["persona"], e["persona"]),
            shown_score(e["from"]), shown_score(e["to"]))
    for gap in change["gaps"]:
        word = gap_word(gap["status"], gap.get("event", ""))
        moved = gap.get("gap_status")
        if moved:
            say(_GAP_CLASS[word], "{}: {} ({} → {})", t(f"gap_{word.replace(' ', '_')}"),
                gap["title"], t("gs_" + moved["from"]), t("gs_" + moved["to"]))
        else:
            say(_GAP_CLASS[word], "{}: {}", t(f"gap_{word}"), gap["title"])
    for action in change["actions"]:
        say("better" if action["to"] == "done" else "", "{} <q>{}</q>: {} → {}",
            t("action"), action["title"], t(action["from"]) if action["from"] else "—",
            t(action["to"]) if action["to"] else "—")
    for metric in change["metrics"]:
        towards = {True: ("better", t("towards_target")),
                   False: ("worse", t("away_from_target")), None: ("", "")}[metric["better"]]
        say(towards[0], "{} <q>{}</q>: {} → {} {}", t("metrics"), metric["name"],
            shown_value(metric["from"]), shown_value(metric["to"]),
            towards[1] if metric["target"] is not None else "")
    return out
