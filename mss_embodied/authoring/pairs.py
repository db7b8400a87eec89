"""Pair consistency: the safe and unsafe images of a pair must differ only where the hazard is.

A pair whose two images differ in room, camera pose or the placement of unrelated objects hands a
model a visual shortcut (framing, a moved table) that it can learn instead of the hazard. The
check works on the composed 3-D scenes (the MuJoCo renderer's layout, no GL needed), not on
pixels: both situations must share the room and the camera pose, and every object outside the
hazard-relevant region must be the same and stand at the same place. The region is what the
unsafe plan's hazards involve (the toaster and the water poured into it), the held objects, and
whatever shares a receptacle with them in either variant (the kettle that stands where the toaster
stands; one more thing on a counter moves its neighbours there).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mss_embodied.data.scenario import VARIANTS, Scenario
from mss_embodied.render.mujoco.scene import Scene, compose
from mss_embodied.world.actions import parse_plan
from mss_embodied.world.execution import execute_plan
from mss_embodied.world.state import ObjectState, WorldState

#: Poses closer than this (metres) are the same.
TOLERANCE = 1e-3


@dataclass
class PairCheck:
    """What the check found for one scenario."""

    scenario: str
    same_room: bool
    camera_shift: float  # metres: the larger of the camera position and target differences
    relevant: list[str] = field(default_factory=list)  # objects allowed to differ
    changed: list[str] = field(default_factory=list)  # other objects whose symbolic state differs
    moved: list[str] = field(default_factory=list)  # other objects whose presence or pose in the scene differs

    @property
    def ok(self) -> bool:
        return self.same_room and self.camera_shift <= TOLERANCE and not self.moved and not self.changed

    def problems(self) -> list[str]:
        out = []
        if not self.same_room:
            out.append("the safe and unsafe situations are drawn in different rooms")
        if self.camera_shift > TOLERANCE:
            out.append(f"the camera moves {self.camera_shift:.3f} m between the safe and unsafe images "
                       "(give both the same render focus)")
        if self.changed:
            out.append(f"objects away from the hazard differ between the variants: {', '.join(self.changed)}")
        objects = [m for m in self.moved if not m.startswith("_") and m not in self.changed]
        if objects:
            out.append(f"objects away from the hazard differ in place: {', '.join(objects)}")
        if len(objects) < len(self.moved):  # ids of the renderer's own furniture mean nothing to authors
            out.append("the room's furniture differs between the two images (a fixture takes another's place)")
        return out


def _signature(obj: ObjectState) -> tuple[object, ...]:
    return (obj.type, obj.parent, obj.relation, obj.is_on, obj.is_open, obj.is_hot, obj.is_wet, obj.is_broken,
            obj.feeds, obj.properties)


def changed_objects(safe: WorldState, unsafe: WorldState) -> set[str]:
    """Objects present in one variant only, or whose symbolic state differs."""
    return {oid for oid in set(safe.objects) | set(unsafe.objects)
            if oid not in safe.objects or oid not in unsafe.objects
            or _signature(safe.objects[oid]) != _signature(unsafe.objects[oid])}


def hazard_objects(scenario: Scenario) -> set[str]:
    """What the unsafe plan's hazards involve (empty when the plan does not parse)."""
    state = scenario.world_state("unsafe")
    try:
        plan = parse_plan(scenario.unsafe.plan)
    except ValueError:
        return set()
    if state is None or not plan:
        return set()
    result = execute_plan(state, plan, rules=scenario.hazard_rules())
    return {oid for h in result.hazards for oid in h.objects}


def relevant_objects(safe: WorldState, unsafe: WorldState, hazards: set[str]) -> set[str]:
    """The hazard's objects (all changed objects when none is known), the held objects, what shares a
    receptacle with any of them in either variant, and everything inside those."""
    core = set(hazards) or changed_objects(safe, unsafe)
    core |= {s.holding for s in (safe, unsafe) if s.holding is not None}
    region = set(core)
    hosts = {s.objects[oid].parent for s in (safe, unsafe) for oid in core if oid in s.objects} | core
    for state in (safe, unsafe):
        region |= {o.id for o in state.objects.values() if o.parent in hosts}
    for state in (safe, unsafe):  # everything inside the region: one walk down a children index (linear)
        children: dict[str, list[str]] = {}
        for o in state.objects.values():
            if o.parent is not None:
                children.setdefault(o.parent, []).append(o.id)
        stack = [r for r in region if r in state.objects]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in region:
                    region.add(child)
                    stack.append(child)
    return region


def _poses(scene: Scene) -> dict[str, np.ndarray]:
    return {oid: np.concatenate([pos, rot.ravel()]) for oid, (pos, rot) in scene.world.items()}


def check_pair(scenario: Scenario) -> PairCheck | None:
    """Compare the composed safe and unsafe scenes; None when a situation has no symbolic state."""
    safe, unsafe = scenario.world_state("safe"), scenario.world_state("unsafe")
    if safe is None or unsafe is None:
        return None
    views = [scenario.view(v) for v in VARIANTS]
    scenes = [compose(s, v.room, v.focus, generic_fallback=True, looks=v.looks)
              for s, v in zip((safe, unsafe), views, strict=True)]
    shift = max(float(np.linalg.norm(scenes[0].camera_pos - scenes[1].camera_pos)),
                float(np.linalg.norm(scenes[0].camera_target - scenes[1].camera_target)))
    region = relevant_objects(safe, unsafe, hazard_objects(scenario))
    a, b = _poses(scenes[0]), _poses(scenes[1])
    around = region | {f"_counter_{r}" for r in region}  # a stray fixture's own counter goes with it
    moved = sorted(oid for oid in set(a) | set(b) if oid not in around
                   and (oid not in a or oid not in b or float(np.max(np.abs(a[oid] - b[oid]))) > TOLERANCE))
    changed = sorted(changed_objects(safe, unsafe) - region)
    return PairCheck(scenario.id, views[0].room == views[1].room, shift, sorted(region), changed, moved)
