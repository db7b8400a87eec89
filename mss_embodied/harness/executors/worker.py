"""The worker side of every executor: many episodes at once on one event loop, one HTTP pool.

An :class:`EpisodeWorker` holds a run's pipeline and policy, binds one connection pool (sized to
its share of the concurrency) for every model call it makes, and wraps cacheable judges with the
shared call cache. The local executor runs one in its own process or one per worker process; the
Ray executor one per actor. Results that travel back to the driver (:class:`Done`) leave the image
and the episode behind: the driver, which alone writes the run folder, has both.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from mss_embodied.clients.http import HttpPool, using
from mss_embodied.data.scenario import Episode
from mss_embodied.harness.cache import ResponseCache
from mss_embodied.harness.judge_cache import with_judge_cache
from mss_embodied.harness.spec import EvalError, RunSpec
from mss_embodied.pipeline import ComponentError, EpisodePipeline, EpisodeResult
from mss_embodied.policies.base import Policy, PolicyInput, PolicyResponse
from mss_embodied.render.provider import ImageProvider
from mss_embodied.scoring.score import Score


@dataclass
class WorkerSetup:
    """Everything a worker process or actor needs to rebuild the run's pipeline (picklable).

    The episodes travel with their scenarios, which spares each worker re-reading the scene files:
    a worker needs the image files (a shared file system or the same paths on every node), and not
    even those when the run renders live."""

    spec: RunSpec
    episodes: list[Episode]
    cache_folder: Any  # Path | None
    pool_size: int
    renderer: str | None = None


@dataclass
class Done:
    """A finished episode on its way back to the driver."""

    episode_id: str
    inp: PolicyInput
    prompt_hash: str
    response: PolicyResponse
    scores: list[Score]
    timings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, result: EpisodeResult) -> Done:
        inp = replace(result.inp, image=None, image_file=None, episode=None)  # the driver has them
        return cls(result.episode.id, inp, result.prompt_hash, result.response, result.scores, result.timings)

    def result(self, episode: Episode) -> EpisodeResult:
        return EpisodeResult(episode, replace(self.inp, episode=episode), self.prompt_hash, self.response,
                             self.scores, self.timings)


class InputLoader:
    """Builds policy inputs on one background thread: decoding an image (milliseconds of C code that
    releases the GIL) then overlaps with the event loop's work instead of stalling it."""

    def __init__(self, pipeline: EpisodePipeline) -> None:
        self.pipeline = pipeline
        self._pool: ThreadPoolExecutor | None = None

    async def __call__(self, episode: Episode) -> PolicyInput:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="mss-inputs")
        return await asyncio.get_running_loop().run_in_executor(self._pool, self.pipeline.policy_input, episode)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


class EpisodeWorker:
    """Runs episodes concurrently on the calling loop; ``close`` releases the pool and the models."""

    def __init__(self, pipeline: EpisodePipeline, policy: Policy, cache: ResponseCache, pool_size: int,
                 owns: bool = False) -> None:
        self.pipeline, self.policy = pipeline, policy
        self.pipeline.judges = with_judge_cache(self.pipeline.judges, cache)
        self.pool = HttpPool(max(1, pool_size))
        self.inputs = InputLoader(pipeline)
        self._owns = owns

    @classmethod
    def build(cls, setup: WorkerSetup) -> EpisodeWorker:
        """A worker in another process, from its setup: bad input is an EvalError, as on the driver."""
        spec = setup.spec
        spec.validate()  # imports the run's plugins here too
        try:
            pipeline = EpisodePipeline(setup.episodes, setting=spec.setting, protocol=spec.protocol,
                                       judges=spec.judges, judge_options=spec.judge_options,
                                       images=ImageProvider(setup.renderer))
        except ComponentError as exc:
            raise EvalError(exc.reason, "judges") from None
        except FileNotFoundError as exc:  # a protocol imported on the driver's machine only
            raise EvalError(str(exc), "protocol") from None
        try:
            policy = pipeline.make_policy(spec.policy, **spec.policy_options)
        except ComponentError as exc:
            pipeline.close()
            raise EvalError(exc.reason, "policy") from None
        return cls(pipeline, policy, ResponseCache(setup.cache_folder), setup.pool_size, owns=True)

    async def run(self, episode: Episode, cached: PolicyResponse | None = None,
                  inp: PolicyInput | None = None) -> EpisodeResult:
        if inp is None:
            inp = await self.inputs(episode)
        with using(self.pool):
            return await self.pipeline.arun(episode, self.policy, cached=cached, inp=inp)

    async def run_id(self, episode_id: str, cached: PolicyResponse | None = None) -> Done:
        episode = self.pipeline.by_id.get(episode_id)
        if episode is None:
            raise EvalError(f"episode {episode_id!r} is not in this worker's run (the scene data differ "
                            "between the driver and the workers)")
        return Done.of(await self.run(episode, cached))

    async def aclose(self) -> None:
        await self.pool.aclose()
        self.inputs.close()
        if self._owns:
            self.policy.close()
            self.pipeline.close()
