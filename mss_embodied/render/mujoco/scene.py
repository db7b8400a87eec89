"""Compose a MuJoCo scene (MJCF text) from a symbolic state: room, fixtures, contents, camera, gripper.

Contents are nested bodies inside their receptacle's body, so "in"/"on" is literal: a fork in a
microwave is a child body on the microwave's turntable. The output XML is fully determined by
(state, view, size, seed), which makes it a safe cache key for compiled models.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from mss_embodied.data.looks import LookSpec
from mss_embodied.render.mujoco.fixtures import FIXTURE_BUILDERS, basin_water
from mss_embodied.render.mujoco.layout import (
    Node,
    UnknownObjectTypeError,
    build_model,
    layout,
    place_wrapper,
)
from mss_embodied.render.mujoco.objects import PORTABLE_BUILDERS
from mss_embodied.render.mujoco.parts import (
    Model3D,
    Surface,
    bounds,
    euler_matrix,
)
from mss_embodied.render.mujoco.rooms import COUNTER_MOUNTED, OVERFLOW, RoomSpec, Slot, resolve_room
from mss_embodied.world.state import ObjectState, WorldState

#: Every type the renderer can draw.
SUPPORTED_TYPES: frozenset[str] = frozenset(PORTABLE_BUILDERS) | frozenset(FIXTURE_BUILDERS)

EYE_HEIGHT = 1.15  # robot camera height (m)
ROOM_LIMIT = 2.8

__all__ = ["SUPPORTED_TYPES", "Scene", "UnknownObjectTypeError", "compose"]


# --- the scene ------------------------------------------------------------------------------
@dataclass
class Placed:
    """A root body in the world, from a room slot."""

    node: Node
    slot: Slot


@dataclass
class Scene:
    room: RoomSpec
    roots: list[Placed]
    held: Node | None
    camera_pos: np.ndarray
    camera_target: np.ndarray
    world: dict[str, tuple[np.ndarray, np.ndarray]]  # id -> (position, rotation)


def _tree(state: WorldState, generic: bool, widths: dict[str, float | None],
          looks: Mapping[str, LookSpec] | None) -> dict[str, Node]:
    return {oid: Node(o, build_model(o, widths.get(oid), generic, looks)) for oid, o in state.objects.items()}


def _assign_slots(state: WorldState, room: RoomSpec) -> tuple[dict[str, Slot], list[Slot]]:
    """Fixtures in state order take the first free slot of their type; decor fills the rest."""
    taken: dict[str, Slot] = {}
    free = list(room.slots)
    overflow = list(OVERFLOW)
    for o in state.objects.values():
        if o.portable or o.id == state.holding:
            continue
        slot = next((s for s in free if s.type == o.type), None)
        if slot is None and o.parent in state.objects:
            continue  # nested under its parent instead
        if slot is None:
            x, y, yaw = overflow.pop(0) if overflow else (0.0, -1.0, 0.0)
            z = 0.92 if o.type in COUNTER_MOUNTED else 0.0
            slot = Slot(o.type, (x, y, z), yaw, False)
        else:
            free.remove(slot)
        taken[o.id] = slot
    decor = [s for s in free if s.decor]
    return taken, decor


def _counters_for_strays(roots: list[Placed], room_slots: set[Slot]) -> list[Placed]:
    """Counter-height fixtures placed outside their usual room get a counter to stand on."""
    out = []
    for p in roots:
        if p.slot not in room_slots and p.slot.pos[2] > 0.5:
            o = ObjectState(f"_counter_{p.node.obj.id}", "CounterTop")
            slot = replace(p.slot, pos=(p.slot.pos[0], p.slot.pos[1], 0.0), type="CounterTop")
            out.append(Placed(Node(o, build_model(o, 0.8)), slot))
    return out


def compose(state: WorldState, room_name: str, focus: str | None, generic_fallback: bool = False,
            looks: Mapping[str, LookSpec] | None = None) -> Scene:
    """Lay out every object of the state in the room and aim the camera (``looks``: the scene's own types)."""
    room = resolve_room(room_name)
    taken, decor = _assign_slots(state, room)
    widths = {oid: s.width for oid, s in taken.items()}
    nodes = _tree(state, generic_fallback, widths, looks)
    roots = [Placed(nodes[oid], slot) for oid, slot in taken.items()]
    roots += _counters_for_strays(roots, set(room.slots))
    for i, s in enumerate(decor):
        o = ObjectState(f"_decor{i}", s.type)
        roots.append(Placed(Node(o, build_model(o, s.width)), s))
    _attach_children(state, nodes, taken)
    if "_loose_floor" in nodes:
        spot = next((s for s in room.slots if s.type == "Floor"), Slot("Floor", (0.0, 1.0, 0.0)))
        roots.append(Placed(nodes["_loose_floor"], spot))
    _add_basin_water(state, nodes)
    held = nodes.get(state.holding) if state.holding else None
    world = _world_poses(roots)
    target, cam = _camera(state, room, focus, nodes, roots, world)
    return Scene(room, roots, held, cam, target, world)


def _attach_children(state: WorldState, nodes: dict[str, Node], taken: dict[str, Slot]) -> None:
    floor_loose: list[Node] = []
    for oid, node in nodes.items():
        if oid in taken or oid == state.holding:
            continue
        parent = node.obj.parent
        if parent is not None and parent in nodes and not _cyclic(state, oid):
            nodes[parent].children.append(node)
        elif node.obj.portable:
            floor_loose.append(node)
    for oid, slot in taken.items():
        _arrange(nodes[oid], slot.pos[2])
    if state.holding in nodes:
        _arrange(nodes[state.holding], 0.0)
    _place_loose(state, nodes, floor_loose)


def _arrange(node: Node, base_z: float) -> None:
    """Lay out a node's contents, then theirs (a meal in a bowl in a microwave)."""
    wrappers = [c for c in node.children if c.obj.relation == "around"]
    for w in wrappers:
        place_wrapper(w, node)
    rest = [c for c in node.children if c not in wrappers]
    if not rest:
        return
    surface = node.model.surface or _top_surface(node.model)
    layout(rest, surface, base_z, node.model)
    for c in rest:
        _arrange(c, base_z + c.pos[2])


def _top_surface(model: Model3D) -> Surface:
    lo, hi = bounds(model.parts)
    return Surface((float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2, float(hi[2])),
                   (max(float(hi[0] - lo[0]) / 2, 0.05), max(float(hi[1] - lo[1]) / 2, 0.05)), "on")


def _place_loose(state: WorldState, nodes: dict[str, Node], loose: list[Node]) -> None:
    """Portables with no receptacle go on the floor: on a Floor object if any, else in view."""
    if not loose:
        return
    floor = next((n for n in nodes.values() if n.obj.type == "Floor"), None)
    if floor is not None:
        floor.children.extend(loose)
        _arrange(floor, 0.0)
        return
    floor_obj = ObjectState("_loose_floor", "Floor")
    state_loose = Node(floor_obj, FIXTURE_BUILDERS["Floor"](floor_obj, None))
    state_loose.children = loose
    _arrange(state_loose, 0.0)
    nodes["_loose_floor"] = state_loose


def _cyclic(state: WorldState, oid: str) -> bool:
    return oid in set(state.ancestors(oid))


def _add_basin_water(state: WorldState, nodes: dict[str, Node]) -> None:
    """A running faucet fills the basin it feeds (or the first basin) with visible water."""
    basins = [n for n in nodes.values() if n.obj.type in ("SinkBasin", "Bathtub")]
    for n in nodes.values():
        if n.obj.type != "Faucet" or not n.obj.is_on:
            continue
        target = nodes.get(n.obj.feeds) if n.obj.feeds else (basins[0] if basins else None)
        if target is not None and target.model.surface is not None:
            target.model = replace(target.model, parts=(*target.model.parts, basin_water(target.model)))


def _rot_z(yaw: float) -> np.ndarray:
    return euler_matrix((0.0, 0.0, yaw))


def _world_poses(roots: list[Placed]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def walk(node: Node, pos: np.ndarray, rot: np.ndarray) -> None:
        out[node.obj.id] = (pos, rot)
        for c in node.children:
            crot = rot @ euler_matrix(c.euler)
            walk(c, pos + rot @ np.array(c.pos), crot)

    for p in roots:
        walk(p.node, np.array(p.slot.pos, dtype=float), _rot_z(p.slot.yaw))
    return out


def _focus_id(state: WorldState, focus: str | None) -> str | None:
    """The view's focus, else where the robot is, else the receptacle of the most relevant object."""
    if focus and focus in state.objects:
        return focus
    if focus:
        found = state.find(focus)
        if found:
            return found
    if state.agent_at and state.agent_at in state.objects:
        return state.agent_at
    candidates = [o for o in state.objects.values() if o.portable and o.parent and o.id != state.holding]
    candidates.sort(key=lambda o: o.parent == "Floor")
    if candidates:
        return candidates[0].parent
    fixtures = [o.id for o in state.objects.values() if not o.portable]
    return fixtures[0] if fixtures else None


def _root_of(oid: str, roots: list[Placed], nodes: dict[str, Node]) -> Placed | None:
    def contains(node: Node) -> bool:
        return node.obj.id == oid or any(contains(c) for c in node.children)

    return next((p for p in roots if contains(p.node)), None)


def _camera(state: WorldState, room: RoomSpec, focus: str | None, nodes: dict[str, Node], roots: list[Placed],
            world: dict[str, tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    fid = _focus_id(state, focus)
    if fid == state.holding and state.agent_at:
        fid = state.agent_at
    root = _root_of(fid, roots, nodes) if fid else None
    if root is None or fid not in world:
        root = next((p for p in roots if p.slot.type == room.slots[0].type), roots[0] if roots else None)
        fid = root.node.obj.id if root else None
    if root is None or fid is None:
        return np.array([0.0, 2.0, 0.8]), np.array([0.0, 0.0, EYE_HEIGHT])
    node = _find(root.node, fid)
    pos, rot = world[fid]
    shown = node.model if node is not None else root.node.model
    # Aim where the focus object holds things, never at what it holds: the two situations of a pair (a
    # fork or an apple in the microwave) then share the camera pose exactly, and only the contents differ.
    target = pos + rot @ np.array(_surface_point(shown) or shown.focus or _model_center(shown))
    d = root.node.model.view_distance if node is root.node else max(0.7, root.node.model.view_distance * 0.8)
    yaw = math.radians(root.slot.yaw)
    normal = np.array([math.sin(yaw), -math.cos(yaw), 0.0])
    cam = target + normal * d
    cam[2] = EYE_HEIGHT
    cam[:2] = np.clip(cam[:2], -ROOM_LIMIT, ROOM_LIMIT)
    if state.holding:
        target = target - np.array([0.0, 0.0, 0.1 * d])
    return target, cam


def _surface_point(model: Model3D) -> tuple[float, float, float] | None:
    """Just above the middle of where contents go (half-way up the rim of an open container)."""
    if model.surface is None:
        return None
    x, y, z = model.surface.center
    return x, y, z + max(0.03, model.surface.rim / 2)


def _find(node: Node, oid: str) -> Node | None:
    if node.obj.id == oid:
        return node
    for c in node.children:
        hit = _find(c, oid)
        if hit is not None:
            return hit
    return None


def _model_center(model: Model3D) -> tuple[float, float, float]:
    lo, hi = bounds(model.parts)
    c = (lo + hi) / 2
    return float(c[0]), float(c[1]), float(c[2])


