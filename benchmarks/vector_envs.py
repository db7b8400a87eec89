"""Vector envs with live MuJoCo rendering: async (default fork start method) beside sync.

For the procedural env (every reset renders a new situation) and the interactive env (every
state-changing step re-renders), times ``make_vec``, the first ``reset`` and the mean ``step``
with ``vectorization_mode="async"`` and ``"sync"`` side by side. The parent renders a frame
before the vector env is made, the case that used to hang the forked workers.

    MUJOCO_GL=osmesa .venv/bin/python benchmarks/vector_envs.py [--envs 2] [--steps 10] [--size 256]
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import gymnasium as gym

import mss_embodied  # noqa: F401  (registers the ids)
from mss_embodied.data.scene_files import load_scenes
from mss_embodied.render.base import get_renderer
from mss_embodied.scenes import bundled_scenes_dir

#: Actions that change the state (so every step re-renders) and end no episode early.
INTERACTIVE_ACTIONS = ("Goto CounterTop", "Goto Floor", "Goto CounterTop", "Goto Floor")


def measure(env_id: str, mode: str, n: int, steps: int, size: int, kwargs: dict[str, Any]) -> dict[str, float]:
    t0 = time.perf_counter()
    envs = gym.make_vec(env_id, n, vectorization_mode=mode, image_size=size, renderer="mujoco", **kwargs)
    t1 = time.perf_counter()
    envs.reset(seed=list(range(n)))  # type: ignore[arg-type]
    t2 = time.perf_counter()
    times = []
    for i in range(steps):
        action = INTERACTIVE_ACTIONS[i % len(INTERACTIVE_ACTIONS)] if "Interactive" in env_id else "I refuse."
        s = time.perf_counter()
        envs.step([action] * n)
        times.append(time.perf_counter() - s)
    envs.close()
    return {"make": t1 - t0, "reset": t2 - t1, "step_mean": statistics.mean(times), "step_max": max(times)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--envs", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--size", type=int, default=256)
    args = parser.parse_args()
    parent = get_renderer("mujoco")  # render in the parent first: forked workers must still work
    scenario = load_scenes(bundled_scenes_dir())[0]
    state = scenario.world_state("safe")
    assert state is not None
    parent.render(state, scenario.view("safe"), (64, 64))
    cases = [("MSS-Embodied-Procedural-v0", {"num_scenarios": 20}), ("MSS-Embodied-Interactive-v0", {})]
    print(f"backend={getattr(parent, 'backend', '?')} envs={args.envs} steps={args.steps} size={args.size}")
    for env_id, kwargs in cases:
        for mode in ("async", "sync"):
            r = measure(env_id, mode, args.envs, args.steps, args.size, kwargs)
            print(f"{env_id:30s} {mode:5s} make {r['make']:.2f}s  reset {r['reset']:.2f}s  "
                  f"step mean {r['step_mean']:.3f}s max {r['step_max']:.3f}s")
    parent.close()


if __name__ == "__main__":
    main()
