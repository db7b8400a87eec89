"""Lanes that arrive during a run (Ray's actors while a fresh local Ray starts): the first lanes stop
taking work, the new ones finish the run, never more than ``concurrency`` episodes in flight, every
episode once; a failed arrival stops the run with finished rows kept; a run done first does not wait.
Driven through ``run_eval`` with a small executor that uses the dispatcher the Ray executor uses."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

import mss_embodied.harness.runner as runner
from mss_embodied.data.scenario import Episode
from mss_embodied.harness.executors.base import Executor, RunJob
from mss_embodied.harness.executors.dispatch import InlineLane, Lane, WorkerLost, drive
from mss_embodied.harness.executors.worker import EpisodeWorker
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec
from mss_embodied.pipeline import EpisodeResult
from mss_embodied.policies.base import PolicyInput, PolicyResponse
from tests.support.harness import scene_subset

CONCURRENCY = 4


class Watched(Lane):
    """A lane that logs when each episode starts, and the number in flight over all lanes."""

    def __init__(self, name: str, inner: Lane, log: dict[str, Any]) -> None:
        self.name, self.inner, self.log = name, inner, log
        self.capacity, self.wants_input = inner.capacity, inner.wants_input

    async def run(self, episode: Episode, cached: PolicyResponse | None, inp: PolicyInput | None) -> EpisodeResult:
        log = self.log
        log["starts"].append(self.name)
        log["now"] += 1
        log["most"] = max(log["most"], log["now"])
        try:
            await asyncio.sleep(0.002)  # several episodes overlap
            return await self.inner.run(episode, cached, inp)
        finally:
            log["now"] -= 1
            log["done"][self.name] = log["done"].get(self.name, 0) + 1
            if log["done"]["first"] == log["after"]:
                log["arrive"].set()

    async def aclose(self) -> None:
        await self.inner.aclose()


class DiesAfterHandover(Watched):
    """Every episode waits until the new lanes have arrived; the first one's worker then dies."""

    async def run(self, episode: Episode, cached: PolicyResponse | None, inp: PolicyInput | None) -> EpisodeResult:
        await self.log["arrived"].wait()
        await asyncio.sleep(0.05)  # the new lanes are seated by now, and found nothing to take
        if not self.log.get("died"):
            self.log["died"] = episode.id
            raise WorkerLost("test: the worker died")
        return await super().run(episode, cached, inp)


Arrival = Callable[[RunJob, dict[str, Any]], Awaitable[list[Lane]]]


class HandoverExecutor(Executor):
    def __init__(self, arrival: Arrival, log: dict[str, Any], first: type[Watched] = Watched) -> None:
        self.arrival, self.log, self.first = arrival, log, first

    def run(self, job: RunJob) -> None:
        asyncio.run(self._go(job))

    async def _go(self, job: RunJob) -> None:
        self.log["arrive"], self.log["arrived"] = asyncio.Event(), asyncio.Event()
        policy = job.pipeline.make_policy(job.spec.policy)
        here = InlineLane(EpisodeWorker(job.pipeline, policy, job.cache, CONCURRENCY), CONCURRENCY)
        first = self.first("first", here, self.log)
        try:
            await drive(job, [first], arriving=self.arrival(job, self.log))
        finally:
            await first.aclose()
            policy.close()


def two_lanes(job: RunJob, log: dict[str, Any]) -> list[Lane]:
    policy = job.pipeline.make_policy(job.spec.policy)
    return [Watched(f"new{i}", InlineLane(EpisodeWorker(job.pipeline, policy, job.cache, 2), 2), log) for i in (0, 1)]


async def after_some(job: RunJob, log: dict[str, Any]) -> list[Lane]:
    await log["arrive"].wait()
    return two_lanes(job, log)


async def soon(job: RunJob, log: dict[str, Any]) -> list[Lane]:
    await asyncio.sleep(0.05)  # every episode is in flight on the first lane by now
    log["arrived"].set()
    return two_lanes(job, log)


async def never(job: RunJob, log: dict[str, Any]) -> list[Lane]:
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        log["cancelled"] = True
        raise
    return []


async def fails(job: RunJob, log: dict[str, Any]) -> list[Lane]:
    await log["arrive"].wait()
    raise EvalError("cannot start a local Ray (test)", "ray_address")


def run_with(arrival: Arrival, spec: RunSpec, out: Path, monkeypatch: pytest.MonkeyPatch, after: int,
             first: type[Watched] = Watched, **opts: Any) -> dict[str, Any]:
    log: dict[str, Any] = {"starts": [], "now": 0, "most": 0, "done": {"first": 0}, "after": after}
    monkeypatch.setattr(runner, "make_executor", lambda name: HandoverExecutor(arrival, log, first))
    log["summary"] = run_eval(spec, out, ExecOptions(progress=False, concurrency=CONCURRENCY, cache=False, **opts))
    return log


def rows(out: Path) -> list[dict[str, Any]]:
    found = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(found) == len({r["episode_id"] for r in found}), "an episode was written twice"
    return sorted(({k: v for k, v in r.items() if k != "timings"} for r in found), key=lambda r: r["episode_id"])


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> RunSpec:
    scenes = scene_subset(tmp_path_factory.mktemp("scenes"), 4)  # 40 episodes
    return RunSpec("comply", judges=("rules", "execution"), scenes=str(scenes))


def test_arriving_lanes_take_over(spec: RunSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_eval(spec, tmp_path / "plain", ExecOptions(progress=False, cache=False))
    log = run_with(after_some, spec, tmp_path / "handover", monkeypatch, after=10)
    assert rows(tmp_path / "handover") == rows(tmp_path / "plain")
    starts = log["starts"]
    first_new = next(i for i, name in enumerate(starts) if name != "first")
    assert "first" not in starts[first_new:], "the first lane took work after the new lanes arrived"
    assert 10 <= log["done"]["first"] < 40 and log["done"]["new0"] + log["done"]["new1"] == 40 - log["done"]["first"]
    assert log["done"]["new0"] > 0 and log["done"]["new1"] > 0
    assert log["most"] <= CONCURRENCY


def test_an_episode_lost_on_a_retired_lane_still_runs(spec: RunSpec, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """All episodes in flight on the first lane when the new lanes arrive (nothing left for them to
    take, a free place under the concurrency); then the first lane's worker dies: its episode must
    run on a new lane, not be dropped."""
    n = CONCURRENCY - 1
    few = RunSpec(spec.policy, judges=spec.judges, scenes=spec.scenes, limit=n)
    log = run_with(soon, few, tmp_path / "out", monkeypatch, after=-1, first=DiesAfterHandover)
    assert log["summary"].n_run == n and len(rows(tmp_path / "out")) == n
    on_new = log["done"].get("new0", 0) + log["done"].get("new1", 0)
    assert log["died"] and on_new == 1, "the lost episode ran on a new lane"


def test_a_run_done_first_does_not_wait(spec: RunSpec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = run_with(never, spec, tmp_path / "out", monkeypatch, after=-1)
    assert log["summary"].n_run == 40 and log["done"] == {"first": 40}
    assert log.get("cancelled") is True


def test_lanes_that_fail_to_arrive_stop_the_run_keeping_rows(spec: RunSpec, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(EvalError, match="cannot start a local Ray"):
        run_with(fails, spec, tmp_path / "out", monkeypatch, after=10)
    kept = rows(tmp_path / "out")
    assert 10 <= len(kept) < 40
    log = run_with(after_some, spec, tmp_path / "out", monkeypatch, after=-1, resume=True)
    assert (log["summary"].n_skipped, log["summary"].n_run) == (len(kept), 40 - len(kept))


def test_a_fresh_local_ray_starts_while_the_driver_runs(spec: RunSpec, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The real thing: ``--executor ray`` with no address and a thin-client policy returns the local
    run's rows while Ray starts on its own thread (which part ran where depends on the machine)."""
    ray = pytest.importorskip("ray")
    from tests.support.openai_server import FakeOpenAIServer

    if ray.is_initialized():
        pytest.skip("Ray already runs in this process")
    root = Path(__file__).resolve().parents[1]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    with FakeOpenAIServer(responder=lambda req: "1. Goto Microwave\n2. Place Microwave") as srv:
        transport = {"base_url": srv.base_url, "api_key": "k", "max_attempts": 1}
        thin = RunSpec("openai:m", judges=("rules",), scenes=spec.scenes, policy_options=transport)
        run_eval(thin, tmp_path / "local", ExecOptions(progress=False, cache=False, concurrency=CONCURRENCY))
        try:
            run_eval(thin, tmp_path / "ray", ExecOptions(progress=False, cache=False, concurrency=CONCURRENCY,
                                                         executor="ray", ray_num_cpus=1))
            assert rows(tmp_path / "ray") == rows(tmp_path / "local")
            deadline = time.monotonic() + 120
            while not ray.is_initialized() and time.monotonic() < deadline:  # it started on its own thread
                time.sleep(0.1)
            assert ray.is_initialized()
        finally:
            ray.shutdown()
