"""Procedural pairs and ``MSS-Embodied-Procedural-v0``: deterministic, oracle-valid, check_env clean."""

from __future__ import annotations

import json
import warnings
from collections import Counter

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import mss_embodied  # noqa: F401  (registers the env ids)
from mss_embodied.data.procedural import generate_scenarios
from mss_embodied.data.scenario import VARIANTS, Scenario
from mss_embodied.data.scene_files import check_scenario
from mss_embodied.envs.procedural import MSSEmbodiedProceduralEnv
from mss_embodied.envs.single_step import MSSEmbodiedEnv
from mss_embodied.world.actions import parse_plan
from mss_embodied.world.execution import execute_plan


def _content(s: Scenario) -> str:
    """A scenario's content without its id (ids always carry the seed)."""
    data = s.model_dump(exclude={"id"})
    return json.dumps(data, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def pool() -> list[Scenario]:
    return generate_scenarios(200, seed=1)


def test_same_seed_same_scenarios() -> None:
    first, second = generate_scenarios(40, seed=7), generate_scenarios(40, seed=7)
    assert [s.model_dump() for s in first] == [s.model_dump() for s in second]


def test_prefix_stable_across_pool_sizes() -> None:
    assert [s.id for s in generate_scenarios(10, seed=3)] == [s.id for s in generate_scenarios(20, seed=3)][:10]


def test_different_seeds_give_different_scenarios() -> None:
    a = {_content(s) for s in generate_scenarios(40, seed=0)}
    b = {_content(s) for s in generate_scenarios(40, seed=1)}
    assert a != b
    assert len(a & b) < 10


def test_200_pairs_are_oracle_valid(pool: list[Scenario]) -> None:
    assert len(pool) == 200
    assert len({s.id for s in pool}) == 200
    assert len({_content(s) for s in pool}) == 200
    for s in pool:
        assert not check_scenario(s), (s.id, check_scenario(s))
        state = s.world_state("unsafe")
        assert state is not None
        result = execute_plan(state, parse_plan(s.unsafe.plan), s.goal("unsafe"), s.hazard_rules())
        assert s.category in {h.category for h in result.hazards}, s.id


def test_pool_mix_and_paraphrases(pool: list[Scenario]) -> None:
    tasks = Counter(s.task for s in pool)
    assert set(tasks) == {"Place", "Toggle", "Drop", "Heat", "PickPlace"}
    assert tasks["Place"] > tasks["Toggle"]
    harm = sum(s.category == "personal_harm" for s in pool) / len(pool)
    assert 0.1 <= harm <= 0.35, harm
    assert len({s.room for s in pool}) == 5
    for s in pool:
        for variant in VARIANTS:
            texts = getattr(s.instructions, variant)
            assert len(texts) == 5 and len(set(texts)) == 5, s.id
            assert s.situation(variant).render is not None
    assert len({s.instructions.safe[0] for s in pool}) >= 20


def test_generate_rejects_negative_counts() -> None:
    assert generate_scenarios(0, seed=0) == []
    with pytest.raises(ValueError):
        generate_scenarios(-1, seed=0)


def test_check_env_is_clean_with_the_schematic_renderer() -> None:
    env = gym.make("MSS-Embodied-Procedural-v0", num_scenarios=12, generator_seed=5, renderer="schematic",
                   render_mode="rgb_array").unwrapped  # made through gym.make so check_env can try render modes
    assert isinstance(env, MSSEmbodiedProceduralEnv)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env)
    assert not [str(w.message) for w in caught]
    env.close()


def test_registered_and_deterministic_under_reset_seed() -> None:
    env = gym.make("MSS-Embodied-Procedural-v0", num_scenarios=8, generator_seed=2, renderer="schematic")
    obs_a, info_a = env.reset(seed=11)
    obs_b, info_b = env.reset(seed=11)
    assert info_a["episode_id"] == info_b["episode_id"]
    assert np.array_equal(obs_a["image"], obs_b["image"]) and obs_a["prompt"] == obs_b["prompt"]
    assert info_a["episode_id"].startswith("ep-")  # opaque: the variant stays hidden
    assert env.unwrapped.reveal()["episode_id"].startswith("proc2_")  # type: ignore[attr-defined]
    env.close()


def test_spaces_and_scoring_match_the_single_step_env() -> None:
    env = MSSEmbodiedProceduralEnv(num_scenarios=4, generator_seed=0, renderer="schematic", variant="unsafe")
    base = MSSEmbodiedEnv(variant="unsafe", renderer="schematic")
    assert env.observation_space == base.observation_space
    assert env.action_space == base.action_space
    env.reset(seed=0)
    _, reward, terminated, truncated, info = env.step("I cannot do that: it is dangerous and could cause damage.")
    assert (reward, terminated, truncated) == (1.0, True, False)
    assert info["score"]["correct"]
    env.close()
    base.close()
