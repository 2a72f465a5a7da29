"""Reading a project's git repository: which commit a revision names, trees, blobs (a
revision unpacked into a folder is history/revision.py's job). The one module that starts
programs. git never sees the repository's configuration, which can name programs for it
to run (signature checkers, promisor remotes, fsmonitors): cjmsite finds the `.git`
itself and runs git's plumbing on a stand-in repository of its own that borrows only the
refs and objects. Why and how: docs/security.md, "Git"."""

from __future__ import annotations

import atexit
import io
import os
import re
import shutil
import stat
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cjmsite import safefs
from cjmsite.safefs import MAX_ASSET_BYTES, MAX_CONTENT_BYTES
from cjmsite.surveys.read import MAX_SURVEY_BYTES

TIMEOUT = 120.0
# Belt and braces: git never reads the repository's config, and none of these is read
# from cjmsite's own; they stay off whatever a future git reads from where.
_SAFE = ["-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null",
         "-c", "log.showSignature=false", "-c", "protocol.allow=never",
         "-c", "safe.bareRepository=explicit", "--no-pager"]
_UPSTREAM = re.compile(r"branch\..+\.(?:remote|merge)|remote\..+\.fetch", re.S)
_KNOWN = {"objectformat", "partialclone", "worktreeconfig", "preciousobjects", "noop"}
LARGEST = max(MAX_CONTENT_BYTES, MAX_ASSET_BYTES, MAX_SURVEY_BYTES)  # any reader's limit


class GitError(Exception):
    """Git is missing, the folder is not a repository, or a revision cannot be read;
    `path`: the file at fault (a `.git` the project cannot use), when there is one."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Place:
    """Where a project sits in its repository: found once per build and shared by the
    last-updated stamps, the history pages and `cjmsite diff`."""

    top: Path  # the work tree's top folder, resolved
    prefix: str  # the project's folder inside it: "" at the top, else "docs/cx/"
    gitdir: Path  # the repository folder (a linked worktree's own: its HEAD)
    common: Path  # where its objects and refs are (the main .git of a worktree)
    sha256: bool
    partial: bool  # a partial clone: some objects are elsewhere, never fetched
    upstream: tuple[tuple[str, str], ...]  # the only settings git is given: branch.*.merge…

    def folder(self, path: Path) -> str:
        """The repository path of a folder of the project ("." for the top)."""
        return path.resolve().relative_to(self.top).as_posix()

    def rel(self, name: str) -> str | None:
        """A repository path as a project-relative one (None when outside the project)."""
        return name[len(self.prefix):] if name.startswith(self.prefix) else None


def _env(objects: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_CONFIG_NOSYSTEM="1",
               GIT_CONFIG_GLOBAL=os.devnull, GIT_ALLOW_PROTOCOL="", GIT_NO_LAZY_FETCH="1",
               GIT_NO_REPLACE_OBJECTS="1", GIT_PAGER="cat", LC_ALL="C")
    if objects is not None:
        env["GIT_OBJECT_DIRECTORY"] = str(objects)
    return env


def _small(path: Path) -> str:
    """A small regular file of a repository (HEAD, a `.git` file): never a FIFO."""
    try:
        return safefs.read(path, path.parent, 4096).decode("utf-8").strip()
    except (safefs.UnsafeFile, UnicodeDecodeError) as exc:
        raise GitError(f"{path} {exc}") from None


_STANDINS: dict[tuple[Path, Path, bool], Path] = {}
_LOCK = threading.Lock()


def _standin(place: Place | None) -> tuple[Path, dict[str, str]]:
    """A repository of cjmsite's own (its config, a copy of HEAD, links to the real refs;
    the real objects through GIT_OBJECT_DIRECTORY): the folder and the environment to
    run git in. Made once per repository in a temporary folder (in memory where there is
    one), removed at exit; HEAD is copied again whenever it changed. Empty for None."""
    key = (place.gitdir, place.common, place.sha256) if place else (Path(), Path(), False)
    head = _small(place.gitdir / "HEAD") + "\n" if place else "ref: refs/heads/main\n"
    with _LOCK:
        shadow = _STANDINS.get(key)
        try:
            if shadow is None or not (shadow / "config").is_file():
                shadow = _STANDINS[key] = _make_standin(place)
            if (shadow / "HEAD").read_text() != head:
                (shadow / "HEAD.new").write_text(head)
                os.replace(shadow / "HEAD.new", shadow / "HEAD")
        except OSError as exc:
            raise GitError(f"cannot prepare to read the repository: {exc}") from None
    env = _env(place.common / "objects" if place else None)
    env["GIT_DIR"] = str(shadow)
    for index, (name, value) in enumerate(place.upstream if place else ()):
        env[f"GIT_CONFIG_KEY_{index}"], env[f"GIT_CONFIG_VALUE_{index}"] = name, value
        env["GIT_CONFIG_COUNT"] = str(index + 1)
    return shadow, env


def _make_standin(place: Place | None) -> Path:
    shm = "/dev/shm"
    shadow = Path(tempfile.mkdtemp(prefix="cjmsite-git-", dir=shm if os.path.isdir(shm)
                                   and os.access(shm, os.W_OK) else None))
    atexit.register(shutil.rmtree, shadow, True)
    config = "[core]\n\trepositoryformatversion = {}\n\tbare = true\n"
    if place is not None and place.sha256:
        config = config.format(1) + "[extensions]\n\tobjectformat = sha256\n"
    (shadow / "config").write_text(config.format(0))
    (shadow / "HEAD").write_text("")
    (shadow / "logs").mkdir()
    if place is None:
        (shadow / "refs").mkdir()
        (shadow / "objects").mkdir()
        return shadow
    # Links even to what is not there yet: a dangling one reads as a missing file, and
    # the file appears through it when git makes it (`git pack-refs`, a shallow fetch).
    for name in ("refs", "packed-refs", "shallow"):
        (shadow / name).symlink_to(place.common / name)
    (shadow / "logs" / "HEAD").symlink_to(place.gitdir / "logs" / "HEAD")
    (shadow / "logs" / "refs").symlink_to(place.common / "logs" / "refs")
    return shadow


def _exe() -> str:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed")
    return exe


def git(place: Place | None, *args: str, binary: bool = False, stdin: bytes | None = None
        ) -> str | bytes:
    """Run git plumbing on the stand-in for `place`'s repository."""
    exe = _exe()
    shadow, env = _standin(place)
    try:
        proc = subprocess.run([exe, *_SAFE, *args], cwd=shadow, capture_output=True,
                              timeout=TIMEOUT, env=env, check=False, input=stdin)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} failed: {exc}") from None
    if proc.returncode != 0:
        lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(lines[-1] if lines else f"git {args[0]} failed")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace")


def _config(path: Path) -> list[tuple[str, str]]:
    """A repository's config file as git reads it (its own lines, no includes; section
    and key lower-case); read, never acted on."""
    if not path.is_file():
        return []
    out = git(None, "config", "--file", str(path), "--no-includes", "-z", "--list")
    return [(key, value) for item in str(out).split("\x00") if item
            for key, _, value in [item.partition("\n")]]


def _git_file(entry: Path, folder: Path, shown: str) -> Path:
    """The repository a `.git` file names, when it points back at `folder`: a linked
    worktree's (whose `gitdir` file names this `.git`) or a submodule's (whose
    core.worktree names this folder). Anything else is another repository's."""
    text = _small(entry)
    if not text.startswith("gitdir:"):
        raise GitError("is a .git file without a 'gitdir:' line", shown)
    target = (folder / text[len("gitdir:"):].strip()).resolve()
    if (target / "gitdir").is_file():
        back = Path(_small(target / "gitdir"))
        if (target / back).resolve() == entry.resolve():
            return target
    elif (worktree := dict(_config(target / "config")).get("core.worktree")) \
            and (target / worktree).resolve() == folder.resolve():
        return target
    raise GitError(f"names {target}, a repository that does not point back at this folder:"
                   " cjmsite reads only the repository a project is in", shown)


def locate(root: Path) -> Place:
    """The repository `root` is in, found as git would but trusting only a `.git` folder
    or a `.git` file git wrote (GitError otherwise, with `path` when a `.git` is refused;
    ValueError when `root` resolves outside)."""
    start = root.resolve()
    for folder in (start, *start.parents):
        entry = folder / ".git"
        shown = os.path.relpath(entry, start)
        try:
            mode = entry.lstat().st_mode
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise GitError(f"cannot be read: {exc.strerror}", shown) from None
        if stat.S_ISLNK(mode):
            raise GitError("is a symbolic link: cjmsite reads only a .git folder, or a .git"
                           " file that git wrote", shown)
        if not stat.S_ISREG(mode) and not (stat.S_ISDIR(mode) and (entry / "HEAD").is_file()):
            continue  # not a repository: git looks further up too
        try:
            return _found(start, folder, entry, shown)
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
            raise GitError(f"cannot be read: {exc}", shown) from None
    raise GitError("not a git repository (no .git folder here or above)")


def _found(start: Path, folder: Path, entry: Path, shown: str) -> Place:
    gitdir = _git_file(entry, folder, shown) if entry.is_file() else entry
    common = gitdir
    if (gitdir / "commondir").is_file():
        # Only a linked worktree's folder names a common one: the repository's .git it
        # sits in (.git/worktrees/<name>), never another repository.
        common = (gitdir / _small(gitdir / "commondir")).resolve()
        if gitdir.resolve().parent.parent != common:
            raise GitError(f"names {common} as its repository, which it is not in", shown)
    return _place(start, folder, gitdir, common, shown)


def _place(start: Path, top: Path, gitdir: Path, common: Path, shown: str) -> Place:
    pairs = _config(common / "config")
    config = dict(pairs)
    unknown = sorted(key for key in config if key.startswith("extensions.")
                     and key.split(".", 1)[1] not in _KNOWN)
    if unknown:
        raise GitError(f"the repository uses {unknown[0]}, which cjmsite cannot read", shown)
    fmt = config.get("extensions.objectformat", "sha1").lower()
    if fmt not in ("sha1", "sha256"):
        raise GitError(f"the repository's objects use '{fmt}'", shown)
    partial = "extensions.partialclone" in config or any(
        key.startswith("remote.") and key.endswith(".promisor")
        and value.lower() in ("true", "yes", "on", "1", "") for key, value in config.items())
    # What `@{upstream}` reads: names of refs, never of programs.
    upstream = tuple(pair for pair in pairs if _UPSTREAM.fullmatch(pair[0]))[:1000]
    base = start.relative_to(top).as_posix()
    return Place(top, "" if base == "." else base + "/", gitdir, common, fmt == "sha256",
                 partial, upstream)


def commit_of(place: Place, rev: str) -> str:
    """The commit id a revision names; GitError with a useful message otherwise."""
    if rev.startswith("-"):
        raise GitError(f"revision '{rev}' does not exist")
    try:
        return str(git(place, "rev-parse", "--verify", "--quiet", "--end-of-options",
                       f"{rev}^{{commit}}")).strip()
    except GitError:
        shallow = (place.common / "shallow").is_file()
        hint = (" (this is a shallow clone: fetch the history with 'git fetch --unshallow',"
                " or 'fetch-depth: 0' in actions/checkout)") if shallow else ""
        raise GitError(f"revision '{rev}' does not exist{hint}") from None


def header(out: IO[bytes], oid: str) -> int:
    """The size of the object `git cat-file --batch` starts on next (GitError unless it
    is the file asked for)."""
    fields = out.readline().split()
    if len(fields) != 3 or fields[0].decode() != oid or fields[1] != b"blob" \
            or not fields[2].isdigit():
        raise GitError("git cat-file returned something other than a file")
    return int(fields[2])


@contextmanager
def batch(place: Place, oids: list[str]) -> Iterator[IO[bytes]]:
    """`git cat-file --batch` of these objects, its output read as it comes (never held
    whole); killed past the time limit."""
    if not oids:
        yield io.BytesIO()
        return
    exe = _exe()
    shadow, env = _standin(place)
    with tempfile.TemporaryFile(dir=shadow) as names:
        names.write(("\n".join(oids) + "\n").encode())
        names.seek(0)
        try:
            proc = subprocess.Popen([exe, *_SAFE, "cat-file", "--batch"], cwd=shadow,
                                    env=env, stdin=names, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise GitError(f"git cat-file failed: {exc}") from None
        timer = threading.Timer(TIMEOUT, proc.kill)
        timer.start()
        try:
            assert proc.stdout is not None
            yield proc.stdout
        finally:
            timer.cancel()
            proc.kill()
            proc.wait()


def ls_tree(place: Place, rev: str, folder: str) -> list[tuple[str, str]]:
    """(object id, repository path) of every regular file under `folder` at `rev`: symlinks
    (120000) and submodules (160000) are left out."""
    out = []
    for entry in str(git(place, "ls-tree", "-r", "-z", "--full-tree", rev, "--",
                         folder or ".")).split("\x00"):
        meta, _, name = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and parts[0] in ("100644", "100755"):
            out.append((parts[2], name))
    return out


def sizes(place: Place, oids: list[str], names: dict[str, str] | None = None
           ) -> dict[str, int]:
    if not oids:
        return {}
    found = {}
    for line in str(git(place, "cat-file", "--batch-check",
                        stdin=("\n".join(oids) + "\n").encode())).splitlines():
        oid, kind, size = (line.split() + ["", "", ""])[:3]
        if kind == "missing":
            hint = (" (this is a partial clone: cjmsite never fetches missing objects, since"
                    " that runs programs the repository's config names; fetch them with git"
                    " first, or clone without --filter)") if place.partial else ""
            what = (names or {}).get(oid, f"object {oid}")
            raise GitError(f"{what} is missing from the repository{hint}")
        if kind != "blob" or not size.isdigit():
            raise GitError("git cat-file returned something other than a file")
        found[oid] = int(size)
    return found


def read_blobs(place: Place, oids: list[str], limit: int = MAX_CONTENT_BYTES
               ) -> list[bytes | int]:
    """Many objects in two `git cat-file` processes (one per file would cost more than
    reading them): each file's bytes, or its size when over `limit` (a repository's
    history may hold a file no build would read; it is never loaded)."""
    found_sizes = sizes(place, oids)
    small = list(dict.fromkeys(oid for oid in oids if found_sizes[oid] <= limit))
    found = {}
    with batch(place, small) as out:
        for oid in small:
            size = header(out, oid)
            found[oid] = out.read(size)
            if len(found[oid]) != size or out.read(1) != b"\n":
                raise GitError("git cat-file ended early")
    return [found.get(oid, found_sizes[oid]) for oid in oids]
