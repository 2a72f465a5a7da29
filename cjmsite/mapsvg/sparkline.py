"""A small emotion sparkline for journey lists: one line per persona, shapes at the points."""

from __future__ import annotations

from cjmsite import model
from cjmsite.i18n import score_label
from cjmsite.mapsvg.curve import smooth_path
from cjmsite.mapsvg.svg import node, write

WIDTH, HEIGHT, PAD = 120.0, 32.0, 4.0


def render_sparkline(journey: model.Journey, label: str,
                     names: dict[str, str] | None = None) -> str:
    """Inline SVG; the aria-label carries each persona's name (from `names`) and scores,
    so it is not colour or shape alone."""
    stages, people = journey.stages, journey.curve_personas
    return curves_sparkline(len(stages), [[s.emotion.get(p) for s in stages] for p in people],
                            label, [(names or {}).get(p, p) for p in people])


def curves_sparkline(count: int, curves: list[list[int | None]], label: str,
                     names: list[str] | None = None) -> str:
    """One line per curve (a persona's score at each of `count` stages; None where it
    has none), named by `names` in the label; "" when there is nothing to draw."""
    named = [(curve, names[i] if names else "") for i, curve in enumerate(curves)
             if any(v is not None for v in curve)]
    curves = [curve for curve, _ in named]
    if not curves or not count:
        return ""
    step = (WIDTH - 2 * PAD) / max(count - 1, 1)

    def y(score: int) -> float:
        return PAD + (2 - score) * (HEIGHT - 2 * PAD) / 4

    svg = node("svg", class_="cjm-spark", width=f"{WIDTH:.0f}", height=f"{HEIGHT:.0f}",
               viewBox=f"0 0 {WIDTH:.0f} {HEIGHT:.0f}", role="img")
    svg.add(node("line", class_="spark-zero", x1="0", y1=f"{y(0):.0f}", x2=f"{WIDTH:.0f}",
                 y2=f"{y(0):.0f}"))
    described = []
    for index, curve in enumerate(curves):
        points = [(PAD + i * step, y(v)) for i, v in enumerate(curve) if v is not None]
        svg.add(node("path", class_=f"spark-line s{index % 8}", d=smooth_path(points)))
        for px, py in points:
            svg.add(node("circle", class_=f"spark-pt s{index % 8}", cx=f"{px:.1f}",
                         cy=f"{py:.1f}", r="2"))
        scores = " ".join(score_label(v) for v in curve if v is not None)
        described.append(f"{named[index][1]}: {scores}" if named[index][1] else scores)
    svg["aria-label"] = f"{label}: {' | '.join(described)}"
    return write(svg)
