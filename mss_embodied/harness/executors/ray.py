"""``--executor ray``: episodes spread over Ray actors; the driver alone writes the run folder.

Each actor (one per CPU by default, at least one per node, spread over the nodes) is an
:class:`EpisodeWorker` on the actor's own event loop: it builds the run's pipeline and policy once
from a picklable :class:`WorkerSetup` (the episodes travel with it; the images must be readable on
every node, see the README) and runs many episodes at once over one connection pool. The driver
hands out episodes (:func:`~mss_embodied.harness.executors.dispatch.drive`): it checks the cache,
applies the run's rate limits for all actors together and writes rows as results arrive, so resume
semantics are the local executor's. An actor that dies is restarted by Ray; only its in-flight
episodes are lost, and they are handed out again.

Starting a fresh local Ray takes seconds (its GCS, raylet and worker processes). A run that starts
one with a thin-client policy does not wait for it: Ray starts on a thread of its own while the
driver runs episodes itself, and the actors take over the rest once all are ready (episodes run
on the driver have no ``timings.ray_node``). Connecting to running Ray (``--ray-address``, or Ray
already started in this process) is quick and goes straight to the actors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any

from mss_embodied.harness.executors.base import Executor, RunJob
from mss_embodied.harness.executors.dispatch import Lane, drive
from mss_embodied.harness.executors.local import driver_policy, local_lanes, replicable
from mss_embodied.harness.executors.ray_lanes import ActorLane, actor_class, cpus_per_actor
from mss_embodied.harness.executors.worker import WorkerSetup
from mss_embodied.harness.spec import EvalError

#: Episodes in flight per actor below which fewer actors are started (auto mode).
PER_ACTOR = 16
#: Niceness of a Ray started in the background (and so of its processes, which inherit it).
NICE = 10
#: How long an actor may take to be placed and set up (a runtime env may install packages first).
READY_TIMEOUT_S = 300.0


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise EvalError("needs Ray: pip install 'mss-embodied[ray]'", "executor") from None
    return ray


def init_ray(address: str | None, num_cpus: int | None = None) -> Any:
    """Connect to ``address`` (or start a local Ray). A local Ray's workers inherit this process's
    import path through the environment (so they start from Ray's pre-started pool); a cluster's
    workers need the package installed (or a runtime env, see the README)."""
    ray = _import_ray()
    if ray.is_initialized():
        return ray
    if address is None:
        path = os.pathsep.join(dict.fromkeys(p for p in [os.getcwd(), *sys.path] if p and os.path.isdir(p)))
        os.environ["PYTHONPATH"] = path
    try:
        # no address: always a fresh local Ray of our own ("local"), never whatever cluster happens to run here
        ray.init(address=address or "local", num_cpus=num_cpus if address is None else None, include_dashboard=False,
                 log_to_driver=False, configure_logging=False)
    except Exception as exc:  # Ray raises many kinds when it cannot start or connect (timeouts, OSError, ...)
        what = f"connect to Ray at {address!r}" if address else "start a local Ray"
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise EvalError(f"cannot {what} ({type(exc).__name__}: {reason})", "ray_address") from None
    return ray


_START_LOCK = threading.Lock()
_STARTING: Future[Any] | None = None


class _NoSigtermNote(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("SIGTERM handler is not set")


def start_ray_in_background(num_cpus: int | None) -> Future[Any]:
    """A fresh local Ray started on a daemon thread; the future gives the ``ray`` module (or the
    start-up's :class:`EvalError`). The thread stays alive afterwards, idle: Ray's processes are
    started with a parent-death signal, which Linux sends when the *thread* that started them ends.
    One start per process: a second run while Ray is starting waits for the same one."""
    global _STARTING
    with _START_LOCK:
        if _STARTING is not None and not _STARTING.done():  # under way
            return _STARTING
        started: Future[Any] = Future()
        started.set_running_or_notify_cancel()
        _STARTING = started

    def start() -> None:
        with contextlib.suppress(OSError, AttributeError):  # lower priority: the driver's episodes come first
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), NICE)
        # Ray notes that off the main thread it sets no SIGTERM handler: SIGTERM then ends the run as it
        # would without Ray (rows written so far are kept; --resume finishes the rest)
        logging.getLogger("ray._private.worker").addFilter(_NoSigtermNote())
        try:
            started.set_result(init_ray(None, num_cpus))
        except BaseException as exc:  # handed to the driver, which reports it
            started.set_exception(exc)
            return
        threading.Event().wait()  # keep Ray's processes alive for the rest of this process

    threading.Thread(target=start, name="mss-ray-start", daemon=True).start()
    return started


def actor_count(job: RunJob, cpus: float, nodes: int) -> int:
    """``--workers`` if given; else one actor per CPU, at least one per node, and no more than gives
    each ``PER_ACTOR`` episodes in flight."""
    if job.opts.workers is not None:
        return max(1, min(job.opts.workers, job.opts.concurrency))
    by_load = max(1, job.opts.concurrency // PER_ACTOR, nodes)
    return max(1, min(int(cpus) or 1, by_load, job.opts.concurrency))


class RayExecutor(Executor):
    """Rows record the node each episode ran on (``timings.ray_node``)."""

    def run(self, job: RunJob) -> None:
        ray = _import_ray()
        starting = _STARTING is not None and not _STARTING.done()
        fresh = job.opts.ray_address is None and (starting or not ray.is_initialized())
        policy = driver_policy(job) if fresh else None
        if policy is not None and not replicable(job, policy):  # a loaded model stays on the actors
            policy.close()
            policy = None
        if policy is not None:  # a fresh local Ray: run episodes here, as the local executor would, while it starts
            try:
                here = local_lanes(job, policy)  # worker processes forked before Ray's thread exists
                started = start_ray_in_background(job.opts.ray_num_cpus)
                asyncio.run(self._drive_while_starting(job, here, started))
            finally:
                policy.close()
            return
        ray = init_ray(job.opts.ray_address, job.opts.ray_num_cpus)
        asyncio.run(self._drive(job, ray))

    @staticmethod
    def _actor_lanes(job: RunJob, ray: Any) -> list[ActorLane]:
        cpus = ray.available_resources().get("CPU", 0) or ray.cluster_resources().get("CPU", 1)
        node_cpus = [float(node.get("Resources", {}).get("CPU", 0)) for node in ray.nodes() if node.get("Alive")]
        n = actor_count(job, cpus, len(node_cpus))
        each = cpus_per_actor([c for c in node_cpus if c > 0], n)
        share = math.ceil(job.opts.concurrency / n)
        setup = WorkerSetup(job.spec, list(job.pending), job.cache.folder, share, job.spec.renderer)
        setup_ref = ray.put(setup)
        lanes: list[ActorLane] = []
        for i in range(n):
            capacity = max(1, min(share, job.opts.concurrency - i * share))
            actor = actor_class(ray, capacity, each).options(scheduling_strategy="SPREAD").remote([setup_ref])
            lanes.append(ActorLane(actor, capacity, ray, setup_ref))
        return lanes

    @staticmethod
    async def _ready(lanes: Sequence[ActorLane]) -> None:
        for lane in lanes:
            try:
                await asyncio.wait_for(lane.actor.ready.remote(), READY_TIMEOUT_S)
            except lane.ray.exceptions.RayActorError as exc:
                cause = getattr(exc, "cause", None) or exc
                raise EvalError(f"a Ray actor could not start: {str(cause).splitlines()[-1][:300]}") from None
            except asyncio.TimeoutError:
                free = lane.ray.available_resources().get("CPU", 0)
                raise EvalError(f"a Ray actor was not ready after {READY_TIMEOUT_S:.0f} s ({free:g} CPUs free in the "
                                "cluster: other jobs may hold them; fewer actors with --workers, or check the "
                                "nodes' runtime env)", "workers") from None

    async def _drive(self, job: RunJob, ray: Any) -> None:
        lanes = self._actor_lanes(job, ray)
        try:
            await self._ready(lanes)
            await drive(job, lanes)
        finally:
            await asyncio.gather(*(lane.aclose() for lane in lanes), return_exceptions=True)

    async def _drive_while_starting(self, job: RunJob, here: list[Lane], started: Future[Any]) -> None:
        """The driver's own lanes until the actors are ready, then the actors."""
        made: list[ActorLane] = []

        async def actors() -> list[Lane]:
            ray = await asyncio.wrap_future(started)
            made.extend(await asyncio.to_thread(self._actor_lanes, job, ray))  # ray.put of the set-up: off the loop
            await self._ready(made)
            return list(made)

        try:
            await drive(job, here, arriving=actors())
        finally:
            await asyncio.gather(*(lane.aclose() for lane in [*here, *made]), return_exceptions=True)
