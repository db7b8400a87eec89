"""Gymnasium registration (Gymnasium 1.x has no plugin entry points: importing registers).

Plain ``gym.make_vec(id, n, vectorization_mode="async")`` works with shared memory on: the Text
observations use :class:`~mss_embodied.envs.spaces.VectorSafeText`, which avoids the stale-Text
read of Gymnasium#1164.
"""

from __future__ import annotations

import gymnasium as gym

ENV_IDS: dict[str, str] = {
    "MSS-Embodied-v0": "mss_embodied.envs.single_step:MSSEmbodiedEnv",
    "MSS-Embodied-Interactive-v0": "mss_embodied.envs.interactive:MSSEmbodiedInteractiveEnv",
    # The same interactive env acted out in AI2-THOR (extra ``thor``; needs a THOR build and a GPU).
    "MSS-Embodied-Interactive-THOR-v0": "mss_embodied.envs.thor:ThorInteractiveEnv",
    "MSS-Embodied-Procedural-v0": "mss_embodied.envs.procedural:MSSEmbodiedProceduralEnv",
}


def register_envs() -> None:
    for env_id, entry_point in ENV_IDS.items():
        if env_id not in gym.registry:
            gym.register(id=env_id, entry_point=entry_point)
