"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions format.

Why real HTTP: the policies' retry, timeout and parsing code must meet actual sockets, status
codes and headers, not a mocked client. Replies come from a queue (consumed first), then from a
responder callable; faults can also be injected at a seeded random rate. Every request is
recorded so tests can assert the exact prompt text and image data URL that were sent.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

FaultKind = Literal["429", "500", "503", "400", "401", "timeout", "malformed", "no_choices", "drop"]


@dataclass(frozen=True)
class Reply:
    """A successful completion."""

    text: str | None
    prompt_tokens: int = 11
    completion_tokens: int = 7
    latency_s: float = 0.0
    finish_reason: str = "stop"


@dataclass(frozen=True)
class Fault:
    """An injected failure: HTTP error, a stall past the client timeout, or a broken body."""

    kind: FaultKind
    retry_after: str | None = None  # raw Retry-After header value, e.g. "0.2"
    sleep_s: float = 2.0  # for "timeout"
    message: str | None = None  # the error body's message (default: one per status)


Outcome = Reply | Fault | str
Responder = Callable[["RecordedRequest"], Outcome]


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: Any
    received_at: float
    outcome: str = ""

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    def parts(self, kind: str) -> list[Any]:
        """All content parts of ``kind`` ("text" or "image_url") over all messages, in order."""
        out: list[Any] = []
        for m in self.messages:
            content = m.get("content")
            if isinstance(content, str):
                if kind == "text":
                    out.append(content)
                continue
            for p in content or []:
                if p.get("type") == kind:
                    out.append(p["text"] if kind == "text" else p["image_url"]["url"])
        return out

    @property
    def texts(self) -> list[str]:
        return [str(t) for t in self.parts("text")]

    @property
    def image_urls(self) -> list[str]:
        return [str(u) for u in self.parts("image_url")]

    @property
    def user_text(self) -> str:
        """The text of the last user message (all its text parts joined)."""
        for m in reversed(self.messages):
            if m.get("role") == "user":
                c = m.get("content")
                return c if isinstance(c, str) else "".join(p["text"] for p in c if p.get("type") == "text")
        return ""


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # the default backlog (5) drops connections under concurrent load
    daemon_threads = True


def _echo(req: RecordedRequest) -> Outcome:
    return Reply(f"echo: {req.user_text[-40:]}")


@dataclass
class FakeOpenAIServer:
    """Start with ``with FakeOpenAIServer() as srv:``; point clients at ``srv.base_url``."""

    responder: Responder = _echo
    latency_s: float = 0.0
    fault_rate: float = 0.0
    faults: tuple[Fault, ...] = (Fault("429", retry_after="0"), Fault("500"), Fault("malformed"))
    seed: int = 0
    model: str = "fake-model"
    port_wanted: int = 0  # 0: any free port
    requests: list[RecordedRequest] = field(default_factory=list)
    queue: deque[Outcome] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(self.seed)
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeOpenAIServer:
        handler = _make_handler(self)
        self._httpd = _Server(("127.0.0.1", self.port_wanted), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting ---------------------------------------------------------------------------
    def push(self, *outcomes: Outcome) -> None:
        """Queue outcomes served (in order) before the responder is consulted."""
        with self._lock:
            self.queue.extend(outcomes)

    def _next(self, req: RecordedRequest) -> Outcome:
        with self._lock:
            if self.queue:
                return self.queue.popleft()
            if self.fault_rate and self._rng.random() < self.fault_rate:
                return self._rng.choice(self.faults)
        return self.responder(req)

    def outcome_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.requests:
            counts[r.outcome] = counts.get(r.outcome, 0) + 1
        return counts


def _completion_body(srv: FakeOpenAIServer, reply: Reply) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{len(srv.requests)}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": srv.model,
        "choices": [{"index": 0, "finish_reason": reply.finish_reason,
                     "message": {"role": "assistant", "content": reply.text}}],
        "usage": {"prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
                  "total_tokens": reply.prompt_tokens + reply.completion_tokens},
    }


def _make_handler(srv: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            return

        def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()

        def do_POST(self) -> None:  # http.server's naming
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            req = RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic())
            with srv._lock:
                srv.requests.append(req)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                req.outcome = "404"
                self._send(404, b'{"error": {"message": "not found"}}')
                return
            outcome = srv._next(req)
            if isinstance(outcome, str):
                outcome = Reply(outcome)
            if srv.latency_s:
                time.sleep(srv.latency_s)
            if isinstance(outcome, Reply):
                req.outcome = "ok"
                if outcome.latency_s:
                    time.sleep(outcome.latency_s)
                self._send(200, json.dumps(_completion_body(srv, outcome)).encode())
                return
            req.outcome = outcome.kind
            self._fault(outcome)

        def _fault(self, fault: Fault) -> None:
            if fault.kind == "timeout":
                time.sleep(fault.sleep_s)
                with contextlib.suppress(OSError):  # the client has given up
                    self._send(200, json.dumps(_completion_body(srv, Reply("too late"))).encode())
            elif fault.kind == "drop":
                self.close_connection = True
                self.connection.close()
            elif fault.kind == "malformed":
                self._send(200, b'{"id": "x", "choices": [ {"message": ')
            elif fault.kind == "no_choices":
                self._send(200, json.dumps({"id": "x", "object": "chat.completion", "model": srv.model}).encode())
            else:
                status = int(fault.kind)
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                msg = fault.message or {"429": "rate limited", "400": "bad request"}.get(fault.kind, "server error")
                self._send(status, json.dumps({"error": {"message": msg, "type": "test"}}).encode(), headers)

    return Handler


def serve(**kwargs: Any) -> Iterator[FakeOpenAIServer]:
    """Generator form for fixtures: ``yield from serve()``."""
    with FakeOpenAIServer(**kwargs) as srv:
        yield srv
