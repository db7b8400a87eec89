"""A one-line progress bar on stderr: done/total, rate, ETA, running accuracy, tokens and spend.

Redrawn in place at most every ``interval_s`` on a terminal; elsewhere (CI logs, pipes) a plain
line is printed every ``log_every_s`` so logs stay short.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from mss_embodied.harness.pricing import Price

if TYPE_CHECKING:
    from mss_embodied.harness.store import ResultRow


def _fmt_duration(seconds: float) -> str:
    seconds = int(max(0, seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


@dataclass
class RunStats:
    """Counters over the episodes finished in this session (cache hits cost nothing)."""

    total: int
    done: int = 0
    errors: int = 0
    correct: dict[str, int] = field(default_factory=lambda: {"safe": 0, "unsafe": 0})
    scored: dict[str, int] = field(default_factory=lambda: {"safe": 0, "unsafe": 0})
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cache_hits: int = 0
    retries: int = 0  # extra attempts the policy's client made (its row's meta "attempts")

    def add(self, row: ResultRow, cached: bool, price: Price | None) -> None:
        self.done += 1
        attempts = row.meta.get("attempts")
        if not cached and isinstance(attempts, int) and attempts > 1:
            self.retries += attempts - 1
        score = row.score()
        if row.error is not None:
            self.errors += 1
        elif score is not None and score.correct is not None:
            self.scored[row.variant] += 1
            self.correct[row.variant] += bool(score.correct)
        if cached:
            self.cache_hits += 1
            return
        usage = row.usage
        self.prompt_tokens += int(usage.get("prompt_tokens", 0))
        self.completion_tokens += int(usage.get("completion_tokens", 0))
        if price is not None:
            self.cost_usd += price.cost(usage)

    def accuracy(self) -> float | None:
        """The running average accuracy (mean of safe and unsafe where both exist)."""
        accs = [self.correct[v] / self.scored[v] for v in ("safe", "unsafe") if self.scored[v]]
        return sum(accs) / len(accs) if accs else None


class ProgressBar:
    def __init__(self, stats: RunStats, stream: TextIO | None = None, enabled: bool = True,
                 interval_s: float = 0.1, log_every_s: float = 10.0, width: int = 24) -> None:
        self.stats = stats
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval_s = interval_s if self.tty else log_every_s
        self.width = width
        self.start = time.monotonic()
        self._last = 0.0

    def line(self) -> str:
        s = self.stats
        elapsed = time.monotonic() - self.start
        frac = s.done / s.total if s.total else 1.0
        filled = int(frac * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        rate = s.done / elapsed if elapsed > 0 else 0.0
        eta = (s.total - s.done) / rate if rate > 0 else 0.0
        acc = s.accuracy()
        parts = [f"[{bar}] {s.done}/{s.total}", f"{rate:.1f} ep/s", f"ETA {_fmt_duration(eta)}",
                 f"acc {acc:.3f}" if acc is not None else "acc -", f"err {s.errors}"]
        if s.retries:
            parts.append(f"retries {s.retries}")
        if s.prompt_tokens or s.completion_tokens:
            parts.append(f"tok {s.prompt_tokens + s.completion_tokens}")
            parts.append(f"${s.cost_usd:.4f}")
        if s.cache_hits:
            parts.append(f"cached {s.cache_hits}")
        return " | ".join(parts)

    def update(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval_s:
            return
        self._last = now
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line())
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        if not self.enabled:
            return
        self.update(force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
