"""`python -m cjmsite` and the `cjmsite` command."""

import atexit
import os
import sys
from contextlib import suppress
from typing import NoReturn


def run() -> NoReturn:
    try:  # Ctrl-C while Python is still importing: a quiet exit, as at any later moment
        from cjmsite.cli import main
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    _leave(main())


def _leave(status: int) -> NoReturn:
    """Exit without freeing the heap one object at a time, which for a 10,000-file site
    takes a quarter of a second after everything is written (mypy's fast exit does the
    same). By then files are closed and worker pools shut down; exit handlers still run
    (they remove serve's and git's temporary folders) and the streams are flushed. Under a
    profiler or debugger (`python -m cProfile -m cjmsite ...`) the exit is the usual one:
    they write their reports after the program returns."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe (`cjmsite ... | head`)
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
