"""Reading one content file: bytes -> text -> front matter (with key line numbers) + body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from cjmsite.diagnostics import Report

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML with two YAML 1.2 habits: dates stay strings (so a bad date is our message,
    not a crash) and only true/false are booleans (so a phase called "No" stays text)."""


_DROPPED = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _DROPPED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

_HANDLER = YAMLHandler()

Path_ = tuple[str | int, ...]


@dataclass(slots=True)
class SourceFile:
    """A parsed content file. `lines` maps a key path such as ("gaps", 0, "title") to its line.

    The parse cache stores files without `lines` (a third of its load time) and `line()`
    reads them again from `path` the first time a message needs one: most files never do."""

    rel: str
    data: dict[str, Any]
    body: str
    lines: dict[Path_, int] | None = field(default_factory=dict)
    html: str = ""  # the body rendered to (sanitised) HTML
    path: str = ""  # where to read `lines` from when they were dropped; never pickled

    def __reduce__(self) -> tuple:
        """Pickled as constructor arguments, which loads a fifth faster than the default
        attribute-by-attribute state."""
        return (SourceFile, (self.rel, self.data, self.body, self.lines, self.html))

    def line(self, *path: str | int) -> int:
        """The line of the deepest known key on `path`, falling back to the front matter start."""
        if self.lines is None:
            self.lines = _lines_of(self.path, self.rel)
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return 1  # the opening '---' line


def _lines_of(path: str, rel: str) -> dict[Path_, int]:
    try:
        with open(path, "rb") as file:
            again = decode_source(file.read(), rel, Report())
    except OSError:
        return {}
    if again is None or again.lines is None:
        return {}
    return again.lines


def _record_lines(node: yaml.Node, base: int, prefix: Path_, out: dict[Path_, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            path = (*prefix, key)
            out[path] = base + key_node.start_mark.line
            _record_lines(value_node, base, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = (*prefix, index)
            out[path] = base + item.start_mark.line
            _record_lines(item, base, path, out)


def parse_text(rel: str, text: str, report: Report) -> SourceFile | None:
    """Split and parse front matter; report problems against `rel` and return None on failure."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not _HANDLER.detect(text):
        report.error(rel, 1, "missing front matter: the file must start with a '---' line")
        return None
    try:
        front, body = _HANDLER.split(text)
    except ValueError:
        report.error(rel, 1, "front matter is not closed: add a '---' line after it")
        return None
    base = 1  # the split keeps the newline after '---', so YAML line 0 is file line 1
    loader = _Loader(front)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = base + mark.line if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        report.error(rel, line, f"YAML does not parse: {problem}")
        return None
    except yaml.YAMLError as exc:
        report.error(rel, 1, f"YAML does not parse: {exc}")
        return None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error(rel, base, "front matter must be a mapping of 'key: value' lines")
        return None
    lines: dict[Path_, int] = {}
    _record_lines(node, base, (), lines)
    return SourceFile(rel=rel, data=data, body=body, lines=lines)


def decode_source(raw: bytes, rel: str, report: Report) -> SourceFile | None:
    """Decode UTF-8 (BOM and CRLF accepted); bad bytes are reported with their line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.error(rel, line,
                     f"file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        return None
    return parse_text(rel, text, report)
