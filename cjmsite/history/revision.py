"""A revision's project written into a folder, to be loaded like the working tree (what
`cjmsite diff` compares). Every program it needs is started by history/git.py."""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path
from typing import IO

from cjmsite.config import MAX_CONFIG_BYTES
from cjmsite.history import git as gitrepo
from cjmsite.history.git import LARGEST, GitError, Place, batch, git, header, ls_tree
from cjmsite.output import safe_rel


def unpack(place: Place, commit: str, target: Path) -> None:
    """The revision's cjmsite.toml and content folder (as that revision's config names
    it; the folder may have moved), unpacked into `target`, which becomes a project.
    Every file as it was, up to the largest size its reader takes (a survey export);
    past that, a sparse file of that size, so the reader refuses it as it would in the
    working tree, and nothing that size is ever held or written."""
    prefix = place.prefix
    target.mkdir(parents=True, exist_ok=True)
    content = "content"
    found = str(git(place, "cat-file", "--batch-check",
                    stdin=f"{commit}:{prefix}cjmsite.toml\n".encode())).split()
    if len(found) == 3 and found[1] == "blob" and int(found[2]) > MAX_CONFIG_BYTES:
        _sparse(target / "cjmsite.toml", int(found[2]))  # loading says it is too big
    elif len(found) == 3 and found[1] == "blob":
        config = git(place, "cat-file", "blob", found[0], binary=True)
        (target / "cjmsite.toml").write_bytes(config)  # type: ignore[arg-type]
        try:
            site = tomllib.loads(config.decode()).get("site", {})  # type: ignore[union-attr]
            content = str(site.get("content_dir", content)) if isinstance(site, dict) \
                else content
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, RecursionError):
            pass  # a broken config: loading reports it
    files = [(oid, rel) for oid, name in ls_tree(place, commit, prefix + content)
             if (rel := place.rel(name)) is not None and safe_rel(rel)]
    sizes = gitrepo.sizes(place, [oid for oid, _ in files],
                           {oid: f"{rel} at {commit[:12]}" for oid, rel in files})
    small = list(dict.fromkeys(oid for oid, _ in files if sizes[oid] <= LARGEST))
    paths: dict[str, list[Path]] = {}
    for oid, rel in files:
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        paths.setdefault(oid, []).append(path)
        if sizes[oid] > LARGEST:
            _sparse(path, sizes[oid])
    with batch(place, small) as out:
        for oid in small:
            size = header(out, oid)
            with paths[oid][0].open("wb") as file:
                _copy(out, file, size)
            for other in paths[oid][1:]:
                shutil.copyfile(paths[oid][0], other)
            if out.read(1) != b"\n":
                raise GitError("git cat-file ended early")
    for oid, rel in files:
        # The object id as the modification time: two revisions' copies of one file look
        # the same to a parse cache shared between them (see commands/diff.py), and
        # different contents never do.
        stamp = int(oid[:15], 16)
        os.utime(target / rel, ns=(stamp, stamp))


def _sparse(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no room: its reader refuses it by its size."""
    path.touch()
    os.truncate(path, size)


def _copy(source: IO[bytes], target: IO[bytes], size: int) -> None:
    while size > 0:
        chunk = source.read(min(size, 1 << 20))
        if not chunk:
            raise GitError("git cat-file ended early")
        target.write(chunk)
        size -= len(chunk)
