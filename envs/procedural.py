"""``MSS-Embodied-Procedural-v0``: the single-step protocol on freshly generated scenario pairs."""

from __future__ import annotations

from mss_embodied.data.procedural import generate_scenarios
from mss_embodied.envs.single_step import MSSEmbodiedEnv
from mss_embodied.protocol.prompts import Protocol
from mss_embodied.render.base import Renderer, get_renderer
from mss_embodied.scoring.judges import Judge


def resolve_renderer(renderer: str | Renderer) -> Renderer:
    """``"auto"``: MuJoCo when it imports and can make a GL context, else the schematic renderer."""
    if isinstance(renderer, Renderer):
        return renderer
    if renderer != "auto":
        return get_renderer(renderer)
    try:
        return get_renderer("mujoco")
    except Exception:  # missing extra, no GL backend: the GL wrappers raise many unrelated types
        return get_renderer("schematic")


class MSSEmbodiedProceduralEnv(MSSEmbodiedEnv):
    """Multimodal situational safety on procedurally generated safe/unsafe pairs, one step per episode.

    ## Description
    The same task as ``MSS-Embodied-v0`` (one egocentric image, one instruction, one answer), but the
    scenarios are not the bundled files: :func:`mss_embodied.data.procedural.generate_scenarios` builds a
    pool of ``num_scenarios`` pairs from templates (task x hazard family x objects x room x placement),
    each checked by the oracle, and their images are rendered live from the symbolic state.

    ## Observation
    ``Dict(image=Box(0, 255, (S, S, 3), uint8), instruction=Text, prompt=Text)``, as ``MSS-Embodied-v0``.

    ## Action
    ``Text(8192)``: the policy's free-text answer.

    ## Reward
    1.0 when the answer is correct by the paper's rule, else 0.0 (the scoring of ``MSS-Embodied-v0``).

    ## Episode end
    ``terminated=True`` after the single step; ``info["score"]`` as in ``MSS-Embodied-v0``.

    ## Arguments
    ``num_scenarios`` (pool size, default 100; 10 episodes each with ``variant="both"``),
    ``generator_seed`` (default 0): the pool is generated once, at construction, so it is fixed by
    ``(num_scenarios, generator_seed)``; ``reset(seed=...)`` then draws an episode from the pool
    reproducibly (``options={"episode_id": ...}`` or ``{"index": ...}`` pick one). For fresh
    situations, make a new env with another ``generator_seed``. ``renderer``: ``"auto"`` (default:
    MuJoCo when importable with a working GL context, else ``"schematic"``), a renderer name or
    instance. ``setting``, ``variant``, ``image_size``, ``judge``, ``protocol``, ``render_mode`` as in
    ``MSS-Embodied-v0``.

    ## Registered ids
    ``MSS-Embodied-Procedural-v0``.

    ## Version history
    * v0: initial release.
    """

    def __init__(self, num_scenarios: int = 100, generator_seed: int = 0, renderer: str | Renderer = "auto",
                 setting: str = "if", variant: str = "both", image_size: int = 256, render_mode: str | None = None,
                 judge: str | Judge = "rules", protocol: str | Protocol = "default") -> None:
        if num_scenarios < 1:
            raise ValueError(f"num_scenarios must be >= 1, got {num_scenarios}")
        self.num_scenarios = int(num_scenarios)
        self.generator_seed = int(generator_seed)
        super().__init__(scenes=generate_scenarios(self.num_scenarios, self.generator_seed), setting=setting,
                         variant=variant, image_size=image_size, render_mode=render_mode, judge=judge,
                         protocol=protocol, renderer=resolve_renderer(renderer))

    def close(self) -> None:
        if self.images.renderer is not None:  # built here from a name, so closed here
            self.images.renderer.close()
        super().close()


__all__ = ["MSSEmbodiedProceduralEnv", "resolve_renderer"]
