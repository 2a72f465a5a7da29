"""The one XML writer: journey maps, sparklines and the sitemap, with escaping in one place.

A map has thousands of elements; a slotted node and a direct serialiser write it several
times faster than building an ElementTree (what svgwrite does) and keep the output stable:
attributes sorted by name, empty ones left out, `<style>` as CDATA. The tests validate
every map element and attribute against svgwrite's SVG 1.1 Full profile."""

from __future__ import annotations

from functools import lru_cache

SVG_NAMESPACES = {
    "xmlns": "http://www.w3.org/2000/svg",
    "xmlns:xlink": "http://www.w3.org/1999/xlink",
}
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;",
                       "\r": "&#13;", "\t": "&#09;"})


# str.translate looks every character up in its table (~0.2 µs each for Spanish text):
# most values need no escape, and finding that out is a few fast scans.
def text(value: str) -> str:
    """Escaped character data."""
    if "&" in value or "<" in value or ">" in value:
        return value.translate(_TEXT)
    return value


def attr(value: str) -> str:
    """Escaped attribute value (for double quotes)."""
    if ("&" in value or "<" in value or ">" in value or '"' in value or "\n" in value
            or "\r" in value or "\t" in value):
        return value.translate(_ATTR)
    return value


_text = text  # for the functions below whose parameter is called `text`


@lru_cache(maxsize=8192)  # a map repeats the same few hundred coordinates thousands of times
def num(value: float) -> str:
    """A coordinate with one decimal at most: "12", "12.5"."""
    out = f"{value:.1f}"
    return out[:-2] if out.endswith(".0") else out


class Node:
    """An element: name, attributes (strings; empty ones are not written), children and
    text. `cdata` is written raw inside CDATA (stylesheets). A child is a Node, or the
    markup of a finished element from `leaf` (most of a map's thousand elements: building
    and walking a node for each was half of a map's time)."""

    __slots__ = ("tag", "attrs", "children", "text", "cdata")

    def __init__(self, tag: str, text: str = "", attrs: dict[str, str] | None = None,
                 cdata: str = ""):
        self.tag, self.text, self.cdata = tag, text, cdata
        self.attrs = attrs if attrs is not None else {}
        self.children: list[Node | str] = []

    def add(self, child: Node) -> Node:
        self.children.append(child)
        return child

    def put(self, markup: str) -> None:
        """A finished element (from `leaf`) as the next child."""
        self.children.append(markup)

    def __setitem__(self, name: str, value: str) -> None:
        self.attrs[name] = value


def node(tag: str, text: str = "", **attrs: str) -> Node:
    """`node("rect", x="1", class_="bg")`: a trailing underscore is dropped from names."""
    return Node(tag, text, {name.rstrip("_"): value for name, value in attrs.items()})


def leaf(tag: str, text: str = "", **attrs: str) -> str:
    """The markup of an element without children, written at once (as `node` + `write`
    would write it)."""
    head = _open(tag, {name.rstrip("_"): value for name, value in attrs.items()})
    return f"{head}{_text(text)}</{tag}>" if text else head[:-1] + " />"


def _open(tag: str, attrs: dict[str, str]) -> str:
    return "".join([f"<{tag}", *[f' {k}="{attr(v)}"'
                                 for k, v in sorted(attrs.items()) if v], ">"])


def write(root: Node) -> str:
    out: list[str] = []
    _write(root, out)
    return "".join(out)


def _write(element: Node, out: list[str]) -> None:
    head = _open(element.tag, element.attrs)
    if not element.children and not element.text and not element.cdata:
        out.append(head[:-1] + " />")
        return
    out.append(head)
    if element.text:
        out.append(text(element.text))
    if element.cdata:
        out.append(f"<![CDATA[{element.cdata}]]>")
    for child in element.children:
        if isinstance(child, str):
            out.append(child)
        else:
            _write(child, out)
    out.append(f"</{element.tag}>")


def svg_root(width: str, height: str, **attrs: str) -> Node:
    """An <svg> element as maps use it (SVG 1.1 Full, the xlink namespace for links)."""
    root = node("svg", width=width, height=height, baseProfile="full", version="1.1", **attrs)
    root.attrs.update(SVG_NAMESPACES)
    return root
