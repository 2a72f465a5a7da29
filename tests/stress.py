"""A deliberately hard journey: 40 stages, long texts, markup characters, three personas."""

from __future__ import annotations

from pathlib import Path

from conftest import write_files

LONG = ("Espera prolongada en recepción porque el sistema de turnos no reconoce la cita "
        "reservada por WhatsApp y el recepcionista debe registrar todo a mano, otra vez, "
        "mientras la cola crece y nadie informa cuánto falta")
WORD = "Supercalifragilisticoespialidosoautomotriz" * 2


def stress_files(stages: int = 40) -> dict[str, str]:
    files = {
        "cjmsite.toml": '[site]\ntitle = "Stress"\nlanguage = "es"\n',
        "content/personas/ana.md": "---\nname: Ana <Admin> & \"Co\"\n---\n",
        "content/personas/bea.md": "---\nname: Bea\n---\n",
        "content/personas/cris.md": "---\nname: Cris\n---\n",
        "content/touchpoints/tel.md": "---\ntitle: Teléfono & <central>\nchannel: phone\n---\n",
        "content/touchpoints/web.md": f"---\ntitle: {LONG}\nchannel: web\n---\n",
        "content/journeys/largo/index.md": (
            "---\ntitle: Journey largo\npersona: [ana, bea, cris]\nobjective: Stress\n"
            "phases: [Uno, Dos, Tres, Cuatro]\n---\n"),
    }
    for i in range(stages):
        phase = ["Uno", "Dos", "Tres", "Cuatro"][i * 4 // stages]
        files[f"content/journeys/largo/{i + 1:02d}-etapa-{i + 1}.md"] = f"""---
title: "Etapa {i + 1}: {LONG[: 20 + i * 3]}"
moment: Momento {i % 4}
phase: {phase}
actions: ["{LONG}", "Corta", "{WORD}"]
touchpoints: [tel, web]
emotion: {{ana: {(i % 5) - 2}, bea: {((i + 2) % 5) - 2}, cris: {((i * 3) % 5) - 2}}}
thoughts: "{LONG} {LONG}"
pain_points: ["{LONG}"]
company_actions: ["Acción <b>&amp; \\"citada\\"</b>"]
gaps:
  - title: "{LONG}"
    change: "{LONG}"
    severity: {["low", "medium", "high"][i % 3]}
metrics:
  - {{name: "Métrica {i}", value: {i}, unit: min, target: 20, higher_is_better: false}}
---
"""
    return files


def make_stress_site(root: Path, stages: int = 40) -> Path:
    return write_files(root, stress_files(stages))
