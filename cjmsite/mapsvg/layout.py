"""Where everything on a journey map goes: a pure function from a journey to boxes.

No drawing here (see draw.py): a journey, the site (for names) and the language in, a
MapLayout of plain coordinates out, so geometry can be tested without parsing SVG."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate

from cjmsite import model
from cjmsite.i18n import score_label
from cjmsite.mapsvg.blocks import GAP, LINE, PAD, SIZE, Block, Context, cell_height
from cjmsite.mapsvg.labels import Box, place_labels
from cjmsite.mapsvg.lanes import BLUEPRINT, LANES, column_width
from cjmsite.mapsvg.marks import (
    EvidenceMark,
    MeasuredPoint,
    evidence_marks,
    figure_label,
    mapping,
)
from cjmsite.mapsvg.text import Wrapped, text_width, wrap

LABEL_W = 150.0
SHORT_W, SHORT_SIZE = 84.0, 10.0  # the label column on phones (map.css), its text size
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
    short: tuple[str, ...] = ()  # the name for the narrow label column of phones


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
    label_dy: float | None  # where the score label's baseline sits, from y; None: no label
    label_dx: float = 0.0  # and its centre, from x (labels.py keeps it clear of the rest)


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
    as_is: bool = False  # the faded curves of the as-is map behind a to-be map


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


def short_lines(text: str) -> tuple[str, ...]:
    """A lane's name in the narrow label column a phone shows (map.css)."""
    return wrap(text, SHORT_W - 12, SHORT_SIZE, 3).lines


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
    personas = journey.curve_personas
    names = {p: (ctx.site.personas[p].name if p in ctx.site.personas else p) for p in personas}
    measured = [f"{m.title} ({ctx.t('measured_mapping')} {mapping(m, ctx)})"
                for m in journey.measured]
    before = {s.id: s.emotion for s in as_is.stages} if as_is else {}
    ghosts = f"{ctx.t('as_is')}: {as_is.title}" if as_is and any(
        sum(p in before.get(s.id, {}) for s in stages) > 1 for p in personas) else ""
    legend = _legend(personas, names, len(personas) > 1 or bool(measured) or bool(ghosts),
                     measured, ctx.t("measured"), LABEL_W + sum(widths), ghosts)
    legend_h = LEGEND_H * (1 + max(int(e.y // LEGEND_H) for e in legend)) if legend else 0.0
    rows, y = [], legend_h
    for band, (lane, height, cells) in enumerate(_rows(journey, widths, ctx, personas)):
        label = label_lines(ctx.t(lane)) + (_settled_note(journey, ctx) if lane == "gaps"
                                            else ())
        height = max(height, 12 + LINE * len(label))  # never shorter than its label
        placed = tuple(_place(blocks, xs[i], widths[i], y) for i, blocks in enumerate(cells))
        rows.append(Row(lane, y, height, label, bool(band % 2) and lane not in
                        ("phase", "emotion"), placed, short_lines(ctx.t(lane))))
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
    shifts = [(p_index - (len(personas) - 1) / 2) * 8 for p_index in range(len(personas))]
    curves: list[list[Point]] = [[] for _ in personas]
    measured: list[list[MeasuredPoint]] = [[] for _ in journey.measured]

    def at(score: float) -> float:
        return top + (2 - score) * usable / 4

    centres = [xs[i] + widths[i] / 2 for i in range(len(journey.stages))]
    evidence = evidence_marks(journey, centres, ctx)
    marks: list[Box] = [m.box(y) for m in evidence]
    for i, stage in enumerate(journey.stages):
        # Personas sit a few pixels apart so equal scores still show every marker; each
        # measured point sits on the column's centre with its figure ("NPS −62").
        here = [(p_index, stage.emotion[p]) for p_index, p in enumerate(personas)
                if p in stage.emotion]
        figures = [(m_index, *m.points[stage.id], figure_label(m, stage.id, ctx.language))
                   for m_index, m in enumerate(journey.measured) if stage.id in m.points]
        points = [(centres[i] + shifts[p_index], ys[score], score_label(score))
                  for p_index, score in here]
        points += [(centres[i], at(score), label) for _, score, _, label in figures]
        # The higher half of the points here puts its labels above, the lower half below.
        ranked = sorted(range(len(points)), key=lambda k: (points[k][1], k))
        upper = set(ranked[:(len(ranked) + 1) // 2])
        # One pass (labels.py) for every label of the column: the personas' scores, then
        # the measured figures, clear of every point, evidence mark and each other.
        spots = place_labels([(px, py, text, k in upper)
                              for k, (px, py, text) in enumerate(points)],
                             marks, (xs[i] + 2, y + 2, xs[i] + widths[i] - 2, y + EMOTION_H))
        for (p_index, score), spot in zip(here, spots[:len(here)], strict=True):
            curves[p_index].append(Point(p_index, i, centres[i] + shifts[p_index], ys[score],
                                         score, spot[1] if spot else None,
                                         spot[0] if spot else 0.0))
        for (m_index, score, n, label), spot in zip(figures, spots[len(here):], strict=True):
            measured[m_index].append(MeasuredPoint(centres[i], at(score), score, n, label,
                                                   spot[0] if spot else 0.0,
                                                   spot[1] if spot else None))
    ghosts = []
    before = {s.id: s.emotion for s in as_is.stages} if as_is else {}
    for p_index, persona_id in enumerate(personas):
        shift = (p_index - (len(personas) - 1) / 2) * 8
        ghosts.append(tuple(
            (xs[i] + widths[i] / 2 + shift, ys[before[stage.id][persona_id]])
            for i, stage in enumerate(journey.stages)
            if persona_id in before.get(stage.id, {})))
    return Emotion(y, LABEL_W + sum(widths), ys, tuple(tuple(c) for c in curves),
                   tuple(ghosts) if as_is else (),
                   tuple(tuple(points) for points in measured), evidence)


def _legend(personas: tuple[str, ...], names: dict[str, str], shown: bool,
            measured: list[str], word: str, right: float,
            ghosts: str = "") -> tuple[LegendEntry, ...]:
    """One entry per persona, then per measured curve, then the as-is map's faded
    curves (`ghosts`: their name, "" for none); a new row when the next entry would pass
    the map's right edge."""
    if not shown:
        return ()
    entries, x, row = [], LABEL_W + 10, 0
    items = [(i, names[p], "") for i, p in enumerate(personas)]
    items += [(i, f"{word}: {title}", "measured") for i, title in enumerate(measured)]
    items += [(0, ghosts, "as-is")] if ghosts else []
    for index, name, kind in items:
        # Marker line (28) and a gap (8), the name as measured, then room before the next.
        step = 36 + text_width(name, SIZE) + 24
        if x + step - 24 > right and x > LABEL_W + 10:
            x, row = LABEL_W + 10, row + 1
        entries.append(LegendEntry(index, name, x, LEGEND_H * row + LEGEND_H / 2,
                                   kind == "measured", kind == "as-is"))
        x += step
    return tuple(entries)
