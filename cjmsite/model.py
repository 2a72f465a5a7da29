"""The validated site: plain dataclasses that renderers read and never change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from cjmsite.figures import Figure, Measured, SurveyResults

CHANNELS = ("phone", "in-person", "email", "sms", "chat", "app", "web", "social", "mail", "other")
SCOPES = ("global", "process")
STATUSES = ("draft", "review", "published")
SEVERITIES = ("low", "medium", "high")
ACTION_STATUSES = ("proposed", "planned", "in-progress", "done", "dropped")
OPPORTUNITY_STATUSES = ("idea", "validated", "planned", "in-delivery", "done", "dropped")
GAP_STATUSES = ("open", "in-progress", "closed", "wont-fix")
SETTLED = ("closed", "wont-fix")  # gap statuses drawn muted (or hidden) and not counted open
ACTIVE_ACTIONS = ("planned", "in-progress")  # actions someone is on: they need owner and due
# Where a research insight comes from (evidence-format.md); more kinds of source behind a
# stage make stronger evidence than more of one kind.
INSIGHT_SOURCES = ("interview", "usability-test", "support-ticket", "survey", "analytics",
                   "review", "social", "field-visit", "workshop", "other")


@dataclass
class Persona:
    id: str
    slug: str
    source: str
    name: str
    role: str = ""
    quote: str = ""
    goals: list[str] = field(default_factory=list)
    frustrations: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    image: str = ""  # the picture's path as written, relative to the persona's file
    image_source: str = ""  # where it really is (absolute), once found inside the project
    internal: bool = False  # left out of public builds (--audience public)
    image_kind: str = ""  # its format by content ("png", "svg"...), once checked
    body_html: str = ""
    description: str = ""
    lint_ignore: list[str] = field(default_factory=list)

    @property
    def image_file(self) -> str:
        """The picture's file name in the persona's page folder, where it is published:
        chosen by cjmsite from its format, never the name it came with (which could be
        the page's own index.html)."""
        return f"picture.{self.image_kind}" if self.image_source and self.image_kind else ""


@dataclass
class Touchpoint:
    id: str
    slug: str
    source: str
    title: str
    channel: str
    owner: str = ""
    internal: bool = False
    body_html: str = ""
    description: str = ""
    lint_ignore: list[str] = field(default_factory=list)


# `at`: where a record sits in its file's front matter, as a key path such as
# ("gaps", 0, "actions", 1); `cjmsite lint` turns it into a line only for what it reports.
Where = tuple[str | int, ...]


@dataclass
class Action:
    title: str
    owner: str = ""
    status: str = "proposed"
    due: str = ""
    at: Where = ()

    @property
    def active(self) -> bool:
        """Not done and not dropped: it can be overdue."""
        return self.status not in ("done", "dropped")


@dataclass
class Gap:
    title: str
    anchor: str  # the gap's id in pages: gap-<journey slug>-<gap id>, unique in the site
    id: str = ""  # stable across edits and reordering: the `id` field, else the title's slug
    change: str = ""
    severity: str = "medium"
    touchpoint: str = ""  # touchpoint id
    actions: list[Action] = field(default_factory=list)
    status: str = "open"  # the gap's own state (GAP_STATUSES); its actions keep theirs
    closed: str = ""  # when it was closed or dropped, YYYY-MM-DD
    at: Where = ()

    @property
    def is_open(self) -> bool:
        return self.status not in SETTLED
    evidence: list[str] = field(default_factory=list)  # insight ids


@dataclass
class Metric:
    name: str
    value: float = 0.0
    unit: str = ""
    target: float | None = None
    higher_is_better: bool = True
    source: str = ""
    survey: str = ""  # a survey id: the value is computed from its responses
    n: int | None = None  # responses counted (measured metrics only); 0: no value
    ci: tuple[float, float] | None = None  # 95% interval of a measured value
    at: Where = ()

    @property
    def meets_target(self) -> bool | None:
        if self.target is None or self.n == 0:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass
class Stage:
    id: str
    slug: str
    source: str
    title: str
    order: float | None = None
    moment: str = ""
    phase: str = ""
    actions: list[str] = field(default_factory=list)
    touchpoints: list[str] = field(default_factory=list)
    emotion: dict[str, int] = field(default_factory=dict)  # persona id -> score
    thoughts: str = ""
    thoughts_evidence: list[str] = field(default_factory=list)  # insight ids
    pain_points: list[str] = field(default_factory=list)
    pain_points_evidence: list[list[str]] = field(default_factory=list)  # per pain point
    company_actions: list[str] = field(default_factory=list)
    # Service blueprint lanes (map v2): what the customer sees, what staff do in front
    # of and out of their sight, what supports it; and ideas not yet gaps. `evidence`
    # as written may also name insights (evidence-format.md): see `cites` and `proof`.
    evidence: list[str] = field(default_factory=list)
    frontstage: list[str] = field(default_factory=list)
    backstage: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    opportunities: list[str] = field(default_factory=list)  # opportunity ids or plain text
    detail: str = ""  # the id of the sub-journey that zooms into this stage
    gaps: list[Gap] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    body_html: str = ""
    # survey id -> (mean score mapped onto -2..+2, responses): set for every build.
    measured: dict[str, tuple[float, int]] = field(default_factory=dict)
    lint_ignore: list[str] = field(default_factory=list)

    @property
    def has_evidence(self) -> bool:
        """Backed by research: survey rows measured here, a metric, or a cited insight
        (`insights`; not the blueprint `evidence` lane, which is what the customer sees).
        Lint's CJM301, the attention page and the home page's evidence coverage all read
        this one definition."""
        return bool(self.metrics) or any(n for _, n in self.measured.values()) \
            or bool(self.insights)

    # Set when references are resolved (content.load): the insight ids `evidence` names,
    # and every insight behind the stage (cited anywhere in it, or naming it in its
    # `stages`), newest first.
    cites: list[str] = field(default_factory=list)
    insights: list[str] = field(default_factory=list)

    @property
    def proof(self) -> list[str]:
        """The blueprint's evidence lane: what `evidence` lists that is not an insight."""
        if not self.cites:
            return self.evidence
        cited = set(self.cites)
        return [item for item in self.evidence if item not in cited]


@dataclass
class Journey:
    id: str
    slug: str
    source: str
    title: str
    personas: list[str]
    objective: str
    scope: str = "process"
    phases: list[str] = field(default_factory=list)
    status: str = "published"
    owner: str = ""
    future_of: str = ""  # the id of the as-is journey this one is the to-be map of
    parent: str = ""  # the id of the journey this one is part of (as written)
    reviewed: str = ""  # YYYY-MM-DD: when its owner last confirmed the map still holds
    review_every: float | None = None  # days between reviews; None: [governance] default
    lint_ignore: list[str] = field(default_factory=list)
    internal: bool = False
    stages: list[Stage] = field(default_factory=list)
    measured: list[Measured] = field(default_factory=list)  # from surveys, one per survey
    body_html: str = ""
    description: str = ""

    @property
    def gaps(self) -> list[tuple[Stage, Gap]]:
        return [(stage, gap) for stage in self.stages for gap in stage.gaps]

    @property
    def curve_personas(self) -> tuple[str, ...]:
        """The personas with an emotion curve (a score at some stage), in journey order:
        the n-th has the map's n-th colour, dash and marker, wherever a score is shown."""
        return tuple(p for p in dict.fromkeys(self.personas)
                     if any(p in s.emotion for s in self.stages))

    def next_review(self, default_days: int) -> str:
        """The date the journey is due for review (YYYY-MM-DD), '' when never reviewed."""
        if not self.reviewed:
            return ""
        days = int(self.review_every) if self.review_every else default_days
        try:
            return (date.fromisoformat(self.reviewed) + timedelta(days=days)).isoformat()
        except (ValueError, OverflowError):
            return ""

    def phase_runs(self) -> list[tuple[str, list[Stage]]]:
        """Consecutive stages sharing a phase, in timeline order: one header per run."""
        runs: list[tuple[str, list[Stage]]] = []
        for stage in self.stages:
            if runs and runs[-1][0] == stage.phase:
                runs[-1][1].append(stage)
            else:
                runs.append((stage.phase, [stage]))
        return runs


@dataclass
class Survey:
    id: str
    slug: str
    source: str
    title: str
    metric: str
    scale: tuple[int, int] = (0, 10)
    file: str = ""  # the responses file, project-relative, once found
    sheet: str = ""
    header_row: int | None = None  # the line (row) of the headers; None: found
    date_format: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # our name -> header in the file
    journey: str = ""
    stage: str = ""
    touchpoint: str = ""
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    target: float | None = None
    body_html: str = ""
    description: str = ""
    lint_ignore: list[str] = field(default_factory=list)
    results: SurveyResults = field(default_factory=SurveyResults)

    def figure(self, scope: str, id_: str = "", period: str | None = None) -> Figure | None:
        return self._index.get((scope, id_, period))

    @cached_property
    def _index(self) -> dict[tuple[str, str, str | None], Figure]:
        """Figures by (scope, id, period): read once results are in."""
        return {(f.scope, f.id, f.period): f for f in self.results.figures}

    def trend(self, scope: str, id_: str = "") -> list[Figure]:
        """Monthly figures of one scope, oldest first."""
        return sorted((f for f in self.results.figures
                       if f.scope == scope and f.id == id_ and f.period), key=lambda f: f.period)


@dataclass
class OpportunityMetric:
    """The metric an opportunity should move, and where it is measured."""

    name: str
    target: float | None = None
    unit: str = ""
    higher_is_better: bool = True
    stage: str = ""  # "<journey>/<stage>", where the metric of that name is measured
    at: Where = ()


@dataclass
class Opportunity:
    """An improvement that answers gaps, possibly in several journeys, scored for value
    and effort (content/opportunities/<id>.md)."""

    id: str
    slug: str
    source: str
    title: str
    gaps: list[str] = field(default_factory=list)  # "<journey>/<gap id>"
    customer_value: float | None = None  # 0..100
    business_value: float | None = None  # 0..100
    effort: float | None = None  # 1..5
    status: str = "idea"
    owner: str = ""
    evidence: list[str] = field(default_factory=list)  # insight ids
    metrics: list[OpportunityMetric] = field(default_factory=list)
    body_html: str = ""
    description: str = ""

    @property
    def value(self) -> float | None:
        """The mean of the values given (customer and business), None when neither is."""
        given = [v for v in (self.customer_value, self.business_value) if v is not None]
        return sum(given) / len(given) if given else None

    @property
    def scored(self) -> bool:
        """Plotted on the value/effort matrix: a value and an effort."""
        return self.value is not None and self.effort is not None

    @property
    def priority(self) -> float | None:
        """Mean value per unit of effort; None when unscored."""
        value = self.value
        if value is None or not self.effort:
            return None
        return value / self.effort


@dataclass
class Insight:
    """A research finding (content/insights/<id>.md): an interview, a usability test, a
    support ticket... that stages, pain points, thoughts and gaps cite as evidence."""

    id: str
    slug: str
    source: str  # the file, as for every entity; the kind of source is `kind`
    title: str
    kind: str
    date: str
    participants: int | None = None
    quotes: list[str] = field(default_factory=list)
    journey: str = ""
    stages: list[str] = field(default_factory=list)  # "<journey>/<stage>"
    touchpoints: list[str] = field(default_factory=list)
    personas: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    internal: bool = False
    link: str = ""
    body_html: str = ""
    description: str = ""
    lint_ignore: list[str] = field(default_factory=list)


@dataclass
class Site:
    personas: dict[str, Persona] = field(default_factory=dict)
    touchpoints: dict[str, Touchpoint] = field(default_factory=dict)
    journeys: dict[str, Journey] = field(default_factory=dict)
    surveys: dict[str, Survey] = field(default_factory=dict)
    opportunities: dict[str, Opportunity] = field(default_factory=dict)
    insights: dict[str, Insight] = field(default_factory=dict)
