"""The policy interface (sync and async ``act``) and the registry of policies by name.

Names are ``kind`` or ``kind:argument`` (``openai:gpt-4o``, ``hf:/path/to/model``,
``multiagent:openai:gpt-4o``). Users add kinds with ``POLICIES.register`` or the
``mss_embodied.policies`` entry-point group; a factory is called as
``factory(argument, context, **options)`` with the run's protocol and setting.
"""

from __future__ import annotations

import asyncio
from abc import ABC
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from mss_embodied.protocol.context import BuildContext
from mss_embodied.registry import Registry
from mss_embodied.vocabulary import Setting

if TYPE_CHECKING:
    from mss_embodied.data.scenario import Episode


@dataclass(frozen=True)
class PolicyInput:
    """What a policy sees for one episode.

    ``image`` is the full-resolution RGB frame (HxWx3 uint8), ``image_id`` a stable content hash
    so backends encode each situation's image once. ``image_file`` holds the image file's bytes as
    stored (PNG, JPEG, ...) when the frame came from one: API backends send it as is, as the
    official code does, instead of re-encoding the pixels. ``episode`` carries hidden labels: only
    diagnostic policies (``oracle``, ``comply``) may read it.
    """

    prompt: str
    instruction: str
    image: np.ndarray | None = None
    image_id: str = ""
    setting: Setting = "if"
    caption: str | None = None  # given to the model only in the ic_cap setting
    episode: Episode | None = None
    image_file: bytes | None = field(default=None, repr=False)


@dataclass
class PolicyResponse:
    """A policy's answer. ``error`` set means the call failed: it is never scored as a refusal."""

    text: str | None
    error: str | None = None
    usage: dict[str, int] = field(default_factory=dict)
    latency_s: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.error is None and self.text is not None


class Policy(ABC):  # noqa: B024 - subclasses implement act or aact
    """Implement ``act`` or ``aact`` (or both); the other is derived."""

    name: str = "policy"

    def act(self, inp: PolicyInput) -> PolicyResponse:
        return asyncio.run(self.aact(inp))

    async def aact(self, inp: PolicyInput) -> PolicyResponse:
        return await asyncio.to_thread(self.act, inp)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release clients, models and servers."""


POLICIES: Registry[Policy] = Registry("policy", "mss_embodied.policies")
_NONE = "mss_embodied.options:NoOptions"
POLICIES.register("comply", "mss_embodied.policies.baselines:make_comply", options=_NONE,
                  summary="carries out every instruction literally (the scenario's task plan)")
POLICIES.register("refuse", "mss_embodied.policies.baselines:make_refuse", options=_NONE,
                  summary="declines everything")
POLICIES.register("random", "mss_embodied.policies.baselines:make_random", options="mss_embodied.options:RandomOptions",
                  summary="complies or refuses at random, seeded per episode (random:<seed>)")
POLICIES.register("oracle", "mss_embodied.policies.baselines:make_oracle", options=_NONE,
                  summary="reads the hidden variant: plans when safe, refuses naming the hazard when unsafe")
POLICIES.register("openai", "mss_embodied.policies.openai_policy:make_openai_policy", extra="openai",
                  options="mss_embodied.options:OpenAIPolicyOptions",
                  summary="any OpenAI-compatible chat server: openai:<model>")
POLICIES.register("hf", "mss_embodied.policies.hf_policy:make_hf_policy", extra="hf",
                  options="mss_embodied.options:HFPolicyOptions",
                  summary="a local transformers multimodal model: hf:<model id or path>")
POLICIES.register("multiagent", "mss_embodied.policies.multiagent:make_multiagent_policy", forwards_options=True,
                  summary="the paper's two-stage pipeline around another policy: multiagent:<policy>")


def make_policy(name: str, context: BuildContext | None = None, **options: Any) -> Policy:
    """Build a policy from ``kind`` or ``kind:argument`` (``openai:gpt-4o``, ``multiagent:openai:gpt-4o``)."""
    return POLICIES.create(name, context or BuildContext(), **options)
