"""`cjmsite.toml`: a small typed schema with defaults, unknown keys reported as warnings."""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cjmsite import safefs
from cjmsite.diagnostics import Report, did_you_mean
from cjmsite.i18n import STRINGS

CONFIG_FILE = "cjmsite.toml"
LANGUAGES = ("en", "es")
THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_CONFIG_BYTES = 256 * 1024
MAX_HISTORY_DEPTH = 200
AUDIENCES = ("internal", "public")
TABLES = ("site", "labels", "governance")
GOVERNANCE = ("evidence_max_age",)  # keys of [governance]; SiteConfig fields


@dataclass(frozen=True)
class SiteConfig:
    title: str = "Journey maps"
    language: str = "en"
    base_url: str = ""
    content_dir: str = "content"
    output_dir: str = "output"
    theme: str = "default"
    unsafe_html: bool = False
    description: str = ""
    show_build_date: bool = False
    git: bool = True  # "last updated" on pages and history pages, from git
    history_depth: int = 20  # commits on each journey's history page; 0: no history pages
    search_comments: bool = False  # survey comments in the search index (personal data?)
    # "internal" (everything) or "public": without what is marked `internal: true`
    # (cjmsite.site.audience); `cjmsite build --audience` overrides it.
    audience: str = "internal"
    # [governance] evidence_max_age: days after which an insight counts as aged.
    evidence_max_age: int = 365
    # [labels]: UI strings by key (cjmsite.i18n.STRINGS), e.g. journey = "Recorrido".
    labels: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    """Where everything is; all paths absolute."""

    root: Path
    config: SiteConfig

    @property
    def content(self) -> Path:
        return (self.root / self.config.content_dir).resolve()

    @property
    def output(self) -> Path:
        return (self.root / self.config.output_dir).resolve()

    @property
    def theme_dir(self) -> Path | None:
        if self.config.theme == "default" and not (self.root / "themes" / "default").is_dir():
            return None
        return (self.root / "themes" / self.config.theme).resolve()


def _line_of(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith((f"{key} ", f"{key}=", f'"{key}"')):
            return number
    return 1


def _read_config(path: Path, root: Path, report: Report) -> str | None:
    """The text of cjmsite.toml, or None (reported): UTF-8 only, a regular file, bounded."""
    try:
        raw = safefs.read(path, root, MAX_CONFIG_BYTES)
    except safefs.UnsafeFile as exc:
        report.error(CONFIG_FILE, 1, f"{CONFIG_FILE} {exc}")
        return None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.error(CONFIG_FILE, line, f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                        "save it as UTF-8")
        return None


def _parse_toml(text: str, report: Report) -> dict | None:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _toml_error_line(str(exc))
        report.error(CONFIG_FILE, line, f"TOML does not parse: {exc}")
    except RecursionError:
        report.error(CONFIG_FILE, 1, "TOML is nested too deeply (cjmsite.toml needs two "
                                     "levels: [site] and its keys)")
    except ValueError as exc:  # e.g. an integer over Python's 4,300-digit limit
        report.error(CONFIG_FILE, 1, f"TOML does not parse: {exc}")
    return None


def _inside(root: Path, key: str, value: str, text: str, report: Report) -> bool:
    """Content and output folders must lie inside the project: a repository must not
    point a build at (or make it replace) folders elsewhere on the machine. (`cjmsite
    build --output` is for output elsewhere: the person running it chooses.)"""
    try:
        inside = (root / value).resolve().is_relative_to(root)
    except (OSError, ValueError):
        inside = False
    if not inside:
        report.error(CONFIG_FILE, _line_of(text, key),
                     f"'site.{key}' is '{value}', which lies outside the project folder")
    return inside


def load_config(root: Path, report: Report) -> Project:
    """Read cjmsite.toml if present; every problem goes to `report`, defaults fill the gaps."""
    project = _load(root.resolve(), report)
    # The folders as they resolve, defaults included: `content` or `output` committed as
    # a symlink to a folder elsewhere must not be read or written through.
    for key, folder in (("content_dir", project.content), ("output_dir", project.output)):
        if not folder.is_relative_to(project.root):
            report.error(CONFIG_FILE, 1, f"'{getattr(project.config, key)}' ({key}) is a "
                                         "symlink to a folder outside the project")
    return project


def _load(root: Path, report: Report) -> Project:
    path = root / CONFIG_FILE
    if not os.path.lexists(path):
        return Project(root, SiteConfig())
    text = _read_config(path, root, report)
    data = _parse_toml(text, report) if text is not None else None
    if text is None or data is None:
        return Project(root, SiteConfig())
    for key in data:
        if key not in TABLES:
            report.warning(CONFIG_FILE, _table_line(text, key),
                           f"unknown table '[{key}]'{did_you_mean(key, TABLES)}")
    labels = _labels(data.get("labels", {}), text, report)
    governance = _governance(data.get("governance", {}), text, report)
    site = data.get("site", {})
    if not isinstance(site, dict):
        report.error(CONFIG_FILE, 1, "'site' must be a table: [site]")
        return Project(root, SiteConfig())
    fields = {f.name: f for f in dataclasses.fields(SiteConfig)
              if f.name not in ("labels", *GOVERNANCE)}
    values: dict[str, object] = {}
    for key, value in site.items():
        line = _line_of(text, key)
        if key not in fields:
            report.warning(CONFIG_FILE, line,
                           f"unknown key 'site.{key}'{did_you_mean(key, fields)}")
            continue
        expected = type(fields[key].default)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            report.error(CONFIG_FILE, line, f"'site.{key}' must be {expected.__name__}")
            continue
        if key in ("content_dir", "output_dir") and not _inside(root, key, value, text, report):
            continue
        if key == "history_depth" and not 0 <= value <= MAX_HISTORY_DEPTH:
            report.error(CONFIG_FILE, line, f"'site.history_depth' is {value}: use 0 (no "
                                            f"history pages) to {MAX_HISTORY_DEPTH} commits")
            continue
        if key == "audience" and value not in AUDIENCES:
            report.error(CONFIG_FILE, line, f"'site.audience' is '{value}', not one of: "
                                            f"{', '.join(AUDIENCES)}"
                                            f"{did_you_mean(value, AUDIENCES)}")
            continue
        if key == "theme" and not THEME_NAME.fullmatch(value):
            report.error(CONFIG_FILE, line, f"'site.theme' is '{value}': a theme is named by "
                                            "its folder in themes/ (letters, digits, '-', "
                                            "'_', '.'), not by a path")
            continue
        values[key] = value
    config = SiteConfig(**values, **governance, labels=labels)  # type: ignore[arg-type]
    if config.language not in LANGUAGES:
        report.error(CONFIG_FILE, _line_of(text, "language"),
                     f"'site.language' is '{config.language}', not one of: en, es"
                     f"{did_you_mean(config.language, LANGUAGES)}")
        config = dataclasses.replace(config, language="en")
    project = Project(root, config)
    theme = project.theme_dir
    if theme is not None and not theme.is_dir():
        report.error(CONFIG_FILE, _line_of(text, "theme"),
                     f"theme '{config.theme}' not found: expected a folder themes/{config.theme}/")
    elif theme is not None and not theme.is_relative_to(root):
        report.error(CONFIG_FILE, _line_of(text, "theme"),
                     f"theme '{config.theme}': themes/{config.theme} is a symlink to a folder "
                     "outside the project")
    return project


def _labels(table: object, text: str, report: Report) -> dict[str, str]:
    """`[labels]`: known UI string keys to non-empty text; anything else is reported."""
    if not isinstance(table, dict):
        report.error(CONFIG_FILE, _table_line(text, "labels"), "'labels' must be a table: "
                                                              "[labels]")
        return {}
    known = STRINGS["en"]
    labels = {}
    for key, value in table.items():
        line = _line_of(text, key)
        if key not in known:
            report.warning(CONFIG_FILE, line, f"unknown label 'labels.{key}'"
                                              f"{did_you_mean(key, known)}")
        elif not isinstance(value, str) or not value.strip():
            report.error(CONFIG_FILE, line, f"'labels.{key}' must be text")
        else:
            labels[key] = value.strip()
    return dict(sorted(labels.items()))


def _governance(table: object, text: str, report: Report) -> dict[str, int]:
    """`[governance]`: evidence_max_age (days, a positive whole number)."""
    if not isinstance(table, dict):
        report.error(CONFIG_FILE, _table_line(text, "governance"), "'governance' must be a "
                                                                  "table: [governance]")
        return {}
    out = {}
    for key, value in table.items():
        line = _line_of(text, key)
        if key not in GOVERNANCE:
            report.warning(CONFIG_FILE, line, f"unknown key 'governance.{key}'"
                                              f"{did_you_mean(key, GOVERNANCE)}")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            report.error(CONFIG_FILE, line, f"'governance.{key}' must be a whole number of "
                                            "days, 1 or more")
        else:
            out[key] = value
    return out


def _table_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip().startswith(f"[{key}"):
            return number
    return 1


def _toml_error_line(message: str) -> int:
    marker = "line "
    if marker in message:
        digits = message.split(marker, 1)[1].split(",")[0].split(")")[0]
        if digits.isdigit():
            return int(digits)
    return 1
