"""Responses -> checked rows -> figures: NPS, CSAT, CES and mean scores with `n` and 95%
intervals, for the survey, each journey, stage, touchpoint and persona its rows reach,
for all time and per calendar month; the score distribution; recent comments.

Rows are checked and grouped by Polars, column by column, never in a Python loop over
rows: a million responses take about a second. Only the mapped columns are ever read
(a file may hold names or e-mails: they never reach the output)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cjmsite import model
from cjmsite.diagnostics import closest, did_you_mean, excerpt
from cjmsite.figures import Figure, SurveyResults, Verbatim
from cjmsite.surveys.read import HEADER_SEARCH, Responses

if TYPE_CHECKING:  # Polars takes ~0.3 s to import: only sites with surveys pay it
    import polars as pl

Z = 1.96  # 95%
GROUPS = 5  # per check, this many lines (one per bad value), then one for all the rest
FIRST_LINES = 5  # the lines named in a line that stands for several rows
HEADERS_LISTED = 20  # header names a message about a missing column lists
VERBATIMS = 5  # most recent comments kept per survey, journey, stage, touchpoint, persona
SCOPES = ("journey", "stage", "touchpoint", "persona")
_TIME_PARTS = ("%H", "%M", "%S", "%I", "%p", "%T", "%R")


@dataclass
class Known:
    """The ids rows may name: journeys with their stages, touchpoints, personas."""

    stages: dict[str, list[str]] = field(default_factory=dict)  # journey id -> stage ids
    touchpoints: list[str] = field(default_factory=list)
    personas: list[str] = field(default_factory=list)


@dataclass
class Problem:
    line: int
    message: str


def compute(survey: model.Survey, responses: Responses, known: Known
            ) -> tuple[SurveyResults, list[Problem], list[str]]:
    """(results, row problems (sorted; rows with the same problem are one), structural
    errors). With structural errors (a mapped column missing from the header) nothing is
    computed."""
    import polars as pl  # here, not at the top: only sites with surveys import it
    table = responses.table
    found = responses.headers
    missing = [f"'{header}' (columns.{name}{_closest(header, found)})"
               for name, header in survey.columns.items() if header not in table.columns]
    if missing:
        unit = "row" if responses.sheet else "line"
        where = (f"header_row: {responses.header_line}" if survey.header_row is not None
                 else f"{unit} {responses.header_line}")
        looks_like_a_title = not set(survey.columns.values()) & set(found)
        hint = "" if survey.header_row is not None or not looks_like_a_title else (
            f"; no {unit} of the first {HEADER_SEARCH} holds every mapped column: if the "
            f"header is further down, give its {unit} as header_row:")
        columns = f"column {missing[0]} is" if len(missing) == 1 \
            else f"columns {', '.join(missing)} are"
        listed = ", ".join(excerpt(h) for h in found[:HEADERS_LISTED]) + (
            f" and {len(found) - HEADERS_LISTED:,} more" if len(found) > HEADERS_LISTED else "")
        return SurveyResults(), [], [
            f"{columns} not in the file's header ({where} has: {listed}){hint}"]
    rows = _checked(survey, table, known)
    rows, problems, bad = _problems(survey, rows, known, "rows" if responses.sheet
                                    else "lines")
    good = rows.filter(~pl.col("_bad") & pl.col("score").is_not_null())
    results = SurveyResults(rows=table.height, left_out=bad)
    if good.height:
        results.figures = _figures(survey, good)
        results.distribution = [(float(s), int(n)) for s, n in good.group_by("score").agg(
            pl.len().alias("n")).sort("score").iter_rows()]
        results.verbatims = _verbatims(good) if "comment" in survey.columns else []
    return results, problems, []


def _closest(header: str, found: list[str]) -> str:
    match = closest(header, [h for h in found if len(h) <= 200]) if len(header) <= 200 \
        else None  # difflib's time grows with the product of the lengths
    return f"; did you mean '{excerpt(match)}'?" if match else ""


def _hint(word: str, candidates: list[str]) -> str:
    """did_you_mean on what a file holds: never on long words, the answer escaped."""
    if len(word) > 200:
        return ""
    return excerpt(did_you_mean(word, [c for c in candidates if len(c) <= 200]), 200)


def _checked(survey: model.Survey, table: pl.DataFrame, known: Known) -> pl.DataFrame:
    """One row per response: `score` (float or null), `date`, the four ids (mapped by
    `values`, "" when none), the comment, and for each check a flag column."""
    import polars as pl  # here, not at the top: only sites with surveys import it
    col = survey.columns
    low, high = survey.scale

    def text(name: str) -> pl.Expr:
        return pl.col(col[name]).fill_null("").str.strip_chars() if name in col \
            else pl.lit("")

    score_text = text("score")
    score = score_text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    exprs = [pl.col("_line"), score_text.alias("score_text"),
             pl.when(score.is_between(low, high)).then(score).alias("score"),
             (score_text != "").alias("has_score"),
             text("comment").alias("comment"), text("date").alias("date_text")]
    for scope in SCOPES:
        raw = text(scope)
        mapping = survey.values.get(scope, {})
        mapped = raw.replace(mapping) if mapping else raw
        fixed = getattr(survey, scope, "")  # a fixed id from the front matter
        exprs += [raw.alias(f"{scope}_text"),
                  (mapped if scope in col else pl.lit(fixed)).alias(scope)]
    rows = table.select(exprs)
    return rows.with_columns(_date(survey, pl.col("date_text")).alias("date"))


def _date(survey: model.Survey, text: pl.Expr) -> pl.Expr:
    """The date of a response: by `date_format` when given, else ISO 8601 (a date, or
    a date-time whose first ten characters are the date)."""
    import polars as pl  # here, not at the top: only sites with surveys import it
    iso = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    fmt = survey.date_format
    if not fmt:
        return iso
    if any(part in fmt for part in _TIME_PARTS):
        given = text.str.to_datetime(fmt, strict=False).dt.date()
    else:
        given = text.str.to_date(fmt, strict=False)
    return pl.coalesce(given, iso)  # a workbook's real date cells arrive as ISO text


def _problems(survey: model.Survey, rows: pl.DataFrame, known: Known, unit: str = "lines"
              ) -> tuple[pl.DataFrame, list[Problem], int]:
    """The rows with a `_bad` flag, the problems found in them and how many rows have a
    problem (each is left out). Rows with the same problem (one unknown id, one bad
    score) are one problem, at the first of them, with their count and first lines; past
    GROUPS different values of one check, the rest are one more."""
    import polars as pl  # here, not at the top: only sites with surveys import it
    low, high = survey.scale
    checks: list[tuple[pl.Expr, str]] = [
        (pl.col("has_score") & pl.col("score").is_null(), "score"),
        ((pl.col("date_text") != "") & pl.col("date").is_null(), "date"),
        ((pl.col("journey") != "") & ~pl.col("journey").is_in(list(known.stages)), "journey"),
        ((pl.col("touchpoint") != "") & ~pl.col("touchpoint").is_in(known.touchpoints),
         "touchpoint"),
        ((pl.col("persona") != "") & ~pl.col("persona").is_in(known.personas), "persona"),
    ]
    pairs = [f"{j}/{s}" for j, stages in known.stages.items() for s in stages]
    checks.append(((pl.col("stage") != "")
                   & ~(pl.col("journey") + "/" + pl.col("stage")).is_in(pairs), "stage"))
    flagged = rows.with_columns([expr.alias(f"_bad_{name}") for expr, name in checks])
    flagged = flagged.with_columns(pl.any_horizontal(
        [pl.col(f"_bad_{name}") for _, name in checks]).alias("_bad"))
    bad = flagged.filter(pl.col("_bad"))
    problems: list[Problem] = []
    for _, name in checks:
        keys = {"score": ["score_text"], "date": ["date_text"],
                "stage": ["journey", "stage", "stage_text"]}.get(name, [name, f"{name}_text"])
        groups = bad.filter(pl.col(f"_bad_{name}")).group_by(keys).agg(
            pl.len().alias("_n"), pl.col("_line").min().alias("_first"),
            pl.col("_line").sort().head(FIRST_LINES).alias("_lines")).sort("_first")
        # An unknown id is a fix of its own (a line each); bad scores or dates, however
        # many values, are one line.
        listed = GROUPS if name not in ("score", "date") or groups.height == 1 else 0
        for index, group in enumerate(groups.iter_rows(named=True)):
            if index == listed:  # the other values of this check, together
                rest = groups.slice(listed)
                lines = sorted(line for group_lines in rest["_lines"] for line in group_lines)
                problems.append(Problem(int(rest["_first"].min()), _rest(
                    survey, name, int(rest["_n"].sum()), rest[keys[-1]].to_list(),
                    lines[:FIRST_LINES], unit, (low, high), bool(listed))))
                break
            message = _message(survey, name, group, known, low, high)
            problems.append(Problem(group["_first"], _fold(message, group["_n"],
                                                           group["_lines"], unit)))
    return flagged, sorted(problems, key=lambda p: p.line), bad.height


def _fold(message: str, count: int, lines: list[int], unit: str) -> str:
    """"…; row left out" as it reads for one row, or for `count` rows."""
    if count == 1:
        return f"{message}; row left out"
    return f"{message} on {count:,} rows ({_lines(unit, count, lines)}); rows left out"


def _lines(unit: str, count: int, lines: list[int]) -> str:
    more = ", …" if count > len(lines) else ""
    return f"{unit} {', '.join(map(str, lines))}{more}"


def _rest(survey: model.Survey, check: str, count: int, values: list[str], lines: list[int],
          unit: str, scale: tuple[int, int], more: bool) -> str:
    """One line for the rows of a check not listed by value: "12 (more) rows with ...
    ('a', 'b', 'c', …; lines 3, 5, …)"."""
    what = {"score": f"a score that is not a number from {scale[0]} to {scale[1]}",
            "date": f"a date that does not match {survey.date_format or 'YYYY-MM-DD'}"
            }.get(check, f"an unknown {check}")
    shown = ", ".join(f"'{excerpt(v)}'" for v in values[:3]) + (", …" if len(values) > 3
                                                                else "")
    plural = "s" * (count != 1)
    return (f"{count:,}{' more' if more else ''} row{plural} with {what} ({shown}; "
            f"{_lines(unit, count, lines)}); row{plural} left out")


def _message(survey: model.Survey, check: str, row: dict, known: Known,
             low: int, high: int) -> str:
    if check == "score":
        return f"score '{excerpt(row['score_text'])}' is not a number from {low} to {high}"
    if check == "date":
        fmt = survey.date_format or "YYYY-MM-DD"
        return f"date '{excerpt(row['date_text'])}' does not match {fmt}"
    value, cell = row[check], row[f"{check}_text"]
    shown = f"'{excerpt(value)}'" + (f" (cell '{excerpt(cell)}')" if cell not in ("", value)
                                     else "")
    if check == "stage":
        journey = row["journey"]
        if journey not in known.stages:
            return f"stage {shown} without a journey it belongs to"
        candidates = known.stages[journey]
        where = f" of journey '{journey}'"
    else:
        candidates = {"journey": list(known.stages), "touchpoint": known.touchpoints,
                      "persona": known.personas}[check]
        where = ""
    # A cell the `values` mapping did not know is compared with its cells too.
    hint = _hint(value, [*candidates, *survey.values.get(check, {})])
    if not hint and check in survey.columns:
        hint = (f" (values.{check} maps the cell '{excerpt(cell)}' to it: map it to an "
                "existing id)"
                if cell != value else f" (map the cell to an id under values.{check})")
    return f"unknown {check} {shown}{where}{hint}"


def _figures(survey: model.Survey, good: pl.DataFrame) -> list[Figure]:
    import polars as pl  # here, not at the top: only sites with surveys import it
    low, high = survey.scale
    frame = good.with_columns(
        pl.col("date").dt.strftime("%Y-%m").alias("month"),
        pl.lit("").alias("survey_id"),
        pl.when(pl.col("stage") != "").then(pl.col("journey") + "/" + pl.col("stage"))
        .otherwise(pl.lit("")).alias("stage_id"))
    aggregates = [pl.len().alias("n"), pl.col("score").mean().alias("mean"),
                  pl.col("score").std().alias("std"),
                  (pl.col("score") >= high - 1).sum().alias("top"),
                  (pl.col("score") >= 9).sum().alias("promoters"),
                  (pl.col("score") <= 6).sum().alias("detractors")]
    figures = []
    for scope, column in (("survey", "survey_id"), ("journey", "journey"),
                          ("stage", "stage_id"), ("touchpoint", "touchpoint"),
                          ("persona", "persona")):
        scoped = frame if scope == "survey" else frame.filter(pl.col(column) != "")
        for keys in ([column], [column, "month"]):
            if keys[-1] == "month":
                scoped_keys = scoped.filter(pl.col("month").is_not_null())
            else:
                scoped_keys = scoped
            for row in scoped_keys.group_by(keys).agg(aggregates).iter_rows(named=True):
                figures.append(_figure(survey.metric, scope, row[column],
                                       row.get("month"), row, low, high))
    return sorted(figures, key=lambda f: (f.scope, f.id, f.period or ""))


def _figure(metric: str, scope: str, id_: str, period: str | None, row: dict,
            low: int, high: int) -> Figure:
    n, mean, std = row["n"], row["mean"], row["std"]
    if metric == "nps":
        pro, det = row["promoters"] / n, row["detractors"] / n
        value = 100 * (pro - det)
        half = 100 * Z * math.sqrt(max(pro + det - (pro - det) ** 2, 0.0) / n)
        ci = (round(max(value - half, -100.0), 1), round(min(value + half, 100.0), 1))
        shown = float(round(value))
    elif metric == "csat":
        p = row["top"] / n
        denominator = 1 + Z * Z / n
        centre = (p + Z * Z / (2 * n)) / denominator
        half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denominator
        ci = (round(100 * (centre - half), 1), round(100 * (centre + half), 1))
        shown = float(round(100 * p))
    else:
        shown = round(mean, 2)
        ci = None if std is None or n < 2 else (round(mean - Z * std / math.sqrt(n), 2),
                                                round(mean + Z * std / math.sqrt(n), 2))
    return Figure(scope, id_, period, n, shown, ci, round(mean, 4))


def _verbatims(good: pl.DataFrame) -> list[Verbatim]:
    """The most recent comments of the survey and of each scope it reaches (newest
    first; without a date, file order)."""
    import polars as pl  # here, not at the top: only sites with surveys import it
    said = good.filter(pl.col("comment") != "").sort(
        [pl.col("date").is_null(), pl.col("date"), pl.col("_line")],
        descending=[False, True, False])
    keep = set(said.head(VERBATIMS)["_line"].to_list())
    for scope in SCOPES:
        picked = said.filter(pl.col(scope) != "").group_by(
            scope, maintain_order=True).head(VERBATIMS)
        keep.update(picked["_line"].to_list())
    out = []
    for row in said.filter(pl.col("_line").is_in(list(keep))).iter_rows(named=True):
        out.append(Verbatim(row["comment"], row["date"].isoformat() if row["date"]
                                  else "", row["score"], row["journey"], row["stage"],
                                  row["touchpoint"], row["persona"]))
    return out


def measured_emotion(figure: Figure, metric: str, scale: tuple[int, int]) -> float:
    """A survey's own figure mapped onto the emotion scale, -2..+2 (never the raw mean
    of an NPS scale): NPS / 50, clamped; CSAT 1-5: mean - 3; CES 1-7 (7 easiest):
    (mean - 4) * 2 / 3; other scales: the mean, linearly."""
    low, high = scale
    if metric == "nps":
        value = figure.value / 50
    elif metric == "csat" and scale == (1, 5):
        value = figure.mean - 3
    elif metric == "ces" and scale == (1, 7):
        value = (figure.mean - 4) * 2 / 3
    else:
        value = -2 + 4 * (figure.mean - low) / (high - low)
    return round(max(-2.0, min(2.0, value)), 2)


def measured_figure(figure: Figure, metric: str) -> float:
    """What a measured point's label says: the NPS itself, else the mean answer."""
    return figure.value if metric == "nps" else figure.mean
