"""The openai policy against a real local HTTP server: payload, retries, faults, errors, secrets."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import pickle
import random
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from PIL import Image
from support.openai_server import FakeOpenAIServer, Fault, FaultKind, RecordedRequest, Reply, serve

import mss_embodied.policies.openai_policy  # noqa: F401  (registers "openai")
from mss_embodied.clients.openai_chat import ChatClient, RetryPolicy, parse_completion, parse_retry_after
from mss_embodied.policies.base import PolicyInput, make_policy
from mss_embodied.policies.openai_policy import OpenAIPolicy

KEY = "sk-test-SECRET-0123456789"
FAST: dict[str, Any] = {"timeout_s": 2.0, "backoff_base_s": 0.001, "backoff_max_s": 0.01, "rng_seed": 0}

pytest.importorskip("aiohttp", reason="the openai extra is not installed")


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    yield from serve()


def frame(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (24, 32, 3), dtype=np.uint8)


def inp(prompt: str = "Your task is: put the fork in the microwave.", image_id: str = "img-a",
        image: np.ndarray | None = None) -> PolicyInput:
    return PolicyInput(prompt=prompt, instruction="put the fork in the microwave.",
                       image=frame() if image is None else image, image_id=image_id)


def policy(srv: FakeOpenAIServer, **options: Any) -> OpenAIPolicy:
    p = make_policy("openai:test-model", base_url=srv.base_url, api_key=KEY, **{**FAST, **options})
    assert isinstance(p, OpenAIPolicy)
    return p


def test_sends_prompt_text_and_png_data_url(openai_server: FakeOpenAIServer) -> None:
    p = policy(openai_server, seed=7, max_tokens=33)
    img = frame(3)
    r = p.act(inp(image=img))
    p.close()
    assert r.ok and r.text == "echo: " + inp().prompt[-40:]
    (req,) = openai_server.requests
    assert req.path == "/v1/chat/completions"
    assert req.headers["authorization"] == f"Bearer {KEY}"
    assert req.body["model"] == "test-model"
    assert req.body["temperature"] == 0 and req.body["seed"] == 7 and req.body["max_tokens"] == 33
    assert [m["role"] for m in req.messages] == ["user"]
    assert [p["type"] for p in req.messages[0]["content"]] == ["text", "image_url"]  # official order
    assert req.texts == [inp().prompt]
    (url,) = req.image_urls
    assert url.startswith("data:image/png;base64,")
    decoded = np.asarray(Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1]))))
    np.testing.assert_array_equal(decoded, img)


def test_usage_latency_and_meta(openai_server: FakeOpenAIServer) -> None:
    openai_server.push(Reply("plan", prompt_tokens=120, completion_tokens=9, latency_s=0.05))
    p = policy(openai_server)
    r = p.act(inp())
    p.close()
    assert r.usage == {"prompt_tokens": 120, "completion_tokens": 9, "total_tokens": 129}
    assert r.latency_s >= 0.05
    assert r.meta["attempts"] == 1 and r.meta["finish_reason"] == "stop"


def test_image_encoded_once_per_image_id(openai_server: FakeOpenAIServer) -> None:
    p = policy(openai_server, image_cache_size=2)
    for _ in range(3):
        assert p.act(inp(image_id="same")).ok
    assert p.images.encoded == 1
    p.act(inp(image_id="b", image=frame(1)))
    p.act(inp(image_id="c", image=frame(2)))
    p.act(inp(image_id="same"))  # evicted from the 2-item cache
    p.close()
    assert p.images.encoded == 4
    urls = [r.image_urls[0] for r in openai_server.requests]
    assert urls[0] == urls[1] == urls[2] == urls[5] != urls[3]


def test_no_image_sends_text_only(openai_server: FakeOpenAIServer) -> None:
    p = policy(openai_server)
    r = p.act(PolicyInput(prompt="hello", instruction="hello"))
    p.close()
    assert r.ok and openai_server.requests[0].image_urls == []


def test_retry_after_is_honoured(openai_server: FakeOpenAIServer) -> None:
    openai_server.push(Fault("429", retry_after="0.3"), Reply("done"))
    p = policy(openai_server)
    r = p.act(inp())
    p.close()
    assert r.ok and r.text == "done" and r.meta["attempts"] == 2
    first, second = openai_server.requests
    assert second.received_at - first.received_at >= 0.28
    assert r.meta["retried_errors"] == ["HTTP 429: rate limited"]


def test_retry_after_is_capped(openai_server: FakeOpenAIServer) -> None:
    openai_server.push(Fault("503", retry_after="30"), Reply("done"))
    p = policy(openai_server, retry_after_max_s=0.05)
    r = p.act(inp())
    p.close()
    assert r.ok
    first, second = openai_server.requests
    assert second.received_at - first.received_at < 1.0


def test_backoff_grows_and_is_bounded() -> None:
    rp = RetryPolicy(backoff_base_s=1.0, backoff_max_s=5.0, jitter=0.5)
    rng = random.Random(0)
    delays = [rp.delay(k, rng) for k in range(1, 7)]
    for k, d in enumerate(delays, start=1):
        full = min(5.0, 2 ** (k - 1))
        assert full * 0.5 <= d <= full
    assert rp.delay(1, rng, retry_after=2.5) == 2.5
    assert rp.delay(1, rng, retry_after=500) == rp.retry_after_max_s
    assert RetryPolicy(jitter=0).delay(3, rng) == 4.0
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def test_retry_after_parsing() -> None:
    assert parse_retry_after({"retry-after": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250"}) == 0.25
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0  # in the past
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_transient_faults_are_retried(openai_server: FakeOpenAIServer) -> None:
    openai_server.push(Fault("500"), Fault("drop"), Fault("timeout", sleep_s=1.2), Reply("finally"))
    p = policy(openai_server, timeout_s=0.6, max_attempts=4)
    r = p.act(inp())
    p.close()
    assert r.ok and r.text == "finally" and r.meta["attempts"] == 4
    errors = r.meta["retried_errors"]
    assert errors[0] == "HTTP 500: server error"
    assert errors[1].startswith("connection error")
    assert errors[2] == "timeout after 0.6s"


def test_attempts_are_bounded_and_final_failure_is_an_error(openai_server: FakeOpenAIServer) -> None:
    openai_server.push(*[Fault("500")] * 5, Reply("never reached"))
    p = policy(openai_server, max_attempts=3)
    r = p.act(inp())
    p.close()
    assert len(openai_server.requests) == 3
    assert r.text is None and not r.ok
    assert r.error == "HTTP 500: server error (after 3 attempts)"
    assert r.text != "None"  # unlike the original code, a failure is never answer text


@pytest.mark.parametrize(("fault", "message"), [
    ("malformed", "invalid JSON"),
    ("no_choices", "no choices"),
    ("400", "HTTP 400: bad request"),
])
def test_malformed_and_client_errors_are_not_retried(openai_server: FakeOpenAIServer, fault: FaultKind,
                                                       message: str) -> None:
    openai_server.push(Fault(fault), Reply("should not be used"))
    p = policy(openai_server)
    r = p.act(inp())
    p.close()
    assert r.text is None and r.error is not None and message in r.error
    assert len(openai_server.requests) == 1


def test_null_content_is_an_error(openai_server: FakeOpenAIServer) -> None:
    openai_server.push(Reply(None))
    p = policy(openai_server)
    r = p.act(inp())
    p.close()
    assert r.text is None and r.error is not None and "without text" in r.error


def test_parse_completion_variants() -> None:
    body = '{"choices": [{"message": {"content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}}]}'
    assert parse_completion(body)[0] == "ab"
    assert parse_completion('{"choices": [{"message": {"content": null, "refusal": "no."}}]}')[0] == "no."
    for bad in ("[]", '{"choices": []}', '{"choices": [{"text": "x"}]}', "not json"):
        with pytest.raises(ValueError, match="malformed"):
            parse_completion(bad)


def test_connection_refused_is_an_error_after_bounded_attempts() -> None:
    with FakeOpenAIServer() as srv:
        url = srv.base_url
    p = OpenAIPolicy("m", base_url=url, api_key=KEY, max_attempts=2, **{k: v for k, v in FAST.items()
                                                                       if k != "timeout_s"}, timeout_s=0.5)
    r = p.act(inp())
    p.close()
    assert r.text is None and r.error is not None
    assert r.error.startswith("connection error") and r.error.endswith("(after 2 attempts)")


def _fault_for(req: RecordedRequest, attempt: int) -> Fault | None:
    """Deterministic 20% faults keyed on (prompt, attempt), so concurrency cannot change outcomes."""
    h = hashlib.sha256(f"{req.user_text}|{attempt}".encode()).digest()
    if int.from_bytes(h[:4], "big") / 2**32 >= 0.2:
        return None
    kind = ("429", "500", "malformed", "timeout")[h[4] % 4]
    return Fault(kind, retry_after="0.01" if kind == "429" else None, sleep_s=1.6)


def test_fault_injection_every_item_answered_or_error() -> None:
    n, max_attempts = 100, 3
    prompts = [f"Your task is: item {i}" for i in range(n)]

    def responder_for(srv: FakeOpenAIServer) -> Any:
        def respond(req: RecordedRequest) -> Fault | Reply:
            attempt = sum(1 for r in srv.requests if r.user_text == req.user_text)
            return _fault_for(req, attempt) or Reply(f"answer to {req.user_text}")
        return respond

    # What must happen, item by item: retry 429/500/timeout, stop at a malformed body or the bound.
    expected_ok = expected_err = expected_requests = 0
    for prompt in prompts:
        fake = RecordedRequest("", {}, {"messages": [{"role": "user", "content": prompt}]}, 0.0)
        for attempt in range(1, max_attempts + 1):
            expected_requests += 1
            fault = _fault_for(fake, attempt)
            if fault is None:
                expected_ok += 1
                break
            if fault.kind == "malformed" or attempt == max_attempts:
                expected_err += 1
                break
    assert expected_err > 0 and expected_ok > 80

    with FakeOpenAIServer() as srv:
        srv.responder = responder_for(srv)
        p = OpenAIPolicy("m", base_url=srv.base_url, api_key=KEY, max_attempts=max_attempts, timeout_s=1.0,
                         backoff_base_s=0.001, backoff_max_s=0.005, max_concurrency=32)

        async def run_all() -> list[Any]:
            return await asyncio.gather(*[p.aact(PolicyInput(prompt=q, instruction=q)) for q in prompts])

        results = asyncio.run(run_all())
        p.close()
        n_requests = len(srv.requests)
    ok = [r for r in results if r.ok]
    errors = [r for r in results if not r.ok]
    assert len(ok) + len(errors) == n
    assert all((r.text is None) == (r.error is not None) for r in results)
    counts = (len(ok), len(errors), n_requests)
    assert counts == (expected_ok, expected_err, expected_requests), [r.meta for r in errors]
    for prompt, r in zip(prompts, results, strict=True):
        if r.ok:
            assert r.text == f"answer to {prompt}"
            assert r.usage["completion_tokens"] == 7


def test_api_key_never_in_repr_or_results(openai_server: FakeOpenAIServer) -> None:
    openai_server.push(Fault("400"))
    p = policy(openai_server)
    r = p.act(inp())
    ok = p.act(inp())
    for text in (repr(p), str(p), repr(p.client), str(vars(p)), repr(r), repr(ok), str(r.error), str(ok.meta)):
        assert KEY not in text
    with pytest.raises(TypeError):
        pickle.dumps(p.client)
    p.close()


def test_key_and_base_url_from_environment(openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    p = make_policy("openai:env-model", **FAST)
    assert p.act(inp()).ok
    p.close()
    assert openai_server.requests[0].headers["authorization"] == "Bearer sk-from-env"
    monkeypatch.delenv("OPENAI_API_KEY")
    p = make_policy("openai:env-model", **FAST)  # local server: a dummy key is fine
    assert p.act(inp()).ok
    p.close()
    monkeypatch.delenv("OPENAI_BASE_URL")
    with pytest.raises(ValueError, match="no API key"):
        ChatClient("m")
    with pytest.raises(ValueError, match="needs a model"):
        make_policy("openai")


def test_bad_image_is_an_error_not_a_call(openai_server: FakeOpenAIServer) -> None:
    p = policy(openai_server)
    r = p.act(inp(image=np.zeros((4, 4, 3), dtype=np.float32)))
    p.close()
    assert r.text is None and r.error is not None and "uint8" in r.error
    assert openai_server.requests == []


def test_usable_from_sync_and_several_event_loops(openai_server: FakeOpenAIServer) -> None:
    p = policy(openai_server)
    assert p.act(inp("one")).ok
    assert asyncio.run(p.aact(inp("two"))).ok
    assert asyncio.run(p.aact(inp("three"))).ok
    p.close()
    assert p.act(inp("after close")).ok  # a closed policy reopens its client
    p.close()
    assert [r.texts[0] for r in openai_server.requests] == ["one", "two", "three", "after close"]


def test_empty_completion_cut_off_by_max_tokens_is_an_error_not_an_empty_answer() -> None:
    """A reasoning model that spends max_tokens before answering returns "": no answer, not a refusal."""
    cut = '{"choices": [{"message": {"content": ""}, "finish_reason": "length"}]}'
    with pytest.raises(ValueError, match="finish_reason 'length'"):
        parse_completion(cut)
    assert parse_completion('{"choices": [{"message": {"content": ""}, "finish_reason": "stop"}]}')[0] == ""
