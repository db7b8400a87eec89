"""``--executor ray`` on two Ray nodes started here (1 CPU each): the same results as the local
executor, episodes spread over both nodes, a dying worker's episode run again, and resume semantics
unchanged. One test: starting Ray is the cost."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import tests.support.harness  # noqa: F401  (registers die_once)
from mss_embodied.harness.cache import ResponseCache
from mss_embodied.harness.executors import ray_lanes
from mss_embodied.harness.executors.ray_lanes import ActorLane
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import ExecOptions, RunSpec
from tests.support.harness import scene_subset

ray = pytest.importorskip("ray")
cluster_utils = pytest.importorskip("ray.cluster_utils")
ROOT = Path(__file__).resolve().parents[1]


def rows_of(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def comparable(out: Path) -> list[dict[str, Any]]:
    rows = rows_of(out)
    assert len(rows) == len({r["episode_id"] for r in rows})
    return sorted(({k: v for k, v in r.items() if k != "timings"} for r in rows), key=lambda r: r["episode_id"])


def test_ray_on_two_nodes_equals_local_survives_a_dead_worker_and_resumes(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    scenes = scene_subset(tmp_path / "scenes", 3)  # 30 episodes
    markers = tmp_path / "markers"
    markers.mkdir()
    victim = "drop_floor_knife/unsafe/2"
    plugins = ("tests.support.harness",)  # workers import it too
    local_spec = RunSpec(f"die_once:{markers}", scenes=str(scenes), plugins=plugins)
    ray_spec = RunSpec(f"die_once:{markers}", scenes=str(scenes), plugins=plugins, policy_options={"die_on": [victim]})
    run_eval(local_spec, tmp_path / "local", ExecOptions(progress=False, cache=False))
    # the nodes' workers must import this checkout and its tests (a cluster's would have them installed)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    cluster = cluster_utils.Cluster(initialize_head=True, head_node_args={"num_cpus": 1})
    cluster.add_node(num_cpus=1)
    cache = tmp_path / "cache"

    async def no_calls(*args: Any) -> Any:
        raise AssertionError("the lane fell back to Ray calls although the actors were reachable")

    monkeypatch.setattr(ActorLane, "_run_by_call", no_calls)  # episodes go over the direct connections
    ray_opts = ExecOptions(progress=False, executor="ray", concurrency=8, ray_address=cluster.address,
                           cache_dir=cache)
    try:
        summary = run_eval(ray_spec, tmp_path / "ray", ray_opts)
        assert summary.n_run == 30
        assert len(list(markers.iterdir())) == 1, "the worker should have died once on the victim episode"
        assert comparable(tmp_path / "ray") == comparable(tmp_path / "local")
        nodes = [r["timings"]["ray_node"] for r in rows_of(tmp_path / "ray")]
        assert len(set(nodes)) == 2, "episodes should run on both nodes"
        metrics = json.loads((tmp_path / "ray" / "metrics.json").read_text())
        assert metrics == json.loads((tmp_path / "local" / "metrics.json").read_text())
        # resume over Ray: keep 10 rows and a torn 11th, then finish the run
        results = tmp_path / "ray" / "results.jsonl"
        lines = results.read_text().splitlines(keepends=True)
        results.write_text("".join(lines[:10]) + lines[10][:25])
        ResponseCache(cache).clear()  # real remote calls, not cached answers
        ray_opts.resume = True
        again = run_eval(ray_spec, tmp_path / "ray", ray_opts)
        assert (again.n_skipped, again.n_run) == (10, 20)
        assert comparable(tmp_path / "ray") == comparable(tmp_path / "local")
        # more actors than the cluster's 2 CPUs: each gets a share of a CPU instead of waiting forever
        more = ExecOptions(progress=False, executor="ray", concurrency=8, ray_address=cluster.address, workers=3,
                           cache=False)
        assert run_eval(local_spec, tmp_path / "three", more).n_run == 30
        assert comparable(tmp_path / "three") == comparable(tmp_path / "local")
        # a driver that cannot reach the actors' nodes: plain Ray calls, the same rows
        monkeypatch.undo()
        monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))

        def unreachable(*args: Any, **kwargs: Any) -> Any:
            raise ConnectionRefusedError(111, "Connection refused")

        monkeypatch.setattr(ray_lanes, "Client", unreachable)
        assert run_eval(local_spec, tmp_path / "calls", more).n_run == 30
        assert comparable(tmp_path / "calls") == comparable(tmp_path / "local")
    finally:
        ray.shutdown()
        cluster.shutdown()
