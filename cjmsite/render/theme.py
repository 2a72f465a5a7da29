"""The theme: Jinja2 templates and static assets, a site theme overriding files by name.

A site's theme comes with its repository, so it is not trusted: templates run in Jinja's
sandbox (no attribute tricks reach Python internals), with bounded ranges and repetitions,
and theme files are read only when they are regular files inside the project."""

from __future__ import annotations

import datetime
import hashlib
import operator
import os
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from cjmsite import safefs
from cjmsite.config import Project
from cjmsite.diagnostics import Report
from cjmsite.i18n import CHANNEL_NAMES, EMOTION_NAMES, date_label, number, score_label, translator
from cjmsite.surveys.evidence import interval

BUILTIN = Path(str(files("cjmsite").joinpath("themes", "default")))
MAX_RANGE = 100_000  # items in one range() (Jinja's sandbox default)
MAX_SIZE = 10_000_000  # characters or items a '*' may make


def _dirs(project: Project, sub: str) -> list[tuple[Path, Path]]:
    """(folder, the folder its files must lie in): site theme first, built-in last; the
    first file found with a name wins."""
    dirs = []
    if project.theme_dir is not None and (project.theme_dir / sub).is_dir():
        dirs.append((project.theme_dir / sub, project.root))
    dirs.append((BUILTIN / sub, BUILTIN.resolve()))
    return dirs


def check_theme(project: Project, report: Report) -> None:
    """Report theme files that will not be read: symlinks out of the project, devices,
    FIFOs, oversized files."""
    theme = project.theme_dir
    if theme is None or not theme.is_dir():
        return
    for entry in safefs.walk(theme, project.root, safefs.MAX_ASSET_BYTES):
        rel = "/".join(("themes", project.config.theme, *entry.parts))
        if entry.problem:
            report.error(rel, 1, f"{entry.name} {entry.problem}")
        elif entry.parts[0] == "static" and "\\" in rel:
            report.error(rel, 1, f"'{entry.name}': a backslash in a file or folder name "
                                 "does not work as a web address: rename it")


class _Loader(jinja2.FileSystemLoader):
    """FileSystemLoader that reads each template through safefs (regular files inside
    the folder they belong to, bounded)."""

    def __init__(self, dirs: list[tuple[Path, Path]]):
        super().__init__([str(folder) for folder, _ in dirs])
        self.roots = {str(folder): root for folder, root in dirs}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple:
        pieces = jinja2.loaders.split_template_path(template)  # refuses '..'
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if not path.exists():
                continue
            try:
                data = safefs.read(path, self.roots[folder], safefs.MAX_ASSET_BYTES)
            except safefs.UnsafeFile:
                continue  # reported by check_theme
            mtime = path.stat().st_mtime
            return (data.decode("utf-8", "replace"), str(path),
                    lambda path=path, mtime=mtime: path.exists() and path.stat().st_mtime == mtime)
        raise jinja2.TemplateNotFound(template)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, plus bounds on '*' and '**' so a template cannot ask for a
    gigabyte string or an endless number."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        if operator_ == "**":
            if isinstance(right, int) and abs(right) > 64:
                raise SecurityError("exponent too large in a theme template")
            return operator.pow(left, right)
        for count, other in ((left, right), (right, left)):
            if isinstance(count, int) and hasattr(other, "__len__") and \
                    abs(count) * max(len(other), 1) > MAX_SIZE:
                raise SecurityError("'*' would make more than 10 million characters or items")
        return operator.mul(left, right)


class _Trusted(jinja2.Environment):
    """The built-in theme alone: no template of the repository's is ever loaded."""


def _site_templates(project: Project) -> bool:
    theme = project.theme_dir
    return theme is not None and os.path.lexists(theme / "templates")


class _BytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in the user's cache folder (never the project's), each file
    behind a SHA-256: Jinja would otherwise unmarshal whatever bytes it finds."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        digest, payload = data[:64], data[64:]
        if hashlib.sha256(payload).hexdigest().encode() != digest:
            return
        try:
            bucket.bytecode_from_string(payload)
        except Exception:  # noqa: BLE001 - any damage: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        payload = bucket.bytecode_to_string()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self._path(bucket).with_suffix(".tmp")
            tmp.write_bytes(hashlib.sha256(payload).hexdigest().encode() + payload)
            tmp.replace(self._path(bucket))
        except OSError:
            return


def _range(*args: int) -> range:
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise SecurityError(f"range() of more than {MAX_RANGE:,} items in a theme template")
    return values


def environment(project: Project, cache_dir: Path | None = None) -> jinja2.Environment:
    """`cache_dir` (the user's cache folder for this project) keeps compiled templates
    between runs, so a one-page rebuild does not recompile the theme."""
    language = project.config.language
    # The built-in templates are cjmsite's own; a site theme's come with the repository.
    # The sandbox checks every attribute a template reads (a fifth of a large build), so
    # it is used exactly when a template of the site's may be loaded.
    kind = _Sandbox if _site_templates(project) else _Trusted
    env = kind(
        loader=_Loader(_dirs(project, "templates")),
        # Sandboxed code differs (calls go through the sandbox): a folder for each kind.
        bytecode_cache=_BytecodeCache(cache_dir / f"templates-{kind.__name__.strip('_')}")
        if cache_dir else None,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    del env.globals["lipsum"]  # lipsum(n=10**9) would fill the memory
    env.globals.update(
        range=_range if kind is _Sandbox else range,
        t=translator(language, project.config.labels),
        lang=language,
        config=project.config,
        channel_name=lambda c: CHANNEL_NAMES.get(language, CHANNEL_NAMES["en"]).get(c, c),
        emotion_name=lambda s: EMOTION_NAMES.get(language, EMOTION_NAMES["en"]).get(s, ""),
        score_label=score_label,
        date_label=lambda iso: date_label(iso, language),
        interval=interval,  # a 95% interval as every page writes it, by the survey's metric
    )
    if project.config.show_build_date:  # opt-in: it makes every build differ by day
        env.globals["build_date"] = build_date()
    env.filters["number"] = number
    return env


def build_date() -> str:
    return datetime.date.today().isoformat()


def static_files(project: Project) -> Iterator[tuple[str, Path]]:
    """(relative name, source path) of every asset that may be read, theme files shadowing
    built-in ones, in name order."""
    seen: set[str] = set()
    found: list[tuple[str, Path]] = []
    for directory, root in _dirs(project, "static"):
        for entry in safefs.walk(directory, root, safefs.MAX_ASSET_BYTES):
            name = "/".join(entry.parts)
            if not entry.problem and name not in seen:
                seen.add(name)
                found.append((name, Path(entry.path)))
    return iter(sorted(found))


def read_asset(project: Project, path: Path) -> bytes:
    root = project.root if not path.is_relative_to(BUILTIN) else BUILTIN.resolve()
    return safefs.read(path, root, safefs.MAX_ASSET_BYTES)
