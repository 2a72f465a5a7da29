"""Every front-matter field of every kind of file, declared once.

Validation (cjmsite.content.validate) reads each field by its `kind` and hands the values to the
model's constructor under `attr`; unknown keys are reported against this list with a
did-you-mean; the docs test and (later) the JSON Schema read the same records. Adding a
content field is one Field below plus its attribute on the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cjmsite import model

# What a survey file (content/surveys/<id>.md) may say: its metric, each metric's default
# scale, and the names of the columns it maps to the responses file's headers.
SURVEY_METRICS = ("nps", "csat", "ces", "score")
DEFAULT_SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
SURVEY_COLUMNS = ("score", "date", "journey", "stage", "touchpoint", "persona", "comment")

# How a field is read (see validate.READERS): text | texts | one_or_more | choice | number
# | boolean | date | emotion | records | scale | mapping | cited_text | cited_texts
# (a text, or a list of them, each also written as {text, evidence: [insight ids]}: the
# model gets the texts under `attr` and the insight ids under `<attr>_evidence`)
KINDS = ("text", "texts", "one_or_more", "choice", "number", "boolean", "date", "emotion",
         "records", "scale", "mapping", "cited_text", "cited_texts")
CITED = ("cited_text", "cited_texts")


@dataclass(frozen=True)
class Field:
    key: str
    kind: str
    required: bool = False
    default: Any = None  # what the model gets when the field is absent (None: kind's own)
    choices: tuple[str, ...] = ()
    record: str = ""  # for "records": the kind of record each item is
    attr: str = ""  # the model's attribute, when it differs from `key`
    doc: str = ""
    words: str = ""  # for "choice": content/words.py's SPANISH_VALUES table also accepted
    bounds: tuple[float, float] | None = None  # for "number": the least and greatest value

    @property
    def name(self) -> str:
        return self.attr or self.key


@dataclass(frozen=True)
class Record:
    kind: str
    fields: tuple[Field, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(field.key for field in self.fields)


def _text(key: str, doc: str, required: bool = False) -> Field:
    return Field(key, "text", required, doc=doc)


def _texts(key: str, doc: str) -> Field:
    return Field(key, "texts", doc=doc)


# Every kind of file may silence `cjmsite lint` rules for itself (codes or prefixes).
_LINT_IGNORE = Field("lint_ignore", "texts", doc="Lint rule codes (or prefixes such as CJM3) "
                                                 "not to report for this file.")
def evidence_field(doc: str = "Insight ids (content/insights/) this rests on.") -> Field:
    """`evidence: [insight ids]`, on stages, gaps and any record that cites research
    (evidence-format.md); ids are checked when references are resolved
    (cjmsite.content.evidence.check_ids)."""
    return Field("evidence", "texts", doc=doc)


def internal_field() -> Field:
    return Field("internal", "boolean", False, False,
                 doc="true: left out of public builds (--audience public).")


RECORDS: dict[str, Record] = {record.kind: record for record in (
    Record("persona", (
        _text("name", "The persona's name.", required=True),
        _text("role", "Who they are, in a few words."),
        _text("quote", "Something they would say."),
        _texts("goals", "What they want to achieve."),
        _texts("frustrations", "What gets in their way."),
        _texts("channels", "Preferred channels (checked against the channel list)."),
        _text("image", "A picture next to the persona's file, inside the project."),
        _LINT_IGNORE,
        internal_field(),
    )),
    Record("touchpoint", (
        _text("title", "The touchpoint's name.", required=True),
        Field("channel", "choice", True, "", model.CHANNELS, doc="Its channel.",
              words="channel"),
        _text("owner", "Who in the company owns it."),
        _LINT_IGNORE,
        internal_field(),
    )),
    Record("journey", (
        Field("persona", "one_or_more", True, attr="personas",
              doc="One persona id, or a list of them."),
        _text("title", "The journey's name.", required=True),
        _text("objective", "What mapping this journey should help decide.", required=True),
        Field("scope", "choice", False, "process", model.SCOPES, doc="global or process.",
              words="scope"),
        _texts("phases", "Phase names, in order; stages name theirs."),
        Field("status", "choice", False, "published", model.STATUSES,
              doc="draft, review or published.", words="journey_status"),
        _text("owner", "Who owns the journey."),
        _text("future_of", "The id of the as-is journey this one is the to-be map of."),
        _text("parent", "The id of the journey this one is part of (its parent in the "
                        "hierarchy)."),
        Field("reviewed", "date", doc="When its owner last confirmed the map still holds, "
                                      "YYYY-MM-DD."),
        Field("review_every", "number", doc="Days between reviews (default: [governance] "
                                            "review_every, 180)."),
        _LINT_IGNORE,
        internal_field(),
    )),
    Record("stage", (
        _text("title", "The stage's name.", required=True),
        Field("order", "number", doc="Position on the timeline (else the file name's)."),
        _text("moment", "The moment of truth, if any."),
        _text("phase", "One of the journey's phases."),
        _texts("actions", "What the customer does."),
        _texts("touchpoints", "Touchpoint ids used here."),
        Field("emotion", "emotion",
              doc="A score -2..2 or a word, or one per persona (null: not in this stage)."),
        Field("thoughts", "cited_text", doc="What the customer thinks (text, or {text, "
                                            "evidence: [insight ids]})."),
        Field("pain_points", "cited_texts", doc="What hurts (each text, or {text, evidence: "
                                                "[insight ids]})."),
        _texts("company_actions", "What the company commits to do to improve the stage."),
        evidence_field("Insight ids behind the stage; other entries are the blueprint's "
                       "evidence: what the customer sees or receives (a ticket, an SMS)."),
        _texts("frontstage", "Blueprint: what staff or systems do in front of the customer."),
        _texts("backstage", "Blueprint: what staff do out of the customer's sight."),
        _texts("support", "Blueprint: systems, teams and policies that make it possible."),
        _texts("opportunities", "Opportunity ids (drawn as linked chips with their "
                                "status) or ideas as plain text."),
        _text("detail", "The id of the sub-journey that zooms into this stage."),
        Field("gaps", "records", record="gap", doc="Gaps between expectation and reality."),
        Field("metrics", "records", record="metric", doc="Measures with optional targets."),
        _LINT_IGNORE,
    )),
    Record("gap", (
        _text("title", "The gap.", required=True),
        _text("id", "A stable id (a slug), unique in the journey; default: the title's slug."),
        _text("change", "The change that would close it."),
        Field("severity", "choice", False, "medium", model.SEVERITIES,
              doc="low, medium or high.", words="severity"),
        _text("touchpoint", "The touchpoint where it shows, if one."),
        Field("actions", "records", record="action", doc="Actions (text or mappings)."),
        Field("status", "choice", False, "open", model.GAP_STATUSES,
              doc="open, in-progress, closed or wont-fix (abierta, en-curso, cerrada, "
                  "descartada).", words="gap_status"),
        Field("closed", "date", doc="When it was closed or dropped, YYYY-MM-DD."),
        evidence_field("Insight ids behind the gap."),
    )),
    Record("action", (
        _text("title", "The action.", required=True),
        _text("owner", "Who does it."),
        Field("status", "choice", False, "proposed", model.ACTION_STATUSES,
              doc="proposed, planned, in-progress, done or dropped.", words="status"),
        Field("due", "date", doc="Due date, YYYY-MM-DD."),
    )),
    Record("metric", (
        _text("name", "What is measured.", required=True),
        Field("value", "number", False, 0, doc="The value measured (unless `survey`)."),
        _text("unit", "Its unit."),
        Field("target", "number", doc="The target, if any."),
        Field("higher_is_better", "boolean", False, True,
              doc="Whether higher values are better (default true)."),
        _text("source", "Where the figure comes from."),
        _text("survey", "A survey id: the value is that survey's metric for this stage."),
    )),
    Record("opportunity", (
        _text("title", "The improvement, in one line.", required=True),
        _texts("gaps", "Gap references <journey>/<gap id>: the gaps it answers."),
        Field("customer_value", "number", bounds=(0, 100), doc="Value to customers, 0-100."),
        Field("business_value", "number", bounds=(0, 100),
              doc="Value to the business, 0-100."),
        Field("effort", "number", bounds=(1, 5), doc="Cost to deliver, 1-5."),
        Field("status", "choice", False, "idea", model.OPPORTUNITY_STATUSES,
              doc="idea, validated, planned, in-delivery, done or dropped.",
              words="opportunity_status"),
        _text("owner", "Who owns it."),
        evidence_field("Insight ids (content/insights/) it rests on."),
        Field("metrics", "records", record="opportunity_metric",
              doc="The metrics it should move."),
    )),
    Record("opportunity_metric", (
        _text("name", "The metric it should move.", required=True),
        Field("target", "number", doc="The target."),
        _text("unit", "Its unit."),
        Field("higher_is_better", "boolean", False, True,
              doc="Whether higher values are better (default true)."),
        _text("stage", "Where it is measured: <journey>/<stage>."),
    )),
    Record("survey", (
        _text("title", "The survey's name.", required=True),
        Field("metric", "choice", True, "", SURVEY_METRICS,
              doc="What the score column measures: nps, csat, ces or score."),
        Field("scale", "scale", doc="[min, max] integers; defaults: nps [0, 10], csat [1, 5], "
                                    "ces [1, 7]; required for score."),
        _text("file", "The responses file, relative to this one; default <id>.csv, else "
                      "<id>.xlsx."),
        _text("sheet", "The worksheet of an .xlsx file; default the first."),
        Field("header_row", "number", doc="The line (worksheet row) holding the headers, "
                                          "from 1; default the first of the first 20 that "
                                          "holds every mapped column."),
        _text("date_format", "strftime pattern of the date column, e.g. %d/%m/%Y; default "
                             "ISO 8601."),
        Field("columns", "mapping", True, doc="Header names in the file: score (required), "
                                              "date, journey, stage, touchpoint, persona, "
                                              "comment."),
        _text("journey", "Every row belongs to this journey (when there is no journey "
                         "column)."),
        _text("stage", "Every row belongs to this stage of `journey`."),
        _text("touchpoint", "Every row belongs to this touchpoint."),
        Field("values", "mapping", doc="Per column, raw cell value -> id."),
        Field("target", "number", doc="The target of every metric computed from it."),
        _LINT_IGNORE,
    )),
    Record("insight", (
        _text("title", "The finding, in one line.", required=True),
        Field("source", "choice", True, "", model.INSIGHT_SOURCES, attr="kind",
              doc="Where it comes from: interview, usability-test, support-ticket, survey, "
                  "analytics, review, social, field-visit, workshop or other.",
              words="insight_source"),
        Field("date", "date", True, doc="When it was gathered, YYYY-MM-DD."),
        Field("participants", "number", doc="How many people it rests on."),
        _texts("quotes", "Verbatims, shown as quotes."),
        _text("journey", "The journey it is about."),
        _texts("stages", "Stages it is about, as <journey>/<stage>: they count as citing it."),
        _texts("touchpoints", "Touchpoint ids it is about."),
        _texts("personas", "Persona ids it is about."),
        _texts("tags", "Free tags, filterable on the insights page."),
        internal_field(),
        _text("link", "The source record (a recording, a ticket): an http(s) URL."),
        _LINT_IGNORE,
    )),
)}
