"""`cjmsite build`: config -> load -> validate -> render -> write, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cjmsite.commands.check import check
from cjmsite.diagnostics import Report
from cjmsite.output import StagedOutput, check_output_dir
from cjmsite.render import render_site


@dataclass
class BuildResult:
    report: Report
    output: Path | None = None
    files: int = 0


def build(root: Path, strict: bool = False) -> BuildResult:
    """Build the site; on any content error the previous output stays exactly as it was."""
    report, project, site = check(root)
    if report.failed(strict):
        return BuildResult(report)
    check_output_dir(project.output, project.root, project.content)
    staged = StagedOutput(project.output)
    try:
        for rel, data in render_site(project, site):
            if isinstance(data, Path):
                staged.copy(rel, data)
            else:
                staged.write_bytes(rel, data)
        staged.commit()
    except BaseException:
        staged.discard()
        raise
    return BuildResult(report, project.output, len(staged.written))
