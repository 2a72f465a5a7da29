"""Per-file parsing (YAML + Markdown), the costly part of loading: cached and parallel.

A file's result depends only on its bytes and the code, so it is cached by its stat stamp
(safefs.stamp: size, mtime and ctime) and content hash, and files are parsed in a process
pool when there are enough of them."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from cjmsite import safefs
from cjmsite.content.markup import MarkdownTooComplex, render_markdown
from cjmsite.content.source import Path_, SourceFile, decode_source, lines_of
from cjmsite.diagnostics import Diagnostic, Report
from cjmsite.pool import fork_map, workers
from cjmsite.progress import NO_PROGRESS, Progress
from cjmsite.store import Raw, ShardedStore, encode_value

PARALLEL_MIN_FILES = 300  # below this a pool costs more than it saves
_root = functools.lru_cache(maxsize=8)(Path)  # one Path for the thousands of files of a root


@dataclass(slots=True)
class Parsed:
    source: SourceFile | None
    digest: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __reduce__(self) -> tuple:
        return (Parsed, (self.source, self.digest, self.diagnostics))


def parse_one(path: str, rel: str, unsafe_html: bool, root: str = "/") -> Parsed:
    """One file's front matter, body HTML and problems. Read through safefs (the walk
    checked the file, but it may have been swapped for a FIFO or a link out since)."""
    try:
        raw = safefs.read(path, _root(root), safefs.MAX_CONTENT_BYTES)
    except safefs.UnsafeFile as exc:
        report = Report()
        report.error(rel, 1, f"{rel.rsplit('/', 1)[-1]} {exc}")
        return Parsed(None, "", report.items)
    return parse_bytes(raw, rel, unsafe_html)


def parse_bytes(raw: bytes, rel: str, unsafe_html: bool) -> Parsed:
    """A file's bytes parsed as if read from `rel` (a working-tree file, or a revision's
    copy from git: history pages)."""
    report = Report()
    source = decode_source(raw, rel, report)
    if source is not None:
        try:
            source.html = render_markdown(source.body, unsafe_html)
        except MarkdownTooComplex as exc:
            report.error(rel, _body_line(raw), f"Markdown body not rendered: {exc}")
            return Parsed(None, blob_id(raw), report.items)
        source.body = ""  # only its HTML is used from here on: a third less to cache
        source.lines = None  # read again if a message needs a line (see SourceFile.line)
    return Parsed(source, blob_id(raw), report.items)


def blob_id(raw: bytes) -> str:
    """A file's digest, computed as git names a file's contents: it identifies the
    content for fingerprints, and tells committed files from changed ones without asking
    git to look at the working tree (which could run a repository's filters)."""
    return hashlib.sha1(b"blob %d\0%b" % (len(raw), raw)).hexdigest()


def _body_line(raw: bytes) -> int:
    """The line where the body starts: after the closing '---' of the front matter."""
    lines = raw.split(b"\n")
    closing = next((i for i, line in enumerate(lines[1:], 1) if line.strip() == b"---"), 0)
    return closing + 2


def _parse_encoded(batch: list[tuple[str, str, bool, str, tuple[int, int]]]
                   ) -> list[tuple[Parsed, str]]:
    out = []
    for path, rel, unsafe_html, root, (size, changed) in batch:
        parsed = parse_one(path, rel, unsafe_html, root)
        out.append((parsed, encode_value(_entry_data((size, changed, parsed)))))
    return out


class ParseCache:
    """rel path -> (size, change stamp, Parsed), kept in the user's cache folder (see
    cjmsite.store), invalidated by `version`."""

    def __init__(self, folder: Path | None, version: str):
        self.version = version
        self.entries = ShardedStore(folder, "parsed", version, _entry_data, _entry)

    def save(self) -> None:
        self.entries.save()

    def parsed(self, rel: str) -> Parsed | None:
        """This build's parse of a working-tree file (after parse_all), if any."""
        hit = self.entries.get(rel)
        return hit[2] if hit else None


def _entry_data(entry: tuple[int, int, Parsed]) -> list:
    size, changed, parsed = entry
    src = parsed.source
    return [size, changed, parsed.digest,
            None if src is None else [src.rel, src.data, src.body, src.html],
            [[d.path, d.line, d.level, d.message] for d in parsed.diagnostics]]


def _entry(data: list) -> tuple[int, int, Parsed]:
    """The inverse of _entry_data; anything of another shape raises ValueError, so a
    damaged entry is dropped, never half-used."""
    size, changed, digest, src, items = data
    _expect(size, int), _expect(changed, int), _expect(digest, str)
    source = None
    if src is not None:
        rel, front, body, html = src
        _expect(rel, str), _expect(front, dict), _expect(body, str), _expect(html, str)
        source = SourceFile(rel=rel, data=front, body=body, lines=None, html=html)
    diagnostics = []
    for path, line, level, message in items:
        _expect(path, str), _expect(line, int), _expect(message, str)
        if level not in ("error", "warning"):
            raise ValueError(f"unknown level {level!r}")
        diagnostics.append(Diagnostic(path, line, level, message))
    return size, changed, Parsed(source, digest, diagnostics)


def _expect(value: object, kind: type) -> None:
    if type(value) is not kind:
        raise ValueError(f"expected {kind.__name__}, found {type(value).__name__}")


def parse_all(files: list[tuple[str, str, tuple[int, int]]], unsafe_html: bool,
              cache: ParseCache | None = None, root: str = "/",
              progress: Progress = NO_PROGRESS, prune: bool = True) -> dict[str, Parsed]:
    """Parse every (path, rel, stamp) (safefs.stamp), reusing cached results for files
    whose stamp is unchanged. `prune` drops cached files not among `files` (a
    build's whole list); serve's quick pass over one journey keeps them."""
    results: dict[str, Parsed] = {}
    todo: list[tuple[str, str, bool, str]] = []
    stats: dict[str, tuple[int, int]] = {}
    for path, rel, stat in files:
        stats[rel] = stat
        hit = cache.entries.get(rel) if cache else None
        if hit and hit[:2] == stats[rel]:
            results[rel] = hit[2]
        else:
            todo.append((path, rel, unsafe_html, root))
    if len(todo) >= PARALLEL_MIN_FILES and workers() > 1:
        # Workers also encode their cache entries: on a full build that is most of the
        # cost of saving the cache, and here it runs in parallel.
        batches = _batches([(*item, stats[item[1]]) for item in todo])
        progress.phase("reading content", len(todo))
        encoded = [p for batch in fork_map(_parse_encoded, batches, progress)
                   for p in batch]
        parsed = [result for result, _ in encoded]
        texts = [text for _, text in encoded]
        for (_, rel, _, _), result, text in zip(todo, parsed, texts, strict=True):
            results[rel] = result
            if cache is not None:
                cache.entries[rel] = Raw((*stats[rel], result), text)
    else:
        for item in todo:
            # Each file is kept as soon as it is parsed: work given up at a checkpoint
            # (serve, for a newer save) is not done again by the next build.
            progress.checkpoint()
            rel = item[1]
            results[rel] = parse_one(*item)
            if cache is not None:
                cache.entries[rel] = (*stats[rel], results[rel])
    if cache is not None and prune:
        for rel in set(cache.entries) - set(stats):
            del cache.entries[rel]
    return results


def key_lines(root: str, rels: list[str]) -> list[dict[Path_, int]]:
    """The key lines of each file (source.lines_of: its front matter read again, as the
    parse cache keeps no lines), in forked workers when there are many: lint places a
    finding in nearly every stage file of a large site."""
    items = [(f"{root}/{rel}", rel) for rel in rels]
    if len(items) < PARALLEL_MIN_FILES or workers() == 1:
        return _key_lines(items)
    return [lines for batch in fork_map(_key_lines, _batches(items)) for lines in batch]


def _batches(items: list) -> list[list]:
    """Files split for fork_map: four batches a worker (so a slow one evens out), each of
    at least 50 files."""
    size = max(50, len(items) // (workers() * 4))
    return [items[i:i + size] for i in range(0, len(items), size)]


def _key_lines(items: list[tuple[str, str]]) -> list[dict[Path_, int]]:
    return [lines_of(path, rel) for path, rel in items]
