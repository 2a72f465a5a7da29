"""Writing the site safely: into a temporary folder, swapped in only when all succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

MANIFEST = ".cjmsite-manifest"


class OutputError(Exception):
    """The output folder cannot be used; the message says why and what to do."""


def check_output_dir(output: Path, root: Path, content: Path) -> None:
    """Refuse folders whose replacement would destroy the user's own files."""
    for name, protected in (("the project folder", root), ("the content folder", content)):
        if output == protected or protected.is_relative_to(output):
            raise OutputError(f"output folder {output} is or contains {name}; "
                              "set [site] output_dir to a separate folder")
    if output.is_relative_to(content):
        raise OutputError(f"output folder {output} is inside the content folder")
    if output.exists() and not output.is_dir():
        raise OutputError(f"output path {output} exists and is not a folder")


def scan_output_dir(output: Path) -> None:
    """Before replacing the whole folder: refuse if it holds files cjmsite did not write.
    (Incremental builds only touch files they wrote, so they skip this walk.)"""
    if not output.is_dir():
        return
    manifest = output / MANIFEST
    present = {p.relative_to(output).as_posix() for p in output.rglob("*") if not p.is_dir()}
    if not present:
        return
    if not manifest.is_file():
        raise OutputError(f"output folder {output} holds files cjmsite did not create; "
                          "move them away or choose another output_dir")
    known = set(manifest.read_text(encoding="utf-8").splitlines()) | {MANIFEST}
    foreign = sorted(present - known)
    if foreign:
        raise OutputError(f"output folder {output} holds files cjmsite did not create "
                          f"(e.g. {foreign[0]}); move them away or choose another output_dir")


class StagedOutput:
    """Files go to a sibling temporary folder; `commit` swaps it in, `discard` drops it."""

    def __init__(self, output: Path):
        self.output = output
        output.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.tmp-", dir=output.parent))
        self.written: list[str] = []

    def write_bytes(self, rel: str, data: bytes) -> None:
        path = self.tmp / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.written.append(rel)

    def write_text(self, rel: str, text: str) -> None:
        self.write_bytes(rel, text.encode("utf-8"))

    def copy(self, rel: str, source: Path) -> None:
        self.write_bytes(rel, source.read_bytes())

    def commit(self) -> None:
        self.write_text(MANIFEST, "\n".join(sorted([*self.written, MANIFEST])) + "\n")
        os.chmod(self.tmp, 0o755)
        old = None
        if self.output.exists():
            old = self.output.with_name(f".{self.output.name}.old-{os.getpid()}")
            self.output.rename(old)
        self.tmp.rename(self.output)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
