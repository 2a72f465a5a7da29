"""Where everything on a journey map goes: a pure function from a journey to boxes.

No drawing here (see draw.py): a journey, the site (for names) and the language in, a
MapLayout of plain coordinates out, so geometry can be tested without parsing SVG."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from cjmsite import model
from cjmsite.content.evidence import has_evidence, stage_evidence
from cjmsite.i18n import counted, decimal
from cjmsite.mapsvg.lanes import (
    BLUEPRINT,
    GAP,
    LANES,
    LINE,
    PAD,
    SIZE,
    Block,
    Context,
    cell_height,
    column_width,
)
from cjmsite.mapsvg.text import Wrapped, text_width, wrap

LABEL_W = 150.0
PHASE_H = 34.0
EMOTION_H = 210.0
LEGEND_H = 30.0
SCORES = (2, 1, 0, -1, -2)


@dataclass(frozen=True, slots=True)
class Placed:
    """A block at its place: (x, y) is its top-left corner, `width` the cell's text width."""

    block: Block
    x: float
    y: float
    width: float


@dataclass(frozen=True, slots=True)
class Row:
    lane: str
    y: float
    height: float
    label: tuple[str, ...]  # the lane's name, wrapped to the label column
    banded: bool  # drawn on a shaded band (every other cell row)
    cells: tuple[tuple[Placed, ...], ...] = ()  # per stage; empty for phase and emotion


@dataclass(frozen=True, slots=True)
class Phase:
    name: str
    label: Wrapped
    x: float
    y: float
    width: float


@dataclass(frozen=True, slots=True)
class Point:
    persona: int  # index into MapLayout.personas
    stage: int
    x: float
    y: float
    score: int
    label_dy: float | None  # where the score label sits, from y; None: no label


@dataclass(frozen=True, slots=True)
class MeasuredPoint:
    """A point of a measured curve, with its label ("NPS −62") where it covers no other
    label or point: (lx, ly) is the label's anchor and first baseline."""

    x: float
    y: float
    score: float  # on -2..+2
    n: int
    label: str
    lx: float
    ly: float
    anchor: str  # start | middle | end


@dataclass(frozen=True, slots=True)
class EvidenceMark:
    """Above a stage's column: what its emotion rests on (content.evidence.LEVELS), in
    words: ("Medido · n = 120",), ("Con evidencia", "3 fuentes · 2 tipos"), ("Supuesto",)."""

    x: float
    level: str
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Emotion:
    """The emotion lane: its row, the y of each score, and the curves' points."""

    y: float
    right: float
    ys: dict[int, float]
    curves: tuple[tuple[Point, ...], ...]  # per persona
    # The as-is journey's curves behind a to-be map's, per persona, at the stages both
    # maps have (matched by stage id).
    ghosts: tuple[tuple[tuple[float, float], ...], ...] = ()
    # Measured curves, one per survey (journey.measured).
    measured: tuple[tuple[MeasuredPoint, ...], ...] = ()
    # Per stage that shows one, when the journey has any evidence.
    evidence: tuple[EvidenceMark, ...] = ()


@dataclass(frozen=True, slots=True)
class LegendEntry:
    persona: int  # its index; for a measured curve, the survey's index
    name: str
    x: float
    y: float  # the middle of its row (the legend wraps onto more rows when long)
    measured: bool = False


@dataclass(frozen=True)
class MapLayout:
    width: float
    height: float
    legend_height: float
    xs: tuple[float, ...]  # left edge of each stage column
    widths: tuple[float, ...]
    rows: tuple[Row, ...]
    phases: tuple[Phase, ...]
    emotion: Emotion | None
    legend: tuple[LegendEntry, ...]
    personas: tuple[str, ...]  # ids of the personas with a curve, in journey order
    names: dict[str, str]  # persona id -> display name

    @property
    def grid_top(self) -> float:
        """Stage column lines start below the phase header."""
        phase = bool(self.rows) and self.rows[0].lane == "phase"
        return self.legend_height + (PHASE_H if phase else 0)


def label_lines(text: str) -> tuple[str, ...]:
    return wrap(text, LABEL_W - 20, 12.0, 3).lines


def _settled_note(journey: model.Journey, ctx: Context) -> tuple[str, ...]:
    """The gaps lane's legend: how closed and wont-fix gaps are drawn, when there are."""
    settled = sum(not gap.is_open for _, gap in journey.gaps)
    if not settled or ctx.closed_gaps == "shown":
        return ()
    key = "closed_gaps_muted" if ctx.closed_gaps == "muted" else "closed_gaps_hidden"
    return wrap(ctx.t(key).replace("{n}", str(settled)), LABEL_W - 20, 11.0, 3).lines


def layout(journey: model.Journey, ctx: Context,
           as_is: model.Journey | None = None) -> MapLayout:
    stages = journey.stages
    widths = tuple(column_width(s) for s in stages)
    xs = tuple(LABEL_W + x for x in accumulate(widths, initial=0))[:len(stages)]
    personas = tuple(p for p in journey.personas if any(p in s.emotion for s in stages))
    names = {p: (ctx.site.personas[p].name if p in ctx.site.personas else p) for p in personas}
    measured = [f"{m.title} ({ctx.t('measured_mapping')} {mapping(m, ctx)})"
                for m in journey.measured]
    legend = _legend(personas, names, len(personas) > 1 or bool(measured), measured,
                     ctx.t("measured"), LABEL_W + sum(widths))
    legend_h = LEGEND_H * (1 + max(int(e.y // LEGEND_H) for e in legend)) if legend else 0.0
    rows, y = [], legend_h
    for band, (lane, height, cells) in enumerate(_rows(journey, widths, ctx, personas)):
        label = label_lines(ctx.t(lane)) + (_settled_note(journey, ctx) if lane == "gaps"
                                            else ())
        height = max(height, 12 + LINE * len(label))  # never shorter than its label
        placed = tuple(_place(blocks, xs[i], widths[i], y) for i, blocks in enumerate(cells))
        rows.append(Row(lane, y, height, label, bool(band % 2) and lane not in
                        ("phase", "emotion"), placed))
        y += height
    width = LABEL_W + sum(widths) + 1
    emotion = next((_emotion(journey, r.y, xs, widths, personas, ctx, as_is) for r in rows
                    if r.lane == "emotion"), None)
    phases = next((_phases(journey, r.y, xs, widths) for r in rows if r.lane == "phase"), ())
    height = legend_h + sum(r.height for r in rows) + 1
    return MapLayout(width, height, legend_h, xs, widths, tuple(rows), phases, emotion,
                     legend, personas, names)


def _rows(journey: model.Journey, widths: tuple[float, ...], ctx: Context,
          personas: tuple[str, ...]) -> list[tuple[str, float, list[list[Block]]]]:
    """(lane key, content height, blocks per stage) for every lane with data somewhere."""
    stages = journey.stages
    rows: list[tuple[str, float, list[list[Block]]]] = []
    blueprint = any(getattr(s, key) for s in stages for key in BLUEPRINT)
    for lane in LANES:
        if lane.kind == "phase":
            if any(s.phase for s in stages):
                rows.append(("phase", PHASE_H, []))
        elif lane.kind == "title":
            titles = [[_title(s, w)] for s, w in zip(stages, widths, strict=True)]
            rows.append(("stage", max((cell_height(c) for c in titles), default=40.0), titles))
        elif lane.kind == "emotion":
            if personas or journey.measured:
                rows.append(("emotion", EMOTION_H, []))
        elif lane.kind == "table":
            continue
        else:
            assert lane.cells is not None
            cells = [lane.cells(s, w - 2 * PAD, ctx) for s, w in zip(stages, widths,
                                                                     strict=True)]
            if any(cells) or (blueprint and lane.key in BLUEPRINT):
                rows.append((lane.key, max(cell_height(c) for c in cells), cells))
    return rows


def _title(stage: model.Stage, width: float) -> Block:
    wrapped = wrap(stage.title, width - 2 * PAD, 14.0, 3)
    # The moment is drawn in small capitals with letter spacing (map.css): measured as
    # upper case, a little wider, so a long label wraps instead of running on.
    moment = wrap(stage.moment.upper(), width - 2 * PAD, 11.0 * 1.12, 3) \
        if stage.moment else None
    return Block("title", wrapped.lines, stage.title,
                 wrapped.truncated or bool(moment and moment.truncated),
                 href=f"index.html#stage-{stage.slug}",
                 extra=moment.lines if moment else ())


def _place(blocks: list[Block], x: float, width: float, y: float) -> tuple[Placed, ...]:
    placed, top = [], y + PAD
    for block in blocks:
        placed.append(Placed(block, x + PAD, top, width - 2 * PAD))
        top += block.height + GAP
    return tuple(placed)


def _phases(journey: model.Journey, y: float, xs: tuple[float, ...],
            widths: tuple[float, ...]) -> tuple[Phase, ...]:
    phases, index = [], 0
    for name, stages in journey.phase_runs():
        x = xs[index]
        span = sum(widths[index:index + len(stages)])
        index += len(stages)
        if name:
            phases.append(Phase(name, wrap(name, span - 24, 13.0, 1), x, y, span))
    return tuple(phases)


def _emotion(journey: model.Journey, y: float, xs: tuple[float, ...],
             widths: tuple[float, ...], personas: tuple[str, ...], ctx: Context,
             as_is: model.Journey | None = None) -> Emotion:
    top, usable = y + 52, EMOTION_H - 72  # room for the lane label above +2
    ys = {score: top + (2 - score) * usable / 4 for score in SCORES}
    single = len(personas) == 1
    curves = []
    for p_index, persona_id in enumerate(personas):
        # Personas sit a few pixels apart so equal scores still show every marker.
        shift = (p_index - (len(personas) - 1) / 2) * 8
        points = []
        for i, stage in enumerate(journey.stages):
            if persona_id not in stage.emotion:
                continue
            score = stage.emotion[persona_id]
            label_dy = None
            if single or len(personas) <= 2:
                # Each label sits on the side away from the other persona's point.
                other = stage.emotion.get(personas[1 - p_index] if not single else persona_id,
                                          score)
                above = score > other or (score == other and p_index == 0)
                label_dy = -11.0 if above else 19.0
            points.append(Point(p_index, i, xs[i] + widths[i] / 2 + shift, ys[score], score,
                                label_dy))
        curves.append(tuple(points))
    ghosts = []
    before = {s.id: s.emotion for s in as_is.stages} if as_is else {}
    for p_index, persona_id in enumerate(personas):
        shift = (p_index - (len(personas) - 1) / 2) * 8
        ghosts.append(tuple(
            (xs[i] + widths[i] / 2 + shift, ys[before[stage.id][persona_id]])
            for i, stage in enumerate(journey.stages)
            if persona_id in before.get(stage.id, {})))
    def at(score: float) -> float:
        return top + (2 - score) * usable / 4

    centres = [xs[i] + widths[i] / 2 for i in range(len(journey.stages))]
    evidence = _evidence_marks(journey, centres, ctx)
    # What a measured label must not cover: persona points and their score labels, the
    # evidence marks, and labels placed before it.
    taken = [(p.x - 7, p.y - 7, p.x + 7, p.y + 7) for c in curves for p in c]
    taken += [(p.x - 8, p.y + p.label_dy - 11, p.x + 8, p.y + p.label_dy + 2)
              for c in curves for p in c if p.label_dy is not None]
    taken += [(m.x - max(text_width(line, 10.5) for line in m.lines) / 2 - 14, y + 6,
               m.x + max(text_width(line, 10.5) for line in m.lines) / 2 + 2,
               y + 6 + LINE * len(m.lines)) for m in evidence]
    measured = []
    for m in journey.measured:
        points = []
        for i, s in enumerate(journey.stages):
            if s.id not in m.points:
                continue
            score, n = m.points[s.id]
            px, py = centres[i], at(score)
            taken.append((px - 7, py - 7, px + 7, py + 7))
            points.append((i, px, py, score, n))
        placed = []
        for i, px, py, score, n in points:
            stage_id = journey.stages[i].id
            label = figure_label(m, stage_id, ctx.language) if stage_id in m.figures \
                else _signed_score(score)
            lx, ly, anchor = _place_label(label, px, py, taken, xs[i], xs[i] + widths[i],
                                          y + 6, y + EMOTION_H - 4)
            placed.append(MeasuredPoint(px, py, score, n, label, lx, ly, anchor))
        measured.append(tuple(placed))
    return Emotion(y, LABEL_W + sum(widths), ys, tuple(curves),
                   tuple(ghosts) if as_is else (), tuple(measured), evidence)


LABEL_SIZE = 11.0  # a measured point's label (map.css .measured-label)


def figure_label(measured: model.Measured, stage_id: str, language: str) -> str:
    """"NPS −62", "CSAT 3,1", "CES 5,2"; a mean score on its own: "4,2"."""
    value = measured.figures[stage_id]
    if measured.metric == "nps":
        whole = round(value)
        return f"NPS {'+' if whole > 0 else ''}{whole}".replace("-", "−")
    name = {"csat": "CSAT ", "ces": "CES "}.get(measured.metric, "")
    return f"{name}{decimal(value, language)}"


def mapping(measured: model.Measured, ctx: Context) -> str:
    """How a survey's figure became the curve's -2..+2, for the legend."""
    if measured.metric in ("nps", "csat", "ces"):
        return ctx.t(f"mapping_{measured.metric}")
    survey = ctx.site.surveys.get(measured.survey)
    low, high = survey.scale if survey else (0, 10)
    return ctx.t("mapping_score").replace("{low}", str(low)).replace("{high}", str(high))


def _signed_score(score: float) -> str:
    return f"{'+' if score > 0 else ''}{score:.1f}".replace("-", "−")


Box = tuple[float, float, float, float]


def _place_label(label: str, x: float, y: float, taken: list[Box], left: float,
                 right: float, top: float, bottom: float) -> tuple[float, float, str]:
    """The first of right, left, above, below (then further out) where the label covers
    nothing already placed and stays in its column and lane; it is then taken too."""
    w, h = text_width(label, LABEL_SIZE), LABEL_SIZE
    candidates = []
    for far in (0.0, 10.0, 20.0):
        candidates += [(x + 10 + far, y + 4, "start", x + 10 + far, y + 4 - h),
                       (x - 10 - far, y + 4, "end", x - 10 - far - w, y + 4 - h),
                       (x, y - 11 - far, "middle", x - w / 2, y - 11 - far - h),
                       (x, y + 20 + far, "middle", x - w / 2, y + 20 + far - h)]
    for lx, ly, anchor, bx, by in candidates:
        box = (bx - 1, by - 1, bx + w + 1, by + h + 3)
        if box[0] < left + 2 or box[2] > right - 2 or box[1] < top or box[3] > bottom:
            continue
        if not any(_overlap(box, other) for other in taken):
            taken.append(box)
            return lx, ly, anchor
    lx, ly, anchor, bx, by = candidates[0]
    taken.append((bx, by, bx + w, by + h))
    return lx, ly, anchor


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _evidence_marks(journey: model.Journey, centres: list[float],
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


def _legend(personas: tuple[str, ...], names: dict[str, str], shown: bool,
            measured: list[str], word: str, right: float) -> tuple[LegendEntry, ...]:
    """One entry per persona, then per measured curve; a new row when the next entry
    would pass the map's right edge."""
    if not shown:
        return ()
    entries, x, row = [], LABEL_W + 10, 0
    items = [(i, names[p], False) for i, p in enumerate(personas)]
    items += [(i, f"{word}: {title}", True) for i, title in enumerate(measured)]
    for index, name, is_measured in items:
        # Marker line (28) and a gap (8), the name as measured, then room before the next.
        step = 36 + text_width(name, SIZE) + 24
        if x + step - 24 > right and x > LABEL_W + 10:
            x, row = LABEL_W + 10, row + 1
        entries.append(LegendEntry(index, name, x, LEGEND_H * row + LEGEND_H / 2,
                                   is_measured))
        x += step
    return tuple(entries)
