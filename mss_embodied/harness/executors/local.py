"""``--executor local``: this machine, at most ``concurrency`` episodes in flight.

Episodes run on this process's event loop, or, when one core cannot keep up (a thin-client policy
such as ``openai:`` at high concurrency, with more than one CPU), on worker processes, one per
core, each with its own loop and connection pool (``--workers``). Either way the driver here
checks the cache, applies the rate limits and writes every row.
"""

from __future__ import annotations

import asyncio
import os

from mss_embodied.harness.executors.base import Executor, RunJob
from mss_embodied.harness.executors.dispatch import InlineLane, Lane, drive
from mss_embodied.harness.executors.worker import EpisodeWorker, WorkerSetup
from mss_embodied.harness.spec import EvalError
from mss_embodied.pipeline import ComponentError
from mss_embodied.policies.base import Policy
from mss_embodied.scoring.judges import OfflineJudge

#: Episodes in flight per worker process below which one process is enough (auto mode).
PER_PROCESS = 48


def replicable(job: RunJob, policy: Policy) -> bool:
    """Whether the run's policy and judges are cheap to copy into worker processes: thin clients of
    remote models (they say so with ``replicable = True``) and offline judges, never a loaded model."""
    judges_ok = all(getattr(j, "replicable", isinstance(j, OfflineJudge)) for j in job.pipeline.judges)
    return bool(getattr(policy, "replicable", False)) and judges_ok


def worker_count(job: RunJob, policy: Policy) -> int:
    """``--workers`` if given, else one process per core when each would get ``PER_PROCESS`` episodes
    in flight, else 1 (this process)."""
    if job.opts.workers is not None:
        return max(1, min(job.opts.workers, job.opts.concurrency, len(job.pending)))
    if not replicable(job, policy):
        return 1
    cores = os.cpu_count() or 1
    return max(1, min(cores, job.opts.concurrency // PER_PROCESS, len(job.pending) // PER_PROCESS))


class LocalExecutor(Executor):
    def run(self, job: RunJob) -> None:
        policy = driver_policy(job)
        try:
            asyncio.run(_drive_closing(job, local_lanes(job, policy)))
        finally:
            policy.close()  # with worker processes, each builds its own


def driver_policy(job: RunJob) -> Policy:
    """The run's policy, built in this (the driver's) process; the caller closes it."""
    try:
        return job.pipeline.make_policy(job.spec.policy, **job.spec.policy_options)
    except ComponentError as exc:
        raise EvalError(exc.reason, "policy") from None


def local_lanes(job: RunJob, policy: Policy) -> list[Lane]:
    """Where the local executor runs episodes: this process (with ``policy``), or worker processes,
    forked now, when one core cannot keep up."""
    n = worker_count(job, policy)
    if n > 1 and not replicable(job, policy):
        raise EvalError(f"{job.spec.policy!r} (or one of the judges) can only run in this process; use 1", "workers")
    if n == 1:
        return [InlineLane(EpisodeWorker(job.pipeline, policy, job.cache, job.opts.concurrency), job.opts.concurrency)]
    return process_lanes(job, n)


def process_lanes(job: RunJob, n: int) -> list[Lane]:
    """``n`` worker processes sharing the concurrency (see ``ProcessLane.start`` for fork or spawn)."""
    from mss_embodied.harness.executors.processes import ProcessLane

    job.cache.close()  # no SQLite connection may cross a fork; each side reopens its own
    share = -(-job.opts.concurrency // n)
    lanes: list[Lane] = []
    for i in range(n):
        capacity = min(share, job.opts.concurrency - i * share)
        setup = WorkerSetup(job.spec, list(job.pending), job.cache.folder, capacity, job.spec.renderer)
        lane = ProcessLane(setup, capacity)
        lane.start()
        lanes.append(lane)
    return lanes


async def _drive_closing(job: RunJob, lanes: list[Lane]) -> None:
    try:
        await drive(job, lanes)
    finally:
        await asyncio.gather(*(lane.aclose() for lane in lanes), return_exceptions=True)
