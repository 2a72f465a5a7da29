"""One front-matter mapping -> one model object; every field is checked against the spec."""

from __future__ import annotations

from typing import Any

from cjmsite import model
from cjmsite.diagnostics import Report
from cjmsite.fields import Fields, mapping_list, nested, type_name
from cjmsite.slugs import fold
from cjmsite.source import SourceFile

PERSONA_FIELDS = ("name", "role", "quote", "goals", "frustrations", "channels", "image")
TOUCHPOINT_FIELDS = ("title", "channel", "owner")
JOURNEY_FIELDS = ("title", "persona", "objective", "scope", "phases", "status", "owner")
STAGE_FIELDS = ("title", "order", "moment", "phase", "actions", "touchpoints", "emotion",
                "thoughts", "pain_points", "company_actions", "gaps", "metrics")
GAP_FIELDS = ("title", "change", "severity", "touchpoint", "actions")
ACTION_FIELDS = ("title", "owner", "status", "due")
METRIC_FIELDS = ("name", "value", "unit", "target", "higher_is_better", "source")
_EMOTION_WORDS = {fold(word): score for word, score in model.EMOTION_WORDS.items()}


def persona(src: SourceFile, report: Report, id_: str, slug: str) -> model.Persona:
    f = Fields(src, report, src.data)
    f.check_unknown(PERSONA_FIELDS)
    return model.Persona(
        id=id_, slug=slug, source=src.rel, name=f.text("name", required=True),
        role=f.text("role"), quote=f.text("quote"), goals=f.text_list("goals"),
        frustrations=f.text_list("frustrations"), channels=f.text_list("channels"),
        image=f.text("image"),
    )


def touchpoint(src: SourceFile, report: Report, id_: str, slug: str) -> model.Touchpoint:
    f = Fields(src, report, src.data)
    f.check_unknown(TOUCHPOINT_FIELDS)
    return model.Touchpoint(
        id=id_, slug=slug, source=src.rel, title=f.text("title", required=True),
        channel=f.choice("channel", model.CHANNELS, "", required=True),
        owner=f.text("owner"),
    )


def journey(src: SourceFile, report: Report, id_: str, slug: str) -> model.Journey:
    f = Fields(src, report, src.data)
    f.check_unknown(JOURNEY_FIELDS)
    personas = f.text_list("persona", allow_single=True)
    if "persona" not in src.data or src.data.get("persona") is None:
        f.text("persona", required=True)
    elif not personas and f.ok:
        f.error("persona", "'persona' must name at least one persona id")
    return model.Journey(
        id=id_, slug=slug, source=src.rel, title=f.text("title", required=True),
        personas=personas, objective=f.text("objective", required=True),
        scope=f.choice("scope", model.SCOPES, "process"), phases=f.text_list("phases"),
        status=f.choice("status", model.STATUSES, "published"), owner=f.text("owner"),
    )


def stage(src: SourceFile, report: Report, id_: str, slug: str, anchor_prefix: str,
          journey_personas: list[str]) -> model.Stage:
    f = Fields(src, report, src.data)
    f.check_unknown(STAGE_FIELDS)
    result = model.Stage(
        id=id_, slug=slug, source=src.rel, title=f.text("title", required=True),
        order=f.number("order"), moment=f.text("moment"), phase=f.text("phase"),
        actions=f.text_list("actions"), touchpoints=f.text_list("touchpoints"),
        thoughts=f.text("thoughts"), pain_points=f.text_list("pain_points"),
        company_actions=f.text_list("company_actions"),
    )
    result.emotion = emotion(f, journey_personas)
    for index, item in enumerate(mapping_list(f, "gaps")):
        gap_fields = nested(f, "gaps", index, item)
        if gap_fields is not None:
            result.gaps.append(gap(gap_fields, f"{anchor_prefix}-{index + 1}"))
    for index, item in enumerate(mapping_list(f, "metrics")):
        metric_fields = nested(f, "metrics", index, item)
        if metric_fields is not None:
            result.metrics.append(metric(metric_fields))
    return result


def _score(f: Fields, key: str | None, value: Any, label: str) -> int | None:
    """An emotion score from an integer -2..2 or an English/Spanish word."""
    if isinstance(value, str):
        score = _EMOTION_WORDS.get(fold(value))
        if score is None:
            words = sorted({w for w in model.EMOTION_WORDS if w.isascii()})
            f.error(key, f"'{label}' is '{value}', not a score from -2 to 2 or one of: "
                         f"{', '.join(words)}")
        return score
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not -2 <= value <= 2:
        shown = value if isinstance(value, (int, float)) else type_name(value)
        f.error(key, f"'{label}' is {shown}, not a score from -2 to 2 (or a word such as "
                     f"'happy' or 'infeliz')")
        return None
    return value


def emotion(f: Fields, personas: list[str]) -> dict[str, int]:
    """Persona id -> score; a single score applies to every persona of the journey."""
    value = f.raw("emotion")
    if value is None:
        return {}
    if isinstance(value, dict):
        scores = {}
        sub = Fields(f.src, f.report, value, "emotion")
        for key, item in value.items():
            score = _score(sub, str(key), item, f"emotion.{key}")
            if score is not None:
                scores[str(key)] = score
        return scores
    score = _score(f, "emotion", value, "emotion")
    return {} if score is None else {persona_id: score for persona_id in personas}


def gap(f: Fields, anchor: str) -> model.Gap:
    f.check_unknown(GAP_FIELDS)
    result = model.Gap(
        title=f.text("title", required=True), anchor=anchor, change=f.text("change"),
        severity=f.choice("severity", model.SEVERITIES, "medium"),
        touchpoint=f.text("touchpoint"),
    )
    for index, item in enumerate(mapping_list(f, "actions")):
        if isinstance(item, str):
            result.actions.append(model.Action(title=item.strip()))
            continue
        action_fields = nested(f, "actions", index, item)
        if action_fields is not None:
            result.actions.append(action(action_fields))
    return result


def action(f: Fields) -> model.Action:
    f.check_unknown(ACTION_FIELDS)
    return model.Action(
        title=f.text("title", required=True), owner=f.text("owner"),
        status=f.choice("status", model.ACTION_STATUSES, "proposed"), due=f.date("due"),
    )


def metric(f: Fields) -> model.Metric:
    f.check_unknown(METRIC_FIELDS)
    return model.Metric(
        name=f.text("name", required=True), value=f.number("value", required=True) or 0,
        unit=f.text("unit"), target=f.number("target"),
        higher_is_better=f.boolean("higher_is_better", True), source=f.text("source"),
    )
