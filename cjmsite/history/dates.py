"""When each content file last changed in git, and by whom: one `git log` pass for the
whole content folder (never one per file, which is what makes some documentation tools
slow), plus one `git ls-tree` of HEAD: a file whose blob id differs from HEAD's has
uncommitted changes.

Outside a repository, without git, or with `[site] git = false`, there are no stamps and
pages simply leave the line out: this never fails a build."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from cjmsite.history.git import GitError, Place, git, ls_tree


@dataclass(frozen=True, slots=True)
class Stamp:
    date: str  # YYYY-MM-DD, the author date of the commit
    author: str
    commit: str  # short hash
    uncommitted: bool = False  # the file has changes not committed yet
    # 0 for the newest commit, 1 for the one before...: history, not dates. Left out of
    # repr, which fingerprints use: a new commit must not re-render untouched pages.
    order: int = field(default=0, repr=False, compare=False)
    # The file's blob id in HEAD ("" when HEAD lacks it): serve's quick pass tells from it
    # whether a saved file now has uncommitted changes, without asking git again.
    blob: str = field(default="", repr=False, compare=False)

    def after_save(self, digest: str) -> Stamp:
        """This file's stamp once its content has the blob id `digest`."""
        return replace(self, uncommitted=digest != self.blob)


def stamps(place: Place, content: Path, digests: dict[str, str]) -> dict[str, Stamp]:
    """Project-relative path -> the last commit that changed it (or an uncommitted mark).
    `digests`: each content file's git blob id (content.parse.blob_id); a file whose id
    differs from HEAD's, or that HEAD lacks, has uncommitted changes. (Not `git status`:
    it may run the clean filter a repository's configuration names.)"""
    try:
        folder = place.folder(content)
        log = str(git(place, "log", "--no-renames", "-z", "--format=%x01%h%x02%ad%x02%an",
                      "--date=short", "--name-only", "--", folder or "."))
        tree = ls_tree(place, "HEAD", folder) if log else []
    except (GitError, ValueError, OSError):
        return {}
    found: dict[str, Stamp] = {}
    for order, record in enumerate(log.split("\x01")[1:]):
        head, _, names = record.partition("\x00")
        short, date, author = (head.split("\x02") + ["", "", ""])[:3]
        for name in names.split("\x00"):
            name = name.strip("\n")
            if name:
                rel = place.rel(name)
                if rel is not None and rel not in found:
                    found[rel] = Stamp(date, author, short, order=order)
    committed = {}
    for oid, name in tree:
        rel = place.rel(name)
        if rel is not None:
            committed[rel] = oid
    for rel, digest in digests.items():
        blob = committed.get(rel, "")
        if rel in found:
            found[rel] = replace(found[rel], blob=blob).after_save(digest)
        elif blob != digest:
            found[rel] = Stamp("", "", "", True, -1, blob)
    return found


def latest(found: dict[str, Stamp], rels: list[str]) -> Stamp | None:
    """The newest stamp among some files (a journey: its index and its stages)."""
    known = [found[rel] for rel in rels if rel in found]
    if not known:
        return None
    newest = min((s for s in known if s.date), key=lambda s: s.order, default=known[0])
    if any(s.uncommitted for s in known):
        return Stamp(newest.date, newest.author, newest.commit, True, newest.order)
    return newest
