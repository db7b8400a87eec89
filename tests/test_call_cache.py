"""The shared call cache: one SQLite store per machine for policy answers and judge verdicts,
never an error or an invalid verdict, safe under concurrent processes, and its CLI."""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
from pathlib import Path

import pytest

import tests.support.harness  # noqa: F401  (registers slow, flaky)
from mss_embodied.cli import main
from mss_embodied.harness.cache import ResponseCache, default_cache_dir, judge_key
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec
from mss_embodied.policies.base import PolicyResponse
from mss_embodied.scoring.judges import Judgement
from tests.support.harness import scene_subset
from tests.support.openai_server import FakeOpenAIServer, RecordedRequest

pytest.importorskip("aiohttp", reason="the openai extra is not installed")


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scene_subset(tmp_path_factory.mktemp("scenes"), 2)  # 20 episodes


def quiet(**kw: object) -> ExecOptions:
    return ExecOptions(**{"progress": False, "concurrency": 4, **kw})  # type: ignore[arg-type]


def rows_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def test_default_folder_follows_env_and_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MSS_EMBODIED_CACHE_DIR", str(tmp_path / "explicit"))
    assert default_cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("MSS_EMBODIED_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "mss_embodied"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "mss_embodied"


def _judge_server_responder(req: RecordedRequest) -> str:
    """The policy plans (the plan names the instruction); the judge gives a verdict, except for one
    answer it cannot read."""
    if req.image_urls:
        unreadable = hashlib.sha256(req.user_text.encode()).digest()[0] % 3 == 0
        return "I will not." if unreadable else f"1. Goto Microwave\n# {req.user_text[-40:]}"
    return "I cannot decide." if "I will not." in req.user_text else "Plans without a remark. <answer>2</answer>"


def test_judge_calls_are_cached_across_runs_but_not_invalid_verdicts(scenes: Path, tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=_judge_server_responder) as srv:
        transport = {"base_url": srv.base_url, "api_key": "k", "max_attempts": 1}
        spec = RunSpec("openai:m", judges=("llm:j", "rules"), scenes=str(scenes), policy_options=transport,
                       judge_options=transport)
        # one at a time, so which judge requests repeat is deterministic; the shared default folder
        first = run_eval(spec, tmp_path / "a", quiet(concurrency=1))
        calls_first = len(srv.requests)
        rows = rows_of(tmp_path / "a")
        invalid = sum(1 for r in rows if r["scores"]["llm:j"]["label"] is None)
        distinct_valid = len({r["response"] for r in rows if r["scores"]["llm:j"]["label"] is not None})
        assert invalid > 0 and distinct_valid > 1
        # a safe and an unsafe episode with the same instruction get the same answer: judged once
        assert first.cache_hits == 0 and calls_first == 20 + distinct_valid + invalid
        second = run_eval(spec, tmp_path / "b", quiet())
        judge_calls = [r for r in srv.requests[calls_first:] if not r.image_urls]
        policy_calls = [r for r in srv.requests[calls_first:] if r.image_urls]
    assert second.cache_hits == 20 and policy_calls == []
    assert len(judge_calls) == invalid, "only the invalid verdicts are asked again"
    strip = lambda rows: sorted(({k: v for k, v in r.items() if k != "timings"} for r in rows),  # noqa: E731
                                key=lambda r: r["episode_id"])
    assert strip(rows_of(tmp_path / "a")) == strip(rows_of(tmp_path / "b"))
    stats = ResponseCache(default_cache_dir()).stats()
    assert stats["kinds"]["policy"]["entries"] == 20 and stats["kinds"]["judge"]["entries"] > 0


def test_failed_calls_and_no_cache(scenes: Path, tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c")
    cache.put("k1", PolicyResponse(text=None, error="HTTP 500"))
    cache.put_judgement("k2", Judgement(label=None, error="judge call failed: HTTP 500"))
    cache.put_judgement("k3", Judgement(label=2, error="invalid verdict: something"))
    assert cache.get("k1") is None and cache.get_judgement("k2") is None and cache.get_judgement("k3") is None
    assert cache.stats()["entries"] == 0
    key = judge_key({"judge": "llm:j", "messages": [{"role": "user", "content": "x"}], "temperature": 0})
    cache.put_judgement(key, Judgement(label=1, explanation="warns", raw="<answer>1</answer>"))
    assert cache.get_judgement(key) == Judgement(label=1, explanation="warns", raw="<answer>1</answer>")
    cache.close()
    run_eval(RunSpec("flaky", scenes=str(scenes)), tmp_path / "r", quiet(cache=False))
    assert not default_cache_dir().exists() or ResponseCache(default_cache_dir()).stats()["entries"] == 0


def _writer(folder: str, worker: int, n: int) -> None:
    cache = ResponseCache(folder)
    for i in range(n):
        cache.put(f"{worker}-{i}", PolicyResponse(text=f"answer {worker} {i}"))
    cache.close()


def test_concurrent_processes_share_one_store(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path / "c"), w, 150)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    cache = ResponseCache(tmp_path / "c")
    assert cache.stats()["kinds"]["policy"]["entries"] == 450
    hit = cache.get("2-149")
    assert hit is not None and hit.text == "answer 2 149"


def test_cache_cli_stats_clear_and_a_damaged_file(scenes: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "c"
    run_eval(RunSpec("slow:0", scenes=str(scenes)), tmp_path / "r", quiet(cache_dir=folder))
    assert main(["cache", "stats", "--cache-dir", str(folder), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["kinds"]["policy"]["entries"] == 20 and stats["file_bytes"] > 0
    assert main(["cache", "clear", "--cache-dir", str(folder), "--kind", "judge"]) == 0
    assert "removed 0 judge entries" in capsys.readouterr().out
    assert main(["cache", "clear", "--cache-dir", str(folder)]) == 0
    assert "removed 20 entries" in capsys.readouterr().out
    (folder / "calls.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(EvalError, match=r"cache_dir: .*calls\.sqlite3: cannot use the response cache"):
        run_eval(RunSpec("slow:0", scenes=str(scenes)), tmp_path / "r2", quiet(cache_dir=folder))
    assert not (tmp_path / "r2" / "results.jsonl").exists()
    code = main(["eval", "--policy", "slow:0", "--plugin", "tests.support.harness", "--scenes", str(scenes),
                 "--out", str(tmp_path / "r3"), "--cache-dir", str(folder), "--quiet"])
    assert code == 2 and "--cache-dir:" in capsys.readouterr().err
    assert main(["cache", "clear", "--cache-dir", str(folder)]) == 0  # a damaged file is removed whole
    assert run_eval(RunSpec("slow:0", scenes=str(scenes)), tmp_path / "r2", quiet(cache_dir=folder)).n_run == 20


def test_llm_grounder_replies_are_kept_in_the_shared_cache(tmp_path: Path) -> None:
    """The execution judge's optional LLM reader caches its replies where every other call is cached."""
    from mss_embodied.harness.judge_cache import GrounderCache, with_judge_cache
    from mss_embodied.scoring.judges import make_judge

    judge = make_judge("execution", grounder="llm:reader", base_url="http://127.0.0.1:9/v1", api_key="k")
    cache = ResponseCache(tmp_path / "cache")
    (wrapped,) = with_judge_cache([judge], cache)
    grounder = wrapped.grounder  # type: ignore[attr-defined]
    assert isinstance(grounder.cache, GrounderCache)
    grounder.cache.put("k1", '{"steps": []}')
    assert ResponseCache(tmp_path / "cache").get_text("grounder:k1") == '{"steps": []}'
    assert grounder.cache.get("k1") == '{"steps": []}' and grounder.cache.get("k2") is None
    judge.close()
