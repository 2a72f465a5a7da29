"""A small line chart over time, drawn on the server: a journey's emotion across commits
(and any other measure over time).

Each series has its own colour, dash and marker shape, so lines stay apart in greyscale
print and for colour-blind readers; each point carries a <title> with its value. The
chart is an image with a summary label: pages put the same figures in a table beside it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cjmsite.mapsvg.svg import node, num, write

STEP, LEFT, RIGHT, TOP, PLOT, BOTTOM = 64.0, 84.0, 24.0, 48.0, 160.0, 72.0
# Narrow enough that a phone shows the whole chart (the theme fits it to the width there):
# a year of months closer together than a few.
MIN_WIDTH, LEGEND_ITEM, CLOSE_STEP, FEW = 400.0, 180.0, 44.0, 8
DASHES = ("", "6 4", "2 3", "10 3 2 3", "", "6 4", "2 3", "10 3 2 3")
SERIES = 8  # distinct styles (t0..t7 in the theme); more series repeat them


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]  # one per label; None where there is no value


def _marker(shape: int, x: float, y: float, r: float = 4.0) -> str:
    """Path data of marker `shape` (circle, square, triangle, diamond, triangle down,
    plus, cross, bar) centred on (x, y)."""
    s = shape % SERIES
    if s == 0:
        return (f"M{num(x - r)},{num(y)}a{num(r)},{num(r)} 0 1,0 {num(2 * r)},0"
                f"a{num(r)},{num(r)} 0 1,0 {num(-2 * r)},0Z")
    if s == 1:
        return f"M{num(x - r)},{num(y - r)}h{num(2 * r)}v{num(2 * r)}h{num(-2 * r)}Z"
    if s == 2:
        return f"M{num(x)},{num(y - r)}L{num(x + r)},{num(y + r)}L{num(x - r)},{num(y + r)}Z"
    if s == 3:
        return f"M{num(x)},{num(y - r)}L{num(x + r)},{num(y)}L{num(x)},{num(y + r)}" \
               f"L{num(x - r)},{num(y)}Z"
    if s == 4:
        return f"M{num(x)},{num(y + r)}L{num(x + r)},{num(y - r)}L{num(x - r)},{num(y - r)}Z"
    if s == 5:
        return f"M{num(x - r)},{num(y)}h{num(2 * r)}M{num(x)},{num(y - r)}v{num(2 * r)}"
    if s == 6:
        return f"M{num(x - r)},{num(y - r)}l{num(2 * r)},{num(2 * r)}" \
               f"M{num(x + r)},{num(y - r)}l{num(-2 * r)},{num(2 * r)}"
    return f"M{num(x - r)},{num(y - r / 2)}h{num(2 * r)}v{num(r)}h{num(-2 * r)}Z"


def trend_chart(labels: list[str], series: list[Series], low: float, high: float,
                ticks: list[tuple[float, str]], label: str,
                shown: Callable[[float], str] = str) -> str:
    """Inline SVG: `labels` along x (oldest first), one line per series between `low`
    and `high`, horizontal rules at `ticks`. `shown` writes a value in the tooltips."""
    step = STEP if len(labels) <= FEW else CLOSE_STEP
    width = max(MIN_WIDTH, LEFT + RIGHT + step * max(len(labels) - 1, 1))
    step = (width - LEFT - RIGHT) / max(len(labels) - 1, 1)
    per_row = max(1, int((width - LEFT) // LEGEND_ITEM))
    legend_rows = (len(series) + per_row - 1) // per_row
    top = TOP + 20 * max(legend_rows - 1, 0)
    height = top + PLOT + BOTTOM
    svg = node("svg", class_="cjm-trend", width=num(width), height=num(height),
               viewBox=f"0 0 {num(width)} {num(height)}", role="img")
    svg["aria-label"] = label

    def x(index: int) -> float:
        return LEFT + (step * index if len(labels) > 1 else (width - LEFT - RIGHT) / 2)

    def y(value: float) -> float:
        return top + (high - value) * PLOT / ((high - low) or 1)

    for value, text in ticks:
        svg.add(node("line", class_="trend-rule" + (" zero" if value == 0 else ""),
                     x1=num(LEFT - 4), x2=num(width - RIGHT / 2), y1=num(y(value)),
                     y2=num(y(value))))
        svg.add(node("text", text, class_="trend-tick", x=num(LEFT - 8),
                     y=num(y(value) + 4)))
    for index, text in enumerate(labels):
        svg.add(node("text", text, class_="trend-label", x=num(x(index)),
                     y=num(top + PLOT + 16),
                     transform=f"rotate(-30 {num(x(index))} {num(top + PLOT + 16)})"))
    for number, one in enumerate(series):
        style = f"t{number % SERIES}"
        group = svg.add(node("g", class_=f"trend-series {style}"))
        group["data-series"] = one.name
        points = [(x(i), y(v), v, labels[i]) for i, v in enumerate(one.values)
                  if v is not None]
        if len(points) > 1:
            path = "".join(f"{'M' if i == 0 else 'L'}{num(px)},{num(py)}"
                           for i, (px, py, _, _) in enumerate(points))
            line = group.add(node("path", class_="trend-line", d=path))
            if DASHES[number % SERIES]:
                line["stroke-dasharray"] = DASHES[number % SERIES]
        # The legend: the series' own line and marker, then its name.
        lx = LEFT + LEGEND_ITEM * (number % per_row)
        ly = 16 + 20 * (number // per_row)
        key = group.add(node("path", class_="trend-line", d=f"M{num(lx)},{num(ly)}h28"))
        if DASHES[number % SERIES]:
            key["stroke-dasharray"] = DASHES[number % SERIES]
        group.add(node("path", class_="trend-mark", d=_marker(number, lx + 14, ly)))
        group.add(node("text", one.name, class_="trend-name", x=num(lx + 36),
                       y=num(ly + 4)))
        for px, py, value, when in points:
            mark = group.add(node("path", class_="trend-mark",
                                  d=_marker(number, px, py)))
            mark.add(node("title", f"{one.name}, {when}: {shown(value)}"))
    return write(svg)
