"""The local executor on worker processes: the same rows as one process, a dead worker costing only
its in-flight episodes, and thin-client policies chosen for processes automatically."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import tests.support.harness  # noqa: F401  (registers die_once)
from mss_embodied.harness.executors.base import RunJob
from mss_embodied.harness.executors.local import worker_count
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec
from tests.support.harness import scene_subset
from tests.support.openai_server import FakeOpenAIServer


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scene_subset(tmp_path_factory.mktemp("scenes"), 3)  # 30 episodes


def comparable(out: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(rows) == len({r["episode_id"] for r in rows})
    return sorted(({k: v for k, v in r.items() if k != "timings"} for r in rows), key=lambda r: r["episode_id"])


def test_processes_give_the_same_rows_and_survive_a_dead_worker(scenes: Path, tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    markers.mkdir()
    plugins = ("tests.support.harness",)
    reference = RunSpec(f"die_once:{markers}", scenes=str(scenes), plugins=plugins)  # dies nowhere
    spec = RunSpec(f"die_once:{markers}", scenes=str(scenes), plugins=plugins,
                   policy_options={"die_on": ["drop_floor_knife/unsafe/2", "drop_floor_egg/safe/4"]})
    run_eval(reference, tmp_path / "one", ExecOptions(progress=False, concurrency=8, workers=1, cache=False))
    summary = run_eval(spec, tmp_path / "two", ExecOptions(progress=False, concurrency=8, workers=2, cache=False))
    assert summary.n_run == 30 and len(list(markers.iterdir())) == 2, "two worker processes should have died"
    assert comparable(tmp_path / "two") == comparable(tmp_path / "one")


def test_openai_over_processes_and_the_automatic_choice(scenes: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOpenAIServer(responder=lambda req: "1. Goto Microwave\n2. Place Microwave") as srv:
        transport = {"base_url": srv.base_url, "api_key": "k", "max_attempts": 1}
        spec = RunSpec("openai:m", judges=("rules", "execution"), scenes=str(scenes), policy_options=transport)
        run_eval(spec, tmp_path / "one", ExecOptions(progress=False, concurrency=16, workers=1, cache=False))
        run_eval(spec, tmp_path / "two", ExecOptions(progress=False, concurrency=16, workers=2, cache=False))
        assert len(srv.requests) == 60
    assert comparable(tmp_path / "two") == comparable(tmp_path / "one")
    pipeline = spec.build_pipeline()
    policy = pipeline.make_policy(spec.policy, **spec.policy_options)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    pending = list(pipeline.episodes) * 10

    def job(concurrency: int) -> RunJob:
        return RunJob(spec, pipeline, pending, None, None, ExecOptions(concurrency=concurrency),  # type: ignore[arg-type]
                      None, None)  # type: ignore[arg-type]

    assert [worker_count(job(c), policy) for c in (8, 64, 128, 256)] == [1, 1, 2, 2]
    slow = pipeline.make_policy("slow:0")  # an in-process policy stays in this process
    assert worker_count(job(256), slow) == 1
    policy.close()
    pipeline.close()
    with pytest.raises(EvalError, match=r"workers: 'slow:0' .* can only run in this process"):
        run_eval(RunSpec("slow:0", scenes=str(scenes)), tmp_path / "x",
                 ExecOptions(progress=False, workers=2))
