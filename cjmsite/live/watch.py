"""Watch content/, themes/ and cjmsite.toml; a storm of events gives one rebuild."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from cjmsite.config import CONFIG_FILE


class Debouncer(FileSystemEventHandler):
    """Calls `action` once the watched files have been quiet for `delay` seconds."""

    def __init__(self, action: Callable[[], None], paths: list[Path], delay: float = 0.2):
        self.action, self.delay = action, delay
        self.paths = [p.resolve() for p in paths]
        self._last = 0.0
        self._pending = threading.Event()
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="cjmsite-rebuild", daemon=True)
        self.thread.start()

    def relevant(self, path: str) -> bool:
        target = Path(path)
        return any(target == p or target.is_relative_to(p) for p in self.paths)

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if any(p and self.relevant(str(p)) for p in paths):
            self._last = time.monotonic()
            self._pending.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._pending.wait(0.5):
                continue
            while time.monotonic() - self._last < self.delay:
                time.sleep(self.delay / 4)
            self._pending.clear()
            if not self._stop.is_set():
                self.action()

    def stop(self) -> None:
        self._stop.set()
        self._pending.set()


def watch(root: Path, content: Path, action: Callable[[], None], poll: bool = False):
    """Start watching; returns an object with stop()."""
    root = root.resolve()
    paths = [content, root / "themes", root / CONFIG_FILE]
    handler = Debouncer(action, paths)
    observer = PollingObserver(timeout=0.5) if poll else Observer()
    observer.schedule(handler, str(root), recursive=False)
    for folder in (content, root / "themes"):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.start()

    class _Watch:
        def stop(self) -> None:
            handler.stop()
            observer.stop()
            observer.join(timeout=5)

    return _Watch()
