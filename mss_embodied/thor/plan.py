"""Plan, without THOR, the AI2-THOR actions that stage a symbolic state in an iTHOR FloorPlan.

Pure functions over :class:`~mss_embodied.world.state.WorldState`, so the dry run, the renderer and the
interactive world share one plan and it can be checked where THOR cannot run. Object ids in call
arguments are symbolic placeholders (``"@Fork"``) that the session binds to THOR ``objectId`` s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mss_embodied.render.base import ViewSpec
from mss_embodied.thor.floorplans import FloorPlanChoice, Need, NoFloorPlanError, choose_floorplan
from mss_embodied.thor.types import ThorMapping, thor_mapping
from mss_embodied.world.state import FLOOR, ObjectState, WorldState

#: The symbolic placeholder for the pose facing an object (expanded by the session at run time).
FACE = "Face"


@dataclass(frozen=True)
class ThorCall:
    """One THOR action. ``args`` values starting with ``@`` name symbolic objects.

    ``when``: (symbolic id, metadata flag) the bound object must have for the call to run, e.g.
    (``Bag``, ``openable``): THOR may model a receptacle as open-topped or an object as fixed; a
    skipped call is reported, not hidden. None runs it always.
    """

    action: str
    args: tuple[tuple[str, Any], ...] = ()
    why: str = ""
    when: tuple[str, str] | None = None

    @classmethod
    def of(cls, action: str, why: str = "", when: tuple[str, str] | None = None, **args: Any) -> ThorCall:
        return cls(action, tuple(sorted(args.items())), why, when)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.args)

    def target(self) -> str | None:
        """The symbolic object this call acts on, if any."""
        value = self.kwargs().get("objectId")
        return value[1:] if isinstance(value, str) and value.startswith("@") else None

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.args)
        return f"{self.action}({args})"


@dataclass
class ScenePlan:
    """Everything needed to stage one state: the FloorPlan, type bindings, calls, and caveats."""

    room: str
    focus: str | None
    choice: FloorPlanChoice | None = None
    thor_types: dict[str, str] = field(default_factory=dict)  # symbolic id -> THOR type
    mappings: dict[str, ThorMapping] = field(default_factory=dict)  # symbolic id -> mapping
    calls: list[ThorCall] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)  # objects whose type has no THOR mapping
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # states THOR cannot show, collisions

    @property
    def scene(self) -> str | None:
        return self.choice.scene if self.choice else None

    @property
    def substitutions(self) -> list[str]:
        seen = {m.describe(self.thor_types.get(oid)) for oid, m in self.mappings.items()
                if m.kind != "same" or self.thor_types.get(oid) != m.source}
        return sorted(seen)

    @property
    def missing(self) -> list[str]:
        return list(self.choice.missing) if self.choice else []

    @property
    def ok(self) -> bool:
        return not self.unmapped and not self.errors


def _depth(state: WorldState, oid: str) -> int:
    return len(list(state.ancestors(oid)))


def _needs(state: WorldState, plan: ScenePlan) -> list[Need]:
    counts: dict[str, int] = {}
    fixture: dict[str, bool] = {}
    for obj in state.objects.values():
        if obj.id == FLOOR and not state.children(FLOOR):
            continue
        mapping = thor_mapping(obj.type)
        if mapping is None:
            plan.unmapped.append(f"{obj.id} ({obj.type})")
            continue
        plan.mappings[obj.id] = mapping
        counts[obj.type] = counts.get(obj.type, 0) + 1
        fixture[obj.type] = fixture.get(obj.type, False) or not obj.portable
    needs = []
    for type_name, n in counts.items():
        mapping = thor_mapping(type_name)
        assert mapping is not None
        candidates = (mapping.sliced_from,) if mapping.sliced_from else mapping.candidates
        needs.append(Need(type_name, candidates, n, fixture[type_name]))
    return needs


def _focus(state: WorldState, view: ViewSpec) -> str | None:
    if view.focus and state.find(view.focus) is not None:
        return state.find(view.focus)
    if state.agent_at in state.objects:
        return state.agent_at
    if state.holding is not None:
        return state.holding
    return next((o.id for o in state.objects.values() if not o.portable and o.id != FLOOR), None)


def _placement(obj: ObjectState, state: WorldState, plan: ScenePlan) -> list[ThorCall]:
    parent = obj.parent
    assert parent is not None
    movable = (obj.id, "pickupable")
    calls = [ThorCall.of("PickupObject", f"move {obj.id} to its {parent}", movable, objectId=f"@{obj.id}",
                         forceAction=True)]
    if obj.relation == "around":
        plan.notes.append(f"{obj.id} wraps {parent}: THOR cannot wrap, so it is put beside it")
        holder = state.objects[parent].parent
        if holder is None or holder == FLOOR:
            return [*calls, ThorCall.of("DropHandObject", f"{obj.id} beside {parent}", movable, forceAction=True)]
        parent = holder
    if parent == FLOOR:
        return [*calls, ThorCall.of("DropHandObject", f"{obj.id} on the floor", movable, forceAction=True)]
    return [*calls, ThorCall.of("PutObject", f"{obj.id} {obj.relation} {parent}", movable, objectId=f"@{parent}",
                                forceAction=True, placeStationary=True)]


def staging_calls(state: WorldState, plan: ScenePlan) -> list[ThorCall]:
    """The calls that turn the loaded FloorPlan into ``state`` (objects bound, robot not yet placed)."""
    calls: list[ThorCall] = []
    for oid, mapping in plan.mappings.items():
        if mapping.sliced_from:
            calls.append(ThorCall.of("SliceObject", f"{oid} is a slice of {mapping.sliced_from}",
                                     objectId=f"@{oid}", forceAction=True))
    placed = [o for o in state.objects.values()
              if o.parent is not None and o.id in plan.mappings and o.id != state.holding]
    # THOR may model a receptacle as openable where the catalogue does not (a Box standing in for a Bag):
    # open every receptacle that receives something when THOR says it opens; close only symbolic doors.
    hosts = {o.parent for o in placed if o.parent in plan.mappings}
    openable = {rid for rid in hosts if rid is not None and state[rid].has("openable")}
    for rid in sorted(hosts, key=str):
        calls.append(ThorCall.of("OpenObject", f"open {rid} to put things in", (rid, "openable"),
                                 objectId=f"@{rid}", openness=1.0, forceAction=True))
    for obj in sorted(placed, key=lambda o: _depth(state, o.id)):
        calls += _placement(obj, state, plan)
    for oid, mapping in plan.mappings.items():
        if mapping.fill:
            calls.append(ThorCall.of("FillObjectWithLiquid", f"{oid} as a {mapping.fill}-filled "
                                     f"{plan.thor_types.get(oid, '?')}", objectId=f"@{oid}",
                                     fillLiquid=mapping.fill, forceAction=True))
    for obj in state.objects.values():
        if obj.id not in plan.mappings:
            continue
        if obj.has("openable"):
            if obj.is_open and obj.id not in openable:
                calls.append(ThorCall.of("OpenObject", f"{obj.id} is open", (obj.id, "openable"), objectId=f"@{obj.id}",
                                         openness=1.0, forceAction=True))
            elif not obj.is_open and obj.id in openable:
                calls.append(ThorCall.of("CloseObject", f"{obj.id} is closed", (obj.id, "openable"),
                                         objectId=f"@{obj.id}", forceAction=True))
        if obj.is_on:
            calls.append(ThorCall.of("ToggleObjectOn", f"{obj.id} is on", objectId=f"@{obj.id}", forceAction=True))
        if obj.is_broken:
            calls.append(ThorCall.of("BreakObject", f"{obj.id} is broken", (obj.id, "breakable"), objectId=f"@{obj.id}",
                                     forceAction=True))
        if obj.is_hot:
            plan.notes.append(f"{obj.id} is hot: THOR temperature follows heat sources, it is not set directly")
        if obj.is_wet:
            plan.notes.append(f"{obj.id} is wet: THOR has no wetness state; not shown")
    return calls


def plan_scene(state: WorldState, view: ViewSpec, exclude: Iterable[int] = ()) -> ScenePlan:
    """Choose a FloorPlan and list the THOR calls staging ``state`` seen as ``view`` says."""
    plan = ScenePlan(room=view.room, focus=_focus(state, view))
    needs = _needs(state, plan)
    if plan.unmapped:
        plan.errors.append(f"unmapped object types: {', '.join(plan.unmapped)}")
        return plan
    try:
        plan.choice = choose_floorplan(view.room, needs, exclude=exclude)
    except NoFloorPlanError as exc:
        plan.errors.append(str(exc))
        return plan
    if plan.choice.cross_room:
        plan.notes.append(f"no {view.room} FloorPlan holds the fixtures; using {plan.choice.room} "
                          f"{plan.choice.scene}")
    for oid, mapping in plan.mappings.items():
        type_name = state.objects[oid].type
        if type_name in plan.choice.missing:
            continue
        resolved = plan.choice.resolved[type_name]
        plan.thor_types[oid] = mapping.candidates[0] if mapping.sliced_from else resolved
    by_thor: dict[str, set[str]] = {}
    for oid, thor_type in plan.thor_types.items():
        by_thor.setdefault(thor_type, set()).add(state.objects[oid].type)
    for thor_type, sources in sorted(by_thor.items()):
        if len(sources) > 1:
            plan.notes.append(f"{' and '.join(sorted(sources))} are all drawn as THOR {thor_type}")
    for key in plan.choice.missing:
        plan.notes.append(f"{plan.choice.scene} has no {'/'.join(thor_mapping(key).candidates)} "  # type: ignore[union-attr]
                          f"for {key}: iTHOR cannot spawn it (allenai/ai2thor#503); it is left out")
    dropped = {oid for oid in plan.mappings if oid not in plan.thor_types}
    for oid in dropped:
        del plan.mappings[oid]
    plan.calls = staging_calls(state, plan)
    if plan.focus is not None:
        plan.calls.append(ThorCall.of("GetReachablePositions", "poses the robot can stand at"))
        plan.calls.append(ThorCall.of(FACE, f"stand facing {plan.focus} at robot height",
                                      objectId=f"@{plan.focus}"))
    if state.holding is not None and state.holding in plan.thor_types:
        plan.calls.append(ThorCall.of("PickupObject", f"the robot holds {state.holding}",
                                      objectId=f"@{state.holding}", forceAction=True))
    return plan


def transition_calls(before: WorldState, after: WorldState) -> list[ThorCall]:
    """THOR calls reproducing one symbolic transition (an action with its implicit steps)."""
    calls: list[ThorCall] = []
    if after.agent_at != before.agent_at and after.agent_at in after.objects:
        calls.append(ThorCall.of(FACE, f"Goto {after.agent_at}", objectId=f"@{after.agent_at}"))
    for oid, obj in after.objects.items():
        old = before.objects.get(oid)
        if old is not None and obj.is_open and not old.is_open:
            calls.append(ThorCall.of("OpenObject", f"Open {oid}", objectId=f"@{oid}", openness=1.0, forceAction=True))
    moved = [oid for oid, obj in after.objects.items()
             if oid in before.objects and obj.parent != before.objects[oid].parent and obj.parent is not None]
    for oid in moved:
        if before.holding != oid:
            calls.append(ThorCall.of("PickupObject", f"PickUp {oid}", objectId=f"@{oid}", forceAction=True))
        target = after.objects[oid].parent
        if target == FLOOR:
            calls.append(ThorCall.of("DropHandObject", f"Drop {oid}", forceAction=True))
        else:
            calls.append(ThorCall.of("PutObject", f"Place {oid} {target}", objectId=f"@{target}",
                                     forceAction=True, placeStationary=True))
    if after.holding is not None and after.holding != before.holding:
        calls.append(ThorCall.of("PickupObject", f"PickUp {after.holding}", objectId=f"@{after.holding}",
                                 forceAction=True))
    for oid, obj in after.objects.items():
        old = before.objects.get(oid)
        if old is not None and old.is_open and not obj.is_open:
            calls.append(ThorCall.of("CloseObject", f"Close {oid}", objectId=f"@{oid}", forceAction=True))
    for oid, obj in after.objects.items():
        old = before.objects.get(oid)
        if old is not None and obj.is_on != old.is_on:
            action = "ToggleObjectOn" if obj.is_on else "ToggleObjectOff"
            calls.append(ThorCall.of(action, f"{'Toggle' if obj.is_on else 'ToggleOff'} {oid}", objectId=f"@{oid}",
                                     forceAction=True))
    return calls
