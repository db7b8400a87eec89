"""``MSS-Embodied-Procedural-v0``: the single-step protocol on freshly generated scenario pairs."""

from __future__ import annotations

from mss_embodied.data.procedural import generate_scenarios
from mss_embodied.envs.base import DEFAULT_IMAGE_SIZE, IMAGE_SIZE_RANGE, bounded_int, parse_sweep
from mss_embodied.envs.renderers import resolve_renderer
from mss_embodied.envs.single_step import MSSEmbodiedEnv
from mss_embodied.protocol.prompts import Protocol
from mss_embodied.render.base import Renderer
from mss_embodied.scoring.judges import Judge

#: Pool sizes accepted (generation checks every pair with the oracle: about 1 ms a pair).
NUM_SCENARIOS_RANGE = (1, 100_000)


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
    ``num_scenarios`` (pool size 1-100000, default 100; 10 episodes each with ``variant="both"``),
    ``generator_seed`` (default 0): the pool is generated once, at construction, so it is fixed by
    ``(num_scenarios, generator_seed)``; ``reset(seed=...)`` then draws an episode from the pool
    reproducibly (``options={"episode_id": ...}`` or ``{"index": ...}`` pick one). For fresh
    situations, make a new env with another ``generator_seed``. ``renderer``: ``"auto"`` (default:
    MuJoCo when importable with a working GL context, else ``"schematic"``), a renderer name or
    instance; the MuJoCo renderer makes its GL context in the process that renders, so
    ``gym.make_vec(..., vectorization_mode="async")`` renders live under the default fork start method.
    ``setting``, ``variant``, ``image_size``, ``judge``, ``protocol``, ``render_mode``, ``sweep``,
    ``strict_actions`` as in ``MSS-Embodied-v0`` (the reset ``info`` likewise hides the variant).

    ## Registered ids
    ``MSS-Embodied-Procedural-v0``.

    ## Version history
    * v0: initial release.
    """

    def __init__(self, num_scenarios: int = 100, generator_seed: int = 0, renderer: str | Renderer = "auto",
                 setting: str = "if", variant: str = "both", image_size: int = DEFAULT_IMAGE_SIZE,
                 render_mode: str | None = None, judge: str | Judge = "rules", protocol: str | Protocol = "default",
                 sweep: object = None, strict_actions: bool = False) -> None:
        self.num_scenarios = bounded_int("num_scenarios", num_scenarios, *NUM_SCENARIOS_RANGE)
        self.generator_seed = bounded_int("generator_seed", generator_seed, 0, 2**63 - 1)
        bounded_int("image_size", image_size, *IMAGE_SIZE_RANGE)
        parse_sweep(sweep)
        super().__init__(scenes=generate_scenarios(self.num_scenarios, self.generator_seed), setting=setting,
                         variant=variant, image_size=image_size, render_mode=render_mode, judge=judge,
                         protocol=protocol, renderer=resolve_renderer(renderer), sweep=sweep,
                         strict_actions=strict_actions)

    def close(self) -> None:
        if self.images.renderer is not None:  # built here from a name, so closed here
            self.images.renderer.close()
        super().close()


__all__ = ["MSSEmbodiedProceduralEnv"]
