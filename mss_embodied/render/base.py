"""The renderer interface and a registry by name (``schematic``, ``mujoco``, ``thor``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mss_embodied.world.state import WorldState


@dataclass(frozen=True)
class ViewSpec:
    """What the camera should show: the room and the object id the robot faces."""

    room: str = "kitchen"  # kitchen | living_room | bedroom | study | bathroom
    focus: str | None = None


class Renderer(ABC):
    """Deterministic: the same state, view, size and seed give the same frame."""

    name: str = "renderer"

    @abstractmethod
    def render(self, state: WorldState, view: ViewSpec, size: tuple[int, int] = (512, 512),
               seed: int = 0) -> np.ndarray:
        """Return an HxWx3 uint8 frame (size is (width, height))."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release GPU/GL resources."""


_REGISTRY: dict[str, Callable[..., Renderer]] = {}


def register_renderer(name: str, factory: Callable[..., Renderer]) -> None:
    _REGISTRY[name] = factory


def get_renderer(name: str, **options: object) -> Renderer:
    """Build a renderer by name; heavy backends import lazily so the core stays light."""
    if name not in _REGISTRY:
        if name == "schematic":
            import mss_embodied.render.schematic
        elif name == "mujoco":
            import mss_embodied.render.mujoco.renderer
        elif name == "thor":
            import mss_embodied.thor.renderer  # noqa: F401
    if name not in _REGISTRY:
        raise ValueError(f"unknown renderer {name!r}; known: {sorted(_REGISTRY) or ['schematic', 'mujoco', 'thor']}")
    return _REGISTRY[name](**options)
