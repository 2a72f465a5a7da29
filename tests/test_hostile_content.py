"""Hostile front matter and bodies end quickly, as `path:line: error:` with the limit named,
never as a hang, a traceback or a message without a path."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run

STAGE = "content/journeys/buy/01-call.md"
LOL = '"lol"'


def _bomb(levels: int) -> str:
    """A 'billion laughs' front matter: each level lists the previous one nine times."""
    names = "abcdefghijklmnop"[:levels]
    lines = [f"{names[0]}: &{names[0]} [{', '.join([LOL] * 9)}]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "---\ntitle: Call\n" + "\n".join(lines) + "\n---\n"


def _cli(site: Path, timeout: float = 20) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "cjmsite", "check", str(site)],
                          capture_output=True, text=True, timeout=timeout)
    return proc, time.perf_counter() - started


@pytest.mark.parametrize("front, line, message", [
    (_bomb(9), 3, "YAML aliases expand to more than 10,000 values"),
    ("---\ntitle: Call\nowner: &a [*a]\n---\n", 3, "YAML alias refers to itself"),
    ("---\ntitle: Call\nx: " + "[" * 900 + "]" * 900 + "\n---\n", 3,
     "YAML is nested more than 64 levels deep"),
    ("---\ntitle: Call\nx: " + "[" * 3000 + "]" * 3000 + "\n---\n", 3,
     "YAML does not parse: exceeded maximum nesting depth"),
    ("---\ntitle: Call\norder: " + "9" * 4400 + "\n---\n", 3,
     "a number with 4,400 digits (more than 30)"),
    ("---\ntitle: Call\ntitle: Again\n---\n", 3, "duplicate key 'title' (also line 2)"),
    ("---\ntitle: Call\nactions:\n\t- Ring\n---\n", 4,
     "YAML does not allow tabs for indentation: use spaces"),
    ("---\ntitle: !!set {a, b}\n---\n", 2, "YAML tag !!set is not supported"),
    ("---\ntitle: !!binary aGVsbG8=\n---\n", 2, "YAML tag !!binary is not supported"),
    ("---\ntitle: !!python/object/apply:os.system [ls]\n---\n", 2,
     "could not determine a constructor"),
    ("---\ntitle: Call\nmetrics:\n  - name: NPS\n    value: .inf\n---\n", 5,
     "'metrics[0].value' must be a finite number, not inf"),
    ("---\ntitle: Call\nmetrics:\n  - name: NPS\n    value: 3\n    target: .nan\n---\n", 6,
     "'metrics[0].target' must be a finite number, not nan"),
    ("---\ntitle: Call\n---\n" + "[x " * 5000, 4,
     "Markdown body not rendered: the body has 5,000 '[' (links and images)"),
    ("---\ntitle: Call\n---\n" + "<a " * 5000, 4, "'<' (HTML tags)"),
    ("---\ntitle: Call\n---\n" + "\n".join("    " * i + "- a" for i in range(600)), 4,
     "Markdown body not rendered: a line is indented more than 256 columns"),
])
def test_hostile_stage_files(make_site, front: str, line: int, message: str) -> None:
    site = make_site({STAGE: front})
    proc, seconds = _cli(site)
    assert proc.returncode == 1, proc.stderr
    assert f"{STAGE}:{line}: error: " in proc.stderr, proc.stderr
    assert message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert seconds < 15, seconds  # a bound for hangs only: today some of these never end


def test_a_small_anchor_reused_still_works(make_site) -> None:
    site = make_site({STAGE: "---\ntitle: Call\nactions: &both [Ring, Wait]\n"
                             "pain_points: *both\n---\n"})
    assert run("build", str(site)).exit_code == 0
    assert "Wait" in (site / "output/journeys/buy/index.html").read_text()


def test_recursive_alias_does_not_kill_later_builds(make_site) -> None:
    """In-process (as serve builds): the error is reported and the next build works."""
    from cjmsite.commands.build import build
    from cjmsite.incremental.caches import Caches

    site = make_site({STAGE: "---\ntitle: Call\nowner: &a [*a]\n---\n"})
    session = Caches(in_memory=True)
    first = build(site, session=session, output=site / "preview")
    assert first.output is None
    assert any("refers to itself" in d.message for d in first.report.items)
    (site / STAGE).write_text("---\ntitle: Call fixed\n---\n")
    assert build(site, session=session, output=site / "preview").output is not None
