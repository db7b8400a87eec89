"""Secrets are redacted by value from everything written: a server that echoes the key (and the
Basic credential derived from ``base_url``, and a token nested in ``extra_body``) in its error
bodies and replies leaves no trace in any file of the run folder, its cache, or the log."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from mss_embodied.cli import main
from mss_embodied.harness.cache import ResponseCache
from mss_embodied.redaction import MARK, Redactor, is_secret, url_secrets
from tests.support.harness import scene_subset
from tests.support.openai_server import FakeOpenAIServer, Fault, RecordedRequest, Reply

API_KEY = "sk-live-ABCDEF1234567890"
URL_PASSWORD = "pw-SECRET-7788"
NESTED = "tok-NESTED-9911"
ENV_TOKEN = "envtok-4455-QWERTY"


def test_redactor_finds_secrets_by_name_in_urls_and_nested() -> None:
    r = Redactor()
    r.add_options({"api_key": API_KEY, "base_url": f"http://user:{URL_PASSWORD}@h:1/v1?api-key=qk-123456",
                   "extra_body": {"metadata": {"auth_token": NESTED}}, "temperature": 0, "seed": 7,
                   "headers": [{"Authorization": "Bearer bt-998877"}]})
    r.add_environment({"MY_SERVICE_TOKEN": ENV_TOKEN, "HOME": "/root", "PROXY_URL": "http://p:proxypw-77@x"})
    text = f"{API_KEY} {URL_PASSWORD} {NESTED} qk-123456 bt-998877 {ENV_TOKEN} proxypw-77 user /root 7"
    assert r.text(text) == " ".join([MARK] * 7 + ["user", "/root", "7"])
    assert not any(s in r.text(text) for s in (API_KEY, URL_PASSWORD, NESTED, ENV_TOKEN))
    assert r.data({"k": [API_KEY, {NESTED: 1}]}) == {"k": [MARK, {MARK: 1}]}
    assert "dXNlcjpwdy1TRUNSRVQtNzc4OA==" in url_secrets(f"http://user:{URL_PASSWORD}@h/v1")  # HTTP Basic
    assert is_secret("OPENAI_API_KEY") and not is_secret("max_tokens")


def test_short_placeholders_are_not_redacted() -> None:
    r = Redactor()
    r.add_options({"api_key": "x", "token": "EMPTY"})
    assert r.text("x EMPTY text") == "x EMPTY text"


def _echo_secrets(req: RecordedRequest) -> Reply | Fault:
    """Every third request fails with a body echoing the credentials it got; one reply echoes them too."""
    auth = req.headers.get("authorization", "")
    nested = json.dumps(req.body.get("metadata") if isinstance(req.body, dict) else None)
    bucket = int(hashlib.sha256(req.user_text.encode()).hexdigest(), 16) % 3
    if bucket == 0:
        return Fault("500", message=f"invalid credentials: {auth} {nested} {API_KEY}")
    if bucket == 1:
        return Reply(f"1. Goto Sink\n2. Place Sink (debug: {auth} {nested} {ENV_TOKEN})")
    return Reply("I will not do this: it is dangerous.")


def test_a_server_echoing_the_key_leaves_no_trace_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    scenes = scene_subset(tmp_path / "scenes", 2)
    monkeypatch.setenv("MY_SERVICE_TOKEN", ENV_TOKEN)
    out = tmp_path / "run"
    with FakeOpenAIServer(responder=_echo_secrets) as srv:
        base_url = srv.base_url.replace("http://", f"http://user:{URL_PASSWORD}@")
        code = main(["eval", "--policy", "openai:fake-model", "--scenes", str(scenes), "--out", str(out),
                     "--policy-opt", f"base_url={base_url}", "--policy-opt", f"api_key={API_KEY}",
                     "--policy-opt", "max_attempts=1", "--policy-opt",
                     'extra_body={"metadata": {"auth_token": "' + NESTED + '"}}',
                     "--judge", "rules", "--judge", "llm:fake-model", "--judge-opt", f"base_url={base_url}",
                     "--judge-opt", "max_attempts=1", "--max-consecutive-errors", "0"])
        assert len(srv.requests) >= 20
    log = capsys.readouterr()
    assert code == 0, log.err
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert any(r["error"] and "invalid credentials" in r["error"] for r in rows)  # the echo did happen
    assert any(MARK in (r["response"] or "") for r in rows)
    secrets = [API_KEY, URL_PASSWORD, NESTED, ENV_TOKEN, "dXNlcjpwdy1TRUNSRVQtNzc4OA=="]
    cache = Path(os.environ["MSS_EMBODIED_CACHE_DIR"])  # the machine's call cache (this test's own)
    files = [p for p in [*out.rglob("*"), *cache.rglob("*")] if p.is_file()]
    assert {p.name for p in files} >= {"results.jsonl", "config.json", "metrics.json", "report.md"}
    assert ResponseCache(cache).stats()["entries"] > 0  # answers were cached, so the check below means something
    for path in files:
        data = path.read_bytes().decode("utf-8", "replace")  # the SQLite cache file too, byte for byte
        for secret in secrets:
            assert secret not in data, (path, secret)
    for secret in secrets:
        assert secret not in log.out + log.err
    config = json.loads((out / "config.json").read_text())
    assert config["policy"]["options"]["base_url"] == base_url.replace(URL_PASSWORD, MARK)
