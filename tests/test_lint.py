"""`cjmsite lint`: every rule fires on content made to trip it and stays quiet on content
that does not; [lint] config, lint_ignore, the formats (SARIF against the vendored 2.1.0
schema) and the exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, run, write_files

from cjmsite.lint.rules import RULES

TODAY = "2026-06-01"
# A site that passes every rule: an owned, recently reviewed journey whose stage has a
# metric on target and a gap with an owned, dated, unfinished action.
CLEAN = {
    "content/personas/ana.md": "---\nname: Ana\n---\n",
    "content/touchpoints/phone.md": "---\ntitle: Phone line\nchannel: phone\n---\n",
    "content/journeys/buy/index.md": """
        ---
        title: Buying
        persona: ana
        objective: Understand buying
        owner: CX team
        reviewed: 2026-05-01
        ---
        """,
    "content/journeys/buy/01-call.md": """
        ---
        title: Call
        touchpoints: [phone]
        emotion: 1
        metrics:
          - name: CSAT
            value: 4.5
            target: 4
        gaps:
          - title: Long wait
            severity: high
            actions:
              - title: Call-back
                owner: Ops
                status: planned
                due: 2026-07-01
        ---
        """,
}

STAGE = "content/journeys/buy/01-call.md"
JOURNEY = "content/journeys/buy/index.md"


def _stage(gaps: str = "", metrics: str = "  - name: CSAT\n    value: 4.5\n    target: 4\n",
           extra: str = "") -> dict[str, str]:
    text = "---\ntitle: Call\ntouchpoints: [phone]\nemotion: 1\n" + extra
    if metrics:
        text += "metrics:\n" + metrics
    if gaps:
        text += "gaps:\n" + gaps
    return {STAGE: text + "---\n"}


def _action(status: str = "planned", owner: str = "Ops", due: str = "2026-07-01") -> str:
    text = "      - title: Call-back\n"
    text += f"        status: {status}\n"
    if owner:
        text += f"        owner: {owner}\n"
    if due:
        text += f"        due: {due}\n"
    return text


def _gap(severity: str = "high", actions: str | None = None, status: str = "",
         closed: str = "") -> str:
    text = f"  - title: Long wait\n    severity: {severity}\n"
    if status:
        text += f"    status: {status}\n"
    if closed:
        text += f"    closed: {closed}\n"
    if actions is None:
        actions = _action()
    if actions:
        text += "    actions:\n" + actions
    return text


def _journey(extra: str = "owner: CX team\nreviewed: 2026-05-01\n") -> dict[str, str]:
    return {JOURNEY: "---\ntitle: Buying\npersona: ana\nobjective: Understand buying\n"
                     + extra + "---\n"}


INSIGHT = "content/insights/calls.md"


def _insight(date: str) -> str:
    return f"---\ntitle: Callers wait\nsource: interview\ndate: {date}\n---\n"


# code -> (content that trips it, the line it points at, content just short of it)
CASES: dict[str, tuple[dict[str, str], tuple[str, int], dict[str, str]]] = {
    "CJM101": (_stage(_gap("medium", "")), (STAGE, 10),
               _stage(_gap("low", ""))),
    "CJM102": (_stage(_gap(actions=_action(owner=""))), (STAGE, 13),
               _stage(_gap(actions=_action(status="proposed", owner="")))),
    "CJM103": (_stage(_gap(actions=_action(status="in-progress", due=""))), (STAGE, 13),
               _stage(_gap(actions=_action(status="proposed", due="")))),
    "CJM104": (_stage(_gap(actions=_action(due="2026-05-31"))), (STAGE, 13),
               _stage(_gap(actions=_action(due="2026-06-01")))),
    "CJM105": (_stage(_gap(actions=_action(status="done"))), (STAGE, 10),
               _stage(_gap(actions=_action(status="done"), status="cerrada",
                           closed="2026-07-02"))),
    "CJM106": (_stage(_gap(status="wont-fix")), (STAGE, 10),
               _stage(_gap(status="wont-fix", closed="2026-07-02"))),
    "CJM201": (_journey("reviewed: 2026-05-01\n"), (JOURNEY, 1), _journey()),
    "CJM202": (_journey("owner: CX\nreviewed: 2025-12-01\n"), (JOURNEY, 6),
               _journey("owner: CX\nreviewed: 2025-12-01\nreview_every: 365\n")),
    "CJM301": (_stage(_gap(), metrics=""), (STAGE, 1),
               _stage(_gap(), metrics="", extra="lint_ignore: [CJM3]\n")),
    "CJM302": (_stage(metrics="  - name: CSAT\n    value: 3.5\n    target: 4\n"), (STAGE, 6),
               _stage(_gap(), metrics="  - name: CSAT\n    value: 3.5\n    target: 4\n")),
    "CJM303": ({INSIGHT: _insight("2025-05-31")}, (INSIGHT, 4),
               {INSIGHT: _insight("2025-06-01")}),  # 365 days: not older than the limit
    "CJM304": (_stage(_gap(), extra="pain_points: [Slow]\n"), (STAGE, 5),
               {INSIGHT: _insight("2026-05-01"),
                **_stage(_gap(), extra="pain_points: [{text: Slow, evidence: [calls]}]\n")}),
    "CJM401": ({"content/touchpoints/web.md": "---\ntitle: Web\nchannel: web\n---\n"},
               ("content/touchpoints/web.md", 1),
               {"content/touchpoints/web.md": "---\ntitle: Web\nchannel: web\n---\n",
                STAGE: _stage(_gap(), extra="")[STAGE].replace("[phone]", "[phone, web]")}),
}


def _lint(root: Path, *args: str) -> tuple[int, str]:
    result = run("lint", str(root), "--today", TODAY, "-q", *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "site"
    write_files(root, CLEAN)
    return write_files(root, files)


def _codes(output: str) -> list[str]:
    return [line.split(": ", 2)[1].split()[0] for line in output.splitlines()
            if line.startswith("content/")]


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == {rule.code for rule in RULES}


def test_the_clean_site_has_no_findings(tmp_path: Path) -> None:
    code, output = _lint(_site(tmp_path, {}))
    assert (code, _codes(output)) == (0, []), output


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_rule_fires_at_its_line(tmp_path: Path, code: str) -> None:
    files, (path, line), _ = CASES[code]
    _, output = _lint(_site(tmp_path, files))
    assert f"{path}:{line}: {code} " in output, output
    assert _codes(output) == [code], output


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_rule_stays_quiet_just_short_of_it(tmp_path: Path, code: str) -> None:
    _, _, files = CASES[code]
    exit_code, output = _lint(_site(tmp_path, files))
    assert (exit_code, _codes(output)) == (0, []), output


def test_config_selects_ignores_and_raises_levels(tmp_path: Path) -> None:
    root = _site(tmp_path, {**_journey(""), **_stage(_gap(actions=_action(due="2026-01-01")))})
    assert set(_codes(_lint(root)[1])) == {"CJM104", "CJM201", "CJM202"}
    (root / "cjmsite.toml").write_text('[lint]\nselect = ["CJM1", "CJM202"]\n'
                                       'ignore = ["CJM2"]\n[lint.severity]\nCJM104 = "error"\n',
                                       encoding="utf-8")
    code, output = _lint(root, "--format", "json")
    data = json.loads(output[output.index("{"):])
    assert code == 1  # an error-level finding
    assert [(f["code"], f["level"]) for f in data["findings"]] == [("CJM104", "error")]
    assert data["summary"]["error"] == 1


def test_an_insight_silences_rules_for_itself(tmp_path: Path) -> None:
    """An aged insight that is kept on purpose: `lint_ignore` in its own file."""
    old = _insight("2025-05-31")
    root = _site(tmp_path, {INSIGHT: old})
    assert "CJM303" in _codes(_lint(root)[1])
    root = _site(tmp_path, {INSIGHT: old.replace("date:", "lint_ignore: [CJM303]\ndate:")})
    assert "CJM303" not in _codes(_lint(root)[1])
    root = _site(tmp_path, {INSIGHT: old.replace("date:", "lint_ignore: [CJM3O3]\ndate:")})
    assert f"{INSIGHT}:4: warning: unknown lint rule 'CJM3O3' (did you mean 'CJM303'?)" \
        in _lint(root)[1]


def test_unknown_codes_are_warnings_with_a_suggestion(tmp_path: Path) -> None:
    root = _site(tmp_path, _stage(_gap(), extra="lint_ignore: [CJM3O1]\n"))
    (root / "cjmsite.toml").write_text('[lint]\nignore = [\n  "CJM104",\n  "CJM1O4",\n]\n',
                                       encoding="utf-8")
    code, output = _lint(root)
    assert code == 0
    assert "cjmsite.toml:4: warning: unknown lint rule 'CJM1O4' (did you mean 'CJM104'?)" \
        in output
    assert f"{STAGE}:5: warning: unknown lint rule 'CJM3O1' (did you mean 'CJM301'?)" in output


def test_validation_errors_fail_lint(tmp_path: Path) -> None:
    root = _site(tmp_path, _stage(_gap(status="cerada", closed="12/03/2026")))
    code, output = _lint(root)
    assert code == 1
    assert f"{STAGE}:12: error: 'gaps[0].status' is 'cerada', not one of: open, " \
           "in-progress, closed, wont-fix (did you mean 'cerrada'?)" in output
    assert f"{STAGE}:13: error: 'gaps[0].closed' is '12/03/2026', not a date as YYYY-MM-DD " \
           "(did you mean '2026-03-12'?)" in output


def test_closed_before_the_first_action_date_is_reported(tmp_path: Path) -> None:
    root = _site(tmp_path, _stage(_gap(status="closed", closed="2025-07-01")))
    result = run("check", str(root))
    assert f"{STAGE}:13: warning: 'gaps[0].closed' is 2025-07-01, before the gap's earliest " \
           "action date (gaps[0].actions[0].due is 2026-07-01): check the year" \
        in result.output, result.output


def test_bad_today_is_a_usage_error(tmp_path: Path) -> None:
    result = run("lint", str(_site(tmp_path, {})), "--today", "2026-6-1")
    assert result.exit_code == 2
    assert "did you mean '2026-06-01'?" in result.output


def test_github_format_is_workflow_commands(tmp_path: Path) -> None:
    root = _site(tmp_path, _stage(_gap(actions=_action(due="2026-01-01, 100%"[:10]))))
    _, output = _lint(root, "--format", "github")
    assert output.splitlines()[0] == (
        f"::warning file={STAGE},line=13,title=CJM104::action 'Call-back' was due "
        "2026-01-01 and is planned, not done")


def test_sarif_validates_against_the_2_1_0_schema(tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads((REPO / "tests/schemas/sarif-schema-2.1.0.json").read_text("utf-8"))
    root = _site(tmp_path, {**_journey(""), **_stage(_gap("high", ""), metrics="")})
    (root / "content/personas/bea.md").write_text("---\nname: Bea\nrol: x\n---\n", "utf-8")
    target = tmp_path / "lint.sarif"
    _lint(root, "--format", "sarif", "-o", str(target))
    output = target.read_bytes()
    log = json.loads(output)
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    driver = log["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]][:len(RULES)] == [r.code for r in RULES]
    results = log["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"CJM101", "CJM201", "CJM202", "CJM301",
                                              "CJM401", "validation"}
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    # Deterministic: the same content gives the same bytes.
    _lint(root, "--format", "sarif", "-o", str(target))
    assert target.read_bytes() == output


def test_output_file(tmp_path: Path) -> None:
    root = _site(tmp_path, _journey(""))
    target = tmp_path / "lint.json"
    code, _ = _lint(root, "--format", "json", "--output", str(target))
    data = json.loads(target.read_text("utf-8"))
    assert code == 0 and data["findings"][0] == {
        "code": "CJM201", "level": "warning", "path": JOURNEY, "line": 1,
        "message": "journey 'Buying' has no owner", "journey": "buy", "id": "buy"}


def test_the_docs_list_every_rule_with_an_example_and_a_fix() -> None:
    guide = (REPO / "docs/managing-journeys.md").read_text(encoding="utf-8")
    for rule in RULES:
        row = re.search(rf"^\| {rule.code} \| (.+) \| (\w+) \|$", guide, re.MULTILINE)
        assert row and row.group(2) == rule.level, rule.code
        section = guide.split(f"### {rule.code}\n", 1)[1].split("\n### ", 1)[0]
        assert "```yaml" in section and "Fix:" in section, rule.code


def test_findings_placed_in_workers_have_the_same_lines(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """Many files with findings have their key lines read in forked workers: the same
    lines as read one by one (the example's findings, with the threshold at one file)."""
    from cjmsite import pool
    from cjmsite.content import parse

    code, serial = _lint(REPO, "--format", "json")
    monkeypatch.setattr(parse, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(pool, "workers", lambda: 2)
    monkeypatch.setattr(parse, "workers", lambda: 2)
    assert _lint(REPO, "--format", "json") == (code, serial)
    placed = json.loads(serial)["findings"]
    assert len({f["path"] for f in placed}) > 3 and any(f["line"] > 1 for f in placed)
