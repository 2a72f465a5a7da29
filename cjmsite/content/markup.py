"""Markdown bodies to HTML, sanitised with nh3 (ammonia) unless the site opts into raw HTML."""

from __future__ import annotations

import html as html_lib
import re
import threading

import markdown
import nh3
from markdown.blockprocessors import BlockProcessor

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
# Built once: nh3.clean() converts the allow-lists into a new sanitiser on every call,
# three quarters of its time on a stage body.
_CLEANER = nh3.Cleaner(
    tags=_ALLOWED_TAGS,
    attributes=_ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "tel"},
    link_rel="noopener noreferrer",
)
_local = threading.local()
_BLOCK_TAG = re.compile(
    r"</?(?:p|li|ul|ol|dl|dt|dd|h[1-6]|br|hr|div|pre|blockquote|table|tr|td|th|figure)\b[^>]*>")
_TAG = re.compile(r"<[^>]+>")


def _converter() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
        _meter(md)
        _local.md = md
    return md


MAX_BRACKETS = 1_000  # Python-Markdown's inline patterns are quadratic in '[' and '<'
MAX_INDENT = 256  # columns: 64 levels of nested lists; Python-Markdown recurses per level
_INDENT = re.compile(rf"^[ \t]{{{MAX_INDENT + 1},}}", re.MULTILINE)
# Work, in steps of roughly 30-150 ns of Python-Markdown's time on a laptop (so the limit
# is a few seconds; cjmsite's whole docs/ folder as one 57 KB body needs 4% of it).
# Counted, not timed, so a body passes or fails the same way on every machine. Python-Markdown is
# quadratic in two places whatever the characters: a block (lines without a blank line
# between them) that its processors take one line at a time ('# h', '---', 'a/=' lines)
# is scanned again whole for each line, and a paragraph's text is rebuilt whole for each
# inline match ('*a*', '`', '&amp;', '\\*'). Each step of either is counted at its length.
MAX_WORK = 30_000_000
MAX_BLOCKS = 10_000  # Python-Markdown queues blocks in a list it pops from the front
_BLOCK_STEP = 1_000  # a block's fixed cost (its processors' tests, its element, its inline pass)
_MATCH_STEP = 500  # an inline match's fixed cost
_LINE_STEP = 32  # a line in a scan (split, stripped, matched) costs as much as 32 characters
_TICK_STEP = 16
_ENTITY_STEP = 400
_INLINE_SHARE = 8  # an inline rebuild copies characters: 1/8 of a block test's scan each
_BLANK = re.compile(r"\n[ \t>]*(?=\n)")  # between blocks, in quotes too
_FENCE = re.compile(r"^[ ]{0,3}(?:`{3,}|~{3,})", re.MULTILINE)


class _OverBudget(Exception):
    pass


class _Meter(BlockProcessor):
    """First in line for every block Python-Markdown parses: counts its length, takes
    nothing."""

    def __init__(self, parser, md: markdown.Markdown):
        super().__init__(parser)
        self.md = md

    def test(self, parent, block: str) -> bool:
        _spend(self.md, _BLOCK_STEP + _linear(block))
        return False

    def run(self, parent, blocks) -> bool:  # pragma: no cover - test() never says yes
        return False


def _linear(text: str) -> int:
    """A scan of `text`: its characters, and its lines, which processors split and strip."""
    return len(text) + _LINE_STEP * text.count("\n")


def _spend(md: markdown.Markdown, steps: int) -> None:
    md.cjm_work += steps
    if md.cjm_work > MAX_WORK:
        raise _OverBudget


def _meter(md: markdown.Markdown) -> None:
    """Count the work of every block step and inline match of `md` (see MAX_WORK)."""
    md.cjm_work = 0
    md.parser.blockprocessors.register(_Meter(md.parser, md), "cjm_meter", 1_000)
    for pattern in md.inlinePatterns:
        pattern.handleMatch = _metered(md, pattern.handleMatch)


def _metered(md: markdown.Markdown, handle):
    def handle_match(match, data=None):
        _spend(md, _MATCH_STEP + len(data or "") // _INLINE_SHARE)
        return handle(match, data)
    return handle_match


class MarkdownTooComplex(ValueError):
    """A body Python-Markdown would take minutes over, or recurse too deeply in."""


def render_markdown(text: str, unsafe_html: bool = False) -> str:
    """HTML for a body. Script, style, event handlers and javascript: URLs never survive
    unless `unsafe_html` is set in cjmsite.toml. Bodies that would cost Python-Markdown
    minutes (thousands of '[' or '<', more than MAX_WORK steps) or nest too deeply raise
    MarkdownTooComplex."""
    if not text.strip():
        return ""
    for mark, name in (("[", "'[' (links and images)"), ("<", "'<' (HTML tags)")):
        count = text.count(mark)
        if count > MAX_BRACKETS:
            raise MarkdownTooComplex(f"the body has {count:,} {name}, more than "
                                     f"{MAX_BRACKETS:,}: split it into smaller files")
    blocks = len(_BLANK.findall(text))
    if blocks > MAX_BLOCKS:
        raise MarkdownTooComplex(f"the body has {blocks:,} blocks (paragraphs, headings, "
                                 f"list items…) separated by blank lines, more than "
                                 f"{MAX_BLOCKS:,}: split it into smaller files")
    if _INDENT.search(text.expandtabs(4) if "\t" in text else text):
        raise MarkdownTooComplex(f"a line is indented more than {MAX_INDENT} columns (lists "
                                 "nested too deeply): flatten it")
    try:
        return _render(text, unsafe_html)
    except RecursionError:
        _local.md = None  # a converter that overflowed mid-way is not reused
        raise MarkdownTooComplex("the body is nested too deeply (lists or quotes inside "
                                 "each other hundreds of times)") from None
    except _OverBudget:
        _local.md = None
        raise MarkdownTooComplex(
            f"the body needs more than {MAX_WORK:,} steps of Markdown work (long runs of "
            "headings, rules or list lines without blank lines between them, or thousands "
            "of '*', '_', '`', '&' or '\\' in one paragraph): add blank lines between "
            "blocks or split it into smaller files") from None


def _render(text: str, unsafe_html: bool) -> str:
    md = _converter()
    md.reset()
    md.cjm_work = 0
    # one pass over the whole body (its preprocessors, serialising and sanitising: each
    # '&' is an event of Python's HTMLParser, each '`' a retry of the code span pattern),
    # and one more for each fenced code block: Python-Markdown searches the body again
    scan = _linear(text) + _TICK_STEP * text.count("`") + _ENTITY_STEP * text.count("&")
    _spend(md, scan + len(_FENCE.findall(text)) // 2 * scan // _INLINE_SHARE)
    html = md.convert(text)
    if unsafe_html:
        return html
    return _CLEANER.clean(html)


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
