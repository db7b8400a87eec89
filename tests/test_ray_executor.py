"""``--executor ray`` on a local Ray (2 CPUs): the same results as the local executor, a dying
worker's episode retried, and resume semantics unchanged. One test: Ray start-up is the cost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import tests.support.harness  # noqa: F401  (registers die_once)
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import ExecOptions, RunSpec
from tests.support.harness import scene_subset

ray = pytest.importorskip("ray")


def comparable(out: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(rows) == len({r["episode_id"] for r in rows})
    return sorted(({k: v for k, v in r.items() if k != "timings"} for r in rows), key=lambda r: r["episode_id"])


def test_ray_run_equals_local_run_survives_a_dead_worker_and_resumes(tmp_path: Path) -> None:
    scenes = scene_subset(tmp_path / "scenes", 3)  # 30 episodes
    markers = tmp_path / "markers"
    markers.mkdir()
    victim = "drop_floor_knife/unsafe/2"
    plugins = ("tests.support.harness",)  # workers import it too
    local_spec = RunSpec(f"die_once:{markers}", scenes=str(scenes), plugins=plugins)
    ray_spec = RunSpec(f"die_once:{markers}", scenes=str(scenes), plugins=plugins, policy_options={"die_on": [victim]})
    run_eval(local_spec, tmp_path / "local", ExecOptions(progress=False))
    ray_opts = ExecOptions(progress=False, executor="ray", concurrency=4, ray_num_cpus=2)
    try:
        summary = run_eval(ray_spec, tmp_path / "ray", ray_opts)
        assert summary.n_run == 30
        assert len(list(markers.iterdir())) == 1, "the worker should have died once on the victim episode"
        assert comparable(tmp_path / "ray") == comparable(tmp_path / "local")
        metrics = json.loads((tmp_path / "ray" / "metrics.json").read_text())
        assert metrics == json.loads((tmp_path / "local" / "metrics.json").read_text())
        # resume over Ray: keep 10 rows and a torn 11th, then finish the run
        results = tmp_path / "ray" / "results.jsonl"
        lines = results.read_text().splitlines(keepends=True)
        results.write_text("".join(lines[:10]) + lines[10][:25])
        for entry in (tmp_path / "ray" / "cache").rglob("*.json"):
            entry.unlink()  # force real remote calls, not driver-side cache hits
        ray_opts.resume = True
        again = run_eval(ray_spec, tmp_path / "ray", ray_opts)
        assert (again.n_skipped, again.n_run) == (10, 20)
        assert comparable(tmp_path / "ray") == comparable(tmp_path / "local")
    finally:
        ray.shutdown()
