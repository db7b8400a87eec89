"""The run folder: ``results.jsonl`` (append-only, crash-safe), ``prompts.jsonl`` (each exact prompt
once, keyed by its hash), ``config.json``, ``metrics.json``, ``report.md``, ``images/`` (frames that
were rendered live); and :class:`ResultRow`, the typed line of the results file.

Crash safety: each result is one ``os.write`` of one full line to a file opened ``O_APPEND``, so
once ``append`` returns the row is the kernel's and a SIGKILL cannot lose it; a kill during the write
can at worst leave a torn last line, which loading truncates away, and a failed write (a full disk)
is cut back to the last whole line before the error is raised. Against power loss rows are
group-committed: a background thread syncs them to disk at most ``SYNC_ROWS`` rows or
``SYNC_INTERVAL_S`` after they were written, and ``close`` (or interpreter exit) syncs the rest, so a
run pays one fsync per group instead of one per row. The other files are written to a temporary
name and renamed, so they are whole or absent.

Everything written passes two guards at this boundary, so no caller can bypass them: secrets
are redacted by value (:mod:`mss_embodied.redaction`) and unencodable text is repaired
(:mod:`mss_embodied.textguard`; the row then says so in ``meta``). Reading is strict: every line is
type-checked, a second row for an episode is ignored (the first wins) and counted, rows for
episodes outside the run are set aside and counted (:class:`RunRows`), so ``report`` and
metrics.json always agree.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mss_embodied.fileio import write_bytes_atomic, write_json_atomic, write_text_atomic
from mss_embodied.harness.configshape import ConfigError, check_config
from mss_embodied.harness.group_commit import GroupCommit
from mss_embodied.harness.rows import ResultRow, RunRows, select_rows
from mss_embodied.harness.runlock import FolderLock, LockHeldError
from mss_embodied.redaction import redact_data, redact_text
from mss_embodied.textguard import repair, repair_data

if TYPE_CHECKING:
    pass

RESULTS = "results.jsonl"
PROMPTS = "prompts.jsonl"
IMAGES = "images"
CONFIG = "config.json"
METRICS = "metrics.json"
REPORT = "report.md"
#: Version of the results and config format; a resume of another version is refused.
FORMAT = 2
#: Config fields that decide what a result is; a resume must agree on all of them.
IDENTITY_FIELDS: tuple[str, ...] = ("policy", "judges", "judge_options", "setting", "variant", "protocol",
                                    "data", "renderer", "selection")


class RunStoreError(ValueError):
    """A run folder that cannot be used as asked; the message names the file and what is wrong."""


class DiskFullError(RunStoreError):
    """A write failed for lack of space; nothing half-written was left behind."""


def config_differences(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Human-readable differences in the fields that decide results."""
    out = []
    for key in IDENTITY_FIELDS:
        if old.get(key) != new.get(key):
            out.append(f"{key}: run has {json.dumps(old.get(key), default=str)}, "
                       f"now {json.dumps(new.get(key), default=str)}")
    return out


def _write_failure(path: Path, exc: OSError, what: str) -> RunStoreError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"{path}: disk full ({reason}) while writing {what}; nothing half-written was left and "
                             "every finished episode is kept: free some space, then rerun with {option:resume}")
    return RunStoreError(f"{path}: cannot write {what} ({reason}); every finished episode is kept: fix it, then "
                         "rerun with {option:resume}")


def _clean(data: Any) -> tuple[Any, int]:
    """Data safe to write: secrets redacted by value, unencodable text repaired (and how many characters)."""
    return repair_data(redact_data(data))


@dataclass
class RunStore:
    """One run folder. ``append`` is safe to call from one thread at a time (a lock enforces it)."""

    folder: Path
    _fd: int | None = field(default=None, init=False, repr=False)
    _folder_lock: FolderLock | None = field(default=None, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _prompt_fd: int | None = field(default=None, init=False, repr=False)
    _prompts: dict[str, str] | None = field(default=None, init=False, repr=False)
    _images: set[str] = field(default_factory=set, init=False, repr=False)
    _syncer: GroupCommit | None = field(default=None, init=False, repr=False)

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
            data = json.loads(self.config_path.read_bytes())
        except (OSError, ValueError, RecursionError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise RunStoreError(f"{self.config_path}: unreadable run config ({reason})") from None
        try:
            return check_config(data, self.config_path)
        except ConfigError as exc:
            raise RunStoreError(str(exc)) from None

    def write_config(self, config: Mapping[str, Any]) -> None:
        try:
            write_json_atomic(self.config_path, _clean(dict(config))[0])
        except OSError as exc:
            raise _write_failure(self.config_path, exc, "the run config") from None

    def write_outputs(self, metrics: Mapping[str, Any], report: str) -> None:
        """metrics.json and report.md, each whole or absent."""
        for path, write in ((self.folder / METRICS, lambda p: write_json_atomic(p, _clean(dict(metrics))[0])),
                            (self.folder / REPORT, lambda p: write_text_atomic(p, repair(redact_text(report))[0]))):
            try:
                write(path)
            except OSError as exc:
                raise _write_failure(path, exc, path.name) from None

    def _read(self) -> bytes:
        path = self.results_path
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return b""
        except IsADirectoryError:
            raise RunStoreError(f"{path}: is a folder, not a results file; use a new run folder") from None
        except OSError as exc:
            raise RunStoreError(f"{path}: cannot read ({exc.strerror or exc})") from None

    def read_rows(self, repair: bool = True, judges: Sequence[str] = ()) -> list[ResultRow]:
        """Every complete row in file order, duplicates included; each must score every judge in
        ``judges``. A torn last line (a kill mid-write) is cut off when ``repair``; a complete last row
        that lacks only its newline is kept (and the newline added when ``repair``, so the next row
        starts on a line of its own)."""
        path = self.results_path
        data = self._read()
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
                row = ResultRow.parse_line(raw)
            except ValueError as exc:
                if last or all(not rest.strip() for rest in lines[i + 1:]):
                    break  # torn tail from a kill: dropped below
                raise RunStoreError(f"{path}: line {i + 1} is not a result row ({exc}); "
                                    "the file was edited or damaged") from None
            missing = [j for j in judges if j not in row.scores]
            if missing:
                raise RunStoreError(f"{path}: line {i + 1} (episode {row.episode_id!r}) has no score for judge "
                                    f"{missing[0]!r}, one of the run's judges {list(judges)}; the file was edited "
                                    "or damaged")
            rows.append(row)
            good_end += len(raw) + (0 if last else 1)
        if repair and good_end < len(data):
            self._truncate(good_end)
        elif repair and data and not data.endswith(b"\n") and good_end == len(data):
            self._end_line()
        return rows

    def _truncate(self, size: int) -> None:
        with open(self.results_path, "r+b") as fh:
            fh.truncate(size)
            fh.flush()
            os.fsync(fh.fileno())

    def _end_line(self) -> None:
        with open(self.results_path, "ab") as fh:
            fh.write(b"\n")
            fh.flush()
            os.fsync(fh.fileno())

    def load_results(self, repair: bool = True) -> list[ResultRow]:
        """One row per episode (the first written), in file order."""
        return select_rows(self.read_rows(repair)).rows

    def run_rows(self, episode_ids: Collection[str] | None = None, judges: Sequence[str] = (),
                 repair: bool = False) -> RunRows:
        """The rows that count for the run (see :class:`RunRows`); every row must score every judge."""
        return select_rows(self.read_rows(repair, judges), episode_ids)

    def rewrite_results(self, keep: Callable[[ResultRow], bool]) -> int:
        """Drop rows failing ``keep`` (atomically, by rename); returns how many were dropped."""
        rows = self.read_rows()
        kept = [r for r in rows if keep(r)]
        if len(kept) == len(rows):
            return 0
        text = "".join(json.dumps(r.to_json(), default=str, ensure_ascii=False) + "\n" for r in kept)
        try:
            write_text_atomic(self.results_path, text)
        except OSError as exc:
            raise _write_failure(self.results_path, exc, "the results") from None
        return len(rows) - len(kept)

    def lock(self) -> None:
        """Hold an exclusive lock on the folder until ``close``, so two processes never run (and pay
        for) the same episodes into one results file; the refusal names the holder."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunStoreError(f"{self.folder}: cannot create the run folder ({exc.strerror or exc})") from None
        if self._folder_lock is None:
            self._folder_lock = FolderLock(self.folder)
        try:
            self._folder_lock.acquire()
        except LockHeldError as exc:
            raise RunStoreError(str(exc)) from None
        except OSError as exc:
            raise RunStoreError(f"{self.folder}: cannot lock the run folder ({exc.strerror or exc})") from None

    def open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._fd is None:
            self._fd = os.open(self.results_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            self._syncer = GroupCommit(self._fd, before=lambda: self._prompt_fd)

    def append(self, row: ResultRow) -> None:
        """One write of one full line: safe from a process kill when this returns, and on disk (group
        commit) at most ``SYNC_ROWS`` rows or ``SYNC_INTERVAL_S`` later. A failed or short write (a full
        disk) is cut back, so the file never ends in half a line."""
        data, repaired = _clean(row.to_json())
        if repaired:  # say so in the row: some text was not what the model or judge sent
            data["meta"] = {**data.get("meta", {}), "text_repaired_on_write": repaired}
        with self._lock:
            try:
                if self._fd is None:
                    self.open()
            except OSError as exc:
                raise _write_failure(self.results_path, exc, "a result") from None
            assert self._fd is not None and self._syncer is not None
            self._write_line(self._fd, self.results_path, data, "a result", durable=False)
            self._syncer.written()

    def sync(self) -> None:
        """Put every appended row on disk now."""
        if self._syncer is not None:
            self._syncer.sync()

    def _write_line(self, fd: int, path: Path, data: Any, what: str, durable: bool = True) -> None:
        """One ``os.write`` of one JSON line (then an fsync when ``durable``); on failure the file is cut
        back to its size before, so it never ends in half a line. Call with the lock held."""
        line = (json.dumps(data, default=str, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            size = os.fstat(fd).st_size
        except OSError as exc:
            raise _write_failure(path, exc, what) from None
        try:
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, f"short write ({written} of {len(line)} bytes)")
            if durable:
                os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise _write_failure(path, exc, what) from None

    # -- prompts.jsonl: each exact prompt once ---------------------------------------------------
    @property
    def prompts_path(self) -> Path:
        return self.folder / PROMPTS

    def load_prompts(self, repair: bool = False) -> dict[str, str]:
        """``{prompt_hash: prompt}``. Lines are whole-or-torn like results; a torn last line is
        skipped (and cut off when ``repair``, before anything is appended after it)."""
        path = self.prompts_path
        if not path.exists():
            return {}
        data = path.read_bytes()
        prompts: dict[str, str] = {}
        good_end = 0
        for raw in data.split(b"\n")[:-1]:  # a line without its newline is torn
            try:
                entry = json.loads(raw)
                prompts[str(entry["hash"])] = str(entry["prompt"])
            except (ValueError, KeyError, TypeError):
                if not raw.strip():
                    good_end += len(raw) + 1
                    continue
                raise RunStoreError(f"{path}: a line is not a prompt entry; the file was edited or damaged") from None
            good_end += len(raw) + 1
        if repair and good_end < len(data):
            with open(path, "r+b") as fh:
                fh.truncate(good_end)
                os.fsync(fh.fileno())
        return prompts

    def add_prompt(self, prompt_hash: str, prompt: str, setting: str = "") -> None:
        """Store ``prompt`` under its hash unless it is there: one write of one line, before the row
        that refers to it (so after a kill no row points at a missing prompt), synced to disk with that
        row's group, before the rows (an fsync per new prompt cost ~1 ms of the driver's loop each).
        After a power loss a row of the last group may lack its prompt text; readers (the viewer)
        then show none, the row itself is whole."""
        with self._lock:
            if self._prompts is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._prompts = self.load_prompts(repair=True)
            if prompt_hash in self._prompts:
                return
            try:
                if self._prompt_fd is None:
                    self._prompt_fd = os.open(self.prompts_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            except OSError as exc:
                raise _write_failure(self.prompts_path, exc, "a prompt") from None
            data, _ = _clean({"hash": prompt_hash, "setting": setting, "prompt": prompt})
            self._write_line(self._prompt_fd, self.prompts_path, data, "a prompt", durable=False)
            self._prompts[prompt_hash] = prompt

    # -- images/: frames rendered live, so a row's image can be looked at later -----------------
    def save_image(self, image_id: str, image: Any) -> str:
        """Write ``images/<image_id>.png`` once (whole or absent); returns the path relative to the run."""
        from PIL import Image

        relative = f"{IMAGES}/{image_id}.png"
        if image_id in self._images or (self.folder / relative).is_file():
            self._images.add(image_id)
            return relative
        import io

        buf = io.BytesIO()
        Image.fromarray(image).save(buf, format="PNG")
        (self.folder / IMAGES).mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(self.folder / relative, buf.getvalue())
        self._images.add(image_id)
        return relative

    def close(self) -> None:
        with self._lock:
            if self._syncer is not None:
                self._syncer.stop()  # syncs what is left
                self._syncer = None
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            if self._prompt_fd is not None:
                os.close(self._prompt_fd)
                self._prompt_fd = None
            if self._folder_lock is not None:
                self._folder_lock.release()
