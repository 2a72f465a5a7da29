"""Running the rule table over a site: which rules (`[lint]` select/ignore), at which level
(`[lint.severity]`), minus what files silence (`lint_ignore:`), each finding at its line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from cjmsite import model
from cjmsite.config import CONFIG_FILE, Project
from cjmsite.content.parse import key_lines
from cjmsite.content.source import lines_of
from cjmsite.diagnostics import Report, did_you_mean
from cjmsite.lint.core import Context, Finding
from cjmsite.lint.rules import BY_CODE, RULES

_CODE = re.compile(r"^CJM\d{0,3}$")
LEVEL_ORDER = {"error": 0, "warning": 1, "info": 2}


def known(code: str) -> bool:
    """A rule code or a prefix of some (CJM1, CJM10)."""
    return bool(_CODE.match(code)) and any(rule.startswith(code) for rule in BY_CODE)


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(pattern) for pattern in patterns)


def _unknown(code: str) -> str:
    return f"unknown lint rule '{code}'{did_you_mean(code, BY_CODE)}"


def levels(project: Project, report: Report) -> dict[str, str]:
    """Rule code -> level, for the rules `[lint]` selects; unknown codes reported."""
    lint = project.config.lint
    lines = dict(lint.lines)
    for code in dict.fromkeys([*lint.select, *lint.ignore, *(c for c, _ in lint.severity)]):
        if not known(code):
            report.warning(CONFIG_FILE, lines.get(code, 1), _unknown(code))
    overrides = dict(lint.severity)
    return {rule.code: overrides.get(rule.code, rule.level) for rule in RULES
            if (not lint.select or _matches(rule.code, lint.select))
            and not _matches(rule.code, lint.ignore)}


def _silenced(site: model.Site, report: Report, root: str) -> dict[str, tuple[str, ...]]:
    """Source path -> the codes its `lint_ignore:` lists (unknown ones reported)."""
    out: dict[str, tuple[str, ...]] = {}
    entities: list[Any] = [*site.personas.values(), *site.touchpoints.values(),
                           *site.surveys.values(), *site.insights.values()]
    for journey in site.journeys.values():
        entities += [journey, *journey.stages]
    for entity in entities:
        if not entity.lint_ignore:
            continue
        codes = tuple(code.strip().upper() for code in entity.lint_ignore)
        for code in codes:
            if not known(code):
                line = lines_of(f"{root}/{entity.source}", entity.source).get(("lint_ignore",), 1)
                report.warning(entity.source, line, _unknown(code))
        out[entity.source] = codes
    return out


def lint(project: Project, site: model.Site, report: Report,
         today: dt.date | None = None) -> list[Finding]:
    """Every finding of the selected rules, sorted by file, line and code."""
    chosen = levels(project, report)
    silenced = _silenced(site, report, str(project.root))
    ctx = Context(site, today or dt.date.today(), project.config.review_every,
                  project.config.evidence_max_age)
    found = []
    for rule in RULES:
        level = chosen.get(rule.code)
        if level is None:
            continue
        for finding in rule.check(ctx):
            if not _matches(finding.code, silenced.get(finding.path, ())):
                found.append(dataclasses.replace(finding, level=level))
    return _placed(found, str(project.root))


def _placed(found: list[Finding], root: str) -> list[Finding]:
    """Findings with the line of what they are about, reading the key lines of only the
    files with a finding inside them (the parse cache keeps none)."""
    paths = sorted({finding.path for finding in found if finding.at})
    lines = dict(zip(paths, key_lines(root, paths), strict=True))
    out = []
    for finding in found:
        line = 1
        if finding.at:
            known_lines = lines[finding.path]
            for end in range(len(finding.at), 0, -1):
                if finding.at[:end] in known_lines:
                    line = known_lines[finding.at[:end]]
                    break
        out.append(dataclasses.replace(finding, line=line))
    return sorted(out, key=lambda f: (f.path, f.line, f.code, f.message))


def counts(findings: list[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        out[finding.level] += 1
    return out
