"""What both environments share: the episode source, the spaces, and image provision."""

from __future__ import annotations

import string
import unicodedata
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from collections.abc import Sequence as SequenceABC
from pathlib import Path
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector.utils import read_from_shared_memory

from mss_embodied.data.images import ImageError, image_id, letterbox, load_rgb
from mss_embodied.data.scenario import Episode, Scenario
from mss_embodied.render.base import Renderer, ViewSpec, get_renderer

#: Printable ASCII plus common typographic characters; ``spaces.Text`` defaults to alphanumerics.
CHARSET: str = "".join(sorted(set(string.printable) | set("‘’“”–—…•·°×÷±→←éèêàáâäöüßçñÉÀ€£")))
_CHARSET = frozenset(CHARSET)
INSTRUCTION_MAX = 2048
PROMPT_MAX = 8192
ACTION_MAX = 8192
VARIANT_CHOICES = ("safe", "unsafe", "both")


def to_charset(text: str, max_length: int) -> str:
    """Fold ``text`` into the observation charset (accents stripped, others become '?')."""
    out = []
    for ch in text:
        if ch in _CHARSET:
            out.append(ch)
            continue
        folded = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(folded if folded and all(c in _CHARSET for c in folded) else "?")
    return "".join(out)[:max_length]


class VectorSafeText(spaces.Text):
    """``spaces.Text`` whose async shared-memory batches read the *current* strings.

    ``AsyncVectorEnv`` (shared memory on, the default) decodes Text observations from shared
    memory once, at construction, and then returns those stale strings forever (Gymnasium#1164).
    For this subclass the read returns a :class:`LiveTextBatch` that decodes on access; the
    vector env's default ``copy=True`` deep-copies it into a plain tuple of the current strings.
    """


class LiveTextBatch(SequenceABC[str]):
    """A batch of Text observations decoded from shared memory on every access."""

    def __init__(self, space: spaces.Text, shared_memory: Any, n: int) -> None:
        self._space, self._memory, self._n = space, shared_memory, n

    def _rows(self) -> np.ndarray:
        return np.frombuffer(self._memory.get_obj(), dtype=np.int32).reshape((self._n, self._space.max_length))

    def _decode(self, row: np.ndarray) -> str:
        chars, limit = self._space.character_list, len(self._space.character_set)
        return "".join(chars[v] for v in row if v < limit)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._decode(self._rows()[index])

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(self._decode(row) for row in self._rows()))

    def __deepcopy__(self, memo: dict[int, Any]) -> tuple[str, ...]:
        return tuple(self)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, (tuple, list, LiveTextBatch)) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


@read_from_shared_memory.register(VectorSafeText)
def _read_live_text(space: VectorSafeText, shared_memory: Any, n: int = 1) -> LiveTextBatch:
    return LiveTextBatch(space, shared_memory, n)


def observation_space(image_size: int, extra_text: Sequence[str] = ()) -> spaces.Dict:
    fields: dict[str, spaces.Space] = {
        "image": spaces.Box(0, 255, (image_size, image_size, 3), np.uint8),
        "instruction": VectorSafeText(INSTRUCTION_MAX, min_length=0, charset=CHARSET),
        "prompt": VectorSafeText(PROMPT_MAX, min_length=0, charset=CHARSET),
    }
    for name in extra_text:
        fields[name] = VectorSafeText(PROMPT_MAX, min_length=0, charset=CHARSET)
    return spaces.Dict(fields)


def action_space() -> spaces.Text:
    return spaces.Text(ACTION_MAX, min_length=0, charset=CHARSET)


def load_scenarios(data_root: str | Path | None, scenes: str | Path | Sequence[Scenario] | None,
                   check_images: bool = True) -> list[Scenario]:
    """Scenarios from ``scenes`` (a folder or a list), or the official data at ``data_root``, or the
    bundled scene set when neither is given."""
    if data_root is not None and scenes is not None:
        raise ValueError("pass either data_root (official MSSBench) or scenes, not both")
    if data_root is not None:
        from mss_embodied.data.official import load_official

        return load_official(data_root, check_images=check_images).scenarios
    if scenes is None:
        from mss_embodied.scenes import bundled_scenes_dir

        scenes = bundled_scenes_dir()
    if isinstance(scenes, (str, Path)):
        from mss_embodied.data.scene_files import load_scenes

        return load_scenes(scenes)
    return list(scenes)


def select_episodes(scenarios: Sequence[Scenario], variant: str, setting: str = "if") -> tuple[Episode, ...]:
    """The episodes of ``variant`` in ``setting`` (classification settings: one per image)."""
    if variant not in VARIANT_CHOICES:
        raise ValueError(f"variant must be one of {VARIANT_CHOICES}, got {variant!r}")
    episodes = [e for s in scenarios for e in s.episodes(setting) if variant in ("both", e.variant)]
    if not episodes:
        raise ValueError("no episodes to run")
    return tuple(episodes)


class ImageProvider:
    """The situation image for an episode: the file when present, else a live render when a
    renderer is configured. Decoded images are cached per situation (an LRU of ``cache_size``)."""

    def __init__(self, renderer: str | Renderer | None = None, cache_size: int = 64,
                 render_size: tuple[int, int] = (512, 512)) -> None:
        self.renderer = get_renderer(renderer) if isinstance(renderer, str) else renderer
        self.render_size = render_size
        self._cache: OrderedDict[tuple[str, str], tuple[np.ndarray, str]] = OrderedDict()
        self.cache_size = cache_size

    def original(self, episode: Episode) -> tuple[np.ndarray, str]:
        """The full-resolution image and its content id."""
        key = (episode.scenario.id, episode.variant)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        image = self._load(episode)
        entry = (image, image_id(image))
        self._cache[key] = entry
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return entry

    def _load(self, episode: Episode) -> np.ndarray:
        path = episode.scenario.image_path(episode.variant)
        if path is not None and path.is_file():
            return load_rgb(path)
        state = episode.scenario.world_state(episode.variant)
        if self.renderer is not None and state is not None:
            return self.render_state(episode, state)
        where = f"image {path} is missing" if path is not None else "the situation has no image"
        raise ImageError(f"episode {episode.id}: {where}; pass renderer='schematic' or 'mujoco' to render "
                         "it live, or run `mss-embodied scenes render`")

    def render_state(self, episode: Episode, state: object) -> np.ndarray:
        if self.renderer is None:
            raise ImageError("no live renderer configured")
        spec = episode.situation.render
        view = ViewSpec(room=spec.room if spec else (episode.scenario.room or "kitchen"),
                        focus=spec.focus if spec else None)
        return self.renderer.render(state, view, self.render_size)  # type: ignore[arg-type]

    def observation_image(self, episode: Episode, size: int) -> np.ndarray:
        return letterbox(self.original(episode)[0], size)


def _copy_obs(obs: dict[str, Any]) -> dict[str, Any]:
    """Fresh arrays for every call: users keep what an env returns (check_env insists)."""
    return {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in obs.items()}


def raise_unknown_episode(episode_id: str, episodes: Sequence[Episode]) -> None:
    sample = ", ".join(e.id for e in episodes[:3])
    raise ValueError(f"unknown episode_id {episode_id!r} (there are {len(episodes)} episodes, e.g. {sample})")
