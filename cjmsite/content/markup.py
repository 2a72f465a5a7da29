"""Markdown bodies to HTML, sanitised with nh3 (ammonia) unless the site opts into raw HTML."""

from __future__ import annotations

import html as html_lib
import re
import threading

import markdown
import nh3

_EXTENSIONS = ["extra", "sane_lists"]
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "details", "summary", "figure", "figcaption", "mark", "sup", "sub", "dl", "dt", "dd",
    "hr", "img", "pre", "code", "kbd", "abbr", "del", "ins", "s",
}
_ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "code": {"class"},
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
}
_local = threading.local()
_BLOCK_TAG = re.compile(
    r"</?(?:p|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|div|pre|blockquote|table|tr|td|th|figure)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def _converter() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        _local.md = md
    return md


MAX_BRACKETS = 1_000  # Python-Markdown's inline patterns are quadratic in '[' and '<'
MAX_INDENT = 256  # columns: 64 levels of nested lists; Python-Markdown recurses per level
_INDENT = re.compile(rf"^[ \t]{{{MAX_INDENT + 1},}}", re.MULTILINE)


class MarkdownTooComplex(ValueError):
    """A body Python-Markdown would take minutes over, or recurse too deeply in."""


def render_markdown(text: str, unsafe_html: bool = False) -> str:
    """HTML for a body. Script, style, event handlers and javascript: URLs never survive
    unless `unsafe_html` is set in cjmsite.toml. Bodies that would cost Python-Markdown
    minutes (thousands of '[' or '<') or nest too deeply raise MarkdownTooComplex."""
    if not text.strip():
        return ""
    for mark, name in (("[", "'[' (links and images)"), ("<", "'<' (HTML tags)")):
        count = text.count(mark)
        if count > MAX_BRACKETS:
            raise MarkdownTooComplex(f"the body has {count:,} {name}, more than "
                                     f"{MAX_BRACKETS:,}: split it into smaller files")
    if _INDENT.search(text.expandtabs(4) if "\t" in text else text):
        raise MarkdownTooComplex(f"a line is indented more than {MAX_INDENT} columns (lists "
                                 "nested too deeply): flatten it")
    try:
        return _render(text, unsafe_html)
    except RecursionError:
        _local.md = None  # a converter that overflowed mid-way is not reused
        raise MarkdownTooComplex("the body is nested too deeply (lists or quotes inside "
                                 "each other hundreds of times)") from None


def _render(text: str, unsafe_html: bool) -> str:
    md = _converter()
    html = md.reset().convert(text)
    if unsafe_html:
        return html
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def plain_text(html: str) -> str:
    """The words of rendered HTML, for search and summaries."""
    words = _TAG.sub("", _BLOCK_TAG.sub(" ", html)).split()
    return html_lib.unescape(" ".join(words))


def plain_summary(html: str, limit: int = 160) -> str:
    """First words of a rendered body as plain text, for meta descriptions and previews."""
    text = plain_text(html)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
