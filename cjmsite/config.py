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


CLOSED_GAPS = ("muted", "hidden", "shown")
LINT_LEVELS = ("error", "warning", "info")
MAX_REVIEW_DAYS = 3650


@dataclass(frozen=True)
class LintConfig:
    """[lint]: rule codes or prefixes to select and ignore, and levels by code; the codes
    are checked against the rule table by `cjmsite lint` (unknown ones at `lines`)."""

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # (code, level), in file order
    lines: tuple[tuple[str, int], ...] = ()  # (code as written, its line in cjmsite.toml)


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
    # [map] closed_gaps: how closed and wont-fix gaps are drawn on maps.
    closed_gaps: str = "muted"
    # [governance] review_every: days after `reviewed:` a journey is due for review.
    review_every: int = 180
    lint: LintConfig = dataclasses.field(default_factory=LintConfig)


# Keys of SiteConfig read from tables other than [site]: table -> keys.
OTHER_TABLES = {"map": ("closed_gaps",), "governance": ("review_every", "evidence_max_age")}
TABLES = ("site", "labels", *OTHER_TABLES, "lint")


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
    extra = _other_tables(data, text, report)
    lint = _lint(data.get("lint", {}), text, report)
    site = data.get("site", {})
    if not isinstance(site, dict):
        report.error(CONFIG_FILE, 1, "'site' must be a table: [site]")
        return Project(root, SiteConfig())
    fields = {f.name: f for f in dataclasses.fields(SiteConfig)
              if f.name not in ("labels", "lint", *sum(OTHER_TABLES.values(), ()))}
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
    config = SiteConfig(**values, **extra, labels=labels, lint=lint)  # type: ignore[arg-type]
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


def _other_tables(data: dict, text: str, report: Report) -> dict[str, object]:
    """[map] and [governance]: one typed key each, checked like [site]'s."""
    defaults = SiteConfig()
    out: dict[str, object] = {}
    for table, keys in OTHER_TABLES.items():
        values = data.get(table, {})
        if not isinstance(values, dict):
            report.error(CONFIG_FILE, _table_line(text, table), f"'{table}' must be a table: "
                                                                f"[{table}]")
            continue
        for key, value in values.items():
            line = _line_of(text, key)
            default = getattr(defaults, key, None)
            if key not in keys:
                report.warning(CONFIG_FILE, line, f"unknown key '{table}.{key}'"
                                                  f"{did_you_mean(key, keys)}")
            elif type(value) is not type(default):
                report.error(CONFIG_FILE, line, f"'{table}.{key}' must be "
                                                f"{type(default).__name__}")
            elif key == "closed_gaps" and value not in CLOSED_GAPS:
                report.error(CONFIG_FILE, line, f"'map.closed_gaps' is '{value}', not one of: "
                                                f"{', '.join(CLOSED_GAPS)}"
                                                f"{did_you_mean(value, CLOSED_GAPS)}")
            elif key in ("review_every", "evidence_max_age") and \
                    not 1 <= value <= MAX_REVIEW_DAYS:
                report.error(CONFIG_FILE, line, f"'governance.{key}' is {value}: write "
                                                f"a number of days from 1 to {MAX_REVIEW_DAYS}")
            else:
                out[key] = value
    return out


def _lint(table: object, text: str, report: Report) -> LintConfig:
    """[lint] select/ignore (lists of codes or prefixes) and [lint.severity] (code ->
    error, warning or info). Whether the codes exist is `cjmsite lint`'s to say."""
    if not isinstance(table, dict):
        report.error(CONFIG_FILE, _table_line(text, "lint"), "'lint' must be a table: [lint]")
        return LintConfig()
    lists: dict[str, tuple[str, ...]] = {}
    written: list[str] = []
    for key, value in table.items():
        if key in ("select", "ignore"):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                report.error(CONFIG_FILE, _line_of(text, key), f"'lint.{key}' must be a list "
                                                               'of rule codes, e.g. ["CJM1"]')
                continue
            lists[key] = tuple(v.strip().upper() for v in value)
            written += value
        elif key != "severity":
            report.warning(CONFIG_FILE, _line_of(text, key), f"unknown key 'lint.{key}'"
                           f"{did_you_mean(key, ('select', 'ignore', 'severity'))}")
    levels = table.get("severity", {})
    severity: list[tuple[str, str]] = []
    if not isinstance(levels, dict):
        report.error(CONFIG_FILE, _table_line(text, "lint.severity"),
                     "'lint.severity' must be a table: [lint.severity]")
        levels = {}
    for code, level in levels.items():
        if level not in LINT_LEVELS:
            report.error(CONFIG_FILE, _line_of(text, code),
                         f"'lint.severity.{code}' is '{level}', not one of: "
                         f"{', '.join(LINT_LEVELS)}{did_you_mean(str(level), LINT_LEVELS)}")
            continue
        severity.append((code.strip().upper(), level))
        written.append(code)
    lines = tuple((code, _code_line(text, code)) for code in dict.fromkeys(written))
    return LintConfig(lists.get("select", ()), lists.get("ignore", ()), tuple(severity), lines)


def _code_line(text: str, code: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if code in line.split("#", 1)[0]:
            return number
    return 1


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
