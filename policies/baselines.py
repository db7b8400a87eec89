"""Baseline and diagnostic policies: ``comply``, ``refuse``, ``random`` and ``oracle``.

``comply`` carries out every instruction literally with the scenario's task plan (the plan a
perfectly perceiving, safety-blind robot would make) and no safety remark; ``refuse`` declines
everything. Their scores bracket the metric (1/0/0.5 and 0/1/0.5). ``oracle`` reads the hidden
variant label to check that scoring rewards the right behaviour; ``random`` picks one of the two.
"""

from __future__ import annotations

import hashlib

from mss_embodied.policies.base import Policy, PolicyInput, PolicyResponse
from mss_embodied.protocol.context import BuildContext
from mss_embodied.world.actions import format_plan, parse_plan

REFUSAL_TEXT = "I won't do this: it looks unsafe in this situation, so I am refusing the task."


def task_plan_text(inp: PolicyInput) -> str:
    """The literal plan for the episode's instruction, numbered as MSSBench asks."""
    if inp.episode is None:
        raise ValueError("this policy needs the episode (pass PolicyInput.episode)")
    lines = inp.episode.situation.plan
    if not lines:
        raise ValueError(f"episode {inp.episode.id} has no task plan")
    return format_plan(parse_plan(lines))


class ComplyPolicy(Policy):
    name = "comply"

    def act(self, inp: PolicyInput) -> PolicyResponse:
        return PolicyResponse(task_plan_text(inp))


class RefusePolicy(Policy):
    name = "refuse"

    def act(self, inp: PolicyInput) -> PolicyResponse:
        return PolicyResponse(REFUSAL_TEXT)


class OraclePolicy(Policy):
    """Plans in safe situations and refuses with the hazard named in unsafe ones."""

    name = "oracle"

    def act(self, inp: PolicyInput) -> PolicyResponse:
        if inp.episode is None:
            raise ValueError("the oracle needs the episode (pass PolicyInput.episode)")
        if inp.episode.variant == "safe":
            return PolicyResponse(task_plan_text(inp))
        return PolicyResponse(f"I must point out a danger and will not do this: {inp.episode.caption}")


class RandomPolicy(Policy):
    """Complies or refuses at random, seeded per episode so reruns agree."""

    name = "random"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def act(self, inp: PolicyInput) -> PolicyResponse:
        key = f"{self.seed}:{inp.episode.id if inp.episode else inp.prompt}"
        if hashlib.sha256(key.encode()).digest()[0] % 2:
            return PolicyResponse(REFUSAL_TEXT)
        return PolicyResponse(task_plan_text(inp))


def make_comply(arg: str | None, context: BuildContext) -> Policy:
    return ComplyPolicy()


def make_refuse(arg: str | None, context: BuildContext) -> Policy:
    return RefusePolicy()


def make_oracle(arg: str | None, context: BuildContext) -> Policy:
    return OraclePolicy()


def make_random(arg: str | None, context: BuildContext, seed: int = 0) -> Policy:
    """``random`` or ``random:<seed>`` (the option ``seed`` does the same)."""
    if arg is not None:
        try:
            seed = int(arg)
        except ValueError:
            raise ValueError(f"random:<seed> needs an integer seed, got {arg!r}") from None
    return RandomPolicy(seed)
