"""Ids and URL slugs as the content format defines them."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify

_ORDER_PREFIX = re.compile(r"^(\d+)[-_ ]")


def split_order_prefix(name: str) -> tuple[int | None, str]:
    """`03-recepcion` -> (3, "recepcion"); names without a numeric prefix keep None."""
    match = _ORDER_PREFIX.match(name)
    if match and match.end() < len(name):
        return int(match.group(1)), name[match.end():]
    return None, name


# Every slug made so far, kept between CLI builds in the user's cache folder
# (cjmsite.incremental.caches): python-slugify transliterates and runs several regular
# expressions per call, ~0.1 ms, and a large site asks for thousands of the same slugs
# (every gap's id) on every build: that was a sixth of a one-stage rebuild.
_MEMO: dict[str, str] = {}
MEMO_LIMIT = 100_000  # past this the memo starts over (a long serve, renamed titles)


def slug(text: str) -> str:
    """Lower-case ASCII with accents folded and everything else turned into '-'.
    Transliterated by text-unidecode, named: the default ('auto') would take Unidecode
    wherever something else installed it (other slugs on that machine), and looks for it
    again on every call where it is not (two thirds of a slug's time)."""
    found = _MEMO.get(text)
    if found is None:
        if len(_MEMO) >= MEMO_LIMIT:
            _MEMO.clear()
        found = _MEMO[text] = slugify(text, lowercase=True, separator="-",
                                      backend="text-unidecode")
    return found


def known_slugs() -> dict[str, str]:
    """The memo, to save."""
    return _MEMO


def remember_slugs(saved: object) -> None:
    """Slugs saved by an earlier build (what is not text to text is ignored)."""
    if isinstance(saved, dict) and len(saved) < MEMO_LIMIT:
        _MEMO.update((k, v) for k, v in saved.items()
                     if isinstance(k, str) and isinstance(v, str))


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
