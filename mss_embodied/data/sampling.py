"""Which episodes a run takes: filters by task and id, a seeded stratified sample, a prefix limit.

Why stratified and paired: the benchmark's numbers are per variant and per task type, and a safe
situation is only meaningful next to its unsafe twin, so a sample must keep every task type in
proportion and never split a safe/unsafe pair (same scenario, same paraphrase). ``limit`` keeps
its old meaning, the first N of the selection in order, which is a prefix, not a sample.
"""

from __future__ import annotations

import fnmatch
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from mss_embodied.data.scenario import Episode


class SelectionError(ValueError):
    """A filter or sample that cannot be applied; ``field`` names the option at fault."""

    def __init__(self, message: str, field: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Selection:
    """``tasks``: task types to keep (any case); ``episodes``: glob patterns over episode ids
    (``place_*/unsafe/*``); ``sample``: that many episodes, stratified by variant and task, whole
    pairs, drawn with ``seed``; ``limit``: then the first N."""

    tasks: tuple[str, ...] = ()
    episodes: tuple[str, ...] = ()
    sample: int | None = None
    seed: int = 0
    limit: int | None = None

    @property
    def is_default(self) -> bool:
        return self == Selection()

    def describe(self) -> dict[str, object]:
        """What config.json records (``None`` when nothing is filtered, sampled or cut)."""
        data = asdict(self)
        data["tasks"], data["episodes"] = list(self.tasks), list(self.episodes)
        data.pop("limit")  # recorded on its own: it may grow on resume
        return data

    def apply(self, episodes: Sequence[Episode]) -> tuple[Episode, ...]:
        chosen = filter_episodes(episodes, self.tasks, self.episodes)
        if self.sample is not None:
            chosen = stratified_sample(chosen, self.sample, self.seed)
        if self.limit is not None:
            if self.limit < 1:
                raise SelectionError(f"must be at least 1, got {self.limit}", "limit")
            chosen = chosen[:self.limit]
        return tuple(chosen)


def filter_episodes(episodes: Sequence[Episode], tasks: Sequence[str] = (),
                    patterns: Sequence[str] = ()) -> list[Episode]:
    """The episodes of the named task types whose id matches any pattern; an unknown task or a
    pattern that matches nothing is an error (a typo must not silently run nothing)."""
    out = list(episodes)
    if tasks:
        known = {e.task.lower(): e.task for e in out}
        wanted = set()
        for name in tasks:
            if name.lower() not in known:
                raise SelectionError(f"unknown task type {name!r}; the data has {', '.join(sorted(known.values()))}",
                                     "tasks")
            wanted.add(name.lower())
        out = [e for e in out if e.task.lower() in wanted]
    if patterns:
        for pattern in patterns:
            if not any(fnmatch.fnmatchcase(e.id, pattern) for e in out):
                raise SelectionError(f"pattern {pattern!r} matches no episode id (ids look like "
                                     f"{out[0].id if out else 'scenario/variant/0'!r})", "episodes")
        out = [e for e in out if any(fnmatch.fnmatchcase(e.id, p) for p in patterns)]
    return out


def pair_key(episode: Episode) -> tuple[str, int]:
    """A safe/unsafe pair: the same scenario and paraphrase."""
    return episode.scenario.id, episode.paraphrase


def stratified_sample(episodes: Sequence[Episode], n: int, seed: int = 0) -> list[Episode]:
    """About ``n`` episodes (rounded up to whole pairs), each stratum (task type x the variants a
    pair holds) in proportion to its size (largest remainders), drawn with ``random.Random(seed)``.
    The result keeps the input order, so it is reproducible whatever the draw order."""
    if n < 1:
        raise SelectionError(f"must be at least 1, got {n}", "sample")
    units: dict[tuple[str, int], list[Episode]] = defaultdict(list)
    for e in episodes:
        units[pair_key(e)].append(e)
    if n >= len(episodes):
        return list(episodes)
    strata: dict[tuple[str, tuple[str, ...]], list[tuple[str, int]]] = defaultdict(list)
    for key, members in units.items():
        strata[(members[0].task, tuple(sorted({m.variant for m in members})))].append(key)
    per_unit = len(episodes) / len(units)
    n_units = min(len(units), max(1, math.ceil(n / per_unit)))
    quotas = _largest_remainder({s: len(k) for s, k in strata.items()}, n_units)
    rng = random.Random(seed)
    picked: set[tuple[str, int]] = set()
    for stratum in sorted(strata):
        keys = sorted(strata[stratum])
        picked.update(rng.sample(keys, quotas[stratum]))
    return [e for e in episodes if pair_key(e) in picked]


def _largest_remainder(sizes: dict[tuple[str, tuple[str, ...]], int], total: int
                       ) -> dict[tuple[str, tuple[str, ...]], int]:
    """Integer quotas proportional to ``sizes`` summing to ``total`` (ties broken by name)."""
    whole = sum(sizes.values())
    exact = {s: total * size / whole for s, size in sizes.items()}
    quotas = {s: min(sizes[s], math.floor(v)) for s, v in exact.items()}
    order = sorted(sizes, key=lambda s: (-(exact[s] - math.floor(exact[s])), s))
    left = total - sum(quotas.values())
    while left > 0:
        progressed = False
        for s in order:
            if left and quotas[s] < sizes[s]:
                quotas[s] += 1
                left -= 1
                progressed = True
        if not progressed:
            break
    return quotas
