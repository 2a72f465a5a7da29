"""Reading a project's git repository: which commit a revision names, and a revision's
content written into a folder, so it is loaded and validated exactly like the working
tree (the same walk, limits and messages).

The `git` command does the reading (plumbing only: rev-parse, ls-tree, cat-file), with the
repository's own configuration kept from running anything: a project folder is not
trusted, and a `.git/config` that came with it could name an fsmonitor or hooks."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cjmsite.output import safe_rel
from cjmsite.safefs import MAX_CONTENT_BYTES

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


def git(root: Path, *args: str, binary: bool = False, stdin: bytes | None = None
        ) -> str | bytes:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed")
    try:
        proc = subprocess.run([exe, *_SAFE, *args], cwd=root, capture_output=True,
                              timeout=TIMEOUT, env=_env(), check=False, input=stdin)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} failed: {exc}") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:][0]
                       if proc.stderr.strip() else f"git {args[0]} failed")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace")


def toplevel(root: Path) -> Path:
    """The repository's top folder, or GitError when `root` is not in one."""
    return Path(str(git(root, "rev-parse", "--show-toplevel")).strip())


@dataclass(frozen=True)
class Place:
    """Where a project sits in its repository: found once per build and shared by the
    last-updated stamps, the history pages and `cjmsite diff`."""

    top: Path  # the repository's top folder, resolved
    prefix: str  # the project's folder inside it: "" at the top, else "docs/cx/"

    def folder(self, path: Path) -> str:
        """The repository path of a folder of the project ("." for the top)."""
        return path.resolve().relative_to(self.top).as_posix()

    def rel(self, name: str) -> str | None:
        """A repository path as a project-relative one (None when outside the project)."""
        return name[len(self.prefix):] if name.startswith(self.prefix) else None


def locate(root: Path) -> Place:
    """GitError when `root` is in no repository (ValueError when it resolves outside)."""
    top = toplevel(root).resolve()
    base = root.resolve().relative_to(top).as_posix()
    return Place(top, "" if base == "." else base + "/")


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
    place = locate(root)
    top, prefix = place.top, place.prefix
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
    blobs = [(oid, rel) for oid, name in ls_tree(top, commit, prefix + content)
             if (rel := place.rel(name)) is not None and safe_rel(rel)]
    for (oid, rel), data in zip(blobs, read_blobs(top, [oid for oid, _ in blobs]),
                                strict=True):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, int):
            # Too big to read: a sparse file of that size, so loading says so as it would
            # of the working tree, and nothing that size is ever held or written.
            path.touch()
            os.truncate(path, data)
        else:
            path.write_bytes(data)
        # The object id as the modification time: two revisions' copies of one file look
        # the same to a parse cache shared between them (see commands/diff.py), and
        # different contents never do.
        stamp = int(oid[:15], 16)
        os.utime(path, ns=(stamp, stamp))


def ls_tree(top: Path, rev: str, folder: str) -> list[tuple[str, str]]:
    """(object id, repository path) of every regular file under `folder` at `rev`: symlinks
    (120000) and submodules (160000) are left out."""
    out = []
    for entry in str(git(top, "ls-tree", "-r", "-z", "--full-tree", rev, "--",
                         folder or ".")).split("\x00"):
        meta, _, name = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[0] in ("100644", "100755"):
            out.append((parts[2], name))
    return out


def read_blobs(top: Path, oids: list[str], limit: int = MAX_CONTENT_BYTES
               ) -> list[bytes | int]:
    """Many objects in two `git cat-file` processes (one per file would cost more than
    reading them): each file's bytes, or its size when over `limit` (a repository's
    history may hold a file no build would read; it is never loaded)."""
    if not oids:
        return []
    sizes = {}
    for line in str(git(top, "cat-file", "--batch-check",
                        stdin=("\n".join(oids) + "\n").encode())).splitlines():
        oid, kind, size = (line.split() + ["", "", ""])[:3]
        if kind != "blob" or not size.isdigit():
            raise GitError("git cat-file returned something other than a file")
        sizes[oid] = int(size)
    small = list(dict.fromkeys(oid for oid in oids if sizes[oid] <= limit))
    data = git(top, "cat-file", "--batch", binary=True,
               stdin=("\n".join(small) + "\n").encode()) if small else b""
    found, at = {}, 0
    for oid in small:
        end = data.index(b"\n", at)  # type: ignore[union-attr]
        header = data[at:end].split()  # type: ignore[index]
        if len(header) != 3 or header[1] != b"blob":
            raise GitError("git cat-file returned something other than a file")
        size = int(header[2])
        found[oid] = bytes(data[end + 1:end + 1 + size])  # type: ignore[index]
        at = end + 1 + size + 1
    return [found.get(oid, sizes[oid]) for oid in oids]
