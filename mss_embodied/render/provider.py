"""The situation image of an episode: the file when present, else a live render of its state."""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict

import numpy as np

from mss_embodied.data.images import ImageError, image_id, letterbox, load_rgb
from mss_embodied.data.scenario import Episode
from mss_embodied.render.base import Renderer, get_renderer
from mss_embodied.world.state import WorldState

#: Memory the decoded images of one provider may hold: a whole scene set at 512 px (MSSBench's
#: 152 situations take 120 MB) and then some; the oldest are dropped past it.
DEFAULT_CACHE_BYTES = 1 << 30


class ImageProvider:
    """Decoded images are cached per situation, least recently used dropped first once they hold more
    than ``cache_bytes`` (or, when given, more than ``cache_size`` images): a sweep over a scene set
    in any order decodes each image once. ``renderer`` (a name or an instance) renders situations
    whose image file is absent."""

    def __init__(self, renderer: str | Renderer | None = None, cache_size: int | None = None,
                 render_size: tuple[int, int] = (512, 512), cache_bytes: int = DEFAULT_CACHE_BYTES) -> None:
        self.renderer = get_renderer(renderer) if isinstance(renderer, str) else renderer
        self._owns_renderer = isinstance(renderer, str)
        self.render_size = render_size
        self._cache: OrderedDict[tuple[str, str], tuple[np.ndarray, str]] = OrderedDict()
        self._files: dict[tuple[str, str], bytes] = {}  # the file each cached image came from
        self.cache_size = cache_size
        self.cache_bytes = cache_bytes
        self._bytes = 0
        self._lock = threading.Lock()  # runs build inputs on a background thread

    def original(self, episode: Episode) -> tuple[np.ndarray, str]:
        """The full-resolution image and its content id."""
        key = (episode.scenario.id, episode.variant)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        image = self._load(episode)  # outside the lock: decoding is the slow part
        entry = (image, image_id(image))
        path = episode.scenario.image_path(episode.variant)
        file = None
        if path is not None and path.is_file():
            with contextlib.suppress(OSError):  # the pixels matter; the file is a shortcut for API backends
                file = path.read_bytes()
        with self._lock:
            if key in self._cache:  # another thread loaded it meanwhile
                return self._cache[key]
            self._cache[key] = entry
            self._bytes += image.nbytes
            if file is not None:
                self._files[key] = file
                self._bytes += len(file)
            while len(self._cache) > 1 and (self._bytes > self.cache_bytes or (
                    self.cache_size is not None and len(self._cache) > self.cache_size)):
                old_key, (old, _) = self._cache.popitem(last=False)
                self._bytes -= old.nbytes + len(self._files.pop(old_key, b""))
        return entry

    def original_file(self, episode: Episode) -> bytes | None:
        """The bytes of the file :meth:`original` decoded (None for a live render): backends that send
        images send these instead of encoding the pixels again."""
        self.original(episode)
        return self._files.get((episode.scenario.id, episode.variant))

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
