"""The theme: Jinja2 templates and static assets, a site theme overriding files by name."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import jinja2

from cjmsite.config import Project
from cjmsite.i18n import CHANNEL_NAMES, EMOTION_NAMES, translator
from cjmsite.mapsvg.journey_map import score_label

BUILTIN = Path(str(files("cjmsite").joinpath("themes", "default")))


def _dirs(project: Project, sub: str) -> list[Path]:
    """Site theme first, built-in last: the first file found with a name wins."""
    dirs = []
    if project.theme_dir is not None and (project.theme_dir / sub).is_dir():
        dirs.append(project.theme_dir / sub)
    dirs.append(BUILTIN / sub)
    return dirs


def environment(project: Project, cache_dir: Path | None = None) -> jinja2.Environment:
    """`cache_dir` keeps compiled templates between runs (Jinja checks their sources'
    modification times), so a one-page rebuild does not recompile the theme."""
    language = project.config.language
    cache = None
    if cache_dir is not None:
        (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
        cache = jinja2.FileSystemBytecodeCache(str(cache_dir / "templates"))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in _dirs(project, "templates")]),
        bytecode_cache=cache,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(
        t=translator(language),
        lang=language,
        config=project.config,
        channel_name=lambda c: CHANNEL_NAMES.get(language, CHANNEL_NAMES["en"]).get(c, c),
        emotion_name=lambda s: EMOTION_NAMES.get(language, EMOTION_NAMES["en"]).get(s, ""),
        score_label=score_label,
    )
    if project.config.show_build_date:  # opt-in: it makes every build differ by day
        env.globals["build_date"] = build_date()
    env.filters["number"] = _number
    return env


def build_date() -> str:
    return datetime.date.today().isoformat()


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def static_files(project: Project) -> Iterator[tuple[str, Path]]:
    """(relative name, source path) of every asset, theme files shadowing built-in ones."""
    seen: set[str] = set()
    for directory in _dirs(project, "static"):
        for path in sorted(directory.rglob("*")):
            name = path.relative_to(directory).as_posix()
            if path.is_file() and name not in seen:
                seen.add(name)
                yield name, path
