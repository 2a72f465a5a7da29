"""A map cell's contents, measured: the blocks of wrapped text a lane gives each stage,
their sizes, and what cells need besides the stage (the Context). The lane list
(cjmsite.mapsvg.lanes) makes them, the layout stacks them and the drawing draws them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from cjmsite import model
from cjmsite.hierarchy import Tree

SIZE = 13.0  # body font size in px
LINE = 17.0  # line height in px
PAD = 10.0  # cell padding
GAP = 6.0  # space between blocks in a cell
CHANNEL_MARKS = {
    "en": {"phone": "TEL", "in-person": "F2F", "email": "@", "sms": "SMS", "chat": "CHAT",
           "app": "APP", "web": "WEB", "social": "SOC", "mail": "POST", "other": "•••"},
    "es": {"phone": "TEL", "in-person": "PRES", "email": "@", "sms": "SMS", "chat": "CHAT",
           "app": "APP", "web": "WEB", "social": "RRSS", "mail": "POST", "other": "•••"},
}


@dataclass(frozen=True)
class Block:
    """One item in a cell: wrapped lines plus how to decorate and link them."""

    kind: str  # bullet | chip | thought | gap | metric | title
    lines: tuple[str, ...]
    full: str  # the whole text, kept in a <title> when the lines are cut
    truncated: bool = False
    href: str = ""
    cls: str = ""  # extra CSS class (severity, channel, metric result)
    badge: str = ""  # short mark drawn before the text (channel code, severity word)
    extra: tuple[str, ...] = ()  # second-level lines (metric value, gap change, moment)
    # A superscript count after the text: the insights a pain point or thought cites,
    # linking to them (`sup_href`), their titles in `sup_title`.
    sup: str = ""
    sup_href: str = ""
    sup_title: str = ""

    @property
    def height(self) -> float:
        body = (len(self.lines) + len(self.extra)) * LINE
        if self.kind in ("chip", "gap"):
            return body + 10 + (LINE if self.kind == "gap" else 0)
        return body


def badge_width(badge: str) -> float:
    """The rounded mark before a touchpoint's title (its channel code)."""
    return 10 + len(badge) * 7


@dataclass(frozen=True)
class Context:
    """What cells need besides the stage: names to look up, language, link prefix."""

    site: model.Site
    language: str
    t: Callable[[str], str]
    root: str  # relative prefix back to the site root
    closed_gaps: str = "muted"  # [map] closed_gaps: muted, hidden or shown

    @cached_property
    def tree(self) -> Tree:
        """The journeys' hierarchy, for stages that a sub-journey details: made once per
        map or page (it walks every journey), not once per such stage and lane."""
        return Tree(self.site)


def cell_height(blocks: list[Block]) -> float:
    if not blocks:
        return 0.0
    return sum(b.height for b in blocks) + GAP * (len(blocks) - 1) + 2 * PAD
