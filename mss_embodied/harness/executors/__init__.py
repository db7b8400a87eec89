"""Run executors: where and how concurrently a run's pending episodes go through the pipeline.

Both executors implement :class:`~mss_embodied.harness.executors.base.Executor`; the driver owns
the run folder and every row is written through :meth:`RunJob.finish`, so resume semantics are
the same wherever episodes ran.
"""

from mss_embodied.harness.executors.base import Executor, RunJob
from mss_embodied.harness.spec import EXECUTORS, EvalError

__all__ = ["EXECUTORS", "Executor", "RunJob", "make_executor"]


def make_executor(name: str) -> Executor:
    """``local`` (asyncio, this process) or ``ray`` (a Ray cluster); Ray is imported only when asked for."""
    if name == "local":
        from mss_embodied.harness.executors.local import LocalExecutor

        return LocalExecutor()
    if name == "ray":
        from mss_embodied.harness.executors.ray import RayExecutor

        return RayExecutor()
    raise EvalError(f"unknown value {name!r}; choose one of {', '.join(EXECUTORS)}", "executor")
