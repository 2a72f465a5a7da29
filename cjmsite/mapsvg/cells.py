"""What each lane shows for one stage, as measured text blocks (no drawing here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cjmsite import model
from cjmsite.mapsvg.text import wrap

SIZE = 13.0  # body font size in px
LINE = 17.0  # line height in px
PAD = 10.0  # cell padding
GAP = 6.0  # space between blocks in a cell
CHANNEL_MARKS = {
    "en": {"phone": "TEL", "in-person": "F2F", "email": "@", "sms": "SMS", "chat": "CHAT",
           "app": "APP", "web": "WEB", "social": "SOC", "mail": "POST", "other": "•••"},
    "es": {"phone": "TEL", "in-person": "PRES", "email": "@", "sms": "SMS", "chat": "CHAT",
           "app": "APP", "web": "WEB", "social": "RRSS", "mail": "POST", "other": "•••"},
}


@dataclass(frozen=True)
class Block:
    """One item in a cell: wrapped lines plus how to decorate and link them."""

    kind: str  # bullet | chip | thought | gap | metric | title
    lines: tuple[str, ...]
    full: str  # the whole text, kept in a <title> when the lines are cut
    truncated: bool = False
    href: str = ""
    cls: str = ""  # extra CSS class (severity, channel, metric result)
    badge: str = ""  # short mark drawn before the text (channel code, severity word)
    extra: tuple[str, ...] = ()  # second-level lines (metric value, gap change)

    @property
    def height(self) -> float:
        body = (len(self.lines) + len(self.extra)) * LINE
        if self.kind in ("chip", "gap"):
            return body + 10 + (LINE if self.kind == "gap" else 0)
        return body


@dataclass(frozen=True)
class Lane:
    key: str
    cells: Callable[[model.Stage, float], list[Block]]


def cell_height(blocks: list[Block]) -> float:
    if not blocks:
        return 0.0
    return sum(b.height for b in blocks) + GAP * (len(blocks) - 1) + 2 * PAD


def _text_block(kind: str, text: str, width: float, max_lines: int, **kw: str) -> Block:
    wrapped = wrap(text, width, SIZE, max_lines)
    return Block(kind, wrapped.lines, text, wrapped.truncated, **kw)


def _bullets(kind: str, items: list[str], width: float) -> list[Block]:
    return [_text_block("bullet", item, width - 14, 5, cls=kind) for item in items]


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


class CellBuilder:
    """Turns stages into blocks for a given site, language and link prefix."""

    def __init__(self, site: model.Site, language: str, t: Callable[[str], str], root: str):
        self.site, self.language, self.t, self.root = site, language, t, root

    def lanes(self) -> list[Lane]:
        return [
            Lane("actions", lambda s, w: _bullets("dot", s.actions, w)),
            Lane("touchpoints", self.touchpoints),
            Lane("thoughts", lambda s, w: [_text_block("thought", f"“{s.thoughts}”", w, 6)]
                 if s.thoughts else []),
            Lane("emotion", lambda s, w: []),
            Lane("pain_points", lambda s, w: _bullets("pain", s.pain_points, w)),
            Lane("gaps", self.gaps),
            Lane("company_actions", lambda s, w: _bullets("company", s.company_actions, w)),
            Lane("metrics", self.metrics),
        ]

    def touchpoints(self, stage: model.Stage, width: float) -> list[Block]:
        blocks = []
        marks = CHANNEL_MARKS.get(self.language, CHANNEL_MARKS["en"])
        for point_id in stage.touchpoints:
            point = self.site.touchpoints.get(point_id)
            if point is None:
                continue
            badge = marks.get(point.channel, "•••")
            badge_w = 10 + len(badge) * 7
            wrapped = wrap(point.title, width - badge_w - 20, SIZE, 3)
            blocks.append(Block("chip", wrapped.lines, point.title, wrapped.truncated,
                                href=f"{self.root}touchpoints/{point.slug}/index.html",
                                cls=f"ch-{point.channel}", badge=badge))
        return blocks

    def gaps(self, stage: model.Stage, width: float) -> list[Block]:
        blocks = []
        for gap in stage.gaps:
            wrapped = wrap(gap.title, width - 18, SIZE, 4)
            change = wrap(f"→ {gap.change}", width - 18, 11.5, 3).lines if gap.change else ()
            full = gap.title + (f" — {gap.change}" if gap.change else "")
            blocks.append(Block("gap", wrapped.lines, full, wrapped.truncated or bool(change),
                                href=f"{self.root}gaps/index.html#{gap.anchor}",
                                cls=f"sev-{gap.severity}", badge=self.t(gap.severity),
                                extra=change))
        return blocks

    def metrics(self, stage: model.Stage, width: float) -> list[Block]:
        blocks = []
        for metric in stage.metrics:
            unit = f" {metric.unit}" if metric.unit else ""
            value = f"{_number(metric.value)}{unit}"
            line = value
            cls = ""
            if metric.target is not None:
                sign = "≥" if metric.higher_is_better else "≤"
                ok = metric.meets_target
                line = f"{'✓' if ok else '✗'} {value} / {self.t('target').lower()} " \
                       f"{sign} {_number(metric.target)}{unit}"
                cls = "metric-ok" if ok else "metric-miss"
            wrapped = wrap(metric.name, width, SIZE, 3)
            value_lines = wrap(line, width, SIZE, 2).lines
            full = f"{metric.name}: {line}" + (f" ({metric.source})" if metric.source else "")
            blocks.append(Block("metric", wrapped.lines, full, True, cls=cls, extra=value_lines))
        return blocks


def column_width(stage: model.Stage) -> float:
    """Wider columns for wordier stages, within bounds that keep the map readable."""
    texts = [stage.title, stage.thoughts, *stage.actions, *stage.pain_points,
             *stage.company_actions, *(g.title for g in stage.gaps)]
    longest = max((len(t) for t in texts), default=0)
    return float(min(280, max(190, 150 + longest * 1.3)))
