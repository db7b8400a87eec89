"""Group commit: rows are synced to disk by a background thread in groups instead of one fsync per row.

A row is safe from a process kill as soon as its one ``write`` returns (it is the kernel's); this
only bounds what a power loss can take: at most ``SYNC_ROWS`` rows or ``SYNC_INTERVAL_S``. A file
the rows refer to (the run's prompts) is synced in the same group, before the rows.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import time
import weakref
from collections.abc import Callable

#: Unsynced rows are synced to disk once this many accumulate, or this long after the first.
SYNC_ROWS = 64
SYNC_INTERVAL_S = 0.2
_fdatasync = getattr(os, "fdatasync", os.fsync)


class GroupCommit:
    """Syncs one file descriptor on a background thread: after ``SYNC_ROWS`` unsynced writes or
    ``SYNC_INTERVAL_S`` after the first of them, whichever comes first; ``stop`` syncs the rest."""

    def __init__(self, fd: int, before: Callable[[], int | None] | None = None) -> None:
        self.fd, self.before = fd, before
        self._cond = threading.Condition()
        self._pending = 0
        self._first = 0.0
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="results-sync", daemon=True)
        self._thread.start()
        _LIVE.add(self)

    def written(self) -> None:
        with self._cond:
            if self._pending == 0:
                self._first = time.monotonic()
            self._pending += 1
            if self._pending == 1 or self._pending >= SYNC_ROWS:
                self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopping:
                    if self._pending >= SYNC_ROWS:
                        break
                    if self._pending:
                        left = self._first + SYNC_INTERVAL_S - time.monotonic()
                        if left <= 0:
                            break
                        self._cond.wait(left)
                    else:
                        self._cond.wait()
                if self._stopping:
                    return
                self._pending = 0
            self._fsync()

    def _fsync(self) -> None:
        first = self.before() if self.before is not None else None
        for fd in (first, self.fd):
            if fd is not None:
                with contextlib.suppress(OSError):  # closed under us at exit, or a file system without sync
                    _fdatasync(fd)

    def sync(self) -> None:
        with self._cond:
            self._pending = 0
        self._fsync()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join(timeout=5)
        _LIVE.discard(self)
        self.sync()


_LIVE: weakref.WeakSet[GroupCommit] = weakref.WeakSet()


@atexit.register
def _sync_all() -> None:
    """Rows appended by a process that exits without closing its store still reach the disk."""
    for syncer in list(_LIVE):
        syncer.sync()
