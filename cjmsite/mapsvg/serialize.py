"""Serialise an svgwrite drawing straight to text.

svgwrite's own `tostring()` converts every element to an ElementTree node and then runs
ElementTree's pure-Python serialiser: half of the map's render time. This walks svgwrite's
elements directly and writes the same markup (sorted attributes, CDATA styles)."""

from __future__ import annotations

from xml.etree import ElementTree

from svgwrite.base import BaseElement, Desc, Title
from svgwrite.container import Script
from svgwrite.drawing import Drawing
from svgwrite.path import Path
from svgwrite.shapes import Polyline
from svgwrite.utils import strlist


class Node:
    """A leaf-ish SVG element (rect, line, text, tspan) without svgwrite's per-element
    set-up, which is most of a map's render time: a map has thousands of them. It has what
    svgwrite containers and both serialisers read: elementname, attribs, elements, text."""

    __slots__ = ("elementname", "attribs", "elements", "text")

    def __init__(self, elementname: str, text: str = "", **attribs: str):
        self.elementname, self.text = elementname, text
        self.attribs = attribs
        self.elements: list = []

    def add(self, element):
        self.elements.append(element)
        return element

    def __setitem__(self, name: str, value: str) -> None:
        self.attribs[name] = value

    def get_xml(self) -> ElementTree.Element:
        """For svgwrite's own tostring(), which the tests compare with ours."""
        xml = ElementTree.Element(self.elementname)
        for name, value in sorted(self.attribs.items()):
            if value is not None and str(value):
                xml.set(name, str(value))
        if self.text:
            xml.text = self.text
        for child in self.elements:
            xml.append(child.get_xml())
        return xml


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;",
                       "\r": "&#13;", "\t": "&#09;"})
_NAMESPACES = {
    "xmlns": "http://www.w3.org/2000/svg",
    "xmlns:xlink": "http://www.w3.org/1999/xlink",
}


def _attributes(attribs: dict) -> str:
    parts = []
    for name, value in sorted(attribs.items()):
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            value = " ".join(str(v) for v in value)
        text = str(value)
        if text:
            parts.append(f' {name}="{text.translate(_ATTR)}"')
    return "".join(parts)


def _write_node(node: Node, out: list[str]) -> None:
    """The common case, kept lean: string attributes, at most text and tspans inside."""
    attrs = "".join([f' {k}="{v.translate(_ATTR)}"' for k, v in sorted(node.attribs.items())
                     if v])
    name = node.elementname
    if node.elements or node.text:
        out.append(f"<{name}{attrs}>{node.text.translate(_TEXT)}")
        for child in node.elements:
            _write(child, out)
        out.append(f"</{name}>")
    else:
        out.append(f"<{name}{attrs} />")


def _write(element: BaseElement | Node | Title | Desc, out: list[str]) -> None:
    if type(element) is Node:
        _write_node(element, out)
        return
    if isinstance(element, (Title, Desc)):
        node = element.xml
        attrs = _attributes(dict(node.attrib))
        out.append(f"<{node.tag}{attrs}>{(node.text or '').translate(_TEXT)}</{node.tag}>")
        return
    name = element.elementname
    attribs = element.attribs
    if isinstance(element, Path):  # these two keep their geometry outside `attribs`
        attribs = {**attribs, "d": str(strlist(element.commands, " "))}
    elif isinstance(element, Polyline):
        attribs = {**attribs, "points": element.points_to_string(element.points)}
    out.append(f"<{name}{_attributes(attribs)}")
    text = element.text if name in ("text", "tspan") else None
    content = element._content if isinstance(element, Script) else ""
    if not element.elements and not text and not content:
        out.append(" />")
        return
    out.append(">")
    if text:
        out.append(str(text).translate(_TEXT))
    if content:
        out.append(f"<![CDATA[{content}]]>")
    for child in element.elements:
        _write(child, out)
    out.append(f"</{name}>")


def to_svg(drawing: Drawing) -> str:
    attribs = {**drawing.attribs, **_NAMESPACES, "baseProfile": drawing.profile,
               "version": drawing.version}
    out = [f"<svg{_attributes(attribs)}>"]
    for child in drawing.elements:
        _write(child, out)
    out.append("</svg>")
    return "".join(out)
