"""Compose a MuJoCo scene (MJCF text) from a symbolic state: room, fixtures, contents, camera, gripper.

Contents are nested bodies inside their receptacle's body, so "in"/"on" is literal: a fork in a
microwave is a child body on the microwave's turntable. The output XML is fully determined by
(state, view, size, seed), which makes it a safe cache key for compiled models.
"""

from __future__ import annotations

import importlib.util
import io
import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from mss_embodied.render.mujoco.fixtures import FIXTURE_BUILDERS, basin_water
from mss_embodied.render.mujoco.objects import PORTABLE_BUILDERS, WATER
from mss_embodied.render.mujoco.parts import (
    Model3D,
    Part,
    Surface,
    bounds,
    box,
    ell,
    euler_matrix,
    fmt,
    rod,
    scale_part,
    sph,
    tint,
)
from mss_embodied.render.mujoco.rooms import COUNTER_MOUNTED, OVERFLOW, RoomSpec, Slot, resolve_room, room_shell
from mss_embodied.world.state import ObjectState, WorldState

#: Every type the renderer can draw.
SUPPORTED_TYPES: frozenset[str] = frozenset(PORTABLE_BUILDERS) | frozenset(FIXTURE_BUILDERS)

EYE_HEIGHT = 1.15  # robot camera height (m)
PLACED_SCALE = 1.3  # small portables are drawn a little larger than life so they read at 512 px
ROOM_LIMIT = 2.8


class UnknownObjectTypeError(ValueError):
    """An object type the MuJoCo renderer has no model for."""

    def __init__(self, type_name: str) -> None:
        super().__init__(
            f"MuJoCo renderer has no model for object type {type_name!r}; add a builder in "
            "mss_embodied/render/mujoco_objects.py or mujoco_fixtures.py, or pass generic_fallback=True"
        )
        self.type_name = type_name


# --- textures --------------------------------------------------------------------------------
_KITCHEN_TEXTURES = {"wood": "wood1.png", "marble": "marble1.png"}


def _kitchen_texture_dir() -> Path | None:
    """Textures shipped with gymnasium-robotics' Franka kitchen, used in place when installed."""
    spec = importlib.util.find_spec("gymnasium_robotics")  # locate without importing (it registers envs)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    path = root / "envs/assets/kitchen_franka/kitchen_assets/textures"
    return path if path.is_dir() else None


@lru_cache(maxsize=1)
def texture_assets() -> dict[str, bytes]:
    """Downscaled PNG bytes of the kitchen textures (decoded once; compiling then stays fast)."""
    folder = _kitchen_texture_dir()
    if folder is None:
        return {}
    from PIL import Image

    out: dict[str, bytes] = {}
    for name, file in _KITCHEN_TEXTURES.items():
        with Image.open(folder / file) as img:
            small = img.convert("RGB").resize((128, 128), Image.Resampling.BILINEAR)
        buf = io.BytesIO()
        small.save(buf, format="PNG")
        out[f"{name}.png"] = buf.getvalue()
    return out


def _builtin(name: str, spec: str, px: int) -> str:
    return f'<texture name="tx_{name}" type="2d" {spec} width="{px}" height="{px}"/>'


def _texture_xml(assets: dict[str, bytes]) -> str:
    builtin = {
        "wood": 'builtin="flat" mark="random" random="0.15" rgb1=".62 .45 .3" markrgb=".5 .35 .22"',
        "marble": 'builtin="flat" mark="random" random="0.05" rgb1=".93 .93 .92" markrgb=".7 .7 .72"',
    }
    lines = []
    for name in _KITCHEN_TEXTURES:
        src = f'file="{name}.png"' if f"{name}.png" in assets else builtin[name]
        lines.append(f'<texture name="tx_{name}" type="2d" width="128" height="128" {src}/>')
    lines += [
        _builtin("tile", 'builtin="checker" rgb1=".97 .97 .96" rgb2=".86 .91 .95"', 64),
        _builtin("floor_tiles", 'builtin="checker" rgb1=".88 .87 .84" rgb2=".72 .7 .66"', 128),
        _builtin("wood_floor", 'builtin="flat" mark="random" random="0.2" rgb1=".6 .42 .26" markrgb=".45 .3 .18"', 256),
        _builtin("carpet", 'builtin="flat" mark="random" random="0.3" rgb1=".62 .6 .55" markrgb=".55 .53 .5"', 256),
    ]
    return "\n".join(lines)


# --- placement -------------------------------------------------------------------------------
@dataclass
class Node:
    """One object in the scene tree, with its body pose relative to its parent body."""

    obj: ObjectState
    model: Model3D
    pos: tuple[float, float, float] = (0.0, 0.0, 0.0)
    euler: tuple[float, float, float] = (0.0, 0.0, 0.0)
    children: list[Node] = field(default_factory=list)
    extra: list[Part] = field(default_factory=list)


def _generic(o: ObjectState) -> Model3D:
    return Model3D((box(0.06, 0.06, 0.06, z=0.06, rgba=(0.6, 0.6, 0.6, 1)),))


def build_model(o: ObjectState, width: float | None = None, generic_fallback: bool = False) -> Model3D:
    """The geometry for one object, with its state (wet, broken, hot) shown."""
    if o.type in FIXTURE_BUILDERS:
        model = FIXTURE_BUILDERS[o.type](o, width)
    elif o.type in PORTABLE_BUILDERS:
        model = _scaled(PORTABLE_BUILDERS[o.type](o), PLACED_SCALE)
    elif generic_fallback:
        model = _generic(o)
    else:
        raise UnknownObjectTypeError(o.type)
    return _decorate(o, model)


def _scaled(model: Model3D, s: float) -> Model3D:
    surf = model.surface
    if surf is not None:
        surf = Surface(tuple(c * s for c in surf.center), (surf.half[0] * s, surf.half[1] * s),  # type: ignore[arg-type]
                       surf.mode, surf.rim * s)
    return replace(model, parts=tuple(scale_part(p, s) for p in model.parts), surface=surf)


def _decorate(o: ObjectState, model: Model3D) -> Model3D:
    """Make state visible: shards when broken, darker and beaded when wet, steam when hot."""
    parts = list(model.parts)
    lo, hi = bounds(parts)
    if o.is_broken and parts and o.portable:
        parts = _shards(parts[0], lo, hi)
        lo, hi = bounds(parts)
    if o.is_wet and not o.has("liquid"):
        parts = [tint(p, 0.75, WATER, 0.25) for p in parts]
        parts += [sph(0.008, lo[0] + (hi[0] - lo[0]) * f, (lo[1] + hi[1]) / 2 + 0.01 * i, hi[2] + 0.002,
                      (0.6, 0.8, 1.0, 0.7), specular=1.0) for i, f in enumerate((0.25, 0.5, 0.75))]
        parts.append(ell(max(hi[0] - lo[0], 0.1) * 0.7, max(hi[1] - lo[1], 0.1) * 0.7, 0.003, (lo[0] + hi[0]) / 2,
                         (lo[1] + hi[1]) / 2, lo[2] + 0.001, WATER, specular=1.0))
    if o.is_hot and o.portable:
        cx, cy = (lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2
        parts += [ell(0.02, 0.02, 0.05, cx + dx, cy, hi[2] + 0.06 + 0.04 * i, (1, 1, 1, 0.35))
                  for i, dx in enumerate((-0.03, 0.0, 0.03))]
    return replace(model, parts=tuple(parts))


def _shards(main: Part, lo: np.ndarray, hi: np.ndarray) -> list[Part]:
    size = max(float(np.max(hi - lo)) / 4, 0.015)
    offsets = ((-1.0, -0.5, 20.0), (0.8, -0.2, -35.0), (0.1, 0.7, 60.0), (-0.5, 0.9, -10.0), (1.2, 0.8, 45.0))
    return [box(size * 0.6, size * 0.35, 0.006, dx * size, dy * size, 0.006, main.rgba, euler=(0, 0, yaw))
            for dx, dy, yaw in offsets]


def _is_flat(model: Model3D) -> bool:
    lo, hi = bounds(model.parts)
    ext = hi - lo
    return bool(ext[2] < 0.3 * max(ext[0], ext[1]))


def _rotated_bounds(model: Model3D, euler: tuple[float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    lo, hi = bounds(model.parts)
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
    rot = corners @ euler_matrix(euler).T
    return rot.min(axis=0), rot.max(axis=0)


def _pose(model: Model3D, tilt: float, mode: str) -> tuple[float, float, float]:
    """How a flat thing is propped up to be seen: tipped towards the camera, and a long thin one
    (fork, knife) inside an appliance also raised at one end, since tipping it about its own long
    axis would leave it edge-on."""
    if not _is_flat(model):
        return (0.0, 0.0, 0.0)
    lo, hi = bounds(model.parts)
    ext = hi - lo
    if mode == "in" and ext[0] > 3 * ext[1]:
        return (0.0, _RAISE_LONG, 0.0)
    return (tilt, 0.0, 0.0)


_TILT = {"on": 25.0, "in": 60.0, "deep": 65.0}
_RAISE_LONG = -22.0


def layout(children: list[Node], surface: Surface, base_z: float = 0.0) -> None:
    """Set child poses on a surface: liquids spread under, others side by side in id order."""
    liquids = [c for c in children if c.obj.has("liquid") and c.obj.type == "Water"]
    items = sorted((c for c in children if c not in liquids), key=lambda c: c.obj.id)
    cx, cy, cz = surface.center
    for i, c in enumerate(liquids):
        c.pos = (cx + 0.03 * i, cy + 0.02 * i, cz + 0.0005 * (i + 1))
    if surface.mode == "deep":
        _layout_deep(items, surface)
        return
    rows = [items] if len(items) < 3 or surface.half[1] < 0.12 else [items[0::2], items[1::2]]
    # Near eye height a flat thing is seen edge-on, so it is propped up a little towards the robot.
    tilt = _TILT[surface.mode] if (surface.mode == "in" or base_z + cz > 0.85) else 0.0
    for r, row in enumerate(rows):
        y = cy if len(rows) == 1 else cy + (0.5 - r) * surface.half[1]  # back row first, front row nearer
        _layout_row(row, surface, y, tilt)


def _layout_deep(items: list[Node], surface: Surface) -> None:
    """In an open container, big things stand at the back and small ones in front, all poking out."""
    cx, cy, cz = surface.center
    ordered = sorted(items, key=lambda c: (-_footprint(c.model), c.obj.id))
    n = len(ordered)
    for i, c in enumerate(ordered):
        t = _TILT["deep"] if _is_flat(c.model) else 0.0
        lo, hi = _rotated_bounds(c.model, (t, 0.0, 0.0))
        y = cy + surface.half[1] * (0.6 - 1.2 * i / max(n - 1, 1)) if n > 1 else cy
        x = cx + (0.0 if n == 1 else surface.half[0] * 0.5 * ((i % 3) - 1))
        h = float(hi[2] - lo[2])
        top = cz + surface.rim + max(0.35 * h, 0.04) + 0.02 * i
        z = max(cz - float(lo[2]), top - h - float(lo[2]))
        c.pos = (x - float(lo[0] + hi[0]) / 2, y - float(lo[1] + hi[1]) / 2, z)
        c.euler = (t, 0.0, 0.0)


def _footprint(model: Model3D) -> float:
    lo, hi = bounds(model.parts)
    return float((hi[0] - lo[0]) * (hi[1] - lo[1]))


def _layout_row(row: list[Node], surface: Surface, y: float, tilt: float) -> None:
    cx, _, cz = surface.center
    poses = [_pose(c.model, tilt, surface.mode) for c in row]
    boxes = [_rotated_bounds(c.model, e) for c, e in zip(row, poses, strict=True)]
    widths = [float(hi[0] - lo[0]) for lo, hi in boxes]
    gap = 0.03
    total = sum(widths) + gap * (len(row) - 1)
    span = 2 * surface.half[0]
    if total <= span or len(row) == 1:
        xs, x = [], cx - total / 2
        for w in widths:
            xs.append(x + w / 2)
            x += w + gap
    else:
        left, right = cx - surface.half[0] + widths[0] / 2, cx + surface.half[0] - widths[-1] / 2
        xs = [left + (right - left) * i / (len(row) - 1) for i in range(len(row))]
    for c, x, e, (lo, hi) in zip(row, xs, poses, boxes, strict=True):
        center_x = float(lo[0] + hi[0]) / 2
        z = cz - float(lo[2]) + 0.001
        c.pos = (x - center_x, y - float(lo[1] + hi[1]) / 2, z)
        c.euler = e


def _wrapper(node: Node, parent: Node) -> None:
    """Foil "around" something: a crinkled silver shell over the parent's bounding box."""
    lo, hi = bounds(parent.model.parts)
    half = (hi - lo) / 2 * 1.2 + 0.01
    c = (lo + hi) / 2
    foil = (0.86, 0.87, 0.9, 1.0)
    node.model = Model3D((ell(half[0], half[1], half[2], c[0], c[1], c[2], foil, specular=1.0, reflectance=0.3),
                          ell(half[0] * 0.5, half[1] * 0.6, 0.01, c[0] + half[0] * 0.3, c[1], hi[2] + 0.01, foil,
                              euler=(0, 15, 20), specular=1.0)))
    node.pos, node.euler = (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)


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


def _tree(state: WorldState, generic: bool, widths: dict[str, float | None]) -> dict[str, Node]:
    nodes = {oid: Node(o, build_model(o, widths.get(oid), generic)) for oid, o in state.objects.items()}
    return nodes


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


def compose(state: WorldState, room_name: str, focus: str | None, generic_fallback: bool = False) -> Scene:
    """Lay out every object of the state in the room and aim the camera."""
    room = resolve_room(room_name)
    taken, decor = _assign_slots(state, room)
    widths = {oid: s.width for oid, s in taken.items()}
    nodes = _tree(state, generic_fallback, widths)
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
        _wrapper(w, node)
    rest = [c for c in node.children if c not in wrappers]
    if not rest:
        return
    surface = node.model.surface or _top_surface(node.model)
    layout(rest, surface, base_z)
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
    local_focus = shown.focus or _model_center(shown)
    if node is not None and node.children and node.obj.type != "Faucet":
        kids = [world[c.obj.id][0] for c in node.children if c.obj.id in world]
        target = np.mean(kids, axis=0) + np.array([0.0, 0.0, 0.03])
    else:
        target = pos + rot @ np.array(local_focus)
    d = root.node.model.view_distance if node is root.node else max(0.7, root.node.model.view_distance * 0.8)
    yaw = math.radians(root.slot.yaw)
    normal = np.array([math.sin(yaw), -math.cos(yaw), 0.0])
    cam = target + normal * d
    cam[2] = EYE_HEIGHT
    cam[:2] = np.clip(cam[:2], -ROOM_LIMIT, ROOM_LIMIT)
    if state.holding:
        target = target - np.array([0.0, 0.0, 0.1 * d])
    return target, cam


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


# --- XML -----------------------------------------------------------------------------------
_TEX_REPEAT = {"wood": 1.5, "marble": 1.5, "tile": 10}


class _Materials:
    """Deduplicated materials: one per distinct look, named in first-use order (deterministic)."""

    def __init__(self) -> None:
        self.names: dict[tuple[object, ...], str] = {}

    def get(self, p: Part) -> str:
        key = (p.texture, tuple(round(c, 3) for c in p.rgba), round(p.emission, 3), round(p.specular, 3),
               round(p.reflectance, 3))
        if key not in self.names:
            self.names[key] = f"m{len(self.names)}"
        return self.names[key]

    def xml(self) -> str:
        out = []
        for (texture, rgba, emission, specular, reflectance), name in self.names.items():
            rep = _TEX_REPEAT.get(str(texture), 2)
            tex = f' texture="tx_{texture}" texuniform="true" texrepeat="{rep} {rep}"' if texture else ""
            out.append(f'<material name="{name}" rgba="{fmt(rgba)}" emission="{emission}" specular="{specular}" '  # type: ignore[arg-type]
                       f'shininess="0.5" reflectance="{reflectance}"{tex}/>')
        return "\n".join(out)


def _geom(p: Part, mats: _Materials) -> str:
    where = f'fromto="{fmt(p.fromto)}"' if p.fromto is not None else f'pos="{fmt(p.pos)}" euler="{fmt(p.euler)}"'
    return f'<geom type="{p.shape}" size="{fmt(p.size)}" {where} material="{mats.get(p)}"/>'


def _body(node: Node, mats: _Materials, pos: tuple[float, ...], euler: tuple[float, ...]) -> str:
    geoms = "".join(_geom(p, mats) for p in (*node.model.parts, *node.extra))
    kids = "".join(_body(c, mats, c.pos, c.euler) for c in node.children)
    return f'<body pos="{fmt(pos)}" euler="{fmt(euler)}">{geoms}{kids}</body>'


def _look_axes(cam: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    f = target - cam
    f = f / np.linalg.norm(f)
    right = np.cross(f, np.array([0.0, 0.0, 1.0]))
    right = right / np.linalg.norm(right)
    up = np.cross(right, f)
    return right, up


def _held_xml(held: Node, mats: _Materials) -> str:
    """The held object large in the foreground, between the fingers of a simple gripper."""
    base = held.model
    lo, hi = bounds(base.parts)
    size = float(np.max(hi - lo))
    s = float(np.clip(0.24 / max(size, 1e-3), 0.4, 2.0))
    held.model = _scaled(base, s)
    flat = _is_flat(held.model)
    euler = (0.0, 0.0, 30.0) if flat else (-70.0, 0.0, 0.0)
    lo, hi = bounds(held.model.parts)
    rot = euler_matrix(euler)
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])]) @ rot.T
    c_lo, c_hi = corners.min(axis=0), corners.max(axis=0)
    center = (c_lo + c_hi) / 2
    width = float(c_hi[0] - c_lo[0])
    pinch = width / 2 if width < 0.09 else 0.03  # long things are pinched across their middle
    grip = np.array([0.0, -0.085, -0.42])
    obj_pos = grip - center
    gz = grip[2] + float(c_hi[2] - center[2]) * 0.5
    grey, accent = (0.22, 0.23, 0.25, 1.0), (0.95, 0.55, 0.1, 1.0)
    gripper = [
        box(0.008, 0.03, 0.01, -pinch - 0.008, grip[1] - 0.02, gz, grey, specular=0.6),
        box(0.008, 0.03, 0.01, pinch + 0.008, grip[1] - 0.02, gz, grey, specular=0.6),
        box(pinch + 0.018, 0.01, 0.018, 0, grip[1] - 0.06, gz, grey, specular=0.6),
        box(0.028, 0.018, 0.028, 0, grip[1] - 0.085, gz, accent),
        rod((0, grip[1] - 0.1, gz), (0.03, grip[1] - 0.4, gz + 0.1), 0.032, grey, specular=0.6),
    ]
    geoms = "".join(_geom(p, mats) for p in gripper)
    obj = _body(held, mats, tuple(obj_pos), euler)
    return geoms + obj


def to_xml(scene: Scene, size: tuple[int, int], assets: dict[str, bytes]) -> str:
    """The MJCF for a composed scene; rendering from camera "ego"."""
    mats = _Materials()
    width, height = size
    room_geoms = "".join(_geom(p, mats) for p in (*room_shell(scene.room), *scene.room.decor))
    bodies = "".join(_body(p.node, mats, p.slot.pos, (0.0, 0.0, p.slot.yaw)) for p in scene.roots)
    right, up = _look_axes(scene.camera_pos, scene.camera_target)
    held = _held_xml(scene.held, mats) if scene.held is not None else ""
    floor_mat = {"floor_tiles": "mat_floor_tiles", "wood_floor": "mat_wood_floor", "carpet": "mat_carpet"}
    floor = floor_mat.get(scene.room.floor_texture, "mat_wood_floor")
    return f"""<mujoco model="mss_{scene.room.name}">
<compiler angle="degree" inertiafromgeom="false"/>
<visual>
 <global offwidth="{width}" offheight="{height}" fovy="60"/>
 <quality shadowsize="0" offsamples="4"/>
 <headlight ambient=".35 .35 .35" diffuse=".45 .45 .45" specular=".1 .1 .1"/>
 <map znear="0.02" zfar="20"/>
</visual>
<asset>
{_texture_xml(assets)}
<material name="mat_floor_tiles" texture="tx_floor_tiles" texrepeat="12 12" specular="0.3" reflectance="0.05"/>
<material name="mat_wood_floor" texture="tx_wood_floor" texrepeat="6 6" specular="0.3"/>
<material name="mat_carpet" texture="tx_carpet" texrepeat="8 8" specular="0.05"/>
{mats.xml()}
</asset>
<default><geom contype="0" conaffinity="0" group="1"/></default>
<worldbody>
<light directional="true" pos="0 0 3" dir="0.3 -0.4 -1" diffuse=".5 .5 .48" specular=".2 .2 .2" castshadow="false"/>
<light pos="0 0 2.6" dir="0 0 -1" diffuse=".3 .3 .3" specular="0 0 0" castshadow="false" attenuation="1 0 0"/>
<geom type="plane" size="3 3 0.1" material="{floor}"/>
{room_geoms}
{bodies}
<body name="ego" pos="{fmt(scene.camera_pos)}" xyaxes="{fmt(np.concatenate([right, up]))}">
<camera name="ego" pos="0 0 0" fovy="60"/>
{held}
</body>
</worldbody>
</mujoco>"""
