"""Persona pictures: what a file is, judged by its bytes, never by its name, and what is
published of it.

A persona's `image:` may name any file of the project. Copied as it was, under its own
name, `image: evil/index.html` replaced the persona's page and `image: ../../.git/config`
published a CI token. So a picture must be one of a few image formats, recognised by its
signature (PNG, JPEG, GIF, WebP, AVIF) or by parsing as an SVG document, and it is published
under a name cjmsite chooses (`picture.<format>`, beside the persona's `index.html`, never
over it). An SVG can carry scripts, event handlers and references to other files: it is
rewritten by svg-hush (Cloudflare's SVG sanitiser, through py-svg-hush), which keeps
the drawing and drops all of those."""

from __future__ import annotations

import re

# (format, the file's first bytes); WebP and AVIF carry theirs a few bytes in.
_SIGNATURES = (("png", b"\x89PNG\r\n\x1a\n"), ("jpg", b"\xff\xd8\xff"), ("gif", b"GIF87a"),
               ("gif", b"GIF89a"))
_SVG_ROOT = re.compile(rb'<\?xml[^>]*\?>\s*<svg[\s>/]')
FORMATS = "PNG, JPEG, GIF, WebP, AVIF or SVG"


class NotAnImage(Exception):
    """The file is not a picture cjmsite publishes; the message says why."""


def kind(data: bytes) -> str:
    """The picture's format, by its content: "png", "jpg", "gif", "webp", "avif" or
    "svg"; NotAnImage for anything else."""
    for name, signature in _SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return "avif"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in head:
        sanitised(data)  # an SVG is one only if it parses as one
        return "svg"
    raise NotAnImage(f"is not a {FORMATS} picture (judged by its content, not its name)")


def sanitised(svg: bytes) -> bytes:
    """The SVG without scripts, event handlers, foreign objects, DOCTYPEs or references to
    other files or sites; NotAnImage when it is not an SVG document."""
    from py_svg_hush import filter_svg  # only sites with SVG pictures load it

    try:
        clean = filter_svg(svg)
    except (ValueError, RuntimeError) as exc:
        raise NotAnImage(f"is not an SVG picture cjmsite can read ({exc})") from None
    if not _SVG_ROOT.match(clean):
        raise NotAnImage("is not an SVG picture: its outermost element is not <svg>")
    if b"javascript:" in clean.lower():  # left inert (an animation with no target): refuse
        raise NotAnImage("holds a javascript: link; cjmsite publishes no SVG with scripts")
    return clean


def published(data: bytes, expected: str) -> bytes:
    """The bytes to publish as `picture.<expected>`: a picture as it is, an SVG
    sanitised; NotAnImage when the file changed into something else since it was checked."""
    found = kind(data)
    if found != expected:
        raise NotAnImage(f"changed from {expected} to {found} during the build")
    return sanitised(data) if found == "svg" else data
