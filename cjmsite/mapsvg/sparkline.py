"""A small emotion sparkline for journey lists: one line per persona, shapes at the points."""

from __future__ import annotations

from cjmsite import model
from cjmsite.mapsvg.curve import smooth_path
from cjmsite.i18n import score_label

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

    parts = [
        f'<svg class="cjm-spark" width="{WIDTH:.0f}" height="{HEIGHT:.0f}" '
        f'viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" role="img" aria-label="{{label}}">',
        f'<line class="spark-zero" x1="0" y1="{y(0):.0f}" x2="{WIDTH:.0f}" y2="{y(0):.0f}"/>',
    ]
    described = []
    for index, persona in enumerate(personas):
        points = [(PAD + i * step, y(s.emotion[persona])) for i, s in enumerate(stages)
                  if persona in s.emotion]
        parts.append(f'<path class="spark-line s{index % 4}" d="{smooth_path(points)}"/>')
        for px, py in points:
            parts.append(f'<circle class="spark-pt s{index % 4}" cx="{px:.1f}" cy="{py:.1f}" '
                         f'r="2"/>')
        described.append(" ".join(score_label(s.emotion[persona]) for s in stages
                                  if persona in s.emotion))
    parts.append("</svg>")
    aria = f"{label}: {' | '.join(described)}"
    return "".join(parts).replace("{label}", _escape(aria), 1)


def _escape(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))
