"""What every MSS-Embodied env shares: the pipeline, episode choice, spaces, texts and rendering.

Agent-facing output (observations and ``reset`` info) never says which variant an episode is: its
id there is an opaque token. Evaluation code reads the real episode through ``env.unwrapped.episode``,
``env.unwrapped.reveal()`` or the ``episode`` entry of the ``step`` info that ends the episode.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from typing import Any

import gymnasium as gym
import numpy as np

from mss_embodied.data.scenario import Episode
from mss_embodied.envs.spaces import (
    INSTRUCTION_MAX,
    PROMPT_MAX,
    action_space,
    fit_action,
    observation_space,
    to_charset,
)
from mss_embodied.pipeline import EpisodePipeline

RENDER_MODES = ("rgb_array",)
#: The observation's side in pixels by default: the size of the bundled and rendered originals, so
#: the observation is exactly the image ``mss-embodied eval`` sends to a policy.
DEFAULT_IMAGE_SIZE = 512
IMAGE_SIZE_RANGE = (16, 4096)


def copy_obs(obs: dict[str, Any]) -> dict[str, Any]:
    """Fresh arrays for every call: users keep what an env returns (check_env insists)."""
    return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in obs.items()}


def bounded_int(name: str, value: object, low: int, high: int) -> int:
    """``value`` as an int in [low, high], else a one-line ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value!r}")
    if not low <= int(value) <= high:
        raise ValueError(f"{name} must be in [{low}, {high}], got {value}")
    return int(value)


def parse_sweep(sweep: object) -> tuple[int, int] | None:
    """``(rank, num_workers)``: this env serves episodes rank, rank + num_workers, ... in order."""
    if sweep is None:
        return None
    if not (isinstance(sweep, (tuple, list)) and len(sweep) == 2):
        raise ValueError(f"sweep must be (rank, num_workers), got {sweep!r}")
    workers = bounded_int("sweep num_workers", sweep[1], 1, 1_000_000)
    return bounded_int("sweep rank", sweep[0], 0, workers - 1), workers


class MSSEmbodiedBaseEnv(gym.Env[dict[str, Any], str]):
    """Holds an :class:`~mss_embodied.pipeline.EpisodePipeline` and the state of the current episode.

    Subclasses build the pipeline, then implement ``reset`` and ``step`` with :meth:`_choose`,
    :meth:`_texts`, :meth:`_action_text`, :meth:`_reset_info` and :meth:`_end_info`; spaces are
    declared here once.
    """

    metadata: dict[str, Any] = {"render_modes": list(RENDER_MODES), "render_fps": 1}  # noqa: RUF012

    def __init__(self, pipeline: EpisodePipeline, *, image_size: int = DEFAULT_IMAGE_SIZE,
                 render_mode: str | None = None, extra_text: Sequence[str] = (), sweep: object = None,
                 strict_actions: bool = False) -> None:
        try:
            if render_mode is not None and render_mode not in self.metadata["render_modes"]:
                raise ValueError(f"render_mode must be None or 'rgb_array', got {render_mode!r}")
            self.image_size = bounded_int("image_size", image_size, *IMAGE_SIZE_RANGE)
            self.sweep = parse_sweep(sweep)
        except ValueError:
            pipeline.close()
            raise
        self.pipeline = pipeline
        self.episodes: tuple[Episode, ...] = pipeline.episodes
        self._index = {e.id: i for i, e in enumerate(self.episodes)}
        self._id_key = secrets.token_bytes(16)
        self._opaque: dict[str, int] | None = None
        self.render_mode = render_mode
        self.strict_actions = bool(strict_actions)
        self.observation_space = observation_space(self.image_size, extra_text)
        self.action_space = action_space()
        self._episode: Episode | None = None
        self._obs: dict[str, Any] | None = None
        self._sweep_pos = 0
        self._sweep_done = False
        self._action_record: dict[str, int] = {}

    @property
    def episode(self) -> Episode | None:
        """The current episode (None before the first reset), for evaluation code, not for agents."""
        return self._episode

    @property
    def images(self) -> Any:
        return self.pipeline.images

    # -- ids ----------------------------------------------------------------------------------
    def opaque_id(self, episode: Episode) -> str:
        """A token naming ``episode`` in this env's agent-facing output: stable for the env's
        lifetime, keyed with a random per-env secret, so it reveals neither variant nor scenario."""
        digest = hmac.new(self._id_key, episode.id.encode(), hashlib.sha256).hexdigest()
        return f"ep-{digest[:12]}"

    def reveal(self) -> dict[str, Any]:
        """The current episode's real identity, for evaluation code (never shown to the agent)."""
        if self._episode is None:
            raise RuntimeError("call reset() first: there is no current episode")
        return {**self._episode.metadata(), "episode_index": self._index[self._episode.id],
                "opaque_id": self.opaque_id(self._episode), "episode": self._episode}

    # -- episode choice -----------------------------------------------------------------------
    def _by_id(self, episode_id: str) -> int:
        if episode_id in self._index:
            return self._index[episode_id]
        if self._opaque is None:
            self._opaque = {self.opaque_id(e): i for i, e in enumerate(self.episodes)}
        if episode_id in self._opaque:
            return self._opaque[episode_id]
        sample = ", ".join(e.id for e in self.episodes[:3])
        raise ValueError(f"unknown episode_id {episode_id!r} (there are {len(self.episodes)} episodes, "
                         f"e.g. {sample})")

    def _choose(self, options: dict[str, Any] | None) -> Episode:
        """``options={"episode_id": ...}`` (real or opaque) or ``{"index": i}`` picks one; a sweeping
        env takes its next episode in order; else a seeded draw."""
        options = options or {}
        self._sweep_done = False
        if "episode_id" in options:
            index = self._by_id(options["episode_id"])
        elif "index" in options:
            index = int(options["index"]) % len(self.episodes)
        elif self.sweep is not None:
            rank, workers = self.sweep
            share = range(rank, len(self.episodes), workers)
            if self._sweep_pos < len(share):
                index = share[self._sweep_pos]
                self._sweep_pos += 1
            else:  # this worker's share is done: it idles on a padding episode until the others finish
                index, self._sweep_done = (share[-1] if len(share) else 0), True
        else:
            index = int(self.np_random.integers(len(self.episodes)))
        return self.episodes[index]

    # -- texts and info -----------------------------------------------------------------------
    def _texts(self, episode: Episode, prompt: str) -> dict[str, str]:
        return {"instruction": to_charset(episode.instruction, INSTRUCTION_MAX),
                "prompt": to_charset(prompt, PROMPT_MAX)}

    def _action_text(self, action: object) -> str:
        """The action as text in the action space (folded and recorded, or rejected when strict)."""
        if isinstance(action, bytes):
            action = action.decode("utf-8", "replace")
        if not isinstance(action, str):
            raise TypeError(f"the action is text (str), got {type(action).__name__}")
        text, self._action_record = fit_action(action, strict=self.strict_actions)
        return text

    def _reset_info(self, episode: Episode) -> dict[str, Any]:
        """What the agent may see at reset: an opaque id and the task, nothing about the variant."""
        info: dict[str, Any] = {"episode_id": self.opaque_id(episode), "task": episode.task}
        if self.sweep is not None:
            info["sweep_done"] = self._sweep_done
        return info

    def _end_info(self, episode: Episode) -> dict[str, Any]:
        """Step info: the opaque id, and once the episode has ended, the real episode under ``episode``."""
        info: dict[str, Any] = {"episode_id": self.opaque_id(episode)}
        if self._action_record:
            info["action_fitted"] = dict(self._action_record)
        if self.sweep is not None:
            info["sweep_done"] = self._sweep_done
        return info

    def _revealed(self, episode: Episode) -> dict[str, Any]:
        return {**episode.metadata(), "episode_index": self._index[episode.id]}

    def render(self) -> np.ndarray | None:  # type: ignore[override]
        if self.render_mode != "rgb_array" or self._obs is None:
            return None
        return np.asarray(self._obs["image"])

    def close(self) -> None:
        self.pipeline.close()
        super().close()
