"""`cjmsite lint`: validate as `check` does, then run the CX rules (cjmsite.lint.rules) and
write the findings in the chosen format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cjmsite.commands.check import check
from cjmsite.diagnostics import Diagnostic, Report
from cjmsite.lint import formats
from cjmsite.lint.core import Finding
from cjmsite.lint.run import counts, lint
from cjmsite.progress import NO_PROGRESS, Progress


@dataclass
class LintResult:
    report: Report  # validation problems and unknown rule codes
    findings: list[Finding]
    output: str  # the findings in the chosen format

    @property
    def failed(self) -> bool:
        """Exit 1: a validation error, or a finding at error level."""
        return self.report.failed() or any(f.level == "error" for f in self.findings)

    def summary(self) -> str:
        n = counts(self.findings)
        return (f"{n['error']} error{'s' * (n['error'] != 1)}, {n['warning']} warning"
                f"{'s' * (n['warning'] != 1)}, {n['info']} info (content: "
                f"{self.report.summary().split(':')[0]})")


def run_lint(root: Path, fmt: str = "text", today: dt.date | None = None,
             progress: Progress = NO_PROGRESS) -> LintResult:
    result = check(root, progress=progress)
    findings = lint(result.project, result.site, result.report, today)
    problems: list[Diagnostic] = result.report.sorted()
    output = {"text": lambda: formats.text(findings),
              "json": lambda: formats.as_json(findings, problems),
              "sarif": lambda: formats.sarif(findings, problems),
              "github": lambda: formats.github(findings, problems)}[fmt]()
    return LintResult(result.report, findings, output)
