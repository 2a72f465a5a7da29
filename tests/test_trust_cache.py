"""Caches and build state cannot run code, cannot name paths outside the output folder, and
damaged entries are ignored: the build then equals a clean build."""

from __future__ import annotations

import json
import os
import pickle
import random
import shutil
from pathlib import Path

from conftest import copy_example, run
from test_build import snapshot

from cjmsite.commands.build import build
from cjmsite.incremental.state import BuildState, state_path
from cjmsite.store import cache_folder, write_file


class _Boom:
    """Unpickling this runs a shell command that leaves a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.system, (f"touch {self.marker}",))




def _clean(site: Path, tmp_path: Path) -> dict[str, str]:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(site / "content", clean / "content")
    shutil.copy(site / "cjmsite.toml", clean / "cjmsite.toml")
    assert build(clean, use_cache=False).output is not None
    return snapshot(clean / "output")


def test_pickles_planted_in_the_project_never_run(make_site, tmp_path: Path) -> None:
    site = make_site()
    marker = tmp_path / "pwned"
    payload = pickle.dumps({"content/personas/ana.md": _Boom(marker)})
    for name in ("parsed-0000", "fragments-0000"):
        folder = site / ".cjmsite-cache" / name
        folder.mkdir(parents=True)
        for index in range(64):
            (folder / f"{index:02d}.pickle").write_bytes(payload)
    (site / ".cjmsite-cache/outputs.json").write_bytes(payload)
    templates = site / ".cjmsite-cache/templates"
    templates.mkdir()
    for name in ("__jinja2_x.cache", "a" * 40 + ".cache"):
        (templates / name).write_bytes(b"j2\x00" + payload)
    assert run("build", str(site)).exit_code == 0
    assert run("build", str(site)).exit_code == 0
    assert not marker.exists()


def test_jinja_bytecode_is_never_read_from_the_project(make_site) -> None:
    from cjmsite.config import load_config
    from cjmsite.diagnostics import Report
    from cjmsite.render.theme import environment

    site = make_site()
    env = environment(load_config(site, Report()), cache_folder(site))
    assert env.bytecode_cache is not None
    folder = Path(env.bytecode_cache.folder)  # type: ignore[attr-defined]
    assert not folder.is_relative_to(site)


def test_state_cannot_delete_or_write_outside_the_output(make_site, tmp_path: Path) -> None:
    site = make_site()
    assert run("build", str(site)).exit_code == 0
    victim = tmp_path / "outside" / "victim.txt"
    victim.parent.mkdir()
    victim.write_text("precious")
    path = state_path(cache_folder(site), (site / "output").resolve())
    state = BuildState(path)
    assert state.hashes, "the first build saved its state"
    state.hashes["../../outside/victim.txt"] = "0" * 40
    state.jobs["persona:ana"] = (state.jobs["persona:ana"][0], ["../../outside/victim.txt"])
    state.save()
    (site / "content/personas/ana.md").write_text("---\nname: Ana María\n---\n")
    assert run("build", str(site)).exit_code == 0
    assert victim.read_text() == "precious"
    assert "Ana María" in (site / "output/personas/ana/index.html").read_text()


def test_state_in_the_project_folder_is_ignored(make_site, tmp_path: Path) -> None:
    site = make_site()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    cache = site / ".cjmsite-cache"
    cache.mkdir()
    (cache / "outputs.json").write_text(json.dumps(
        {"jobs": {}, "hashes": {"../../victim.txt": "x", str(victim): "x"}}))
    assert run("build", str(site)).exit_code == 0
    assert run("build", str(site)).exit_code == 0
    assert victim.read_text() == "precious"


def test_damaged_cache_bytes_are_ignored(tmp_path: Path) -> None:
    """Sixty single-byte flips across the cache files: every build succeeds and equals a
    clean build (today's pickles changed the site in 24 of 60 and crashed in others)."""
    site = copy_example(tmp_path / "site")
    assert build(site).output is not None
    expected = _clean(site, tmp_path)
    files = sorted(p for p in cache_folder(site).rglob("*") if p.is_file()
                   and p.suffix in (".json", ".jinja"))
    assert len(files) > 10
    originals = {p: p.read_bytes() for p in files}
    rng = random.Random(7)
    for flip in range(60):
        path = rng.choice(files)
        data = bytearray(originals[path])
        where = rng.randrange(len(data))
        data[where] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(data))
        # Rebuild from scratch pages (the state is kept) so the damaged entries are read.
        shutil.rmtree(site / "output")
        result = build(site)
        assert result.output is not None, (flip, path.name, result.report.items)
        assert snapshot(site / "output") == expected, (flip, path.name, where)
        path.write_bytes(originals[path])


def test_truncated_and_foreign_cache_files_are_ignored(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    assert build(site).output is not None
    expected = _clean(site, tmp_path)
    for path in cache_folder(site).rglob("*.json"):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    write_file(cache_folder(site) / "fragments-x" / "00.json", {"a": 1})
    for path in cache_folder(site).rglob("*.jinja"):
        path.write_bytes(b"\x00" * 80)
    edited = site / "content/touchpoints/caja.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nMás texto.\n", encoding="utf-8")
    expected = _clean(site, tmp_path)
    assert build(site).output is not None
    assert snapshot(site / "output") == expected


def test_cache_lives_outside_the_project(tmp_path: Path) -> None:
    site = copy_example(tmp_path / "site")
    assert build(site).output is not None
    assert sorted(p.name for p in site.iterdir()) == ["cjmsite.toml", "content", "output"]
    folder = cache_folder(site)
    assert folder is not None and not folder.is_relative_to(site)
    assert any(folder.glob("parsed-*/*.json"))


def test_nan_and_infinity_come_back_from_the_cache_as_parsed(tmp_path: Path) -> None:
    """YAML's .nan and .inf are not JSON: the cache tags them, so a build from the cache
    reports what a clean build reports (read back as null, the field would be missing
    and the error gone)."""
    site = copy_example(tmp_path / "site")
    index = site / "content/journeys/recepcion-y-facturacion/index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("---\n", "---\nreview_every: .nan\n", 1), encoding="utf-8")
    first = build(site)
    messages = sorted(str(item) for item in first.report.items)
    assert first.output is None
    assert any("'review_every' must be a finite number" in m for m in messages)
    again = build(site)  # every file from the parse cache now
    assert again.output is None
    assert sorted(str(item) for item in again.report.items) == messages
