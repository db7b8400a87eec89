"""Request-per-minute and token-per-minute limits for async model calls.

Two token buckets refilled continuously. Requests take one unit up front; tokens are charged
after the call from the reported usage (they are unknown before), so the bucket may go negative
and later calls wait until it refills: long-run throughput stays under the limit.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class TokenBucket:
    """``rate_per_min`` units per minute, burst up to ``capacity`` (default: one minute's worth)."""

    rate_per_min: float
    capacity: float | None = None
    _level: float = field(init=False)
    _stamp: float = field(init=False)

    def __post_init__(self) -> None:
        if self.rate_per_min <= 0:
            raise ValueError(f"a rate limit must be positive, got {self.rate_per_min}")
        if self.capacity is None:
            self.capacity = self.rate_per_min
        self._level = self.capacity
        self._stamp = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        assert self.capacity is not None
        self._level = min(self.capacity, self._level + (now - self._stamp) * self.rate_per_min / 60.0)
        self._stamp = now

    def wait_time(self, amount: float) -> float:
        """Seconds until ``amount`` units are available (0 when they are now)."""
        self._refill()
        need = min(amount, self.capacity or amount) - self._level
        return max(0.0, need * 60.0 / self.rate_per_min)

    def take(self, amount: float) -> None:
        self._refill()
        self._level -= amount


class RateLimiter:
    """Await ``acquire()`` before a call and ``record(usage)`` after it; no-op without limits."""

    def __init__(self, rpm: float | None = None, tpm: float | None = None) -> None:
        self.requests = TokenBucket(rpm, capacity=max(1.0, rpm / 60.0)) if rpm else None
        self.tokens = TokenBucket(tpm) if tpm else None
        self._lock = asyncio.Lock()

    @property
    def active(self) -> bool:
        return self.requests is not None or self.tokens is not None

    async def acquire(self) -> None:
        if not self.active:
            return
        async with self._lock:  # one waiter at a time keeps the order fair
            while True:
                wait = max(self.requests.wait_time(1) if self.requests else 0.0,
                           self.tokens.wait_time(1) if self.tokens else 0.0)
                if wait <= 0:
                    break
                await asyncio.sleep(wait)
            if self.requests is not None:
                self.requests.take(1)

    def record(self, usage: Mapping[str, int]) -> None:
        if self.tokens is not None:
            total = usage.get("total_tokens") or usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0)
            self.tokens.take(float(total))
