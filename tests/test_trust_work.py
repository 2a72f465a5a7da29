"""Bodies and journeys that would cost minutes or hours end quickly as `path:line: error:`
naming the limit: Markdown work (counted, so the same on every machine), and a journey's
persona × stage cells; bodies in past commits (history pages) go through the same bounds.
The subprocess time-outs only bound hangs: on the old code these ran for hours."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import commit, git, parse_html, run, write_files

STAGE = "content/journeys/buy/01-call.md"
FRONT = "---\ntitle: Call\n---\n"
MIB2 = 2 * 1024 * 1024 - 200  # within the 2 MiB per-file limit, with the front matter
WORK = "Markdown body not rendered: the body needs more than 30,000,000 steps of Markdown work"


def _check(site: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cjmsite", "check", str(site)],
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("unit, message", [
    # the attacks as reported: headings, emphasis, code spans
    ("# h\n", WORK),
    ("*a* ", WORK),
    ("`` ", WORK),
    ("`", WORK),
    # variants: other line-at-a-time blocks, inline matches, quoted blank lines, fences
    ("a\n-\n", WORK),
    ("* * *\n", WORK),
    ("_a_ ", WORK),
    ("&amp; ", WORK),
    ("~~~\n", WORK),
    ("> a\n>\n", "blocks (paragraphs, headings, list items…) separated by blank lines, "
                 "more than 10,000"),
])
def test_a_2mib_body_ends_with_the_limit_named(make_site, unit: str, message: str) -> None:
    site = make_site({STAGE: FRONT + unit * (MIB2 // len(unit))})
    proc = _check(site)
    assert proc.returncode == 1, proc.stderr
    assert f"{STAGE}:4: error: Markdown body not rendered: " in proc.stderr, proc.stderr
    assert message in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("unit, count", [("# h\n", 8_000), ("*a* ", 16_000)])
def test_smaller_bodies_of_the_same_shape_hit_the_same_limit(make_site, unit: str,
                                                            count: int) -> None:
    """200 KB took 75 s: quadratic, so a tenth of the size is refused too."""
    site = make_site({STAGE: FRONT + unit * count})
    proc = _check(site)
    assert proc.returncode == 1 and WORK in proc.stderr, proc.stderr[-2000:]


def test_ordinary_long_bodies_still_render(make_site) -> None:
    """Headings and emphasis as people write them: blank lines between blocks."""
    body = "".join(f"## Step {i}\n\nThe *customer* calls; `code` & more.\n\n"
                   for i in range(2_000))
    site = make_site({STAGE: FRONT + body})
    result = run("build", str(site))
    assert result.exit_code == 0, result.output
    page = parse_html(site / "output/journeys/buy/index.html")
    assert len(page.xpath("//h2[starts-with(., 'Step ')]")) == 2_000


def test_the_count_is_the_same_whatever_the_machine() -> None:
    """Counted, not timed: the same body is refused at the same size every time."""
    from cjmsite.content.markup import MarkdownTooComplex, render_markdown

    outcomes = set()
    for _ in range(3):
        try:
            render_markdown("# h\n" * 3_000)
            outcomes.add("ok")
        except MarkdownTooComplex as exc:
            outcomes.add(str(exc))
    assert len(outcomes) == 1 and "steps of Markdown work" in outcomes.pop()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_body_in_a_past_commit_cannot_hang_the_history_pages(make_site) -> None:
    """`check` reads only today's files; `build` reads every past revision for the
    history pages: the same bounds apply there, and the revision shows as unreadable."""
    site = make_site()
    git_init(site)
    write_files(site, {STAGE: FRONT + "# h\n" * (MIB2 // 4)})
    commit(site, "huge")
    write_files(site, {STAGE: FRONT + "*a* " * (MIB2 // 4)})
    commit(site, "huge again")
    write_files(site, {STAGE: "---\ntitle: Call\nemotion: 1\n---\nFine.\n"})
    commit(site, "fixed")
    assert _check(site).returncode == 0
    proc = subprocess.run([sys.executable, "-m", "cjmsite", "build", str(site)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    page = parse_html(site / "output/journeys/buy/history/index.html")
    subjects = page.xpath("//p[@class='commit-subject']/text()")
    assert subjects[:3] == ["fixed", "huge again", "huge"], subjects


def git_init(root: Path) -> None:
    git(root, "init", "-q", "-b", "main")
    commit(root, "first")


def _journey(personas: int, stages: int) -> dict[str, str]:
    files = {f"content/personas/p{i}.md": f"---\nname: P{i}\n---\n" for i in range(personas)}
    ids = ", ".join(f"p{i}" for i in range(personas))
    files["content/journeys/buy/index.md"] = (f"---\ntitle: Buying\npersona: [{ids}]\n"
                                              "objective: Understand buying\n---\n")
    files.update({f"content/journeys/buy/{i:04d}-s{i}.md": f"---\ntitle: S{i}\nemotion: 1\n---\n"
                  for i in range(stages)})
    return files


@pytest.mark.parametrize("personas, stages", [(1_000, 1_000), (101, 200), (201, 100)])
def test_persona_stage_cells_are_bounded(make_site, personas: int, stages: int) -> None:
    site = make_site(_journey(personas, stages), base=False)
    proc = _check(site, timeout=300)
    assert proc.returncode == 1, proc.stderr[-2000:]
    cells = personas * stages
    assert (f"content/journeys/buy/index.md:3: error: journey 'buy' has {personas:,} "
            f"personas and {stages:,} stages, {cells:,} persona × stage cells, more than "
            "20,000: split it into smaller journeys") in proc.stderr, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr


def test_a_journey_at_the_cell_limit_builds(make_site) -> None:
    site = make_site(_journey(100, 200), base=False)
    assert _check(site, timeout=300).returncode == 0
