"""Fail fast: stop a run whose calls keep failing, instead of writing hundreds of error rows.

Against a dead or misconfigured endpoint (wrong URL, revoked key, a server that is down) every
episode fails after its retries; an audit's 760-episode run would have spent ten minutes producing
760 errors. :class:`CircuitBreaker` watches the rows as they are written and trips after
``max_consecutive`` failed episodes in a row (no success in between) or ``max_errors`` in all. The
row that trips it is already on disk, so nothing finished is lost; the run stops with a message
that names the last error and how to resume. A failed episode is a failed policy call or a judge
whose call failed (an endpoint error), never an answer the judge found invalid.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from mss_embodied.harness.rows import ResultRow
from mss_embodied.harness.spec import DEFAULT_MAX_CONSECUTIVE_ERRORS, EvalError, ExecOptions
from mss_embodied.redaction import redact_text


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class RunStopped(EvalError):
    """The breaker tripped: finished rows are kept and the run can be resumed."""


def failure_of(row: ResultRow) -> str | None:
    """Why the episode failed (a policy call or a judge's call), or None when it was answered and scored."""
    if row.error is not None:
        return row.error
    for score in row.scores.values():
        if score.judge_error and score.judge_error.startswith("judge call failed"):
            return f"judge {score.judge}: {score.judge_error}"
    return None


@dataclass
class CircuitBreaker:
    """``record`` every written row; it raises :class:`RunStopped` when a limit is reached. A limit of
    None (or 0 consecutive) is off."""

    max_consecutive: int | None = DEFAULT_MAX_CONSECUTIVE_ERRORS
    max_errors: int | None = None
    consecutive: int = 0
    errors: int = 0
    last_error: str | None = field(default=None, repr=False)
    tripped: RunStopped | None = field(default=None, repr=False)  # once tripped, every later record says so
    #: Where the first failure is logged (once: the progress line counts the rest); None: silent.
    warn: Callable[[str], None] | None = field(default=None, repr=False)

    @classmethod
    def from_options(cls, opts: ExecOptions) -> CircuitBreaker:
        return cls(opts.max_consecutive_errors, opts.max_errors, warn=_stderr if opts.progress else None)

    def record(self, row: ResultRow) -> None:
        if self.tripped is not None:  # episodes still in flight when it tripped: the same stop, said once
            raise self.tripped
        failure = failure_of(row)
        if failure is None:
            self.consecutive = 0
            return
        self.consecutive += 1
        self.errors += 1
        self.last_error = failure
        if self.errors == 1 and self.warn is not None:
            self.warn(redact_text(f"warning: episode {row.episode_id} failed: {_first_line(failure)} (failed episodes "
                                  "are counted as 'err' on the progress line)"))
        if self.max_consecutive and self.consecutive >= self.max_consecutive:
            self._trip(f"{self.consecutive} episodes in a row failed", "max_consecutive_errors")
        if self.max_errors is not None and self.errors >= self.max_errors:
            self._trip(f"{self.errors} episodes failed (the limit is {self.max_errors})", "max_errors")

    def _trip(self, what: str, limit: str) -> None:
        last = _first_line(self.last_error or "unknown")
        self.tripped = RunStopped(f"run stopped: {what}; last error: {last}. Finished episodes are kept: check "
                                  "the endpoint or its options, then rerun with {option:resume} {option:retry_errors} "
                                  f"to run the failed ones again (raise {{option:{limit}}} to tolerate more)")
        raise self.tripped


def _first_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0][:300] if lines else "(no message)"
