"""``--executor local``: one asyncio loop, at most ``concurrency`` episodes in flight."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from mss_embodied.data.scenario import Episode
from mss_embodied.harness.executors.base import Executor, RunJob
from mss_embodied.harness.ratelimit import RateLimiter
from mss_embodied.harness.spec import EvalError
from mss_embodied.pipeline import ComponentError
from mss_embodied.policies.base import Policy


class LocalExecutor(Executor):
    def run(self, job: RunJob) -> None:
        try:
            policy = job.pipeline.make_policy(job.spec.policy, **job.spec.policy_options)
        except ComponentError as exc:
            raise EvalError(exc.reason, "policy") from None
        try:
            asyncio.run(self._run(job, policy))
        finally:
            policy.close()

    async def _run(self, job: RunJob, policy: Policy) -> None:
        """N workers pull episodes from one iterator; file I/O runs off the loop in one thread."""
        limiter = RateLimiter(job.opts.rpm, job.opts.tpm)
        source: Iterator[Episode] = iter(job.pending)
        loop = asyncio.get_running_loop()
        writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="results-writer")

        async def worker() -> None:
            for episode in source:
                inp = job.pipeline.policy_input(episode)
                hit = job.lookup(inp)
                result = await job.pipeline.arun(episode, policy, cached=hit, gate=limiter, inp=inp)
                await loop.run_in_executor(writer, job.finish, result)

        tasks = [asyncio.ensure_future(worker()) for _ in range(min(job.opts.concurrency, len(job.pending)))]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:
                task.result()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            writer.shutdown(wait=True)
