"""The request path: bodies spliced from pre-encoded parts, one loop and one pool inside a run."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import numpy as np
import pytest
from support.openai_server import FakeOpenAIServer

from mss_embodied.clients.http import EncodedStr, HttpPool, current_pool, encode_body, using
from mss_embodied.clients.openai_chat import ChatClient
from mss_embodied.policies.base import PolicyInput
from mss_embodied.policies.openai_policy import OpenAIPolicy

orjson = pytest.importorskip("orjson", reason="the openai extra is not installed")


def test_spliced_body_equals_plain_json() -> None:
    url = EncodedStr('data:image/png;base64,AAAA"\\é\u2028')
    payload: dict[str, Any] = {
        "model": "m", "temperature": 0,
        "messages": [{"role": "user", "content": [
            {"type": "text", "text": "a prompt that quotes @@mss-splice- and \"marks\""},
            {"type": "image_url", "image_url": {"url": url}},
            {"type": "image_url", "image_url": {"url": url}}]}]}
    body = encode_body(payload)
    assert orjson.loads(body) == orjson.loads(orjson.dumps(payload))
    assert body.count(url.json) == 2
    assert encode_body({"messages": []}) == b'{"messages":[]}'


def test_inside_a_run_calls_share_the_callers_loop_and_one_pool() -> None:
    with FakeOpenAIServer(responder=lambda req: "ok") as srv:
        policy = OpenAIPolicy("m", base_url=srv.base_url, api_key="k", timeout_s=5)
        judge = ChatClient("j", base_url=srv.base_url, api_key="k", timeout_s=5)
        image = np.zeros((8, 8, 3), dtype=np.uint8)
        threads: set[str] = set()

        async def run() -> list[Any]:
            pool = HttpPool(4)
            with using(pool):
                assert current_pool() is pool
                threads.add(threading.current_thread().name)
                out = await asyncio.gather(*[policy.aact(PolicyInput(prompt=f"p{i}", instruction="i", image=image,
                                                                     image_id="a")) for i in range(8)],
                                           judge.complete([{"role": "user", "content": "verdict?"}]))
                session = pool.session()
                assert session.connector is not None and session.connector.limit == 4
            await pool.aclose()
            assert current_pool() is None
            return list(out)

        results = asyncio.run(run())
        assert all(r.ok for r in results[:8]) and results[8].ok
        assert policy.client._io is None and judge._io is None, "no private loop thread was needed"
        assert len(srv.requests) == 9 and policy.images.encoded == 1
        policy.close()
        judge.close()
