"""Reading files of a project that is not trusted: only regular files, only inside it.

A pull request can commit a symlink to /etc/passwd, to /dev/zero or to a folder above the
project, or (in a checkout made by other means) a FIFO that blocks whoever opens it. Every
file cjmsite reads from a project (content, theme, persona images) goes through here: a
symlink is followed only when its target lies inside the project, only regular files are
opened (without blocking, then checked again on the open file), and each has a size
limit."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MAX_CONTENT_BYTES = 2 * 1024 * 1024  # a stage file is a few kB; 2 MiB is a runaway export
MAX_ASSET_BYTES = 32 * 1024 * 1024  # theme assets and persona pictures


class UnsafeFile(Exception):
    """A file cjmsite will not read; the message says why, for `path:line: error:`."""


GIT_REFUSED = ("is inside a .git folder: cjmsite never reads git's own files (they hold "
               "credentials and configuration) as content, pictures or responses")


def in_git(path: str | Path, root: Path, folder: bool = False) -> bool:
    """Whether `path` (a file, or a `folder`), as written or once its links are resolved,
    lies inside a `.git` folder below `root`, in any letter case (as on macOS and Windows).
    (A `.git` file itself only names where the repository is: history/git.py reads it.)
    Plain strings: it runs for every file read."""
    return any(_git_path(candidate, root, folder)
               for candidate in (os.path.abspath(path), os.path.realpath(path)))


def _git_path(candidate: str, root: Path, folder: bool = False) -> bool:
    """in_git of an absolute path as it is (no link resolved)."""
    base = str(root) + os.sep
    below = candidate[len(base):] if candidate.startswith(base) else candidate
    below = below.casefold()
    if ".git" in below:
        parts = below.split(os.sep)
        if ".git" in (parts if folder else parts[:-1]):
            return True
    return False


PROC_FD = "/proc/self/fd/"  # Linux's links from each open file to where it lies


def _opened_path(fd: int, path: str) -> str:
    """Where the open file `fd` really is: the kernel's own answer on Linux (one call,
    and about the very file that was opened), else the path with its links resolved."""
    try:
        return os.readlink(f"{PROC_FD}{fd}")
    except OSError:
        return os.path.realpath(path)


def _too_big(size: int, limit: int) -> str:
    # cjmsite.toml's limit is 256 KiB: whole MiB would print "0 MiB"
    unit, scale = ("MiB", 1024 * 1024) if limit >= 1024 * 1024 else ("KiB", 1024)
    return f"is {size:,} bytes, over the limit of {limit / scale:g} {unit} per file"


def check(path: str | Path, root: Path, limit: int) -> os.stat_result:
    """The stat of `path` if it may be read, else UnsafeFile. `root` is the resolved
    project folder."""
    path = str(path)
    if in_git(path, root):
        raise UnsafeFile(GIT_REFUSED)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = os.path.realpath(path)
            if not Path(target).is_relative_to(root):
                raise UnsafeFile("is a symlink to a file outside the project; "
                                 "copy the file into the project instead")
            info = os.stat(path)
    except OSError as exc:
        raise UnsafeFile(f"cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFile("is not a regular file (a device, FIFO or socket); remove it")
    if info.st_size > limit:
        raise UnsafeFile(_too_big(info.st_size, limit))
    return info


def read(path: str | Path, root: Path, limit: int, head: int = 0) -> bytes:
    """The bytes of a file that `check` allows (only its first `head` bytes, if given).
    Opened without blocking and checked again on the open file, so swapping it for a FIFO
    or a device after the check gains nothing."""
    path = str(path)
    if _git_path(os.path.abspath(path), root):  # as written; resolved once open, below
        raise UnsafeFile(GIT_REFUSED)
    try:
        linked = stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError as exc:
        raise UnsafeFile(f"cannot be read: {exc.strerror or exc}") from None
    if linked:
        check(path, root, limit)
    # A plain file is opened with O_NOFOLLOW, so it cannot have become a link since the
    # check; a link is resolved again once open.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not linked:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise UnsafeFile(f"cannot be read: {exc.strerror or exc}") from None
    try:
        if _git_path(_opened_path(fd, path), root):
            raise UnsafeFile(GIT_REFUSED)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile("is not a regular file (a device, FIFO or socket); remove it")
        if linked and not Path(os.path.realpath(path)).is_relative_to(root):
            raise UnsafeFile("is a symlink to a file outside the project")
        if info.st_size > limit:
            raise UnsafeFile(_too_big(info.st_size, limit))
        chunks, size = [], 0
        want = min(head, limit + 1) if head else limit + 1
        while size < want:  # a file may grow while it is read: never past the limit
            chunk = os.read(fd, min(max(info.st_size, 65536), want - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise UnsafeFile(_too_big(len(data), limit))
    return data


def stamp(info: os.stat_result) -> tuple[int, int]:
    """What cached results of a file are keyed on: its size, and a number that changes
    whenever its content, permissions or times do. That takes the ctime as well as the
    mtime: `touch -r` or an archive can put an mtime back, and chmod leaves it alone, but
    nobody can set the ctime. (Equal keys compare equal; the number means nothing else.)"""
    return info.st_size, hash((info.st_mtime_ns, info.st_ctime_ns))


@dataclass(frozen=True, slots=True)
class Entry:
    path: str  # as found under the walked folder (symlinks not resolved)
    parts: tuple[str, ...]  # names below the walked folder
    stat: tuple[int, int]  # see stamp(); (-1, -1) with a problem
    problem: str = ""  # why it may not be read, or ""

    @property
    def name(self) -> str:
        return self.parts[-1] if self.parts else os.path.basename(self.path)


def walk(folder: Path, root: Path, limit: int, suffix: str = "") -> Iterator[Entry]:
    """Every file under `folder` (names ending in `suffix`), hidden names skipped, in
    directory order. Symlinked folders are followed when they lie inside `root` (but not
    into a folder that contains them, so a cycle ends); a symlink out of the project, or
    anything but a regular file, comes back with its `problem`. Plain strings and one scandir pass:
    pathlib objects and extra stat calls cost more than the rest of a no-change rebuild."""

    def visit(current: str, parts: tuple[str, ...], above: frozenset[str]) -> Iterator[Entry]:
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            return  # gone since it was listed: the next build sees the tree as it is
        except OSError as exc:  # a folder of pages nobody would know were left out
            yield Entry(current, parts, (-1, -1), f"folder cannot be read: "
                                                  f"{exc.strerror or exc}")
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir()
            except OSError:
                is_link = is_dir = False
            if is_dir:
                real = os.path.realpath(entry.path)
                if is_link and not Path(real).is_relative_to(root):
                    yield Entry(entry.path, (*parts, name), (-1, -1),
                                "is a symlink to a folder outside the project")
                elif is_link and in_git(real, root, folder=True):
                    yield Entry(entry.path, (*parts, name), (-1, -1), GIT_REFUSED)
                elif is_link and real in above:
                    yield Entry(entry.path, (*parts, name), (-1, -1),
                                "is a symlink to a folder that contains it (a cycle)")
                else:
                    yield from visit(entry.path, (*parts, name), above | {real})
                continue
            if not name.endswith(suffix):
                continue
            try:
                if not is_link:  # the usual case: the scandir entry already knows
                    info = entry.stat()
                    if not stat.S_ISREG(info.st_mode):
                        raise UnsafeFile("is not a regular file (a device, FIFO or socket); "
                                         "remove it")
                    if info.st_size > limit:
                        raise UnsafeFile(_too_big(info.st_size, limit))
                else:
                    info = check(entry.path, root, limit)
            except UnsafeFile as exc:
                yield Entry(entry.path, (*parts, name), (-1, -1), str(exc))
                continue
            except OSError as exc:
                yield Entry(entry.path, (*parts, name), (-1, -1),
                            f"cannot be read: {exc.strerror or exc}")
                continue
            yield Entry(entry.path, (*parts, name), stamp(info))

    yield from visit(str(folder), (), frozenset({os.path.realpath(folder)}))
