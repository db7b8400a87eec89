"""``--executor ray``: episodes spread over a Ray cluster; the driver alone writes the run folder.

Workers only compute: each builds the run's pipeline and policy once per process from the
picklable :class:`RunSpec` (scenes and images must be reachable from the workers, e.g. a shared
file system) and returns the finished episode. The driver checks the cache, keeps at most
``concurrency`` tasks in flight, applies rate limits, and writes rows as they arrive, so resume
semantics are the local executor's. A worker that dies loses only its in-flight tasks, which Ray
retries (``max_retries``).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import Any

from mss_embodied.data.images import ImageError
from mss_embodied.harness.executors.base import Executor, RunJob
from mss_embodied.harness.ratelimit import RateLimiter
from mss_embodied.harness.spec import EvalError, RunSpec
from mss_embodied.pipeline import EpisodePipeline, EpisodeResult
from mss_embodied.policies.base import Policy

#: Retries of a task whose worker died (not of a policy error, which is a result).
MAX_RETRIES = 3
_WORKERS: dict[str, tuple[EpisodePipeline, Policy]] = {}


def _worker(spec: RunSpec) -> tuple[EpisodePipeline, Policy]:
    key = spec.digest()
    if key not in _WORKERS:
        pipeline = spec.build_pipeline()
        _WORKERS[key] = (pipeline, pipeline.make_policy(spec.policy, **spec.policy_options))
    return _WORKERS[key]


def evaluate_remote(spec: RunSpec, episode_id: str) -> EpisodeResult:
    """Worker side: the finished episode (its input's image is dropped before it travels back)."""
    pipeline, policy = _worker(spec)
    result = asyncio.run(pipeline.arun(pipeline.by_id[episode_id], policy))
    result.inp = _without_image(result)
    return result


def _without_image(result: EpisodeResult) -> Any:
    from dataclasses import replace

    return replace(result.inp, image=None, episode=None)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise EvalError("needs Ray: pip install 'mss-embodied[ray]'", "executor") from None
    return ray


def init_ray(address: str | None, num_cpus: int | None = None) -> Any:
    """Connect to ``address`` (or start a local Ray); workers see the driver's import path."""
    ray = _import_ray()
    if ray.is_initialized():
        return ray
    path = os.pathsep.join(p for p in [os.getcwd(), *sys.path] if p and os.path.isdir(p))
    runtime_env = {"env_vars": {"PYTHONPATH": path}} if address is None else None
    try:
        ray.init(address=address, num_cpus=num_cpus if address is None else None, include_dashboard=False,
                 log_to_driver=False, runtime_env=runtime_env, configure_logging=False)
    except Exception as exc:  # Ray raises many kinds when it cannot start or connect (timeouts, OSError, ...)
        what = f"connect to Ray at {address!r}" if address else "start a local Ray"
        reason = " ".join(str(exc).split())[:300] or type(exc).__name__
        raise EvalError(f"cannot {what} ({type(exc).__name__}: {reason})", "ray_address") from None
    return ray


class RayExecutor(Executor):
    def run(self, job: RunJob) -> None:
        ray = init_ray(job.opts.ray_address, job.opts.ray_num_cpus)
        remote = ray.remote(max_retries=MAX_RETRIES, retry_exceptions=False)(evaluate_remote)
        spec_ref = ray.put(job.spec)
        limiter = RateLimiter(job.opts.rpm, job.opts.tpm)
        loop = asyncio.new_event_loop()
        in_flight: dict[Any, Any] = {}
        queue = list(job.pending)[::-1]
        try:
            while queue or in_flight:
                while queue and len(in_flight) < job.opts.concurrency:
                    episode = queue.pop()
                    inp = job.pipeline.policy_input(episode)
                    hit = job.lookup(inp)
                    if hit is not None:  # scored here: no need to ship a cached answer to a worker
                        job.finish(loop.run_until_complete(job.pipeline.arun(episode, None, cached=hit, inp=inp)))
                        continue
                    loop.run_until_complete(limiter.acquire())
                    in_flight[remote.remote(spec_ref, episode.id)] = (episode, inp)
                if not in_flight:
                    continue
                ready, _ = ray.wait(list(in_flight), num_returns=1, timeout=1.0)
                for ref in ready:
                    episode, inp = in_flight.pop(ref)
                    try:
                        result: EpisodeResult = ray.get(ref)
                    except ray.exceptions.RayTaskError as exc:
                        if isinstance(exc.cause, (EvalError, ImageError)):  # bad input seen by a worker
                            raise EvalError(str(exc.cause)) from None
                        raise
                    limiter.record(result.response.usage)
                    result.episode, result.inp = episode, inp
                    job.finish(result)
                if not ready:
                    time.sleep(0)
        finally:
            for ref in in_flight:
                ray.cancel(ref, force=False)
            loop.close()
