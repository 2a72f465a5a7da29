"""Two validated sites compared entity by entity: the `cjmsite diff` JSON object.

Pure: two model.Site values in, plain data out, in the shape docs/history.md (the
history-format spec) fixes as a contract for reviewers' bots. Entities are matched by id;
gaps by their identity (an `id`, else their title's slug within their stage); actions by
their title's slug within their gap; metrics by name within their stage. Unchanged
entities are left out; arrays follow the journey order, then ids."""

from __future__ import annotations

import difflib
from typing import Any

from cjmsite import model
from cjmsite.content.schema import CITED, RECORDS
from cjmsite.content.slugs import title_slug
from cjmsite.i18n import number, score_label


def _fields(kind: str, old: Any, new: Any) -> list[str]:
    """Front-matter fields whose values differ, in declaration order (`body` for the
    Markdown text). A stage's `order` is left out: a new position is `moved`."""
    changed = []
    for field in RECORDS[kind].fields:
        if kind == "stage" and field.key == "order":
            continue
        if field.kind == "records":
            differs = _records(old, field.name) != _records(new, field.name)
        elif field.kind in CITED:  # the text(s), and the insights each cites
            name = f"{field.name}_evidence"
            differs = (getattr(old, field.name), getattr(old, name)) != \
                (getattr(new, field.name), getattr(new, name))
        else:
            differs = getattr(old, field.name) != getattr(new, field.name)
        if differs:
            changed.append(field.key)
    if getattr(old, "body_html", "") != getattr(new, "body_html", ""):
        changed.append("body")
    return changed


def _entities(kind: str, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for id_ in _ordered(list(new), list(old)):
        if id_ not in old:
            out.append({"id": id_, "status": "added", "fields": []})
        elif id_ not in new:
            out.append({"id": id_, "status": "removed", "fields": []})
        elif fields := _fields(kind, old[id_], new[id_]):
            out.append({"id": id_, "status": "changed", "fields": fields})
    return out


def _ordered(first: list[str], second: list[str]) -> list[str]:
    """`first` in its order, then what only `second` has, in its order."""
    return [*first, *(x for x in second if x not in set(first))]


def compare(old: model.Site, new: model.Site) -> dict[str, Any]:
    journeys = []
    for id_ in _ordered(list(new.journeys), list(old.journeys)):
        entry = compare_journey(old.journeys.get(id_), new.journeys.get(id_))
        if entry is not None:
            journeys.append(entry)
    return {"journeys": journeys,
            "personas": _entities("persona", old.personas, new.personas),
            "touchpoints": _entities("touchpoint", old.touchpoints, new.touchpoints),
            "insights": _entities("insight", old.insights, new.insights)}


def compare_journey(old: model.Journey | None, new: model.Journey | None
                    ) -> dict[str, Any] | None:
    """One journey's entry of the diff object (None: nothing it shows changed)."""
    entry: dict[str, Any] = {"id": (new or old).id}  # type: ignore[union-attr]
    empty = model.Journey("", "", "", "", [], "")
    a, b = old or empty, new or empty
    entry["status"] = "added" if old is None else "removed" if new is None else "changed"
    entry["fields"] = _fields("journey", a, b) if old and new else []
    entry["stages"] = _stages(a, b)
    entry["emotion"] = _emotion(a, b)
    entry["gaps"], entry["actions"] = _gaps(a, b)
    entry["metrics"] = _metrics(a, b)
    if entry["status"] == "changed" and not any(
            entry[key] for key in ("fields", "stages", "emotion", "gaps", "actions", "metrics")):
        return None
    return entry


def _stages(old: model.Journey, new: model.Journey) -> list[dict[str, Any]]:
    before = {s.id: s for s in old.stages}
    after = {s.id: s for s in new.stages}
    common_old = [s.id for s in old.stages if s.id in after]
    common_new = [s.id for s in new.stages if s.id in before]
    kept: set[str] = set()
    for block in difflib.SequenceMatcher(None, common_old, common_new,
                                         autojunk=False).get_matching_blocks():
        kept.update(common_old[block.a:block.a + block.size])
    out = []
    for id_ in _ordered([s.id for s in new.stages], [s.id for s in old.stages]):
        if id_ not in before:
            out.append({"id": id_, "status": "added", "fields": []})
        elif id_ not in after:
            out.append({"id": id_, "status": "removed", "fields": []})
        else:
            fields = _fields("stage", before[id_], after[id_])
            if fields:
                out.append({"id": id_, "status": "changed", "fields": fields})
            elif id_ not in kept:
                out.append({"id": id_, "status": "moved", "fields": []})
    return out


def _plain(item: Any) -> dict[str, Any]:
    """A record's values, without where it sits in its file (`at`): moving a gap or an
    action within its list is not a change of it."""
    return {key: value for key, value in vars(item).items() if key != "at"}


def _records(entity: Any, key: str) -> list[Any]:
    return [_plain(item) | ({"actions": [_plain(a) for a in item.actions]}
                            if isinstance(item, model.Gap) else {})
            for item in getattr(entity, key)]


def _emotion(old: model.Journey, new: model.Journey) -> list[dict[str, Any]]:
    before = {s.id: s.emotion for s in old.stages}
    after = {s.id: s.emotion for s in new.stages}
    out = []
    for stage in _ordered([s.id for s in new.stages], [s.id for s in old.stages]):
        a, b = before.get(stage, {}), after.get(stage, {})
        for persona in sorted(set(a) | set(b)):
            if a.get(persona) != b.get(persona):
                out.append({"stage": stage, "persona": persona, "from": a.get(persona),
                            "to": b.get(persona)})
    return out


def _gap_index(journey: model.Journey) -> dict[str, tuple[str, model.Gap]]:
    return {gap.anchor: (stage.id, gap) for stage in journey.stages for gap in stage.gaps}


_GAP_FIELDS = ("title", "change", "severity", "touchpoint", "status", "closed")


def status_event(old: str, new: str) -> str:
    """A gap's status change as a reviewer reads it: closed, reopened or status changed."""
    if new in model.SETTLED and old not in model.SETTLED:
        return "closed"
    if old in model.SETTLED and new not in model.SETTLED:
        return "reopened"
    return "status changed"


def _gaps(old: model.Journey, new: model.Journey) -> tuple[list[dict], list[dict]]:
    before, after = _gap_index(old), _gap_index(new)
    gaps, actions = [], []
    for key in _ordered(list(after), list(before)):
        stage, gap = after.get(key) or before[key]
        entry = {"stage": stage, "id": gap.id, "title": gap.title}
        if key not in before:
            gaps.append({**entry, "status": "added", "fields": []})
        elif key not in after:
            gaps.append({**entry, "status": "removed", "fields": []})
        else:
            old_stage, old_gap = before[key]
            fields = [f for f in _GAP_FIELDS if getattr(old_gap, f) != getattr(gap, f)]
            if old_stage != stage:
                fields.append("stage")
            if not _same_actions(old_gap, gap):
                fields.append("actions")
            if fields:
                change = {**entry, "status": "changed", "fields": fields}
                if old_gap.status != gap.status:  # its own life cycle, said as such
                    change["gap_status"] = {"from": old_gap.status, "to": gap.status}
                    change["event"] = status_event(old_gap.status, gap.status)
                gaps.append(change)
        actions += _actions(stage, gap.id, before.get(key, (stage, None))[1],
                            after.get(key, (stage, None))[1])
    return gaps, actions


def _same_actions(old: model.Gap, new: model.Gap) -> bool:
    return [_plain(a) for a in old.actions] == [_plain(a) for a in new.actions]


def _actions(stage: str, gap_id: str, old: model.Gap | None,
             new: model.Gap | None) -> list[dict[str, Any]]:
    if old is not None and new is not None and _same_actions(old, new):
        return []  # the common case, without slugging every title
    before = {title_slug(a.title): a for a in (old.actions if old else [])}
    after = {title_slug(a.title): a for a in (new.actions if new else [])}
    out = []
    for key in _ordered(list(after), list(before)):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and _plain(a) == _plain(b):
            continue
        status = "added" if a is None else "removed" if b is None else "changed"
        record = {"stage": stage, "gap": gap_id, "title": (b or a).title,  # type: ignore
                  "status": status, "from": a.status if a else None,
                  "to": b.status if b else None}
        if record["to"] == "done" and record["from"] != "done":
            record["event"] = "done"
        out.append(record)
    return out


def _metrics(old: model.Journey, new: model.Journey) -> list[dict[str, Any]]:
    before = {(s.id, m.name): m for s in old.stages for m in s.metrics}
    after = {(s.id, m.name): m for s in new.stages for m in s.metrics}
    out = []
    for key in _ordered(list(after), list(before)):
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and a.value == b.value:
            continue
        better = None
        if a is not None and b is not None:
            better = b.value > a.value if b.higher_is_better else b.value < a.value
        target = (b or a).target  # type: ignore[union-attr]
        out.append({"stage": key[0], "name": key[1], "from": a.value if a else None,
                    "to": b.value if b else None, "target": target, "better": better})
    return out


# -- shown the same way by the text summary and the HTML report ----------------------------

def side_name(side: dict[str, Any]) -> str:
    return f"journey {side['journey']}" if side.get("journey") else side["rev"]


def shown_score(value: int | None) -> str:
    return "—" if value is None else score_label(value)


def shown_value(value: float | None) -> str:
    return "—" if value is None else number(value)


TREND_CLASS = {1: "better", -1: "worse", 0: ""}  # by trend(): the CSS class of a change


def gap_word(status: str, event: str = "") -> str:
    """A gap's diff entry as a reviewer reads it: opened, closed (removed, or its status
    set to closed or wont-fix), reopened, status changed, or changed."""
    return event or {"added": "opened", "removed": "closed"}.get(status, "changed")


def trend(old: float | None, new: float | None) -> int:
    """+1 when a score rose, -1 when it fell, 0 otherwise (or when one side is missing)."""
    if old is None or new is None or old == new:
        return 0
    return 1 if new > old else -1
