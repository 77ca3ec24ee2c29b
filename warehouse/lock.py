"""The writer lock: one run at a time reads, loads and publishes a warehouse.

A lock file next to the warehouse (``<warehouse>.lock``) is held with ``fcntl.flock`` from the
moment a run reads the stored state until its snapshot is published, so two runs never
interleave (a second run computing from a state the first is replacing would drop the first
one's work). The kernel releases the lock when the holder exits, however it exits (SIGKILL
included): there is never a stale lock to remove by hand. A second run waits up to `timeout`
seconds (default 30, or ``TIMELINE_LOCK_TIMEOUT``), then raises WarehouseBusy naming the
holder's pid. The lock is re-entrant within a process: the CLI takes it before Prefect starts
and the flow takes it again.
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

__all__ = ["WarehouseBusy", "writer_lock", "lock_path", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 30.0
_held: dict[str, list] = {}          # lock file → [fd, depth] for locks this process holds
_guard = threading.Lock()


class WarehouseBusy(RuntimeError):
    """Another process is writing the warehouse and did not finish within the wait."""


def lock_path(warehouse: str | Path) -> Path:
    return Path(f"{warehouse}.lock")


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return "pid unknown"
    return f"pid {text[0]}" if text else "pid unknown"


@contextmanager
def writer_lock(warehouse: str | Path, timeout: float | None = None, poll: float = 0.1,
                notify: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the writer lock of `warehouse` for the `with` block; `notify` hears once that the
    run is waiting."""
    if timeout is None:
        timeout = float(os.environ.get("TIMELINE_LOCK_TIMEOUT", DEFAULT_TIMEOUT))
    path = lock_path(warehouse)
    key = os.path.realpath(path)
    with _guard:
        if key in _held:
            _held[key][1] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield path
        finally:
            with _guard:
                _held[key][1] -= 1
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if notify is not None:
                    notify(f"waiting for another run writing {warehouse} ({_holder(path)}), up to {timeout:g} s")
                    notify = None
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(f"another run is writing {warehouse} ({_holder(path)}); "
                                        f"waited {timeout:g} s") from None
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {socket.gethostname()} {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n".encode(), 0)
        with _guard:
            _held[key] = [fd, 1]
        try:
            yield path
        finally:
            with _guard:
                del _held[key]
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)   # closing the descriptor releases the lock
