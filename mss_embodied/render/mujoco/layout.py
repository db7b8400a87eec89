"""Placement of objects in the scene tree: model building, decoration, poses and surface layout."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from mss_embodied.data.looks import LookSpec
from mss_embodied.render.mujoco.fixtures import FIXTURE_BUILDERS
from mss_embodied.render.mujoco.looks import model_from_look
from mss_embodied.render.mujoco.objects import PORTABLE_BUILDERS, WATER
from mss_embodied.render.mujoco.parts import (
    Model3D,
    Part,
    Surface,
    bounds,
    box,
    cyl,
    ell,
    euler_matrix,
    scale_part,
    sph,
    tint,
)
from mss_embodied.world.state import ObjectState

PLACED_SCALE = 1.3  # small portables are drawn a little larger than life so they read at 512 px


class UnknownObjectTypeError(ValueError):
    """An object type the MuJoCo renderer has no model for."""

    def __init__(self, type_name: str) -> None:
        super().__init__(
            f"MuJoCo renderer has no model for object type {type_name!r}: declare it under the scene's "
            "'types' with a 'look' (docs/adding_a_scene.md), or use a catalogue type"
        )
        self.type_name = type_name


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


def build_model(o: ObjectState, width: float | None = None, generic_fallback: bool = False,
                looks: Mapping[str, LookSpec] | None = None) -> Model3D:
    """The geometry for one object, with its state (wet, broken, hot, lit) shown; a scene's own types
    are built from their ``looks``."""
    if looks and o.type in looks:
        model = model_from_look(looks[o.type], o)
    elif o.type in FIXTURE_BUILDERS:
        model = FIXTURE_BUILDERS[o.type](o, width)
    elif o.type in PORTABLE_BUILDERS:
        model = scaled(PORTABLE_BUILDERS[o.type](o), PLACED_SCALE)
    elif generic_fallback:
        model = _generic(o)
    else:
        raise UnknownObjectTypeError(o.type)
    return _decorate(o, model)


def scaled(model: Model3D, s: float) -> Model3D:
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


def is_flat(model: Model3D) -> bool:
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
    if not is_flat(model):
        return (0.0, 0.0, 0.0)
    lo, hi = bounds(model.parts)
    ext = hi - lo
    if mode == "in" and ext[0] > 3 * ext[1]:
        return (0.0, _RAISE_LONG, 0.0)
    return (tilt, 0.0, 0.0)


_TILT = {"on": 25.0, "in": 60.0, "deep": 65.0}
_RAISE_LONG = -22.0


def _liquid_model(model: Model3D, surface: Surface, host: Model3D | None) -> tuple[Model3D, float]:
    """Water in an open container fills it (to 70% of the rim, 85% of its width); on a surface it is a
    puddle no wider than the surface. Returns the model and the height its base sits at."""
    if surface.mode == "deep":
        lo, hi = bounds(host.parts) if host is not None else (np.zeros(3), np.zeros(3))
        r = max(0.85 * min(float(hi[0] - lo[0]), float(hi[1] - lo[1])) / 2, min(surface.half), 0.01)
        hh = max(surface.rim * 0.35, 0.004)
        base = surface.center[2] - (surface.rim * 0.3 if host is not None else 0.0)
        return Model3D((cyl(r, hh, z=hh, rgba=(WATER[0], WATER[1], WATER[2], 0.8), specular=1.0),)), base
    lo, hi = bounds(model.parts)
    fit = min(1.0, 2 * surface.half[0] / max(float(hi[0] - lo[0]), 1e-3),
              2 * surface.half[1] / max(float(hi[1] - lo[1]), 1e-3))
    return (scaled(model, fit) if fit < 1.0 else model), surface.center[2]


def layout(children: list[Node], surface: Surface, base_z: float = 0.0, host: Model3D | None = None) -> None:
    """Set child poses on a surface (of ``host``): liquids spread under (or fill an open container),
    others side by side in id order."""
    liquids = [c for c in children if c.obj.has("liquid") and c.obj.type == "Water"]
    items = sorted((c for c in children if c not in liquids), key=lambda c: c.obj.id)
    cx, cy, cz = surface.center
    for i, c in enumerate(liquids):
        c.model, z = _liquid_model(c.model, surface, host)
        c.pos = (cx + 0.03 * i, cy + 0.02 * i, z + 0.0005 * (i + 1))
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
        t = _TILT["deep"] if is_flat(c.model) else 0.0
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


def place_wrapper(node: Node, parent: Node) -> None:
    """Foil "around" something: a crinkled silver shell over the parent's bounding box."""
    lo, hi = bounds(parent.model.parts)
    half = (hi - lo) / 2 * 1.2 + 0.01
    c = (lo + hi) / 2
    foil = (0.86, 0.87, 0.9, 1.0)
    node.model = Model3D((ell(half[0], half[1], half[2], c[0], c[1], c[2], foil, specular=1.0, reflectance=0.3),
                          ell(half[0] * 0.5, half[1] * 0.6, 0.01, c[0] + half[0] * 0.3, c[1], hi[2] + 0.01, foil,
                              euler=(0, 15, 20), specular=1.0)))
    node.pos, node.euler = (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)


