"""A response cache on disk, so a rerun or a resume never pays twice for the same model call.

Keyed by the policy name, the prompt, the image content id and the generation parameters (not
transport settings such as timeouts, and never secrets). One small JSON file per entry, written
to a temporary name and renamed into place, so a kill leaves either the whole entry or none; an
unreadable entry is a miss. Failed calls are never stored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mss_embodied.fileio import write_text_atomic
from mss_embodied.policies.base import PolicyResponse
from mss_embodied.redaction import SECRET_WORDS, is_secret

__all__ = ["SECRET_WORDS", "TRANSPORT_OPTIONS", "ResponseCache", "cache_key", "generation_params", "is_secret", "scrub"]

#: Options that change how a call is made, not what it returns: left out of the key.
TRANSPORT_OPTIONS: frozenset[str] = frozenset({
    "timeout_s", "timeout", "max_attempts", "backoff_base_s", "backoff_max_s", "retry_after_max_s", "jitter",
    "max_concurrency", "rng_seed", "image_cache_size",
})


def scrub(options: Mapping[str, Any]) -> dict[str, Any]:
    """Options safe to write to disk: credential-like names replaced by a marker, nested dicts too
    (``extra_body``, ``generate_kwargs``)."""
    return {k: ("<redacted>" if is_secret(k) else scrub(v) if isinstance(v, Mapping) else v)
            for k, v in sorted(options.items())}


def generation_params(options: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in sorted(options.items()) if not is_secret(k) and k not in TRANSPORT_OPTIONS}


def cache_key(policy: str, prompt: str, image_id: str, setting: str, params: Mapping[str, Any],
              caption: str | None = None) -> str:
    payload = json.dumps({"policy": policy, "prompt": prompt, "image": image_id, "setting": setting,
                          "caption": caption, "params": dict(params)}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class ResponseCache:
    """Entries live under ``root/ab/<key>.json``; ``None`` root disables the cache."""

    root: Path | None
    _made: set[Path] = field(default_factory=set, init=False, repr=False)

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> PolicyResponse | None:
        if self.root is None:
            return None
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return PolicyResponse(text=str(data["text"]), usage=dict(data.get("usage", {})),
                                  latency_s=float(data.get("latency_s", 0.0)), meta=dict(data.get("meta", {})))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, response: PolicyResponse) -> None:
        if self.root is None or not response.ok:
            return
        path = self._path(key)
        if path.parent not in self._made:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(path.parent)
        body = json.dumps({"text": response.text, "usage": response.usage, "latency_s": response.latency_s,
                           "meta": response.meta}, default=str)
        write_text_atomic(path, body, durable=False)
