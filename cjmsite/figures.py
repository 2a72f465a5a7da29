"""What surveys measured, as the model holds it: a survey's computed figures and
verbatims, and a journey's emotion as a survey measured it. Plain dataclasses with no
imports of ours, so the model (cjmsite.model) and the survey code both stand on them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Figure:
    """One computed value of a survey: for a scope (the survey, a journey, a stage, a
    touchpoint or a persona) and a period (None: all time, else "YYYY-MM")."""

    scope: str
    id: str  # the scope's id; "<journey>/<stage>" for a stage; "" for the survey
    period: str | None
    n: int
    value: float
    ci: tuple[float, float] | None  # 95% interval; None when n is too small for one
    mean: float  # the mean raw score, for the measured emotion curve


@dataclass
class Verbatim:
    text: str
    date: str  # "YYYY-MM-DD" or ""
    score: float
    journey: str = ""
    stage: str = ""
    touchpoint: str = ""
    persona: str = ""


@dataclass
class SurveyResults:
    """What the responses file gave: computed once per file content (and cached)."""

    rows: int = 0  # data rows in the file
    left_out: int = 0  # rows with a problem (reported as warnings)
    figures: list[Figure] = field(default_factory=list)
    distribution: list[tuple[float, int]] = field(default_factory=list)  # score -> count
    verbatims: list[Verbatim] = field(default_factory=list)  # newest first, bounded


@dataclass
class Measured:
    """A journey's emotion as a survey measured it: per stage id, the survey's figure
    mapped onto -2..+2 (surveys.compute.measured_emotion), and the responses behind it."""

    survey: str
    title: str
    points: dict[str, tuple[float, int]]
    metric: str = "score"  # the survey's metric: how points were mapped (surveys.compute)
    # stage id -> the survey's own figure there, labelled on the map ("NPS −62": the NPS;
    # "CSAT 3,1", "CES 5,2", a score: the mean answer)
    figures: dict[str, float] = field(default_factory=dict)
