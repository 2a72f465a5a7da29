"""What every lint rule works with: the context it reads and the findings it returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cjmsite import model


@dataclass(frozen=True)
class Finding:
    """One problem a rule found; its level and line are filled in by the runner."""

    code: str
    path: str  # project-relative source file
    message: str
    at: model.Where = ()  # key path in the file's front matter; () for the file itself
    journey: str = ""  # the journey's id, when it is about one
    id: str = ""  # the stage, gap, action, metric, persona or touchpoint it is about
    level: str = ""
    line: int = 1


@dataclass
class Context:
    """The site and the day the rules judge against."""

    site: model.Site
    today: dt.date
    review_every: int = 180  # [governance] default, in days
    evidence_max_age: int = 365  # [governance]: older insights count as absent (CJM303)
    cache: dict[str, object] = field(default_factory=dict)  # for rules sharing indexes

    def dated(self, text: str) -> dt.date | None:
        try:
            return dt.date.fromisoformat(text) if text else None
        except ValueError:
            return None


Check = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One row of the rule table: adding a rule is one of these."""

    code: str
    level: str  # default: error, warning or info
    title: str  # what it finds, one line (SARIF shortDescription, the docs' table)
    help: str  # why it matters and how to fix it (SARIF help, `--format text` legend)
    check: Check
