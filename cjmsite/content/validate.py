"""One front-matter mapping -> one model object; every field is checked against its
declaration in cjmsite.content.schema, read by its kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cjmsite import model
from cjmsite.content.fields import Fields, mapping_list, nested, type_name
from cjmsite.content.schema import (
    CITED,
    DEFAULT_SCALES,
    KINDS,
    RECORDS,
    SURVEY_COLUMNS,
    Field,
)
from cjmsite.content.slugs import fold, slug, title_slug
from cjmsite.content.source import SourceFile
from cjmsite.content.words import EMOTION_WORDS, SPANISH_VALUES
from cjmsite.diagnostics import Report, did_you_mean

_EMOTION_WORDS = {fold(word): score for word, score in EMOTION_WORDS.items()}


def _keys(kind: str) -> tuple[str, ...]:
    return RECORDS[kind].keys


PERSONA_FIELDS, TOUCHPOINT_FIELDS, JOURNEY_FIELDS, STAGE_FIELDS, GAP_FIELDS, ACTION_FIELDS, \
    METRIC_FIELDS = (_keys(k) for k in ("persona", "touchpoint", "journey", "stage", "gap",
                                        "action", "metric"))


@dataclass(frozen=True)
class _Context:
    """What some fields need besides their own value."""

    personas: tuple[str, ...] = ()  # the journey's, for a stage's single emotion score
    anchor: str = ""  # prefix of gap anchors in this journey
    stage: str = ""  # the stage's slug, in anchors of gaps identified by their title


def _one_or_more(f: Fields, field: Field, ctx: _Context) -> list[str]:
    values = f.text_list(field.key, allow_single=True)
    if f.data.get(field.key) is None:
        if field.required:
            f.text(field.key, required=True)
    elif not values and f.ok:
        f.error(field.key, f"'{field.key}' must name at least one {field.key} id")
    return values


def _records(f: Fields, field: Field, ctx: _Context) -> list[Any]:
    items = []
    for index, item in enumerate(mapping_list(f, field.key)):
        if field.record == "action" and isinstance(item, str):  # an action can be its title
            items.append(model.Action(title=item.strip(), at=(*f.path, field.key, index)))
            continue
        sub = nested(f, field.key, index, item)
        if sub is not None:
            values = read(sub, field.record, ctx)
            values["at"] = sub.path
            if field.record == "metric":
                _metric_source(sub, values)
            if field.record == "gap":
                _gap_dates(sub, values)
                values["id"], own = _gap_id(sub, values)
                # A gap's own id is unique in its journey, a title's slug only in its stage.
                values["anchor"] = f"{ctx.anchor}-{values['id']}" if own else \
                    f"{ctx.anchor}-{ctx.stage}-{values['id']}"
            items.append(_MODELS[field.record](**values))
    return items


def _metric_source(f: Fields, values: dict[str, Any]) -> None:
    """A metric has a value, or names the survey it is computed from: one of the two."""
    given = f.data.get("value") is not None
    if values["survey"] and given:
        f.error("value", f"'{f.where('value')}' and 'survey' both given: a metric computed "
                         "from a survey takes its value from the responses; remove 'value'")
    elif not values["survey"] and not given:
        f.error(None, f"missing required field '{f.where('value')}' (or 'survey', to compute "
                      "it from a survey's responses)")
    if values["survey"]:
        values["n"] = 0  # until the survey's figures fill it in


def _gap_dates(f: Fields, values: dict[str, Any]) -> None:
    """A gap's `closed` date cannot come before the dates of its own actions (a typo in
    the year, most often); a `closed` date on an open gap says the status was forgotten."""
    closed, actions = values["closed"], values["actions"]
    dated = sorted((a.due, n) for n, a in enumerate(actions) if a.due)
    if closed and dated and closed < dated[0][0]:
        f.report.warning(f.src.rel, f.line("closed"),
                         f"'{f.where('closed')}' is {closed}, before the gap's earliest action "
                         f"date ({f.where('actions')}[{dated[0][1]}].due is {dated[0][0]}): "
                         "check the year")
    if closed and values["status"] not in model.SETTLED:
        f.report.warning(f.src.rel, f.line("closed"),
                         f"'{f.where('closed')}' is given but '{f.where('status')}' is "
                         f"'{values['status']}': write status: closed (or wont-fix), or "
                         "remove the date")


def _gap_id(f: Fields, values: dict[str, Any]) -> tuple[str, bool]:
    """A gap's identity and whether it is its own `id` (which must be a slug), else its
    title's slug (at most 60 characters, cut at a word). Links to a gap use it, so they
    survive gaps being reordered (and, with an `id`, moved between stages)."""
    given = values.get("id", "")
    if given and slug(given) != given:
        f.error("id", f"'{f.where('id')}' is '{given}', not a slug (lower-case letters, "
                      f"digits and '-'): write '{slug(given) or 'gap-1'}'")
        return slug(given) or "gap", True
    if given:
        return given, True
    return title_slug(values.get("title", "")) or "gap", False


def _cited_item(f: Fields, field: Field, value: Any, path: tuple[str | int, ...],
                label: str) -> tuple[str, list[str]] | None:
    """One text written as before, or as {text, evidence: [insight ids]}."""
    if not isinstance(value, dict):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            f.src_error_at(path, f"'{label}' must be text or {{text, evidence}}, not "
                                 f"{type_name(value)}")
            return None
        return str(value).strip(), []
    sub = Fields(f.src, f.report, value, *path)
    sub.check_unknown(("text", "evidence"))
    text = sub.text("text", required=True)
    evidence = sub.text_list("evidence", allow_single=True)
    return (text, evidence) if sub.ok else None


def _cited_text(f: Fields, field: Field, ctx: _Context) -> tuple[str, list[str]]:
    item = _cited_item(f, field, f.raw(field.key), (*f.path, field.key), f.where(field.key))
    return item if item is not None else ("", [])


def _cited_texts(f: Fields, field: Field, ctx: _Context) -> tuple[list[str], list[list[str]]]:
    texts: list[str] = []
    evidence: list[list[str]] = []
    for index, item in enumerate(mapping_list(f, field.key)):
        got = _cited_item(f, field, item, (*f.path, field.key, index),
                          f"{f.where(field.key)}[{index}]")
        if got is not None:
            texts.append(got[0])
            evidence.append(got[1])
    return texts, evidence


READERS: dict[str, Callable[[Fields, Field, _Context], Any]] = {
    "text": lambda f, d, c: f.text(d.key, required=d.required,
                                   default=d.default if d.default is not None else ""),
    "texts": lambda f, d, c: f.text_list(d.key),
    "one_or_more": _one_or_more,
    "choice": lambda f, d, c: f.choice(d.key, d.choices, d.default, required=d.required,
                                       words=SPANISH_VALUES.get(d.words, {})),
    "number": lambda f, d, c: _or(_bounded(f, d, f.number(d.key, required=d.required)),
                                  d.default),
    "boolean": lambda f, d, c: f.boolean(d.key, d.default),
    "date": lambda f, d, c: f.date(d.key),
    "emotion": lambda f, d, c: emotion(f, list(c.personas)),
    "records": _records,
    "scale": lambda f, d, c: f.scale(d.key),
    "mapping": lambda f, d, c: f.mapping(d.key),
    "cited_text": _cited_text,
    "cited_texts": _cited_texts,
}
_MODELS = {"gap": model.Gap, "action": model.Action, "metric": model.Metric,
           "opportunity_metric": model.OpportunityMetric}
assert set(READERS) == set(KINDS)


def _bounded(f: Fields, field: Field, value: float | None) -> float | None:
    """A number inside its field's bounds, else reported (and dropped)."""
    if value is None or field.bounds is None:
        return value
    low, high = field.bounds
    if not low <= value <= high:
        f.error(field.key, f"'{f.where(field.key)}' is {value:g}, not between {low:g} and "
                           f"{high:g}")
        return None
    return value


def _or(value: Any, default: Any) -> Any:
    return default if value is None and default is not None else value


def _absent(field: Field) -> Any:
    """A field's value when its key is absent (or null): what its reader would return,
    without calling it; most files leave most fields out."""
    if field.kind in ("texts", "one_or_more", "records"):
        return []
    if field.kind in CITED:
        return ([] if field.kind == "cited_texts" else "", [])
    if field.kind == "emotion":
        return {}
    if field.kind == "mapping":
        return {}
    if field.kind in ("text", "date"):
        return field.default if field.default is not None else ""
    return field.default


_EMPTY = _Context()


# Per record: its keys, and for each field (model name, key, required, reader, field,
# value when absent); worked out once, as a file of a large site is read in microseconds.
_PLANS = {kind: (frozenset(record.keys), tuple(
    (field.name, field.key, field.required, READERS[field.kind], field, _absent(field))
    for field in record.fields)) for kind, record in RECORDS.items()}


def read(f: Fields, kind: str, ctx: _Context = _EMPTY) -> dict[str, Any]:
    """The values of one record, by model attribute, every problem reported."""
    keys, steps = _PLANS[kind]
    data = f.data
    f.check_unknown(keys)
    values = {}
    for name, key, required, reader, field, absent in steps:
        if required or data.get(key) is not None:
            value = reader(f, field, ctx)
        else:  # a fresh list or mapping each time: model objects do not share them
            value = absent.copy() if isinstance(absent, (list, dict)) else absent
        if type(absent) is tuple:  # a cited text: the text(s), then their insight ids
            text, cited = value
            values[name] = text.copy() if isinstance(text, list) else text
            values[f"{name}_evidence"] = list(cited)
        else:
            values[name] = value
    return values


def persona(src: SourceFile, report: Report, id_: str, slug: str) -> model.Persona:
    return model.Persona(id=id_, slug=slug, source=src.rel,
                         **read(Fields(src, report, src.data), "persona"))


def touchpoint(src: SourceFile, report: Report, id_: str, slug: str) -> model.Touchpoint:
    return model.Touchpoint(id=id_, slug=slug, source=src.rel,
                            **read(Fields(src, report, src.data), "touchpoint"))


def journey(src: SourceFile, report: Report, id_: str, slug: str) -> model.Journey:
    f = Fields(src, report, src.data)
    values = read(f, "journey")
    every = values["review_every"]
    if every is not None and (not float(every).is_integer() or not 1 <= every <= 3650):
        f.error("review_every", f"'review_every' is {every}: write a whole number of days "
                                "from 1 to 3650 (e.g. 90)")
        values["review_every"] = None
    return model.Journey(id=id_, slug=slug, source=src.rel, **values)


def stage(src: SourceFile, report: Report, id_: str, slug: str, anchor_prefix: str,
          journey_personas: list[str]) -> model.Stage:
    return model.Stage(id=id_, slug=slug, source=src.rel, **read(
        Fields(src, report, src.data), "stage",
        _Context(tuple(journey_personas), anchor_prefix, slug)))


def opportunity(src: SourceFile, report: Report, id_: str, slug_: str) -> model.Opportunity:
    return model.Opportunity(id=id_, slug=slug_, source=src.rel,
                             **read(Fields(src, report, src.data), "opportunity"))


def survey(src: SourceFile, report: Report, id_: str, slug_: str) -> model.Survey:
    """A survey's front matter; its responses are read later (cjmsite.surveys)."""
    f = Fields(src, report, src.data)
    values = read(f, "survey")
    metric = values["metric"]
    scale = values.pop("scale")
    if metric == "nps" and scale not in (None, (0, 10)):
        f.error("scale", "'scale' of an NPS survey is [0, 10]: promoters answer 9 or 10, "
                         "detractors 0 to 6")
    if scale is None and metric == "score" and f.ok:
        f.error("scale", "'scale' is required for metric 'score': write e.g. scale: [1, 10]")
    columns = values["columns"]
    for key in columns:
        if key not in SURVEY_COLUMNS:
            f.error("columns", f"'columns.{key}' is not a column cjmsite reads (one of: "
                               f"{', '.join(SURVEY_COLUMNS)})"
                               f"{did_you_mean(key, SURVEY_COLUMNS)}")
    if f.data.get("columns") is not None and "score" not in columns:
        f.error("columns", "'columns.score' is required: the header of the score column")
    for key in values["values"]:
        if key not in ("journey", "stage", "touchpoint", "persona"):
            f.error("values", f"'values.{key}' maps the cells of a column of ids: journey, "
                              f"stage, touchpoint or persona"
                              f"{did_you_mean(key, ('journey', 'stage', 'touchpoint', 'persona'))}")
        elif not isinstance(values["values"][key], dict):
            f.error("values", f"'values.{key}' must map cell values to ids")
    header_row = values["header_row"]
    if header_row is not None:
        if float(header_row).is_integer() and header_row >= 1:
            values["header_row"] = int(header_row)
        else:
            f.error("header_row", f"'header_row' is {header_row}: the number of the line "
                                  "(worksheet row) that holds the headers, 1 for the first")
            values["header_row"] = None
    if values["stage"] and not values["journey"]:
        f.error("stage", "'stage' needs 'journey': the journey the stage belongs to")
    metric_scale = scale or DEFAULT_SCALES.get(metric, (0, 10))
    return model.Survey(id=id_, slug=slug_, source=src.rel, scale=metric_scale, **values)


def insight(src: SourceFile, report: Report, id_: str, slug_: str) -> model.Insight:
    """A research insight's front matter; what it names is checked later
    (cjmsite.content.evidence.check_ids)."""
    f = Fields(src, report, src.data)
    values = read(f, "insight")
    if f.data.get("date") is None:
        f.error(None, "missing required field 'date' (when it was gathered, YYYY-MM-DD)")
    count = values["participants"]
    if count is not None and (count < 0 or not float(count).is_integer()):
        f.error("participants", f"'participants' is {count}, not a whole number of people")
        count = None
    values["participants"] = None if count is None else int(count)
    link = values["link"]
    if link and not link.lower().startswith(("http://", "https://")):
        f.error("link", f"'link' is '{link}': only http:// and https:// links are shown")
        values["link"] = ""
    return model.Insight(id=id_, slug=slug_, source=src.rel, **values)


def _score(f: Fields, key: str | None, value: Any, label: str) -> int | None:
    """An emotion score from an integer -2..2 or an English/Spanish word."""
    if isinstance(value, str):
        score = _EMOTION_WORDS.get(fold(value))
        if score is None:
            words = sorted({w for w in EMOTION_WORDS if w.isascii()})
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
    """Persona id -> score; a single score applies to every persona of the journey; a
    persona given no score (null) does not take part in the stage."""
    value = f.raw("emotion")
    if value is None:
        return {}
    if isinstance(value, dict):
        scores = {}
        sub = Fields(f.src, f.report, value, "emotion")
        for key, item in value.items():
            if item is None:  # `sam: ~`: not in this stage, on purpose (no curve point)
                continue
            score = _score(sub, str(key), item, f"emotion.{key}")
            if score is not None:
                scores[str(key)] = score
        return scores
    score = _score(f, "emotion", value, "emotion")
    return {} if score is None else {persona_id: score for persona_id in personas}
