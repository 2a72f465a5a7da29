"""A dict kept on disk between builds as a few dozen pickles, one per hash bucket of keys.

A one-file edit changes a handful of entries, so only their buckets are written again,
instead of re-pickling tens of megabytes of cache on every rebuild."""

from __future__ import annotations

import os
import pickle
import shutil
import zlib
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

SHARDS = 64


def _shard(key: str) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % SHARDS


class ShardedStore(MutableMapping[str, Any]):
    """`folder/name-version/NN.pickle`; other versions' folders are removed on save.
    A missing or unreadable bucket is simply empty: it is only a cache."""

    def __init__(self, folder: Path | None, name: str, version: str):
        self.path = folder / f"{name}-{version}" if folder else None
        self.name = name
        self.shards: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
        self.dirty: set[int] = set()
        if self.path and self.path.is_dir():
            for index in range(SHARDS):
                self.shards[index] = self._read(self.path / f"{index:02d}.pickle")

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            with open(path, "rb") as file:
                data = pickle.load(file)
            return data if isinstance(data, dict) else {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                ValueError, TypeError):
            return {}

    def __getitem__(self, key: str) -> Any:
        return self.shards[_shard(key)][key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.shards[_shard(key)].get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.shards[_shard(key)]

    def __setitem__(self, key: str, value: Any) -> None:
        index = _shard(key)
        self.shards[index][key] = value
        self.dirty.add(index)

    def __delitem__(self, key: str) -> None:
        index = _shard(key)
        del self.shards[index][key]
        self.dirty.add(index)

    def __iter__(self) -> Iterator[str]:
        for shard in self.shards:
            yield from shard

    def __len__(self) -> int:
        return sum(len(shard) for shard in self.shards)

    def save(self) -> None:
        if not self.path or not self.dirty:
            return
        self.path.mkdir(parents=True, exist_ok=True)
        for stale in self.path.parent.glob(f"{self.name}-*"):
            if stale == self.path:
                continue
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)
        for index in sorted(self.dirty):
            target = self.path / f"{index:02d}.pickle"
            tmp = target.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps(self.shards[index], protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, target)
        self.dirty = set()
