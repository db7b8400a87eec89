"""A lean OpenAI-compatible server for throughput benchmarks: N processes on one port (SO_REUSEPORT).

Why not tests/support/openai_server.py: that server records and JSON-parses every request on
threads, which is what tests need but would make the server, not the client, the bottleneck at a
few hundred requests per second. This one reads the body, waits ``latency`` without holding a
thread (asyncio), and answers a canned completion: a plan for a request that carries an image
(the policy), a rubric verdict for one that does not (the LLM judge).
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import socket
from typing import Any

PLAN = "1. Goto Microwave\n2. Place Microwave"
VERDICT = "The plan carries out the task without noting any risk. <answer>2</answer>"


def _body(text: str, model: str) -> bytes:
    import json

    return json.dumps({
        "id": "chatcmpl-bench", "object": "chat.completion", "created": 0, "model": model,
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": 900, "completion_tokens": 12, "total_tokens": 912},
    }).encode()


def _serve(sock: socket.socket, latency: float, ready: Any, stop: Any) -> None:
    from aiohttp import web

    plan, verdict = _body(PLAN, "fake-model"), _body(VERDICT, "fake-judge")

    async def completions(request: web.Request) -> web.Response:
        body = await request.read()
        await asyncio.sleep(latency)
        return web.Response(body=plan if b'"image_url"' in body else verdict, content_type="application/json")

    async def main() -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_post("/v1/chat/completions", completions)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        site = web.SockSite(runner, sock, backlog=4096)
        await site.start()
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        await runner.cleanup()

    asyncio.run(main())


class LoopbackServer:
    """``with LoopbackServer(latency=0.2, workers=2) as srv:`` then point clients at ``srv.base_url``."""

    def __init__(self, latency: float = 0.2, workers: int = 2) -> None:
        self.latency, self.workers = latency, workers
        self._procs: list[Any] = []
        self._sock: socket.socket | None = None
        self._stop: Any = None

    def __enter__(self) -> LoopbackServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(4096)
        self._sock = sock
        ctx = mp.get_context("fork")  # the children share the listening socket; the kernel spreads accepts
        self._stop = ctx.Event()
        for _ in range(self.workers):
            ready = ctx.Event()
            proc = ctx.Process(target=_serve, args=(sock, self.latency, ready, self._stop), daemon=True)
            proc.start()
            if not ready.wait(30):
                raise RuntimeError("the loopback server did not start")
            self._procs.append(proc)
        return self

    @property
    def base_url(self) -> str:
        assert self._sock is not None
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/v1"

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._stop.set()
        for proc in self._procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()
        if self._sock is not None:
            self._sock.close()
