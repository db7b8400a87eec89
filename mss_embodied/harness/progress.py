"""Progress and logs of a run: the running counters, the progress line and stdlib logging.

The line shows safe and unsafe accuracy apart (the average hides the trade-off the benchmark
measures), failed calls and retries as they happen, tokens and spend ("n/a" when the model has
no price). On a terminal it is a tqdm bar redrawn in place; elsewhere (CI logs, pipes) a plain
line every ``log_every_s``. Every finished episode is logged to the ``mss_embodied.run`` logger:
errors as warnings (the first few also on the console), retried calls at INFO, so
``--log-file`` holds the whole story of a run.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from mss_embodied.harness.pricing import Price
from mss_embodied.redaction import RedactingFilter

if TYPE_CHECKING:
    from mss_embodied.harness.rows import ResultRow

LOG = logging.getLogger("mss_embodied.run")
#: A library stays quiet unless its user configures logging (the CLI does, with --log-file).
logging.getLogger("mss_embodied").addHandler(logging.NullHandler())
#: Errors echoed on the console before the rest go to the log file only (the line keeps counting).
CONSOLE_ERRORS = 5


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
    invalid: int = 0  # the primary judge gave no valid verdict
    retries: int = 0  # attempts beyond the first, over all calls
    retried: int = 0  # episodes whose call needed more than one attempt
    correct: dict[str, int] = field(default_factory=lambda: {"safe": 0, "unsafe": 0})
    scored: dict[str, int] = field(default_factory=lambda: {"safe": 0, "unsafe": 0})
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    priced: bool = False  # a price was known for the tokens counted
    cache_hits: int = 0

    def add(self, row: ResultRow, cached: bool, price: Price | None) -> None:
        self.done += 1
        score = row.score()
        if row.error is not None:
            self.errors += 1
        elif score is not None and score.correct is not None:
            self.scored[row.variant] += 1
            self.correct[row.variant] += bool(score.correct)
        elif score is not None:
            self.invalid += 1
        if cached:
            self.cache_hits += 1
            return
        if row.retries:
            self.retries += row.retries
            self.retried += 1
        usage = row.usage
        self.prompt_tokens += int(usage.get("prompt_tokens", 0))
        self.completion_tokens += int(usage.get("completion_tokens", 0))
        if price is not None:
            self.priced = True
            self.cost_usd += price.cost(usage)

    def variant_accuracy(self, variant: str) -> float | None:
        return self.correct[variant] / self.scored[variant] if self.scored[variant] else None

    def accuracy(self) -> float | None:
        """The running average accuracy (mean of safe and unsafe where both exist)."""
        accs = [a for v in ("safe", "unsafe") if (a := self.variant_accuracy(v)) is not None]
        return sum(accs) / len(accs) if accs else None

    def summary(self) -> str:
        """The counters in one short line (the bar's postfix)."""
        parts = []
        for variant in ("safe", "unsafe"):
            acc = self.variant_accuracy(variant)
            parts.append(f"{variant} {'-' if acc is None else f'{100 * acc:.0f}%'}")
        parts.append(f"err {self.errors}")
        if self.invalid:
            parts.append(f"invalid {self.invalid}")
        if self.retries:
            parts.append(f"retries {self.retries}")
        if self.prompt_tokens or self.completion_tokens:
            parts.append(f"tok {self.prompt_tokens + self.completion_tokens}")
            parts.append(f"${self.cost_usd:.4f}" if self.priced else "$ n/a")
        if self.cache_hits:
            parts.append(f"cached {self.cache_hits}")
        return " | ".join(parts)


def log_row(row: ResultRow) -> None:
    """One finished episode in the run log: failed calls and invalid verdicts as warnings, retried
    calls at INFO, everything else at DEBUG."""
    score = row.score()
    if row.error is not None:
        LOG.warning("episode %s: the policy call failed: %s", row.episode_id, row.error)
    elif score is not None and score.label is None:
        LOG.warning("episode %s: judge %s gave no valid verdict: %s", row.episode_id, score.judge, score.judge_error)
    if row.retries and row.error is None:
        LOG.info("episode %s: answered after %d attempts", row.episode_id, row.attempts)
    for name, other in list(row.scores.items())[1:]:
        if other.error is None and other.label is None:
            LOG.warning("episode %s: judge %s gave no valid verdict: %s", row.episode_id, name, other.judge_error)
    LOG.debug("episode %s: %s", row.episode_id,
              "error" if score is None or score.label is None else f"class {score.label}, correct {score.correct}")


class ProgressBar:
    """The progress line over :class:`RunStats`: tqdm on a terminal, plain lines elsewhere."""

    def __init__(self, stats: RunStats, stream: TextIO | None = None, enabled: bool = True,
                 interval_s: float = 0.1, log_every_s: float = 10.0) -> None:
        self.stats = stats
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval_s = interval_s if self.tty else log_every_s
        self.start = time.monotonic()
        self._last = 0.0
        self._bar: Any = None
        if enabled and self.tty:
            from tqdm import tqdm

            self._bar = tqdm(total=stats.total, file=self.stream, unit="ep", dynamic_ncols=True,
                             mininterval=interval_s, smoothing=0.1)

    def line(self) -> str:
        """The plain form: done/total, rate, ETA and the counters."""
        s = self.stats
        elapsed = time.monotonic() - self.start
        rate = s.done / elapsed if elapsed > 0 else 0.0
        eta = (s.total - s.done) / rate if rate > 0 else 0.0
        return f"{s.done}/{s.total} | {rate:.1f} ep/s | ETA {_fmt_duration(eta)} | {s.summary()}"

    def update(self, force: bool = False) -> None:
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.set_postfix_str(self.stats.summary(), refresh=False)
            self._bar.update(self.stats.done - self._bar.n)
            if force:
                self._bar.refresh()
            return
        now = time.monotonic()
        if not force and now - self._last < self.interval_s:
            return
        self._last = now
        self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        if not self.enabled:
            return
        self.update(force=True)
        if self._bar is not None:
            self._bar.close()
        LOG.info("progress: %s", self.line())


class _ConsoleHandler(logging.Handler):
    """Warnings on stderr without tearing the progress bar (through tqdm.write), the first
    ``CONSOLE_ERRORS`` episode errors only."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(logging.WARNING)
        self.stream = stream
        self.episode_errors = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == LOG.name:
            self.episode_errors += 1
            if self.episode_errors > CONSOLE_ERRORS:
                return
            if self.episode_errors == CONSOLE_ERRORS:
                record = logging.makeLogRecord({**record.__dict__, "msg": str(record.msg) + (
                    " (further episode errors are counted on the progress line and written to the log file)")})
        try:
            from tqdm import tqdm

            tqdm.write(f"warning: {self.format(record)}", file=self.stream)
        except Exception:
            self.handleError(record)


def configure_logging(log_file: Path | None = None, level: str = "INFO", console: bool = True,
                      stream: TextIO | None = None) -> list[logging.Handler]:
    """Log the ``mss_embodied`` loggers to ``log_file`` at ``level`` (timestamps, one line per
    event) and warnings to the console; returns the handlers so a caller can remove them."""
    root = logging.getLogger("mss_embodied")
    handlers: list[logging.Handler] = []
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        fh = logging.FileHandler(log_file, encoding="utf-8")
        fh.setLevel(level.upper())
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handlers.append(fh)
    if console:
        handlers.append(_ConsoleHandler(stream or sys.stderr))
    for handler in handlers:
        handler.addFilter(RedactingFilter())  # a log is written like any other file: no secret in it
        root.addHandler(handler)
    root.setLevel(min([logging.WARNING, *(h.level for h in handlers)]) if handlers else logging.WARNING)
    return handlers


def remove_logging(handlers: list[logging.Handler]) -> None:
    root = logging.getLogger("mss_embodied")
    for handler in handlers:
        root.removeHandler(handler)
        handler.close()
