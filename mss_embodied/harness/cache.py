"""One cache of model and judge calls, shared by every run on the machine, so no call is paid twice.

Policy answers are keyed by the policy name, the prompt, the image content id and the generation
parameters; judge verdicts by the judge and its whole request (prompt, rubric, the response part,
parameters). Transport settings (timeouts, retries) and secrets are never part of a key. Only
successful calls and valid verdicts are stored, so an error is never replayed as an answer.

Where: one SQLite file (WAL, so concurrent runs and worker processes read while one writes) under
``$MSS_EMBODIED_CACHE_DIR``, else ``$XDG_CACHE_HOME/mss_embodied``, else ``~/.cache/mss_embodied``;
``--cache-dir`` overrides it, ``--no-cache`` turns it off, ``mss-embodied cache stats|clear`` shows
or empties it. A committed entry survives a SIGKILL (it is in the WAL file); a cache that cannot be
read is a miss and one that cannot be written is skipped, so the cache never fails a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mss_embodied.policies.base import PolicyResponse
from mss_embodied.redaction import SECRET_WORDS, is_secret, redact_data
from mss_embodied.textguard import repair_data

__all__ = ["SECRET_WORDS", "TRANSPORT_OPTIONS", "ResponseCache", "cache_key", "generation_params", "is_secret", "scrub"]

if TYPE_CHECKING:
    from mss_embodied.scoring.judges import Judgement

CACHE_ENV = "MSS_EMBODIED_CACHE_DIR"
DB_NAME = "calls.sqlite3"
KINDS = ("policy", "judge")
_SCHEMA = 1
#: Options that change how a call is made, not what it returns: left out of the key.
TRANSPORT_OPTIONS: frozenset[str] = frozenset({
    "timeout_s", "timeout", "max_attempts", "backoff_base_s", "backoff_max_s", "retry_after_max_s", "jitter",
    "max_concurrency", "rng_seed", "image_cache_size",
})
class CacheError(ValueError):
    """A cache folder or file that cannot be used; the message names it."""


def scrub(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options safe to write to disk: credential-like names replaced by a marker, nested dicts too
    (``extra_body``, ``generate_kwargs``)."""
    return {k: ("<redacted>" if is_secret(k) else scrub(v) if isinstance(v, Mapping) else v)
            for k, v in sorted(options.items())}


def generation_params(options: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(options.items()) if not is_secret(k) and k not in TRANSPORT_OPTIONS}


def _digest(payload: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def cache_key(policy: str, prompt: str, image_id: str, setting: str, params: Mapping[str, Any],
              caption: str | None = None) -> str:
    return _digest({"policy": policy, "prompt": prompt, "image": image_id, "setting": setting,
                    "caption": caption, "params": dict(params)})


def judge_key(identity: Mapping[str, Any]) -> str:
    """Key of a judge call from the judge's ``cache_identity`` (judge, request, parameters)."""
    return _digest({"kind": "judge", **identity})


def default_cache_dir() -> Path:
    """``$MSS_EMBODIED_CACHE_DIR``, else ``$XDG_CACHE_HOME/mss_embodied``, else ``~/.cache/mss_embodied``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "mss_embodied"


def _unusable(path: Path, exc: Exception) -> CacheError:
    return CacheError(f"{path}: cannot use the response cache ({exc}); empty it with `mss-embodied cache clear`, "
                      "choose another folder or turn the cache off")


class ResponseCache:
    """The cache in ``folder`` (a SQLite file there); ``None`` disables it. Safe across threads (one
    connection behind a lock) and processes (SQLite locking); picklable (a process reopens it)."""

    def __init__(self, folder: Path | str | None) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else None
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._warned = False

    @property
    def path(self) -> Path | None:
        return self.folder / DB_NAME if self.folder is not None else None

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self.folder}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["folder"])  # type: ignore[misc]

    def open(self) -> ResponseCache:
        """Create or open the file now; raises :class:`CacheError` naming it when it is unusable."""
        with self._lock:
            self._connect()
        return self

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is not None or self.path is None:
            return self._conn
        path = self.path
        for attempt in range(5):  # several processes creating the file at once can see it locked briefly
            try:
                self._conn = self._open(path)
                return self._conn
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 4:
                    raise _unusable(path, exc) from None
                time.sleep(0.1 * (attempt + 1))
            except (OSError, sqlite3.Error) as exc:
                raise _unusable(path, exc) from None
        return None

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # durable against a process kill; one fsync per checkpoint
            conn.execute("CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key TEXT NOT NULL, "
                         "value TEXT NOT NULL, created REAL NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, _SCHEMA):
                raise CacheError(f"{path}: written by another version of mss-embodied (cache schema {version}); "
                                 "empty it with `mss-embodied cache clear` or choose another cache folder")
            if version == 0:
                conn.execute(f"PRAGMA user_version={_SCHEMA}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _get(self, kind: str, key: str) -> dict[str, Any] | None:
        if self.folder is None:
            return None
        try:
            with self._lock:
                conn = self._connect()
                assert conn is not None
                row = conn.execute("SELECT value FROM entries WHERE kind = ? AND key = ?", (kind, key)).fetchone()
            value = json.loads(row[0]) if row else None
        except (CacheError, sqlite3.Error, ValueError):
            return None  # unreadable: a miss
        return value if isinstance(value, dict) else None

    def _put(self, kind: str, key: str, value: Mapping[str, Any]) -> None:
        if self.folder is None:
            return
        # the cache is on disk like the run folder: secrets redacted by value, unencodable text repaired
        body = json.dumps(repair_data(redact_data(dict(value)))[0], default=str, ensure_ascii=False)
        try:
            with self._lock:
                conn = self._connect()
                assert conn is not None
                conn.execute("INSERT OR REPLACE INTO entries (kind, key, value, created) VALUES (?, ?, ?, ?)",
                             (kind, key, body, time.time()))
        except (CacheError, sqlite3.Error) as exc:
            if not self._warned:  # a full disk or a long-held lock: the run goes on without caching
                import sys

                print(f"warning: {self.path}: response cache not written ({exc})", file=sys.stderr)
                self._warned = True

    # -- policy answers ----------------------------------------------------------------------------
    def get(self, key: str) -> PolicyResponse | None:
        data = self._get("policy", key)
        if data is None:
            return None
        try:
            return PolicyResponse(text=str(data["text"]), usage=dict(data.get("usage", {})),
                                  latency_s=float(data.get("latency_s", 0.0)), meta=dict(data.get("meta", {})))
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, key: str, response: PolicyResponse) -> None:
        """Store a successful answer (an error never: callers decide what else to keep out)."""
        if response.ok:
            self._put("policy", key, {"text": response.text, "usage": response.usage,
                                      "latency_s": response.latency_s, "meta": response.meta})

    # -- judge verdicts ----------------------------------------------------------------------------
    def get_judgement(self, key: str) -> Judgement | None:
        from mss_embodied.scoring.judges import Judgement

        data = self._get("judge", key)
        if data is None or not isinstance(data.get("label"), int):
            return None
        return Judgement(label=int(data["label"]), explanation=str(data.get("explanation", "")),
                         judge=str(data.get("judge", "")), raw=data.get("raw"))

    def put_judgement(self, key: str, judgement: Judgement) -> None:
        """Store a valid verdict (an invalid or failed one never)."""
        if judgement.valid and judgement.error is None:
            self._put("judge", key, {"label": judgement.label, "explanation": judgement.explanation,
                                     "judge": judgement.judge, "raw": judgement.raw})

    # -- grounder replies (the execution judge's optional LLM reader) -----------------------------
    def get_text(self, key: str) -> str | None:
        data = self._get("judge", key)
        return str(data["text"]) if data is not None and isinstance(data.get("text"), str) else None

    def put_text(self, key: str, text: str) -> None:
        self._put("judge", key, {"text": text})

    # -- housekeeping ------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Entries and bytes per kind, and the size of the files on disk."""
        out: dict[str, Any] = {"path": str(self.path), "kinds": {k: {"entries": 0, "bytes": 0} for k in KINDS}}
        if self.path is not None and self.path.exists():
            with self._lock:
                conn = self._connect()
                assert conn is not None
                for kind, n, size in conn.execute(
                        "SELECT kind, COUNT(*), COALESCE(SUM(LENGTH(value)), 0) FROM entries GROUP BY kind"):
                    out["kinds"][kind] = {"entries": int(n), "bytes": int(size)}
        out["entries"] = sum(k["entries"] for k in out["kinds"].values())
        out["file_bytes"] = sum(p.stat().st_size for p in self._files() if p.exists())
        return out

    def clear(self, kind: str | None = None) -> int:
        """Delete every entry (or those of ``kind``); returns how many. A file that cannot be opened
        as a cache is removed whole."""
        if self.path is None or not self.path.exists():
            return 0
        try:
            with self._lock:
                conn = self._connect()
                assert conn is not None
                where, args = ("WHERE kind = ?", (kind,)) if kind else ("", ())
                n = int(conn.execute(f"SELECT COUNT(*) FROM entries {where}", args).fetchone()[0])
                conn.execute(f"DELETE FROM entries {where}", args)
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                if kind is None:
                    conn.execute("VACUUM")
            return n
        except (CacheError, sqlite3.DatabaseError):
            self.close()
            for p in self._files():
                p.unlink(missing_ok=True)
            return 0

    def _files(self) -> list[Path]:
        assert self.path is not None
        return [self.path, self.path.with_name(DB_NAME + "-wal"), self.path.with_name(DB_NAME + "-shm")]

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()
