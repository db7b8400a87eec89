"""The situation image of an episode: the file when present, else a live render of its state."""

from __future__ import annotations

from collections import OrderedDict

import numpy as np

from mss_embodied.data.images import ImageError, image_id, letterbox, load_rgb
from mss_embodied.data.scenario import Episode
from mss_embodied.render.base import Renderer, get_renderer
from mss_embodied.world.state import WorldState


class ImageProvider:
    """Decoded images are cached per situation (an LRU of ``cache_size``); ``renderer`` (a name or an
    instance) renders situations whose image file is absent."""

    def __init__(self, renderer: str | Renderer | None = None, cache_size: int = 64,
                 render_size: tuple[int, int] = (512, 512)) -> None:
        self.renderer = get_renderer(renderer) if isinstance(renderer, str) else renderer
        self._owns_renderer = isinstance(renderer, str)
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

    def has_image(self, episode: Episode) -> bool:
        """The situation's image is on disk or can be rendered live."""
        path = episode.scenario.image_path(episode.variant)
        if path is not None and path.is_file():
            return True
        return self.renderer is not None and episode.situation.state is not None

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

    def render_state(self, episode: Episode, state: WorldState) -> np.ndarray:
        if self.renderer is None:
            raise ImageError("no live renderer configured")
        return self.renderer.render(state, episode.view, self.render_size)

    def observation_image(self, episode: Episode, size: int) -> np.ndarray:
        return letterbox(self.original(episode)[0], size)

    def close(self) -> None:
        """Close the renderer this provider built (one passed in belongs to the caller)."""
        if self.renderer is not None and self._owns_renderer:
            self.renderer.close()
