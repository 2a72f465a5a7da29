"""Ids and URL slugs as the content format defines them."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify

_ORDER_PREFIX = re.compile(r"^(\d+)[-_ ]")


def split_order_prefix(name: str) -> tuple[int | None, str]:
    """`03-recepcion` -> (3, "recepcion"); names without a numeric prefix keep None."""
    match = _ORDER_PREFIX.match(name)
    if match and match.end() < len(name):
        return int(match.group(1)), name[match.end():]
    return None, name


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """Lower-case ASCII with accents folded and everything else turned into '-'. Cached:
    python-slugify compiles a regular expression per call, and rebuilds ask for the same
    names again and again."""
    return slugify(text, lowercase=True, separator="-")


def title_slug(text: str, limit: int = 60) -> str:
    """An id made from a title: its slug, at most `limit` characters, cut at a word."""
    full = slug(text)
    if len(full) <= limit:
        return full
    cut = full[:limit]
    return cut if full[limit] == "-" else (cut.rsplit("-", 1)[0] or cut)


def fold(text: str) -> str:
    """Case- and accent-insensitive form, for matching words such as 'mágica' and 'magica'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()
