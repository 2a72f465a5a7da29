"""A progress display for long builds and checks: counts and a bar per phase, on a
terminal only (rich draws it on stderr and removes it when done). Quiet when output is
not a terminal (CI logs, pipes) or with --quiet, and for phases too short to need one."""

from __future__ import annotations

import sys
from typing import Any

MIN_ITEMS = 500  # fewer files or pages than this finish before a bar would help


class Progress:
    """`phase(label, total)` starts a bar, `advance(n)` moves it, `close()` clears it.
    The base class shows nothing: what library code gets when nobody is watching."""

    def phase(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def checkpoint(self) -> None:
        """Called between files while reading content: where a caller may give the work
        up by raising (serve, for a newer save or past its time limit)."""

    def close(self) -> None:
        pass


NO_PROGRESS = Progress()


class TerminalProgress(Progress):
    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def phase(self, label: str, total: int) -> None:
        if total < MIN_ITEMS:
            self._task = None
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as Bars

            self._bar = Bars(TextColumn("{task.description}"), BarColumn(),
                             MofNCompleteColumn(), TimeElapsedColumn(),
                             console=Console(stderr=True), transient=True)
            self._bar.start()
        self._task = self._bar.add_task(label, total=total)

    def advance(self, count: int = 1) -> None:
        if self._task is not None:
            self._bar.advance(self._task, count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def for_terminal(quiet: bool) -> Progress:
    """A bar on an interactive terminal, else nothing."""
    return TerminalProgress() if not quiet and sys.stderr.isatty() else NO_PROGRESS
