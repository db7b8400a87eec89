"""The run folder: ``results.jsonl`` (append-only, crash-safe), ``prompts.jsonl`` (each exact prompt
once, keyed by its hash), ``config.json``, ``metrics.json``, ``report.md``, ``images/`` (frames that
were rendered live); and :class:`ResultRow`, the typed line of the results file.

Crash safety: each result is one ``os.write`` of one full line to a file opened ``O_APPEND``,
then ``fsync``; a SIGKILL can at worst leave a torn last line, which loading truncates away. The
other files are written to a temporary name and renamed, so they are whole or absent.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mss_embodied.fileio import write_bytes_atomic, write_json_atomic, write_text_atomic
from mss_embodied.scoring.score import EpisodeScores, Score
from mss_embodied.vocabulary import parse_variant

if TYPE_CHECKING:
    from mss_embodied.pipeline import EpisodeResult

try:
    import fcntl
except ImportError:  # Windows: no folder lock
    fcntl = None  # type: ignore[assignment]

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
    #: So a row can be read alone: the instruction, the image file (absolute, or relative to the run
    #: folder for a live render), why the model stopped, and how many attempts the call took.
    instruction: str = ""
    image_path: str | None = None
    finish_reason: str | None = None
    attempts: int | None = None

    @classmethod
    def from_result(cls, result: EpisodeResult) -> ResultRow:
        ep = result.episode
        meta = dict(result.response.meta)
        path = ep.scenario.image_path(ep.variant)
        attempts = meta.get("attempts")
        return cls(episode_id=ep.id, scenario_id=ep.scenario.id, variant=ep.variant, task=ep.task,
                   category=ep.category, scores={s.judge: s for s in result.scores}, paraphrase=ep.paraphrase,
                   setting=result.inp.setting, prompt_hash=result.prompt_hash, image_id=result.inp.image_id,
                   response=result.response.text, error=result.response.error, usage=dict(result.response.usage),
                   meta=meta, timings=dict(result.timings), instruction=ep.instruction,
                   image_path=str(path.resolve()) if path is not None and path.is_file() else None,
                   finish_reason=meta.get("finish_reason"),
                   attempts=int(attempts) if isinstance(attempts, int) else 1)

    @property
    def retries(self) -> int:
        """Attempts beyond the first (0 when unknown)."""
        return max(0, (self.attempts or 1) - 1)

    def to_json(self) -> dict[str, Any]:
        return {"episode_id": self.episode_id, "scenario_id": self.scenario_id, "paraphrase": self.paraphrase,
                "setting": self.setting, "variant": self.variant, "task": self.task, "category": self.category,
                "instruction": self.instruction, "prompt_hash": self.prompt_hash, "image_id": self.image_id,
                "image_path": self.image_path, "response": self.response, "error": self.error,
                "finish_reason": self.finish_reason, "attempts": self.attempts, "usage": self.usage,
                "meta": self.meta, "scores": {name: s.to_dict() for name, s in self.scores.items()},
                "timings": self.timings}

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
                       meta=dict(data.get("meta") or {}), timings=dict(data.get("timings") or {}),
                       instruction=str(data.get("instruction") or ""), image_path=data.get("image_path"),
                       finish_reason=data.get("finish_reason"),
                       attempts=None if data.get("attempts") is None else int(data["attempts"]))
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
    _prompt_fd: int | None = field(default=None, init=False, repr=False)
    _prompts: dict[str, str] | None = field(default=None, init=False, repr=False)
    _images: set[str] = field(default_factory=set, init=False, repr=False)

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

    def append(self, row: ResultRow) -> None:
        """One write of one full line, then fsync: the row is on disk when this returns."""
        line = (json.dumps(row.to_json(), default=str, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            if self._fd is None:
                self.open()
            assert self._fd is not None
            written = os.write(self._fd, line)
            if written != len(line):  # a short write (disk full): never leave half a line behind
                raise OSError(f"{self.results_path}: short write ({written} of {len(line)} bytes)")
            os.fsync(self._fd)

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
        """Store ``prompt`` under its hash unless it is there: one write of one line, then fsync,
        before the row that refers to it, so no row ever points at a missing prompt."""
        with self._lock:
            if self._prompts is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._prompts = self.load_prompts(repair=True)
            if prompt_hash in self._prompts:
                return
            if self._prompt_fd is None:
                self._prompt_fd = os.open(self.prompts_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            line = (json.dumps({"hash": prompt_hash, "setting": setting, "prompt": prompt}, ensure_ascii=False)
                    + "\n").encode("utf-8")
            written = os.write(self._prompt_fd, line)
            if written != len(line):
                raise OSError(f"{self.prompts_path}: short write ({written} of {len(line)} bytes)")
            os.fsync(self._prompt_fd)
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
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            if self._prompt_fd is not None:
                os.close(self._prompt_fd)
                self._prompt_fd = None
            if self._lock_fd is not None:
                os.close(self._lock_fd)  # releases the flock
                self._lock_fd = None
