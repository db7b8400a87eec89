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
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass, field
from typing import Any

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


@dataclass
class _Seat:
    """A lane as the dispatcher sees it: its queue, and whether it still takes work."""

    lane: Lane
    queue: deque[Episode] = field(default_factory=deque)
    retired: bool = False


async def drive(job: RunJob, lanes: Sequence[Lane], arriving: Awaitable[Sequence[Lane]] | None = None) -> None:
    """Run every pending episode of ``job`` on ``lanes``; the first failure (bad input found by a
    worker, an episode lost ``MAX_LOSSES`` times) stops the run with finished rows kept.

    ``arriving``: lanes that become ready later (Ray's actors while Ray starts). When they arrive,
    the first lanes finish what they hold and take nothing more, and what is left goes to the new
    ones; at no moment are more than ``concurrency`` episodes in flight. If the run is done first,
    the wait for them is cancelled; if they fail to arrive, the run stops with that error."""
    limiter = RateLimiter(job.opts.rpm, job.opts.tpm)
    in_flight = asyncio.Semaphore(job.opts.concurrency)
    seats: list[_Seat] = []
    losses: Counter[str] = Counter()
    caching = job.cache.folder is not None
    inputs = InputLoader(job.pipeline)

    def seat_lanes(new: Sequence[Lane], episodes: Sequence[Episode]) -> list[_Seat]:
        for old in seats:
            old.retired = True
            old.queue.clear()
        fresh = [_Seat(lane) for lane in new]
        for episode in episodes:
            fresh[_affinity(episode, len(fresh))].queue.append(episode)
        seats.extend(fresh)
        return fresh

    def take(seat: _Seat) -> Episode | None:
        if seat.retired:
            return None
        if seat.queue:
            return seat.queue.popleft()
        busiest = max((s.queue for s in seats if not s.retired), key=len, default=None)
        return busiest.pop() if busiest else None

    def give_back(seat: _Seat, episode: Episode) -> None:
        home = seat if not seat.retired else next(s for s in seats if not s.retired)
        home.queue.appendleft(episode)

    running = 0  # episodes taken and not yet finished or given back, over all lanes
    changed = asyncio.Event()  # set when an episode finishes or comes back

    async def slot(seat: _Seat) -> None:
        nonlocal running
        while not seat.retired:
            await in_flight.acquire()
            episode = take(seat)
            if episode is None:
                in_flight.release()
                if running == 0:  # nothing queued, nothing that could come back: done
                    return
                changed.clear()  # an episode in flight elsewhere may come back (its worker died)
                await changed.wait()
                continue
            running += 1
            try:
                await run_one(seat, episode)
            finally:
                in_flight.release()
                running -= 1
                changed.set()

    async def run_one(seat: _Seat, episode: Episode) -> None:
        lane = seat.lane
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
            give_back(seat, episode)
            return
        if hit is None:
            limiter.record(result.response.usage)
        job.finish(result)

    def start(new: list[_Seat]) -> set[asyncio.Future[None]]:
        return {asyncio.ensure_future(slot(seat)) for seat in new for _ in range(seat.lane.capacity)}

    tasks = start(seat_lanes(lanes, job.pending))
    later: asyncio.Future[Sequence[Lane]] | None = asyncio.ensure_future(arriving) if arriving is not None else None
    try:
        while tasks:
            waiting: set[asyncio.Future[Any]] = set(tasks) | ({later} if later is not None else set())
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is later:
                    later = None
                    left = [e for s in seats if not s.retired for e in s.queue]
                    tasks |= start(seat_lanes(task.result(), left))
                else:
                    tasks.discard(task)
                    task.result()
    finally:
        rest: list[asyncio.Future[Any]] = [*tasks, *([later] if later is not None else [])]
        for task in rest:
            task.cancel()
        await asyncio.gather(*rest, return_exceptions=True)
        inputs.close()
