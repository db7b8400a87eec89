"""An exclusive lock on a run folder that names its holder.

Two ``eval`` processes on one folder would both run, pay for and append the same episodes (an
audit got 1,440 rows for 760 episodes). The lock is an ``flock`` on ``<folder>/.lock``, which the
kernel drops when the holder dies however it dies, so a killed run never leaves a stale lock. The
holder writes its pid, host and start time into the file, so a refused process can say who holds it.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no folder lock
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".lock"


class LockHeldError(RuntimeError):
    """Another process holds the folder; ``holder`` describes it (pid, host, since)."""

    def __init__(self, folder: Path, holder: str) -> None:
        self.folder, self.holder = folder, holder
        super().__init__(f"{folder}: another process is writing this run folder ({holder}); wait for it to "
                         "finish or stop it, then resume")


def describe_holder(raw: bytes) -> str | None:
    """``pid 123 on host since 2026-01-01 10:00:00`` from the lock file's content; None while unwritten."""
    try:
        info = json.loads(raw.decode("utf-8"))
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(info["started"])))
        return f"pid {int(info['pid'])} on {info['host']} since {since}"
    except (ValueError, KeyError, TypeError):
        return None


def _read_holder(fd: int, wait_s: float = 1.0) -> str:
    """The holder's description; a holder that took the lock an instant ago writes it right after,
    so it is read again for up to ``wait_s`` before the refusal says it is unknown."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            holder = describe_holder(os.pread(fd, 4096, 0))
        except OSError:
            holder = None
        if holder is not None:
            return holder
        if time.monotonic() >= deadline:
            return "holder unknown: it has just started"
        time.sleep(0.02)


class FolderLock:
    """``acquire`` or raise :class:`LockHeldError`; ``release`` (or process death) frees it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / LOCK_FILE
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None or fcntl is None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockHeldError(self.folder, holder) from None
        except OSError:  # a file system without flock: run unlocked rather than not at all
            os.close(fd)
            return
        info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
        with contextlib.suppress(OSError):  # a full disk: the lock holds, only its description is missing
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode("utf-8"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # a later reader must not name a finished process
        os.close(fd)  # releases the flock
