"""Test-only policies and scenes for the harness tests, registered on import (``--plugin tests.support.harness``).

``slow:<seconds>`` answers after a delay with a deterministic mix of plans, warnings and refusals
(so metrics are not trivial) and reports token usage; ``flaky`` fails some episodes (error
responses and raised exceptions); ``die_once:<marker dir>`` kills its own process the first time
it sees a marked episode, as a crashed Ray worker would.
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


def _slow(arg: str | None, context: object = None, **kw: Any) -> Policy:
    return SlowPolicy(float(arg) if arg else float(kw.get("latency_s", 0.01)))


POLICIES.register("slow", _slow)
POLICIES.register("flaky", lambda arg, context, **kw: FlakyPolicy())
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
