"""Test-only crash points. With ``TIMELINE_FAULT=<point>`` in the environment, a process that
reaches `fault(<point>)` kills itself with SIGKILL (no cleanup, no finally blocks), which is how
tests/test_crash.py proves a crash at that point loses and corrupts nothing. Unset — always,
outside those tests — `fault` does nothing.

Points: load:mid_insert, load:before_commit, load:after_commit (warehouse/load.py);
publish:mid_export, publish:before_rename, publish:before_swap, publish:after_swap
(warehouse/snapshot.py).
"""

from __future__ import annotations

import os
import signal

__all__ = ["fault"]


def fault(point: str) -> None:
    if os.environ.get("TIMELINE_FAULT") == point:
        os.kill(os.getpid(), signal.SIGKILL)
