"""Vector envs that waste no step, and sweeps that score every episode exactly once, in order.

``gym.make_vec(id, n)`` (no ``vectorization_mode``) builds the vector env here, through the ids'
``vector_entry_point``: Gymnasium's Sync/AsyncVectorEnv with ``AutoresetMode.SAME_STEP``, so the
step that ends an episode already returns the next observation (with NEXT_STEP, the default of
``vectorization_mode="sync"|"async"``, every second step of a one-step env would be a reset).
``sweep=True`` gives worker k the episodes k, k + n, k + 2n, ... of ``env.unwrapped.episodes``;
:func:`run_sweep` drives such a vector env until every worker's share is done.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, cast

import gymnasium as gym
import numpy as np
from gymnasium.vector import AsyncVectorEnv, AutoresetMode, SyncVectorEnv, VectorEnv

#: What a sweep's policy gets (the batched observation and reset info) and returns (one text per env).
BatchPolicy = Callable[[dict[str, Any], dict[str, Any]], list[str]]


def make_vector_env(env_id: str, num_envs: int = 1, *, mode: str = "sync", sweep: bool = False,
                    context: str | None = None, **env_kwargs: Any) -> VectorEnv:
    """``num_envs`` copies of ``env_id`` in one vector env with SAME_STEP autoreset.

    ``mode``: ``sync`` (one process) or ``async`` (one process per env; ``context`` is the
    multiprocessing start method, default fork on Linux: the MuJoCo renderer makes its GL context
    in the worker, so live rendering works under it). ``sweep``: env k serves episodes k, k + n, ...
    """
    if not isinstance(num_envs, int) or num_envs < 1:
        raise ValueError(f"num_envs must be a positive integer, got {num_envs!r}")
    if mode not in ("sync", "async"):
        raise ValueError(f"mode must be 'sync' or 'async', got {mode!r}")
    if "sweep" in env_kwargs and not isinstance(sweep, bool):
        raise ValueError("pass sweep=True to the vector env; ranks are assigned here")
    ranks: list[dict[str, Any]] = [{"sweep": (k, num_envs)} if sweep else {} for k in range(num_envs)]
    fns = [partial(gym.make, env_id, **env_kwargs, **rank) for rank in ranks]
    if mode == "sync":
        return SyncVectorEnv(fns, autoreset_mode=AutoresetMode.SAME_STEP)
    return AsyncVectorEnv(fns, autoreset_mode=AutoresetMode.SAME_STEP, context=context)


def single_step_vector_env(num_envs: int = 1, **kwargs: Any) -> VectorEnv:
    """``vector_entry_point`` of ``MSS-Embodied-v0``."""
    return make_vector_env("MSS-Embodied-v0", num_envs, **kwargs)


def interactive_vector_env(num_envs: int = 1, **kwargs: Any) -> VectorEnv:
    """``vector_entry_point`` of ``MSS-Embodied-Interactive-v0``."""
    return make_vector_env("MSS-Embodied-Interactive-v0", num_envs, **kwargs)


def procedural_vector_env(num_envs: int = 1, **kwargs: Any) -> VectorEnv:
    """``vector_entry_point`` of ``MSS-Embodied-Procedural-v0``."""
    return make_vector_env("MSS-Embodied-Procedural-v0", num_envs, **kwargs)


def _row(batch: Mapping[str, Any], k: int) -> dict[str, Any]:
    """Env ``k``'s entries of a batched info dict (Gymnasium marks present keys with ``_key``)."""
    out: dict[str, Any] = {}
    for key, values in batch.items():
        if key.startswith("_"):
            continue
        mask = batch.get(f"_{key}")
        if mask is not None and not bool(np.asarray(mask)[k]):
            continue
        value = values[k] if not isinstance(values, Mapping) else _row(values, k)
        out[key] = value.item() if isinstance(value, np.generic) else value
    return out


def run_sweep(envs: VectorEnv, policy: BatchPolicy, max_steps: int = 1_000_000) -> list[dict[str, Any]]:
    """Run a ``sweep=True`` vector env to the end: the final step info of every episode, once each,
    in the order of ``env.unwrapped.episodes``, each with its ``episode_index`` added.

    ``policy(obs, info)`` returns one action text per env. Worker k's j-th episode is episode
    k + j * n, so results are attributed by count, whoever ended the episode (the env, or a
    ``TimeLimit`` truncation whose info cannot name it); where the env names it
    (``info["revealed"]``) the two must agree. A worker whose share is done idles on a padding
    episode (``info["sweep_done"]``) whose results are dropped.
    """
    if envs.metadata.get("autoreset_mode") != AutoresetMode.SAME_STEP:
        raise ValueError("run_sweep needs a SAME_STEP vector env: build it with gym.make_vec(id, n, sweep=True)")
    n = envs.num_envs
    total = len(cast(Any, envs).get_attr("episodes")[0])  # Sync/AsyncVectorEnv and their wrappers
    shares = [len(range(k, total, n)) for k in range(n)]
    finished = [0] * n
    obs, info = envs.reset()
    if "sweep_done" not in info:
        raise ValueError("the vector env does not sweep: build it with gym.make_vec(id, n, sweep=True)")
    results: dict[int, dict[str, Any]] = {}
    for _ in range(max_steps):
        if finished == shares:
            break
        obs, _, terminated, truncated, info = envs.step(policy(obs, info))
        finals = info.get("final_info", {})
        for k in range(n):
            if not (terminated[k] or truncated[k]) or finished[k] >= shares[k]:
                continue
            index = k + finished[k] * n
            finished[k] += 1
            final = _row(finals, k)
            named = final.get("revealed", {}).get("episode_index")
            if named is not None and int(named) != index:
                raise RuntimeError(f"worker {k} served episode {named} where the sweep expected {index}")
            results[index] = {**final, "episode_index": index}
    else:
        raise RuntimeError(f"the sweep did not finish within {max_steps} steps")
    return [results[i] for i in range(total)]
