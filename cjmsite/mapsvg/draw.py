"""Drawing a laid-out journey map as SVG: boxes in (layout.py), elements out (svg.py).

Links are relative to the journey's folder, so the same SVG works inline on the page and
as map.svg beside it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from cjmsite import model
from cjmsite.i18n import EMOTION_NAMES, score_label
from cjmsite.mapsvg.blocks import LINE, SIZE, Block, Context, badge_width
from cjmsite.mapsvg.curve import smooth_path
from cjmsite.mapsvg.lanes import BLUEPRINT_LINES
from cjmsite.mapsvg.layout import (
    EMOTION_H,
    LABEL_W,
    PHASE_H,
    SCORES,
    SHORT_W,
    Emotion,
    EvidenceMark,
    MapLayout,
    Placed,
    Point,
    layout,
)
from cjmsite.mapsvg.markers import evidence_shape, measured_point, persona_point
from cjmsite.mapsvg.marks import MARK_TOP
from cjmsite.mapsvg.svg import Node, attr, leaf, node, num, svg_root, text, write
from cjmsite.mapsvg.text import text_width, wrap

# Eight personas, eight markers: with eight colours and eight dash patterns (map.css), any
# two curves differ in all three, so greyscale print and colour-blind readers tell them
# apart.
_TITLE_CSS = (".tb-bg{fill:#fff}.title-block text{fill:#1f2328;font-family:Arial,"
              "'Liberation Sans',sans-serif}.tb-title{font-size:24px;font-weight:700}"
              ".tb-line{font-size:14px}.tb-rule{stroke:#d0d7de}@media (prefers-color-scheme:"
              "dark){.tb-bg{fill:#0d1117}.title-block text{fill:#e6edf3}.tb-rule{stroke:#3d444d}}")
_DOTS = ("proof", "front", "back", "support")  # blueprint lanes' bullets, by colour
# One element per line, so a changed stage shows as a small diff in git; never inside <text>.
_ELEMENT_BREAK = re.compile(r"><(?=(?:g|/g|a|/a|rect|line|path|circle|polygon|text|style|desc)"
                            r"[ >/])")


@cache
def map_css() -> str:
    return files("cjmsite.mapsvg").joinpath("map.css").read_text(encoding="utf-8")


# The elements a map has hundreds of (boxes, rules, lines of text, markers) are written
# as markup at once, their attributes in name order and empty ones left out, as svg.write
# writes every element (tests/test_map.py checks both on whole maps). Numbers come from
# `num` and need no escaping.
@cache
def _class(name: str) -> str:
    """` class="name"`, nothing for no name."""
    return f' class="{attr(name)}"' if name else ""


def _rect(parent: Node, x: float, y: float, w: float, h: float, cls: str,
          rx: float = 0.0) -> None:
    corner = f' rx="{num(rx)}"' if rx else ""
    parent.put(f'<rect{_class(cls)} height="{num(h)}"{corner} width="{num(w)}" x="{num(x)}"'
               f' y="{num(y)}" />')


def _line(parent: Node, x1: float, y1: float, x2: float, y2: float, cls: str) -> None:
    parent.put(f'<line{_class(cls)} x1="{num(x1)}" x2="{num(x2)}" y1="{num(y1)}"'
               f' y2="{num(y2)}" />')


def _tspan(x: str, y: str, line: str) -> str:
    return f'<tspan x="{x}" y="{y}">{text(line)}</tspan>' if line else \
        f'<tspan x="{x}" y="{y}" />'


def _lines(parent: Node, x: float, y: float, lines: tuple[str, ...], cls: str = "",
           anchor: str = "start", title: str = "") -> None:
    """Multi-line text; y is the first baseline; `title`, when given, its tooltip (the
    whole text of cut lines)."""
    at = num(x)
    middle = f' text-anchor="{attr(anchor)}"' if anchor != "start" else ""
    tip = f"<title>{text(title)}</title>" if title else ""
    spans = "".join([_tspan(at, num(y + index * LINE), line)
                     for index, line in enumerate(lines)])
    parent.put(f'<text{_class(cls)}{middle} x="{at}" y="{num(y)}">{tip}{spans}</text>')


def _circle(x: float, y: float, r: str, cls: str) -> str:
    return f'<circle{_class(cls)} cx="{num(x)}" cy="{num(y)}" r="{r}" />'


def _polygon(cls: str, points: str) -> str:
    return f'<polygon{_class(cls)} points="{points}" />'


def _tooltip(element: Node, tip: str) -> None:
    """A <title>: the native tooltip and the accessible name of its parent."""
    element.children.insert(0, f"<title>{text(tip)}</title>" if tip else "<title />")


class _Drawing:
    def __init__(self, journey: model.Journey, ctx: Context, box: MapLayout):
        self.journey, self.ctx, self.box = journey, ctx, box
        self.labels = node("g", class_="lane-labels")
        self.names = EMOTION_NAMES.get(ctx.language, EMOTION_NAMES["en"])

    def svg(self) -> str:
        box, t, slug = self.box, self.ctx.t, self.journey.slug
        root = svg_root(num(box.width), num(box.height), class_="cjm-map",
                        viewBox=f"0 0 {num(box.width)} {num(box.height)}",
                        **{"aria-labelledby": f"map-title-{slug}",
                           "aria-describedby": f"map-desc-{slug}"})
        root.add(node("title", f"{t('map')}: {self.journey.title}", id=f"map-title-{slug}"))
        root.add(node("desc", self._description(), id=f"map-desc-{slug}"))
        root.add(node("defs"))
        root.add(Node("style", attrs={"type": "text/css"}, cdata=map_css()))
        _rect(root, 0, 0, box.width, box.height, "bg")
        if box.legend:
            self._legend(root)
        groups = [self._stage_group(i, s) for i, s in enumerate(self.journey.stages)]
        # The label column is one group drawn last, on top: the page's script keeps it in
        # view while the map is scrolled sideways (a sticky column, in SVG).
        self.labels = node("g", class_="lane-labels")
        for row in box.rows:
            if row.banded:
                _rect(root, LABEL_W, row.y, box.width - LABEL_W, row.height, "band")
            label = self.labels.add(node("g", class_="lane-label"))
            label["data-lane"] = row.lane
            _rect(label, 0, row.y, LABEL_W, row.height, "")
            _lines(label, 12, row.y + 20, row.label, "label-full")
            _lines(label, 6, row.y + 18, row.short, "label-short")
            if row.lane == "phase":
                self._phases(root)
            elif row.lane == "emotion":
                self._emotion(root, groups)
            else:
                for index, cell in enumerate(row.cells):
                    for placed in cell:
                        self._block(groups[index], placed)
            _line(root, 0, row.y + row.height, box.width, row.y + row.height, "grid")
        for x, group in zip(box.xs, groups, strict=True):
            _line(root, x, box.grid_top, x, box.height, "grid")
            root.add(group)
        for row in box.rows:  # over the columns, so nothing hides them
            if row.lane in BLUEPRINT_LINES:
                self._blueprint_line(root, row.y, BLUEPRINT_LINES[row.lane])
        root.add(self.labels)
        _line(root, box.width - 0.5, box.legend_height, box.width - 0.5, box.height, "grid")
        return _ELEMENT_BREAK.sub(">\n<", write(root))

    def _blueprint_line(self, root: Node, y: float, name: str) -> None:
        """A service blueprint line across the whole map, labelled where it starts."""
        group = root.add(node("g", class_=f"blueprint-line line-{name}"))
        group["data-line"] = name
        _line(group, 0, y, self.box.width, y, "bp-rule")
        label = self.ctx.t(f"line_{name}")
        width = text_width(label, 10.5) + 12
        _rect(group, LABEL_W + 6, y - 8, width, 16, "bp-tag")
        _lines(group, LABEL_W + 12, y + 4, (label,), "bp-text")

    def _description(self) -> str:
        parts = [self.journey.objective]
        for number, stage in enumerate(self.journey.stages, 1):
            bits = [b for b in (stage.moment, stage.phase) if b]
            feeling = ", ".join(
                f"{self.box.names[p]} {score_label(score)} ({self.names[score]})"
                for p in self.box.personas if (score := stage.emotion.get(p)) is not None)
            if feeling:
                bits.append(feeling)
            parts.append(f"{number}. {stage.title}" + (f" — {'; '.join(bits)}" if bits else ""))
        return " ".join(parts)

    def _stage_group(self, index: int, stage: model.Stage) -> Node:
        return node("g", class_="stage", id=f"map-stage-{self.journey.slug}-{stage.slug}",
                    role="group",
                    **{"aria-label": f"{self.ctx.t('stage')} {index + 1}: {stage.title}"})

    def _phases(self, root: Node) -> None:
        for phase in self.box.phases:
            group = root.add(node("g", class_="phase"))
            _rect(group, phase.x + 3, phase.y + 4, phase.width - 6, PHASE_H - 8, "", rx=6)
            _lines(group, phase.x + phase.width / 2, phase.y + 22, phase.label.lines,
                   anchor="middle", title=phase.name if phase.label.truncated else "")

    def _block(self, group: Node, placed: Placed) -> None:
        block, x, y, width = placed.block, placed.x, placed.y, placed.width
        target = group
        if block.href:
            target = group.add(node("a", target="_top", **{"xlink:href": block.href,
                                                          "aria-label": block.full}))
        base = y + 13
        tip = block.full if block.truncated else ""  # on the block's main text
        if block.kind == "title":
            if block.extra:
                _lines(target, x, base - 1, block.extra, "moment")
                base += LINE * len(block.extra)
            _lines(target, x, base, block.lines, "stage-title", title=tip)
            _rect(target, x - 4, y - 4, width + 8, block.height + 8, "focus-box", rx=4)
        elif block.kind == "bullet":
            if block.cls == "pain":
                target.put(_polygon("pain", " ".join(
                    f"{px},{py}" for px, py in ((x, base), (x + 4, base - 9), (x + 8, base)))))
            elif block.cls == "company":
                _rect(target, x + 1, base - 8, 6, 6, "company")
            elif block.cls == "idea":  # an opportunity: a small star-like diamond
                target.put(_polygon("idea", " ".join(
                    f"{num(px)},{num(py)}" for px, py in ((x + 4, base - 10), (x + 8, base - 5),
                                                          (x + 4, base), (x, base - 5)))))
            else:
                target.put(_circle(x + 4, base - 4, "3", block.cls if block.cls in _DOTS
                                   else "dot"))
            _lines(target, x + 14, base, block.lines, title=tip)
        elif block.kind == "thought":
            _lines(target, x, base, block.lines, "thought", title=tip)
        elif block.kind == "chip":
            badge_w = badge_width(block.badge)
            _rect(target, x, y, width, block.height, "chip", rx=8)
            _rect(target, x + 6, y + 6, badge_w, 16, "badge", rx=8)
            _lines(target, x + 6 + badge_w / 2, y + 18, (block.badge,), "badge-text",
                   anchor="middle")
            _lines(target, x + badge_w + 12, base + 5, block.lines, "chip-text", title=tip)
            if block.extra:  # a second line (an opportunity's status)
                _lines(target, x + badge_w + 12, base + 5 + LINE * len(block.lines),
                       block.extra, "chip-note")
        elif block.kind == "gap":
            severity, settled = block.cls.split()[0], "settled" in block.cls
            if settled:  # closed or wont-fix: a faded card, the title struck through
                target = target.add(node("g", class_="settled"))
            _rect(target, x, y, width, block.height, "gap-chip", rx=6)
            _rect(target, x, y, 5, block.height, severity, rx=2)
            _lines(target, x + 12, base + 4, (block.badge,), f"sev-label {severity}")
            _lines(target, x + 12, base + 4 + LINE, block.lines, "struck" if settled else "",
                   title=tip)
            if block.extra:
                _lines(target, x + 12, base + 4 + LINE * (1 + len(block.lines)), block.extra,
                       "muted")
        else:  # metric
            _lines(target, x, base, block.lines, title=tip)
            _lines(target, x, base + LINE * len(block.lines), block.extra, block.cls or "muted")
        if block.sup:
            self._sup(group, block, x + (14 if block.kind == "bullet" else 0), base)

    def _sup(self, group: Node, block: Block, x: float, base: float) -> None:
        """The count of insights a text cites, raised after its last line, linked."""
        last = block.lines[-1] if block.lines else ""
        link = group.add(node("a", target="_top", class_="cites",
                              **{"xlink:href": block.sup_href, "aria-label": block.sup_title}))
        link["data-cites"] = block.sup
        _tooltip(link, block.sup_title)
        link.add(node("text", block.sup, x=num(x + text_width(last, SIZE) + 3),
                      y=num(base + LINE * (len(block.lines) - 1) - 5), class_="sup"))

    def _legend(self, root: Node) -> None:
        group = root.add(node("g", class_="legend"))
        _lines(group, 12, 20, (self.ctx.t("emotion_curve"),), "muted")
        for entry in self.box.legend:
            x = entry.x
            if entry.as_is:  # as the as-is curves are drawn: faint and dashed
                _line(group, x, entry.y, x + 28, entry.y, "curve as-is p0")
            elif entry.measured:
                _line(group, x, entry.y, x + 28, entry.y, f"curve measured m{entry.persona % 2}")
                measured_point(group, x + 14, entry.y, entry.persona)
            else:
                _line(group, x, entry.y, x + 28, entry.y, f"curve p{entry.persona % 8}")
                persona_point(group, x + 14, entry.y, entry.persona)
            _lines(group, x + 36, entry.y + 4, (entry.name,))

    def _emotion(self, root: Node, groups: list[Node]) -> None:
        emotion = self.box.emotion
        assert emotion is not None
        y, ys, right = emotion.y, emotion.ys, emotion.right
        _rect(root, LABEL_W, y, right - LABEL_W, ys[0] - y, "zone-pos")
        _rect(root, LABEL_W, ys[0], right - LABEL_W, y + EMOTION_H - ys[0], "zone-neg")
        scale = root.add(node("g", class_="scale-marks"))
        words = self.labels.add(node("g", class_="scale-marks"))
        for score in SCORES:
            _lines(words, LABEL_W - 8, ys[score] + 4,
                   (f"{self.names[score]} {score_label(score)}",), "scale label-full",
                   anchor="end")
            _lines(words, SHORT_W - 6, ys[score] + 4, (score_label(score),),
                   "scale label-short", anchor="end")
            _line(words, LABEL_W - 4, ys[score], LABEL_W, ys[score], "tick")
            if score:
                _line(scale, LABEL_W, ys[score], right, ys[score], "tick")
        _line(root, LABEL_W, ys[0], right, ys[0], "zero")
        for index, points in enumerate(emotion.ghosts):
            if len(points) > 1:  # the as-is curve, faint, behind the to-be one
                root.put(leaf("path", d=smooth_path(list(points)),
                              class_=f"curve as-is p{index % 8}", **{"aria-hidden": "true"}))
        for index, points in enumerate(emotion.curves):
            curve = root.add(node("path", d=smooth_path([(p.x, p.y) for p in points]),
                                  class_=f"curve p{index % 8}", **{"aria-hidden": "true"}))
            curve["data-persona"] = self.box.personas[index]
            for point in points:
                groups[point.stage].add(self._emotion_point(point))
        self._measured(root, emotion)

    def _measured(self, root: Node, emotion: Emotion) -> None:
        """Curves measured by surveys, each point with its responses; and per stage
        whether its emotion is measured or only assumed."""
        t = self.ctx.t
        for index, (points, curve) in enumerate(zip(emotion.measured, self.journey.measured,
                                                    strict=True)):
            group = root.add(node("g", class_="measured-curve"))
            group["data-survey"] = curve.survey
            if len(points) > 1:
                group.put(leaf("path", d=smooth_path([(p.x, p.y) for p in points]),
                               class_=f"curve measured m{index % 2}",
                               **{"aria-hidden": "true"}))
            for point in points:
                mark = group.add(node("g", class_="measured-point"))
                _tooltip(mark, f"{t('measured')} ({curve.title}): {point.label} → "
                               f"{_signed(point.score)} · n = {point.n}")
                measured_point(mark, point.x, point.y, index)
                if point.label_dy is not None:
                    _lines(mark, point.x + point.label_dx, point.y + point.label_dy,
                           (point.label,), "measured-label", anchor="middle")
        for mark in emotion.evidence:
            self._evidence_mark(root, mark, emotion.y)

    def _evidence_mark(self, root: Node, mark: EvidenceMark, top: float) -> None:
        """Measured, evidenced or assumed, told apart by their words and by a shape
        before them (filled diamond, half-filled square, dashed circle), not by colour."""
        group = root.add(node("g", class_=f"evidence {mark.level}"))
        group["data-evidence"] = mark.level
        y = top + MARK_TOP
        evidence_shape(group, mark.level, mark.shape_x(), y)
        _lines(group, mark.x, y, mark.lines, "ev-text", anchor="middle")

    def _emotion_point(self, point: Point) -> Node:
        name = self.box.names[self.box.personas[point.persona]]
        group = node("g", class_="emotion-point")
        _tooltip(group, f"{name}: {score_label(point.score)} ({self.names[point.score]})")
        persona_point(group, point.x, point.y, point.persona)
        if point.label_dy is not None:
            _lines(group, point.x + point.label_dx, point.y + point.label_dy,
                   (score_label(point.score),),
                   "score", anchor="middle")
        return group


def _signed(score: float) -> str:
    shown = f"{abs(score):.1f}"
    return f"+{shown}" if score > 0 else f"−{shown}" if score < 0 else "0"


@dataclass(frozen=True, slots=True)
class DrawnMap:
    """A map's SVG and its size as the SVG states it (the layout's, to one decimal)."""

    svg: str
    width: float
    height: float


def standalone_svg(drawn: DrawnMap, head: tuple[str, ...]) -> str:
    """The same map as a file of its own (styles are already embedded, links are
    relative), under a title block: `head` is the journey's title, then lines such as
    its personas, objective, status and date. A slide shows whose map it is. The map is
    nested as it is, so it is drawn once for page and file."""
    width, height = drawn.width, drawn.height
    lines = [wrap(head[0], width - 40, 24.0, 2).lines,
             *(wrap(line, width - 40, 14.0, 3).lines for line in head[1:])]
    top = 24 + 30 * len(lines[0]) + sum(20 * len(ls) for ls in lines[1:]) + 16
    root = svg_root(num(width), num(height + top), viewBox=f"0 0 {num(width)} "
                    f"{num(height + top)}", class_="cjm-map-file")
    root.add(node("title", head[0]))
    root.add(Node("style", attrs={"type": "text/css"}, cdata=_TITLE_CSS))
    _rect(root, 0, 0, width, height + top, "tb-bg")
    block = root.add(node("g", class_="title-block"))
    y = 40.0
    for index, rows in enumerate(lines):
        for row in rows:
            block.add(node("text", row, x="20", y=num(y), class_="tb-title" if index == 0
                           else "tb-line"))
            y += 30 if index == 0 else 20
    _line(block, 20, top - 8, width - 20, top - 8, "tb-rule")
    text = write(root)
    nested = drawn.svg.replace("<svg ", f'<svg x="0" y="{num(top)}" ', 1)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text[:text.rindex("</svg>")]
            + nested + "</svg>\n")


def draw_map(journey: model.Journey, site: model.Site, language: str,
             t: Callable[[str], str], root: str = "../../",
             closed_gaps: str = "muted") -> DrawnMap:
    """`root`: the way from where the map is shown to the site's root (links to
    touchpoints and gaps start with it); `closed_gaps`: [map] closed_gaps."""
    ctx = Context(site, language, t, root, closed_gaps)
    as_is = site.journeys.get(journey.future_of) if journey.future_of else None
    box = layout(journey, ctx, as_is)
    return DrawnMap(_Drawing(journey, ctx, box).svg(), float(num(box.width)),
                    float(num(box.height)))
