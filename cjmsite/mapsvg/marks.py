"""What the emotion lane says about its evidence (evidence-format.md), in words: each
measured point's figure ("NPS −62", "CSAT 3,1"), the legend's note on how a survey's
figure became the curve's −2..+2, and each stage's evidence mark (measured, evidenced,
assumed) with the box it covers. Pure, like layout.py; where the figures' labels go is
labels.py's one collision pass, where these marks are obstacles."""

from __future__ import annotations

from dataclasses import dataclass

from cjmsite import model
from cjmsite.content.evidence import has_evidence, stage_evidence
from cjmsite.figures import Measured
from cjmsite.i18n import counted, decimal
from cjmsite.mapsvg.blocks import LINE, Context
from cjmsite.mapsvg.labels import Box
from cjmsite.mapsvg.text import text_width

MARK_SIZE = 10.5  # map.css .evidence .ev-text
MARK_TOP = 18.0  # the mark's first baseline, from the top of the emotion lane


@dataclass(frozen=True, slots=True)
class MeasuredPoint:
    """A point of a measured curve and its label ("NPS −62"), placed by labels.py clear
    of every other point, mark and label: its baseline centre is (x + label_dx,
    y + label_dy); label_dy is None when no free place was left (the tooltip still says)."""

    x: float
    y: float
    score: float  # on -2..+2
    n: int
    label: str
    label_dx: float = 0.0
    label_dy: float | None = None


@dataclass(frozen=True, slots=True)
class EvidenceMark:
    """Above a stage's column: what its emotion rests on (content.evidence.LEVELS), in
    words: ("Medido · n = 120",), ("Con evidencia", "3 fuentes · 2 tipos"), ("Supuesto",).
    `x` is the centre of its text; a shape stands before the first line (draw.py)."""

    x: float
    level: str
    lines: tuple[str, ...]

    def shape_x(self) -> float:
        """The centre of the shape before the first line."""
        return self.x - text_width(self.lines[0], MARK_SIZE) / 2 - 7

    def box(self, top: float) -> Box:
        """What the mark covers, shape and words, in a lane whose top is `top`."""
        half = max(text_width(line, MARK_SIZE) for line in self.lines) / 2
        return (min(self.shape_x() - 5, self.x - half - 1), top + MARK_TOP - 10,
                self.x + half + 1, top + MARK_TOP + LINE * (len(self.lines) - 1) + 3)


def figure_label(measured: Measured, stage_id: str, language: str) -> str:
    """"NPS −62", "CSAT 3,1", "CES 5,2"; a mean score on its own: "4,2"; the curve's
    value when the survey has no figure for the stage: "−0.5"."""
    if stage_id not in measured.figures:
        score = measured.points[stage_id][0]
        return f"{'+' if score > 0 else ''}{score:.1f}".replace("-", "−")
    value = measured.figures[stage_id]
    if measured.metric == "nps":
        whole = round(value)
        return f"NPS {'+' if whole > 0 else ''}{whole}".replace("-", "−")
    name = {"csat": "CSAT ", "ces": "CES "}.get(measured.metric, "")
    return f"{name}{decimal(value, language)}"


def mapping(measured: Measured, ctx: Context) -> str:
    """How a survey's figure became the curve's -2..+2, for the legend."""
    if measured.metric in ("nps", "csat", "ces"):
        return ctx.t(f"mapping_{measured.metric}")
    survey = ctx.site.surveys.get(measured.survey)
    low, high = survey.scale if survey else (0, 10)
    return ctx.t("mapping_score").replace("{low}", str(low)).replace("{high}", str(high))


def evidence_marks(journey: model.Journey, centres: list[float],
                   ctx: Context) -> tuple[EvidenceMark, ...]:
    """Per stage, what its emotion rests on, when the journey has any evidence at all
    (a map of pure assumptions is not marked "assumed" everywhere)."""
    if not has_evidence(ctx.site, journey):
        return ()
    marks = []
    for i, stage in enumerate(journey.stages):
        found = stage_evidence(ctx.site, stage)
        if found.level == "measured":
            lines: tuple[str, ...] = (ctx.t("measured") + (f" · n = {found.responses}"
                                                           if found.responses else ""),)
        elif found.level == "evidenced":
            lines = (ctx.t("evidenced"), f"{counted(ctx.t, 'sources', found.n)} · "
                                         f"{counted(ctx.t, 'kinds', found.kinds)}")
        elif stage.emotion:
            lines = (ctx.t("assumed"),)
        else:
            continue
        marks.append(EvidenceMark(centres[i], found.level, lines))
    return tuple(marks)
