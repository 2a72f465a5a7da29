"""Reading one content file: bytes -> text -> front matter (with key line numbers) + body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from cjmsite import safefs
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
# PyYAML's resolver, for _Loader's resolvers only (it has no path resolvers): each
# first character's patterns joined with the wildcard ones once, not on every scalar.
assert not _Loader.yaml_path_resolvers
_WILDCARD = tuple(_Loader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {first: (*resolvers, *_WILDCARD)
             for first, resolvers in _Loader.yaml_implicit_resolvers.items() if first is not None}


def _resolve(loader: yaml.BaseLoader, kind: type, value: str, implicit: tuple) -> str | None:
    """yaml.resolver.BaseResolver.resolve without path resolvers."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
                if regexp.match(value):
                    return tag
        return loader.DEFAULT_SCALAR_TAG
    if kind is yaml.SequenceNode:
        return loader.DEFAULT_SEQUENCE_TAG
    if kind is yaml.MappingNode:
        return loader.DEFAULT_MAPPING_TAG
    return None


_Loader.resolve = _resolve
# They keep track of where path resolvers apply: with none, they do nothing.
_Loader.descend_resolver = lambda loader, current_node, current_index: None
_Loader.ascend_resolver = lambda loader: None

_HANDLER = YAMLHandler()
MAX_DEPTH = 64  # front matter is a few levels deep; libyaml itself stops at 1,000
MAX_VALUES = 10_000  # values after alias expansion (a stage file has a few hundred)
MAX_DIGITS = 30  # an integer longer than this is a typo or an attack (Python's limit: 4,300)


def _refuse(tag: str):  # noqa: ANN202 - a PyYAML constructor
    def construct(loader: yaml.BaseLoader, node: yaml.Node) -> None:
        raise yaml.constructor.ConstructorError(
            None, None, f"YAML tag {tag} is not supported in front matter: write plain text, "
                        "numbers, lists and mappings", node.start_mark)
    return construct


def _int(loader: yaml.BaseLoader, node: yaml.Node) -> int:
    digits = sum(ch.isdigit() for ch in str(node.value))
    if digits > MAX_DIGITS:
        raise yaml.constructor.ConstructorError(
            None, None, f"a number with {digits:,} digits (more than {MAX_DIGITS})",
            node.start_mark)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


# Only plain data ever leaves the loader (dict, list, str, int, float, bool, None): the
# parse cache stores it as JSON, and nothing else is meaningful in front matter.
for _tag in ("set", "binary", "timestamp", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse(f"!!{_tag}"))
_Loader.add_constructor("tag:yaml.org,2002:int", _int)

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


def lines_of(path: str, rel: str) -> dict[Path_, int]:
    """The line of every key path of the file at `path` ({} when it does not read)."""
    return _lines_of(path, rel)


def _lines_of(path: str, rel: str) -> dict[Path_, int]:
    try:
        again = decode_source(safefs.read(path, Path("/"), safefs.MAX_CONTENT_BYTES), rel,
                              Report())
    except safefs.UnsafeFile:
        return {}
    if again is None or again.lines is None:
        return {}
    return again.lines


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _walk(root: yaml.Node, base: int) -> dict[Path_, int]:
    """The line of every key path, walking the composed nodes without recursion; refuses
    (with _Refused) aliases that contain themselves or expand past MAX_VALUES, nesting
    past MAX_DEPTH and duplicate keys. Checked before constructing, so nothing costly or
    endless is ever built."""
    out: dict[Path_, int] = {}
    stack: list[tuple[yaml.Node, Path_, frozenset[int]]] = [(root, (), frozenset())]
    seen = 0
    while stack:
        node, prefix, above = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise _Refused(base + node.start_mark.line,
                           f"YAML aliases expand to more than {MAX_VALUES:,} values")
        if len(prefix) > MAX_DEPTH:
            raise _Refused(base + node.start_mark.line,
                           f"YAML is nested more than {MAX_DEPTH} levels deep")
        if id(node) in above:
            raise _Refused(base + node.start_mark.line, "YAML alias refers to itself")
        if isinstance(node, yaml.ScalarNode):
            _printable(node, base)
        if isinstance(node, yaml.MappingNode):
            inside = above | {id(node)}
            keys: dict[object, int] = {}
            children = []
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    _printable(key_node, base)
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
                line = base + key_node.start_mark.line
                if key in keys and key != "<<":
                    raise _Refused(line, f"duplicate key '{key}' (also line {keys[key]})")
                keys[key] = line
                path = (*prefix, key)
                out.setdefault(path, line)
                children.append((value_node, path, inside))
            stack.extend(reversed(children))
        elif isinstance(node, yaml.SequenceNode):
            inside = above | {id(node)}
            children = []
            for index, item in enumerate(node.value):
                path = (*prefix, index)
                out.setdefault(path, base + item.start_mark.line)
                children.append((item, path, inside))
            stack.extend(reversed(children))
    return out


_FALLBACK = object()  # what _construct returns when the file needs PyYAML's own constructor
_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "map", "seq"))
_SCALARS = {  # the constructors of _Loader for plain scalars, nothing else
    "tag:yaml.org,2002:null": lambda loader, node: None,
    "tag:yaml.org,2002:bool": yaml.SafeLoader.construct_yaml_bool,
    "tag:yaml.org,2002:int": _int,
    "tag:yaml.org,2002:float": yaml.SafeLoader.construct_yaml_float,
}


def _scalar(loader: yaml.BaseLoader, node: yaml.Node) -> object:
    """A scalar node's value as _Loader constructs it (text is taken as is by the
    caller), or _FALLBACK."""
    construct = _SCALARS.get(node.tag)
    if construct is None:
        return _FALLBACK
    try:
        return construct(loader, node)
    except Exception:  # noqa: BLE001 - PyYAML's own constructor reports it
        return _FALLBACK


def _construct(loader: yaml.BaseLoader, root: yaml.Node, base: int, front: str
               ) -> tuple[object, dict[Path_, int]]:
    """The document's data and the line of every key path in one walk, with _walk's
    checks in _walk's order (so the same first problem is refused). Front matter is plain
    mappings, lists and scalars; anything else (an alias, a merge key, a tag, a key that
    is not text, a number PyYAML refuses) returns _FALLBACK data, and the caller uses
    _walk and PyYAML's constructor, whose results this equals (tests/test_source_yaml.py).
    Without a '&' in `front` there is no anchor, so no node comes twice; without a '\\'
    no scalar can hold a control character (only an escape brings one in)."""
    out: dict[Path_, int] = {}
    top: list[object] = [None]
    stack: list[tuple[yaml.Node, Path_, Any, Any]] = [(root, (), top, 0)]
    shared = "&" in front
    escaped = "\\" in front
    built: set[int] = set()
    seen = 0
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    while stack:
        node, prefix, into, slot = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise _Refused(base + node.start_mark.line,
                           f"YAML aliases expand to more than {MAX_VALUES:,} values")
        if len(prefix) > MAX_DEPTH:
            raise _Refused(base + node.start_mark.line,
                           f"YAML is nested more than {MAX_DEPTH} levels deep")
        if shared:  # an alias: PyYAML shares the object (and _walk checks for cycles)
            if id(node) in built:
                return _FALLBACK, out
            built.add(id(node))
        kind = type(node)
        if kind is scalar_node:
            if escaped:
                _printable(node, base)
            into[slot] = node.value if node.tag == _STR else _scalar(loader, node)
            if into[slot] is _FALLBACK:
                return _FALLBACK, out
        elif kind is mapping_node:
            if node.tag != _MAP:
                return _FALLBACK, out
            mapping: dict[Any, Any] = {}
            into[slot] = mapping
            keys: dict[object, int] = {}
            children = []
            for key_node, value_node in node.value:
                if type(key_node) is not scalar_node:
                    return _FALLBACK, out
                if escaped:
                    _printable(key_node, base)
                key = key_node.value
                line = base + key_node.start_mark.line
                if key in keys and key != "<<":
                    raise _Refused(line, f"duplicate key '{key}' (also line {keys[key]})")
                keys[key] = line
                built_key = key if key_node.tag == _STR else _scalar(loader, key_node)
                if built_key is _FALLBACK:  # a merge key ('<<') among them
                    return _FALLBACK, out
                path = (*prefix, key)
                out.setdefault(path, line)
                children.append((value_node, path, mapping, built_key))
            stack.extend(reversed(children))
        elif kind is sequence_node:
            if node.tag != _SEQ:
                return _FALLBACK, out
            items: list[Any] = [None] * len(node.value)
            into[slot] = items
            children = []
            for index, item in enumerate(node.value):
                path = (*prefix, index)
                out.setdefault(path, base + item.start_mark.line)
                children.append((item, path, items, index))
            stack.extend(reversed(children))
        else:  # a subclass of a node kind: not something PyYAML's composer makes
            return _FALLBACK, out
    return top[0], out


# What no HTML or SVG page may hold (XML 1.0 forbids these characters). libyaml refuses
# them written out, but a double-quoted "\x00" or "\e" escape would bring them in.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _printable(node: yaml.ScalarNode, base: int) -> None:
    found = _UNPRINTABLE.search(node.value)
    if found:
        raise _Refused(base + node.start_mark.line,
                       f"the text has a control character (U+{ord(found.group()):04X}) that "
                       "no page can show: remove the escape that makes it")


def _is_tab(text: str, line: int, column: int) -> bool:
    """Whether libyaml stopped at a tab (its message does not say so)."""
    rows = text.split("\n")
    return line < len(rows) and "\t" in rows[line][: column + 1]


_OPENED = {"while parsing a flow sequence": "the '[' list",
           "while parsing a flow mapping": "the '{' mapping",
           "while scanning a quoted scalar": "the quoted text"}


def _quote_hint(front: str, line: int) -> str:
    """What to do when a value holds ': ' (YAML reads it as a second key): quote it."""
    lines = front.split("\n")
    text = lines[line] if 0 <= line < len(lines) else ""
    key, sep, value = text.partition(": ")
    value = value.strip()
    if not sep or not key.strip() or not value:
        return "; put text that contains ': ' in quotes"
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"; put text that contains ': ' in quotes: {key.strip()}: {quoted}"


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
    loader = None
    lines: dict[Path_, int] = {}
    try:
        # in the try: PyYAML's pure-Python reader (no libyaml) checks the characters here
        loader = _Loader(front)
        node = loader.get_single_node()
        data: Any = {}
        if node is not None:
            data, lines = _construct(loader, node, base, front)
            if data is _FALLBACK:
                lines = _walk(node, base)
                data = loader.construct_document(node)
    except _Refused as exc:
        report.error(rel, exc.line, exc.message)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = base + mark.line if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        if mark and _is_tab(front, mark.line, mark.column):
            problem = "YAML does not allow tabs for indentation: use spaces"
        elif mark and problem.startswith("mapping values are not allowed"):
            problem += _quote_hint(front, mark.line)
        elif mark and exc.context_mark and exc.context in _OPENED and \
                exc.context_mark.line != mark.line:
            # The parser stops where it gave up, often lines after the bracket or quote
            # that was left open: name that line too.
            problem += (f"; {_OPENED[exc.context]} opened on line "
                        f"{base + exc.context_mark.line} is not closed")
        report.error(rel, line, f"YAML does not parse: {problem}")
        return None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        report.error(rel, 1, f"YAML does not parse: {exc}")
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error(rel, base, "front matter must be a mapping of 'key: value' lines")
        return None
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
