"""The driver side of every executor: episodes handed to lanes, rows written as results arrive.

A lane is where episodes run: this process (:class:`InlineLane`), a worker process or a Ray actor,
each taking up to ``capacity`` episodes at once. The driver alone checks the response cache,
applies the run's rate limits (one limiter for all lanes) and writes rows through
:meth:`RunJob.finish`, so results and resume semantics are the same wherever episodes ran. An
episode whose worker died is handed out again (a worker that dies loses only its in-flight
episodes), at most ``MAX_LOSSES`` times. Episodes of one situation go to the same lane while it
has work (each worker then decodes and encodes only its share of the images); an idle lane takes
work from the busiest.
"""

from __future__ import annotations

import asyncio
import zlib
from abc import ABC, abstractmethod
from collections import Counter, deque
from collections.abc import Sequence

from mss_embodied.data.scenario import Episode
from mss_embodied.harness.executors.base import RunJob
from mss_embodied.harness.executors.worker import EpisodeWorker, InputLoader
from mss_embodied.harness.ratelimit import RateLimiter
from mss_embodied.harness.spec import EvalError
from mss_embodied.pipeline import EpisodeResult
from mss_embodied.policies.base import PolicyInput, PolicyResponse

#: How often one episode may be in flight on a worker that died before the run gives up on it.
MAX_LOSSES = 3


class WorkerLost(Exception):
    """The worker running an episode died (a crash, the OOM killer, a lost node): run it elsewhere."""


class Lane(ABC):
    """Somewhere episodes run, up to ``capacity`` at once."""

    capacity: int = 1
    #: Whether the lane needs the driver's policy input (an in-process lane reuses it).
    wants_input: bool = False

    @abstractmethod
    async def run(self, episode: Episode, cached: PolicyResponse | None, inp: PolicyInput | None) -> EpisodeResult:
        """The finished episode; raises :class:`WorkerLost` when its worker died."""

    async def aclose(self) -> None:  # noqa: B027 - optional hook
        """Stop the worker."""


class InlineLane(Lane):
    """Episodes on the driver's own loop (the only lane for in-process policies)."""

    wants_input = True

    def __init__(self, worker: EpisodeWorker, capacity: int) -> None:
        self.worker, self.capacity = worker, capacity

    async def run(self, episode: Episode, cached: PolicyResponse | None, inp: PolicyInput | None) -> EpisodeResult:
        return await self.worker.run(episode, cached, inp)

    async def aclose(self) -> None:
        await self.worker.aclose()


def _affinity(episode: Episode, n: int) -> int:
    """The lane an episode prefers: the same for every episode of one situation (stable across runs)."""
    return zlib.crc32(f"{episode.scenario.id}/{episode.variant}".encode()) % n if n > 1 else 0


async def drive(job: RunJob, lanes: Sequence[Lane]) -> None:
    """Run every pending episode of ``job`` on ``lanes``; the first failure (bad input found by a
    worker, an episode lost ``MAX_LOSSES`` times) stops the run with finished rows kept."""
    limiter = RateLimiter(job.opts.rpm, job.opts.tpm)
    queues: list[deque[Episode]] = [deque() for _ in lanes]
    for episode in job.pending:
        queues[_affinity(episode, len(lanes))].append(episode)
    losses: Counter[str] = Counter()
    caching = job.cache.folder is not None
    inputs = InputLoader(job.pipeline)

    def take(i: int) -> Episode | None:
        if queues[i]:
            return queues[i].popleft()
        busiest = max(queues, key=len)
        return busiest.pop() if busiest else None

    async def slot(i: int, lane: Lane) -> None:
        while (episode := take(i)) is not None:
            inp = await inputs(episode) if caching or lane.wants_input else None
            hit = job.lookup(inp) if caching and inp is not None else None
            if hit is None:
                await limiter.acquire()
            try:
                result = await lane.run(episode, hit, inp)
            except WorkerLost as exc:
                losses[episode.id] += 1
                if losses[episode.id] >= MAX_LOSSES:
                    raise EvalError(f"episode {episode.id!r} was running on a worker that died "
                                    f"{losses[episode.id]} times ({exc}); finished episodes are kept") from None
                queues[i].appendleft(episode)
                continue
            if hit is None:
                limiter.record(result.response.usage)
            job.finish(result)

    tasks = [asyncio.ensure_future(slot(i, lane)) for i, lane in enumerate(lanes) for _ in range(lane.capacity)]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            task.result()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        inputs.close()
