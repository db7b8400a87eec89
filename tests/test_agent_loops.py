"""The envs in agent loops: live rendering in forked vector workers, SAME_STEP vectors and sweeps,
the interactive env's limits and renderers, argument bounds, the action space, and a hidden variant."""

from __future__ import annotations

import math
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode

import mss_embodied  # noqa: F401  (registers the ids)
from mss_embodied.data.scene_files import load_scenes
from mss_embodied.envs.spaces import ACTION_MAX, ActionSpaceError
from mss_embodied.envs.vector import run_sweep
from mss_embodied.render.base import get_renderer
from mss_embodied.scenes import bundled_scenes_dir
from mss_embodied.thor.runtime import ThorError


def _mujoco() -> None:
    pytest.importorskip("mujoco")
    try:
        from mss_embodied.render.mujoco.gl import select_backend

        select_backend()
    except Exception as exc:  # no headless GL here
        pytest.skip(f"no headless GL backend: {exc}")


# ---- async vector envs render live in forked workers -----------------------------------------------
@pytest.mark.parametrize("env_id,kwargs", [
    ("MSS-Embodied-Procedural-v0", {"num_scenarios": 2, "renderer": "mujoco", "image_size": 64}),
    ("MSS-Embodied-Interactive-v0", {"renderer": "mujoco", "image_size": 64}),
])
def test_async_vector_env_renders_live_under_fork(env_id: str, kwargs: dict[str, Any]) -> None:
    _mujoco()
    # the parent renders first: a forked worker must still get a working context of its own
    parent = get_renderer("mujoco")
    scenario = load_scenes(bundled_scenes_dir())[0]
    state = scenario.world_state("safe")
    assert state is not None
    parent.render(state, scenario.view("safe"), (64, 64))
    envs = gym.make_vec(env_id, 2, vectorization_mode="async", vector_kwargs={"context": "fork"}, **kwargs)
    try:
        obs, _ = envs.reset(seed=[0, 1])  # type: ignore[arg-type]
        assert obs["image"].shape == (2, 64, 64, 3) and obs["image"].std() > 5
        obs, *_ = envs.step(["Goto CounterTop", "Goto CounterTop"])
        assert obs["image"].shape == (2, 64, 64, 3)
    finally:
        envs.close()
        parent.close()


# ---- vector use of the single-step env ------------------------------------------------------------
def test_make_vec_default_is_same_step_so_no_step_is_a_reset() -> None:
    envs = gym.make_vec("MSS-Embodied-v0", 3)
    try:
        assert envs.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
        envs.reset(seed=0)
        for _ in range(2):  # every step scores an answer and already shows the next episode
            _, _, terminated, _, info = envs.step(["I refuse: this is not safe."] * 3)
            assert terminated.all() and info["_final_info"].all()
            assert all(info["final_info"]["score"]["refused"])
            assert info["episode_id"][0].startswith("ep-")  # the next episode's reset info, opaque
    finally:
        envs.close()


@pytest.mark.parametrize("num_envs,mode", [(3, "sync"), (2, "async")])
def test_sweep_scores_every_episode_once_in_order(num_envs: int, mode: str) -> None:
    kwargs: dict[str, Any] = {"variant": "unsafe", "setting": "qc", "image_size": 32}
    episodes = gym.make("MSS-Embodied-v0", **kwargs).unwrapped.episodes  # type: ignore[attr-defined]
    envs = gym.make_vec("MSS-Embodied-v0", num_envs, mode=mode, sweep=True, **kwargs)
    steps = []

    def policy(obs: dict[str, Any], info: dict[str, Any]) -> list[str]:
        steps.append(1)
        return ["Answer: Yes. It is unsafe."] * num_envs

    try:
        results = run_sweep(envs, policy)
    finally:
        envs.close()
    assert [r["revealed"]["episode_id"] for r in results] == [e.id for e in episodes]
    assert len(steps) == math.ceil(len(episodes) / num_envs)
    assert all(r["score"]["correct"] for r in results)


def test_sweep_of_the_interactive_env() -> None:
    scenes = load_scenes(bundled_scenes_dir())[:3]
    envs = gym.make_vec("MSS-Embodied-Interactive-v0", 2, sweep=True, scenes=scenes, renderer="schematic",
                        image_size=32, max_episode_steps=2)
    episodes = envs.get_attr("episodes")[0]  # type: ignore[attr-defined]
    try:  # env 0 idles until truncated, env 1 is done at once: episodes end at different steps
        results = run_sweep(envs, lambda obs, info: ["Goto CounterTop", "done"])
    finally:
        envs.close()
    assert [r["episode_index"] for r in results] == list(range(30)) and len(episodes) == 30
    done = [r for r in results if "revealed" in r]  # ended by the env ("done"), not by TimeLimit
    assert len(done) == 15 and all(r["revealed"]["episode_id"] == episodes[r["episode_index"]].id for r in done)


# ---- the interactive env --------------------------------------------------------------------------
def test_interactive_registers_its_step_limit() -> None:
    env = gym.make("MSS-Embodied-Interactive-v0", renderer="schematic", image_size=32)
    assert env.spec is not None and env.spec.max_episode_steps == 20
    short = gym.make("MSS-Embodied-Interactive-v0", renderer="schematic", image_size=32, max_episode_steps=3)
    short.reset(options={"episode_id": "toggle_faucet_phone/safe/0"})
    outcomes = [short.step("wiggle")[2:4] for _ in range(3)]
    assert outcomes == [(False, False), (False, False), (False, True)]


def test_interactive_rerenders_after_each_action_and_says_how() -> None:
    env = gym.make("MSS-Embodied-Interactive-v0", image_size=64)
    obs0, info0 = env.reset(options={"episode_id": "place_microwave_fork/safe/0"})
    assert info0["image_source"] == "file" and info0["renderer"] in ("mujoco", "schematic")
    obs1, _, _, _, info1 = env.step("Place Microwave")
    assert info1["image_source"] == f"render:{info0['renderer']}"
    assert not np.array_equal(obs0["image"], obs1["image"])  # the apple left the gripper
    obs2, _, _, _, _ = env.step("Toggle the sofa")  # a failed action changes nothing: same frame
    assert np.array_equal(obs1["image"], obs2["image"])
    env.close()


def test_renderer_is_honoured_on_bundled_scenes_or_refused() -> None:
    env = gym.make("MSS-Embodied-Interactive-v0", renderer="schematic", image_size=512)
    obs, info = env.reset(options={"episode_id": "place_microwave_fork/unsafe/0"})
    episode = env.unwrapped.episode  # type: ignore[attr-defined]
    expected = get_renderer("schematic").render(episode.scenario.world_state("unsafe"), episode.view)
    assert info["image_source"] == "render:schematic" and np.array_equal(obs["image"], expected)
    with pytest.raises(ValueError, match="unknown renderer"):
        gym.make("MSS-Embodied-Interactive-v0", renderer="blender")
    try:
        import ai2thor  # noqa: F401
    except ImportError:
        with pytest.raises(ThorError, match=r"mss-embodied\[thor\]"):
            gym.make("MSS-Embodied-Interactive-v0", renderer="thor")
        with pytest.raises(ThorError, match=r"mss-embodied\[thor\]"):
            gym.make("MSS-Embodied-v0", renderer="thor")


@pytest.mark.parametrize("env_id", ["MSS-Embodied-v0", "MSS-Embodied-Interactive-v0", "MSS-Embodied-Procedural-v0"])
@pytest.mark.parametrize("bad", [{"image_size": 0}, {"image_size": 20000}, {"image_size": 2.5},
                                 {"sweep": (3, 2)}])
def test_argument_bounds_fail_before_loading(env_id: str, bad: dict[str, Any],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("loaded data before checking the arguments")

    monkeypatch.setattr("mss_embodied.envs.interactive.load_scenarios", never)
    monkeypatch.setattr("mss_embodied.pipeline.load_scenarios", never)
    monkeypatch.setattr("mss_embodied.envs.procedural.generate_scenarios", never)
    with pytest.raises(ValueError, match=next(iter(bad)).split("_")[0]):
        gym.make(env_id, **bad)


def test_interactive_bounds_and_action_cap() -> None:
    cases: list[dict[str, Any]] = [{"max_steps": 0}, {"max_actions_per_step": 0}, {"max_actions_per_step": 1000}]
    for bad in cases:
        with pytest.raises(ValueError, match=next(iter(bad))):
            gym.make("MSS-Embodied-Interactive-v0", renderer="schematic", **bad)
    env = gym.make("MSS-Embodied-Interactive-v0", renderer="schematic", image_size=32, max_actions_per_step=2)
    env.reset(options={"episode_id": "toggle_faucet_phone/safe/0"})
    obs, _, _, _, info = env.step("1. Goto Sofa\n2. Goto SinkBasin\n3. Goto Sofa\n4. Goto SinkBasin")
    assert info["actions_dropped"] == 2 and "2 not run" in obs["feedback"]
    assert obs["feedback"].count("Goto") == 2


# ---- the action space -----------------------------------------------------------------------------
def test_actions_are_fitted_to_the_space_or_refused_when_strict() -> None:
    env = gym.make("MSS-Embodied-v0", image_size=32)
    env.reset(options={"episode_id": "place_microwave_fork/unsafe/0"})
    long_refusal = "I refuse 🔥 to do this, it is dangerous. " + "x" * ACTION_MAX
    _, _, _, _, info = env.step(long_refusal)
    assert info["action_fitted"] == {"chars_replaced": 1, "chars_cut": len(long_refusal) - ACTION_MAX}
    assert info["score"]["refused"]
    env.reset(options={"episode_id": "place_microwave_fork/unsafe/0"})
    _, _, _, _, info = env.step("1. Goto Microwave\n2. Place Microwave")
    assert "action_fitted" not in info
    strict = gym.make("MSS-Embodied-v0", image_size=32, strict_actions=True)
    strict.reset(seed=0)
    with pytest.raises(ActionSpaceError, match="8192"):
        strict.step("y" * (ACTION_MAX + 1))
    with pytest.raises(ActionSpaceError, match="charset"):
        strict.step("Goto 微波炉")


# ---- what the agent sees ---------------------------------------------------------------------------
def _agent_view(obs: dict[str, Any], info: dict[str, Any]) -> str:
    hidden = {k: v for k, v in info.items() if k not in ("original_image", "image_id", "episode_id")}
    return repr(sorted(hidden.items())) + obs["instruction"] + obs["prompt"] + obs.get("feedback", "")


@pytest.mark.parametrize("env_id", ["MSS-Embodied-v0", "MSS-Embodied-Interactive-v0"])
def test_reset_reveals_nothing_about_the_variant(env_id: str) -> None:
    """Over every bundled episode: the texts and reset info of a safe episode and of its unsafe twin
    (same instruction) are identical; only the image differs, and no id names the situation."""
    extra: dict[str, Any] = {"renderer": "schematic"} if "Interactive" in env_id else {}
    env = gym.make(env_id, image_size=32, **extra)
    views: dict[tuple[str, int], dict[str, str]] = {}
    for episode in env.unwrapped.episodes:  # type: ignore[attr-defined]
        obs, info = env.reset(options={"episode_id": episode.id})
        assert episode.scenario.id not in str(info) and info["episode_id"].startswith("ep-")
        assert not {"variant", "scenario_id", "state", "category"} & set(info)
        views.setdefault((episode.scenario.id, episode.paraphrase), {})[episode.variant] = _agent_view(obs, info)
    assert len(views) == 380
    assert all(pair["safe"] == pair["unsafe"] for pair in views.values())
    env.close()


def test_observation_is_the_image_the_cli_sends() -> None:
    env = gym.make("MSS-Embodied-v0")
    pipeline = env.unwrapped.pipeline  # type: ignore[attr-defined]
    seen = set()
    for episode in env.unwrapped.episodes:  # type: ignore[attr-defined]
        key = (episode.scenario.id, episode.variant)
        if key in seen:
            continue
        seen.add(key)
        obs, info = env.reset(options={"episode_id": episode.id})
        sent = pipeline.policy_input(episode).image  # what `mss-embodied eval` sends (the runner's input)
        assert obs["image"].shape == sent.shape and np.array_equal(obs["image"], sent), key
        assert np.array_equal(info["original_image"], sent)
    assert len(seen) == 152
