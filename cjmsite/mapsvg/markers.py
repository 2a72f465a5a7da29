"""The map's markers, shape and colour class: each persona's (eight shapes, so neither
colour nor shape carries it alone), the measured points' hollow diamond, and the evidence
marks' shapes. Used by draw.py and, inline beside a score, by the pages (persona_marker)."""

from __future__ import annotations

import math
from functools import cache

from cjmsite.mapsvg.svg import Node, leaf, node, num, write

SHAPES = ("circle", "square", "triangle", "diamond", "down", "pentagon", "hexagon", "star")


def measured_point(parent: Node, x: float, y: float, index: int) -> None:
    """A measured point: a hollow diamond, unlike any persona's marker."""
    corners = ((x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y))
    parent.put(leaf("polygon", class_=f"pt measured m{index % 2}",
                    points=" ".join(f"{num(px)},{num(py)}" for px, py in corners)))


@cache  # a page shows the same few markers beside every score
def persona_marker(index: int) -> str:
    """A persona's map marker on its own, inline beside a score in a page (style.css
    colours it as the map does; the name beside it is the text)."""
    mark = node("svg", class_="pmark", width="14", height="14", viewBox="-8 -8 16 16",
                **{"aria-hidden": "true", "focusable": "false"})
    persona_point(mark, 0, 0, index)
    return write(mark)


def persona_point(parent: Node, x: float, y: float, index: int) -> None:
    """A persona's marker: shape and colour both differ, so neither carries it alone."""
    shape, cls = SHAPES[index % 8], f"pt p{index % 8}"
    if shape == "circle":
        parent.put(leaf("circle", cx=num(x), cy=num(y), r="5.5", class_=cls))
    elif shape == "square":
        parent.add(node("rect", x=num(x - 5), y=num(y - 5), width="10", height="10",
                        class_=cls))
    else:
        parent.put(leaf("polygon", class_=cls, points=" ".join(
            f"{num(x + dx)},{num(y + dy)}" for dx, dy in _CORNERS[shape])))


def _regular(sides: int, radius: float, turn: float = 0.0) -> tuple[tuple[float, float], ...]:
    return tuple((radius * math.sin(turn + 2 * math.pi * k / sides),
                  -radius * math.cos(turn + 2 * math.pi * k / sides)) for k in range(sides))


def _star(radius: float) -> tuple[tuple[float, float], ...]:
    outer, inner = _regular(5, radius), _regular(5, radius * 0.45, math.pi / 5)
    return tuple(p for pair in zip(outer, inner, strict=True) for p in pair)


_CORNERS = {"triangle": ((0, -6.5), (6.5, 5), (-6.5, 5)),
            "diamond": ((0, -7), (7, 0), (0, 7), (-7, 0)),
            "down": ((0, 6.5), (6.5, -5), (-6.5, -5)),
            "pentagon": _regular(5, 6.5), "hexagon": _regular(6, 6.2, math.pi / 6),
            "star": _star(7.5)}


def evidence_shape(parent: Node, level: str, x: float, y: float) -> None:
    """Before an evidence mark's words, centred on x, its baseline y: a filled diamond
    (measured), a half-filled square (evidenced), a dashed circle (assumed; map.css)."""
    if level == "measured":
        corners: tuple[tuple[float, float], ...] = ((x, y - 9), (x + 4.5, y - 4.5), (x, y),
                                                     (x - 4.5, y - 4.5))
        parent.put(leaf("polygon", class_="ev-shape", points=_points(corners)))
    elif level == "evidenced":
        parent.put(leaf("rect", x=num(x - 4), y=num(y - 8.5), width="8", height="8",
                        class_="ev-shape"))
        parent.put(leaf("polygon", class_="ev-fill", points=_points(
            ((x - 4, y - 0.5), (x + 4, y - 8.5), (x + 4, y - 0.5)))))
    else:
        parent.put(leaf("circle", cx=num(x), cy=num(y - 4.5), r="4", class_="ev-shape"))


def _points(corners: tuple[tuple[float, float], ...]) -> str:
    return " ".join(f"{num(px)},{num(py)}" for px, py in corners)
