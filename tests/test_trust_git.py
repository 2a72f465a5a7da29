"""Reading a repository never starts a program the repository can name (issue 22, items
1, 2 and two of 10). Each attack is built as a real repository with `git`, as a hostile
contributor would push it; the helper program it names must never run, and the build or
the diff still gives a sane result or a clean `error:` line."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from conftest import MINIMAL, commit, git, parse_html, run, write_files

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

HELPER = '#!/bin/sh\ntouch "$(dirname "$0")/RAN"\ncat >/dev/null\nexit 1\n'
SIGNATURE = ("-----BEGIN PGP SIGNATURE-----\n\n iQEzBAABCAAdFiEEx\n =abcd\n"
             " -----END PGP SIGNATURE-----")
SSH_SIGNATURE = ("-----BEGIN SSH SIGNATURE-----\n U1NIU0lHAAAAAQ==\n"
                 " -----END SSH SIGNATURE-----")


def _helper(folder: Path) -> Path:
    """An executable that leaves `RAN` beside itself when anything starts it."""
    path = folder / "helper.sh"
    path.write_text(HELPER)
    path.chmod(0o755)
    return folder / "RAN"


def _signed_head(repo: Path, signature: str = SIGNATURE, git_dir: Path | None = None) -> str:
    """Replace HEAD by a copy of itself that carries a `gpgsig` header."""
    where = ["--git-dir", str(git_dir)] if git_dir else []
    raw = git(repo, *where, "cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    text = f"{head}\ngpgsig {signature}\n\n{message}"
    oid = subprocess.run(["git", *where, "hash-object", "-t", "commit", "-w", "--stdin"],
                         cwd=repo, input=text, capture_output=True, text=True,
                         check=True).stdout.strip()
    git(repo, *where, "update-ref", "HEAD", oid)
    return oid


def _repo(root: Path) -> Path:
    write_files(root, MINIMAL)
    git(root, "init", "-q", "-b", "main")
    commit(root, "first")
    return root


def _clone(source: Path, target: Path) -> Path:
    subprocess.run(["git", "clone", "-q", f"file://{source}", str(target)], check=True,
                   capture_output=True)
    return target


def _stamp(site: Path) -> list[str]:
    doc = parse_html(site / "output/journeys/buy/index.html")
    return doc.xpath("//p[contains(@class, 'updated')]//code/text()")


def _embedded(tmp_path: Path, config: str, signature: str = SIGNATURE,
              depth: str = "docs/cx") -> tuple[Path, Path]:
    """Attack 1: a repository R whose folder `depth` is itself a repository (HEAD, config,
    objects/, refs/ committed as plain files) with `config` and a signed HEAD; returns
    (the project folder in a fresh clone of R, the marker the helper would create)."""
    inner = _repo(tmp_path / "inner")
    _signed_head(inner, signature)
    evil = tmp_path / "R"
    project = evil / "docs" / "cx"
    write_files(project, MINIMAL)
    embedded = evil / depth
    for name in ("HEAD", "objects", "refs"):
        shutil.copytree(inner / ".git" / name, embedded / name) if name != "HEAD" \
            else shutil.copy(inner / ".git" / name, embedded / name)
    (embedded / "config").write_text(config)
    _helper(project)
    git(evil, "init", "-q", "-b", "main")
    commit(evil, "docs")
    clone = _clone(evil, tmp_path / "v")
    return clone / "docs" / "cx", clone / "docs" / "cx" / "RAN"


SHOW_SIGNATURE = """\
[core]
\trepositoryformatversion = 0
\tbare = false
\tworktree = .
[log]
\tshowSignature = true
[gpg]
\tprogram = ./helper.sh
"""


def test_embedded_repository_with_signature_display(tmp_path: Path) -> None:
    """As written: `git clone R v && cjmsite build v/docs/cx` ran helper.sh."""
    project, marker = _embedded(tmp_path, SHOW_SIGNATURE)
    result = run("build", str(project))
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    # The real repository is the one read: the clone's commit, not the embedded one's.
    real = git(project.parent.parent, "rev-parse", "--short", "HEAD").strip()
    assert _stamp(project) == [real]
    result = run("diff", "-C", str(project), "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    assert not marker.exists()


def test_embedded_repository_under_serve_and_mkdocs(tmp_path: Path) -> None:
    """As written, "also under `serve` and `mkdocs build`": the same clone, previewed,
    and built as the MkDocs plugin's `project:`."""
    project, marker = _embedded(tmp_path, SHOW_SIGNATURE)
    proc = subprocess.Popen([sys.executable, "-m", "cjmsite", "serve", str(project),
                             "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        line = ""
        while "serving" not in line and (line := proc.stdout.readline()):  # type: ignore[union-attr]
            pass
        port = int(re.search(r":(\d+)/", line).group(1))  # type: ignore[union-attr]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/journeys/buy/") as page:
            assert page.status == 200
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert not marker.exists()
    docs = project.parent
    (docs / "mkdocs.yml").write_text("site_name: Handbook\ndocs_dir: pages\nplugins:\n"
                                     "  - cjmsite:\n      project: cx\n")
    (docs / "pages").mkdir()
    (docs / "pages/index.md").write_text("# Handbook\n\n```cjm-map\njourney: buy\n```\n")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=docs,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


def test_embedded_repository_one_level_up_with_ssh_signatures(tmp_path: Path) -> None:
    """Variant: the repository-looking folder is the project's parent (git looks there
    too), and the signature is an SSH one, checked by `gpg.ssh.program`."""
    config = SHOW_SIGNATURE.replace("worktree = .", "worktree = cx").replace(
        "[gpg]\n\tprogram = ./helper.sh",
        "[gpg \"ssh\"]\n\tprogram = ./helper.sh\n\tallowedSignersFile = helper.sh")
    project, marker = _embedded(tmp_path, config, SSH_SIGNATURE, depth="docs")
    assert run("build", str(project)).exit_code == 0
    assert run("diff", "-C", str(project), "HEAD").exit_code == 0
    assert not marker.exists()


def _promisor(marker: Path) -> str:
    return f"""\
[core]
\trepositoryformatversion = 1
\tbare = false
\tworktree = .
[extensions]
\tpartialClone = origin
[remote "origin"]
\turl = "ext::sh -c touch% {marker}"
\tpromisor = true
\tfetch = +refs/heads/*:refs/remotes/origin/*
[protocol "ext"]
\tallow = always
"""


def _delete_object(objects: Path, repo: Path, spec: str, git_dir: Path | None = None
                   ) -> None:
    where = ["--git-dir", str(git_dir)] if git_dir else []
    oid = git(repo, *where, "rev-parse", spec).strip()
    (objects / oid[:2] / oid[2:]).unlink()


def test_embedded_partial_clone_fetching_from_a_command(tmp_path: Path) -> None:
    """As written: `cjmsite diff HEAD` ran the promisor remote's `ext::` command; the
    repository's protocol.ext.allow overrode cjmsite's `-c protocol.allow=never`."""
    marker = tmp_path / "v" / "docs" / "cx" / "RAN"
    project, _ = _embedded(tmp_path, _promisor(marker))
    _delete_object(project / "objects", tmp_path / "inner",
                   "HEAD:content/journeys/buy/01-call.md")
    result = run("diff", "-C", str(project), "HEAD", "--format", "json")
    assert not marker.exists()
    assert result.exit_code == 0, result.output  # the real repository: nothing changed
    assert json.loads(result.output)["journeys"] == []
    assert run("build", str(project)).exit_code == 0
    assert not marker.exists()


def test_embedded_promisor_remote_reached_by_a_build(tmp_path: Path) -> None:
    """Variant: format version 0 with only `remote.origin.promisor = true`, and a missing
    tree, which the last-updated pass of `build` walks."""
    marker = tmp_path / "v" / "docs" / "cx" / "RAN"
    config = _promisor(marker).replace("repositoryformatversion = 1",
                                       "repositoryformatversion = 0").replace(
        "[extensions]\n\tpartialClone = origin\n", "")
    project, _ = _embedded(tmp_path, config)
    _delete_object(project / "objects", tmp_path / "inner", "HEAD:content/journeys")
    result = run("build", str(project))
    assert not marker.exists()
    assert result.exit_code == 0 and _stamp(project), result.output
    assert not marker.exists()


def _real_config(repo: Path, text: str) -> None:
    with (repo / ".git" / "config").open("a") as config:
        config.write(text)


def test_real_config_signature_display(tmp_path: Path) -> None:
    """Item 2, as written: `.git/config` with log.showSignature and gpg.program."""
    repo = _repo(tmp_path / "repo")
    marker = _helper(tmp_path)
    _signed_head(repo)
    _real_config(repo, f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {tmp_path}/helper.sh\n")
    assert run("build", str(repo)).exit_code == 0
    assert _stamp(repo) == [git(repo, "rev-parse", "--short", "HEAD").strip()]
    assert run("diff", "-C", str(repo), "HEAD").exit_code == 0
    assert not marker.exists()


def test_real_config_included_from_the_work_tree(tmp_path: Path) -> None:
    """Variant: `.git/config` includes a committed file that turns signatures on, and
    names a program for each signature format."""
    repo = _repo(tmp_path / "repo")
    marker = _helper(repo)
    (repo / "settings.cfg").write_text(
        "[log]\n\tshowSignature = true\n[gpg]\n\tprogram = ./helper.sh\n"
        "[gpg \"openpgp\"]\n\tprogram = ./helper.sh\n[gpg \"x509\"]\n\tprogram = ./helper.sh\n")
    (repo / "content/personas/ana.md").write_text("---\nname: Ana María\n---\n")
    commit(repo, "settings")
    _signed_head(repo)
    _real_config(repo, "[include]\n\tpath = ../settings.cfg\n")
    assert run("build", str(repo)).exit_code == 0
    assert run("diff", "-C", str(repo), "HEAD~1").exit_code == 0
    assert not marker.exists()


def _partial(repo: Path, marker: Path, extension: bool = True) -> str:
    """The real `.git/config` made a partial clone fetching from a command, with the first
    commit's stage file missing; returns that first commit."""
    first = git(repo, "rev-parse", "HEAD").strip()
    path = repo / "content/journeys/buy/01-call.md"
    path.write_text(path.read_text().replace("emotion: 1", "emotion: 2"))
    commit(repo, "better call")
    _delete_object(repo / ".git" / "objects", repo, f"{first}:content/journeys/buy/01-call.md")
    text = _promisor(marker).replace("\tworktree = .\n", "")
    if not extension:
        text = text.replace("repositoryformatversion = 1", "repositoryformatversion = 0"
                            ).replace("[extensions]\n\tpartialClone = origin\n", "")
    (repo / ".git" / "config").write_text(text)
    return first


def test_real_config_partial_clone(tmp_path: Path) -> None:
    """Item 2, as written: a promisor remote in `.git/config`, one object deleted."""
    repo = _repo(tmp_path / "repo")
    marker = tmp_path / "RAN"
    _partial(repo, marker)
    result = run("diff", "-C", str(repo), "HEAD~1")
    assert not marker.exists()
    assert result.exit_code == 1 and "error:" in result.output
    assert "partial clone" in result.output and "Traceback" not in result.output
    assert run("build", str(repo)).exit_code == 0  # no history: a build never fails on git
    assert not marker.exists()
    # The upstream settings reach git (they name refs): a remote named as a command
    # gives nothing to run either.
    with (repo / ".git" / "config").open("a") as config:
        config.write(f'[branch "main"]\n\tremote = "ext::sh -c touch% {marker}"\n'
                     "\tmerge = refs/heads/main\n")
    result = run("diff", "-C", str(repo), "@{upstream}")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert not marker.exists()


def test_real_config_promisor_remote_without_the_extension(tmp_path: Path) -> None:
    """Variant: only `remote.origin.promisor = true` (format version 0), reached through
    the history pages of a build."""
    repo = _repo(tmp_path / "repo")
    marker = tmp_path / "RAN"
    _partial(repo, marker, extension=False)
    assert run("build", str(repo)).exit_code == 0
    assert run("diff", "-C", str(repo), "HEAD~1").exit_code == 1
    assert not marker.exists()


def test_git_file_pointing_at_another_repository(tmp_path: Path) -> None:
    """Item 10: a `.git` file naming another repository made `diff` read that one."""
    other = _repo(tmp_path / "other")
    (other / "content/journeys/buy/01-call.md").write_text(
        "---\ntitle: SECRET\ntouchpoints: [phone]\nemotion: 1\n---\n")
    commit(other, "secret")
    project = write_files(tmp_path / "site", MINIMAL)
    (project / ".git").write_text(f"gitdir: {other}/.git\n")
    result = run("diff", "-C", str(project), "HEAD")
    assert result.exit_code == 1 and ".git: error:" in result.output, result.output
    assert "SECRET" not in result.output and "Traceback" not in result.output
    assert run("build", str(project)).exit_code == 0
    assert "SECRET" not in (project / "output/journeys/buy/index.html").read_text()
    assert _stamp(project) == []


def test_git_file_pointing_at_another_repositorys_worktree(tmp_path: Path) -> None:
    """Variant: the `.git` file names a real linked worktree's folder of another
    repository, which points back at that worktree, not at this project."""
    other = _repo(tmp_path / "other")
    git(other, "worktree", "add", "-q", str(tmp_path / "wt"))
    project = write_files(tmp_path / "site", MINIMAL)
    (project / ".git").write_text(f"gitdir: {other}/.git/worktrees/wt\n")
    result = run("diff", "-C", str(project), "HEAD")
    assert result.exit_code == 1 and ".git: error:" in result.output, result.output
    assert run("build", str(project)).exit_code == 0 and _stamp(project) == []


def test_git_symlink_to_another_repository(tmp_path: Path) -> None:
    """Variant: `.git` a symbolic link to another repository's folder."""
    other = _repo(tmp_path / "other")
    project = write_files(tmp_path / "site", MINIMAL)
    (project / ".git").symlink_to(other / ".git")
    result = run("diff", "-C", str(project), "HEAD")
    assert result.exit_code == 1 and ".git: error: is a symbolic link" in result.output
    assert run("build", str(project)).exit_code == 0 and _stamp(project) == []
    # A `.git` file naming a link to itself: a clean error too, never a traceback.
    (project / ".git").unlink()
    (project / ".git").write_text("gitdir: ./loop\n")
    (project / "loop").symlink_to("loop")
    result = run("diff", "-C", str(project), "HEAD")
    assert result.exit_code == 1 and ".git: error:" in result.output, result.output
    assert run("build", str(project)).exit_code == 0 and _stamp(project) == []


def _second(repo: Path) -> None:
    path = repo / "content/journeys/buy/01-call.md"
    path.write_text(path.read_text().replace("emotion: 1", "emotion: 2"))
    commit(repo, "better call")


def test_sha256_repositories_and_partial_clones_read_without_fetching(tmp_path: Path
                                                                      ) -> None:
    """Not attacks: a SHA-256 repository reads as any other; a real partial clone reads
    what it holds, and a revision whose files it lacks is an error, never a fetch."""
    repo = write_files(tmp_path / "sha", MINIMAL)
    git(repo, "init", "-q", "--object-format=sha256", "-b", "main")
    commit(repo, "first")
    _second(repo)
    assert run("build", str(repo)).exit_code == 0
    assert _stamp(repo) == [git(repo, "rev-parse", "--short", "HEAD").strip()]
    assert "better call" in (repo / "output/journeys/buy/history/index.html").read_text()
    result = run("diff", "-C", str(repo), "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)["journeys"], result.output
    base = _repo(tmp_path / "base")
    _second(base)
    git(base, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    subprocess.run(["git", "clone", "-q", "--filter=blob:none", f"file://{base}",
                    str(clone)], check=True, capture_output=True)
    assert run("diff", "-C", str(clone), "HEAD").exit_code == 0
    result = run("diff", "-C", str(clone), "HEAD~1")
    assert result.exit_code == 1 and "partial clone" in result.output
    assert run("build", str(clone)).exit_code == 0 and _stamp(clone)
    assert "error: is missing" not in result.output


def test_worktrees_and_submodules_still_read(tmp_path: Path) -> None:
    """Not an attack: `.git` files that git wrote (a linked worktree, a submodule) point
    back at their folder and are read as before."""
    main = _repo(tmp_path / "main")
    worktree = tmp_path / "wt"
    git(main, "worktree", "add", "-q", str(worktree))
    assert run("build", str(worktree)).exit_code == 0
    assert _stamp(worktree) == [git(main, "rev-parse", "--short", "HEAD").strip()]
    assert run("diff", "-C", str(worktree), "HEAD").exit_code == 0
    parent = tmp_path / "parent"
    parent.mkdir()
    git(parent, "init", "-q", "-b", "main")
    git(parent, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(main), "cx")
    assert run("build", str(parent / "cx")).exit_code == 0
    assert _stamp(parent / "cx") == [git(main, "rev-parse", "--short", "HEAD").strip()]
    assert run("diff", "-C", str(parent / "cx"), "HEAD").exit_code == 0
    # The upstream branch is the one setting taken from the config: names of refs.
    clone = _clone(main, tmp_path / "clone")
    _second(clone)
    result = run("diff", "-C", str(clone), "@{upstream}", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)["journeys"], result.output


SURVEY_MD = """\
---
title: Satisfaction
metric: csat
journey: buy
stage: call
columns:
  date: date
  score: csat
  comment: comment
---
"""


def test_diff_of_a_revision_with_a_survey_over_2_mib(tmp_path: Path) -> None:
    """Item 10: `diff` wrote such a survey as NUL bytes and reported header errors."""
    repo = write_files(tmp_path / "repo", MINIMAL)
    rows = "".join(f"2026-01-{1 + i % 28:02d},{1 + i % 5},{'x' * 40}\n"
                   for i in range(60_000))
    (repo / "content/surveys").mkdir(parents=True)
    (repo / "content/surveys/big.csv").write_text("date,csat,comment\n" + rows)
    (repo / "content/surveys/big.md").write_text(SURVEY_MD)
    assert (repo / "content/surveys/big.csv").stat().st_size > 2 * 1024 * 1024
    assert run("check", str(repo)).exit_code == 0, run("check", str(repo)).output
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "survey")
    result = run("diff", "-C", str(repo), "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["journeys"] == []
    # Variant: both sides from git, the export changed between them.
    (repo / "content/surveys/big.csv").write_text("date,csat,comment\n" + rows * 2)
    commit(repo, "more answers")
    result = run("diff", "-C", str(repo), "HEAD~1", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    # A stage file over the content limit in a revision is still reported by its size,
    # as in the working tree, not read as something else.
    (repo / "content/journeys/buy/02-big.md").write_text(
        "---\ntitle: Big\n---\n" + "word " * 500_000)
    (repo / "cjmsite.toml").write_text("# padding\n" * 30_000)
    commit(repo, "big stage and config")
    result = run("diff", "-C", str(repo), "HEAD~1", "HEAD")
    assert result.exit_code == 1 and "\x00" not in result.output
    assert "HEAD: content/journeys/buy/02-big.md:1: error:" in result.output
    assert "HEAD: cjmsite.toml:1: error:" in result.output and "over the limit" in result.output
