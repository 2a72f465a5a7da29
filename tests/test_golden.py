"""Golden output (as Pelican does): a small site built and compared with committed files.

Any change to the HTML or SVG shows up here as a diff to review. After an intended change:
    CJMSITE_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from conftest import run

HERE = Path(__file__).parent / "golden"
COMPARED = (".html", ".svg", ".csv", ".json", ".xml", ".js")  # built files; assets/ is copied


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix in COMPARED and "assets" not in p.parts}


def test_build_matches_golden_output(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")  # exports say "as of 2026-05-28"
    site = tmp_path / "site"
    shutil.copytree(HERE / "site", site)
    result = run("build", str(site), "--strict")
    assert result.exit_code == 0, result.output
    built = _files(site / "output")
    expected_dir = HERE / "expected"
    if os.environ.get("CJMSITE_UPDATE_GOLDEN"):
        shutil.rmtree(expected_dir, ignore_errors=True)
        for rel, data in built.items():
            (expected_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (expected_dir / rel).write_bytes(data)
    expected = _files(expected_dir)
    assert sorted(built) == sorted(expected)
    for rel, data in built.items():
        if data != expected[rel]:
            diff = "\n".join(difflib.unified_diff(
                expected[rel].decode().splitlines(), data.decode().splitlines(),
                f"expected/{rel}", f"built/{rel}", lineterm="", n=1))
            raise AssertionError(f"{rel} differs from the golden copy:\n{diff[:4000]}")
