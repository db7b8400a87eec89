"""Resume: a run killed at any moment (SIGKILL) resumes to exactly what a clean run gives."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import tests.support.harness  # noqa: F401  (registers slow, flaky)
from mss_embodied.cli import main
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec
from mss_embodied.harness.store import RunStore, RunStoreError
from tests.support.harness import scene_subset

ROOT = Path(__file__).resolve().parents[1]
POLICY = "slow:0.03"


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scene_subset(tmp_path_factory.mktemp("scenes"), 8)  # 80 episodes


def comparable(out: Path) -> list[dict[str, Any]]:
    """Result rows sorted by episode, without timings (the only field allowed to differ)."""
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    ids = [r["episode_id"] for r in rows]
    assert len(ids) == len(set(ids)), "an episode was written twice"
    return sorted(({k: v for k, v in r.items() if k != "timings"} for r in rows), key=lambda r: r["episode_id"])


def metrics(out: Path) -> dict[str, Any]:
    return json.loads((out / "metrics.json").read_text())


def spec(scenes: Path, **kw: Any) -> RunSpec:
    return RunSpec(POLICY, scenes=str(scenes), **kw)


def opts(**kw: Any) -> ExecOptions:
    return ExecOptions(progress=False, concurrency=4, **kw)


@pytest.fixture(scope="module")
def clean(scenes: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("clean") / "run"
    run_eval(spec(scenes), out, opts())
    return out


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def test_sigkill_at_random_points_resumes_to_the_clean_run(scenes: Path, clean: Path, tmp_path: Path) -> None:
    rng = random.Random(20241009)
    reference, reference_metrics = comparable(clean), metrics(clean)
    cmd = [sys.executable, "-m", "mss_embodied.cli", "eval", "--policy", POLICY, "--scenes", str(scenes),
           "--plugin", "tests.support.harness", "--concurrency", "4", "--quiet", "--resume"]
    kills, chain, generation = 0, tmp_path / "chain0", 0
    while kills < 10:
        before = _lines(chain / "results.jsonl")
        proc = subprocess.Popen([*cmd, "--out", str(chain)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        if rng.random() < 0.3:  # anywhere, start-up included
            deadline = time.monotonic() + rng.uniform(0.05, 1.5)
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(0.002)
        else:  # after a chosen number of new results
            target = before + rng.randint(1, max(1, 80 - before - 1))
            while _lines(chain / "results.jsonl") < target and proc.poll() is None:
                time.sleep(0.001)
        if proc.poll() is not None:  # finished before the kill: start a fresh chain
            assert proc.returncode == 0
            assert comparable(chain) == reference
            generation += 1
            chain = tmp_path / f"chain{generation}"
            continue
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        kills += 1
        copy = tmp_path / f"kill{kills}"
        if chain.exists():
            shutil.copytree(chain, copy)  # else killed before it made its folder: nothing to resume
        summary = run_eval(spec(scenes), copy, opts(resume=True))
        assert summary.n_skipped + summary.n_run == 80
        assert comparable(copy) == reference, f"kill {kills} (after {_lines(chain / 'results.jsonl')} rows)"
        assert metrics(copy) == reference_metrics
        shutil.rmtree(copy)
    assert kills >= 10


def test_torn_last_line_is_cut_and_the_episode_rerun(scenes: Path, clean: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_eval(spec(scenes, limit=30), out, opts())
    with open(out / "results.jsonl", "ab") as fh:
        fh.write(b'{"episode_id": "pick_counter_knife/safe/0", "score": {"lab')
    rows = RunStore(out).load_results()
    assert len(rows) == 30 and (out / "results.jsonl").read_bytes().endswith(b"}\n")
    summary = run_eval(spec(scenes), out, opts(resume=True))
    assert (summary.n_skipped, summary.n_run) == (30, 50)
    assert comparable(out) == comparable(clean) and metrics(out) == metrics(clean)


def test_resume_of_a_finished_run_runs_nothing(scenes: Path, clean: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    shutil.copytree(clean, out)
    summary = run_eval(spec(scenes), out, opts(resume=True))
    assert summary.n_run == 0 and comparable(out) == comparable(clean)


def test_damaged_middle_line_is_reported_not_repaired(clean: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    shutil.copytree(clean, out)
    lines = (out / "results.jsonl").read_text().splitlines(keepends=True)
    lines[3] = "garbage\n"
    (out / "results.jsonl").write_text("".join(lines))
    with pytest.raises(RunStoreError, match="line 4"):
        RunStore(out).load_results()


def test_config_mismatch_on_resume_is_a_clear_error(scenes: Path, clean: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    shutil.copytree(clean, out)
    before = (out / "results.jsonl").read_bytes()
    with pytest.raises(EvalError, match="setting: run has \"if\", now \"cot\""):
        run_eval(spec(scenes, setting="cot"), out, opts(resume=True))
    code = main(["eval", "--policy", "refuse", "--scenes", str(scenes), "--out", str(out), "--resume", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "policy: run has" in err and "config.json" in err
    assert (out / "results.jsonl").read_bytes() == before


def test_existing_run_needs_resume(scenes: Path, clean: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    shutil.copytree(clean, out)
    with pytest.raises(EvalError, match="pass resume"):
        run_eval(spec(scenes), out, opts())


def test_limit_can_grow_on_resume(scenes: Path, clean: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert run_eval(spec(scenes, limit=20), out, opts()).n_run == 20
    summary = run_eval(spec(scenes), out, opts(resume=True))
    assert (summary.n_skipped, summary.n_run) == (20, 60) and comparable(out) == comparable(clean)


def test_retry_errors_reruns_only_failed_episodes(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = run_eval(RunSpec("flaky", scenes=str(scenes)), out, opts())
    n_err = first.metrics["n_errors"]
    assert n_err > 0
    # the flaky policy fails the same episodes every time: with the breaker on, the retry would stop
    again = run_eval(RunSpec("flaky", scenes=str(scenes)), out, opts(resume=True, retry_errors=True,
                                                                     max_consecutive_errors=0))
    assert again.n_run == n_err and again.n_skipped == 80 - n_err
    assert len(comparable(out)) == 80


def test_results_without_config_are_not_adopted(scenes: Path, clean: Path, tmp_path: Path) -> None:
    """A results file from another run (config.json missing) must not be resumed as this run's."""
    out = tmp_path / "run"
    out.mkdir()
    shutil.copy(clean / "results.jsonl", out / "results.jsonl")
    with pytest.raises(EvalError, match=r"results without config\.json"):
        run_eval(RunSpec("refuse", scenes=str(scenes)), out, opts(resume=True))
    assert not (out / "config.json").exists()


def test_second_process_on_the_same_run_folder_is_refused(scenes: Path, clean: Path, tmp_path: Path) -> None:
    """Two resumes of one folder at once would pay for and write the same episodes twice."""
    out = tmp_path / "run"
    run_eval(spec(scenes, limit=10), out, opts())
    holder = RunStore(out)
    holder.lock()
    try:
        with pytest.raises(EvalError, match="another process is writing"):
            run_eval(spec(scenes), out, opts(resume=True))
    finally:
        holder.close()
    assert run_eval(spec(scenes), out, opts(resume=True)).n_run == 70  # the lock is gone with its holder


def test_transport_options_may_change_on_resume(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_eval(spec(scenes, limit=10, policy_options={"timeout_s": 10}), out, opts())
    summary = run_eval(spec(scenes, limit=20, policy_options={"timeout_s": 60, "max_attempts": 8}), out,
                       opts(resume=True))
    assert (summary.n_skipped, summary.n_run) == (10, 10)
    with pytest.raises(EvalError, match="policy: run has"):
        run_eval(spec(scenes, policy_options={"temperature": 1}), out, opts(resume=True))


def test_changed_prompt_wording_is_detected_on_resume(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_eval(spec(scenes, limit=10), out, opts())
    store = RunStore(out)
    rows = [r.to_json() for r in store.load_results()]
    rows[0]["prompt_hash"] = "0" * 16  # as if the protocol strings were re-imported with other text
    (out / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(EvalError, match="another prompt"):
        run_eval(spec(scenes), out, opts(resume=True))
