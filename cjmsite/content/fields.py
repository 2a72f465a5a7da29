"""Typed access to one front-matter mapping, reporting each problem at its key's line."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any

from cjmsite.content.slugs import fold
from cjmsite.content.source import SourceFile
from cjmsite.diagnostics import Report, did_you_mean

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MISSING = object()
_DECIMAL = re.compile(r"^-?\d+([.,]\d+)?$")


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else type(value).__name__


class Fields:
    """One mapping at `path` inside a source file; each getter validates and never raises."""

    def __init__(self, src: SourceFile, report: Report, data: dict[Any, Any], *path: str | int):
        self.src, self.report, self.data, self.path = src, report, data, path
        self.ok = True

    def line(self, key: str | int | None = None) -> int:
        return self.src.line(*self.path, key) if key is not None else self.src.line(*self.path)

    def where(self, key: str) -> str:
        """A readable key path, e.g. `gaps[1].actions[0].due`."""
        parts = ""
        for part in (*self.path, key):
            parts += f"[{part}]" if isinstance(part, int) else (f".{part}" if parts else part)
        return parts

    def error(self, key: str | int | None, message: str) -> None:
        self.ok = False
        self.report.error(self.src.rel, self.line(key), message)

    def _get(self, key: str, required: bool) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.error(None, f"missing required field '{self.where(key)}'")
            return _MISSING
        return value

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if type(value) is str and (value.strip() or not required):  # the usual case, fast
            return value.strip()
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"'{self.where(key)}' must be text, not {type_name(value)}")
            return default
        text = str(value).strip()
        if required and not text:
            self.error(key, f"'{self.where(key)}' must not be empty")
        return text

    def text_list(self, key: str, allow_single: bool = False) -> list[str]:
        value = self.data.get(key)
        if type(value) is list and all(type(item) is str for item in value):  # usual, fast
            return [item.strip() for item in value]
        value = self._get(key, False)
        if value is _MISSING:
            return []
        if allow_single and isinstance(value, str):
            return [value.strip()]
        if not isinstance(value, list):
            self.error(key, f"'{self.where(key)}' must be a list of text, not {type_name(value)}")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.src_error_at((*self.path, key, index),
                                  f"'{self.where(key)}[{index}]' must be text, "
                                  f"not {type_name(item)}")
                continue
            items.append(str(item).strip())
        return items

    def src_error_at(self, path: tuple[str | int, ...], message: str) -> None:
        self.ok = False
        self.report.error(self.src.rel, self.src.line(*path), message)

    def choice(self, key: str, allowed: Iterable[str], default: str,
               required: bool = False, words: dict[str, str] | None = None) -> str:
        value = self.text(key, required=required, default=default)
        allowed = list(allowed)
        if value in allowed:
            return value
        code = choice_code(value, allowed, words or {})
        if code is not None:
            return code
        if value or not required:
            hint = did_you_mean(value, [*allowed, *(words or {})])  # "cerada" -> cerrada
            self.error(key, f"'{self.where(key)}' is '{value}', not one of: "
                            f"{', '.join(allowed)}{hint}")
            return default
        return value

    def number(self, key: str, required: bool = False) -> float | None:
        value = self._get(key, required)
        if value is _MISSING:
            return None
        if isinstance(value, str) and _DECIMAL.match(value.strip()):
            value = float(value.strip().replace(",", "."))  # "3,9": a decimal comma
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(key, f"'{self.where(key)}' must be a number, not {type_name(value)}")
            return None
        if not math.isfinite(value):
            self.error(key, f"'{self.where(key)}' must be a finite number, not {value}")
            return None
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error(key, f"'{self.where(key)}' must be true or false, not {type_name(value)}")
            return default
        return value

    def date(self, key: str) -> str:
        value = self.text(key)
        if not value:
            return ""
        try:
            if not _DATE.match(value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            self.error(key, f"'{self.where(key)}' is '{value}', not a date as YYYY-MM-DD"
                            f"{date_hint(value)}")
            return ""
        return value

    def scale(self, key: str) -> tuple[int, int] | None:
        """`[min, max]`: two integers, the first below the second."""
        value = self._get(key, False)
        if value is _MISSING:
            return None
        if not (isinstance(value, list) and len(value) == 2
                and all(type(v) is int for v in value) and value[0] < value[1]):
            self.error(key, f"'{self.where(key)}' must be [min, max]: two whole numbers, the "
                            "first smaller, such as [1, 5]")
            return None
        return value[0], value[1]

    def mapping(self, key: str, depth: int = 2) -> dict[str, Any]:
        """A mapping of text to text, or (depth 2) to mappings of text to text; numbers
        as keys or values are read as their text ("5" for 5)."""
        value = self._get(key, False)
        if value is _MISSING:
            return {}
        out = self._texts(value, key, depth)
        return out if out is not None else {}

    def _texts(self, value: Any, key: str, depth: int) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(key, f"'{self.where(key)}' must be a mapping, not {type_name(value)}")
            return None
        out: dict[str, Any] = {}
        for k, v in value.items():
            if isinstance(v, dict) and depth > 1:
                inner = self._texts(v, key, depth - 1)
                if inner is None:
                    return None
                out[str(k).strip()] = inner
            elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
                out[str(k).strip()] = _cell_text(v)
            else:
                self.error(key, f"'{self.where(key)}.{k}' must be text, not {type_name(v)}")
                return None
        return out

    def raw(self, key: str) -> Any:
        return self.data.get(key)

    def check_unknown(self, known: Iterable[str]) -> None:
        allowed = known if isinstance(known, frozenset) else frozenset(known)
        for key in self.data:
            if str(key) not in allowed:
                self.report.warning(self.src.rel, self.line(str(key)),
                                    f"unknown field '{self.where(str(key))}'"
                                    f"{did_you_mean(str(key), known)}")


_DATE_PARTS = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")


def date_hint(text: str) -> str:
    """` (did you mean '2026-03-05'?)` for a date written another common way: unpadded,
    with slashes or dots, or day first as Spanish writes it (05/03/2026)."""
    found = _DATE_PARTS.match(text.strip())
    if not found:
        return ""
    a, b, c = found.groups()
    year, month, day = (a, b, c) if len(a) == 4 else (c, b, a) if len(c) == 4 else ("", "", "")
    try:
        return f" (did you mean '{dt.date(int(year), int(month), int(day)).isoformat()}'?)"
    except ValueError:
        return ""


def choice_code(value: str, allowed: Iterable[str], words: dict[str, str]) -> str | None:
    """The code a written value stands for: the code itself or one of `words`, in any
    case, with or without accents, spaces or hyphens alike ("En curso" -> in-progress)."""
    key = _folded(value)
    for code in allowed:
        if _folded(code) == key:
            return code
    for word, code in words.items():
        if _folded(word) == key:
            return code
    return None


def _folded(text: str) -> str:
    return "-".join(fold(text).replace("_", " ").replace("-", " ").split())


def _cell_text(value: str | int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def nested(parent: Fields, key: str, index: int, value: Any) -> Fields | None:
    """Fields for the mapping at `key[index]`, or None (reported) when it is not a mapping."""
    if not isinstance(value, dict):
        parent.src_error_at((*parent.path, key, index),
                            f"'{parent.where(key)}[{index}]' must be a mapping, "
                            f"not {type_name(value)}")
        return None
    return Fields(parent.src, parent.report, value, *parent.path, key, index)


def mapping_list(parent: Fields, key: str) -> list[Any]:
    value = parent.raw(key)
    if value is None:
        return []
    if not isinstance(value, list):
        parent.error(key, f"'{parent.where(key)}' must be a list, not {type_name(value)}")
        return []
    return value
