"""`cjmsite init DIR`: a new site, copied from the example shipped with cjmsite."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

EXAMPLE = Path(str(files("cjmsite").joinpath("example")))
GITIGNORE = "output/\n"


class InitError(Exception):
    pass


def init(target: Path) -> list[str]:
    """Copy the example content and config; never overwrite anything."""
    if target.exists() and any(target.iterdir()):
        raise InitError(f"{target} is not empty; choose a new or empty folder")
    target.mkdir(parents=True, exist_ok=True)
    created = []
    for name in ("cjmsite.toml", "content"):
        source = EXAMPLE / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copyfile(source, target / name)
        created.append(name)
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    created.append(".gitignore")
    return created
