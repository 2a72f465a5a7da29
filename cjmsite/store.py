"""Caches kept between builds: outside the project, data only, integrity-checked.

A repository is built by CI from pull requests, so nothing in the project folder may be
read back as a cache: a planted entry could hold HTML that skipped sanitising, or (with
pickle, which this replaced) run code. Caches live in the user's cache folder, in a
subfolder named by a hash of the project's path, so a repository can neither plant nor
name one. Each file is JSON (it can only ever hold data) behind a SHA-256 of its bytes:
a truncated, flipped or foreign file is simply ignored, and the build then equals a
clean build.

A one-file edit changes a handful of entries, so a store is a few dozen files, one per
hash bucket of keys, and only the buckets that changed are written again."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import shutil
import zlib
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import orjson

SHARDS = 64
FORMAT = b"cjmsite-cache/1"
CACHE_ENV = "CJMSITE_CACHE_DIR"  # set by whoever runs cjmsite (CI), never by the project
_TAG = "\0"  # key of a tagged object: bytes, or a mapping whose keys are not all text


def cache_folder(root: Path) -> Path | None:
    """This project's cache folder, or None when no user cache folder can be made (the
    build then simply runs without a cache)."""
    base = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "cjmsite")
    name = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogatepass")).hexdigest()
    folder = Path(base) / name[:24]
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


# -- data only: JSON plus two tags, so bytes and non-text keys survive a round trip --

def pack(value: Any) -> Any:
    """`value` as JSON-ready data. Tuples come back as lists."""
    kind = type(value)
    if kind is dict:
        if _TAG not in value and all(type(key) is str for key in value):
            return {key: pack(item) for key, item in value.items()}
        return {_TAG: "map", "v": [[pack(key), pack(item)] for key, item in value.items()]}
    if kind is list or kind is tuple:
        return [pack(item) for item in value]
    if kind is bytes:
        return {_TAG: "bytes", "v": value.decode("utf-8", "surrogateescape")}
    if kind is float and not math.isfinite(value):  # YAML's .nan and .inf: not JSON
        return {_TAG: "float", "v": repr(value)}
    if value is None or kind in (str, int, float, bool):
        return value
    raise TypeError(f"cannot cache {kind.__name__}")


def unpack(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        tag = value.get(_TAG)
        if tag is None:
            return {key: unpack(item) for key, item in value.items()}
        if tag == "bytes":
            return value["v"].encode("utf-8", "surrogateescape")
        if tag == "map":
            return {_key(unpack(key)): unpack(item) for key, item in value["v"]}
        if tag == "float" and value["v"] in ("nan", "inf", "-inf"):
            return float(value["v"])
        raise ValueError(f"unknown cache tag {tag!r}")
    if kind is list:
        return [unpack(item) for item in value]
    return value


def _key(key: Any) -> Any:
    if isinstance(key, (list, dict)):
        raise ValueError("unhashable key in cache")
    return key


def encode_value(value: Any) -> str:
    """A value's JSON text, packed."""
    return _json(pack(value))


def _json(data: Any) -> str:
    """JSON text of packed data. orjson writes it several times faster than json (a full
    build encodes every parsed file and every piece); json is kept for what orjson
    refuses: text with lone surrogates (names read with surrogateescape), huge ints."""
    try:
        return orjson.dumps(data).decode("utf-8")
    except TypeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _seal(payload: bytes) -> bytes:
    return b"%s %s\n%s" % (FORMAT, hashlib.sha256(payload).hexdigest().encode(), payload)


def encode(value: Any) -> bytes:
    return _seal(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"))


def decode(data: bytes) -> tuple[Any, bool]:
    """The stored value and whether it holds tagged objects (JSON escapes the tag's NUL,
    so an untagged file, the usual case, needs no unpacking); ValueError when the file
    is not one of ours, intact."""
    header, _, payload = data.partition(b"\n")
    parts = header.split(b" ")
    if len(parts) != 2 or parts[0] != FORMAT or \
            parts[1] != hashlib.sha256(payload).hexdigest().encode():
        raise ValueError("not an intact cjmsite cache file")
    try:  # orjson reads these files 2-3x faster than json (they hold most of a rebuild)
        value = orjson.loads(payload)
    except orjson.JSONDecodeError:  # a lone surrogate written with "surrogatepass"
        value = json.loads(payload.decode("utf-8", "surrogatepass"))
    return value, b"\\u0000" in payload


def read_file(path: Path) -> Any:
    """A cache file's value (unpacked), or None when it is missing, foreign or damaged."""
    try:
        with open(path, "rb") as file:
            value, tagged = decode(file.read())
        return unpack(value) if tagged else value
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None


def write_file(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(encode(value))
    os.replace(tmp, path)


def _same(value: Any) -> Any:
    return value


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


class ShardedStore(MutableMapping[str, Any]):
    """`folder/name-version/NN.json`; other versions' folders are removed on save.

    A bucket is read the first time one of its keys is looked up, and its values unpacked
    when first read: a rebuild that changes nothing never reads the whole-site pieces. A
    bucket that is missing, damaged or from another format is empty: it is only a cache."""

    def __init__(self, folder: Path | None, name: str, version: str,
                 to_data: Callable[[Any], Any] = _same, from_data: Callable[[Any], Any] = _same):
        """`to_data`/`from_data` turn a value into plain data and back; `from_data` raises
        ValueError (or TypeError, KeyError) on anything it does not recognise."""
        self.path = folder / f"{name}-{version}" if folder else None
        self.name = name
        self.to_data, self.from_data = to_data, from_data
        self._shards: list[dict[str, Any] | None] = [None] * SHARDS
        self.dirty: set[int] = set()
        if not (self.path and self.path.is_dir()):
            self._shards = [{} for _ in range(SHARDS)]

    def _bucket(self, index: int) -> dict[str, Any]:
        shard = self._shards[index]
        if shard is None:
            assert self.path is not None
            shard = self._shards[index] = self._read(self.path / f"{index:02d}.json")
        return shard

    @property
    def shards(self) -> list[dict[str, Any]]:
        return [self._bucket(index) for index in range(SHARDS)]

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            with open(path, "rb") as file:
                data, tagged = decode(file.read())
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {key: _Packed(value, tagged) for key, value in data.items()}

    def __getitem__(self, key: str) -> Any:
        shard = self._bucket(_shard(key))
        value = shard[key]
        if type(value) is Raw:
            return value.value
        if type(value) is _Packed:
            try:
                data = unpack(value.data) if value.tagged else value.data
                value = shard[key] = self.from_data(data)
            except (ValueError, TypeError, KeyError, IndexError, RecursionError):
                del shard[key]
                raise KeyError(key) from None
        return value

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._bucket(_shard(key))

    def __setitem__(self, key: str, value: Any) -> None:
        index = _shard(key)
        self._bucket(index)[key] = value
        self.dirty.add(index)

    def __delitem__(self, key: str) -> None:
        index = _shard(key)
        del self._bucket(index)[key]
        self.dirty.add(index)

    def __iter__(self) -> Iterator[str]:
        for shard in self.shards:
            yield from shard

    def __len__(self) -> int:
        return sum(len(shard) for shard in self.shards)

    def save(self) -> None:
        if not self.path or not self.dirty:
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            for stale in self.path.parent.glob(f"{self.name}-*"):
                if stale != self.path:
                    shutil.rmtree(stale, ignore_errors=True)
            for index in sorted(self.dirty):
                self._write(index)
        except OSError:
            return  # a full disk or a read-only cache: the next build simply does more work
        self.dirty = set()


    def _write(self, index: int) -> None:
        """One bucket as a JSON object, joined from each value's text (values encoded in
        worker processes come with theirs)."""
        parts = []
        for key, value in self._bucket(index).items():
            if type(value) is Raw:
                text = value.text
            elif type(value) is _Packed:
                text = _json(value.data)
            else:
                text = encode_value(self.to_data(value))
            parts.append(f"{json.dumps(key, ensure_ascii=False)}:{text}")
        payload = ("{" + ",".join(parts) + "}").encode("utf-8", "surrogatepass")
        path = self.path / f"{index:02d}.json"  # type: ignore[operator]
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_seal(payload))
        os.replace(tmp, path)


class Raw:
    """A value stored together with its JSON text, encoded where it was made."""

    __slots__ = ("value", "text")

    def __init__(self, value: Any, text: str):
        self.value, self.text = value, text


class _Packed:
    """A value as read from disk, unpacked on first use."""

    __slots__ = ("data", "tagged")

    def __init__(self, data: Any, tagged: bool):
        self.data, self.tagged = data, tagged


class Remembered:
    """The last result and its key, in memory and (unless `path` is None) in the user's
    cache folder, in the store's checked format."""

    def __init__(self, path: Path | None = None):
        self.path, self.key, self.value = path, "", None

    def get(self, key: str) -> Any:
        if self.key != key and self.path is not None:
            data = read_file(self.path)
            if isinstance(data, dict) and data.get("key") == key \
                    and isinstance(data.get("value"), dict):
                self.key, self.value = key, data["value"]
        return self.value if self.key == key else None

    def put(self, key: str, value: Any) -> None:
        self.key, self.value = key, value
        if self.path is not None:
            # A cache that cannot be written is only slower next time.
            with contextlib.suppress(OSError):
                write_file(self.path, {"key": key, "value": value})
