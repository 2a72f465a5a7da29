"""A deterministic synthetic cjmsite project of any size, with realistic references.

    python benchmarks/make_corpus.py OUT --journeys 500 --stages 20 --personas 50 \\
        --touchpoints 200

The same arguments always give the same bytes. Text is Spanish with accents, bodies are a
few paragraphs of Markdown, and about a third of the stages carry gaps with actions."""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

_TEXT = (
    "atención cliente taller recepción factura espera auto servicio mantenimiento cita "
    "repuesto diagnóstico técnico jefe llamada central mensaje reseña experiencia proceso "
    "tiempo calidad confianza información precio garantía entrega revisión aceite frenos "
    "neumáticos batería limpieza informe encuesta satisfacción mejora acción empresa canal "
    "teléfono correo aplicación sitio web red social oficina retorno traslado pago tarjeta "
    "comprobante sábado mañana tarde rápido lento claro confuso amable útil difícil fácil"
)
WORDS = tuple(_TEXT.split())
CHANNELS = ("phone", "in-person", "email", "sms", "chat", "app", "web", "social", "mail",
            "other")
EMOTIONS = ("mágica", "feliz", "indiferente", "infeliz", "frustrado", 2, 1, 0, -1, -2)
STATUSES = ("proposed", "planned", "in-progress", "done", "dropped")


def sentence(rng: random.Random, low: int = 6, high: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return (" ".join(words)).capitalize()


def body(rng: random.Random, paragraphs: int) -> str:
    parts = []
    for index in range(paragraphs):
        text = ". ".join(sentence(rng) for _ in range(rng.randint(3, 6))) + "."
        if index == 1:
            text = f"**{sentence(rng, 2, 4)}**: {text}"
        parts.append(text)
    parts.append("\n".join(f"- {sentence(rng, 3, 8)}" for _ in range(3)))
    return "\n\n".join(parts) + "\n"


def q(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def make_corpus(out: Path, journeys: int, stages: int, personas: int, touchpoints: int,
                seed: int = 7) -> int:
    """Write the project; returns the number of content files."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    for sub in ("personas", "touchpoints", "journeys"):
        (content / sub).mkdir(parents=True)
    (out / "cjmsite.toml").write_text('[site]\ntitle = "Corpus de prueba"\nlanguage = "es"\n',
                                      encoding="utf-8")
    count = 0
    persona_ids = [f"persona-{i:03d}" for i in range(personas)]
    for pid in persona_ids:
        (content / "personas" / f"{pid}.md").write_text(
            f"---\nname: {q(sentence(rng, 2, 3))}\nrole: {q(sentence(rng))}\n"
            f"quote: {q(sentence(rng))}\ngoals: [{q(sentence(rng))}, {q(sentence(rng))}]\n"
            f"frustrations: [{q(sentence(rng))}]\nchannels: [{rng.choice(CHANNELS)}]\n---\n"
            + body(rng, 2), encoding="utf-8")
        count += 1
    point_ids = [f"punto-{i:03d}" for i in range(touchpoints)]
    for tid in point_ids:
        (content / "touchpoints" / f"{tid}.md").write_text(
            f"---\ntitle: {q(sentence(rng, 2, 4))}\nchannel: {rng.choice(CHANNELS)}\n"
            f"owner: {q(sentence(rng, 1, 3))}\n---\n" + body(rng, 1), encoding="utf-8")
        count += 1
    phases = ["Prospección", "Servicio", "Postventa"]
    for j in range(journeys):
        folder = content / "journeys" / f"journey-{j:04d}"
        folder.mkdir()
        cast = rng.sample(persona_ids, 2 if j % 4 == 0 else 1)
        (folder / "index.md").write_text(
            f"---\ntitle: {q('Journey ' + str(j) + ' ' + sentence(rng, 2, 5))}\n"
            f"persona: [{', '.join(cast)}]\nobjective: {q(sentence(rng))}\n"
            f"scope: {'global' if j % 5 == 0 else 'process'}\n"
            f"phases: [{', '.join(phases)}]\nowner: {q(sentence(rng, 1, 3))}\n---\n"
            + body(rng, 2), encoding="utf-8")
        count += 1
        for s in range(stages):
            lines = [
                "---", f"title: {q(sentence(rng, 2, 5))}", f"moment: Momento {s * 4 // stages}",
                f"phase: {phases[s * 3 // stages]}",
                f"actions: [{q(sentence(rng))}, {q(sentence(rng))}]",
                f"touchpoints: [{', '.join(rng.sample(point_ids, 2))}]",
            ]
            if len(cast) == 1:
                lines.append(f"emotion: {rng.choice(EMOTIONS)}")
            else:
                lines.append("emotion: {" + ", ".join(f"{p}: {rng.randint(-2, 2)}"
                                                      for p in cast) + "}")
            lines += [f"thoughts: {q(sentence(rng, 8, 20))}",
                      f"pain_points: [{q(sentence(rng))}]",
                      f"company_actions: [{q(sentence(rng))}]"]
            if s % 3 == 1:
                lines += ["gaps:", f"  - title: {q(sentence(rng))}",
                          f"    change: {q(sentence(rng))}",
                          f"    severity: {rng.choice(['low', 'medium', 'high'])}",
                          f"    touchpoint: {rng.choice(point_ids)}", "    actions:",
                          f"      - title: {q(sentence(rng))}",
                          f"        owner: {q(sentence(rng, 1, 2))}",
                          f"        status: {rng.choice(STATUSES)}",
                          f"        due: 2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                          f"      - {q(sentence(rng))}"]
            if s % 4 == 0:
                lines += ["metrics:", f"  - {{name: CSAT {s}, value: {rng.randint(50, 99)}, "
                          f"unit: '%', target: 85, source: Encuesta}}"]
            lines.append("---")
            (folder / f"{s + 1:02d}-etapa-{s + 1}.md").write_text(
                "\n".join(lines) + "\n" + body(rng, 2), encoding="utf-8")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--journeys", type=int, default=50)
    parser.add_argument("--stages", type=int, default=18)
    parser.add_argument("--personas", type=int, default=10)
    parser.add_argument("--touchpoints", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    count = make_corpus(args.out, args.journeys, args.stages, args.personas, args.touchpoints,
                        args.seed)
    print(f"wrote {count} content files to {args.out}")


if __name__ == "__main__":
    main()
