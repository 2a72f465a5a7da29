"""A small emotion sparkline for journey lists: one line per persona, shapes at the points."""

from __future__ import annotations

from cjmsite import model
from cjmsite.i18n import score_label
from cjmsite.mapsvg.curve import smooth_path
from cjmsite.mapsvg.svg import node, write

WIDTH, HEIGHT, PAD = 120.0, 32.0, 4.0


def render_sparkline(journey: model.Journey, label: str) -> str:
    """Inline SVG; the aria-label carries the scores so it is not colour or shape alone."""
    stages = journey.stages
    personas = [p for p in journey.personas if any(p in s.emotion for s in stages)]
    if not personas or not stages:
        return ""
    step = (WIDTH - 2 * PAD) / max(len(stages) - 1, 1)

    def y(score: int) -> float:
        return PAD + (2 - score) * (HEIGHT - 2 * PAD) / 4

    svg = node("svg", class_="cjm-spark", width=f"{WIDTH:.0f}", height=f"{HEIGHT:.0f}",
               viewBox=f"0 0 {WIDTH:.0f} {HEIGHT:.0f}", role="img")
    svg.add(node("line", class_="spark-zero", x1="0", y1=f"{y(0):.0f}", x2=f"{WIDTH:.0f}",
                 y2=f"{y(0):.0f}"))
    described = []
    for index, persona in enumerate(personas):
        points = [(PAD + i * step, y(s.emotion[persona])) for i, s in enumerate(stages)
                  if persona in s.emotion]
        svg.add(node("path", class_=f"spark-line s{index % 4}", d=smooth_path(points)))
        for px, py in points:
            svg.add(node("circle", class_=f"spark-pt s{index % 4}", cx=f"{px:.1f}",
                         cy=f"{py:.1f}", r="2"))
        described.append(" ".join(score_label(s.emotion[persona]) for s in stages
                                  if persona in s.emotion))
    svg["aria-label"] = f"{label}: {' | '.join(described)}"
    return write(svg)
