"""The run folder: ``results.jsonl`` (append-only, crash-safe), ``config.json``, ``metrics.json``,
``report.md``; and :class:`ResultRow`, the typed line of the results file.

Crash safety: each result is one ``os.write`` of one full line to a file opened ``O_APPEND``, so
once ``append`` returns the row is the kernel's and a SIGKILL cannot lose it; a kill during the write
can at worst leave a torn last line, which loading truncates away. Against power loss rows are
group-committed: a background thread syncs them to disk at most ``SYNC_ROWS`` rows or
``SYNC_INTERVAL_S`` after they were written, and ``close`` (or interpreter exit) syncs the rest, so a
run pays one fsync per group instead of one per row. The other files are written to a temporary
name and renamed, so they are whole or absent.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mss_embodied.fileio import write_json_atomic, write_text_atomic
from mss_embodied.scoring.score import EpisodeScores, Score
from mss_embodied.vocabulary import parse_variant

if TYPE_CHECKING:
    from mss_embodied.pipeline import EpisodeResult

try:
    import fcntl
except ImportError:  # Windows: no folder lock
    fcntl = None  # type: ignore[assignment]

RESULTS = "results.jsonl"
CONFIG = "config.json"
METRICS = "metrics.json"
REPORT = "report.md"
#: Version of the results and config format; a resume of another version is refused.
FORMAT = 2
#: Config fields that decide what a result is; a resume must agree on all of them.
IDENTITY_FIELDS: tuple[str, ...] = ("policy", "judges", "judge_options", "setting", "variant", "protocol",
                                    "data", "renderer")
#: Group commit: unsynced rows are synced to disk once this many accumulate, or this long after the first.
SYNC_ROWS = 64
SYNC_INTERVAL_S = 0.2
_fdatasync = getattr(os, "fdatasync", os.fsync)


class RunStoreError(ValueError):
    """A run folder that cannot be used as asked; the message names the file and what is wrong."""


@dataclass(frozen=True, kw_only=True)
class ResultRow(EpisodeScores):
    """One line of ``results.jsonl``: the episode, the answer, every judge's score (first: primary)."""

    paraphrase: int
    setting: str
    prompt_hash: str
    image_id: str
    response: str | None
    error: str | None = None  # the policy call failed
    usage: dict[str, int] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_result(cls, result: EpisodeResult) -> ResultRow:
        ep = result.episode
        return cls(episode_id=ep.id, scenario_id=ep.scenario.id, variant=ep.variant, task=ep.task,
                   category=ep.category, scores={s.judge: s for s in result.scores}, paraphrase=ep.paraphrase,
                   setting=result.inp.setting, prompt_hash=result.prompt_hash, image_id=result.inp.image_id,
                   response=result.response.text, error=result.response.error, usage=dict(result.response.usage),
                   meta=dict(result.response.meta), timings=dict(result.timings))

    def to_json(self) -> dict[str, Any]:
        return {"episode_id": self.episode_id, "scenario_id": self.scenario_id, "paraphrase": self.paraphrase,
                "setting": self.setting, "variant": self.variant, "task": self.task, "category": self.category,
                "prompt_hash": self.prompt_hash, "image_id": self.image_id, "response": self.response,
                "error": self.error, "usage": self.usage, "meta": self.meta,
                "scores": {name: s.to_dict() for name, s in self.scores.items()}, "timings": self.timings}

    @classmethod
    def from_json(cls, data: Any) -> ResultRow:
        """Raises ValueError naming what is wrong with the line."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        try:
            scores = data["scores"]
            if not isinstance(scores, dict):
                raise ValueError("'scores' is not an object")
            return cls(episode_id=str(data["episode_id"]), scenario_id=str(data["scenario_id"]),
                       variant=parse_variant(data["variant"]), task=str(data["task"]),
                       category=str(data["category"]),
                       scores={str(k): Score.from_dict(v) for k, v in scores.items()},
                       paraphrase=int(data["paraphrase"]), setting=str(data["setting"]),
                       prompt_hash=str(data["prompt_hash"]), image_id=str(data["image_id"]),
                       response=data.get("response"), error=data.get("error"), usage=dict(data.get("usage") or {}),
                       meta=dict(data.get("meta") or {}), timings=dict(data.get("timings") or {}))
        except KeyError as exc:
            raise ValueError(f"field {exc} is missing") from None
        except (TypeError, AttributeError) as exc:
            raise ValueError(f"a field has the wrong type ({exc})") from None


def config_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Human-readable differences in the fields that decide results."""
    out = []
    for key in IDENTITY_FIELDS:
        if old.get(key) != new.get(key):
            out.append(f"{key}: run has {json.dumps(old.get(key), default=str)}, "
                       f"now {json.dumps(new.get(key), default=str)}")
    return out


@dataclass
class RunStore:
    """One run folder. ``append`` is safe to call from one thread at a time (a lock enforces it)."""

    folder: Path
    _fd: int | None = field(default=None, init=False, repr=False)
    _lock_fd: int | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _syncer: _GroupCommit | None = field(default=None, init=False, repr=False)

    @property
    def results_path(self) -> Path:
        return self.folder / RESULTS

    @property
    def config_path(self) -> Path:
        return self.folder / CONFIG

    def exists(self) -> bool:
        return self.results_path.exists() or self.config_path.exists()

    def read_config(self) -> dict[str, Any] | None:
        if not self.config_path.exists():
            return None
        try:
            data = json.loads(self.config_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RunStoreError(f"{self.config_path}: unreadable run config ({exc})") from None
        if not isinstance(data, dict):
            raise RunStoreError(f"{self.config_path}: run config must be a JSON object")
        return data

    def write_config(self, config: Mapping[str, Any]) -> None:
        write_json_atomic(self.config_path, dict(config))

    def write_outputs(self, metrics: Mapping[str, Any], report: str) -> None:
        """metrics.json and report.md, each whole or absent."""
        write_json_atomic(self.folder / METRICS, dict(metrics))
        write_text_atomic(self.folder / REPORT, report)

    def load_results(self, repair: bool = True) -> list[ResultRow]:
        """All complete rows. A torn last line (no newline or not JSON) is cut off when ``repair``."""
        path = self.results_path
        if not path.exists():
            return []
        data = path.read_bytes()
        rows: list[ResultRow] = []
        good_end = 0
        lines = data.split(b"\n")
        for i, raw in enumerate(lines):
            last = i == len(lines) - 1
            if not raw.strip():
                if not last:
                    good_end += len(raw) + 1
                continue
            try:
                row = ResultRow.from_json(json.loads(raw))
            except ValueError as exc:
                if last or all(not rest.strip() for rest in lines[i + 1:]):
                    break  # torn tail from a kill: dropped below
                raise RunStoreError(f"{path}: line {i + 1} is not a result row ({exc}); "
                                    "the file was edited or damaged") from None
            if last:  # complete JSON but no newline: the fsync'd write always ends with one
                break
            rows.append(row)
            good_end += len(raw) + 1
        if good_end < len(data) and repair:
            with open(path, "r+b") as fh:
                fh.truncate(good_end)
                fh.flush()
                os.fsync(fh.fileno())
        return rows

    def rewrite_results(self, keep: Callable[[ResultRow], bool]) -> int:
        """Drop rows failing ``keep`` (atomically, by rename); returns how many were dropped."""
        rows = self.load_results()
        kept = [r for r in rows if keep(r)]
        if len(kept) == len(rows):
            return 0
        text = "".join(json.dumps(r.to_json(), default=str, ensure_ascii=False) + "\n" for r in kept)
        write_text_atomic(self.results_path, text)
        return len(rows) - len(kept)

    def lock(self) -> None:
        """Hold an exclusive lock on the folder until ``close``, so two processes never run (and pay
        for) the same episodes into one results file. The kernel drops it when a process dies."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._lock_fd is not None or fcntl is None:
            return
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunStoreError(f"{self.folder}: another process is writing this run folder; wait for it "
                                "to finish (or stop it) before resuming") from None
        except OSError:  # a file system without flock: best effort
            pass
        self._lock_fd = fd

    def open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._fd is None:
            self._fd = os.open(self.results_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._syncer = _GroupCommit(self._fd)

    def append(self, row: ResultRow) -> None:
        """One write of one full line: safe from a process kill when this returns, and on disk (group
        commit) at most ``SYNC_ROWS`` rows or ``SYNC_INTERVAL_S`` later."""
        line = (json.dumps(row.to_json(), default=str, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            if self._fd is None:
                self.open()
            assert self._fd is not None and self._syncer is not None
            written = os.write(self._fd, line)
            if written != len(line):  # a short write (disk full): never leave half a line behind
                raise OSError(f"{self.results_path}: short write ({written} of {len(line)} bytes)")
            self._syncer.written()

    def sync(self) -> None:
        """Put every appended row on disk now."""
        if self._syncer is not None:
            self._syncer.sync()

    def close(self) -> None:
        with self._lock:
            if self._syncer is not None:
                self._syncer.stop()  # syncs what is left
                self._syncer = None
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            if self._lock_fd is not None:
                os.close(self._lock_fd)  # releases the flock
                self._lock_fd = None


class _GroupCommit:
    """Syncs one file descriptor on a background thread: after ``SYNC_ROWS`` unsynced writes or
    ``SYNC_INTERVAL_S`` after the first of them, whichever comes first; ``stop`` syncs the rest."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
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
        with contextlib.suppress(OSError):  # closed under us at exit, or a file system without sync
            _fdatasync(self.fd)

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


_LIVE: weakref.WeakSet[_GroupCommit] = weakref.WeakSet()


@atexit.register
def _sync_all() -> None:
    """Rows appended by a process that exits without closing its store still reach the disk."""
    for syncer in list(_LIVE):
        syncer.sync()
