"""The model, read once: content (files parsed, validated, cross-checked), then surveys
(responses read and computed), then their figures put into the journeys. Each step
returns new objects; nothing changes the model once this returns."""

from __future__ import annotations

from dataclasses import replace

from cjmsite import model
from cjmsite.config import Project
from cjmsite.content import load as content
from cjmsite.content.parse import ParseCache
from cjmsite.diagnostics import Report
from cjmsite.progress import NO_PROGRESS, Progress
from cjmsite.surveys.load import SurveyCache, load_surveys, measure


def load(project: Project, report: Report, cache: ParseCache | None = None,
         validated: dict | None = None, surveys: SurveyCache | None = None,
         progress: Progress = NO_PROGRESS) -> tuple[model.Site, dict[str, str]]:
    """The site and the git blob id of every source file read (by project-relative
    path), for fingerprints; a survey's responses file gets a digest of the figures
    computed from it. Read everything before writing anything; every problem ends up in
    `report`. `validated`: stages validated by the last build, kept by a long-running
    process (serve); `surveys`: computed survey results."""
    site, digests, sources = content.load(project, report, cache, validated, progress)
    if not site.surveys and not any(m.survey for j in site.journeys.values()
                                    for s in j.stages for m in s.metrics):
        return site, digests
    found, computed = load_surveys(project.root, site, sources, report, surveys)
    site = replace(site, surveys=found)
    site = replace(site, journeys=measure(site, sources, report))
    digests.update({found[id_].file: digest for id_, digest in computed.items()})
    return site, digests


def load_site(project: Project, report: Report, cache: ParseCache | None = None) -> model.Site:
    return load(project, report, cache)[0]
