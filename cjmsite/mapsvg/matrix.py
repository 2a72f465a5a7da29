"""The value/effort matrix of the portfolio page, drawn on the server.

x is effort (1 to 5), y the mean of customer and business value (0 to 100); the
quadrants are quick wins (high value, low effort), big bets (high value, high effort),
fill-ins and money pits. Every point has a label, placed by a deterministic pass
(`place_labels`) so that no label covers a point, another label or a quadrant's name:
candidate spots around the point first, then rings further out with a leader line, and
the point's number alone when even that finds no room. Points at the same score are
drawn side by side around it. The page shows the same figures in a table."""

from __future__ import annotations

import math
from dataclasses import dataclass

from cjmsite.mapsvg.svg import leaf, node, num, svg_root, write
from cjmsite.mapsvg.text import text_width

WIDTH, HEIGHT = 720.0, 480.0
LEFT, RIGHT, TOP, BOTTOM = 64.0, 20.0, 20.0, 56.0
SIZE = 12.0  # label font size
R = 6.0  # point radius
SPREAD = 15.0  # distance between points at the same score
PAD = 2.0  # space kept around every label
MAX_LABEL = 28  # characters of a title shown on the matrix (all of it in the tooltip)

FONTS = '"Segoe UI","Helvetica Neue",Arial,"Liberation Sans","DejaVu Sans",sans-serif'
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Item:
    number: int  # the point's number, also in the table
    title: str
    value: float  # 0..100
    effort: float  # 1..5
    href: str = ""
    cls: str = ""  # status class


@dataclass(frozen=True)
class Label:
    x: float  # text start (left)
    y: float  # baseline
    text: str
    box: Box
    leader: bool  # drawn with a line back to its point


def _short(title: str) -> str:
    return title if len(title) <= MAX_LABEL else title[:MAX_LABEL - 1].rstrip() + "…"


def _hit(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


BAND = 26.0  # strips at the top and bottom of the plot where quadrant names sit


def value_y(value: float) -> float:
    """Values 100 to 0 between the bands, so no point covers a quadrant's name."""
    return TOP + BAND + (1 - value / 100) * (HEIGHT - TOP - BOTTOM - 2 * BAND)


def positions(items: list[Item]) -> list[tuple[float, float]]:
    """Each point's centre; points at the same score spread on a small sunflower around
    the true spot, in number order."""
    plot_w = WIDTH - LEFT - RIGHT
    groups: dict[tuple[float, float], list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault((item.effort, item.value), []).append(index)
    out: list[tuple[float, float]] = [(0.0, 0.0)] * len(items)
    for (effort, value), members in groups.items():
        cx = LEFT + (effort - 0.5) / 5 * plot_w
        cy = value_y(value)
        for k, index in enumerate(members):
            if len(members) == 1:
                out[index] = (cx, cy)
                continue
            angle = k * 2.39996  # the golden angle
            radius = SPREAD * 0.62 * math.sqrt(k + 0.6)
            out[index] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return out


def place_labels(items: list[Item], points: list[tuple[float, float]],
                 fixed: list[Box]) -> list[Label | None]:
    """A label per point that overlaps no point, no other label and nothing in `fixed`,
    inside the plot; the best-ranked items (first in `items`) choose first."""
    taken: list[Box] = [*fixed, *((x - R - 1, y - R - 1, x + R + 1, y + R + 1)
                                  for x, y in points)]
    area = (LEFT + 2, TOP + 2, WIDTH - RIGHT - 2, HEIGHT - BOTTOM - 2)
    out: list[Label | None] = []
    boxes: list[Box] = []  # labels placed so far: a leader line does not cross them
    for item, (px, py) in zip(items, points, strict=True):
        label = None
        # The title where there is room, else the number alone; a leader line that
        # crosses another label only when nothing else fits.
        for crossing, text in ((False, f"{item.number} {_short(item.title)}"),
                               (False, str(item.number)), (True, str(item.number))):
            label = _find(text, px, py, taken, area, [] if crossing else boxes)
            if label is not None:
                break
        if label is not None:
            taken.append(label.box)
            boxes.append(label.box)
        out.append(label)
    return out


def _crosses(x0: float, y0: float, x1: float, y1: float, box: Box) -> bool:
    """Whether the segment (x0, y0)-(x1, y1) passes through the box (Liang-Barsky)."""
    low, high = 0.0, 1.0
    dx, dy = x1 - x0, y1 - y0
    for p, q in ((-dx, x0 - box[0]), (dx, box[2] - x0), (-dy, y0 - box[1]),
                 (dy, box[3] - y0)):
        if p == 0:
            if q < 0:
                return False
            continue
        r = q / p
        if p < 0:
            low = max(low, r)
        else:
            high = min(high, r)
        if low > high:
            return False
    return True


def _find(text: str, px: float, py: float, taken: list[Box], area: Box,
          labels: list[Box]) -> Label | None:
    w = text_width(text, SIZE) * 1.1 + 2 * PAD  # measured a little wide: fonts differ
    h = SIZE + 2 * PAD
    for ring in range(0, 14):
        distance = R + 3 + ring * 9
        steps = 8 if ring == 0 else 16
        for k in range(steps):
            angle = 2 * math.pi * k / steps
            dx, dy = math.cos(angle), -math.sin(angle)
            # The label's edge nearest the point sits `distance` away from its centre.
            cx = px + dx * (distance + w / 2 * abs(dx) ** 0.5)
            cy = py + dy * (distance + h / 2 * abs(dy) ** 0.5)
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if box[0] < area[0] or box[1] < area[1] or box[2] > area[2] or box[3] > area[3]:
                continue
            if any(_hit(box, other) for other in taken):
                continue
            if ring > 1:  # drawn with a leader line: one that crosses no other label
                ex, ey = _nearest(box, px, py)
                if any(_crosses(px, py, ex, ey, other) for other in labels):
                    continue
            return Label(box[0] + PAD, box[3] - PAD - SIZE * 0.22, text, box, ring > 1)
    return None


QUADRANTS = ("quick_wins", "big_bets", "fill_ins", "money_pits")


def matrix_svg(items: list[Item], t, label: str) -> str:  # noqa: ANN001 (t: translator)
    """Inline SVG of the matrix; `items` in priority order (they pick label spots first)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    mid_x, mid_y = LEFT + plot_w / 2, value_y(50)
    root = svg_root(num(WIDTH), num(HEIGHT), viewBox=f"0 0 {num(WIDTH)} {num(HEIGHT)}",
                    class_="matrix", role="img", **{"font-family": FONTS, "font-size": num(SIZE)})
    root.attrs["aria-label"] = label
    root.add(node("title", label))
    quads = node("g", class_="quadrants")
    corners = {"quick_wins": (LEFT, TOP), "big_bets": (mid_x, TOP),
               "fill_ins": (LEFT, mid_y), "money_pits": (mid_x, mid_y)}
    fixed: list[Box] = []
    for key, (x, y) in corners.items():
        height = mid_y - TOP if y == TOP else TOP + plot_h - mid_y
        quads.put(leaf("rect", x=num(x), y=num(y), width=num(plot_w / 2),
                       height=num(height), class_=f"quad q-{key.replace('_', '-')}"))
        name = t(key)
        right = key in ("big_bets", "money_pits")
        tx = x + plot_w / 2 - 8 if right else x + 8
        ty = y + 18 if y == TOP else TOP + plot_h - 8
        quads.put(leaf("text", name, x=num(tx), y=num(ty), class_="quad-name",
                       **{"text-anchor": "end" if right else ""}))
        width = text_width(name, 13) + 4
        fixed.append((tx - width if right else tx - 2, ty - 15, tx + 2 if right else tx + width,
                      ty + 5))
    root.add(quads)
    axes = node("g", class_="axes")
    for effort in range(1, 6):
        x = LEFT + (effort - 0.5) / 5 * plot_w
        axes.put(leaf("line", x1=num(x), x2=num(x), y1=num(TOP + plot_h), y2=num(TOP + plot_h + 5)))
        axes.put(leaf("text", str(effort), x=num(x), y=num(TOP + plot_h + 18),
                      **{"text-anchor": "middle"}))
    for value in range(0, 101, 25):
        y = value_y(value)
        axes.put(leaf("line", x1=num(LEFT - 5), x2=num(LEFT), y1=num(y), y2=num(y)))
        axes.put(leaf("text", str(value), x=num(LEFT - 8), y=num(y + 4), **{"text-anchor": "end"}))
    axes.put(leaf("rect", x=num(LEFT), y=num(TOP), width=num(plot_w), height=num(plot_h),
                  class_="frame"))
    axes.put(leaf("text", t("effort") + " →", x=num(LEFT + plot_w / 2),
                  y=num(HEIGHT - 12), **{"text-anchor": "middle"}, class_="axis-name"))
    axes.put(leaf("text", t("value") + " →", x=num(16), y=num(TOP + plot_h / 2),
                  **{"text-anchor": "middle"}, class_="axis-name",
                  transform=f"rotate(-90 16 {num(TOP + plot_h / 2)})"))
    root.add(axes)
    points = positions(items)
    labels = place_labels(items, points, fixed)
    lines = node("g", class_="leaders")
    dots = node("g", class_="points")
    texts = node("g", class_="labels")
    for item, (x, y), placed in zip(items, points, labels, strict=True):
        tip = f"{item.number}. {item.title} — {t('value')} {num(item.value)}, " \
              f"{t('effort')} {num(item.effort)}"
        group = node("a", class_=f"point {item.cls}".strip())
        if item.href:
            group.attrs["xlink:href"] = item.href
        group.add(node("title", tip))
        group.put(leaf("circle", cx=num(x), cy=num(y), r=num(R), class_="dot"))
        dots.add(group)
        if placed is None:
            continue
        if placed.leader:
            bx, by = _nearest(placed.box, x, y)
            lines.put(leaf("line", x1=num(x), y1=num(y), x2=num(bx), y2=num(by)))
        texts.put(leaf("text", placed.text, x=num(placed.x), y=num(placed.y),
                       class_="label"))
    root.add(lines)
    root.add(dots)
    root.add(texts)
    return write(root)


def _nearest(box: Box, x: float, y: float) -> tuple[float, float]:
    return min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
