"""Writing the site safely: a whole new tree beside the old one, switched in with one rename.

A reader (a web server, a browser on file://, a sync job) and a build killed at any moment
see either the old site or the new one, never a mix: every build, full or incremental,
writes into a sibling folder and exchanges it with output/ in one step. An incremental
build starts that folder as hard links to the current files, so it costs a link per file,
not a copy. Every path written or removed is checked to lie inside the output folder."""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

MANIFEST = ".cjmsite-manifest"
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?:tmp|old)-(?P<pid>\d+)-")


class OutputError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


class UnsafeWrite(OutputError):
    """A write refused: a symlink on the way or at the name, or a path leaving the folder."""


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def write_file(folder: Path, rel: str, data: bytes | str, create_only: bool = False) -> Path:
    """Write `data` at `rel` below `folder` (which the caller chose, or made): folders on
    the way are created, and each must be a real folder, never a symlink; the file is
    written new and renamed over the name, so neither a symlink at the name (dangling or
    not) nor one on the way is ever written through. Such links are refused, not followed
    or replaced. `create_only`: refuse a name that exists (never overwrite)."""
    check_write(folder, rel, create_only)
    if isinstance(data, str):
        data = data.encode("utf-8")
    *parents, name = rel.split("/")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for index, part in enumerate(parents):
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, dir_fd=fd)
            try:
                inner = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except OSError:
                _refuse(folder, "/".join(parents[:index + 1]), rel)
                raise
            os.close(fd)
            fd = inner
        target = name if create_only else f".{name}.part-{os.getpid()}"
        try:
            out = os.open(target, _FILE_FLAGS, 0o666, dir_fd=fd)
        except FileExistsError:
            if create_only:
                raise UnsafeWrite(f"refusing to write {rel}: it exists already") from None
            os.unlink(target, dir_fd=fd)  # a part file left by a killed run of this pid
            out = os.open(target, _FILE_FLAGS, 0o666, dir_fd=fd)
        with os.fdopen(out, "wb") as stream:
            stream.write(data)
        if not create_only:
            # rename replaces a name, never what a symlink there points at
            os.replace(target, name, src_dir_fd=fd, dst_dir_fd=fd)
    finally:
        os.close(fd)
    return folder / rel


def check_write(folder: Path, rel: str, create_only: bool = False) -> None:
    """What write_file refuses, checked before anything is written (to refuse a set of
    files all at once)."""
    if not safe_rel(rel):
        raise UnsafeWrite(f"refusing to write {rel!r}: not a path inside {folder}")
    parts = rel.split("/")
    for index in range(1, len(parts) + 1):
        _refuse(folder, "/".join(parts[:index]), rel, last=index == len(parts),
                create_only=create_only)


def _refuse(folder: Path, prefix: str, rel: str, last: bool = False,
            create_only: bool = False) -> None:
    try:
        mode = os.lstat(folder / prefix).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise UnsafeWrite(f"cannot write {rel}: {exc.strerror}") from None
    where = "it" if prefix == rel else prefix
    if stat.S_ISLNK(mode):
        raise UnsafeWrite(f"refusing to write {rel}: {where} is a symlink (cjmsite never "
                          "writes through one)")
    if last and create_only:
        raise UnsafeWrite(f"refusing to write {rel}: it exists already")
    if last and not stat.S_ISREG(mode):
        raise UnsafeWrite(f"refusing to write {rel}: it is not a regular file")
    if not last and not stat.S_ISDIR(mode):
        raise UnsafeWrite(f"refusing to write {rel}: {where} is not a folder")


def safe_rel(rel: object) -> bool:
    """A relative POSIX path that stays inside the folder it is joined to."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        return False
    if rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        return False
    return all(part not in ("", ".", "..") for part in rel.split("/"))


def check_output_dir(output: Path, root: Path, content: Path) -> None:
    """Refuse folders whose replacement would destroy the user's own files."""
    for name, protected in (("the project folder", root), ("the content folder", content)):
        if output == protected or protected.is_relative_to(output):
            raise OutputError(f"output folder {output} is or contains {name}; "
                              "set [site] output_dir to a separate folder")
    if output.is_relative_to(content):
        raise OutputError(f"output folder {output} is inside the content folder")
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        raise OutputError(f"output path {output} exists and is not a folder")


def _walk_files(folder: Path) -> set[str]:
    found = set()
    for top, dirs, names in os.walk(folder):  # symlinked folders are not followed
        base = os.path.relpath(top, folder).replace(os.sep, "/")
        for name in names + [d for d in dirs if os.path.islink(os.path.join(top, d))]:
            found.add(name if base == "." else f"{base}/{name}")
    return found


def scan_output_dir(output: Path) -> None:
    """Before replacing the whole folder: refuse if it holds files cjmsite did not write.
    (Incremental builds only touch files they wrote, so they skip this walk.)"""
    if not output.is_dir():
        return
    present = _walk_files(output)
    if not present:
        return
    manifest = output / MANIFEST
    if not manifest.is_file() or manifest.is_symlink():
        raise OutputError(f"output folder {output} holds files cjmsite did not create; "
                          "move them away or choose another output_dir")
    known = manifest_files(manifest.read_text(encoding="utf-8", errors="replace"))
    foreign = sorted(present - known - {MANIFEST})
    if foreign:
        raise OutputError(f"output folder {output} holds files cjmsite did not create "
                          f"(e.g. {foreign[0]}); move them away or choose another output_dir")


def manifest_text(files: dict[str, str]) -> str:
    """`sha1sum` lines ("<sha1>  <path>"), so `sha1sum -c .cjmsite-manifest` checks a
    published site, and two builds of different content never leave the same manifest
    (the incremental state relies on that to recognise its own output)."""
    return "".join(f"{digest}  {rel}\n" for rel, digest in sorted(files.items()))


def manifest_files(text: str) -> set[str]:
    return {line.split("  ", 1)[-1] for line in text.splitlines() if line}


def clean_leftovers(output: Path) -> None:
    """Remove the staging folders of builds that were killed (their process is gone)."""
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if match and match["name"] == output.name and not _alive(int(match["pid"])):
            remove_tree(Path(entry.path))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def remove_tree(path: Path) -> None:
    """rmtree that also clears folders a user made read-only (they are cjmsite's own)."""
    def unlock(function, failed: str, exc_info) -> None:  # noqa: ANN001 - rmtree's signature
        try:
            os.chmod(os.path.dirname(failed), 0o755)
            function(failed)
        except OSError:
            pass

    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return
    shutil.rmtree(path, onerror=unlock)


class StagedOutput:
    """A new tree beside `output`: `commit` switches it in, `discard` drops it.

    With `clone`, the tree starts as hard links to the current output's regular files
    (symlinks and anything else are left out), so only changed files need writing. A
    file is always replaced by a new one, never written in place: the old tree shares
    its inodes."""

    def __init__(self, output: Path, clone: bool = False):
        self.output = output
        output.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(output)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-{os.getpid()}-",
                                         dir=output.parent))
        if clone and output.is_dir():
            _link_tree(output, self.tmp)

    def path(self, rel: str) -> Path:
        if not safe_rel(rel):
            raise OutputError(f"refusing to write {rel!r}: not a path inside the output folder")
        return self.tmp / rel

    def write_bytes(self, rel: str, data: bytes) -> None:
        write_file(self.tmp, rel, data)

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def remove(self, rel: str) -> None:
        """Remove a file and the folders it leaves empty."""
        path = self.path(rel)
        path.unlink(missing_ok=True)
        parent = path.parent
        while parent != self.tmp and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    def commit(self, files: dict[str, str], before: Callable[[str], None]) -> None:
        """Switch the new tree in. `files`: every file it holds, with its SHA-1; `before`
        gets the manifest just before the switch (to save the state that describes the
        new tree: a build killed after it leaves a manifest the state does not match)."""
        manifest = manifest_text(files)
        self.write_text(MANIFEST, manifest)
        os.chmod(self.tmp, 0o755)
        before(manifest)
        if not self.output.exists():
            self.tmp.rename(self.output)
            return
        if not _exchange(self.tmp, self.output):
            # No atomic exchange here: two renames. A build killed between them leaves no
            # output/ (never a mixed one); the next build cleans up and builds afresh.
            old = self.output.with_name(self.tmp.name.replace(".tmp-", ".old-", 1))
            self.output.rename(old)
            self.tmp.rename(self.output)
            remove_tree(old)
            return
        remove_tree(self.tmp)  # after the exchange it holds the old site

    def discard(self) -> None:
        remove_tree(self.tmp)


def write_in_place(output: Path, changes: list[tuple[str, bytes, str]], removed: list[str],
                   files: dict[str, str]) -> None:
    """Replace changed files inside `output` itself, for a folder whose only reader waits
    while this runs (serve's build folder): cheaper than a linked copy per save. `files`:
    the manifest to write."""
    for rel, data, _ in changes:
        write_file(output, rel, data)
    for rel in removed:
        if safe_rel(rel):
            (output / rel).unlink(missing_ok=True)
    write_file(output, MANIFEST, manifest_text(files))


def _link_tree(source: Path, target: Path) -> None:
    for entry in os.scandir(source):
        dest = target / entry.name
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError:
            continue
        if stat.S_ISDIR(mode):
            dest.mkdir()
            _link_tree(Path(entry.path), dest)
        elif stat.S_ISREG(mode):
            try:
                os.link(entry.path, dest, follow_symlinks=False)
            except OSError:
                shutil.copyfile(entry.path, dest, follow_symlinks=False)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@functools.cache
def _renameat2():  # noqa: ANN202 - a ctypes function or None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    return function


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where that is not available."""
    function = _renameat2()
    if function is None:
        return False
    return function(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0
