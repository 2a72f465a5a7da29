"""Smooth curves that never overshoot the data: monotone cubic (Fritsch–Carlson) segments.

Catmull-Rom would bulge past +2/-2 between steep points and suggest emotions nobody felt."""

from __future__ import annotations

from cjmsite.mapsvg.svg import num

Point = tuple[float, float]


def _tangents(points: list[Point]) -> list[float]:
    d = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(points, points[1:], strict=False)]
    m = [d[0], *[(d[i - 1] + d[i]) / 2 if d[i - 1] * d[i] > 0 else 0.0
                 for i in range(1, len(d))], d[-1]]
    for i, slope in enumerate(d):
        if slope == 0:
            m[i] = m[i + 1] = 0.0
            continue
        a, b = m[i] / slope, m[i + 1] / slope
        length = a * a + b * b
        if length > 9:
            scale = 3 / length**0.5
            m[i], m[i + 1] = scale * a * slope, scale * b * slope
    return m


def smooth_path(points: list[Point]) -> str:
    """SVG path data through every point, in x order."""
    if not points:
        return ""
    head = f"M{num(points[0][0])},{num(points[0][1])}"
    if len(points) == 1:
        return head
    tangents = _tangents(points)
    parts = [head]
    for i in range(len(points) - 1):
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        h = (x1 - x0) / 3
        parts.append(
            f"C{num(x0 + h)},{num(y0 + tangents[i] * h)} "
            f"{num(x1 - h)},{num(y1 - tangents[i + 1] * h)} {num(x1)},{num(y1)}"
        )
    return " ".join(parts)
