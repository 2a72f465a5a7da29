"""`cjmsite check`: read and validate everything, write nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cjmsite import model
from cjmsite.config import Project, load_config
from cjmsite.content.parse import ParseCache
from cjmsite.diagnostics import Report
from cjmsite.pipeline.load import load
from cjmsite.progress import NO_PROGRESS, Progress
from cjmsite.render.theme import check_theme


@dataclass
class CheckResult:
    report: Report
    project: Project
    site: model.Site


def check(root: Path, cache: ParseCache | None = None,
          progress: Progress = NO_PROGRESS) -> CheckResult:
    report = Report()
    project = load_config(root, report)
    check_theme(project, report)
    site = load(project, report, cache, progress=progress)[0]
    return CheckResult(report, project, site)
