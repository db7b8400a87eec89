"""The policy interface (sync and async ``act``) and the registry of policies by name.

Names are ``kind`` or ``kind:argument`` (``openai:gpt-4o``, ``hf:/path/to/model``,
``multiagent:openai:gpt-4o``). Users add kinds with :func:`register_policy`.
"""

from __future__ import annotations

import asyncio
from abc import ABC
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from mss_embodied.data.scenario import Episode


@dataclass(frozen=True)
class PolicyInput:
    """What a policy sees for one episode.

    ``image`` is the full-resolution RGB frame (HxWx3 uint8), ``image_id`` a stable content hash
    so backends encode each situation's image once. ``episode`` carries hidden labels: only
    diagnostic policies (``oracle``, ``comply``) may read it.
    """

    prompt: str
    instruction: str
    image: np.ndarray | None = None
    image_id: str = ""
    setting: str = "if"
    caption: str | None = None  # given to the model only in the ic_cap setting
    episode: Episode | None = None


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


PolicyFactory = Callable[[str | None], Policy]
_REGISTRY: dict[str, Callable[..., Policy]] = {}


def register_policy(kind: str, factory: Callable[..., Policy]) -> None:
    """Register ``factory(argument, **options) -> Policy`` under ``kind``."""
    _REGISTRY[kind] = factory


def available_policies() -> list[str]:
    _load_builtin()
    return sorted(_REGISTRY)


def make_policy(name: str, **options: Any) -> Policy:
    """Build a policy from ``kind`` or ``kind:argument``."""
    _load_builtin()
    kind, _, arg = name.partition(":")
    if kind not in _REGISTRY:
        raise ValueError(f"unknown policy {name!r}; known kinds: {sorted(_REGISTRY)}")
    return _REGISTRY[kind](arg or None, **options)


def _load_builtin() -> None:
    """Register the built-in kinds; model libraries load only when a model policy is built."""
    import mss_embodied.policies.baselines
    import mss_embodied.policies.hf_policy
    import mss_embodied.policies.multiagent
    import mss_embodied.policies.openai_policy  # noqa: F401
