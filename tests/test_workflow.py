"""The GitHub workflow `cjmsite init` writes: parsed as YAML, and the shell commands of its
pull-request job run for real (cjmsite lint, cjmsite diff against the base branch, and the
comment posted once then updated, with a stand-in for the `gh` CLI)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import REPO, commit, edit, git, run

from cjmsite.commands.init import DIFF_MARKER

WORKFLOW = ".github/workflows/cjmsite.yml"
FAKE_GH = """#!/bin/sh
echo "$*" >> "$GH_LOG"
case "$*" in
  *--paginate*) [ -n "$GH_EXISTING" ] && echo "$GH_EXISTING" ;;
  *) for a in "$@"; do case "$a" in body=@*) cat "${a#body=@}" > "$GH_BODY" ;; esac; done ;;
esac
exit 0
"""


def _workflow(root: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    data = yaml.safe_load((root / WORKFLOW).read_text(encoding="utf-8"))
    data["on"] = data.pop(True)
    return data


def test_the_workflow_lints_pull_requests_and_deploys_main(tmp_path: Path) -> None:
    root = tmp_path / "site"
    assert run("init", str(root), "-q").exit_code == 0
    flow = _workflow(root)
    assert set(flow["on"]) == {"push", "pull_request", "workflow_dispatch"}
    assert flow["on"]["push"]["branches"] == ["main"]
    jobs = flow["jobs"]
    assert jobs["review"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["review"]["permissions"]["pull-requests"] == "write"
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    runs = [step.get("run", "") for step in jobs["review"]["steps"]]
    assert "cjmsite lint --format github" in runs
    assert any("cjmsite diff" in r for r in runs)
    assert "cjmsite build --strict" in [s.get("run") for s in jobs["build"]["steps"]]


def _expand(text: str, context: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: context[m.group(1)], text)


def _run_review(root: Path, bin_dir: Path, env: dict[str, str]) -> list[tuple[str, int, str]]:
    context = {"github.base_ref": "main", "github.token": "t0ken",
               "github.event.pull_request.number": "7", "github.repository": "cx/journeys",
               "github.event_name": "pull_request"}
    out = []
    for step in _workflow(root)["jobs"]["review"]["steps"]:
        command = step.get("run")
        if not command or command.startswith("pip install"):
            continue  # `uses:` steps are GitHub's; cjmsite is installed here already
        step_env = {**env, **{k: _expand(str(v), context)
                              for k, v in step.get("env", {}).items()}}
        done = subprocess.run(["bash", "-e", "-c", _expand(command, context)], cwd=root,
                              env=step_env, capture_output=True, text=True, timeout=120)
        out.append((step.get("name", command), done.returncode, done.stdout + done.stderr))
    return out


def test_the_pull_request_job_runs(tmp_path: Path) -> None:
    root = tmp_path / "site"
    assert run("init", str(root), "-q").exit_code == 0
    git(root, "init", "-q", "-b", "main")
    commit(root, "the example")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(root, "checkout", "-q", "-b", "close-gap")
    stage = "content/journeys/recepcion-y-facturacion/02-espera-en-recepcion.md"
    edit(root, stage, "severity: high", "severity: low", 1)
    commit(root, "a lower severity")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH, encoding="utf-8")
    (bin_dir / "cjmsite").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cjmsite "$@"\n',
                                     encoding="utf-8")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}",
           "PYTHONPATH": str(REPO), "GH_LOG": str(tmp_path / "gh.log"),
           "GH_BODY": str(tmp_path / "body.md"), "GH_EXISTING": ""}
    steps = _run_review(root, bin_dir, env)
    assert [code for _, code, _ in steps] == [0, 0, 0], steps
    assert "::warning file=content/journeys/" in steps[0][2]  # lint's annotations
    body = (tmp_path / "body.md").read_text(encoding="utf-8")
    assert body.startswith(DIFF_MARKER)
    assert "recepcion-y-facturacion" in body
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("api repos/cx/journeys/issues/7/comments --paginate")
    assert calls[1].startswith("api --method POST repos/cx/journeys/issues/7/comments")
    # The next push finds the comment by its first line and updates it.
    steps = _run_review(root, bin_dir, {**env, "GH_EXISTING": "4242"})
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert calls[3] == "api --method PATCH repos/cx/journeys/issues/comments/4242 " \
                       "-F body=@cjmsite-diff.md"
    assert not any("POST" in call for call in calls[2:])
