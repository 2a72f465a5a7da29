"""The journey map: stages as columns, lanes as rows, an emotion curve per persona.

Pure: a Journey (and the Site for touchpoint names) in, SVG text out. Links are relative to
the journey's folder, so the same SVG works inline on the page and as map.svg beside it."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from importlib.resources import files

import svgwrite
from svgwrite.base import Desc, Title
from svgwrite.container import Group

from cjmsite import model
from cjmsite.i18n import EMOTION_NAMES
from cjmsite.mapsvg.cells import GAP, LINE, PAD, Block, CellBuilder, cell_height, column_width
from cjmsite.mapsvg.curve import smooth_path
from cjmsite.mapsvg.serialize import Node, to_svg
from cjmsite.mapsvg.text import wrap

LABEL_W = 150.0
PHASE_H = 34.0
EMOTION_H = 210.0
LEGEND_H = 30.0
SHAPES = ("circle", "square", "triangle", "diamond")
# One element per line, so a changed stage shows as a small diff in git; never inside <text>.
_ELEMENT_BREAK = re.compile(r"><(?=(?:g|/g|a|/a|rect|line|path|circle|polygon|text|style|desc)"
                            r"[ >/])")


@cache
def map_css() -> str:
    return files("cjmsite.mapsvg").joinpath("map.css").read_text(encoding="utf-8")


@lru_cache(maxsize=8192)  # a map repeats the same few hundred coordinates thousands of times
def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def score_label(score: int) -> str:
    return f"+{score}" if score > 0 else ("0" if score == 0 else f"−{-score}")


class _Canvas:
    """Small helpers over svgwrite so drawing code reads as layout, not as XML."""

    def __init__(self, width: float, height: float):
        self.dwg = svgwrite.Drawing(size=(_n(width), _n(height)), profile="full", debug=False)

    def rect(self, parent, x, y, w, h, cls, rx=0.0):
        node = Node("rect", x=_n(x), y=_n(y), width=_n(w), height=_n(h))
        node.attribs["class"] = cls
        if rx:
            node.attribs["rx"] = _n(rx)
        parent.add(node)

    def lines(self, parent, x, y, lines, cls="", anchor="start"):
        """Multi-line text; y is the first baseline."""
        text = Node("text", x=_n(x), y=_n(y))
        if cls:
            text.attribs["class"] = cls
        if anchor != "start":
            text.attribs["text-anchor"] = anchor
        for index, line in enumerate(lines):
            text.elements.append(Node("tspan", line, x=_n(x), y=_n(y + index * LINE)))
        parent.add(text)
        return text

    def line(self, parent, x1, y1, x2, y2, cls):
        node = Node("line", x1=_n(x1), y1=_n(y1), x2=_n(x2), y2=_n(y2))
        node.attribs["class"] = cls
        parent.add(node)


def _tooltip(element, text: str, id_: str = "", cls=Title):
    """A <title> (or <desc>): the native tooltip and the accessible name of its parent."""
    node = cls(text)
    if id_:
        node.xml.set("id", id_)
    element.elements.insert(0, node)
    return node


class JourneyMap:
    def __init__(self, journey: model.Journey, site: model.Site, language: str,
                 t: Callable[[str], str], root: str = "../../"):
        self.journey, self.site, self.language, self.t = journey, site, language, t
        self.cells = CellBuilder(site, language, t, root)
        self.stages = journey.stages
        self.widths = [column_width(s) for s in self.stages]
        self.xs = [LABEL_W + sum(self.widths[:i]) for i in range(len(self.stages))]
        self.personas = [p for p in journey.personas if any(p in s.emotion for s in self.stages)]

    # -- layout ---------------------------------------------------------------------------
    def _rows(self) -> list[tuple[str, float, list[list[Block]]]]:
        """(lane key, height, blocks per stage) for every lane that has data somewhere."""
        rows = []
        if any(s.phase for s in self.stages):
            rows.append(("phase", PHASE_H, []))
        titles = [
            [Block("title", wrap(s.title, w - 2 * PAD, 14.0, 3).lines, s.title,
                   wrap(s.title, w - 2 * PAD, 14.0, 3).truncated,
                   href=f"index.html#stage-{s.slug}",
                   extra=(s.moment,) if s.moment else ())]
            for s, w in zip(self.stages, self.widths, strict=True)
        ]
        rows.append(("stage", max((cell_height(c) for c in titles), default=40.0), titles))
        for lane in self.cells.lanes():
            if lane.key == "emotion":
                if self.personas:
                    rows.append(("emotion", EMOTION_H, []))
                continue
            cells = [lane.cells(s, w - 2 * PAD) for s, w in zip(self.stages, self.widths,
                                                                 strict=True)]
            if any(cells):
                rows.append((lane.key, max(cell_height(c) for c in cells), cells))
        # A row is never shorter than its (possibly wrapped) lane label.
        return [(key, max(height, 12 + LINE * len(self._label_lines(key))), cells)
                for key, height, cells in rows]

    def _label_lines(self, key: str) -> tuple[str, ...]:
        return wrap(self.t(key), LABEL_W - 20, 12.0, 3).lines

    # -- drawing --------------------------------------------------------------------------
    def render(self, standalone: bool = False) -> str:
        rows = self._rows()
        legend = LEGEND_H if len(self.personas) > 1 else 0.0
        width = LABEL_W + sum(self.widths) + 1
        height = legend + sum(h for _, h, _ in rows) + 1
        canvas = self.canvas = _Canvas(width, height)
        dwg = canvas.dwg
        slug = self.journey.slug
        dwg["class"] = "cjm-map"
        dwg["viewBox"] = f"0 0 {_n(width)} {_n(height)}"
        dwg["aria-labelledby"] = f"map-title-{slug}"
        dwg["aria-describedby"] = f"map-desc-{slug}"
        dwg.add(dwg.style(map_css()))
        _tooltip(dwg, self._description(), f"map-desc-{slug}", Desc)
        _tooltip(dwg, f"{self.t('map')}: {self.journey.title}", f"map-title-{slug}")
        canvas.rect(dwg, 0, 0, width, height, "bg")
        if legend:
            self._legend(canvas, legend)
        y = legend
        stage_groups = [self._stage_group(dwg, i) for i in range(len(self.stages))]
        for band, (key, row_h, cells) in enumerate(rows):
            if band % 2 and key not in ("phase", "emotion"):
                canvas.rect(dwg, LABEL_W, y, width - LABEL_W, row_h, "band")
            self._lane_label(canvas, key, y, row_h)
            if key == "phase":
                self._phases(canvas, y)
            elif key == "emotion":
                self._emotion(canvas, y, stage_groups)
            else:
                for index, blocks in enumerate(cells):
                    self._cell(canvas, stage_groups[index], blocks, index, y)
            canvas.line(dwg, 0, y + row_h, width, y + row_h, "grid")
            y += row_h
        for index, x in enumerate(self.xs):
            top = legend + (PHASE_H if rows[0][0] == "phase" else 0)
            canvas.line(dwg, x, top, x, height, "grid")
            dwg.add(stage_groups[index])
        canvas.line(dwg, width - 0.5, legend, width - 0.5, height, "grid")
        xml = _ELEMENT_BREAK.sub(">\n<", to_svg(dwg))
        return standalone_svg(xml) if standalone else xml

    def _description(self) -> str:
        parts = [self.journey.objective]
        names = EMOTION_NAMES.get(self.language, EMOTION_NAMES["en"])
        for number, stage in enumerate(self.stages, 1):
            bits = [b for b in (stage.moment, stage.phase) if b]
            feeling = ", ".join(
                f"{self._persona_name(p)} {score_label(score)} ({names[score]})"
                for p in self.personas if (score := stage.emotion.get(p)) is not None
            )
            if feeling:
                bits.append(feeling)
            parts.append(f"{number}. {stage.title}" + (f" — {'; '.join(bits)}" if bits else ""))
        return " ".join(parts)

    def _persona_name(self, persona_id: str) -> str:
        persona = self.site.personas.get(persona_id)
        return persona.name if persona else persona_id

    def _stage_group(self, dwg, index: int) -> Group:
        stage = self.stages[index]
        group = dwg.g(class_="stage", id=f"map-stage-{self.journey.slug}-{stage.slug}")
        group["role"] = "group"
        group["aria-label"] = f"{self.t('stage')} {index + 1}: {stage.title}"
        return group

    def _lane_label(self, canvas: _Canvas, key: str, y: float, height: float) -> None:
        group = canvas.dwg.g(class_="lane-label")
        canvas.rect(group, 0, y, LABEL_W, height, "")
        canvas.lines(group, 12, y + 20, self._label_lines(key))
        canvas.dwg.add(group)

    def _phases(self, canvas: _Canvas, y: float) -> None:
        index = 0
        for phase, stages in self.journey.phase_runs():
            x = self.xs[index]
            span = sum(self.widths[index:index + len(stages)])
            index += len(stages)
            if not phase:
                continue
            group = canvas.dwg.g(class_="phase")
            canvas.rect(group, x + 3, y + 4, span - 6, PHASE_H - 8, "", rx=6)
            label = wrap(phase, span - 24, 13.0, 1)
            text = canvas.lines(group, x + span / 2, y + 22, label.lines, anchor="middle")
            if label.truncated:
                _tooltip(text, phase)
            canvas.dwg.add(group)

    def _cell(self, canvas: _Canvas, group: Group, blocks: list[Block], index: int,
              y: float) -> None:
        x, width = self.xs[index] + PAD, self.widths[index] - 2 * PAD
        top = y + PAD
        for block in blocks:
            self._block(canvas, group, block, x, top, width)
            top += block.height + GAP

    def _block(self, canvas: _Canvas, group: Group, block: Block, x: float, y: float,
               width: float) -> None:
        dwg = canvas.dwg
        target = group
        if block.href:
            target = dwg.a(href=block.href, target="_top")
            target["aria-label"] = block.full
            group.add(target)
        base = y + 13
        if block.kind == "title":
            if block.extra:
                canvas.lines(target, x, base - 1, block.extra, "moment")
                base += LINE
            text = canvas.lines(target, x, base, block.lines, "stage-title")
            canvas.rect(target, x - 4, y - 4, width + 8, block.height + 8, "focus-box", rx=4)
        elif block.kind == "bullet":
            marker = {"dot": "dot", "pain": "pain", "company": "company"}[block.cls]
            if marker == "pain":
                target.add(dwg.polygon([(x, base), (x + 4, base - 9), (x + 8, base)],
                                       class_=marker))
            elif marker == "company":
                canvas.rect(target, x + 1, base - 8, 6, 6, marker)
            else:
                target.add(dwg.circle((_n(x + 4), _n(base - 4)), 3, class_=marker))
            text = canvas.lines(target, x + 14, base, block.lines)
        elif block.kind == "thought":
            text = canvas.lines(target, x, base, block.lines, "thought")
        elif block.kind == "chip":
            canvas.rect(target, x, y, width, block.height, "chip", rx=8)
            badge_w = 10 + len(block.badge) * 7
            canvas.rect(target, x + 6, y + 6, badge_w, 16, "badge", rx=8)
            canvas.lines(target, x + 6 + badge_w / 2, y + 18, (block.badge,), "badge-text",
                         anchor="middle")
            text = canvas.lines(target, x + badge_w + 12, base + 5, block.lines, "chip-text")
        elif block.kind == "gap":
            canvas.rect(target, x, y, width, block.height, "gap-chip", rx=6)
            canvas.rect(target, x, y, 5, block.height, block.cls, rx=2)
            canvas.lines(target, x + 12, base + 4, (block.badge,), f"sev-label {block.cls}")
            text = canvas.lines(target, x + 12, base + 4 + LINE, block.lines)
            if block.extra:
                canvas.lines(target, x + 12, base + 4 + LINE * (1 + len(block.lines)),
                             block.extra, "muted")
        else:  # metric
            text = canvas.lines(target, x, base, block.lines)
            canvas.lines(target, x, base + LINE * len(block.lines), block.extra,
                         block.cls or "muted")
        if block.truncated:
            _tooltip(text, block.full)

    def _legend(self, canvas: _Canvas, height: float) -> None:
        group = canvas.dwg.g(class_="legend")
        canvas.lines(group, 12, 20, (self.t("emotion_curve"),), "muted")
        x = LABEL_W + 10
        for index, persona_id in enumerate(self.personas):
            cls = f"p{index % 4}"
            canvas.line(group, x, height / 2, x + 28, height / 2, f"curve {cls}")
            self._point(group, x + 14, height / 2, index)
            name = self._persona_name(persona_id)
            canvas.lines(group, x + 36, height / 2 + 4, (name,))
            x += 60 + len(name) * 8
        canvas.dwg.add(group)

    def _point(self, parent, x: float, y: float, index: int) -> None:
        dwg = self.canvas.dwg
        shape, cls = SHAPES[index % 4], f"pt p{index % 4}"
        if shape == "circle":
            parent.add(dwg.circle((_n(x), _n(y)), 5.5, class_=cls))
        elif shape == "square":
            parent.add(dwg.rect((_n(x - 5), _n(y - 5)), (10, 10), class_=cls))
        elif shape == "triangle":
            parent.add(dwg.polygon([(_n(x), _n(y - 6.5)), (_n(x + 6.5), _n(y + 5)),
                                    (_n(x - 6.5), _n(y + 5))], class_=cls))
        else:
            parent.add(dwg.polygon([(_n(x), _n(y - 7)), (_n(x + 7), _n(y)), (_n(x), _n(y + 7)),
                                    (_n(x - 7), _n(y))], class_=cls))

    def _emotion(self, canvas: _Canvas, y: float, groups: list[Group]) -> None:
        dwg = canvas.dwg
        top, usable = y + 52, EMOTION_H - 72  # room for the lane label above +2
        right = LABEL_W + sum(self.widths)

        def ypos(score: float) -> float:
            return top + (2 - score) * usable / 4

        canvas.rect(dwg, LABEL_W, y, right - LABEL_W, ypos(0) - y, "zone-pos")
        canvas.rect(dwg, LABEL_W, ypos(0), right - LABEL_W, y + EMOTION_H - ypos(0), "zone-neg")
        names = EMOTION_NAMES.get(self.language, EMOTION_NAMES["en"])
        scale = dwg.g(class_="scale-marks")
        for score in (2, 1, 0, -1, -2):
            canvas.lines(scale, LABEL_W - 8, ypos(score) + 4,
                         (f"{names[score]} {score_label(score)}",), "scale", anchor="end")
            canvas.line(scale, LABEL_W - 4, ypos(score), LABEL_W, ypos(score), "tick")
            if score:
                canvas.line(scale, LABEL_W, ypos(score), right, ypos(score), "tick")
        dwg.add(scale)
        canvas.line(dwg, LABEL_W, ypos(0), right, ypos(0), "zero")
        single = len(self.personas) == 1
        for p_index, persona_id in enumerate(self.personas):
            # Personas sit a few pixels apart so equal scores still show every marker.
            shift = (p_index - (len(self.personas) - 1) / 2) * 8
            points = [
                (self.xs[i] + self.widths[i] / 2 + shift, ypos(s.emotion[persona_id]), i)
                for i, s in enumerate(self.stages) if persona_id in s.emotion
            ]
            path = dwg.path(d=smooth_path([(px, py) for px, py, _ in points]),
                            class_=f"curve p{p_index % 4}")
            path["aria-hidden"] = "true"
            dwg.add(path)
            for px, py, stage_index in points:
                score = self.stages[stage_index].emotion[persona_id]
                point = dwg.g(class_="emotion-point")
                _tooltip(point, f"{self._persona_name(persona_id)}: "
                                f"{score_label(score)} ({names[score]})")
                self._point(point, px, py, p_index)
                if single or len(self.personas) <= 2:
                    # Each label sits on the side away from the other persona's point.
                    other = self.stages[stage_index].emotion.get(
                        self.personas[1 - p_index] if not single else persona_id, score)
                    above = score > other or (score == other and p_index == 0)
                    offset = -11 if above else 19
                    canvas.lines(point, px, py + offset, (score_label(score),), "score",
                                 anchor="middle")
                groups[stage_index].add(point)


def standalone_svg(inline: str) -> str:
    """The same map as a file of its own: styles are already embedded, links are relative."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + inline + "\n"


def render_map(journey: model.Journey, site: model.Site, language: str,
               t: Callable[[str], str], standalone: bool = False) -> str:
    return JourneyMap(journey, site, language, t).render(standalone=standalone)
