"""Collected content problems: every error at once, each as `path:line: level: message`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

# Characters a terminal acts on or that reorder what it shows: C0 and C1 controls (ESC
# starts OSC 52 clipboard writes, title changes, colours; BEL rings), DEL, and the bidi
# controls behind "Trojan Source" (CVE-2021-42574). Anything a message quotes from a file
# is shown with these escaped, so a file cannot drive the terminal or a CI log.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                          "\u2066-\u2069\u2028\u2029]")
EXCERPT = 40  # characters of a cell, a header or a value a message quotes at most


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 256 else f"\\u{ord(char):04x}")


def printable(text: str) -> str:
    """`text` with every control character escaped as `\\x1b`, `\\n`, `\\u202e`: one line,
    shown as it is, whatever a file put in it."""
    return _UNPRINTABLE.sub(_escape, text)


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """What a message quotes of a cell or value: its first `limit` characters, escaped,
    with "…" when there is more (a file named as responses may be anything: a message
    must not copy it to a CI log)."""
    short = text if len(text) <= limit else text[:limit] + "…"
    return printable(short)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    level: str  # "error" or "warning"
    message: str
    place: str = ""  # written instead of the line: "Hoja1!12" for a worksheet's row

    def __str__(self) -> str:
        return printable(f"{self.path}:{self.place or self.line}: {self.level}: "
                         f"{self.message}")


@dataclass
class Report:
    """Accumulates diagnostics instead of raising, so a user sees all problems in one run."""

    items: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # summary lines, printed before the total
    # Ids by kind ("persona", "journey"...) whose files are there but could not be read:
    # their read error is the problem, and every "unknown persona 'x'" after it only noise.
    unread: dict[str, set[str]] = field(default_factory=dict)

    def cannot_read(self, kind: str, id_: str) -> None:
        self.unread.setdefault(kind, set()).add(id_)

    def knock_on(self, kind: str, ref: str) -> bool:
        """Whether a reference to `ref` fails only because its file could not be read."""
        return ref in self.unread.get(kind, ())

    def error(self, path: str, line: int, message: str) -> None:
        self.items.append(Diagnostic(path, line, "error", message))

    def warning(self, path: str, line: int, message: str, place: str = "") -> None:
        self.items.append(Diagnostic(path, line, "warning", message, place))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        """Diagnostics found elsewhere (a worker process, a cached parse, a render)."""
        self.items.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level == "warning"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def shown(self, strict: bool = False) -> list[Diagnostic]:
        """What to print, in order; under --strict warnings are shown as the errors they
        count as (the CLI and serve both print these)."""
        return [Diagnostic(d.path, d.line, "error", d.message, d.place)
                if strict and d.level == "warning" else d for d in self.sorted()]

    def summary(self, strict: bool = False) -> str:
        errors = len(self.errors) + (len(self.warnings) if strict else 0)
        warnings = 0 if strict else len(self.warnings)
        text = f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
        if warnings:  # unknown fields and rows left out are warnings: say what they cost
            text += ": some content may be missing from the site, see the warnings above"
        return text

    def sorted(self) -> list[Diagnostic]:
        """Stable order (by file, then line) so output is reproducible and diffable; a
        folder's index.md before the other files in it (a journey before its stages), so
        a root cause there is read before what it causes."""
        def key(d: Diagnostic) -> tuple:
            folder, _, name = d.path.rpartition("/")
            return (folder, name != "index.md", name, d.line, d.level, d.message)
        return sorted(set(self.items), key=key)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `word`, or None when nothing is close."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A ` (did you mean 'x'?)` suffix, or '' when nothing is close."""
    match = closest(word, candidates)
    return f" (did you mean '{match}'?)" if match else ""
