"""The words authors may write for the model's fixed codes.

The model (cjmsite.model) holds only codes ("high", "in-progress", 2); Spanish teams write
"alta", "en curso", "mágico". Validation and the JSON Schema read these tables; pages and
exports keep the English codes."""

from __future__ import annotations

# Spanish (and other) words accepted for the fixed sets above, case- and accent-insensitive,
# spaces or hyphens alike; pages and exports keep the English codes.
SPANISH_VALUES: dict[str, dict[str, str]] = {
    "severity": {"baja": "low", "bajo": "low", "media": "medium", "medio": "medium",
                 "alta": "high", "alto": "high"},
    "status": {"propuesta": "proposed", "propuesto": "proposed", "planificada": "planned",
               "planificado": "planned", "en-curso": "in-progress", "en-progreso":
               "in-progress", "hecha": "done", "hecho": "done", "descartada": "dropped",
               "descartado": "dropped"},
    "channel": {"telefono": "phone", "presencial": "in-person",
                "correo-electronico": "email", "correo": "email", "redes-sociales": "social",
                "correo-postal": "mail", "carta": "mail", "otro": "other", "otra": "other"},
    "gap_status": {"abierta": "open", "abierto": "open", "en-curso": "in-progress",
                   "en-progreso": "in-progress", "cerrada": "closed", "cerrado": "closed",
                   "descartada": "wont-fix", "descartado": "wont-fix"},
    "scope": {"proceso": "process"},
    "opportunity_status": {"validada": "validated", "validado": "validated",
                           "planificada": "planned", "planificado": "planned",
                           "en-ejecucion": "in-delivery", "en-entrega": "in-delivery",
                           "hecha": "done", "hecho": "done", "descartada": "dropped",
                           "descartado": "dropped"},
    "journey_status": {"borrador": "draft", "revision": "review", "en-revision": "review",
                       "publicado": "published", "publicada": "published"},
    "insight_source": {"entrevista": "interview", "prueba-de-usabilidad": "usability-test",
                       "test-de-usabilidad": "usability-test",
                       "ticket-de-soporte": "support-ticket", "ticket": "support-ticket",
                       "encuesta": "survey", "analitica": "analytics", "resena": "review",
                       "reseña": "review", "redes-sociales": "social",
                       "visita": "field-visit", "visita-de-campo": "field-visit",
                       "taller": "workshop", "otro": "other", "otra": "other"},
}

# Emotion words for a stage's 'emotion:' score (-2..2), in English and Spanish.
EMOTION_WORDS = {
    "magical": 2, "mágica": 2, "magico": 2, "mágico": 2,
    "happy": 1, "feliz": 1,
    "indifferent": 0, "indiferente": 0, "neutral": 0,
    "unhappy": -1, "infeliz": -1,
    "frustrated": -2, "frustrado": -2, "frustrada": -2,
}
