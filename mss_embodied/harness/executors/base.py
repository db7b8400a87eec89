"""The executor interface and the job it runs: pending episodes, the run folder, cache and counters."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mss_embodied.data.scenario import Episode
from mss_embodied.harness.breaker import CircuitBreaker
from mss_embodied.harness.cache import ResponseCache, cache_key, generation_params
from mss_embodied.harness.progress import ProgressBar, RunStats, log_row
from mss_embodied.harness.rows import ResultRow
from mss_embodied.harness.spec import ExecOptions, RunSpec
from mss_embodied.harness.store import RunStore
from mss_embodied.pipeline import EpisodePipeline, EpisodeResult
from mss_embodied.policies.base import PolicyInput, PolicyResponse


@dataclass
class RunJob:
    """One session of a run: what is left to do and where its results go."""

    spec: RunSpec
    pipeline: EpisodePipeline
    pending: Sequence[Episode]
    store: RunStore
    cache: ResponseCache
    opts: ExecOptions
    stats: RunStats
    bar: ProgressBar
    params: dict[str, Any] = field(init=False)
    breaker: CircuitBreaker = field(init=False)

    def __post_init__(self) -> None:
        self.params = generation_params(self.spec.policy_options)
        self.breaker = CircuitBreaker.from_options(self.opts)

    def cache_key(self, inp: PolicyInput) -> str:
        return cache_key(self.spec.policy, inp.prompt, inp.image_id, inp.setting, self.params, inp.caption)

    def lookup(self, inp: PolicyInput) -> PolicyResponse | None:
        return self.cache.get(self.cache_key(inp))

    @staticmethod
    def cacheable(result: EpisodeResult) -> bool:
        """The one condition for storing an episode's answer in the shared cache: a fresh, successful
        call that is an answer (a failure or a non-answer is never replayed as an answer)."""
        return (not result.timings.get("cache_hit") and result.response.ok
                and not any(s.status == "invalid" for s in result.scores))

    def finish(self, result: EpisodeResult) -> ResultRow:
        """Persist one finished episode: the answer into the cache first, then the row, so a kill
        between the two costs nothing on resume (the answer comes from the cache). Not thread-safe:
        call from one thread at a time."""
        hit = bool(result.timings.get("cache_hit"))
        if self.cache.folder is not None and self.cacheable(result):
            self.cache.put(self.cache_key(result.inp), result.response)
        row = ResultRow.from_result(result)
        if row.image_path is None and result.inp.image is not None:  # rendered live: keep the frame
            row = replace(row, image_path=self.store.save_image(row.image_id, result.inp.image))
        self.store.add_prompt(row.prompt_hash, result.inp.prompt, row.setting)
        self.store.append(row)
        self.stats.add(row, hit, self.opts.price)
        log_row(row)
        self.bar.update()
        self.breaker.record(row)  # fail fast: may stop the run, after this row is safely on disk
        return row


class Executor(ABC):
    """Runs every pending episode of a job exactly once (a crash may leave some for the resume)."""

    @abstractmethod
    def run(self, job: RunJob) -> None: ...
