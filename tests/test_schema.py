"""One declaration per content field: validation, the model and the docs agree with it."""

from __future__ import annotations

import dataclasses
import re

from conftest import REPO

from cjmsite import model
from cjmsite.content.schema import KINDS, RECORDS

MODELS = {"persona": model.Persona, "touchpoint": model.Touchpoint, "journey": model.Journey,
          "stage": model.Stage, "gap": model.Gap, "action": model.Action,
          "metric": model.Metric, "survey": model.Survey, "insight": model.Insight}
# Model attributes that are not front-matter fields: identity, where it came from, what is
# derived from the body or from other files.
DERIVED = {"id", "slug", "source", "body_html", "description", "image_source", "image_kind",
           "anchor", "at", "stages", "measured", "n", "ci", "results", "cites", "insights",
           "thoughts_evidence", "pain_points_evidence"}


def test_every_declared_field_is_a_model_attribute_and_back() -> None:
    assert set(RECORDS) == set(MODELS)
    for kind, record in RECORDS.items():
        attrs = {f.name for f in dataclasses.fields(MODELS[kind])}
        declared = {field.name for field in record.fields}
        assert declared <= attrs, (kind, declared - attrs)
        # A metric's `source` and a gap's `id` are fields of their own.
        derived = DERIVED - {"source"} if kind == "metric" else \
            DERIVED - {"id"} if kind == "gap" else \
            DERIVED - {"stages"} if kind == "insight" else DERIVED
        assert attrs - derived == declared, (kind, attrs - derived - declared)
        for field in record.fields:
            assert field.kind in KINDS, (kind, field.key)
            assert field.doc, (kind, field.key)
            if field.kind == "records":
                assert field.record in RECORDS
            if field.kind == "choice":
                assert field.choices and (field.required or field.default in field.choices)


def test_unknown_keys_are_checked_against_the_declarations(make_site) -> None:
    from conftest import run

    site = make_site({"content/journeys/buy/01-call.md":
                      "---\ntitle: Call\npain_point: [slow]\n---\n"})
    result = run("check", str(site))
    assert "unknown field 'pain_point' (did you mean 'pain_points'?)" in result.output


def test_the_content_guide_documents_every_field() -> None:
    guide = (REPO / "docs/content-format.md").read_text(encoding="utf-8")
    missing = [f"{kind}.{field.key}" for kind, record in RECORDS.items()
               for field in record.fields
               if not re.search(rf"(`{re.escape(field.key)}`|^\s*-?\s*{re.escape(field.key)}:)",
                                guide, re.MULTILINE)]
    assert not missing, missing


def test_the_content_guide_lists_every_label_key() -> None:
    from cjmsite.i18n import STRINGS

    guide = (REPO / "docs/content-format.md").read_text(encoding="utf-8")
    listed = guide.split("### `[labels]`", 1)[1]
    missing = [key for key in STRINGS["en"] if not re.search(rf"\b{re.escape(key)}\b", listed)]
    assert not missing, missing
