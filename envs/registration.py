"""Gymnasium registration (Gymnasium 1.x has no plugin entry points: importing registers).

Every id's entry point lives in :mod:`mss_embodied.envs.mss_embodied`, so ``gym.pprint_registry()``
lists them together under ``mss_embodied``. ``gym.make_vec(id, n)`` without a vectorization mode
uses the ids' ``vector_entry_point`` (:mod:`mss_embodied.envs.vector`: SAME_STEP autoreset,
``sweep=True``). The THOR id is registered only where ``ai2thor`` is installed, so the listing shows
only envs that can run. Plain ``gym.make_vec(id, n, vectorization_mode="async")`` works with shared
memory on: the Text observations use :class:`~mss_embodied.envs.spaces.VectorSafeText`, which
avoids the stale-Text read of Gymnasium#1164.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

import gymnasium as gym

_HOME = "mss_embodied.envs.mss_embodied"
#: The interactive envs' ``max_episode_steps`` (Gymnasium's ``TimeLimit`` truncates there).
DEFAULT_MAX_STEPS = 20


@dataclass(frozen=True)
class EnvEntry:
    """One registered id: its class and vector entry point in :data:`_HOME`, and its step limit."""

    cls: str
    vector: str | None = None
    max_episode_steps: int | None = None
    requires: str | None = None  # a module that must be importable for the id to be registered

    @property
    def entry_point(self) -> str:
        return f"{_HOME}:{self.cls}"


ENVS: dict[str, EnvEntry] = {
    "MSS-Embodied-v0": EnvEntry("MSSEmbodiedEnv", "single_step_vector_env"),
    "MSS-Embodied-Interactive-v0": EnvEntry("MSSEmbodiedInteractiveEnv", "interactive_vector_env",
                                            max_episode_steps=DEFAULT_MAX_STEPS),
    # The interactive env acted out in AI2-THOR (extra ``thor``; needs a THOR build and a GPU).
    "MSS-Embodied-Interactive-THOR-v0": EnvEntry("ThorInteractiveEnv", max_episode_steps=DEFAULT_MAX_STEPS,
                                                 requires="ai2thor"),
    "MSS-Embodied-Procedural-v0": EnvEntry("MSSEmbodiedProceduralEnv", "procedural_vector_env"),
}
#: id -> entry point, for every id this package can register.
ENV_IDS: dict[str, str] = {env_id: e.entry_point for env_id, e in ENVS.items()}


def usable(entry: EnvEntry) -> bool:
    return entry.requires is None or importlib.util.find_spec(entry.requires) is not None


def register_envs() -> list[str]:
    """Register every id whose requirements are installed; return the ids registered."""
    done = []
    for env_id, entry in ENVS.items():
        if not usable(entry):
            continue
        if env_id not in gym.registry:
            gym.register(id=env_id, entry_point=entry.entry_point, max_episode_steps=entry.max_episode_steps,
                         vector_entry_point=f"{_HOME}:{entry.vector}" if entry.vector else None)
        done.append(env_id)
    return done
