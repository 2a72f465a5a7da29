"""UI strings in English and Spanish; content text is never translated."""

from __future__ import annotations

import functools

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "home": "Home", "journeys": "Journeys", "journey": "Journey", "personas": "Personas",
        "persona": "Persona", "touchpoints": "Touchpoints", "touchpoint": "Touchpoint",
        "gaps": "Gaps & actions", "gap": "Gap", "stages": "Stages", "stage": "Stage",
        "objective": "Objective", "scope": "Scope", "status": "Status", "owner": "Owner",
        "phase": "Phase", "phases": "Phases", "moment": "Moment", "channel": "Channel",
        "role": "Role", "goals": "Goals", "frustrations": "Frustrations",
        "channels": "Preferred channels", "actions": "Customer actions",
        "thoughts": "Thoughts", "emotion": "Emotion", "pain_points": "Pain points",
        "company_actions": "Company actions", "metrics": "Metrics", "change": "Change",
        "severity": "Severity", "due": "Due", "title": "Title", "value": "Value",
        "target": "Target", "source": "Source", "map": "Journey map",
        "download_svg": "Download map (SVG)", "download_png": "Download PNG",
        "map_table": "Journey map as a table",
        "open_gaps": "Open gaps", "stage_count": "Stages", "gap_count": "Gaps",
        "used_in": "Used in", "gaps_seen_here": "Gaps tied to this touchpoint", "none": "None",
        "gaps_nearby": "Other gaps in stages that use it",
        "no_gaps_tied": "No gap names this touchpoint.", "gaps_in_stage": "Gaps in the stage",
        "other_touchpoint": "at", "no_gaps": "No gaps",
        "appears_in": "Appears in", "all": "All", "filter": "Filter", "sort": "Sort",
        "showing": "Showing", "of": "of", "no_actions": "No actions yet",
        "action": "Action", "skip": "Skip to content", "breadcrumb": "Breadcrumb",
        "main_nav": "Main", "global": "Global", "process": "Process", "draft": "Draft",
        "review": "In review", "published": "Published", "low": "Low", "medium": "Medium",
        "high": "High", "proposed": "Proposed", "planned": "Planned",
        "in-progress": "In progress", "done": "Done", "dropped": "Dropped",
        "higher_better": "higher is better", "lower_better": "lower is better",
        "meets": "meets target", "misses": "misses target", "downloads": "Downloads",
        "generated_by": "Built with cjmsite", "built_on": "Built on", "emotion_curve":
        "Emotion curve", "no_journeys": "No journeys yet.", "description": "Description",
        "stage_in": "Stage in", "draft_notice": "This journey is a draft.",
        "review_notice": "This journey is in review.", "search": "Search",
        "not_found": "Page not found", "not_found_text": "This page does not exist.",
        "view_journey": "Open the journey", "csv": "CSV", "json": "JSON",
        "reset": "Reset", "score": "Score", "customer": "Customer",
        "last_updated": "Last updated", "by": "by", "to_be": "To-be map",
        "as_is": "As-is map", "to_be_of": "To-be map of",
        "as_is_behind": "its curves are drawn faintly behind this map's",
        "uncommitted": "has changes not committed yet",
        "search_placeholder": "Search (press /)", "search_found": "{n} results",
        "search_none": "No results", "search_failed": "Search could not be loaded.",
        "search_loading": "Loading the search index…",
        "all_open_gaps": "All {n} open gaps, with filters →",
        "history": "History", "view_history": "History of this journey",
        "history_intro": "The commits that changed this journey, newest first (up to {n}), "
                         "as they stand on the main line, each with what it changed.",
        "history_chart": "Mean emotion per persona after each commit",
        "history_table": "Mean emotion after each commit, as a table",
        "commit": "Commit", "commits": "Commits", "date": "Date", "author": "Author",
        "created_with": "Journey created with {n} stages",
        "no_map_change": "Nothing the map shows changed (wording or layout of the files)",
        "unreadable": "The journey could not be read at this commit",
        "changed_fields": "Changed", "body_text": "text", "h_added": "added",
        "h_removed": "removed",
        "h_moved": "moved", "h_changed": "changed", "gap_opened": "Gap opened",
        "gap_closed": "Gap closed", "gap_changed": "Gap changed",
        "towards_target": "towards target", "away_from_target": "away from target",
        "fit_width": "Fit to width", "actual_size": "Actual size",
        "actions_by_owner": "Actions by owner", "no_owner": "No owner yet",
        "overdue": "Overdue",
        "frontstage": "Frontstage", "backstage": "Backstage",
        "support": "Support processes", "opportunities": "Opportunities",
        "line_interaction": "Line of interaction", "line_visibility": "Line of visibility",
        "line_internal": "Line of internal interaction",
        "measured": "Measured", "assumed": "Assumed", "no_responses": "no responses yet",
        "surveys": "Surveys", "survey": "Survey", "ci95": "95% interval",
        "per_month": "per month", "as_table": "as a table", "month": "Month",
        "comments": "Latest comments", "mean_score": "Mean score",
        "evidence": "Evidence", "distribution": "Scores given", "responses": "Responses",
        "share": "Share", "scale": "Scale", "responses_file": "Responses file",
        "by_stage": "By stage", "by_touchpoint": "By touchpoint", "by_persona": "By persona",
        "overall": "Overall", "no_surveys": "No surveys yet.",
        "rows_read": "{n} rows read, {m} left out",
        "gap_status": "Gap status", "gs_open": "Open", "gs_in-progress": "In progress",
        "gs_closed": "Closed", "gs_wont-fix": "Won't fix", "gs_active": "Open and in progress",
        "all_statuses": "All statuses", "show_all_gaps": "Show closed too",
        "closed_gaps_muted": "(faded: closed or won't fix)",
        "closed_gaps_hidden": "({n} closed not shown)",
        "n_open_gap": "{n} open gap", "n_open_gaps": "{n} open gaps",
        "n_closed_one": "({n} closed)", "n_closed": "({n} closed)",
        "overdue_only": "Overdue only", "n_overdue": "{n} overdue",
        "reviewed_on": "Reviewed on {date}", "next_review": "Next review",
        "review_due_on": "next review {date}", "review_overdue": "review overdue",
        "never_reviewed": "Never reviewed", "review_label": "Review",
        "attention": "Attention", "attention_intro": "What needs a person now. Dates are "
        "judged against today in your browser.",
        "att_overdue": "Overdue actions", "att_unassigned": "Actions without an owner or a "
        "due date", "att_no_action": "Open high gaps with no action",
        "att_done_open": "Gaps whose actions are all done, still open",
        "att_review": "Journeys due for review or never reviewed",
        "att_no_owner": "Journeys without an owner",
        "att_off_target": "Metrics off target with no open gap in their stage",
        "att_assumed": "Stages whose emotion is only assumed",
        "nothing_needed": "Nothing here needs attention.", "no_due": "No due date",
        "open_by_severity": "Open gaps (high · medium · low)",
        "overdue_actions": "Overdue actions", "coverage": "Evidence coverage",
        "needs_attention": "need attention",
        "sheet_gaps": "Gaps", "sheet_actions": "Actions", "gap_reopened": "Gap reopened",
        "gap_status_changed": "Gap status changed",
        # evidence-format.md: research insights and evidence levels
        "insights": "Insights", "insight": "Insight", "evidenced": "Evidenced",
        "evidence_strength": "Evidence strength", "stage_research": "Research behind it",
        "sources_n": "{n} sources", "sources_1": "1 source", "kinds_n": "{n} kinds",
        "kinds_1": "1 kind", "participants": "Participants", "quotes": "Quotes",
        "tags": "Tags", "tag": "Tag", "cited_by": "Cited by", "not_cited": "No stage, pain "
        "point or gap cites this insight yet.", "source_record": "Source record",
        "no_insights": "No insights yet.", "aged": "older than {n} days",
        "gathered": "Gathered", "about": "About", "source_kind": "Source",
        "cites_n": "{n} insights behind this", "cites_1": "1 insight behind this",
        "src_interview": "interview", "src_usability-test": "usability test",
        "src_support-ticket": "support ticket", "src_survey": "survey",
        "src_analytics": "analytics", "src_review": "review", "src_social": "social media",
        "src_field-visit": "field visit", "src_workshop": "workshop", "src_other": "other",
        "mapping_nps": "NPS ÷ 50", "mapping_csat": "mean − 3",
        "mapping_ces": "(mean − 4) × 2/3", "mapping_score": "mean, {low}–{high} onto −2…+2",
        "measured_mapping": "plotted as",
    },
    "es": {
        "home": "Inicio", "journeys": "Journeys", "journey": "Journey", "personas": "Personas",
        "persona": "Persona", "touchpoints": "Puntos de contacto",
        "touchpoint": "Punto de contacto", "gaps": "Brechas y acciones", "gap": "Brecha",
        "stages": "Etapas", "stage": "Etapa", "objective": "Objetivo", "scope": "Alcance",
        "status": "Estado", "owner": "Responsable", "phase": "Fase", "phases": "Fases",
        "moment": "Momento", "channel": "Canal", "role": "Rol", "goals": "Objetivos",
        "frustrations": "Frustraciones", "channels": "Canales preferidos",
        "actions": "Acciones del cliente", "thoughts": "Pensamientos",
        "emotion": "Reacción del cliente", "pain_points": "Puntos de dolor",
        "company_actions": "Acciones de la empresa", "metrics": "Métricas",
        "change": "Cambio", "severity": "Severidad", "due": "Fecha límite", "title": "Título",
        "value": "Valor", "target": "Meta", "source": "Fuente", "map": "Mapa del journey",
        "download_svg": "Descargar mapa (SVG)", "download_png": "Descargar PNG",
        "map_table": "El mapa como tabla",
        "open_gaps": "Brechas abiertas", "stage_count": "Etapas", "gap_count": "Brechas",
        "used_in": "Usado en", "gaps_seen_here": "Brechas de este punto de contacto",
        "none": "Ninguno", "gaps_nearby": "Otras brechas en etapas que lo usan",
        "no_gaps_tied": "Ninguna brecha nombra este punto de contacto.",
        "gaps_in_stage": "Brechas de la etapa", "other_touchpoint": "en",
        "no_gaps": "Sin brechas",
        "appears_in": "Aparece en", "all": "Todos", "filter": "Filtrar", "sort": "Ordenar",
        "showing": "Mostrando", "of": "de", "no_actions": "Sin acciones aún",
        "action": "Acción", "skip": "Saltar al contenido", "breadcrumb": "Ruta de navegación",
        "main_nav": "Principal", "global": "Global", "process": "Proceso",
        "draft": "Borrador", "review": "En revisión", "published": "Publicado",
        "low": "Baja", "medium": "Media", "high": "Alta", "proposed": "Propuesta",
        "planned": "Planificada", "in-progress": "En curso", "done": "Hecha",
        "dropped": "Descartada", "higher_better": "más alto es mejor",
        "lower_better": "más bajo es mejor", "meets": "cumple la meta",
        "misses": "no cumple la meta", "downloads": "Descargas",
        "generated_by": "Hecho con cjmsite", "built_on": "Generado el",
        "emotion_curve": "Curva emocional", "no_journeys": "Aún no hay journeys.",
        "description": "Descripción", "stage_in": "Etapa de",
        "draft_notice": "Este journey es un borrador.",
        "review_notice": "Este journey está en revisión.", "search": "Buscar",
        "not_found": "Página no encontrada", "not_found_text": "Esta página no existe.",
        "view_journey": "Abrir el journey", "csv": "CSV", "json": "JSON",
        "reset": "Restablecer", "score": "Puntuación", "customer": "Cliente",
        "last_updated": "Última actualización", "by": "por", "to_be": "Mapa futuro",
        "as_is": "Mapa actual", "to_be_of": "Mapa futuro de",
        "as_is_behind": "sus curvas se ven tenues detrás de las de este mapa",
        "uncommitted": "tiene cambios sin confirmar",
        "search_placeholder": "Buscar (pulsa /)", "search_found": "{n} resultados",
        "search_none": "Sin resultados", "search_failed": "No se pudo cargar la búsqueda.",
        "search_loading": "Cargando el índice de búsqueda…",
        "all_open_gaps": "Las {n} brechas abiertas, con filtros →",
        "history": "Historial", "view_history": "Historial de este journey",
        "history_intro": "Los commits que cambiaron este journey, del más reciente al más "
                         "antiguo (hasta {n}), tal como están en la rama principal, cada uno "
                         "con lo que cambió.",
        "history_chart": "Emoción media por persona tras cada commit",
        "history_table": "Emoción media tras cada commit, como tabla",
        "commit": "Commit", "commits": "Commits", "date": "Fecha", "author": "Autor",
        "created_with": "Journey creado con {n} etapas",
        "no_map_change": "No cambió nada de lo que muestra el mapa (redacción o formato de "
                         "los archivos)",
        "unreadable": "No se pudo leer el journey en este commit",
        "changed_fields": "Cambios", "body_text": "texto", "h_added": "añadida",
        "h_removed": "eliminada",
        "h_moved": "movida", "h_changed": "cambiada", "gap_opened": "Brecha abierta",
        "gap_closed": "Brecha cerrada", "gap_changed": "Brecha cambiada",
        "towards_target": "hacia el objetivo", "away_from_target": "lejos del objetivo",
        "fit_width": "Ajustar al ancho", "actual_size": "Tamaño real",
        "actions_by_owner": "Acciones por responsable", "no_owner": "Sin responsable",
        "overdue": "Vencida",
        "frontstage": "Acciones visibles", "backstage": "Acciones internas",
        "support": "Procesos de soporte", "opportunities": "Oportunidades",
        "line_interaction": "Línea de interacción", "line_visibility": "Línea de visibilidad",
        "line_internal": "Línea de interacción interna",
        "measured": "Medido", "assumed": "Supuesto", "no_responses": "aún sin respuestas",
        "surveys": "Encuestas", "survey": "Encuesta", "ci95": "intervalo 95 %",
        "per_month": "por mes", "as_table": "como tabla", "month": "Mes",
        "comments": "Últimos comentarios", "mean_score": "Puntuación media",
        "evidence": "Evidencia", "distribution": "Puntuaciones dadas",
        "responses": "Respuestas", "share": "Proporción", "scale": "Escala",
        "responses_file": "Archivo de respuestas", "by_stage": "Por etapa",
        "by_touchpoint": "Por punto de contacto", "by_persona": "Por persona",
        "overall": "En total", "no_surveys": "Aún no hay encuestas.",
        "rows_read": "{n} filas leídas, {m} descartadas",
        "gap_status": "Estado de la brecha", "gs_open": "Abierta", "gs_in-progress": "En curso",
        "gs_closed": "Cerrada", "gs_wont-fix": "Descartada",
        "gs_active": "Abiertas y en curso", "all_statuses": "Todos los estados",
        "show_all_gaps": "Mostrar también las cerradas",
        "closed_gaps_muted": "(atenuadas: cerradas o descartadas)",
        "closed_gaps_hidden": "({n} cerradas no se muestran)",
        "n_open_gap": "{n} brecha abierta", "n_open_gaps": "{n} brechas abiertas",
        "n_closed_one": "({n} cerrada)", "n_closed": "({n} cerradas)",
        "overdue_only": "Solo vencidas", "n_overdue": "{n} vencidas",
        "reviewed_on": "Revisado el {date}", "next_review": "Próxima revisión",
        "review_due_on": "próxima revisión {date}",
        "review_overdue": "próxima revisión vencida",
        "never_reviewed": "Nunca revisado", "review_label": "Revisión",
        "attention": "Atención", "attention_intro": "Lo que necesita a una persona ahora. "
        "Las fechas se comparan con el día de hoy en su navegador.",
        "att_overdue": "Acciones vencidas",
        "att_unassigned": "Acciones sin responsable o sin fecha límite",
        "att_no_action": "Brechas altas abiertas sin acciones",
        "att_done_open": "Brechas con todas sus acciones hechas, aún abiertas",
        "att_review": "Journeys con revisión vencida o nunca revisados",
        "att_no_owner": "Journeys sin responsable",
        "att_off_target": "Métricas fuera de meta sin brecha abierta en su etapa",
        "att_assumed": "Etapas cuya emoción solo se supone",
        "nothing_needed": "Nada aquí requiere atención.", "no_due": "Sin fecha límite",
        "open_by_severity": "Brechas abiertas (alta · media · baja)",
        "overdue_actions": "Acciones vencidas", "coverage": "Cobertura de evidencia",
        "needs_attention": "requieren atención",
        "sheet_gaps": "Brechas", "sheet_actions": "Acciones",
        "gap_reopened": "Brecha reabierta", "gap_status_changed": "Estado de la brecha cambiado",
        "insights": "Hallazgos", "insight": "Hallazgo", "evidenced": "Con evidencia",
        "evidence_strength": "Solidez de la evidencia",
        "stage_research": "Investigación que la respalda",
        "sources_n": "{n} fuentes", "sources_1": "1 fuente", "kinds_n": "{n} tipos",
        "kinds_1": "1 tipo", "participants": "Participantes", "quotes": "Citas",
        "tags": "Etiquetas", "tag": "Etiqueta", "cited_by": "Citado en",
        "not_cited": "Ninguna etapa, punto de dolor ni brecha cita aún este hallazgo.",
        "source_record": "Registro original", "no_insights": "Aún no hay hallazgos.",
        "aged": "de más de {n} días", "gathered": "Recogido", "about": "Sobre",
        "source_kind": "Fuente", "cites_n": "{n} hallazgos lo respaldan",
        "cites_1": "1 hallazgo lo respalda",
        "src_interview": "entrevista", "src_usability-test": "prueba de usabilidad",
        "src_support-ticket": "ticket de soporte", "src_survey": "encuesta",
        "src_analytics": "analítica", "src_review": "reseña", "src_social": "redes sociales",
        "src_field-visit": "visita", "src_workshop": "taller", "src_other": "otro",
        "mapping_nps": "NPS ÷ 50", "mapping_csat": "media − 3",
        "mapping_ces": "(media − 4) × 2/3",
        "mapping_score": "media, {low}–{high} sobre −2…+2", "measured_mapping": "trazada como",
    },
}

CHANNEL_NAMES = {
    "en": {"phone": "Phone", "in-person": "In person", "email": "Email", "sms": "SMS",
           "chat": "Chat", "app": "App", "web": "Web", "social": "Social media",
           "mail": "Post", "other": "Other"},
    "es": {"phone": "Teléfono", "in-person": "Presencial", "email": "Correo electrónico",
           "sms": "SMS", "chat": "Chat", "app": "App", "web": "Web",
           "social": "Redes sociales", "mail": "Correo postal", "other": "Otro"},
}

EMOTION_NAMES = {
    "en": {2: "magical", 1: "happy", 0: "indifferent", -1: "unhappy", -2: "frustrated"},
    "es": {2: "mágica", 1: "feliz", 0: "indiferente", -1: "infeliz", -2: "frustrado"},
}


MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "es": ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
}


def date_label(iso: str, language: str) -> str:
    """A YYYY-MM-DD date as people read it: "12 Mar 2026", "12 mar 2026"."""
    try:
        year, month, day = (int(part) for part in iso.split("-"))
        return f"{day} {MONTHS.get(language, MONTHS['en'])[month - 1]} {year}"
    except (ValueError, IndexError):
        return iso


def translator(language: str, labels: dict[str, str] | None = None):
    """A lookup: the site's own `[labels]` first, then the language, then English, then
    the key itself, so a missing string never breaks. One per language and labels: the
    view, the renderer and the templates of a build share it."""
    return _translator(language, tuple(sorted((labels or {}).items())))


@functools.lru_cache(maxsize=8)
def _translator(language: str, labels: tuple[tuple[str, str], ...]):  # noqa: ANN202
    table, fallback = STRINGS.get(language, STRINGS["en"]), STRINGS["en"]
    own = dict(labels)

    def t(key: str) -> str:
        return own.get(key) or table.get(key) or fallback.get(key) or key

    return t


def score_label(score: int) -> str:
    """An emotion score as shown: "+2", "0", "−1" (a real minus sign)."""
    return f"+{score}" if score > 0 else ("0" if score == 0 else f"−{-score}")


def number(value: float) -> str:
    """A metric value as shown: "4", "4.5", "3.25", "−2" (a real minus sign)."""
    if float(value).is_integer():
        return str(int(value)).replace("-", "−")
    return f"{value:.2f}".rstrip("0").rstrip(".").replace("-", "−")


def counted(t, key: str, n: int) -> str:  # noqa: ANN001 - a translator
    """"3 fuentes", "1 source": `<key>_1` for one, else `<key>_n` with {n}."""
    return t(f"{key}_1") if n == 1 else t(f"{key}_n").replace("{n}", str(n))


def decimal(value: float, language: str, places: int = 1) -> str:
    """A figure with the language's decimal mark and a real minus: "3,1", "−0.5"."""
    text = f"{value:.{places}f}".replace("-", "−")
    return text.replace(".", ",") if language == "es" else text
