"""The executor interface and the job it runs: pending episodes, the run folder, cache and counters."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mss_embodied.data.scenario import Episode
from mss_embodied.harness.cache import ResponseCache, cache_key, generation_params
from mss_embodied.harness.progress import ProgressBar, RunStats
from mss_embodied.harness.spec import ExecOptions, RunSpec
from mss_embodied.harness.store import ResultRow, RunStore
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

    def __post_init__(self) -> None:
        self.params = generation_params(self.spec.policy_options)

    def cache_key(self, inp: PolicyInput) -> str:
        return cache_key(self.spec.policy, inp.prompt, inp.image_id, inp.setting, self.params, inp.caption)

    def lookup(self, inp: PolicyInput) -> PolicyResponse | None:
        return self.cache.get(self.cache_key(inp))

    @staticmethod
    def cacheable(result: EpisodeResult) -> bool:
        """The one condition for storing an episode's answer in the shared cache: a fresh, successful
        call (a failure is never replayed as an answer)."""
        return not result.timings.get("cache_hit") and result.response.ok

    def finish(self, result: EpisodeResult) -> ResultRow:
        """Persist one finished episode: the answer into the cache first, then the row, so a kill
        between the two costs nothing on resume (the answer comes from the cache). Not thread-safe:
        call from one thread at a time."""
        hit = bool(result.timings.get("cache_hit"))
        if self.cache.folder is not None and self.cacheable(result):
            self.cache.put(self.cache_key(result.inp), result.response)
        row = ResultRow.from_result(result)
        self.store.append(row)
        self.stats.add(row, hit, self.opts.price)
        self.bar.update()
        return row


class Executor(ABC):
    """Runs every pending episode of a job exactly once (a crash may leave some for the resume)."""

    @abstractmethod
    def run(self, job: RunJob) -> None: ...
