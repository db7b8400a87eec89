"""Judge calls cached like model calls: a judge that can name what decides its verdict is wrapped.

A judge qualifies by having ``cache_identity(response_text) -> dict`` (the LLM judge: its name and
its whole request, i.e. prompt, rubric, the response part and parameters). Offline judges are
cheaper than a cache lookup and are left alone. A failed call or an invalid verdict is never
stored (``ResponseCache.put_judgement``), so a rerun asks again instead of replaying an error.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from mss_embodied.harness.cache import ResponseCache, judge_key
from mss_embodied.scoring.grounder_llm import MemoryCache
from mss_embodied.scoring.judges import Judge, Judgement

if TYPE_CHECKING:
    from mss_embodied.data.scenario import Episode
    from mss_embodied.scoring.analysis import Analysis


@runtime_checkable
class CacheableJudge(Protocol):
    def cache_identity(self, response: str) -> dict[str, Any]: ...


class CachedJudge(Judge):
    """``inner`` behind ``cache``: same name, same verdicts; ``hits`` counts the calls saved."""

    def __init__(self, inner: Judge, cache: ResponseCache) -> None:
        self.inner, self.cache, self.name = inner, cache, inner.name
        self.hits = 0

    def __repr__(self) -> str:
        return f"CachedJudge({self.inner!r})"

    def _key(self, answer: Analysis) -> str:
        assert isinstance(self.inner, CacheableJudge)
        return judge_key(self.inner.cache_identity(answer.text))

    def _hit(self, key: str) -> Judgement | None:
        hit = self.cache.get_judgement(key)
        if hit is not None:
            self.hits += 1
            return replace(hit, judge=self.name)
        return None

    async def ajudge(self, answer: Analysis, episode: Episode) -> Judgement:
        key = self._key(answer)
        hit = self._hit(key)
        if hit is not None:
            return hit
        judgement = await self.inner.ajudge(answer, episode)
        self.cache.put_judgement(key, judgement)
        return judgement

    def judge(self, answer: Analysis, episode: Episode) -> Judgement:
        key = self._key(answer)
        hit = self._hit(key)
        if hit is not None:
            return hit
        judgement = self.inner.judge(answer, episode)
        self.cache.put_judgement(key, judgement)
        return judgement

    def close(self) -> None:
        self.inner.close()


class GrounderCache:
    """The execution judge's LLM grounder replies kept in the shared cache (its get/put interface)."""

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache

    def get(self, key: str) -> str | None:
        return self.cache.get_text(f"grounder:{key}")

    def put(self, key: str, value: str) -> None:
        self.cache.put_text(f"grounder:{key}", value)


def with_judge_cache(judges: list[Judge], cache: ResponseCache) -> list[Judge]:
    """``judges`` with every cacheable one wrapped, and an LLM grounder's replies kept in the same cache
    (nothing changes when the cache is off)."""
    if cache.folder is None:
        return list(judges)
    for judge in judges:
        grounder = getattr(judge, "grounder", None)
        if grounder is not None and isinstance(getattr(grounder, "cache", None), MemoryCache):
            grounder.cache = GrounderCache(cache)  # a cache given by the caller is left as it is
    return [CachedJudge(j, cache) if isinstance(j, CacheableJudge) and not isinstance(j, CachedJudge) else j
            for j in judges]
