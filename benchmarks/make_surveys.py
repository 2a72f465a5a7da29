"""Survey responses as real exports come (Spanish Excel: `;`, decimal commas, DD/MM/YYYY,
a BOM and CRLF), seeded so every run writes the same bytes.

    python benchmarks/make_surveys.py example content/surveys   # the example site's files
    python benchmarks/make_surveys.py large OUT.csv --rows 1000000

The example's scores follow its authored emotions (a stage mapped as frustrating gets low
scores), so the measured curve tells the same story with numbers behind it."""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

# Stage title as the survey tool shows it -> its authored emotion per persona (-2..2).
NPS_STAGES = {
    "Búsqueda de información": (0, 0), "Consulta telefónica": (-1, -1),
    "Reserva de cita": (1, 1), "Traslado al taller": (0, 0),
    "Recepción del auto": (-2, -1), "Diagnóstico": (0, 1), "Facturación": (-1, -2),
    "Entrega": (1, 2), "Seguimiento": (1, 1), "Reseña": (2, 1),
}
PROFILES = ("Particular", "Flota")
COMMENTS = {
    -2: ["Esperé casi una hora en recepción, aun con cita.", "Nadie me avisó del retraso.",
         "La factura tardó más que la reparación."],
    -1: ["Tuve que llamar dos veces para que me atiendan.", "Demoraron en darme el presupuesto.",
         "Poca información sobre el estado del auto."],
    0: ["Normal, como en cualquier taller.", "Sin problemas, pero nada especial."],
    1: ["Me explicaron todo con fotos, muy claro.", "Rápidos y amables.",
        "Buen trato del jefe de taller."],
    2: ["¡Excelente! Me devolvieron el auto lavado.", "Los recomiendo sin dudar.",
        "Atención de primera, volveré."],
}
START = dt.date(2026, 5, 1)


def _score(rng: random.Random, emotion: int, low: int, high: int, month: int) -> int:
    """A score around where the emotion sits on the scale, improving a little each month."""
    centre = low + (0.2 + (emotion + 2) * 0.2) * (high - low) + month * 0.015 * (high - low)
    return max(low, min(high, round(rng.gauss(centre, (high - low) / 6))))


def _when(rng: random.Random, day_span: int = 183) -> tuple[dt.date, int]:
    day = START + dt.timedelta(days=rng.randrange(day_span))
    return day, (day.year - START.year) * 12 + day.month - START.month


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    lines = [";".join(header)] + [";".join(_cell(c) for c in row) for row in rows]
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))


def _cell(value: str) -> str:
    return f'"{value.replace(chr(34), chr(34) * 2)}"' if any(c in value for c in ';"\n') \
        else value


def example(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(2026)
    rows = []
    for _ in range(640):
        stage = rng.choice(list(NPS_STAGES))
        profile = rng.randrange(2)
        day, month = _when(rng)
        score = _score(rng, NPS_STAGES[stage][profile], 0, 10, month)
        comment = rng.choice(COMMENTS[max(-2, min(2, round((score - 5) / 2.5)))]) \
            if rng.random() < 0.3 else ""
        rows.append([day.strftime("%d/%m/%Y"), stage, PROFILES[profile], str(score), comment])
    rows.sort(key=lambda r: (r[0][6:], r[0][3:5], r[0][:2]))
    _write(out / "nps-postventa.csv", ["Fecha", "Etapa", "Perfil", "Nota", "Comentario"], rows)
    rows = []
    for _ in range(220):
        day, month = _when(rng)
        score = _score(rng, 1, 1, 5, month)
        comment = rng.choice(COMMENTS[score - 3]) if rng.random() < 0.25 else ""
        rows.append([day.strftime("%d/%m/%Y"), str(score), comment])
    _write(out / "csat-recepcion.csv", ["Fecha de respuesta", "Calificación", "Comentario"],
           rows)
    rows = []
    for _ in range(180):
        day, month = _when(rng)
        effort = min(7, _score(rng, 0, 1, 7, month) + rng.choice([0, 0, 0.5]))
        shown = f"{effort:.1f}".replace(".", ",").replace(",0", "")
        rows.append([day.strftime("%d/%m/%Y"), rng.choice(["Efectivo", "Tarjeta",
                                                           "Transferencia"]), shown])
    _write(out / "ces-facturacion.csv", ["Fecha", "Medio de pago", "Esfuerzo (1-7)"], rows)


def large(path: Path, count: int) -> None:
    """`count` NPS responses for the example site's journey, as the example's file."""
    rng = random.Random(1)
    stages = list(NPS_STAGES)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        file.write("Fecha;Etapa;Perfil;Nota;Comentario\r\n")
        for _ in range(count):
            stage = rng.choice(stages)
            profile = rng.randrange(2)
            day, month = _when(rng)
            score = _score(rng, NPS_STAGES[stage][profile], 0, 10, month)
            comment = rng.choice(COMMENTS[0]) if rng.random() < 0.1 else ""
            file.write(f"{day.strftime('%d/%m/%Y')};{stage};{PROFILES[profile]};{score};"
                       f"{comment}\r\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("what", choices=("example", "large"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.what == "example":
        example(args.out)
    else:
        large(args.out, args.rows)


if __name__ == "__main__":
    main()
