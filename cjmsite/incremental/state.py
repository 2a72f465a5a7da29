"""What the last build wrote into an output folder, so the next one rewrites only changes.

Kept in the user's cache folder (see cjmsite.store), one file per output folder. Every
path in it is checked to lie inside the output folder before it is trusted: a damaged or
foreign state file means a full build, never a write or delete elsewhere."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cjmsite.output import safe_rel
from cjmsite.store import read_file, write_file


def state_path(cache: Path | None, output: Path) -> Path | None:
    if cache is None:
        return None
    name = hashlib.sha256(str(output).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cache / f"outputs-{name}.json"


class BuildState:
    """Job id -> (key, files written); file -> SHA-1 of its bytes; and the manifest the
    build left, so an output folder changed behind our back gets a full build."""

    def __init__(self, path: Path | None):
        self.path = path
        self.jobs: dict[str, tuple[str, list[str]]] = {}
        self.hashes: dict[str, str] = {}
        self.manifest = ""
        data = read_file(path) if path else None
        if isinstance(data, dict) and _valid(data):
            self.jobs = {job: (key, rels) for job, (key, rels) in data["jobs"].items()}
            self.hashes, self.manifest = data["hashes"], data["manifest"]

    def replace(self, jobs: dict[str, tuple[str, list[str]]], hashes: dict[str, str],
                manifest: str) -> None:
        """The state of a new tree, saved before it is switched in (see StagedOutput)."""
        self.jobs, self.hashes, self.manifest = jobs, hashes, manifest
        self.save()

    def save(self) -> None:
        if self.path is None:
            return
        try:
            write_file(self.path, {"jobs": self.jobs, "hashes": self.hashes,
                                   "manifest": self.manifest})
        except OSError:
            return  # no state: the next build is a full one


def _valid(data: dict) -> bool:
    jobs, hashes, manifest = data.get("jobs"), data.get("hashes"), data.get("manifest")
    if not isinstance(jobs, dict) or not isinstance(hashes, dict) or \
            not isinstance(manifest, str):
        return False
    for value in jobs.values():
        if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
                and isinstance(value[1], list) and all(map(safe_rel, value[1]))):
            return False
    return all(safe_rel(rel) and isinstance(digest, str) for rel, digest in hashes.items())
