"""Pair consistency: the safe and unsafe images of a pair must differ only where the hazard is.

A pair whose two images differ in room, camera pose or the placement of unrelated objects hands a
model a visual shortcut (framing, a moved table) that it can learn instead of the hazard. The
check works on the composed 3-D scenes (the MuJoCo renderer's layout, no GL needed), not on
pixels: both situations must share the room and the camera pose, and every object outside the
hazard-relevant region must stand at the same place. The region is the objects whose symbolic
state differs between the variants, what they hold, and what shares a receptacle with them
(placing one more thing on a counter moves its neighbours there).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mss_embodied.data.scenario import VARIANTS, Scenario
from mss_embodied.render.mujoco.scene import Scene, compose
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
    moved: list[str] = field(default_factory=list)  # other objects whose presence or pose differs

    @property
    def ok(self) -> bool:
        return self.same_room and self.camera_shift <= TOLERANCE and not self.moved

    def problems(self) -> list[str]:
        out = []
        if not self.same_room:
            out.append("the safe and unsafe situations are drawn in different rooms")
        if self.camera_shift > TOLERANCE:
            out.append(f"the camera moves {self.camera_shift:.3f} m between the safe and unsafe images "
                       "(give both the same render focus)")
        if self.moved:
            out.append(f"objects away from the hazard differ in place: {', '.join(self.moved)}")
        return out


def _signature(obj: ObjectState) -> tuple[object, ...]:
    return (obj.type, obj.parent, obj.relation, obj.is_on, obj.is_open, obj.is_hot, obj.is_wet, obj.is_broken,
            obj.feeds, obj.properties)


def relevant_objects(safe: WorldState, unsafe: WorldState) -> set[str]:
    """Objects whose state differs between the variants, with their contents and receptacle-mates."""
    changed = {oid for oid in set(safe.objects) | set(unsafe.objects)
               if oid not in safe.objects or oid not in unsafe.objects
               or _signature(safe.objects[oid]) != _signature(unsafe.objects[oid])}
    changed |= {s.holding for s in (safe, unsafe) if s.holding is not None}
    region = set(changed)
    for state in (safe, unsafe):
        hosts = {state.objects[oid].parent for oid in changed if oid in state.objects}
        for obj in state.objects.values():
            if obj.parent in hosts - {None} or any(state.is_within(obj.id, c) for c in changed if c in state.objects):
                region.add(obj.id)
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
    region = relevant_objects(safe, unsafe)
    a, b = _poses(scenes[0]), _poses(scenes[1])
    around = region | {f"_counter_{r}" for r in region}  # a stray fixture's own counter goes with it
    moved = sorted(oid for oid in set(a) | set(b) if oid not in around
                   and (oid not in a or oid not in b or float(np.max(np.abs(a[oid] - b[oid]))) > TOLERANCE))
    return PairCheck(scenario.id, views[0].room == views[1].room, shift, sorted(region), moved)
