"""`cjmsite check`: read and validate everything, write nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cjmsite import model
from cjmsite.config import Project, load_config
from cjmsite.content.load import load_site
from cjmsite.content.parse import ParseCache
from cjmsite.diagnostics import Report
from cjmsite.render.theme import check_theme


@dataclass
class CheckResult:
    report: Report
    project: Project
    site: model.Site


def check(root: Path, cache: ParseCache | None = None) -> CheckResult:
    report = Report()
    project = load_config(root, report)
    check_theme(project, report)
    site = load_site(project, report, cache)
    return CheckResult(report, project, site)
