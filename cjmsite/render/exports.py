"""gaps.csv and gaps.json: the gap/action index for spreadsheets and trackers; and
metrics.csv and metrics.json: every figure computed from survey responses.

The gap files are written as per-journey pieces joined into one document, so a large site
can reuse the pieces of journeys that did not change (see cjmsite.render.pieces)."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap

from cjmsite import model, urls
from cjmsite.content.evidence import stage_evidence
from cjmsite.site.index import GapRow

CSV_COLUMNS = ("journey", "journey_title", "stage", "stage_title", "gap_id", "gap",
               "severity", "change", "touchpoint", "action", "action_owner", "action_status",
               "action_due", "page", "gap_status", "gap_closed", "overdue", "as_of",
               "personas")
# gaps.xlsx: one sheet of gaps (one row each) and one of actions (one row each).
GAP_SHEET = ("journey", "journey_title", "stage", "stage_title", "gap_id", "gap", "severity",
             "change", "touchpoint", "gap_status", "gap_closed", "actions", "overdue",
             "as_of", "personas", "page")
ACTION_SHEET = ("journey", "journey_title", "stage", "stage_title", "gap_id", "gap", "action",
                "action_owner", "action_status", "action_due", "overdue", "as_of", "page")


def page_of(r: GapRow) -> str:
    return urls.stage(r.journey, r.stage)


def _late(action: model.Action, day: str) -> bool:
    return bool(action.active and action.due and action.due < day)


def json_record(r: GapRow, day: str) -> str:
    """One gap as it appears inside the "gaps" list (indented as json.dumps(indent=2))."""
    record = {
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
        "gap_status": r.gap.status,
        "gap_closed": r.gap.closed or None,
        "overdue": r.overdue(day),
        "personas": list(r.journey.personas),
        "page": page_of(r),
        "actions": [{"title": a.title, "owner": a.owner, "status": a.status, "due": a.due,
                     "overdue": _late(a, day)} for a in r.gap.actions],
    }
    text = json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True)
    return textwrap.indent(text, "    ")


def json_document(records: list[bytes], day: str) -> bytes:
    """`records`: UTF-8 json_record texts, or runs of them joined with ",\n"."""
    head = f'{{\n  "as_of": "{day}",\n  "gaps": '.encode()
    if not records:
        return head + b"[]\n}\n"
    return b"".join((head, b"[\n", b",\n".join(records), b"\n  ]\n}\n"))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet may split a cell where it finds its own list separator (Spanish Excel
# splits on ";"), or a line break: the text after one must not start a formula either.
_AFTER_SEPARATOR = re.compile(r"(?<=[,;\t|\r\n])(?=[=+\-@])")


def safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run, whatever separator it splits on: text that would
    start a formula (=, +, -, @, tab, carriage return) gets a leading apostrophe, as OWASP
    recommends against CSV injection, and so does such text after a `,` `;` tab `|` or line
    break inside the cell. Excel, LibreOffice and Google Sheets then show it as text. (The
    writers below also quote every text cell, so a reader that honours quotes never splits
    one.)"""
    text = _AFTER_SEPARATOR.sub("'", text)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def gap_cells(rows: list[GapRow], day: str) -> list[list[str]]:
    """The CSV_COLUMNS of each action (a gap without actions gets one row), as written."""
    out = []
    for r in rows:
        base = [r.journey.id, r.journey.title, r.stage.id, r.stage.title, r.gap.anchor,
                r.gap.title, r.gap.severity, r.gap.change, r.gap.touchpoint]
        tail = [r.gap.status, r.gap.closed]
        people = "|".join(r.journey.personas)
        page = page_of(r)
        for action in r.gap.actions or [None]:
            if action is None:
                out.append([*base, "", "", "", "", page, *tail, "false", day, people])
            else:
                out.append([*base, action.title, action.owner, action.status, action.due,
                            page, *tail, "true" if _late(action, day) else "false", day,
                            people])
    return out


def sheet_rows(rows: list[GapRow], day: str) -> tuple[list[list[object]], list[list[object]]]:
    """gaps.xlsx's GAP_SHEET and ACTION_SHEET rows: text, numbers, booleans and dates
    as ISO text (the workbook writes those as real date cells)."""
    gaps, actions = [], []
    for r in rows:
        base = [r.journey.id, r.journey.title, r.stage.id, r.stage.title, r.gap.anchor,
                r.gap.title]
        page = page_of(r)
        gaps.append([*base, r.gap.severity, r.gap.change, r.gap.touchpoint, r.gap.status,
                     r.gap.closed, len(r.gap.actions), r.overdue(day), day,
                     "|".join(r.journey.personas), page])
        actions += [[*base, a.title, a.owner, a.status, a.due, _late(a, day), day, page]
                    for a in r.gap.actions]
    return gaps, actions


def csv_lines(rows: list[GapRow], day: str) -> str:
    """One line per action; every cell made safe to open in a spreadsheet (gaps.json and
    gaps.xlsx keep the text exactly as written: neither can hold a formula)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for cells in gap_cells(rows, day):
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


def csv_document(pieces: list[bytes]) -> bytes:
    """UTF-8 with a BOM so spreadsheet programs read the accents right."""
    header = "\ufeff" + ",".join(CSV_COLUMNS) + "\n"
    return b"".join((header.encode("utf-8"), *pieces))


METRIC_COLUMNS = ("survey", "metric", "scope", "id", "period", "n", "value", "ci_low",
                  "ci_high", "target")
_SCOPES = ("survey", "journey", "stage", "touchpoint", "persona")


def metric_records(site: model.Site) -> list[dict[str, object]]:
    """One record per computed value, sorted by survey, scope, id, then period (all
    time first, then months in order)."""
    records = []
    for survey in sorted(site.surveys.values(), key=lambda s: s.id):
        for f in sorted(survey.results.figures, key=lambda f: (
                _SCOPES.index(f.scope), f.id, f.period is not None, f.period or "")):
            records.append({"survey": survey.id, "metric": survey.metric, "scope": f.scope,
                            "id": f.id, "period": f.period, "n": f.n,
                            "value": _plain(f.value), "ci_low": _plain(f.ci[0]) if f.ci
                            else None, "ci_high": _plain(f.ci[1]) if f.ci else None,
                            "target": _plain(survey.target) if survey.target is not None
                            else None})
    return records + evidence_records(site)


def evidence_records(site: model.Site) -> list[dict[str, object]]:
    """Per stage, when the site has insights: `metric` "evidence", `n` the insights behind
    it, `value` their distinct kinds of source (more kinds: stronger evidence)."""
    if not site.insights:
        return []
    records: list[dict[str, object]] = []
    for journey in site.journeys.values():
        for stage in journey.stages:
            found = stage_evidence(site, stage)
            records.append({"survey": None, "metric": "evidence", "scope": "stage",
                            "id": f"{journey.id}/{stage.id}", "period": None, "n": found.n,
                            "value": found.kinds, "ci_low": None, "ci_high": None,
                            "target": None})
    return records


def _plain(value: float) -> float | int:
    """Whole numbers as integers: "82", not "82.0"."""
    return int(value) if float(value).is_integer() else value


def metrics_json(records: list[dict[str, object]]) -> bytes:
    return (json.dumps({"metrics": records}, ensure_ascii=False, indent=2) + "\n") \
        .encode("utf-8")


def metrics_csv(records: list[dict[str, object]]) -> bytes:
    """Like gaps.csv: UTF-8 with a BOM, a header row, empty cells for nulls; text cells
    (ids come from file names, which can be anything) quoted and formula-safe, numbers
    as they are."""
    out = io.StringIO(",".join(METRIC_COLUMNS) + "\n")
    out.seek(0, io.SEEK_END)
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    for record in records:
        writer.writerow(["" if record[c] is None else record[c]
                         if isinstance(record[c], (int, float)) else safe_cell(str(record[c]))
                         for c in METRIC_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")

