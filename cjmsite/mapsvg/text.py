"""Text measurement and word wrapping for SVG, where the renderer will not wrap for us.

Widths are estimated from a per-character table for a sans-serif face (in em); that keeps
layout pure and deterministic, and errs wide so text stays inside its cell."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_NARROW = set("il.,:;'|!ijlt()[]{}í ·")
_SEMI = set("frI-\"`1¡¿")
_WIDE = set("mwMW@%ÑOQGDHNUCÓ")


@lru_cache(maxsize=4096)
def char_em(ch: str) -> float:
    if ch in _NARROW:
        return 0.3
    if ch in _SEMI:
        return 0.4
    if ch in _WIDE:
        return 0.86
    if ch.isupper() or ch.isdigit():
        return 0.66
    if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0x2500:
        return 1.15  # emoji and wide glyphs
    if unicodedata.combining(ch):
        return 0.0
    return 0.56


@lru_cache(maxsize=65536)
def _em(text: str) -> float:
    return sum(map(char_em, text))


def text_width(text: str, size: float) -> float:
    return _em(text) * size


@dataclass(frozen=True)
class Wrapped:
    lines: tuple[str, ...]
    truncated: bool


def _split_long_word(word: str, width: float, size: float) -> list[str]:
    """A word wider than the cell (a URL, a long compound) is broken by characters."""
    pieces, current = [], ""
    for ch in word:
        if current and text_width(current + ch, size) > width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    return [*pieces, current] if current else pieces


def wrap(text: str, width: float, size: float, max_lines: int) -> Wrapped:
    """Greedy word wrap; past `max_lines` the last line ends in an ellipsis."""
    limit = width / size  # in em, so word widths are cached independently of the size
    space = char_em(" ")
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in text.split():
        word_em = _em(word)
        if current and used + space + word_em <= limit:
            current.append(word)
            used += space + word_em
            continue
        if current:
            lines.append(" ".join(current))
        if word_em > limit:
            *full, last = _split_long_word(word, width, size)
            lines.extend(full)
            current, used = [last], _em(last)
        else:
            current, used = [word], word_em
    if current:
        lines.append(" ".join(current))
    if len(lines) <= max_lines:
        return Wrapped(tuple(lines), False)
    kept = lines[:max_lines]
    last = kept[-1]
    while last and text_width(last + "…", size) > width:
        last = last[:-1].rstrip()
    kept[-1] = last + "…"
    return Wrapped(tuple(kept), True)
