"""AI2-THOR renderer (extra ``thor``): stage a symbolic state in an iTHOR FloorPlan and take the robot's frame.

The state is staged with THOR's own actions (``PickupObject``/``PutObject``, ``OpenObject``,
``ToggleObjectOn``, ...; see :mod:`mss_embodied.thor.plan`), the robot is teleported to a reachable
pose facing the focus object, and ``event.frame`` is returned. Frames are cached by a hash of
(state, view, size, seed). Importing this module does not import ai2thor.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mss_embodied.render.base import Renderer, ViewSpec
from mss_embodied.thor.plan import ScenePlan, plan_scene
from mss_embodied.thor.runtime import ThorConfig, ThorError, start_controller
from mss_embodied.thor.session import CallResult, SceneMismatchError, ThorSession
from mss_embodied.world.state import WorldState


class ThorMappingError(ThorError, ValueError):
    """The state cannot be staged in THOR (an unmapped type, or no FloorPlan with its fixtures)."""


def state_key(state: WorldState, view: ViewSpec, size: tuple[int, int], seed: int) -> str:
    """A stable hash of what a frame depends on."""
    payload = {"state": dataclasses.asdict(state), "view": view.model_dump(), "size": list(size),
               "seed": seed}
    text = json.dumps(payload, sort_keys=True, default=lambda o: sorted(o) if isinstance(o, frozenset) else str(o))
    return hashlib.sha1(text.encode()).hexdigest()


@dataclass
class RenderReport:
    """What one render did: the plan (FloorPlan, substitutions, notes) and every call's outcome."""

    plan: ScenePlan
    results: list[CallResult] = field(default_factory=list)

    @property
    def failures(self) -> list[CallResult]:
        return [r for r in self.results if not r.success and not r.skipped]

    def lines(self) -> list[str]:
        out = [f"scene {self.plan.scene} (room {self.plan.room}, focus {self.plan.focus})"]
        out += [f"substitution: {s}" for s in self.plan.substitutions]
        out += [f"note: {n}" for n in self.plan.notes]
        out += [f"skipped: {r.call} ({r.error})" for r in self.results if r.skipped]
        out += [f"FAILED: {r}" for r in self.failures]
        return out


class ThorRenderer(Renderer):
    """One THOR controller, reset per frame to the chosen FloorPlan; frames cached in an LRU.

    ``controller_factory`` replaces ``ai2thor.controller.Controller`` (tests pass a fake).
    """

    name = "thor"

    def __init__(self, config: ThorConfig | None = None, cache_size: int = 64,
                 controller_factory: Callable[..., Any] | None = None, strict: bool = False) -> None:
        self.config = config or ThorConfig()
        self.cache_size = max(1, cache_size)
        self.factory = controller_factory
        self.strict = strict  # raise when a staging call fails, instead of reporting it
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._session: ThorSession | None = None
        self.last_report: RenderReport | None = None

    @property
    def active_session(self) -> ThorSession:
        """The session the last :meth:`stage` left facing its focus object."""
        if self._session is None:
            raise ThorError("no THOR scene is staged yet")
        return self._session

    def session(self, scene: str) -> ThorSession:
        if self._session is None:
            self._session = ThorSession(start_controller(self.config, scene, self.factory))
        return self._session

    def stage(self, state: WorldState, view: ViewSpec, size: tuple[int, int] | None = None) -> RenderReport:
        """Load and stage ``state``; the session is left facing the focus object."""
        tried: list[int] = []
        notes: list[str] = []
        while True:
            plan = plan_scene(state, view, exclude=tried)
            if not plan.ok:
                raise ThorMappingError("; ".join(notes + plan.errors))
            session = self.session(str(plan.scene))
            try:
                session.load(plan, size)
                break
            except SceneMismatchError as exc:  # the curated table is wrong for this build: try the next one
                assert plan.choice is not None
                tried.append(plan.choice.number)
                notes.append(str(exc))
        plan.notes[:0] = [f"{n}; chose another FloorPlan" for n in notes]
        report = RenderReport(plan, session.run_all(plan.calls))
        if self.strict and report.failures:
            raise ThorError("THOR staging failed: " + "; ".join(str(r) for r in report.failures))
        return report

    def render(self, state: WorldState, view: ViewSpec, size: tuple[int, int] = (512, 512),
               seed: int = 0) -> np.ndarray:
        """Return an HxWx3 uint8 frame (size is (width, height))."""
        key = state_key(state, view, size, seed)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key].copy()
        self.last_report = self.stage(state, view, size)
        assert self._session is not None
        frame = self._session.frame()
        self._cache[key] = frame
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return frame.copy()

    def close(self) -> None:
        if self._session is not None:
            self._session.controller.stop()
            self._session = None


