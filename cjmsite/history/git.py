"""Reading a project's git repository: which commit a revision names, and a revision's
content unpacked into a folder, so it is loaded and validated exactly like the working
tree (the same walk, limits and messages).

The `git` command does the reading (plumbing only: rev-parse, ls-tree, archive), with the
repository's own configuration kept from running anything: a project folder is not
trusted, and a `.git/config` that came with it could name an fsmonitor or hooks."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tomllib
from pathlib import Path

TIMEOUT = 120.0
_SAFE = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
         "-c", "core.untrackedCache=false", "-c", "protocol.allow=never", "--no-pager"]


class GitError(Exception):
    """Git is missing, the folder is not a repository, or a revision cannot be read."""


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_CONFIG_NOSYSTEM="1",
               LC_ALL="C")
    return env


def git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed")
    try:
        proc = subprocess.run([exe, *_SAFE, *args], cwd=root, capture_output=True,
                              timeout=TIMEOUT, env=_env(), check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} failed: {exc}") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:][0]
                       if proc.stderr.strip() else f"git {args[0]} failed")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace")


def toplevel(root: Path) -> Path:
    """The repository's top folder, or GitError when `root` is not in one."""
    return Path(str(git(root, "rev-parse", "--show-toplevel")).strip())


def commit_of(root: Path, rev: str) -> str:
    """The 40-hex commit a revision names; GitError with a useful message otherwise."""
    if rev.startswith("-"):
        raise GitError(f"revision '{rev}' does not exist")
    try:
        return str(git(root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                       f"{rev}^{{commit}}")).strip()
    except GitError:
        shallow = str(git(root, "rev-parse", "--is-shallow-repository")).strip() == "true"
        hint = (" (this is a shallow clone: fetch the history with 'git fetch --unshallow',"
                " or 'fetch-depth: 0' in actions/checkout)") if shallow else ""
        raise GitError(f"revision '{rev}' does not exist{hint}") from None


def unpack(root: Path, commit: str, target: Path) -> None:
    """The revision's cjmsite.toml and content folder (as that revision's config names
    it; the folder may have moved), unpacked into `target`, which becomes a project."""
    top = toplevel(root)
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    target.mkdir(parents=True, exist_ok=True)
    content = "content"
    try:
        config = git(top, "show", f"{commit}:{prefix}cjmsite.toml", binary=True)
        (target / "cjmsite.toml").write_bytes(config)  # type: ignore[arg-type]
        site = tomllib.loads(config.decode("utf-8")).get("site", {})  # type: ignore[union-attr]
        content = str(site.get("content_dir", "content")) if isinstance(site, dict) else content
    except (GitError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError,
            RecursionError):
        pass  # no config at that revision (or a broken one: loading reports it)
    listed = str(git(top, "ls-tree", "--name-only", commit, "--", f"{prefix}{content}"))
    if not listed.strip():
        return  # no content folder at that revision: loading says so
    data = git(top, "archive", "--format=tar", commit, "--", f"{prefix}{content}", binary=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as archive:  # type: ignore[arg-type]
        members = []
        for member in archive.getmembers():
            if not member.name.startswith(prefix):
                continue
            member.name = member.name[len(prefix):]
            members.append(member)
        # The "data" filter refuses absolute paths, '..', links out and devices.
        archive.extractall(target, members=members, filter="data")
