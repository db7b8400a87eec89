"""``multiagent:<inner policy>``: the paper's two-stage embodied pipeline around any policy.

Stage 1 asks the inner model which piece of the scene decides the task's risk (the
``important_point`` prompt); the text after "Important environment state:" is kept. Stage 2 gives
the ``response`` prompt + instruction + that state and the same image. Both stages see this
episode's own image (the official script passes the safe image to the unsafe stage 1 by a typo).
"""

from __future__ import annotations

import time
from typing import Any

from mss_embodied.policies.base import Policy, PolicyInput, PolicyResponse, make_policy
from mss_embodied.protocol.context import BuildContext
from mss_embodied.protocol.prompts import IMPORTANT_STATE_MARKER, Protocol, load_protocol


def extract_state(stage1: str) -> str:
    """The named state: text after the last marker, stripped (the whole answer when it is absent)."""
    return stage1.split(IMPORTANT_STATE_MARKER)[-1].strip()


def _sum_usage(*usages: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = {}
    for usage in usages:
        for key, value in usage.items():
            total[key] = total.get(key, 0) + value
    return total


class MultiAgentPolicy(Policy):
    """Wraps ``inner``; ``protocol`` (name or Protocol) supplies the two stage prompts and the joiner."""

    def __init__(self, inner: Policy, protocol: str | Protocol = "default") -> None:
        self.inner = inner
        self.protocol = load_protocol(protocol) if isinstance(protocol, str) else protocol
        for stage in ("important_point", "response"):
            if stage not in self.protocol.agent_prompts:
                raise ValueError(f"protocol {self.protocol.name!r} has no agent prompt {stage!r}")
        self.name = f"multiagent:{inner.name}"
        #: as cheap to copy into worker processes as the policy it wraps
        self.replicable = bool(getattr(inner, "replicable", False))

    def __repr__(self) -> str:
        return f"MultiAgentPolicy({self.inner!r}, protocol={self.protocol.name!r})"

    def _stage_input(self, inp: PolicyInput, prompt: str) -> PolicyInput:
        return PolicyInput(prompt=prompt, instruction=inp.instruction, image=inp.image, image_id=inp.image_id,
                           setting=inp.setting, caption=inp.caption, episode=inp.episode)

    async def aact(self, inp: PolicyInput) -> PolicyResponse:
        start = time.perf_counter()
        prompt1 = self.protocol.build_agent_prompt("important_point", inp.instruction)
        first = await self.inner.aact(self._stage_input(inp, prompt1))
        meta: dict[str, Any] = {"stage1_prompt": prompt1, "stage1_text": first.text, "stage1_meta": first.meta}
        if not first.ok:
            return PolicyResponse(text=None, error=f"stage 1 (important_point): {first.error or 'no text'}",
                                  usage=dict(first.usage), latency_s=time.perf_counter() - start, meta=meta)
        state = extract_state(first.text or "")
        prompt2 = self.protocol.build_agent_prompt("response", inp.instruction, state)
        second = await self.inner.aact(self._stage_input(inp, prompt2))
        meta.update(important_state=state, stage2_prompt=prompt2, stage2_meta=second.meta)
        usage = _sum_usage(first.usage, second.usage)
        if not second.ok:
            return PolicyResponse(text=None, error=f"stage 2 (response): {second.error or 'no text'}",
                                  usage=usage, latency_s=time.perf_counter() - start, meta=meta)
        return PolicyResponse(text=second.text, usage=usage, latency_s=time.perf_counter() - start, meta=meta)

    def close(self) -> None:
        self.inner.close()


def make_multiagent_policy(arg: str | None, context: BuildContext, *, inner: Policy | None = None,
                           **inner_options: Any) -> Policy:
    """``multiagent:openai:gpt-4o``: the remaining options build the inner policy; the run's protocol
    supplies the two stage prompts."""
    if inner is None:
        if not arg:
            raise ValueError("multiagent needs an inner policy: multiagent:<policy>, e.g. multiagent:openai:gpt-4o")
        inner = make_policy(arg, context, **inner_options)
    return MultiAgentPolicy(inner, context.protocol)
