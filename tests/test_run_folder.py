"""The run folder under concurrent writers and hand edits: one writer at a time (the refusal names
the holder), fresh starts race-free, duplicate and foreign rows set aside and counted the same way
by ``report`` and metrics.json, a complete last row without its newline kept, and a start that
failed before its first episode leaving the folder reusable."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import tests.support.harness  # noqa: F401  (registers slow)
from mss_embodied.cli import main
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec
from mss_embodied.harness.store import RunStore
from mss_embodied.policies.base import POLICIES, Policy
from tests.support.harness import scene_subset

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scene_subset(tmp_path_factory.mktemp("scenes"), 4)  # 40 episodes


def _cmd(scenes: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "mss_embodied.cli", "eval", "--policy", "slow:0.1", "--scenes", str(scenes),
            "--plugin", "tests.support.harness", "--concurrency", "4", "--quiet", "--no-cache", "--out", str(out),
            *extra]


def _rows(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def test_simultaneous_fresh_starts_exactly_one_runs(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    procs = [subprocess.Popen(_cmd(scenes, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs]
    assert sorted(code for code, _ in results) == [0, 2, 2, 2, 2, 2], results
    for code, err in results:
        if code == 2:
            assert ("another process is writing this run folder (pid" in err
                    or "run folder already holds a run (40 results)" in err), err
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    rows = _rows(out)
    assert len(rows) == len({r["episode_id"] for r in rows}) == 40


def test_a_second_writer_is_told_who_holds_the_folder(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    first = subprocess.Popen(_cmd(scenes, out, "--concurrency", "1"), cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (out / "results.jsonl").is_file() or not (out / "results.jsonl").read_bytes():
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        second = subprocess.run(_cmd(scenes, out, "--resume"), cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        first.kill()
        first.wait()
    assert second.returncode == 2
    assert f"another process is writing this run folder (pid {first.pid} on {socket.gethostname()} since " \
        in second.stderr, second.stderr
    # the holder was killed: the kernel dropped its lock, and the resume finishes the run
    done = subprocess.run(_cmd(scenes, out, "--resume"), cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    rows = _rows(out)
    assert len(rows) == len({r["episode_id"] for r in rows}) == 40


def test_duplicates_and_foreign_rows_are_set_aside_and_counted_alike(scenes: Path, tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    run_eval(RunSpec("slow:0", scenes=str(scenes)), out, ExecOptions(progress=False))
    clean = json.loads((out / "metrics.json").read_text())
    lines = (out / "results.jsonl").read_text().splitlines()
    duplicate = json.loads(lines[0])
    duplicate["response"] = "I refuse."  # a second writer's different answer: the first row must win
    foreign = {**json.loads(lines[1]), "episode_id": "not_in_this_run/safe/0"}
    # the complete last row lacks its newline (a hand edit): it still counts
    (out / "results.jsonl").write_text("\n".join([*lines, json.dumps(duplicate), json.dumps(foreign)]))
    assert main(["report", str(out), "--format", "json"]) == 0
    reported = json.loads(capsys.readouterr().out)["runs"][0]["metrics"]
    assert reported["n_episodes"] == 40 and reported["n_duplicate_rows"] == 1 and reported["n_outside_rows"] == 1
    counts = ("n_duplicate_rows", "n_outside_rows")
    assert {k: v for k, v in reported.items() if k not in counts} == {k: v for k, v in clean.items() if k not in counts}
    assert main(["report", str(out)]) == 0
    assert "set aside 1 duplicate row(s)" in capsys.readouterr().out
    summary = run_eval(RunSpec("slow:0", scenes=str(scenes)), out, ExecOptions(progress=False, resume=True))
    assert summary.n_run == 0 and summary.n_skipped == 40
    written = json.loads((out / "metrics.json").read_text())
    assert written == reported  # metrics.json and report agree on every count
    assert (out / "results.jsonl").read_bytes().endswith(b"\n")  # the resume ended the open line


def test_store_keeps_a_complete_last_row_without_newline(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_eval(RunSpec("slow:0", scenes=str(scenes), limit=3), out, ExecOptions(progress=False))
    data = (out / "results.jsonl").read_bytes()
    (out / "results.jsonl").write_bytes(data.rstrip(b"\n"))
    assert len(RunStore(out).read_rows(repair=False)) == 3
    (out / "results.jsonl").write_bytes(data + b'{"episode_id": "torn')
    assert len(RunStore(out).read_rows(repair=True)) == 3
    assert (out / "results.jsonl").read_bytes() == data


def _broken(arg: str | None, context: object, **kw: object) -> Policy:
    raise ValueError("cannot reach the model registry")


POLICIES.register("broken_build", _broken)


def test_a_start_that_fails_before_the_first_episode_leaves_the_folder_reusable(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    with pytest.raises(EvalError, match="cannot reach the model registry"):
        run_eval(RunSpec("broken_build", scenes=str(scenes)), out, ExecOptions(progress=False))
    assert (out / "config.json").exists() and not RunStore(out).read_rows()
    summary = run_eval(RunSpec("slow:0", scenes=str(scenes), limit=4), out, ExecOptions(progress=False))
    assert summary.n_run == 4  # a fresh start, no --resume needed, no folder to delete by hand
    config = json.loads((out / "config.json").read_text())
    assert config["policy"]["name"] == "slow:0"


def test_bad_options_are_refused_before_anything_is_written(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    for spec in (RunSpec("openai:m", scenes=str(scenes), policy_options={"timeout_s": -1}),
                 RunSpec("openai", scenes=str(scenes)),
                 RunSpec("comply", scenes=str(scenes), judge_options={"foo": 1})):
        with pytest.raises(EvalError):
            run_eval(spec, out, ExecOptions(progress=False))
    assert not out.exists()


def test_lock_file_is_released_and_names_nobody_after_a_run(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    run_eval(RunSpec("slow:0", scenes=str(scenes), limit=2), out, ExecOptions(progress=False))
    assert (out / ".lock").read_bytes() == b""
    shutil.rmtree(out)
    assert not os.path.exists(out)
