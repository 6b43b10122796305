"""Time limits and prompt interrupts for commands whose work runs in native code.

A query runs inside pyoxigraph (Rust), which releases the GIL but never looks at Python's
signals: a Ctrl-C waits until the query ends, and nothing bounds how long that is. So the CLI
runs a command's work in a daemon thread and the main thread only waits: it sees Ctrl-C at once,
and `within` gives up after a time limit. A runaway thread cannot be stopped, so `unkg.cli.main`
ends the process (`os._exit`) when one is still running.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from unkg.errors import StoreError

T = TypeVar("T")

THREAD_PREFIX = "unkg-work"
DEFAULT_TIMEOUT = 60.0


def _start(fn: Callable[[], T], name: str) -> tuple[threading.Thread, dict[str, object]]:
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["result"] = fn()
        except BaseException as err:  # handed to the waiting thread, which re-raises it
            outcome["error"] = err

    thread = threading.Thread(target=target, name=f"{THREAD_PREFIX}-{name}", daemon=True)
    thread.start()
    return thread, outcome


def _wait(thread: threading.Thread, outcome: dict[str, object], timeout: float | None) -> bool:
    """Wait in short steps (a long join would delay a Ctrl-C); False when the time is up."""
    import time

    deadline = None if timeout is None else time.monotonic() + timeout
    while thread.is_alive():
        left = 0.1 if deadline is None else min(0.1, deadline - time.monotonic())
        if left <= 0:
            return False
        thread.join(left)
    return True


def interruptible(fn: Callable[[], T]) -> T:
    """`fn()` in a worker thread, waited for in short steps so that a Ctrl-C (KeyboardInterrupt
    in the main thread) is raised here within a tenth of a second."""
    thread, outcome = _start(fn, "command")
    _wait(thread, outcome, None)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("result")  # type: ignore[return-value]


def within(seconds: float, fn: Callable[[], T], *, what: str = "the query") -> T:
    """`fn()`, or a StoreError when it has not finished after `seconds` (it keeps running in
    its thread until the process ends)."""
    from unkg.errors import UsageError

    if not seconds > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, got {seconds}")
    thread, outcome = _start(fn, "limited")
    if not _wait(thread, outcome, seconds):
        raise StoreError(f"{what} did not finish within {seconds:g} s (--timeout)")
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome.get("result")  # type: ignore[return-value]


def runaway() -> bool:
    """True when a worker thread is still running (after a time limit or an interrupt)."""
    return any(t.is_alive() and t.name.startswith(THREAD_PREFIX) for t in threading.enumerate())
