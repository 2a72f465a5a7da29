"""`cjmsite` leaves without freeing its heap object by object (cjmsite.__main__._leave):
what it printed still arrives whole through a pipe, its exit status is the command's, and
exit handlers still run (git's stand-in folders are removed)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import REPO, commit, copy_example, git, run


def _cjmsite(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cjmsite", *args], capture_output=True,
                          text=True, timeout=300, check=False)


def test_printed_output_arrives_whole_through_a_pipe() -> None:
    piped = _cjmsite("export", "mermaid", "-C", str(REPO), "recepcion-y-facturacion")
    assert piped.returncode == 0, piped.stderr
    in_process = run("export", "mermaid", "-C", str(REPO), "recepcion-y-facturacion")
    assert len(piped.stdout) > 200 and piped.stdout == in_process.output


def test_exit_status_and_messages_of_a_failed_build(tmp_path: Path) -> None:
    (tmp_path / "content/personas").mkdir(parents=True)
    (tmp_path / "content/personas/ana.md").write_text("---\nname: [\n---\n", encoding="utf-8")
    failed = _cjmsite("build", str(tmp_path))
    assert failed.returncode == 1
    assert "content/personas/ana.md:3: error: YAML does not parse" in failed.stderr
    assert failed.stderr.rstrip().endswith("output left unchanged")
    assert _cjmsite("no-such-command").returncode == 2


def _standins() -> set[Path]:
    places = [Path("/dev/shm"), Path(tempfile.gettempdir())]
    return {p for place in places if place.is_dir() for p in place.glob("cjmsite-git-*")}


def test_git_stand_in_folders_are_removed_on_exit(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    git(site, "init", "-q")
    commit(site, "the example")
    before = _standins()
    built = _cjmsite("build", "--quiet", str(site))
    assert built.returncode == 0, built.stderr
    assert (site / "output/journeys/recepcion-y-facturacion/history/index.html").is_file()
    assert _standins() == before


def test_a_profiler_still_gets_its_report(tmp_path: Path) -> None:
    report = tmp_path / "cjmsite.prof"
    profiled = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(report), "-m",
                               "cjmsite", "--version"], capture_output=True, text=True,
                              timeout=120, check=False)
    assert profiled.returncode == 0, profiled.stderr
    assert "cjmsite" in profiled.stdout and report.stat().st_size > 1000
