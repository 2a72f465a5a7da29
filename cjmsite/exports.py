"""gaps.csv and gaps.json: the gap/action index for spreadsheets and trackers."""

from __future__ import annotations

import csv
import io
import json

from cjmsite.pages import GapRow

CSV_COLUMNS = ("journey", "journey_title", "stage", "stage_title", "gap_id", "gap",
               "severity", "change", "touchpoint", "action", "action_owner", "action_status",
               "action_due", "page")


def gaps_json(rows: list[GapRow]) -> str:
    records = [{
        "id": r.gap.anchor,
        "journey": r.journey.id,
        "journey_title": r.journey.title,
        "stage": r.stage.id,
        "stage_title": r.stage.title,
        "title": r.gap.title,
        "severity": r.gap.severity,
        "change": r.gap.change,
        "touchpoint": r.gap.touchpoint,
        "open": r.is_open,
        "page": f"journeys/{r.journey.slug}/index.html#stage-{r.stage.slug}",
        "actions": [{"title": a.title, "owner": a.owner, "status": a.status, "due": a.due}
                    for a in r.gap.actions],
    } for r in rows]
    return json.dumps({"gaps": records}, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def gaps_csv(rows: list[GapRow]) -> str:
    """One line per action (a gap without actions gets one line), UTF-8 with a BOM so
    spreadsheet programs read the accents right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        base = [r.journey.id, r.journey.title, r.stage.id, r.stage.title, r.gap.anchor,
                r.gap.title, r.gap.severity, r.gap.change, r.gap.touchpoint]
        page = f"journeys/{r.journey.slug}/index.html#stage-{r.stage.slug}"
        for action in r.gap.actions or [None]:
            if action is None:
                writer.writerow([*base, "", "", "", "", page])
            else:
                writer.writerow([*base, action.title, action.owner, action.status, action.due,
                                 page])
    return "\ufeff" + out.getvalue()
