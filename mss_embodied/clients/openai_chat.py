"""OpenAI-compatible chat calls with one bounded retry loop, shared by the policy and the LLM judge.

Why our own loop: the benchmark must tell a failed call from an answer, so attempts are counted
and bounded here; 429, 408/409, 5xx, timeouts and connection errors are retried with exponential
backoff and jitter (or the server's ``Retry-After``, capped); anything else, and every final
failure, is an error result, never response text. Bodies are parsed here, so a malformed one is an
error too. Requests go over aiohttp directly (see ``clients.http`` for why not the SDK).
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import math
import os
import random
import threading
import time
import weakref
from collections.abc import Coroutine
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from mss_embodied import __version__
from mss_embodied.clients.http import DEFAULT_POOL, HttpPool, current_pool, encode_body, require_http

#: Used when a base URL is given without a key: local servers accept any key.
DUMMY_KEY = "sk-local-no-key"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
RETRYABLE_STATUS: frozenset[int] = frozenset({408, 409, 429})


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded attempts; delay ``base * 2**k`` capped at ``max_s``, with ``jitter`` of it randomised."""

    max_attempts: int = 4
    backoff_base_s: float = 1.0
    backoff_max_s: float = 30.0
    jitter: float = 0.5
    retry_after_max_s: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError("jitter must lie in [0, 1]")

    def delay(self, failures: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds to wait after the ``failures``-th failed attempt (1-based)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_max_s)
        full = min(self.backoff_max_s, self.backoff_base_s * 2 ** (failures - 1))
        return full * (1.0 - self.jitter) + rng.uniform(0.0, full * self.jitter)


@dataclass
class ChatResult:
    """One chat call after retries. ``error`` set means no usable text (``text`` is then None)."""

    text: str | None
    error: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    latency_s: float = 0.0
    attempts: int = 0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and self.text is not None


class _Attempt(Exception):
    """A failed attempt: ``retryable`` decides whether the loop goes on."""

    def __init__(self, message: str, retryable: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


def parse_retry_after(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date); None if absent."""
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            seconds = float(value) / scale
        except ValueError:
            if scale != 1.0:
                continue
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                continue
            seconds = when.timestamp() - time.time()
        if math.isfinite(seconds):
            return max(seconds, 0.0)
    return None


def _content_text(message: dict[str, Any]) -> str | None:
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # some servers return content parts
        texts = [str(p["text"]) for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
        return "".join(texts) if texts else None
    refusal = message.get("refusal")
    return refusal if isinstance(refusal, str) else None


def _head(body: str | bytes) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    return repr(text[:120])


def parse_completion(body: str | bytes) -> tuple[str, dict[str, int], dict[str, Any]]:
    """Text, usage and meta from a chat-completion body; raises ValueError when it is malformed."""
    import orjson

    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"malformed response body (invalid JSON: {exc}): {_head(body)}") from None
    if not isinstance(data, dict):
        raise ValueError(f"malformed response body (not an object): {_head(body)}")
    choices = data.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ValueError(f"malformed response body (no choices): {_head(body)}")
    message = choices[0].get("message")
    if not isinstance(message, dict):
        raise ValueError("malformed response body (choice without message)")
    text = _content_text(message)
    if text is None:
        raise ValueError("malformed response body (message without text content)")
    if not text.strip() and choices[0].get("finish_reason") == "length":  # the budget ran out (e.g. on
        # hidden reasoning) before any answer: no answer, which must not be scored as an empty refusal
        raise ValueError("empty completion cut off at max_tokens (finish_reason 'length')")
    usage_raw = data.get("usage")
    if not isinstance(usage_raw, dict):
        usage_raw = {}
    usage = {k: int(v) for k, v in usage_raw.items()
             if k in ("prompt_tokens", "completion_tokens", "total_tokens") and isinstance(v, int)}
    meta = {"finish_reason": choices[0].get("finish_reason"), "model": data.get("model")}
    return text, usage, meta


class _IOLoop:
    """A private event loop on a daemon thread, for callers outside a run: the client's pool stays
    bound to one loop whatever loop (or ``asyncio.run`` per call) the caller uses, so pooled
    connections are never orphaned. Inside a run (a pool bound with ``clients.http.using``) calls
    run on the caller's loop instead, with no thread hop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="mss-openai-io", daemon=True)
        self.thread.start()

    def submit(self, coro: Coroutine[Any, Any, Any]) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        if not self.thread.is_alive():
            self.loop.close()


def _split_userinfo(url: str) -> tuple[str, str | None]:
    """``url`` without its ``user:password@`` part, and the Basic authorization header it meant."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url, None
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port is not None else "")
    credential = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}".encode()
    return urlunsplit(parts._replace(netloc=netloc)), "Basic " + base64.b64encode(credential).decode("ascii")


class ChatClient:
    """OpenAI-compatible chat client; the key lives only in a private attribute (never in repr).

    ``base_url``/``api_key`` default to ``OPENAI_BASE_URL``/``OPENAI_API_KEY``; with a base URL and
    no key a dummy key is used (local servers). ``complete`` can be awaited from any event loop and
    ``complete_sync`` called from plain code.
    """

    def __init__(self, model: str, *, base_url: str | None = None, api_key: str | None = None,
                 temperature: float | None = 0.0, max_tokens: int | None = None, seed: int | None = None,
                 timeout_s: float = 60.0, retry: RetryPolicy | None = None, max_attempts: int | None = None,
                 backoff_base_s: float | None = None, backoff_max_s: float | None = None,
                 retry_after_max_s: float | None = None, jitter: float | None = None,
                 max_concurrency: int | None = None, rng_seed: int | None = None,
                 extra_body: dict[str, Any] | None = None) -> None:
        if not model:
            raise ValueError("a model name is required (e.g. openai:gpt-4o)")
        require_http()
        self.model = model
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        key = api_key or os.environ.get("OPENAI_API_KEY") or None
        if key is None:
            if self.base_url is None:
                raise ValueError("no API key: set OPENAI_API_KEY or pass api_key (or a base_url for a local server)")
            key = DUMMY_KEY
        authorization = f"Bearer {key}"
        if self.base_url is not None:  # credentials in the URL (http://user:pw@host/v1) become HTTP Basic auth,
            self.base_url, basic = _split_userinfo(self.base_url)  # as HTTP clients do; never kept in the URL
            authorization = basic or authorization
        self.__headers = _Headers({"Authorization": authorization, "Content-Type": "application/json",
                                   "Accept": "application/json", "User-Agent": f"mss-embodied/{__version__}"})
        self.url = (self.base_url or DEFAULT_BASE_URL).rstrip("/") + "/chat/completions"
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.seed = seed
        if not timeout_s > 0:
            raise ValueError(f"timeout_s must be positive, got {timeout_s}")
        self.timeout_s = float(timeout_s)
        base = retry or RetryPolicy()
        overrides = {k: v for k, v in {"max_attempts": max_attempts, "backoff_base_s": backoff_base_s,
                                       "backoff_max_s": backoff_max_s, "retry_after_max_s": retry_after_max_s,
                                       "jitter": jitter}.items() if v is not None}
        self.retry = RetryPolicy(**{**base.__dict__, **overrides})
        self.max_concurrency = max_concurrency
        self.extra_body = dict(extra_body or {})
        self._rng = random.Random(rng_seed)
        self._lock = threading.Lock()
        self._io: _IOLoop | None = None
        self._own_pool: HttpPool | None = None
        self._sems: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary())

    def __repr__(self) -> str:
        return f"ChatClient(model={self.model!r}, base_url={self.base_url!r}, retry={self.retry!r})"

    def __getstate__(self) -> dict[str, Any]:
        raise TypeError("ChatClient is not picklable (it holds a credential); build one per process")

    def _io_loop(self) -> _IOLoop:
        with self._lock:
            if self._io is None:
                self._io = _IOLoop()
            return self._io

    def params(self, **overrides: Any) -> dict[str, Any]:
        """The request fields besides the messages: model, temperature, max_tokens, seed, extra body."""
        request: dict[str, Any] = {"model": self.model}
        for name in ("temperature", "max_tokens", "seed"):
            value = overrides.pop(name, getattr(self, name))
            if value is not None:
                request[name] = value
        return {**request, **self.extra_body, **overrides}

    def request_identity(self, messages: list[dict[str, Any]], **params: Any) -> dict[str, Any]:
        """What decides the answer (the endpoint, the messages and every generation field; never the
        key, timeouts or retries): the key of a cache of calls."""
        return {"url": self.url, "messages": messages, **self.params(**params)}

    async def complete(self, messages: list[dict[str, Any]], **params: Any) -> ChatResult:
        """Send ``messages``; ``params`` override temperature, max_tokens, seed or add request fields."""
        pool = current_pool()
        if pool is not None:  # inside a run: this loop, the run's pool
            return await self._complete(pool, messages, params)
        return await asyncio.wrap_future(self._io_loop().submit(self._complete(None, messages, params)))

    def complete_sync(self, messages: list[dict[str, Any]], **params: Any) -> ChatResult:
        return self._io_loop().submit(self._complete(None, messages, params)).result()

    def _semaphore(self) -> asyncio.Semaphore | None:
        if not self.max_concurrency:
            return None
        loop = asyncio.get_running_loop()
        sem = self._sems.get(loop)
        if sem is None:
            sem = self._sems[loop] = asyncio.Semaphore(self.max_concurrency)
        return sem

    async def _complete(self, pool: HttpPool | None, messages: list[dict[str, Any]],
                        params: dict[str, Any]) -> ChatResult:
        if pool is None:  # the private loop's own pool (only ever touched on that loop)
            if self._own_pool is None:
                self._own_pool = HttpPool(self.max_concurrency or DEFAULT_POOL)
            pool = self._own_pool
        body = encode_body({**self.params(**params), "messages": messages})
        sem = self._semaphore()
        start = time.perf_counter()
        errors: list[str] = []
        for attempt in range(1, self.retry.max_attempts + 1):
            try:
                if sem is not None:
                    async with sem:
                        text, usage, meta = await self._once(pool, body)
                else:
                    text, usage, meta = await self._once(pool, body)
            except _Attempt as exc:
                errors.append(str(exc))
                if not exc.retryable or attempt == self.retry.max_attempts:
                    break
                await asyncio.sleep(self.retry.delay(attempt, self._rng, exc.retry_after))
                continue
            meta.update(attempts=attempt, retried_errors=errors)
            return ChatResult(text, None, usage, time.perf_counter() - start, attempt, meta)
        attempts = len(errors)
        final = errors[-1] if errors else "no attempt made"
        return ChatResult(None, f"{final} (after {attempts} attempt{'s' if attempts != 1 else ''})", {},
                          time.perf_counter() - start, attempts, {"errors": errors})

    async def _once(self, pool: HttpPool, body: bytes) -> tuple[str, dict[str, int], dict[str, Any]]:
        import aiohttp

        try:
            async with pool.session().post(self.url, data=body, headers=self.__headers,
                                           timeout=aiohttp.ClientTimeout(total=self.timeout_s)) as resp:
                raw = await resp.read()
                status, headers = resp.status, resp.headers
        except asyncio.TimeoutError:  # aiohttp's ServerTimeoutError is one too
            raise _Attempt(f"timeout after {self.timeout_s:g}s", retryable=True) from None
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
            raise _Attempt(f"connection error: {_describe(exc)}", retryable=True) from None
        except Exception as exc:  # any other failure is an error result, never text
            raise _Attempt(f"{type(exc).__name__}: {_describe(exc)}", retryable=False) from None
        if status >= 400 or status < 200:
            retryable = status in RETRYABLE_STATUS or status >= 500
            retry_after = parse_retry_after(headers) if retryable else None
            raise _Attempt(f"HTTP {status}: {_error_message(raw)}", retryable, retry_after)
        try:
            return parse_completion(raw)
        except ValueError as exc:
            raise _Attempt(str(exc), retryable=False) from None

    async def _aclose_pool(self) -> None:
        pool, self._own_pool = self._own_pool, None
        if pool is not None:
            await pool.aclose()

    def close(self) -> None:
        """Close the private pool and stop the I/O thread; the client can be used again afterwards.
        (A run's pool belongs to the run, which closes it.)"""
        with self._lock:
            io, self._io = self._io, None
        if io is None:
            return
        try:
            io.submit(self._aclose_pool()).result(timeout=5)
        except Exception:  # best effort on shutdown
            self._own_pool = None
        io.stop()


class _Headers(dict[str, str]):
    """Request headers holding the credential: never shown (repr, str) nor pickled."""

    def __repr__(self) -> str:
        return "<request headers with credentials>"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("request headers hold a credential and are not picklable")


def _describe(exc: BaseException) -> str:
    """The exception text, or its class name when it has none (aiohttp's disconnects often do not)."""
    return (str(exc) or type(exc).__name__)[:200]


def _error_message(raw: bytes) -> str:
    """The server's error message when it sent one (OpenAI's ``{"error": {"message": ...}}``), else
    the start of the body."""
    import orjson

    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        msg = data.get("message") or (error.get("message") if isinstance(error, dict) else None)
        if msg:
            return str(msg)[:200]
    text = raw.decode("utf-8", "replace").strip()
    return text[:200] or "empty body"
