"""What every MSS-Embodied env shares: the pipeline, episode choice, spaces, texts and rendering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import gymnasium as gym
import numpy as np

from mss_embodied.data.scenario import Episode
from mss_embodied.envs.spaces import INSTRUCTION_MAX, PROMPT_MAX, action_space, observation_space, to_charset
from mss_embodied.pipeline import EpisodePipeline

RENDER_MODES = ("rgb_array",)


def copy_obs(obs: dict[str, Any]) -> dict[str, Any]:
    """Fresh arrays for every call: users keep what an env returns (check_env insists)."""
    return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in obs.items()}


class MSSEmbodiedBaseEnv(gym.Env[dict[str, Any], str]):
    """Holds an :class:`~mss_embodied.pipeline.EpisodePipeline` and the state of the current episode.

    Subclasses build the pipeline, then implement ``reset`` and ``step`` with :meth:`_choose`,
    :meth:`_texts` and :meth:`_action_text`; spaces are declared here once.
    """

    metadata: dict[str, Any] = {"render_modes": list(RENDER_MODES), "render_fps": 1}  # noqa: RUF012

    def __init__(self, pipeline: EpisodePipeline, *, image_size: int = 256, render_mode: str | None = None,
                 extra_text: Sequence[str] = ()) -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be None or 'rgb_array', got {render_mode!r}")
        self.pipeline = pipeline
        self.episodes: tuple[Episode, ...] = pipeline.episodes
        self._index = {e.id: i for i, e in enumerate(self.episodes)}
        self.image_size = int(image_size)
        self.render_mode = render_mode
        self.observation_space = observation_space(self.image_size, extra_text)
        self.action_space = action_space()
        self._episode: Episode | None = None
        self._obs: dict[str, Any] | None = None

    @property
    def episode(self) -> Episode | None:
        """The current episode (None before the first reset)."""
        return self._episode

    @property
    def images(self) -> Any:
        return self.pipeline.images

    def _choose(self, options: dict[str, Any] | None) -> Episode:
        """``options={"episode_id": ...}`` or ``{"index": i}`` picks one; else a seeded draw."""
        options = options or {}
        if "episode_id" in options:
            episode_id = options["episode_id"]
            if episode_id not in self._index:
                sample = ", ".join(e.id for e in self.episodes[:3])
                raise ValueError(f"unknown episode_id {episode_id!r} (there are {len(self.episodes)} episodes, "
                                 f"e.g. {sample})")
            index = self._index[episode_id]
        elif "index" in options:
            index = int(options["index"]) % len(self.episodes)
        else:
            index = int(self.np_random.integers(len(self.episodes)))
        return self.episodes[index]

    def _texts(self, episode: Episode, prompt: str) -> dict[str, str]:
        return {"instruction": to_charset(episode.instruction, INSTRUCTION_MAX),
                "prompt": to_charset(prompt, PROMPT_MAX)}

    @staticmethod
    def _action_text(action: object) -> str:
        if isinstance(action, bytes):
            action = action.decode("utf-8", "replace")
        if not isinstance(action, str):
            raise TypeError(f"the action is text (str), got {type(action).__name__}")
        return action

    def render(self) -> np.ndarray | None:  # type: ignore[override]
        if self.render_mode != "rgb_array" or self._obs is None:
            return None
        return np.asarray(self._obs["image"])

    def close(self) -> None:
        self.pipeline.close()
        super().close()
