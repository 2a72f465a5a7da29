"""Lint findings as text, JSON, SARIF 2.1.0 (GitHub code scanning) and GitHub workflow
commands. Deterministic: the same findings give the same bytes."""

from __future__ import annotations

import json
from typing import Any

from cjmsite import __version__
from cjmsite.diagnostics import Diagnostic
from cjmsite.lint.core import Finding
from cjmsite.lint.rules import RULES
from cjmsite.lint.run import counts

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def text(findings: list[Finding]) -> str:
    return "".join(f"{f.path}:{f.line}: {f.code} {f.message}\n" for f in findings)


def as_json(findings: list[Finding], problems: list[Diagnostic]) -> str:
    data = {"findings": [{"code": f.code, "level": f.level, "path": f.path, "line": f.line,
                          "message": f.message, "journey": f.journey, "id": f.id}
                         for f in findings],
            "summary": {**counts(findings), "problems": len(problems),
                        "by_code": _by_code(findings)}}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _by_code(findings: list[Finding]) -> dict[str, int]:
    out: dict[str, int] = {}
    for finding in findings:
        out[finding.code] = out.get(finding.code, 0) + 1
    return dict(sorted(out.items()))


def sarif(findings: list[Finding], problems: list[Diagnostic]) -> str:
    """One run of tool `cjmsite`, one rule per code with its help, one result per
    finding located by its project-relative path and line; validation problems are
    results of the `validation` rule (so a broken file shows on the pull request too)."""
    rules: list[dict[str, Any]] = [{
        "id": rule.code, "name": rule.code,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.help},
        "help": {"text": rule.help, "markdown": f"{rule.help}\n\nSee cjmsite's "
                                                f"docs/managing-journeys.md, {rule.code}."},
        "defaultConfiguration": {"level": _SARIF_LEVEL[rule.level]},
    } for rule in RULES]
    rules.append({"id": "validation", "name": "validation",
                  "shortDescription": {"text": "Content that does not validate"},
                  "fullDescription": {"text": "What `cjmsite check` reports."},
                  "help": {"text": "See docs/content-format.md."},
                  "defaultConfiguration": {"level": "error"}})
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    results = [_result(f.code, index[f.code], _SARIF_LEVEL[f.level], f.message, f.path, f.line)
               for f in findings]
    results += [_result("validation", index["validation"], _SARIF_LEVEL[d.level], d.message,
                        d.path, d.line) for d in problems]
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "cjmsite", "version": __version__, "rules": rules}},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The project folder"}}},
        "results": results}]}
    return json.dumps(log, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _result(code: str, index: int, level: str, message: str, path: str,
            line: int) -> dict[str, Any]:
    return {"ruleId": code, "ruleIndex": index, "level": level, "message": {"text": message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": max(line, 1)}}}]}


def _escape(value: str, property_: bool = False) -> str:
    """GitHub's workflow-command escaping (%, CR, LF; and ':' ',' in properties)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_ else value


def github(findings: list[Finding], problems: list[Diagnostic]) -> str:
    lines = [f"::{_GITHUB_LEVEL[d.level]} file={_escape(d.path, True)},line={d.line},"
             f"title=cjmsite::{_escape(d.message)}" for d in problems]
    lines += [f"::{_GITHUB_LEVEL[f.level]} file={_escape(f.path, True)},line={f.line},"
              f"title={f.code}::{_escape(f.message)}" for f in findings]
    return "".join(f"{line}\n" for line in lines)
