"""JSON Schemas (draft 2020-12) for every kind of content file and for cjmsite.toml,
generated from the field declarations validation reads (content/schema.py, the config's
dataclass): one source of truth, so an editor flags what `cjmsite check` would.

An editor given these schemas completes field names and values and marks unknown keys
(cjmsite itself only warns about those: `additionalProperties` is false here so that a
typo such as `pain_point:` shows as you type). Values are what YAML gives: Spanish words
and decimal commas are listed where cjmsite accepts them."""

from __future__ import annotations

import dataclasses
from typing import Any

from cjmsite.config import (
    AUDIENCES,
    CLOSED_GAPS,
    LINT_LEVELS,
    MAX_HISTORY_DEPTH,
    MAX_REVIEW_DAYS,
    OTHER_TABLES,
    SiteConfig,
)
from cjmsite.content.schema import RECORDS, Field
from cjmsite.content.words import EMOTION_WORDS, SPANISH_VALUES
from cjmsite.i18n import STRINGS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://cjmsite.invalid/schema/"  # ids only name the schemas; nothing is fetched
FILES = ("persona", "touchpoint", "journey", "stage", "survey", "insight", "opportunity")
TEXT = {"type": ["string", "number"]}  # YAML reads `title: 2024` as a number; so do we
NUMBER = {"anyOf": [{"type": "number"},
                    {"type": "string", "pattern": r"^\s*-?\d+([.,]\d+)?\s*$"}]}
SCORE = {"anyOf": [{"type": "integer", "minimum": -2, "maximum": 2},
                   {"type": "string", "enum": sorted(EMOTION_WORDS)}]}


def _choices(field: Field) -> dict[str, Any]:
    words = SPANISH_VALUES.get(field.words, {})
    spaced = [w.replace("-", " ") for w in words if "-" in w]
    return {"type": "string", "enum": [*field.choices, *words, *spaced]}


def _property(field: Field) -> dict[str, Any]:
    kind = field.kind
    if kind == "text":
        out: dict[str, Any] = dict(TEXT)
    elif kind == "texts":
        out = {"type": "array", "items": TEXT}
    elif kind == "one_or_more":
        out = {"anyOf": [TEXT, {"type": "array", "items": TEXT, "minItems": 1}]}
    elif kind == "choice":
        out = _choices(field)
    elif kind == "number" and field.bounds:
        low, high = field.bounds
        out = {"anyOf": [{"type": "number", "minimum": low, "maximum": high},
                         NUMBER["anyOf"][1]]}
    elif kind == "number":
        out = dict(NUMBER)
    elif kind == "boolean":
        out = {"type": "boolean"}
    elif kind == "date":
        out = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif kind == "emotion":
        out = {"anyOf": [SCORE, {"type": "object", "additionalProperties": {
            "anyOf": [SCORE, {"type": "null"}]}}]}  # null: not in this stage
    elif kind == "records":
        item = _record(field.record)
        out = {"type": "array", "items": {"anyOf": [TEXT, item]} if field.record == "action"
               else item}
    elif kind == "scale":
        out = {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2}
    elif kind in ("cited_text", "cited_texts"):
        cited = {"type": "object", "properties": {
            "text": TEXT, "evidence": {"anyOf": [TEXT, {"type": "array", "items": TEXT}]}},
            "required": ["text"], "additionalProperties": False}
        one = {"anyOf": [TEXT, cited]}
        out = one if kind == "cited_text" else {"type": "array", "items": one}
    elif kind == "mapping":
        flat = {"type": "object", "additionalProperties": TEXT}
        out = {"type": "object", "additionalProperties": {"anyOf": [TEXT, flat]}}
    else:  # a kind added to schema.KINDS must be added here too (tests check)
        raise ValueError(f"no JSON Schema for field kind {kind!r}")
    return {**out, "description": field.doc}


def _record(kind: str) -> dict[str, Any]:
    record = RECORDS[kind]
    return {"type": "object",
            "properties": {f.key: _property(f) for f in record.fields},
            "required": [f.key for f in record.fields if f.required],
            "additionalProperties": False}


def front_matter(kind: str) -> dict[str, Any]:
    """The schema of one kind of file's front matter."""
    schema = _record(kind)
    if kind == "stage":
        # A metric names a survey or has a value: one of the two (as validation says).
        metric = schema["properties"]["metrics"]["items"]
        metric["required"] = ["name"]
        metric["oneOf"] = [{"required": ["value"], "not": {"required": ["survey"]}},
                           {"required": ["survey"], "not": {"required": ["value"]}}]
    return {"$schema": DRAFT, "$id": f"{BASE}{kind}.json",
            "title": f"cjmsite {kind} front matter", **schema}


def config() -> dict[str, Any]:
    """cjmsite.toml: the [site] table from SiteConfig, and [labels]."""
    properties: dict[str, Any] = {}
    elsewhere = {key for keys in OTHER_TABLES.values() for key in keys}
    for field in dataclasses.fields(SiteConfig):
        if field.name in ("labels", "lint") or field.name in elsewhere:
            continue
        kind = type(field.default)
        entry: dict[str, Any] = {"type": {str: "string", bool: "boolean", int: "integer"}[kind],
                                 "default": field.default}
        if field.name == "language":
            entry["enum"] = ["en", "es"]
        if field.name == "audience":
            entry["enum"] = list(AUDIENCES)
        if field.name == "history_depth":
            entry.update(minimum=0, maximum=MAX_HISTORY_DEPTH)
        properties[field.name] = entry
    labels = {key: {"type": "string", "minLength": 1, "default": text}
              for key, text in sorted(STRINGS["en"].items())}
    return {"$schema": DRAFT, "$id": f"{BASE}cjmsite-toml.json", "title": "cjmsite.toml",
            "type": "object", "additionalProperties": False,
            "properties": {
                "site": {"type": "object", "properties": properties,
                         "additionalProperties": False},
                "labels": {"type": "object", "properties": labels,
                           "additionalProperties": False},
                "map": {"type": "object", "additionalProperties": False, "properties": {
                    "closed_gaps": {"enum": list(CLOSED_GAPS), "default": "muted"}}},
                "governance": {"type": "object", "additionalProperties": False,
                               "properties": {"review_every": {
                                   "type": "integer", "minimum": 1,
                                   "maximum": MAX_REVIEW_DAYS, "default": 180},
                                   "evidence_max_age": {
                                   "type": "integer", "minimum": 1,
                                   "maximum": MAX_REVIEW_DAYS, "default": 365}}},
                "lint": {"type": "object", "additionalProperties": False, "properties": {
                    "select": {"type": "array", "items": {"type": "string"}},
                    "ignore": {"type": "array", "items": {"type": "string"}},
                    "severity": {"type": "object", "additionalProperties": {
                        "enum": list(LINT_LEVELS)}}}}}}


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for `cjmsite schema`."""
    out = {f"{kind}.schema.json": front_matter(kind) for kind in FILES}
    out["cjmsite-toml.schema.json"] = config()
    return out
