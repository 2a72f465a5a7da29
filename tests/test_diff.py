"""`cjmsite diff` on real git repositories: the JSON contract field by field, the text
summary, and bad revisions, shallow clones, sides that do not validate, moved folders."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import commit as _commit
from conftest import edit as _edit
from conftest import git as _git
from conftest import run, write_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

BASE = {
    "content/personas/ana.md": "---\nname: Ana\n---\n",
    "content/personas/bob.md": "---\nname: Bob\n---\n",
    "content/touchpoints/phone.md": "---\ntitle: Phone line\nchannel: phone\n---\n",
    "content/journeys/buy/index.md": "---\ntitle: Buying\npersona: [ana, bob]\n"
                                     "objective: Understand buying\n---\n",
    "content/journeys/buy/01-call.md":
        "---\ntitle: Call\ntouchpoints: [phone]\nemotion: {ana: -1, bob: 0}\n"
        "gaps:\n  - title: Slow answer\n    id: slow\n    severity: high\n    actions:\n"
        "      - title: Hire staff\n        status: in-progress\n"
        "metrics:\n  - name: Wait\n    value: 38\n    target: 10\n    higher_is_better: false\n"
        "---\n",
    "content/journeys/buy/02-pay.md": "---\ntitle: Pay\nemotion: 1\n---\n",
    "content/journeys/buy/03-leave.md": "---\ntitle: Leave\nemotion: 0\n---\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_files(tmp_path / "repo", BASE)
    _git(root, "init", "-q", "-b", "main")
    _commit(root, "first")
    return root


def _diff(repo: Path, *args: str) -> dict:
    result = run("diff", "-C", str(repo), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_no_changes(repo: Path) -> None:
    data = _diff(repo)
    assert data["from"]["rev"] == "HEAD" and len(data["from"]["commit"]) == 40
    assert data["to"] == {"rev": "working tree", "commit": None}
    assert data["journeys"] == data["personas"] == data["touchpoints"] == []
    assert "no changes" in run("diff", "-C", str(repo)).output


def test_every_kind_of_change_field_by_field(repo: Path) -> None:
    _edit(repo, "content/journeys/buy/01-call.md", "emotion: {ana: -1, bob: 0}",
          "emotion: {ana: 1}")
    _edit(repo, "content/journeys/buy/01-call.md", "status: in-progress", "status: done")
    _edit(repo, "content/journeys/buy/01-call.md", "value: 38", "value: 21")
    _edit(repo, "content/journeys/buy/index.md", "Understand buying", "Make buying easy")
    write_files(repo, {
        "content/journeys/buy/04-review.md": "---\ntitle: Review\nemotion: 2\n"
                                             "gaps:\n  - title: No reply\n---\n",
        "content/personas/cleo.md": "---\nname: Cleo\n---\n",
        "content/touchpoints/phone.md": "---\ntitle: Phone\nchannel: phone\n---\nNew text.\n"})
    (repo / "content/personas/bob.md").unlink()
    _edit(repo, "content/journeys/buy/index.md", "[ana, bob]", "[ana]")
    _commit(repo, "second")
    data = _diff(repo, "HEAD~1", "HEAD")
    [journey] = data["journeys"]
    assert journey["id"] == "buy" and journey["status"] == "changed"
    assert journey["fields"] == ["persona", "objective"]
    assert journey["stages"] == [  # bob left the journey: every score of his went too
        {"id": "call", "status": "changed", "fields": ["emotion", "gaps", "metrics"]},
        {"id": "pay", "status": "changed", "fields": ["emotion"]},
        {"id": "leave", "status": "changed", "fields": ["emotion"]},
        {"id": "review", "status": "added", "fields": []}]
    assert journey["emotion"] == [
        {"stage": "call", "persona": "ana", "from": -1, "to": 1},
        {"stage": "call", "persona": "bob", "from": 0, "to": None},
        {"stage": "pay", "persona": "bob", "from": 1, "to": None},
        {"stage": "leave", "persona": "bob", "from": 0, "to": None},
        {"stage": "review", "persona": "ana", "from": None, "to": 2}]
    assert journey["gaps"] == [
        {"stage": "call", "id": "slow", "title": "Slow answer", "status": "changed",
         "fields": ["actions"]},
        {"stage": "review", "id": "no-reply", "title": "No reply", "status": "added",
         "fields": []}]
    assert journey["actions"] == [{"stage": "call", "gap": "slow", "title": "Hire staff",
                                   "status": "changed", "from": "in-progress", "to": "done",
                                   "event": "done"}]
    assert journey["metrics"] == [{"stage": "call", "name": "Wait", "from": 38, "to": 21,
                                   "target": 10, "better": True}]
    assert data["personas"] == [{"id": "cleo", "status": "added", "fields": []},
                                {"id": "bob", "status": "removed", "fields": []}]
    assert data["touchpoints"] == [{"id": "phone", "status": "changed",
                                    "fields": ["title", "body"]}]
    text = run("diff", "-C", str(repo), "HEAD~1", "HEAD").output
    assert "emotion call / ana: −1 → +1" in text
    assert "action done Hire staff: in-progress → done" in text
    assert "metric Wait (call): 38 → 21 better" in text
    assert "gap opened: No reply (review)" in text


def test_reordered_stage_is_moved_and_renamed_file_is_the_same_stage(repo: Path) -> None:
    shutil.move(repo / "content/journeys/buy/03-leave.md",
                repo / "content/journeys/buy/00-leave.md")
    shutil.move(repo / "content/journeys/buy/02-pay.md", repo / "content/journeys/buy/2-pay.md")
    data = _diff(repo)
    assert data["journeys"][0]["stages"] == [{"id": "leave", "status": "moved", "fields": []}]


def test_gap_reordered_or_moved_with_its_id(repo: Path) -> None:
    _edit(repo, "content/journeys/buy/01-call.md",
          "gaps:\n  - title: Slow answer\n    id: slow\n    severity: high\n    actions:\n"
          "      - title: Hire staff\n        status: in-progress\n", "")
    _edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1\n",
          "emotion: 1\ngaps:\n  - title: Slow answer\n    id: slow\n    severity: high\n"
          "    actions:\n      - title: Hire staff\n        status: in-progress\n")
    [journey] = _diff(repo)["journeys"]
    assert journey["gaps"] == [{"stage": "pay", "id": "slow", "title": "Slow answer",
                                "status": "changed", "fields": ["stage"]}]


def test_deterministic_and_written_to_a_file(repo: Path, tmp_path: Path) -> None:
    _edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: -2")
    out = tmp_path / "d.json"
    assert run("diff", "-C", str(repo), "--format", "json", "-o", str(out)).exit_code == 0
    first = out.read_bytes()
    assert run("diff", "-C", str(repo), "--format", "json", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == first and json.loads(first)["journeys"]


def test_a_revision_that_does_not_exist(repo: Path) -> None:
    result = run("diff", "-C", str(repo), "nope~3")
    assert result.exit_code == 1
    assert "error: revision 'nope~3' does not exist" in result.output
    assert "Traceback" not in result.output


def test_a_side_that_does_not_validate_is_prefixed_by_its_revision(repo: Path) -> None:
    (repo / "content/journeys/buy/02-pay.md").write_text("---\ntitle: [broken\n---\n")
    _commit(repo, "broken")
    result = run("diff", "-C", str(repo), "HEAD~1", "HEAD")
    assert result.exit_code == 1
    assert "HEAD: content/journeys/buy/02-pay.md:3: error: YAML does not parse" in result.output
    result = run("diff", "-C", str(repo), "HEAD")
    assert "working tree: content/journeys/buy/02-pay.md:3: error:" in result.output


def test_not_a_repository(tmp_path: Path) -> None:
    site = write_files(tmp_path / "plain", BASE)
    result = run("diff", "-C", str(site))
    assert result.exit_code == 1 and "error:" in result.output
    assert "Traceback" not in result.output


def test_shallow_clone_says_how_to_fetch(repo: Path, tmp_path: Path) -> None:
    _edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: 2")
    _commit(repo, "second")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)],
                   check=True, capture_output=True)
    result = run("diff", "-C", str(clone), "HEAD~1", "HEAD")
    assert result.exit_code == 1
    assert "shallow clone" in result.output and "git fetch --unshallow" in result.output


def test_content_folder_moved_between_revisions_and_a_subfolder_project(repo: Path) -> None:
    shutil.move(repo / "content", repo / "journeys-src")
    (repo / "cjmsite.toml").write_text('[site]\ncontent_dir = "journeys-src"\n')
    _commit(repo, "moved")
    assert _diff(repo, "HEAD~1", "HEAD")["journeys"] == []
    nested = repo / "docs" / "cx"
    nested.mkdir(parents=True)
    shutil.move(repo / "journeys-src", nested / "content")
    shutil.move(repo / "cjmsite.toml", nested / "cjmsite.toml")
    (nested / "cjmsite.toml").write_text("")
    _commit(repo, "nested")
    _edit(nested, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: -1")
    assert _diff(nested)["journeys"][0]["emotion"][0]["to"] == -1


def test_a_branch_compared_with_main(repo: Path) -> None:
    _git(repo, "checkout", "-q", "-b", "idea")
    _edit(repo, "content/journeys/buy/03-leave.md", "emotion: 0", "emotion: 2")
    _commit(repo, "idea")
    _git(repo, "checkout", "-q", "main")
    [journey] = _diff(repo, "main", "idea")["journeys"]
    assert journey["emotion"] == [
        {"stage": "leave", "persona": "ana", "from": 0, "to": 2},
        {"stage": "leave", "persona": "bob", "from": 0, "to": 2}]


def test_repository_config_cannot_run_code(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    _git(repo, "config", "core.fsmonitor", f"touch {marker}; false")
    _git(repo, "config", "core.hooksPath", str(tmp_path))
    _edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: 2")
    assert _diff(repo)["journeys"]
    assert not marker.exists()


def test_html_report_draws_both_curves_and_lists_changes(repo: Path, tmp_path: Path) -> None:
    from conftest import parse_html

    _edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: -2")
    _edit(repo, "content/journeys/buy/01-call.md", "status: in-progress", "status: done")
    _edit(repo, "content/journeys/buy/01-call.md", "value: 38", "value: 50")
    shutil.move(repo / "content/journeys/buy/03-leave.md",
                repo / "content/journeys/buy/00-leave.md")
    out = tmp_path / "report.html"
    result = run("diff", "-C", str(repo), "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    doc = parse_html(out)
    assert doc.xpath("//h2")[0].text_content().startswith("Buying")
    svg = doc.xpath("//svg")[0]
    assert len(svg.xpath(".//path[@class='before']")) == 2  # ana and bob, before
    assert len(svg.xpath(".//path[@class='after']")) == 2
    assert "↔ Leave" in " ".join(svg.xpath(".//text[@class='mark-moved']//text()"))
    assert "Emotion per stage" in svg.get("aria-label")
    text = doc.text_content()
    assert "Hire staff" in text and "in-progress → done" in text
    assert "38 → 50 ↘ away from target 10" in text
    assert not doc.xpath("//script") and not doc.xpath("//link[@rel='stylesheet']")


def test_html_report_opens_cleanly_in_a_browser(repo: Path, tmp_path: Path, tab) -> None:
    _edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: -2")
    out = tmp_path / "report.html"
    assert run("diff", "-C", str(repo), "--format", "html", "-o", str(out)).exit_code == 0
    tab.open(out.as_uri())
    assert tab.errors == []
    assert tab.page.locator("svg path.after").count() == 2


def _updated(page: Path):
    from conftest import parse_html

    doc = parse_html(page)
    return doc.xpath("//p[contains(@class, 'updated')]")


def test_last_updated_on_pages_from_one_git_pass(repo: Path) -> None:
    _git(repo, "-c", "user.name=Bea", "commit", "-q", "--allow-empty", "-m", "nothing")
    _edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: 2")
    subprocess.run(["git", "-c", "user.name=Bea Díaz", "-c", "user.email=bea@example.org",
                    "commit", "-q", "-am", "pay", "--date=2026-03-04T10:00:00"], cwd=repo,
                   check=True, capture_output=True)
    assert run("build", str(repo)).exit_code == 0
    [line] = _updated(repo / "output/journeys/buy/index.html")
    time = line.xpath(".//time")[0]
    assert time.get("datetime") == "2026-03-04" and time.text == "2026-03-04"
    assert "by Bea Díaz" in line.text_content()
    short = _git(repo, "rev-parse", "--short", "HEAD").strip()
    assert line.xpath(".//code")[0].text == short
    [persona] = _updated(repo / "output/personas/ana/index.html")
    assert persona.xpath(".//time/@datetime")[0] != "2026-03-04"  # ana.md: first commit
    first = (repo / "output/journeys/buy/index.html").read_bytes()
    assert run("build", str(repo)).exit_code == 0
    assert (repo / "output/journeys/buy/index.html").read_bytes() == first  # same commit
    (repo / "content/touchpoints/phone.md").write_text("---\ntitle: Tel\nchannel: phone\n---\n")
    assert run("build", str(repo)).exit_code == 0
    [touchpoint] = _updated(repo / "output/touchpoints/phone/index.html")
    assert "changes not committed yet" in touchpoint.text_content()


def test_no_last_updated_outside_git_or_when_switched_off(repo: Path, tmp_path: Path) -> None:
    (repo / "cjmsite.toml").write_text("[site]\ngit = false\n")
    assert run("build", str(repo)).exit_code == 0
    assert _updated(repo / "output/journeys/buy/index.html") == []
    plain = write_files(tmp_path / "plain", BASE)
    assert run("build", str(plain), "--strict").exit_code == 0
    assert _updated(plain / "output/journeys/buy/index.html") == []


def test_a_repository_filter_never_runs_during_a_build(repo: Path, tmp_path: Path) -> None:
    """`git status` would run the clean filter a `.git/config` names for changed files;
    cjmsite compares blob ids instead."""
    marker = tmp_path / "PWNED"
    (repo / ".gitattributes").write_text("*.md filter=evil\n")
    _commit(repo, "attributes")
    _git(repo, "config", "filter.evil.clean", f"touch {marker}; cat")
    _edit(repo, "content/journeys/buy/02-pay.md", "emotion: 1", "emotion: 2")
    assert run("build", str(repo)).exit_code == 0
    assert not marker.exists()
    [line] = _updated(repo / "output/journeys/buy/index.html")
    assert "changes not committed yet" in line.text_content()
    assert not _updated(repo / "output/personas/ana/index.html")[0].xpath(
        ".//*[@class='uncommitted']")
