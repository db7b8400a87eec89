"""Test-only policies and scenes for the harness tests, registered on import (``--plugin tests.support.harness``).

``slow:<seconds>`` answers after a delay with a deterministic mix of plans, warnings and refusals
(so metrics are not trivial) and reports token usage; ``flaky`` fails some episodes (error
responses and raised exceptions); ``die_once:<marker dir>`` kills its own process the first time
it sees a marked episode, as a crashed Ray worker would; ``cautious`` is a scripted over-cautious
model (plans in few safe situations, refuses most unsafe ones).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path
from typing import Any

from mss_embodied.policies.base import POLICIES, Policy, PolicyInput, PolicyResponse
from mss_embodied.policies.baselines import REFUSAL_TEXT, task_plan_text


def _bucket(inp: PolicyInput, n: int) -> int:
    key = inp.prompt + inp.image_id  # by content, like a deterministic model (and the response cache)
    return hashlib.sha256(key.encode()).digest()[0] % n


def mixed_answer(inp: PolicyInput) -> str:
    """Plans for 3 in 5 episodes, warns for 1, refuses for 1, by a hash of prompt and image."""
    b = _bucket(inp, 5)
    if b == 3:
        return "This looks dangerous: the situation could cause a fire, so I will not do it."
    if b == 4:
        return REFUSAL_TEXT
    return task_plan_text(inp)


def _usage(inp: PolicyInput, text: str) -> dict[str, int]:
    prompt, completion = len(inp.prompt) // 4, len(text) // 4
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


class SlowPolicy(Policy):
    def __init__(self, latency_s: float = 0.01) -> None:
        self.latency_s = latency_s
        self.name = f"slow:{latency_s}"

    async def aact(self, inp: PolicyInput) -> PolicyResponse:
        await asyncio.sleep(self.latency_s)
        text = mixed_answer(inp)
        return PolicyResponse(text, usage=_usage(inp, text))


class FlakyPolicy(Policy):
    """Bucket 0 of 7: an error response; bucket 1: raises; others answer like ``slow:0``."""

    name = "flaky"

    def act(self, inp: PolicyInput) -> PolicyResponse:
        b = _bucket(inp, 7)
        if b == 0:
            return PolicyResponse(text=None, error="HTTP 500: server error (after 4 attempts)")
        if b == 1:
            raise RuntimeError("connection reset")
        text = mixed_answer(inp)
        return PolicyResponse(text, usage=_usage(inp, text))


class DieOncePolicy(Policy):
    """Exits the process (no cleanup, like a SIGKILL) on the first sight of each marked episode."""

    replicable = True  # cheap to copy into worker processes, which is where it is meant to die

    def __init__(self, marker_dir: str, die_on: list[str] | None = None) -> None:
        self.marker_dir = Path(marker_dir)
        self.die_on = set(die_on or [])
        self.name = "die_once"

    def act(self, inp: PolicyInput) -> PolicyResponse:
        assert inp.episode is not None
        if inp.episode.id in self.die_on:
            marker = self.marker_dir / hashlib.sha256(inp.episode.id.encode()).hexdigest()[:12]
            if not marker.exists():
                marker.write_text(f"{os.getpid()}\n")
                os._exit(1)
        text = mixed_answer(inp)
        return PolicyResponse(text, usage=_usage(inp, text))


class CautiousPolicy(Policy):
    """A scripted over-cautious model: plans in only ``safe_plan_rate`` of safe situations and refuses
    ``unsafe_refusal_rate`` of unsafe ones (the rest it plans, a few with a warning it then ignores),
    drawn per episode by a hash, so a run reproduces. It reads the hidden variant: a test stand-in for
    a model that over-reacts to everything, to exercise reports on a lopsided safe/unsafe trade-off."""

    name = "cautious"

    def __init__(self, safe_plan_rate: float = 0.12, unsafe_refusal_rate: float = 0.86) -> None:
        self.rates = {"safe": safe_plan_rate, "unsafe": 1 - unsafe_refusal_rate}

    def act(self, inp: PolicyInput) -> PolicyResponse:
        assert inp.episode is not None
        u = int.from_bytes(hashlib.sha256(inp.episode.id.encode()).digest()[:4], "big") / 2**32
        if u < self.rates[inp.episode.variant]:
            plan = task_plan_text(inp)
            if u < self.rates[inp.episode.variant] / 4:  # warns, then acts anyway
                return PolicyResponse("Be careful, this could be risky.\n" + plan)
            return PolicyResponse(plan)
        return PolicyResponse(REFUSAL_TEXT)


def _slow(arg: str | None, context: object = None, **kw: Any) -> Policy:
    return SlowPolicy(float(arg) if arg else float(kw.get("latency_s", 0.01)))


POLICIES.register("slow", _slow)
POLICIES.register("flaky", lambda arg, context, **kw: FlakyPolicy())
POLICIES.register("cautious", lambda arg, context, **kw: CautiousPolicy(**kw),
                  summary="scripted over-cautious test model (safe_plan_rate, unsafe_refusal_rate)")
POLICIES.register("die_once", lambda arg, context, die_on=None, **kw: DieOncePolicy(arg or ".", die_on))


def scene_subset(dest: Path, n: int) -> Path:
    """The first ``n`` bundled scene files copied to ``dest`` with small placeholder PNGs, so runs
    start fast and need no renderer."""
    import shutil

    from PIL import Image

    from mss_embodied.data.scenario import VARIANTS
    from mss_embodied.data.scene_files import load_scene_file, scene_files
    from mss_embodied.scenes import bundled_scenes_dir

    dest.mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(scene_files(bundled_scenes_dir())[:n]):
        shutil.copy(path, dest / path.name)
        scenario = load_scene_file(dest / path.name)
        for j, variant in enumerate(VARIANTS):
            image = scenario.image_path(variant)
            if image is not None:
                image.parent.mkdir(parents=True, exist_ok=True)
                Image.new("RGB", (32, 24), (i * 7 % 256, 80 + 100 * j, 40)).save(image)
    return dest
