"""Surveys into the site: each survey's references checked, its responses file found,
read and computed (or taken from the cache when neither the file, the survey nor the
ids it may name changed), then its figures put where they belong: stage metrics that
name it, and each journey's measured emotion.

A responses file is read again only when its size or modification time changed; then
its content hash decides (a file touched but not changed is not computed again)."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from cjmsite import model, safefs
from cjmsite.content.source import SourceFile
from cjmsite.diagnostics import Report, did_you_mean
from cjmsite.figures import Figure, Measured, SurveyResults, Verbatim
from cjmsite.store import Remembered
from cjmsite.surveys.compute import (
    Known,
    Problem,
    compute,
    measured_emotion,
    measured_figure,
)
from cjmsite.surveys.read import Unreadable, read_responses

ENTRY = "responses/1"  # one entry per file; what it was computed for is inside


class SurveyCache:
    """Per responses file: its last stat and content hash, and the results computed for
    a key; in memory, and (unless `folder` is None) in the user's cache folder."""

    def __init__(self, folder: Path | None, version: str):
        self.folder, self.version = folder, version
        self.files: dict[str, Remembered] = {}

    def slot(self, rel: str) -> Remembered:
        if rel not in self.files:
            name = hashlib.sha1(rel.encode("utf-8", "surrogatepass")).hexdigest()[:20]
            self.files[rel] = Remembered(self.folder / "surveys" / name if self.folder
                                         else None)
        return self.files[rel]


def load_surveys(root: Path, site: model.Site, sources: dict[str, SourceFile],
                 report: Report, cache: SurveyCache | None
                 ) -> tuple[dict[str, model.Survey], dict[str, str]]:
    """Every survey with its responses file and results (new objects: the site's are
    left as they were); every problem in `report`. Also returns survey id -> a digest of
    what its pages show (for fingerprints). `measure` then puts the figures into the
    journeys."""
    known = Known({j.id: [s.id for s in j.stages] for j in site.journeys.values()},
                  sorted(site.touchpoints), sorted(site.personas))
    ids = hashlib.sha1(json.dumps([known.stages, known.touchpoints, known.personas],
                                  sort_keys=True).encode()).hexdigest()
    digests: dict[str, str] = {}
    surveys: dict[str, model.Survey] = {}
    for original in site.surveys.values():
        survey = surveys[original.id] = replace(original)
        src = sources[survey.source]
        if not _references(survey, site, src, report):
            continue
        path = _responses_file(root, survey, src, report)
        if path is None:
            continue
        if report.unread:  # its rows may name what could not be read: a warning per row
            report.notes.append(f"{path.relative_to(root).as_posix()}: not read until the "
                                "files above that cannot be read are mended")
            continue
        survey.file = path.relative_to(root).as_posix()
        key = json.dumps([src.data, ids, cache.version if cache else ""], sort_keys=True,
                         default=str)
        found = _results(path, root, survey, known, key, cache)
        if isinstance(found, Unreadable):
            report.error(survey.file, found.line, found.message)
            continue
        results, problems, errors, sheet = found
        for message in errors:
            report.error(survey.file, 1, message)
        if errors:
            continue
        survey.results = results
        for problem in problems:
            report.warning(survey.file, problem.line, problem.message,
                           f"{sheet}!{problem.line}" if sheet else "")
        usable = results.rows - results.left_out
        report.notes.append(f"{survey.file}: {results.rows:,} rows read, "
                            f"{results.left_out:,} left out")
        if not any(f.scope == "survey" for f in results.figures):
            report.error(survey.file, 1, f"no usable row: {results.rows:,} rows, "
                                         f"{usable:,} without a problem, none with a score")
        digests[survey.id] = hashlib.sha1(json.dumps(
            [asdict(results), survey.title, survey.target]).encode()).hexdigest()
    return surveys, digests


def _references(survey: model.Survey, site: model.Site, src: SourceFile,
                report: Report) -> bool:
    """The journey, stage, touchpoint and mapped ids the front matter names must exist:
    errors at their lines."""
    ok = True

    def unknown(path: tuple[str, ...], kind: str, value: str, known: Any,
                unread: tuple[str, str] | None = None) -> None:
        nonlocal ok
        if report.knock_on(*(unread or (kind, value))):  # its file's read error says it
            ok = ok and kind == "persona"  # no results without their journey or stage
            return
        ok = False  # its rows would each fail for it: the responses are not read
        report.error(src.rel, src.line(*path), f"unknown {kind} '{value}'"
                                               f"{did_you_mean(value, known)}")

    if survey.journey and survey.journey not in site.journeys:
        unknown(("journey",), "journey", survey.journey, site.journeys)
    elif survey.stage:
        stages = [s.id for s in site.journeys[survey.journey].stages]
        if survey.stage not in stages:
            unknown(("stage",), f"stage of journey '{survey.journey}'", survey.stage, stages,
                    ("stage", f"{survey.journey}/{survey.stage}"))
    if survey.touchpoint and survey.touchpoint not in site.touchpoints:
        unknown(("touchpoint",), "touchpoint", survey.touchpoint, site.touchpoints)
    for column, mapping in survey.values.items():
        if column == "stage" or not isinstance(mapping, dict):
            continue  # a stage id depends on the row's journey: checked per row
        known = {"journey": site.journeys, "touchpoint": site.touchpoints,
                 "persona": site.personas}[column]
        for cell, id_ in mapping.items():
            if id_ not in known:
                unknown(("values", column, cell), column, id_, known)
    return ok


def _responses_file(root: Path, survey: model.Survey, src: SourceFile,
                    report: Report) -> Path | None:
    folder = Path(src.path).parent if src.path else root / Path(src.rel).parent
    if survey.file:
        candidates = [folder / survey.file]
    else:
        candidates = [folder / f"{survey.id}.csv", folder / f"{survey.id}.xlsx"]
    for path in candidates:
        if os.path.lexists(path):
            try:
                inside = path.resolve().is_relative_to(root)
            except (OSError, ValueError):
                inside = False
            if not inside:
                report.error(src.rel, src.line("file"), f"responses file '{path.name}' lies "
                                                        "outside the project folder")
                return None
            if safefs.in_git(path, root):
                report.error(src.rel, src.line("file"), f"responses file '{path.name}' "
                                                        f"{safefs.GIT_REFUSED}")
                return None
            if any(part.startswith(".") and part not in (".", "..")
                   for part in Path(survey.file).parts):
                report.error(src.rel, src.line("file"), f"responses file '{survey.file}' is "
                             "a hidden file or lies in a hidden folder: cjmsite reads neither")
                return None
            return path
    wanted = survey.file or f"{survey.id}.csv (or {survey.id}.xlsx)"
    report.error(src.rel, src.line("file") if survey.file else 1,
                 f"responses file '{wanted}' not found next to {Path(src.rel).name}")
    return None


def _results(path: Path, root: Path, survey: model.Survey, known: Known, key: str,
             cache: SurveyCache | None
             ) -> tuple[SurveyResults, list[Problem], list[str], str] | Unreadable:
    slot = cache.slot(path.relative_to(root).as_posix()) if cache else Remembered()
    try:
        info = path.stat()
    except OSError:
        info = None
    stat = ":".join(map(str, safefs.stamp(info))) if info else ""
    last = slot.get(ENTRY)
    if stat and isinstance(last, dict) and last.get("stat") == stat \
            and last.get("key") == key:
        decoded = _decode(last)
        if decoded is not None:
            return decoded
    try:
        responses = read_responses(path, root, survey.sheet, tuple(survey.columns.values()),
                                   survey.header_row)
    except Unreadable as exc:
        return exc
    if isinstance(last, dict) and last.get("digest") == responses.digest \
            and last.get("key") == key and (decoded := _decode(last)) is not None:
        slot.put(ENTRY, {**last, "stat": stat})  # touched, not changed
        return decoded
    results, problems, errors = compute(survey, responses, known)
    slot.put(ENTRY, {"stat": stat, "key": key, "digest": responses.digest,
                    "sheet": responses.sheet, "errors": errors,
                    "problems": [[p.line, p.message] for p in problems],
                    "results": asdict(results)})
    return results, problems, errors, responses.sheet


def _decode(entry: dict) -> tuple[SurveyResults, list[Problem], list[str], str] | None:
    """A cached entry back into results; None when it has another shape."""
    try:
        data = entry["results"]
        figures = [Figure(f["scope"], f["id"], f["period"], f["n"], f["value"],
                                tuple(f["ci"]) if f["ci"] else None, f["mean"])
                   for f in data["figures"]]
        verbatims = [Verbatim(**v) for v in data["verbatims"]]
        results = SurveyResults(data["rows"], data["left_out"], figures,
                                      [(float(s), int(n)) for s, n in data["distribution"]],
                                      verbatims)
        problems = [Problem(int(line), str(message)) for line, message in entry["problems"]]
        return results, problems, [str(e) for e in entry["errors"]], str(entry["sheet"])
    except (KeyError, TypeError, ValueError):
        return None


def measure(site: model.Site, sources: dict[str, SourceFile],
            report: Report) -> dict[str, model.Journey]:
    """Every journey with its survey figures (see measure_journey)."""
    return {id_: measure_journey(site, journey, sources, report)
            for id_, journey in site.journeys.items()}


def measure_journey(site: model.Site, journey: model.Journey, sources: dict[str, SourceFile],
                    report: Report) -> model.Journey:
    """The journey as its surveys measured it (a new object; `journey` is left as it
    was): stage metrics that name a survey get its figure for the stage; the journey
    gets a measured emotion curve per survey whose rows reach its stages (every build,
    and serve's quick pass with the last build's survey results)."""
    stages = []
    for stage in journey.stages:
        src = sources.get(stage.source)
        metrics = []
        for index, metric in enumerate(stage.metrics):
            if not metric.survey:
                metrics.append(metric)
                continue
            metric = replace(metric)
            metrics.append(metric)
            survey = site.surveys.get(metric.survey)
            if survey is None:
                if src is not None:
                    report.error(src.rel, src.line("metrics", index, "survey"),
                                 f"unknown survey '{metric.survey}'"
                                 f"{did_you_mean(metric.survey, site.surveys)}")
                continue
            figure = survey.figure("stage", f"{journey.id}/{stage.id}")
            if metric.target is None:
                metric.target = survey.target
            if figure is not None:
                metric.value, metric.n, metric.ci = figure.value, figure.n, figure.ci
                if not metric.source and survey.title != metric.name:
                    metric.source = survey.title
        stages.append(replace(stage, metrics=metrics, measured={}))
    measured = []
    for survey in site.surveys.values():
        points, figures = {}, {}
        for stage in stages:
            figure = survey.figure("stage", f"{journey.id}/{stage.id}")
            if figure is not None:
                points[stage.id] = (measured_emotion(figure, survey.metric, survey.scale),
                                    figure.n)
                figures[stage.id] = measured_figure(figure, survey.metric)
                stage.measured[survey.id] = points[stage.id]
        if points:
            measured.append(Measured(survey.id, survey.title, points, survey.metric,
                                           figures))
    return replace(journey, stages=stages, measured=measured)
