"""``--executor ray``: episodes spread over a Ray cluster; the driver alone writes the run folder.

Workers only compute: each builds an :class:`EvalContext` once per process from the picklable
RunSpec (scenes and images must be reachable from the workers, e.g. a shared file system) and
returns the result row. The driver checks the cache, keeps at most ``concurrency`` tasks in
flight, applies rate limits, and appends rows as they arrive, so resume semantics are the local
executor's. A worker that dies loses only its in-flight tasks, which Ray retries (``max_retries``).
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from mss_embodied.data.images import ImageError
from mss_embodied.harness.ratelimit import RateLimiter
from mss_embodied.harness.runner import EvalContext, EvalError, ExecOptions, RunSpec
from mss_embodied.policies.base import PolicyResponse

if TYPE_CHECKING:
    from mss_embodied.data.scenario import Episode
    from mss_embodied.harness.cache import ResponseCache
    from mss_embodied.harness.progress import ProgressBar, RunStats
    from mss_embodied.harness.store import RunStore

#: Retries of a task whose worker died (not of a policy error, which is a result).
MAX_RETRIES = 3
_CONTEXTS: dict[str, EvalContext] = {}


def _context(spec: RunSpec) -> EvalContext:
    key = spec.digest()
    if key not in _CONTEXTS:
        _CONTEXTS[key] = EvalContext(spec)
    return _CONTEXTS[key]


def evaluate_remote(spec: RunSpec, episode_id: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Worker side: the row, and the response to cache (None when the call failed)."""
    ctx = _context(spec)
    prep = ctx.prepare(ctx.by_id[episode_id])
    row, response = asyncio.run(ctx.evaluate(prep))
    cacheable = ({"text": response.text, "usage": response.usage, "latency_s": response.latency_s,
                  "meta": response.meta} if response.ok else None)
    return row, cacheable


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise EvalError("--executor ray needs Ray: pip install 'mss-embodied[ray]'") from None
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
    except (ConnectionError, ValueError, RuntimeError) as exc:
        raise EvalError(f"--ray-address {address!r}: cannot connect to Ray ({exc})") from None
    return ray


def run_ray(ctx: EvalContext, pending: Sequence[Episode], store: RunStore, cache: ResponseCache,
            opts: ExecOptions, stats: RunStats, bar: ProgressBar) -> None:
    ray = init_ray(opts.ray_address, opts.ray_num_cpus)
    remote = ray.remote(max_retries=MAX_RETRIES, retry_exceptions=False)(evaluate_remote)
    spec_ref = ray.put(ctx.spec)
    limiter = RateLimiter(opts.rpm, opts.tpm)
    loop = asyncio.new_event_loop()
    in_flight: dict[Any, str] = {}
    queue = list(pending)[::-1]
    try:
        while queue or in_flight:
            while queue and len(in_flight) < opts.concurrency:
                episode = queue.pop()
                prep = ctx.prepare(episode)
                hit = cache.get(prep.key)
                if hit is not None:  # scored here: no need to ship a cached answer to a worker
                    row, _ = loop.run_until_complete(ctx.evaluate(prep, hit))
                    store.append(row)
                    stats.add(row, True, opts.price)
                    bar.update()
                    continue
                loop.run_until_complete(limiter.acquire())
                in_flight[remote.remote(spec_ref, episode.id)] = prep.key
            if not in_flight:
                continue
            ready, _ = ray.wait(list(in_flight), num_returns=1, timeout=1.0)
            for ref in ready:
                key = in_flight.pop(ref)
                try:
                    row, cacheable = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:
                    if isinstance(exc.cause, (EvalError, ImageError)):  # bad input seen by a worker
                        raise EvalError(str(exc.cause)) from None
                    raise
                limiter.record(row.get("usage") or {})
                if cacheable is not None:
                    cache.put(key, PolicyResponse(**cacheable))
                store.append(row)
                stats.add(row, False, opts.price)
                bar.update()
            if not ready:
                time.sleep(0)
    finally:
        for ref in in_flight:
            ray.cancel(ref, force=False)
        loop.close()
