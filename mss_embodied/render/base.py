"""The renderer interface and its registry (``schematic``, ``mujoco``, ``thor``; plugins via the
``mss_embodied.renderers`` entry-point group)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

from mss_embodied.data.scenario import ViewSpec
from mss_embodied.registry import Registry
from mss_embodied.world.state import WorldState

__all__ = ["RENDERERS", "Renderer", "ViewSpec", "get_renderer"]


class Renderer(ABC):
    """Deterministic: the same state, view, size and seed give the same frame."""

    name: str = "renderer"

    @abstractmethod
    def render(self, state: WorldState, view: ViewSpec, size: tuple[int, int] = (512, 512),
               seed: int = 0) -> np.ndarray:
        """Return an HxWx3 uint8 frame (size is (width, height))."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release GPU/GL resources."""


RENDERERS: Registry[Renderer] = Registry("renderer", "mss_embodied.renderers")
RENDERERS.register("schematic", "mss_embodied.render.schematic:SchematicRenderer",
                   summary="flat 2-D boxes and labels; no dependencies")
RENDERERS.register("mujoco", "mss_embodied.render.mujoco.renderer:MujocoRenderer", extra="sim",
                   summary="rooms built from primitives, rendered headless with MuJoCo")
RENDERERS.register("thor", "mss_embodied.thor.renderer:ThorRenderer", extra="thor",
                   summary="AI2-THOR FloorPlans staged to the symbolic state (needs a THOR build)")


def get_renderer(name: str, **options: Any) -> Renderer:
    """Build a renderer by name; heavy backends import only when asked for."""
    factory = RENDERERS.factory(name)
    return factory(**options)
