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
from mss_embodied.thor.rules import CLOSED_REFUSES_PUT, CLOSED_TO_TURN_ON, INITIALLY_ON, OFF_TO_OPEN, put_refusal
from mss_embodied.thor.types import ThorMapping, thor_mapping
from mss_embodied.world.state import FLOOR, ObjectState, WorldState

#: The symbolic placeholder for the pose facing an object (expanded by the session at run time).
FACE = "Face"


@dataclass(frozen=True)
class Above:
    """A ``position`` argument: just above the top of a symbolic object (resolved from live metadata)."""

    oid: str

    def __str__(self) -> str:
        return f"above(@{self.oid})"


@dataclass(frozen=True)
class ThorCall:
    """One THOR action. ``args`` values starting with ``@`` name symbolic objects.

    ``when``: (symbolic id, metadata flag) the bound object must have for the call to run, e.g.
    (``Bag``, ``openable``): THOR may model a receptacle as open-topped or an object as fixed.
    ``needs``: symbolic ids the call depends on without naming them (a PutObject needs the object
    picked up before it). A call whose ids are not bound (a portable the FloorPlan lacks) or whose
    flag is missing is reported as skipped, never sent and never counted as a THOR failure.
    """

    action: str
    args: tuple[tuple[str, Any], ...] = ()
    why: str = ""
    when: tuple[str, str] | None = None
    needs: tuple[str, ...] = ()

    @classmethod
    def of(cls, action: str, why: str = "", when: tuple[str, str] | None = None, needs: tuple[str, ...] = (),
           **args: Any) -> ThorCall:
        return cls(action, tuple(sorted(args.items())), why, when, needs)

    def kwargs(self) -> dict[str, Any]:
        return dict(self.args)

    def target(self) -> str | None:
        """The symbolic object this call acts on, if any."""
        value = self.kwargs().get("objectId")
        return value[1:] if isinstance(value, str) and value.startswith("@") else None

    def __str__(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.args)
        return f"{self.action}({args})"

    def symbols(self) -> set[str]:
        """Every symbolic id the call depends on (its ``@`` arguments and ``needs``)."""
        named = {v[1:] for _, v in self.args if isinstance(v, str) and v.startswith("@")}
        named |= {v.oid for _, v in self.args if isinstance(v, Above)}
        return named | set(self.needs)


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


def placement_calls(oid: str, target: str, types: dict[str, str], held: bool, why: str,
                    state_note: list[str] | None = None) -> list[ThorCall]:
    """Move ``oid`` into/onto ``target`` the way THOR accepts: ``PutObject`` where the target takes
    the object's type and it fits, else ``PlaceObjectAtPoint`` just above the target (a phone on a
    burner, a book on a box it does not fit in), the object dropped first when held."""
    movable = (oid, "pickupable")
    obj_type, target_type = types.get(oid, ""), types.get(target, "")
    refusal = put_refusal(obj_type, target_type, is_open=True, contents=0) if obj_type and target_type else None
    calls = [] if held else [ThorCall.of("PickupObject", why, movable, objectId=f"@{oid}", forceAction=True)]
    if refusal is None:
        return [*calls, ThorCall.of("PutObject", why, movable, needs=(oid,), objectId=f"@{target}", forceAction=True,
                                    placeStationary=True)]
    if state_note is not None:
        state_note.append(f"{oid} cannot be PutObject on {target} in THOR ({refusal}): placed at a point above it")
    drop = [ThorCall.of("DropHandObject", f"free the hand to place {oid}", needs=(oid,), forceAction=True)
            ] if held else []
    return [*drop, ThorCall.of("PlaceObjectAtPoint", why, movable, objectId=f"@{oid}", position=Above(target))]


def _placement(obj: ObjectState, state: WorldState, plan: ScenePlan) -> list[ThorCall]:
    parent = obj.parent
    assert parent is not None
    movable = (obj.id, "pickupable")
    why = f"move {obj.id} to its {parent}"
    if obj.relation == "around":
        plan.notes.append(f"{obj.id} wraps {parent}: THOR cannot wrap, so it is put beside it")
        holder = state.objects[parent].parent
        if holder is None or holder == FLOOR:
            return [ThorCall.of("PickupObject", why, movable, objectId=f"@{obj.id}", forceAction=True),
                    ThorCall.of("DropHandObject", f"{obj.id} beside {parent}", movable, needs=(obj.id,),
                                forceAction=True)]
        parent = holder
    if parent == FLOOR:
        return [ThorCall.of("PickupObject", why, movable, objectId=f"@{obj.id}", forceAction=True),
                ThorCall.of("DropHandObject", f"{obj.id} on the floor", movable, needs=(obj.id,), forceAction=True)]
    return placement_calls(obj.id, parent, plan.thor_types, held=False, why=f"{obj.id} {obj.relation} {parent}",
                           state_note=plan.notes)


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
        thor_type = plan.thor_types.get(obj.id, "")
        starts_on = thor_type in INITIALLY_ON
        if obj.is_on and not starts_on:
            if thor_type in CLOSED_TO_TURN_ON and obj.is_open:
                plan.notes.append(f"{obj.id} is on with its door open: THOR turns a {thor_type} on only when closed")
            else:
                calls.append(ThorCall.of("ToggleObjectOn", f"{obj.id} is on", objectId=f"@{obj.id}", forceAction=True))
        elif not obj.is_on and starts_on and obj.has("toggleable"):
            calls.append(ThorCall.of("ToggleObjectOff", f"{obj.id} is off (THOR starts it on)", objectId=f"@{obj.id}",
                                     forceAction=True))
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
                                      (state.holding, "pickupable"), objectId=f"@{state.holding}", forceAction=True))
    return plan


def transition_calls(before: WorldState, after: WorldState, thor_types: dict[str, str] | None = None
                     ) -> list[ThorCall]:
    """THOR calls reproducing one symbolic transition (an action with its implicit steps).

    ``thor_types`` (symbolic id -> THOR type, from the staging plan) lets placements and doors follow
    THOR's rules: PutObject only where THOR takes the object (else PlaceObjectAtPoint above the
    target), a door opened around a put into a closed Microwave/Fridge/..., a Microwave switched
    off before it opens and on again only once closed.
    """
    types = thor_types or {}
    calls: list[ThorCall] = []
    is_open = {oid: o.is_open for oid, o in before.objects.items()}
    is_on = {oid: o.is_on for oid, o in before.objects.items()}

    def open_(oid: str, why: str) -> None:
        if is_open.get(oid):
            return
        if is_on.get(oid) and types.get(oid) in OFF_TO_OPEN:
            calls.append(ThorCall.of("ToggleObjectOff", f"a {types[oid]} opens only when off", objectId=f"@{oid}",
                                     forceAction=True))
            is_on[oid] = False
        calls.append(ThorCall.of("OpenObject", why, objectId=f"@{oid}", openness=1.0, forceAction=True))
        is_open[oid] = True

    if after.agent_at != before.agent_at and after.agent_at in after.objects:
        calls.append(ThorCall.of(FACE, f"Goto {after.agent_at}", objectId=f"@{after.agent_at}"))
    for oid, obj in after.objects.items():
        old = before.objects.get(oid)
        if old is not None and obj.is_open and not old.is_open:
            open_(oid, f"Open {oid}")
    moved = [oid for oid, obj in after.objects.items()
             if oid in before.objects and obj.parent != before.objects[oid].parent and obj.parent is not None]
    for oid in moved:
        target = after.objects[oid].parent
        assert target is not None
        if after.objects[oid].has("liquid"):  # poured: THOR moves liquid between fillable objects, not as a thing
            calls += _pour_calls(after.objects[oid], target)
            continue
        if target == FLOOR:
            if before.holding != oid:
                calls.append(ThorCall.of("PickupObject", f"PickUp {oid}", objectId=f"@{oid}", forceAction=True))
            calls.append(ThorCall.of("DropHandObject", f"Drop {oid}", needs=(oid,), forceAction=True))
            continue
        if types.get(target) in CLOSED_REFUSES_PUT:
            open_(target, f"{target} must be open to take {oid}")
        calls += placement_calls(oid, target, types, held=before.holding == oid, why=f"Place {oid} {target}")
    if after.holding is not None and after.holding != before.holding:
        calls.append(ThorCall.of("PickupObject", f"PickUp {after.holding}", objectId=f"@{after.holding}",
                                 forceAction=True))
    for oid, obj in after.objects.items():
        if is_open.get(oid) and not obj.is_open and oid in before.objects:
            calls.append(ThorCall.of("CloseObject", f"Close {oid}", objectId=f"@{oid}", forceAction=True))
            is_open[oid] = False
    for oid, obj in after.objects.items():
        if oid not in before.objects or obj.is_on == is_on.get(oid):
            continue
        if obj.is_on and types.get(oid) in CLOSED_TO_TURN_ON and is_open.get(oid):
            continue  # THOR cannot run it open: the disagreement is reported by the world's comparison
        action = "ToggleObjectOn" if obj.is_on else "ToggleObjectOff"
        calls.append(ThorCall.of(action, f"{'Toggle' if obj.is_on else 'ToggleOff'} {oid}", objectId=f"@{oid}",
                                 forceAction=True))
    return calls + _state_changes(before, after)


def _pour_calls(liquid: ObjectState, target: str) -> list[ThorCall]:
    """The stand-in of a poured liquid (a filled cup) empties; the target fills where THOR can fill it."""
    mapping = thor_mapping(liquid.type)
    fill = mapping.fill if mapping is not None and mapping.fill else "water"
    return [ThorCall.of("EmptyLiquidFromObject", f"{liquid.id} poured out", (liquid.id, "canFillWithLiquid"),
                        objectId=f"@{liquid.id}", forceAction=True),
            ThorCall.of("FillObjectWithLiquid", f"{liquid.id} poured into {target}", (target, "canFillWithLiquid"),
                        objectId=f"@{target}", fillLiquid=fill, forceAction=True)]


def _state_changes(before: WorldState, after: WorldState) -> list[ThorCall]:
    """The household actions' effects: broken, sliced, dirty or clean."""
    calls = []
    for oid, obj in after.objects.items():
        old = before.objects.get(oid)
        if old is None:
            continue
        if obj.is_broken and not old.is_broken and obj.parent == old.parent:  # a dropped one breaks by THOR's physics
            calls.append(ThorCall.of("BreakObject", f"{oid} broke", (oid, "breakable"), objectId=f"@{oid}",
                                     forceAction=True))
        if obj.type != old.type and obj.type.endswith("Sliced"):
            calls.append(ThorCall.of("SliceObject", f"Slice {oid}", objectId=f"@{oid}", forceAction=True))
        if obj.has("dirty") != old.has("dirty"):
            action = "DirtyObject" if obj.has("dirty") else "CleanObject"
            calls.append(ThorCall.of(action, f"{oid} is {'dirty' if obj.has('dirty') else 'clean'}",
                                     (oid, "dirtyable"), objectId=f"@{oid}", forceAction=True))
    return calls
