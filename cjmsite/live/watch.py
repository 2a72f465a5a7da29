"""Watch content/, themes/ and cjmsite.toml; a storm of events gives one rebuild.

`git checkout` of another branch can delete content/ and create it again (or rename
another folder into its place); an inotify watch dies with its folder, so the watcher
also listens to the project folder itself and watches the new folder when one appears."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserver

from cjmsite.config import CONFIG_FILE


class Watcher(FileSystemEventHandler):
    """Changes since the last `take()`. `wait()` returns as soon as the saved file is
    closed (inotify's close-after-write): an editor's save of an existing file starts
    work at once. Anything else waits for `delay` seconds of quiet: a write still under
    way, a poller (it sees no closes), and files that come, go or move (a `git checkout`
    is hundreds of those: one round, not a build of a half-changed tree). Changes that
    arrive while the caller works are kept for its next round, so a burst of saves
    costs one more round, not one per save."""

    def __init__(self, root: Path, content: Path, poll: bool = False, delay: float = 0.05):
        self.root, self.delay = root.resolve(), delay
        self.folders = [content.resolve(), self.root / "themes"]
        self.paths = [*self.folders, self.root / CONFIG_FILE]
        self._last = 0.0
        self._finished = False  # the newest event closed a written file
        self._settle = False  # files came, went or moved: wait for quiet
        self._changed: set[str] = set()
        self._structural = False  # a folder was made, moved or deleted
        self._pending = threading.Event()
        self._stopped = False
        self._lock = threading.Lock()
        self._watches: dict[Path, ObservedWatch] = {}
        self.observer = PollingObserver(timeout=0.5) if poll else Observer()
        self.observer.schedule(self, str(self.root), recursive=False)
        for folder in self.folders:
            self._follow(folder)
        self.observer.start()

    def _follow(self, folder: Path) -> None:
        """(Re)start the recursive watch of a folder that exists now."""
        with self._lock:
            old = self._watches.pop(folder, None)
            if old is not None:
                with contextlib.suppress(KeyError, OSError):  # it died with its folder
                    self.observer.unschedule(old)
            if folder.is_dir():
                # If it is gone again already, the next event at the root retries.
                with contextlib.suppress(OSError):
                    self._watches[folder] = self.observer.schedule(self, str(folder),
                                                                   recursive=True)

    def relevant(self, path: str) -> bool:
        target = Path(path)
        return any(target == p or target.is_relative_to(p) for p in self.paths)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [str(event.src_path), str(getattr(event, "dest_path", "") or "")]
        for folder in self.folders:
            if event.is_directory and str(folder) in paths and event.event_type in (
                    "created", "moved", "deleted"):
                self._follow(folder)
        relevant = [p for p in paths if p and self.relevant(p)]
        if relevant:
            with self._lock:
                self._changed.update(relevant)
                # (A file's save also "modifies" its folder: that is no structural change.)
                self._structural |= event.is_directory and event.event_type != "modified"
                self._last = time.monotonic()
                if not event.is_directory:  # a folder's "modified" trails its files' events
                    self._finished = event.event_type == "closed"
                self._settle |= event.event_type in ("created", "deleted", "moved")
            self._pending.set()

    def wait(self, timeout: float) -> bool:
        """True once there are changes and the last write is finished; False after
        `timeout`."""
        if not self._pending.wait(timeout) or self._stopped:
            return False
        while (self._settle or not self._finished) and \
                time.monotonic() - self._last < self.delay:
            time.sleep(0.002)
        return not self._stopped

    def take(self) -> tuple[set[str], bool]:
        """The changed paths seen so far, and whether a folder was among them; events
        after this start a new round."""
        with self._lock:
            self._pending.clear()
            changed, structural = self._changed, self._structural
            self._changed, self._structural = set(), False
            self._finished = self._settle = False
        return changed, structural

    def saved_since(self) -> bool:
        """Whether a file (not just a folder) changed since the last `take()`."""
        with self._lock:
            return any(not os.path.isdir(path) for path in self._changed)

    def stop(self) -> None:
        self._stopped = True
        self._pending.set()
        self.observer.stop()
        self.observer.join(timeout=5)


class _Background:
    """Runs `action` on a thread of its own after each settled round of changes (tests and
    embedders; `cjmsite serve` rebuilds on its main thread, see commands/serve.py)."""

    def __init__(self, watcher: Watcher, action: Callable[..., object]):
        self.watcher, self.action = watcher, action
        self.thread = threading.Thread(target=self._run, name="cjmsite-rebuild", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.watcher._stopped:
            if self.watcher.wait(0.5):
                # The action reports its own failures.
                self.action(*self.watcher.take(), superseded=self.watcher.saved_since)

    def stop(self) -> None:
        self.watcher.stop()


def watch(root: Path, content: Path, action: Callable[..., object], poll: bool = False):
    """Start watching, calling `action(changed paths, structural, superseded=...)` on a
    background thread; returns an object with stop()."""
    return _Background(Watcher(root, content, poll), action)
