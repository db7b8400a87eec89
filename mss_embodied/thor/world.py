"""The symbolic world executed in AI2-THOR, step for step, with disagreements reported.

:class:`ThorWorld` applies each high-level action symbolically (preconditions, hazards) and then
replays the same transition with THOR actions (Goto -> TeleportFull facing the receptacle,
PickUp -> PickupObject, Place -> PutObject, Drop -> DropHandObject, Toggle/ToggleOff ->
ToggleObjectOn/Off, Open/Close -> OpenObject/CloseObject). Afterwards it compares THOR's object
metadata (isToggled, isOpen, isPickedUp, parentReceptacles, isBroken) with the symbolic state.
A failed THOR call or a metadata mismatch is listed in the step outcome; the symbolic state stays
authoritative for hazards and goals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from mss_embodied.render.base import ViewSpec
from mss_embodied.thor.plan import transition_calls
from mss_embodied.thor.renderer import RenderReport, ThorRenderer
from mss_embodied.thor.session import CallResult, ThorSession
from mss_embodied.world.actions import Action, StepOutcome, World
from mss_embodied.world.hazards import DEFAULT_RULES, HazardRule
from mss_embodied.world.state import FLOOR, WorldState


@dataclass
class ThorStepOutcome(StepOutcome):
    """A step outcome plus what THOR ran and where THOR disagrees with the symbolic world."""

    thor_calls: list[CallResult] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # THOR calls not sent, with why (not failures)


def compare(state: WorldState, session: ThorSession) -> list[str]:
    """Where THOR's metadata differs from the symbolic state, for every bound object."""
    out: list[str] = []
    for oid, object_id in session.ids.items():
        obj, meta = state.objects.get(oid), session.obj(object_id)
        if obj is None or meta is None:
            continue
        if obj.has("toggleable") and meta.get("toggleable") is not None:
            toggled = session.obj(session.toggle_target(object_id)) or meta
            if bool(toggled.get("isToggled")) != obj.is_on:
                out.append(f"{oid}: symbolic is_on={obj.is_on}, THOR isToggled={toggled.get('isToggled')}")
        if obj.has("openable") and meta.get("openable") and bool(meta.get("isOpen")) != obj.is_open:
            out.append(f"{oid}: symbolic is_open={obj.is_open}, THOR isOpen={meta.get('isOpen')}")
        held = state.holding == oid
        if meta.get("pickupable") and bool(meta.get("isPickedUp")) != held:
            out.append(f"{oid}: symbolic held={held}, THOR isPickedUp={meta.get('isPickedUp')}")
        parent = obj.parent
        if (parent is not None and parent != FLOOR and not held and obj.relation != "around"
                and parent in session.ids and not state.is_within(oid, state.holding or "")):
            parents = meta.get("parentReceptacles") or []
            if session.ids[parent] not in parents:
                out.append(f"{oid}: symbolic parent {parent} ({session.ids[parent]}), THOR parentReceptacles="
                           f"{parents}")
        if meta.get("breakable") and bool(meta.get("isBroken")) != obj.is_broken:
            out.append(f"{oid}: symbolic is_broken={obj.is_broken}, THOR isBroken={meta.get('isBroken')}")
    return out


class ThorWorld(World):
    """A :class:`World` mirrored in a THOR scene staged from its initial state."""

    def __init__(self, state: WorldState, rules: Sequence[HazardRule] = DEFAULT_RULES, lenient: bool = True, *,
                 renderer: ThorRenderer, view: ViewSpec | None = None) -> None:
        super().__init__(state, rules, lenient)
        self.renderer = renderer
        view = view or ViewSpec()
        self.staging: RenderReport = renderer.stage(self.state, view, (renderer.config.width, renderer.config.height))
        self.session: ThorSession = renderer.active_session
        self.initial_disagreements = compare(self.state, self.session)
        self.disagreements: list[str] = []  # every step's, in order
        self.skipped: list[str] = []  # every step's THOR calls not sent, with why

    def frame(self) -> np.ndarray:
        return self.session.frame()

    def step(self, action: Action) -> ThorStepOutcome:
        before = self.state.copy()
        outcome = super().step(action)
        result = ThorStepOutcome(outcome.action, outcome.success, outcome.message, outcome.hazards, outcome.notes)
        if not outcome.success:
            return result
        result.thor_calls = self.session.run_all(transition_calls(before, self.state, self.staging.plan.thor_types))
        result.disagreements = [f"THOR {r.call.action} failed: {r.error}" for r in result.thor_calls
                                if not r.success and not r.skipped]
        result.skipped = [f"THOR {r.call.action} skipped: {r.error}" for r in result.thor_calls if r.skipped]
        result.disagreements += compare(self.state, self.session)
        self.disagreements += result.disagreements
        self.skipped += result.skipped
        if result.disagreements:
            result.message += " [THOR disagrees: " + "; ".join(result.disagreements) + "]"
        if result.skipped:
            result.message += " [" + "; ".join(result.skipped) + "]"
        return result
