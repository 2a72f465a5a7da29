"""Where the score labels of the emotion curves go: one pass over the map that puts every
label clear of every marker (personas' and measured points), the evidence line and every
label placed before it. Pure geometry, like layout.py, so it is tested without SVG.

Up to eight personas may score the same stage alike, with a measured curve on top: the
first free place nearest the point wins, tried on the point's own side first (above the
higher of two curves, below the lower), then further out and to either side."""

from __future__ import annotations

from collections.abc import Sequence

from cjmsite.mapsvg.text import text_width

Box = tuple[float, float, float, float]  # left, top, right, bottom

SIZE = 11.0  # map.css .score
MARK = 8.0  # half the side of a persona's marker (a star reaches 7.5), a pixel to spare
MEASURED_MARK = 7.0  # the measured diamond (6) and its stroke
ASCENT, DESCENT = 9.0, 1.0  # signs and digits: no descenders
_STEP = 13.0  # one row of labels further out
_SHIFTS = (0.0, -18.0, 18.0, -36.0, 36.0, -54.0, 54.0)


def label_box(x: float, baseline: float, text: str) -> Box:
    half = text_width(text, SIZE) * 1.1 / 2 + 1  # drawn bold, a little wider
    return (x - half, baseline - ASCENT, x + half, baseline + DESCENT)


def mark_box(x: float, y: float, half: float = MARK) -> Box:
    return (x - half, y - half, x + half, y + half)


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(a: Box, bounds: Box) -> bool:
    return (bounds[0] <= a[0] and a[2] <= bounds[2] and bounds[1] <= a[1]
            and a[3] <= bounds[3])


def _candidates(above: bool) -> list[tuple[float, float]]:
    """(dx, dy) from the point to the label's baseline centre, best first: the first
    row above is 11 px over the point, the first below 19 px under it."""
    found = []
    for ring in range(4):
        for shift in _SHIFTS:
            for dy, own_side in ((-11 - _STEP * ring, above), (19 + _STEP * ring, not above)):
                cost = ring * _STEP + abs(shift) * 0.8 + (0 if own_side else 6)
                found.append((cost, shift, dy))
    found.sort(key=lambda c: c[0])
    return [(dx, dy) for _, dx, dy in found]


_ABOVE_FIRST, _BELOW_FIRST = _candidates(True), _candidates(False)


def place_labels(points: Sequence[tuple[float, float, str, bool]], obstacles: list[Box],
                 bounds: Box) -> list[tuple[float, float] | None]:
    """(dx, dy) of each point's label from the point (dy to its baseline), or None
    where no free place is left. `points`: (x, y, text, above first); `obstacles`:
    everything labels must not cover besides the points' own markers and each other;
    `bounds`: where labels may go (the stage's column of the emotion lane)."""
    taken = [*obstacles, *(mark_box(x, y) for x, y, _, _ in points)]
    placed: list[tuple[float, float] | None] = []
    for x, y, text, above in points:
        spot = None
        for dx, dy in _ABOVE_FIRST if above else _BELOW_FIRST:
            box = label_box(x + dx, y + dy, text)
            if inside(box, bounds) and not any(overlaps(box, other) for other in taken):
                spot = (dx, dy)
                taken.append(box)
                break
        placed.append(spot)
    return placed
