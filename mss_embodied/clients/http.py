"""The HTTP layer under the chat client: a pooled aiohttp session per event loop, and cheap JSON bodies.

Why not the openai SDK: at a few hundred requests per second its HTTP and model layers cost more
CPU than the network wait they serve (a profile put 63% of the held-GIL time of a run inside
``AsyncOpenAI.chat.completions.create``). Here a request is one ``orjson.dumps`` of a small dict,
the image's data URL spliced in as bytes encoded once per image, and one aiohttp POST over a
pool sized to the run's concurrency (aiohttp: 0.4 s of CPU for 1,520 such requests at concurrency
128 against the benchmark's loopback server, httpx 2.3 s).

A run binds one :class:`HttpPool` to its event loop with :func:`using`; every client awaited
inside (the policy and the LLM judge alike) then shares that loop and that pool. Outside a run a
client uses a pool of its own on a private loop thread (see ``openai_chat``).
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import aiohttp

#: Connections a pool keeps when nobody sized it.
DEFAULT_POOL = 64


def require_http() -> None:
    """Fail early, at construction, when the ``openai`` extra (aiohttp, orjson) is missing."""
    try:
        import aiohttp  # noqa: F401
        import orjson  # noqa: F401
    except ImportError as exc:
        raise ImportError(f"OpenAI-compatible clients need the openai extra: pip install 'mss-embodied[openai]' "
                          f"({exc})") from None


class EncodedStr(str):
    """A string whose JSON text is encoded once (an 80 KB image data URL): request bodies splice the
    bytes in instead of escaping the string again on every call. It is still an ordinary ``str``."""

    json: bytes

    def __new__(cls, value: str) -> EncodedStr:
        import orjson

        self = super().__new__(cls, value)
        self.json = orjson.dumps(value)
        return self


_MARK = f"@@mss-splice-{secrets.token_hex(8)}-"  # random per process: no prompt text can contain it


def encode_body(payload: Any) -> bytes:
    """``payload`` as JSON bytes, each :class:`EncodedStr` inside spliced in from its cached encoding."""
    import orjson

    fragments: list[bytes] = []

    def strip(obj: Any) -> Any:
        if isinstance(obj, EncodedStr):
            fragments.append(obj.json)
            return f"{_MARK}{len(fragments) - 1}"
        if isinstance(obj, dict):
            return {k: strip(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [strip(v) for v in obj]
        return obj

    body = orjson.dumps(strip(payload))
    for i, fragment in enumerate(fragments):
        body = body.replace(orjson.dumps(f"{_MARK}{i}"), fragment, 1)
    return body


class HttpPool:
    """One aiohttp session with at most ``limit`` connections, created on first use on the loop that
    uses it (a session belongs to one loop). Keep-alive connections are reused, so a run at
    concurrency 256 holds 256 sockets instead of churning through thousands in TIME_WAIT."""

    def __init__(self, limit: int = DEFAULT_POOL) -> None:
        if limit < 1:
            raise ValueError(f"a connection pool needs at least 1 connection, got {limit}")
        self.limit = limit
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            import aiohttp

            connector = aiohttp.TCPConnector(limit=self.limit, limit_per_host=0, keepalive_timeout=30.0,
                                             ttl_dns_cache=300)
            self._session = aiohttp.ClientSession(connector=connector, skip_auto_headers=("User-Agent",),
                                                  json_serialize=_dumps_text)
        return self._session

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()


def _dumps_text(obj: Any) -> str:
    import orjson

    return orjson.dumps(obj).decode()


_CURRENT: ContextVar[HttpPool | None] = ContextVar("mss_embodied_http_pool", default=None)


def current_pool() -> HttpPool | None:
    """The pool bound to the calling task's context, if a run bound one."""
    return _CURRENT.get()


@contextlib.contextmanager
def using(pool: HttpPool) -> Iterator[HttpPool]:
    """Bind ``pool`` for the code inside (and the tasks it creates): clients awaited there run on the
    caller's loop over that pool, with no hop to a private thread."""
    token = _CURRENT.set(pool)
    try:
        yield pool
    finally:
        _CURRENT.reset(token)
