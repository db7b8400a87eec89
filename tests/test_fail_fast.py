"""Fail fast and never crash on a bad reply: the circuit breaker stops a run against a dead or
misconfigured endpoint within seconds, keeps what finished and lets ``--resume`` continue; retries
and errors are visible; a reply with lone surrogates or of runaway length is repaired or cut, said
so in the row, and cannot poison the cache."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import pytest

from mss_embodied.cli import main
from mss_embodied.harness.breaker import CircuitBreaker, RunStopped, failure_of
from mss_embodied.harness.cache import ResponseCache, cache_key, generation_params
from mss_embodied.harness.progress import ProgressBar, RunStats
from mss_embodied.harness.rows import ResultRow
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import ExecOptions, RunSpec
from mss_embodied.harness.store import RunStore
from mss_embodied.pipeline import MAX_REPLY_CHARS, guard_response
from mss_embodied.policies.base import POLICIES, Policy, PolicyInput, PolicyResponse
from mss_embodied.scoring.score import Score
from tests.support.harness import scene_subset
from tests.support.openai_server import FakeOpenAIServer, Fault, Reply


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scene_subset(tmp_path_factory.mktemp("scenes"), 4)  # 40 episodes


def _row(error: str | None = None, judge_error: str | None = None) -> ResultRow:
    score = Score(judge="llm:m", judge_error=judge_error) if judge_error else Score(judge="rules", label=2)
    return ResultRow(episode_id="e", scenario_id="s", variant="safe", task="Place", category="c",
                     scores={score.judge: score}, paraphrase=0, setting="if", prompt_hash="h", image_id="i",
                     response=None if error else "ok", error=error)


def test_breaker_counts_failed_calls_in_a_row_and_in_all() -> None:
    breaker = CircuitBreaker(max_consecutive=3, max_errors=None)
    for _ in range(2):
        breaker.record(_row("HTTP 500"))
    breaker.record(_row())  # a success resets the streak
    breaker.record(_row("HTTP 500"))
    breaker.record(_row(judge_error="judge call failed: connection error"))
    with pytest.raises(RunStopped, match="3 episodes in a row failed; last error: HTTP 401"):
        breaker.record(_row("HTTP 401: invalid key"))
    total = CircuitBreaker(max_consecutive=0, max_errors=2)
    total.record(_row("x"))
    total.record(_row())
    with pytest.raises(RunStopped, match=r"2 episodes failed \(the limit is 2\)"):
        total.record(_row("y"))
    assert failure_of(_row(judge_error="invalid verdict: no <answer> tag")) is None  # an answer, not a fault


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_dead_endpoint_stops_within_seconds_keeps_rows_and_resumes(scenes: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    port = _dead_port()
    out = tmp_path / "run"
    argv = ["eval", "--policy", "openai:fake-model", "--scenes", str(scenes), "--out", str(out), "--concurrency", "4",
            "--policy-opt", f"base_url=http://127.0.0.1:{port}/v1", "--policy-opt", "max_attempts=2",
            "--policy-opt", "backoff_base_s=0.05", "--policy-opt", "api_key=sk-test"]
    start = time.monotonic()
    code = main(argv)
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err
    assert code == 1 and elapsed < 10, (elapsed, err)
    assert "run stopped: 8 episodes in a row failed; last error: connection error" in err
    assert "--resume --retry-errors" in err and "Traceback" not in err
    assert "warning: episode" in err and "retries" in err  # the first failure is logged, retries counted
    kept = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert 8 <= len(kept) < 40 and all(r["error"] for r in kept)
    assert json.loads((out / "metrics.json").read_text())["n_errors"] == len(kept)
    # the endpoint comes back: the same command with --resume --retry-errors finishes the run
    with FakeOpenAIServer(responder=lambda req: Reply("1. Goto Sink\n2. Place Sink"), port_wanted=port):
        assert main([*argv, "--resume", "--retry-errors", "--quiet"]) == 0
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert len(rows) == len({r["episode_id"] for r in rows}) == 40 and not any(r["error"] for r in rows)


def test_misconfigured_endpoint_stops_on_the_first_wave(scenes: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    with FakeOpenAIServer(responder=lambda req: Fault("401", message="invalid api key")) as srv:
        code = main(["eval", "--policy", "openai:fake-model", "--scenes", str(scenes), "--out", str(tmp_path / "r"),
                     "--quiet", "--concurrency", "2", "--max-consecutive-errors", "0", "--max-errors", "3",
                     "--policy-opt", f"base_url={srv.base_url}"])
        assert len(srv.requests) < 8
    err = capsys.readouterr().err
    assert code == 1 and "3 episodes failed (the limit is 3); last error: HTTP 401: invalid api key" in err


def test_progress_line_shows_retries() -> None:
    stats = RunStats(total=2)
    row = _row()
    stats.add(ResultRow(**{**row.__dict__, "meta": {"attempts": 3}, "attempts": 3}), False, None)
    assert "retries 2" in ProgressBar(stats, enabled=False).line()


class _Surrogates(Policy):
    """Answers with an unpaired surrogate, once with a runaway length."""

    name = "surrogates"

    def act(self, inp: PolicyInput) -> PolicyResponse:
        assert inp.episode is not None
        if inp.episode.paraphrase == 1:
            return PolicyResponse("1. Goto Sink " + "x" * (MAX_REPLY_CHARS + 10))
        return PolicyResponse("I refuse \ud800 this \udfff task.", error=None)


POLICIES.register("surrogates", lambda arg, context, **kw: _Surrogates())


def test_unencodable_reply_is_repaired_said_so_and_never_poisons_the_cache(scenes: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    summary = run_eval(RunSpec("surrogates", scenes=str(scenes)), out, ExecOptions(progress=False))
    assert summary.n_run == 40
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    repaired = [r for r in rows if "text_repaired" in r["meta"]]
    assert repaired and all("\ufffd" in r["response"] and r["error"] is None for r in repaired)
    cut = [r for r in rows if "reply_truncated" in r["meta"]]
    assert cut and all(len(r["response"]) == MAX_REPLY_CHARS for r in cut)
    assert cut[0]["meta"]["reply_truncated"] == {"chars": MAX_REPLY_CHARS + 23, "kept": MAX_REPLY_CHARS}
    # an entry poisoned by an older version (lone surrogate stored) is repaired on the way out
    cache = ResponseCache(tmp_path / "cache")
    key = cache_key("p", "q", "i", "if", generation_params({}))
    cache.put(key, PolicyResponse("bad \ud800 text"))
    hit = cache.get(key)
    assert hit is not None and guard_response(hit).text == "bad \ufffd text"
    again = run_eval(RunSpec("surrogates", scenes=str(scenes)), tmp_path / "again",
                     ExecOptions(progress=False))  # the machine's shared cache the first run filled
    # every answer was cached, repaired, except the runaway ones read as no answer (never cached)
    no_answer = sum(any(s.get("invalid") for s in r["scores"].values()) for r in rows)
    assert no_answer == len(cut) and again.cache_hits == 40 - no_answer


def test_store_repairs_text_at_the_row_boundary_and_says_so(tmp_path: Path) -> None:
    store = RunStore(tmp_path)
    row = _row()
    store.append(ResultRow(**{**row.__dict__, "scores": {"rules": Score(judge="rules", label=2,
                                                                        explanation="judge said \udc80")}}))
    store.close()
    (written,) = store.read_rows()
    assert written.scores["rules"].explanation == "judge said \ufffd"
    assert written.meta["text_repaired_on_write"] == 1
