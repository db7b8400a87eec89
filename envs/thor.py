"""``MSS-Embodied-Interactive-THOR-v0``: the interactive env acted out in AI2-THOR (extra ``thor``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mss_embodied.data.images import letterbox
from mss_embodied.envs.interactive import MSSEmbodiedInteractiveEnv
from mss_embodied.envs.spaces import PROMPT_MAX, to_charset
from mss_embodied.thor.renderer import ThorRenderer
from mss_embodied.thor.runtime import ThorConfig, check_environment
from mss_embodied.thor.world import ThorWorld


class ThorInteractiveEnv(MSSEmbodiedInteractiveEnv):
    """Multimodal situational safety, acted out step by step in the symbolic world and in AI2-THOR.

    ## Description
    ``MSS-Embodied-Interactive-v0`` whose world is mirrored in a THOR FloorPlan staged from each
    situation's symbolic state (:class:`~mss_embodied.thor.world.ThorWorld`): every action runs
    symbolically (preconditions, hazards, goals stay authoritative) and is replayed with THOR actions.

    ## Observation
    As ``MSS-Embodied-Interactive-v0``, with THOR's egocentric frame as the image, live after every step.

    ## Action
    As ``MSS-Embodied-Interactive-v0``: one high-level action, a refusal, or "done".

    ## Reward
    As ``MSS-Embodied-Interactive-v0`` (hazards and goals come from the symbolic world).

    ## Episode end
    As ``MSS-Embodied-Interactive-v0``. Step ``info`` gains ``thor_disagreements`` (a THOR call that
    failed, or metadata that differs from the symbolic state after the step) and ``thor_skipped``
    (calls not sent: a portable the FloorPlan lacks, a state THOR is already in). The FloorPlan and
    the staging report (``thor_scene``, ``thor_staging``, ``thor_initial_disagreements``) would tell
    the variants apart, so they are in ``env.unwrapped.reveal()`` and in ``revealed`` at the end.

    ## Arguments
    Those of ``MSS-Embodied-Interactive-v0`` plus ``thor_config`` (a ``ThorConfig``) and
    ``controller_factory`` (replaces ``ai2thor.controller.Controller``; tests pass a fake).

    ## Registered ids
    ``MSS-Embodied-Interactive-THOR-v0``, registered only where ``ai2thor`` is installed (extra
    ``thor``; it also needs a THOR build, see docs/thor.md); elsewhere it is absent from
    ``gym.pprint_registry()`` and ``make_interactive_env("thor", ...)`` names what is missing.

    ## Version history
    * v0: initial release.
    """

    def __init__(self, *args: Any, thor_config: ThorConfig | None = None,
                 controller_factory: Callable[..., Any] | None = None, **kwargs: Any) -> None:
        if kwargs.pop("renderer", None) is not None:
            raise ValueError("renderer: the THOR env renders every frame with AI2-THOR; do not pass renderer=")
        kwargs.setdefault("check_images", False)
        self.thor = ThorRenderer(thor_config, controller_factory=controller_factory)
        if controller_factory is None:
            check_environment(self.thor.config)  # fail now, with the reason, not at the first reset
        kwargs["renderer"] = self.thor
        super().__init__(*args, **kwargs)

    def _thor_world(self) -> ThorWorld:
        assert self._episode is not None and self._world is not None
        if not isinstance(self._world, ThorWorld):  # reset() just built the symbolic World: mirror it in THOR
            self._world = ThorWorld(self._world.state, self._world.rules, self._world.lenient, renderer=self.thor,
                                    view=self._episode.view)
        return self._world

    def _observe(self, feedback: str, rerender: bool) -> dict[str, Any]:
        """The THOR frame (live after every step) plus the usual texts."""
        assert self._episode is not None
        image = letterbox(self._thor_world().frame(), self.image_size)
        self._image_source = "render:thor"
        return {"image": image, **self._texts(self._episode, self.pipeline.prompt(self._episode)),
                "feedback": to_charset(feedback, PROMPT_MAX)}

    def step(self, action: str) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        world = self._thor_world()
        start, skipped = len(world.disagreements), len(world.skipped)
        obs, reward, terminated, truncated, info = super().step(action)
        info["thor_disagreements"] = world.disagreements[start:]
        info["thor_skipped"] = world.skipped[skipped:]
        if "revealed" in info:  # the episode is over: what THOR staged may be told
            info["revealed"].update(self._staging())
        return obs, reward, terminated, truncated, info

    def _staging(self) -> dict[str, Any]:
        world = self._thor_world()
        return {"thor_scene": world.session.scene, "thor_staging": world.staging.lines(),
                "thor_initial_disagreements": list(world.initial_disagreements)}

    def reveal(self) -> dict[str, Any]:
        """As the symbolic env's, plus the FloorPlan, the staging report and the initial disagreements
        (kept out of the reset ``info``: the FloorPlan and the staged objects differ between variants)."""
        return {**super().reveal(), **self._staging()}

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None
              ) -> tuple[dict[str, Any], dict[str, Any]]:
        obs, info = super().reset(seed=seed, options=options)
        self._thor_world()
        return obs, info

    def close(self) -> None:
        self.thor.close()
        super().close()


def make_interactive_env(backend: str = "symbolic", **kwargs: Any) -> MSSEmbodiedInteractiveEnv:
    """The interactive env on the ``symbolic`` world or on ``thor`` (AI2-THOR, extra ``thor``)."""
    if backend == "symbolic":
        return MSSEmbodiedInteractiveEnv(**kwargs)
    if backend == "thor":
        return ThorInteractiveEnv(**kwargs)
    raise ValueError(f"backend must be 'symbolic' or 'thor', got {backend!r}")
