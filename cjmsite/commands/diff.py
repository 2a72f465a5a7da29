"""`cjmsite diff [FROM] [TO]`: what a change does to the journeys, entity by entity.

Both sides are loaded and validated in full, each from its own folder: a revision is
unpacked from git into a temporary folder first, the working tree is read where it is."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cjmsite import model
from cjmsite.commands.check import check
from cjmsite.content.parse import ParseCache
from cjmsite.diagnostics import did_you_mean
from cjmsite.history.compare import (
    compare,
    gap_word,
    shown_score,
    shown_value,
    side_name,
    trend,
)
from cjmsite.history.git import GitError, commit_of, locate
from cjmsite.history.revision import unpack

WORKING_TREE = "working tree"


@dataclass
class DiffResult:
    problems: list[str] = field(default_factory=list)  # lines to print; exit 1 if any
    data: dict[str, Any] = field(default_factory=dict)
    old: model.Site | None = None
    new: model.Site | None = None


def _side(root: Path, rev: str | None, folder: Path, problems: list[str],
          cache: ParseCache) -> tuple[dict[str, Any], model.Site | None]:
    if rev is None:
        result = check(root)
        label, described = WORKING_TREE, {"rev": WORKING_TREE, "commit": None}
    else:
        try:
            place = locate(root)
            commit = commit_of(place, rev)
            unpack(place, commit, folder)
        except GitError as exc:
            problems.append(f"{exc.path}: error: {exc}" if exc.path else f"error: {exc}")
            return {}, None
        result = check(folder, cache)  # files both revisions share are parsed once
        label, described = rev, {"rev": rev, "commit": commit}
    errors = [d for d in result.report.sorted() if d.level == "error"]
    problems.extend(f"{label}: {d}" for d in errors)
    return described, None if errors else result.site


def diff(root: Path, old: str = "HEAD", new: str | None = None) -> DiffResult:
    """Compare revision `old` with revision `new` (None: the working tree)."""
    result = DiffResult()
    with tempfile.TemporaryDirectory(prefix="cjmsite-diff-", dir=_memory_folder()) as tmp:
        shared = ParseCache(None, "diff")
        before, old_site = _side(root, old, Path(tmp) / "from", result.problems, shared)
        after, new_site = _side(root, new, Path(tmp) / "to", result.problems, shared)
    if old_site is None or new_site is None:
        return result
    result.data = {"from": before, "to": after, **compare(old_site, new_site)}
    result.old, result.new = old_site, new_site
    return result


def _memory_folder() -> str | None:
    """A revision's files are written once and read once: in memory (/dev/shm) where
    there is such a folder, so thousands of small files never wait on the disk."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None


def diff_journeys(root: Path, as_is: str, to_be: str) -> DiffResult:
    """Compare two journeys of the working tree as if they were two revisions of one (an
    as-is map and its to-be map, typically): stages matched by id."""
    result = DiffResult()
    checked = check(root)
    result.problems = [f"{WORKING_TREE}: {d}" for d in checked.report.sorted()
                       if d.level == "error"]
    site = checked.site
    for id_ in (as_is, to_be):
        if id_ not in site.journeys:
            result.problems.append(f"error: unknown journey '{id_}'"
                                   f"{did_you_mean(id_, site.journeys)}")
    if result.problems:
        return result
    old = model.Site(site.personas, site.touchpoints, {as_is: site.journeys[as_is]})
    new = model.Site(site.personas, site.touchpoints,
                     {as_is: replace(site.journeys[to_be], id=as_is)})
    result.data = {"from": {"rev": WORKING_TREE, "commit": None, "journey": as_is},
                   "to": {"rev": WORKING_TREE, "commit": None, "journey": to_be},
                   **compare(old, new)}
    result.old, result.new = old, new
    return result


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def as_text(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(line, colour) pairs: a short summary a reviewer reads in a terminal or a comment."""
    sides = f"{side_name(data['from'])} → {side_name(data['to'])}"
    lines: list[tuple[str, str]] = []
    for journey in data["journeys"]:
        lines.append((f"journey {journey['id']}: {journey['status']}"
                      + (f" ({', '.join(journey['fields'])})" if journey["fields"] else ""),
                      "bold"))
        for stage in journey["stages"]:
            fields = f" ({', '.join(stage['fields'])})" if stage["fields"] else ""
            lines.append((f"  stage {stage['id']}: {stage['status']}{fields}", ""))
        for e in journey["emotion"]:
            colour = {1: "green", -1: "red", 0: ""}[trend(e["from"], e["to"])]
            lines.append((f"  emotion {e['stage']} / {e['persona']}: "
                          f"{shown_score(e['from'])} → {shown_score(e['to'])}", colour))
        for gap in journey["gaps"]:
            word = gap_word(gap["status"], gap.get("event", ""))
            moved = gap.get("gap_status")
            status = f" {moved['from']} → {moved['to']}" if moved else ""
            lines.append((f"  gap {word}: {gap['title']} ({gap['stage']}){status}",
                          {"opened": "red", "closed": "green", "reopened": "red"}.get(word, "")))
        for action in journey["actions"]:
            done = "done " if action.get("event") == "done" else ""
            lines.append((f"  action {done}{action['title']}: {action['from'] or '—'} → "
                          f"{action['to'] or '—'}", "green" if action["to"] == "done" else ""))
        for metric in journey["metrics"]:
            arrow = {True: "better", False: "worse", None: ""}[metric["better"]]
            change = f"{shown_value(metric['from'])} → {shown_value(metric['to'])}"
            lines.append((f"  metric {metric['name']} ({metric['stage']}): {change} {arrow}"
                          .rstrip(), {True: "green", False: "red", None: ""}[metric["better"]]))
    for kind in ("personas", "touchpoints", "insights"):
        for item in data[kind]:
            fields = f" ({', '.join(item['fields'])})" if item["fields"] else ""
            lines.append((f"{kind[:-1]} {item['id']}: {item['status']}{fields}", ""))
    if not lines:
        return [(f"no changes to journeys, personas, touchpoints or insights ({sides})", "")]
    return [(f"cjmsite diff {sides}", "bold"), *lines]
