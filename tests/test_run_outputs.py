"""What a run leaves for a researcher: self-contained rows, prompts.jsonl, live-rendered frames, the progress
line, the log file, option listings and one-line errors for missing extras and unloadable models."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import tests.support.harness  # noqa: F401  (registers flaky, cautious)
from mss_embodied.cli import main
from mss_embodied.harness.progress import ProgressBar, RunStats
from mss_embodied.harness.rows import ResultRow
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import ExecOptions, RunSpec
from mss_embodied.harness.store import RunStore
from tests.support.harness import scene_subset
from tests.support.openai_server import FakeOpenAIServer, Fault, Reply


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scene_subset(tmp_path_factory.mktemp("scenes"), 2)  # 20 episodes


def rows_of(out: Path) -> list[ResultRow]:
    return RunStore(out).load_results(repair=False)


def test_rows_carry_instruction_image_finish_reason_attempts_and_prompts(scenes: Path, tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda req: Reply("1. Goto Microwave", finish_reason="stop")) as srv:
        srv.push(Fault("500"), Fault("429", retry_after="0"))  # the first call needs three attempts
        spec = RunSpec("openai:fake-model", scenes=str(scenes),
                       policy_options={"base_url": srv.base_url, "backoff_base_s": 0.01, "jitter": 0})
        log = tmp_path / "run.log"
        argv = ["eval", "--policy", "openai:fake-model", "--scenes", str(scenes), "--policy-opt",
                f"base_url={srv.base_url}", "--policy-opt", "backoff_base_s=0.01", "--concurrency", "1",
                "--out", str(tmp_path / "r"), "--quiet", "--log-file", str(log)]
        assert main(argv) == 0
    rows = rows_of(tmp_path / "r")
    assert len(rows) == 20 and max(r.attempts or 0 for r in rows) == 3 and sum(r.retries for r in rows) == 2
    assert all(r.finish_reason == "stop" and r.instruction and r.setting == "if" for r in rows)
    assert all(r.image_path and Path(r.image_path).is_file() for r in rows)
    prompts = RunStore(tmp_path / "r").load_prompts()
    assert {r.prompt_hash for r in rows} == set(prompts)  # every prompt once, keyed by its hash
    lines = (tmp_path / "r" / "prompts.jsonl").read_text().splitlines()
    assert len(lines) == len(prompts) and all(prompts[json.loads(x)["hash"]] == json.loads(x)["prompt"] for x in lines)
    text = log.read_text()
    assert "answered after 3 attempts" in text and "finished: 20 of 20 episodes" in text
    assert spec.policy == "openai:fake-model"
    report = json.loads((tmp_path / "r" / "metrics.json").read_text())
    assert report["retries"] == {"calls_retried": 1, "extra_attempts": 2}
    assert report["finish_reasons"] == {"stop": 20}


def test_prompts_file_survives_a_torn_line(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    store.add_prompt("aaa", "first prompt")
    with open(tmp_path / "prompts.jsonl", "ab") as fh:
        fh.write(b'{"hash": "bbb", "pro')  # killed mid-write
    assert RunStore(tmp_path).load_prompts() == {"aaa": "first prompt"}
    again = RunStore(tmp_path)
    again.add_prompt("aaa", "first prompt")  # known: not written twice
    again.add_prompt("ccc", "third prompt")
    again.close()
    assert RunStore(tmp_path).load_prompts() == {"aaa": "first prompt", "ccc": "third prompt"}
    assert (tmp_path / "prompts.jsonl").read_text().count("\n") == 2


def test_live_rendered_frames_are_kept_in_the_run(scenes: Path, tmp_path: Path) -> None:
    import shutil

    bare = tmp_path / "scenes"
    shutil.copytree(scenes, bare)
    shutil.rmtree(bare / "images")
    run_eval(RunSpec("comply", scenes=str(bare), renderer="schematic", limit=4), tmp_path / "r",
             ExecOptions(progress=False))
    rows = rows_of(tmp_path / "r")
    assert all(r.image_path == f"images/{r.image_id}.png" for r in rows)
    assert all((tmp_path / "r" / r.image_path).is_file() for r in rows if r.image_path)


def test_progress_line_shows_safe_unsafe_retries_errors_and_unknown_price(scenes: Path, tmp_path: Path) -> None:
    stats = RunStats(total=20)
    run_eval(RunSpec("flaky", scenes=str(scenes)), tmp_path / "r", ExecOptions(progress=False))
    for row in rows_of(tmp_path / "r"):
        stats.add(row, cached=False, price=None)
    line = stats.summary()
    assert line.startswith("safe ") and " | unsafe " in line and f"err {stats.errors}" in line and stats.errors
    assert "$ n/a" in line  # tokens counted, no price known: never $0.0000
    stream = io.StringIO()
    bar = ProgressBar(stats, stream=stream, log_every_s=0)
    bar.close()
    assert stream.getvalue().startswith("20/20 |") and "$ n/a" in stream.getvalue()


def test_errors_reach_the_console_then_only_the_log(scenes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("mss_embodied.harness.progress.CONSOLE_ERRORS", 2)
    log = tmp_path / "flaky.log"
    assert main(["eval", "--policy", "flaky", "--plugin", "tests.support.harness", "--scenes", str(scenes),
                 "--out", str(tmp_path / "r"), "--quiet", "--log-file", str(log)]) == 0
    err = capsys.readouterr().err
    n_errors = json.loads((tmp_path / "r" / "metrics.json").read_text())["n_errors"]
    assert n_errors > 2 and err.count("warning: episode") == 2 and "written to the log file" in err
    assert log.read_text().count("the policy call failed") == n_errors


def test_policy_and_judge_options_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--policy", "openai:gpt-4o", "--policy-opt", "help"]) == 0
    out = capsys.readouterr().out
    for option in ("base_url: str | None = None", "temperature: float | None = 0.0", "max_attempts", "image_detail"):
        assert option in out
    assert "context" not in out and "retry:" not in out
    assert main(["eval", "--policy", "multiagent:hf:m", "--policy-opt", "help", "--judge", "llm:x",
                 "--judge-opt", "help"]) == 0
    out = capsys.readouterr().out
    assert "policy 'multiagent'" in out and "max_new_tokens: int = 512" in out and "judge 'llm'" in out
    assert main(["eval", "--policy", "nosuch", "--policy-opt", "help"]) == 2
    assert "unknown policy 'nosuch'" in capsys.readouterr().err


def test_missing_extras_and_unloadable_models_are_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)
    assert main(["eval", "--policy", "hf:some/model", "--limit", "2", "--out", str(tmp_path / "a"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "needs the 'hf' extra: pip install 'mss-embodied[hf]'" in err
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # the openai extra's HTTP client
    assert main(["eval", "--policy", "openai:gpt-4o", "--policy-opt", "base_url=http://127.0.0.1:9/v1",
                 "--limit", "2", "--out", str(tmp_path / "b"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "needs the 'openai' extra" in err


def test_offline_model_load_is_one_line(tmp_path: Path) -> None:
    import os
    import subprocess

    pytest.importorskip("transformers")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run([sys.executable, "-m", "mss_embodied.cli", "eval", "--policy", "hf:no-such-org/no-such-model",
                          "--limit", "2", "--out", str(tmp_path / "a"), "--quiet"], env=env, capture_output=True,
                         text=True, timeout=120)
    err = run.stderr.strip()
    assert run.returncode == 2 and err.count("\n") == 0, err
    assert "cannot load 'no-such-org/no-such-model'" in err and "not a local model folder" in err
