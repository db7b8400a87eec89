"""The runner in-process: rows and run files, errors kept apart, cache, concurrency, rate limits."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

import tests.support.harness  # noqa: F401  (registers slow, flaky, die_once)
from mss_embodied.harness.cache import ResponseCache, cache_key, is_secret, scrub
from mss_embodied.harness.ratelimit import RateLimiter, TokenBucket
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec
from mss_embodied.policies.base import POLICIES, Policy, PolicyInput, PolicyResponse
from mss_embodied.render.provider import ImageProvider
from tests.support.harness import scene_subset
from tests.support.openai_server import FakeOpenAIServer

ROW_FIELDS = {"episode_id", "setting", "variant", "task", "category", "prompt_hash", "response", "usage", "scores",
              "timings", "error"}


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scene_subset(tmp_path_factory.mktemp("scenes"), 4)  # 40 episodes


def rows_of(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def quiet(**kw: object) -> ExecOptions:
    return ExecOptions(progress=False, **kw)  # type: ignore[arg-type]


def test_run_writes_rows_config_metrics_and_report(scenes: Path, tmp_path: Path) -> None:
    spec = RunSpec("slow:0.001", scenes=str(scenes), policy_options={"api_key": "sk-SECRET-1", "temperature": 0,
                                                                       "hf_token": "hf_SECRET_2"})
    summary = run_eval(spec, tmp_path / "run", quiet(concurrency=4))
    rows = rows_of(tmp_path / "run")
    assert len(rows) == 40 == summary.n_run and len({r["episode_id"] for r in rows}) == 40
    assert all(set(r) >= ROW_FIELDS for r in rows)
    assert all(list(r["scores"]) == ["rules"] and r["scores"]["rules"]["judge"] == "rules" for r in rows)
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert list(metrics)[:5] == ["safe_accuracy", "unsafe_accuracy", "average_accuracy", "n_episodes", "n_errors"]
    assert metrics["n_episodes"] == 40 and metrics["n_errors"] == 0 and metrics["complete"]
    assert 0 < metrics["average_accuracy"] < 1 and {"by_task", "by_category", "execution"} <= set(metrics)
    config = json.loads((tmp_path / "run" / "config.json").read_text())
    assert config["policy"] == {"name": "slow:0.001", "options": {"api_key": "<redacted>",
                                                                  "hf_token": "<redacted>", "temperature": 0}}
    assert config["data"]["source"] == "scenes" and config["package_version"]
    assert "# MSS-Embodied report" in (tmp_path / "run" / "report.md").read_text()
    for path in (tmp_path / "run").rglob("*"):
        if path.is_file():
            assert b"SECRET" not in path.read_bytes(), path


def test_errors_are_counted_apart_never_refusals(scenes: Path, tmp_path: Path) -> None:
    run_eval(RunSpec("flaky", scenes=str(scenes)), tmp_path / "run", quiet())
    rows = rows_of(tmp_path / "run")
    errored = [r for r in rows if r["error"] is not None]
    assert errored, "the flaky policy should fail some episodes"
    assert any("RuntimeError: connection reset" in r["error"] for r in errored)
    for r in errored:
        score = r["scores"]["rules"]
        assert r["response"] is None and score["label"] is None and score["correct"] is None
        assert not score["refused"]
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["n_errors"] == len(errored)
    assert metrics["n_safe"] + metrics["n_unsafe"] == 40 - len(errored)


def test_cache_shared_between_runs_skips_calls_but_not_errors(scenes: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = run_eval(RunSpec("flaky", scenes=str(scenes)), tmp_path / "a", quiet(cache_dir=cache))
    second = run_eval(RunSpec("flaky", scenes=str(scenes)), tmp_path / "b", quiet(cache_dir=cache))
    n_err = first.metrics["n_errors"]
    assert first.cache_hits == 0 and second.cache_hits == 40 - n_err
    strip = lambda rows: sorted(({k: v for k, v in r.items() if k != "timings"} for r in rows),  # noqa: E731
                                key=lambda r: r["episode_id"])
    assert strip(rows_of(tmp_path / "a")) == strip(rows_of(tmp_path / "b"))


def test_cache_key_ignores_transport_options_and_secrets() -> None:
    base = cache_key("openai:m", "p", "img", "if", {"temperature": 0})
    assert base != cache_key("openai:m", "p", "img2", "if", {"temperature": 0})
    assert base != cache_key("openai:m", "p", "img", "if", {"temperature": 1})
    assert is_secret("api_key") and is_secret("HF_TOKEN") and not is_secret("max_tokens")
    assert scrub({"password": "x", "seed": 1}) == {"password": "<redacted>", "seed": 1}
    assert ResponseCache(None).get(base) is None


def test_several_judges_give_scores_and_agreement(scenes: Path, tmp_path: Path) -> None:
    summary = run_eval(RunSpec("slow:0", judges=("rules", "execution"), scenes=str(scenes)), tmp_path / "r",
                       quiet())
    rows = rows_of(tmp_path / "r")
    assert all(list(r["scores"]) == ["rules", "execution"] for r in rows)
    agreement = summary.metrics["agreement"]["execution"]
    assert agreement["with"] == "rules" and agreement["four_class"]["n"] == 40
    assert set(summary.metrics["by_judge"]) == {"rules", "execution"}


class _Counting(Policy):
    """Counts how many calls overlap."""

    active = 0
    peak = 0

    async def aact(self, inp: PolicyInput) -> PolicyResponse:
        type(self).active += 1
        type(self).peak = max(type(self).peak, type(self).active)
        await asyncio.sleep(0.005)
        type(self).active -= 1
        return PolicyResponse("I cannot see well enough to do this.")


POLICIES.register("counting", lambda arg, context, **kw: _Counting())


@pytest.mark.parametrize("concurrency", [1, 5])
def test_concurrency_bounds_calls_in_flight(scenes: Path, tmp_path: Path, concurrency: int) -> None:
    _Counting.peak = 0
    run_eval(RunSpec("counting", scenes=str(scenes)), tmp_path / "r", quiet(concurrency=concurrency, cache=False))
    assert _Counting.peak == concurrency


def test_images_loaded_once_per_situation(scenes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[str] = []
    original = ImageProvider._load

    def counting(self: ImageProvider, episode: object) -> object:
        loads.append(episode.id)  # type: ignore[attr-defined]
        return original(self, episode)  # type: ignore[arg-type]

    monkeypatch.setattr(ImageProvider, "_load", counting)
    run_eval(RunSpec("slow:0", scenes=str(scenes)), tmp_path / "r", quiet(concurrency=8))
    assert len(loads) == 8  # 4 scenarios x (safe, unsafe), not 40 episodes


def test_token_bucket_and_rpm_limit(scenes: Path, tmp_path: Path) -> None:
    bucket = TokenBucket(60.0, capacity=1.0)  # one per second
    assert bucket.wait_time(1) == 0.0
    bucket.take(1)
    assert 0.9 < bucket.wait_time(1) <= 1.0
    assert not RateLimiter().active
    start = time.monotonic()
    run_eval(RunSpec("slow:0", scenes=str(scenes)), tmp_path / "r", quiet(rpm=1200, cache=False))
    assert time.monotonic() - start >= 0.9  # 20/s with a burst of 20: the other 20 of 40 calls wait ~1 s


def test_openai_policy_against_fake_server(scenes: Path, tmp_path: Path) -> None:
    with FakeOpenAIServer(responder=lambda req: "1. Goto Microwave\n2. Place Microwave") as srv:
        spec = RunSpec("openai:fake-model", scenes=str(scenes), limit=10,
                       policy_options={"base_url": srv.base_url, "api_key": "sk-test-SECRET", "max_attempts": 1})
        from mss_embodied.harness.pricing import Price

        summary = run_eval(spec, tmp_path / "r", quiet(concurrency=4, price=Price(1.0, 2.0)))
        assert len(srv.requests) == 10
        assert all(req.image_urls[0].startswith("data:image/png;base64,") for req in srv.requests)
    rows = rows_of(tmp_path / "r")
    assert all(r["usage"]["prompt_tokens"] == 11 and r["error"] is None for r in rows)
    usage = summary.metrics["usage"]
    assert usage["prompt_tokens"] == 110 and usage["cost_usd_estimate"] == pytest.approx((110 + 2 * 70) / 1e6)
    assert b"SECRET" not in (tmp_path / "r" / "config.json").read_bytes()


def test_caption_only_in_ic_cap(scenes: Path, tmp_path: Path) -> None:
    seen: list[PolicyInput] = []

    class Spy(Policy):
        def act(self, inp: PolicyInput) -> PolicyResponse:
            seen.append(inp)
            return PolicyResponse("Answer: No")

    POLICIES.register("spy", lambda arg, context, **kw: Spy())
    run_eval(RunSpec("spy", scenes=str(scenes), setting="ic_cap", limit=2), tmp_path / "a", quiet(cache=False))
    run_eval(RunSpec("spy", scenes=str(scenes), setting="qc", limit=2), tmp_path / "b", quiet(cache=False))
    cap, qc = seen[:2], seen[2:]
    assert all(i.caption and i.caption in i.prompt and i.setting == "ic_cap" for i in cap)
    assert all(i.caption is None and i.image_id and i.image is not None and i.episode is not None for i in qc)


def test_bad_spec_values_raise_eval_error(scenes: Path, tmp_path: Path) -> None:
    for spec, words in ((RunSpec("comply", setting="bogus"), "setting"),
                        (RunSpec("comply", variant="some"), "variant"),
                        (RunSpec("comply", limit=0), "limit"),
                        (RunSpec("nosuch"), "policy: unknown policy 'nosuch'"),
                        (RunSpec("comply", judges=("nosuch",)), "judges: unknown judge 'nosuch'"),
                        (RunSpec("comply", scenes=str(tmp_path / "absent")), "absent")):
        with pytest.raises(EvalError, match=words):
            run_eval(spec, tmp_path / "x", quiet())
    assert not (tmp_path / "x").exists()


def test_secret_names_are_whole_words_so_generation_params_stay_in_the_key() -> None:
    for name in ("api_key", "apiKey", "OPENAI_API_KEY", "hf_token", "accessToken", "client_secret", "password"):
        assert is_secret(name), name
    for name in ("max_tokens", "max_new_tokens", "max_completion_tokens", "min_new_tokens", "tokenizer", "top_k"):
        assert not is_secret(name), name
    from mss_embodied.harness.cache import generation_params

    assert generation_params({"max_completion_tokens": 5, "api_key": "x"}) == {"max_completion_tokens": 5}
    assert cache_key("p", "q", "i", "if", generation_params({"max_completion_tokens": 5})) != \
        cache_key("p", "q", "i", "if", generation_params({"max_completion_tokens": 6}))
    assert scrub({"extra_body": {"auth_token": "t", "top_p": 1}}) == {"extra_body": {"auth_token": "<redacted>",
                                                                                     "top_p": 1}}


def test_nan_rate_limit_is_refused(scenes: Path, tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="rpm: must be positive"):
        run_eval(RunSpec("comply", scenes=str(scenes)), tmp_path / "r", quiet(rpm=float("nan")))
