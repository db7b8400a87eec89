"""How the envs choose, check and name their renderer.

A renderer named by an env argument either works or is refused at construction with a one-line
reason (``thor`` without its extra, an unknown name), never accepted and then ignored.
"""

from __future__ import annotations

from mss_embodied.data.scenario import Episode
from mss_embodied.registry import RegistryError
from mss_embodied.render.base import RENDERERS, Renderer, get_renderer
from mss_embodied.render.provider import ImageProvider


def check_renderer(renderer: str | Renderer | None) -> None:
    """Refuse a renderer name that is unknown or cannot run here, before anything is loaded."""
    if renderer is None or isinstance(renderer, Renderer) or renderer == "auto":
        return
    if not isinstance(renderer, str):
        raise ValueError(f"renderer must be a name or a Renderer, got {type(renderer).__name__}")
    try:
        RENDERERS.entry(renderer)
    except RegistryError as exc:
        raise ValueError(f"renderer: {exc}") from None
    if renderer == "thor":  # ThorRenderer starts THOR lazily: check now that it can start at all
        from mss_embodied.thor.runtime import ThorConfig, check_environment

        check_environment(ThorConfig())


def resolve_renderer(renderer: str | Renderer) -> Renderer:
    """``"auto"``: MuJoCo when it imports and a headless GL backend works, else the schematic renderer.

    No GL context is made here (the MuJoCo renderer makes its own at the first frame, in the process
    that renders), so an env built before a fork stays fork-safe.
    """
    if isinstance(renderer, Renderer):
        return renderer
    check_renderer(renderer)
    if renderer != "auto":
        return get_renderer(renderer)
    try:
        return get_renderer("mujoco")
    except Exception:  # missing extra, no GL backend: the GL wrappers raise many unrelated types
        return get_renderer("schematic")


def image_source(images: ImageProvider, episode: Episode) -> str:
    """Where an episode's original image comes from: ``file`` or ``render:<renderer>``."""
    path = episode.scenario.image_path(episode.variant)
    if path is not None and path.is_file():
        return "file"
    return f"render:{images.renderer.name}" if images.renderer is not None else "missing"
