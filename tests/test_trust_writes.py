"""Every write refuses symlinks and paths outside the chosen folder: a repository can
commit a link where cjmsite will write (schemas, imported content, diff reports), and the
file it points at, outside the project, stays as it was. One helper does all writing
(cjmsite.output.write_file)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import commit, git, run

from cjmsite.output import UnsafeWrite, write_file

SECRET = "do not touch\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the project, with a file an attacker wants overwritten."""
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / ".bashrc").write_text(SECRET)
    return folder


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    assert run("init", "--template", "blank", "--language", "en", "-q",
               str(root)).exit_code == 0
    return root


def _refused(result, *words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "error: refusing to write" in result.output, result.output
    for word in words:
        assert word in result.output, result.output
    assert "Traceback" not in result.output


# -- cjmsite schema ------------------------------------------------------------------------

def test_schema_never_writes_through_a_committed_link(tmp_path, outside, monkeypatch) -> None:
    """The attack as reported: schemas/persona.schema.json links out of the project."""
    root = _project(tmp_path)
    (root / "schemas").mkdir()
    (root / "schemas/persona.schema.json").symlink_to(outside / ".bashrc")
    monkeypatch.chdir(root)
    _refused(run("schema", "--output", "schemas"),
             "schemas/persona.schema.json: it is a symlink")
    assert (outside / ".bashrc").read_text() == SECRET
    assert not (root / "schemas/stage.schema.json").exists()  # all refused before any


@pytest.mark.parametrize("link", ["folder", "dangling"])
def test_schema_refuses_a_linked_folder_or_a_dangling_link(tmp_path, outside, monkeypatch,
                                                           link: str) -> None:
    root = _project(tmp_path)
    if link == "folder":
        (root / "schemas").symlink_to(outside)
    else:
        (root / "schemas").mkdir()
        (root / "schemas/stage.schema.json").symlink_to(outside / "new-file")
    monkeypatch.chdir(root)
    _refused(run("schema"), "is a symlink")
    assert sorted(p.name for p in outside.iterdir()) == [".bashrc"]


def test_schema_still_writes_and_overwrites_its_own_files(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("schema").exit_code == 0
    (tmp_path / "schemas/persona.schema.json").write_text("old")
    assert run("schema", "--output", str(tmp_path / "schemas")).exit_code == 0
    assert (tmp_path / "schemas/persona.schema.json").read_text().startswith("{")


# -- cjmsite import mermaid -----------------------------------------------------------------

DIAGRAM = "journey\n  title Pay\n  section One\n    Call: 3: {actor}\n"


def test_import_refuses_a_linked_personas_folder(tmp_path, outside) -> None:
    root = _project(tmp_path)
    shutil.rmtree(root / "content/personas", ignore_errors=True)
    (root / "content/personas").symlink_to(outside, target_is_directory=True)
    (tmp_path / "pay.mmd").write_text(DIAGRAM.format(actor="Eve"))
    _refused(run("import", "mermaid", str(tmp_path / "pay.mmd"), "-C", str(root)),
             "pay.mmd:1: error:", "content/personas is a symlink")
    assert sorted(p.name for p in outside.iterdir()) == [".bashrc"]
    assert not (root / "content/journeys/pay").exists()  # nothing written at all


def test_import_refuses_a_dangling_link_at_a_new_personas_name(tmp_path, outside) -> None:
    """The attack as reported: a dangling link where the actor's persona file will go,
    pointing at a shell start-up file, with an actor named like a command."""
    root = _project(tmp_path)
    (root / "content/personas").mkdir(exist_ok=True)
    (root / "content/personas/touch-pwned.md").symlink_to(outside / ".bash_profile")
    (tmp_path / "pay.mmd").write_text(DIAGRAM.format(actor="$(touch pwned)"))
    _refused(run("import", "mermaid", str(tmp_path / "pay.mmd"), "-C", str(root)),
             "content/personas/touch-pwned.md: it is a symlink")
    assert not (outside / ".bash_profile").exists()
    assert not (root / "content/journeys/pay").exists()


# -- cjmsite diff ---------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("fmt, name", [("html", None), ("json", "report.json"),
                                       ("text", "report.txt")])
def test_diff_never_writes_through_a_committed_link(tmp_path, outside, monkeypatch,
                                                    fmt: str, name: str | None) -> None:
    """The attack as reported (html, to the default cjmsite-diff.html), and --output."""
    root = _project(tmp_path)
    git(root, "init", "-q", "-b", "main")
    (root / (name or "cjmsite-diff.html")).symlink_to(outside / ".bashrc")
    commit(root, "first")
    monkeypatch.chdir(root)
    args = ["diff", "--format", fmt] + (["--output", name] if name else [])
    _refused(run(*args), "is a symlink")
    assert (outside / ".bashrc").read_text() == SECRET


# -- the helper itself ----------------------------------------------------------------------

def test_write_file_refuses_paths_out_and_links_on_the_way(tmp_path, outside) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out/a").symlink_to(outside)
    for rel in ("../x", "/etc/x", "a/.bashrc", "a/new", "b/../../x", ""):
        with pytest.raises(UnsafeWrite):
            write_file(tmp_path / "out", rel, "x")
    assert sorted(p.name for p in outside.iterdir()) == [".bashrc"]
    write_file(tmp_path / "out", "b/c/d.txt", "ok")
    assert (tmp_path / "out/b/c/d.txt").read_text() == "ok"
    assert not [p for p in os.listdir(tmp_path / "out/b/c") if p.startswith(".")]
