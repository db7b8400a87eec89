"""Fixtures and large receptacles (microwave, burner, sink, sofa, bag, ...) from primitives.

Each builder takes the object state (on/open flags change the geometry: a lit burner glows, an
open microwave door swings out) and an optional width from the room slot (counter runs).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from mss_embodied.render.mujoco.objects import DARK, METAL, STEEL, WATER, WHITE
from mss_embodied.render.mujoco.parts import RGBA, Model3D, Part, Surface, box, cyl, ell, rod
from mss_embodied.world.state import ObjectState

FixtureBuilder = Callable[[ObjectState, float | None], Model3D]

WOOD: RGBA = (0.78, 0.6, 0.42, 1)
DARK_WOOD: RGBA = (0.45, 0.3, 0.2, 1)
FABRIC: RGBA = (0.35, 0.45, 0.6, 1)
GLOW_RED: RGBA = (1.0, 0.28, 0.05, 1)
GLOW_ORANGE: RGBA = (1.0, 0.6, 0.12, 1)
WATER_STREAM: RGBA = (0.55, 0.78, 1.0, 0.65)


def _door(hinge_x: float, y: float, width: float, z: float, hz: float, rgba: RGBA, depth: float = 0.015) -> list[Part]:
    """An open door hinged on its left edge, swung ~100 degrees towards the viewer."""
    angle = -100.0
    a = math.radians(angle)
    cx, cy = hinge_x + width / 2 * math.cos(a), y + width / 2 * math.sin(a)
    return [box(width / 2, depth, hz, cx, cy, z, rgba, euler=(0.0, 0.0, angle))]


def _shell(hx: float, hy: float, hz: float, t: float, rgba: RGBA, z0: float = 0.0, **kw: object) -> list[Part]:
    """An open-fronted box (bottom, top, sides, back), so contents can be seen inside."""
    return [
        box(hx, hy, t, 0, 0, z0 + t, rgba, **kw),
        box(hx, hy, t, 0, 0, z0 + 2 * hz - t, rgba, **kw),
        box(t, hy, hz, -hx + t, 0, z0 + hz, rgba, **kw),
        box(t, hy, hz, hx - t, 0, z0 + hz, rgba, **kw),
        box(hx, t, hz, 0, hy - t, z0 + hz, rgba, **kw),
    ]


# --- kitchen -------------------------------------------------------------------------------
def microwave(o: ObjectState, width: float | None = None) -> Model3D:
    body = (0.92, 0.92, 0.9, 1)
    # Off, the cavity is dark (as a real one is), so pale metal and devices inside stand out.
    inner = (1.0, 0.85, 0.45, 1) if o.is_on else (0.3, 0.3, 0.32, 1)
    glow = 0.7 if o.is_on else 0.0
    parts = [
        box(0.175, 0.18, 0.005, -0.07, 0.0, 0.02, inner, emission=glow),
        box(0.175, 0.005, 0.13, -0.07, 0.175, 0.15, inner, emission=glow),
        box(0.005, 0.18, 0.13, -0.24, 0.0, 0.15, inner, emission=glow),
        box(0.005, 0.18, 0.13, 0.1, 0.0, 0.15, inner, emission=glow),
        box(0.175, 0.18, 0.005, -0.07, 0.0, 0.28, inner, emission=glow),
    ]
    parts += [
        box(0.25, 0.19, 0.01, 0, 0, 0.01, body),
        box(0.25, 0.19, 0.01, 0, 0, 0.29, body),
        box(0.01, 0.19, 0.15, -0.245, 0, 0.15, body),
        box(0.25, 0.01, 0.15, 0, 0.185, 0.15, body),
        box(0.075, 0.19, 0.15, 0.175, 0, 0.15, (0.2, 0.2, 0.22, 1)),
        cyl(0.13, 0.003, -0.07, 0.0, 0.028, (0.85, 0.92, 0.95, 0.5)),
    ]
    display = (0.2, 1.0, 0.4, 1) if o.is_on else (0.05, 0.15, 0.08, 1)
    parts.append(box(0.05, 0.002, 0.02, 0.175, -0.192, 0.24, display, emission=0.9 if o.is_on else 0.0))
    parts += [
        box(0.012, 0.002, 0.01, 0.145 + 0.03 * (i % 3), -0.192, 0.19 - 0.03 * (i // 3), (0.75, 0.75, 0.78, 1))
        for i in range(9)
    ]
    frame = (0.15, 0.15, 0.16, 1)
    window = (0.2, 0.2, 0.2, 0.12) if not o.is_on else (1.0, 0.9, 0.6, 0.18)
    if o.is_open:
        parts += _door(-0.25, -0.2, 0.35, 0.15, 0.14, frame)
    else:
        parts += [
            box(0.175, 0.008, 0.02, -0.075, -0.195, 0.27, frame),
            box(0.175, 0.008, 0.02, -0.075, -0.195, 0.03, frame),
            box(0.02, 0.008, 0.14, -0.23, -0.195, 0.15, frame),
            box(0.02, 0.008, 0.14, 0.08, -0.195, 0.15, frame),
            box(0.14, 0.004, 0.1, -0.075, -0.196, 0.15, window, specular=1.0),
        ]
    return Model3D(
        tuple(parts), Surface((-0.07, -0.02, 0.032), (0.13, 0.1), "in"), focus=(0.0, -0.1, 0.13), view_distance=0.75
    )


def stove_burner(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [box(0.14, 0.13, 0.006, z=0.006, rgba=(0.05, 0.05, 0.06, 1), specular=1.0, reflectance=0.2)]
    if o.is_on:
        parts += [
            cyl(0.1, 0.002, z=0.013, rgba=GLOW_RED, emission=1.0),
            cyl(0.075, 0.0025, z=0.0135, rgba=(0.8, 0.12, 0.03, 1), emission=0.8),
            cyl(0.055, 0.003, z=0.014, rgba=GLOW_ORANGE, emission=1.0),
            cyl(0.03, 0.0035, z=0.0145, rgba=(0.7, 0.1, 0.02, 1), emission=0.8),
            cyl(0.125, 0.001, z=0.0125, rgba=(1.0, 0.4, 0.08, 0.5), emission=1.0),
        ]
    else:
        parts += [
            cyl(0.1, 0.002, z=0.013, rgba=(0.22, 0.22, 0.24, 1)),
            cyl(0.075, 0.0025, z=0.0135, rgba=(0.1, 0.1, 0.11, 1)),
            cyl(0.055, 0.003, z=0.014, rgba=(0.22, 0.22, 0.24, 1)),
            cyl(0.03, 0.0035, z=0.0145, rgba=(0.1, 0.1, 0.11, 1)),
        ]
    return Model3D(tuple(parts), Surface((0, 0, 0.018), (0.06, 0.06), "on"), focus=(0, 0, 0.02), view_distance=0.7)


def oven(o: ObjectState, width: float | None = None) -> Model3D:
    body = (0.85, 0.86, 0.88, 1)
    inner = (1.0, 0.45, 0.1, 1) if o.is_on else (0.12, 0.12, 0.13, 1)
    parts = [
        *_shell(0.3, 0.3, 0.46, 0.02, body),
        box(0.28, 0.28, 0.005, 0, 0.0, 0.35, (0.5, 0.5, 0.5, 1)),
        box(0.26, 0.01, 0.36, 0, 0.26, 0.46, inner, emission=0.8 if o.is_on else 0.0),
        box(0.3, 0.01, 0.06, 0, -0.3, 0.86, (0.2, 0.2, 0.22, 1)),
    ]
    parts += [cyl(0.02, 0.01, x, -0.315, 0.86, (0.8, 0.8, 0.82, 1), euler=(90, 0, 0)) for x in (-0.2, -0.1, 0.1, 0.2)]
    if o.is_open:
        parts += [box(0.3, 0.25, 0.015, 0, -0.55, 0.12, body)]
    else:
        window = (1.0, 0.55, 0.2, 0.35) if o.is_on else (0.1, 0.1, 0.1, 0.45)
        parts += [
            box(0.3, 0.015, 0.04, 0, -0.3, 0.76, body),
            box(0.3, 0.015, 0.06, 0, -0.3, 0.1, body),
            box(0.04, 0.015, 0.3, -0.26, -0.3, 0.46, body),
            box(0.04, 0.015, 0.3, 0.26, -0.3, 0.46, body),
            box(0.22, 0.006, 0.26, 0, -0.3, 0.44, window, emission=0.4 if o.is_on else 0.0, specular=1.0),
            rod((-0.22, -0.34, 0.72), (0.22, -0.34, 0.72), 0.012, STEEL, **METAL),
        ]
    return Model3D(tuple(parts), Surface((0, -0.05, 0.36), (0.2, 0.15), "in"), focus=(0, -0.3, 0.55), view_distance=1.0)


def sink_basin(o: ObjectState, width: float | None = None) -> Model3D:
    steel = (0.7, 0.72, 0.75, 1)
    parts = [
        box(0.27, 0.2, 0.004, z=0.004, rgba=(0.5, 0.52, 0.55, 1), specular=0.9),
        box(0.29, 0.015, 0.03, 0, -0.215, 0.03, steel, **METAL),
        box(0.29, 0.015, 0.03, 0, 0.215, 0.03, steel, **METAL),
        box(0.015, 0.2, 0.03, -0.285, 0, 0.03, steel, **METAL),
        box(0.015, 0.2, 0.03, 0.285, 0, 0.03, steel, **METAL),
        cyl(0.025, 0.005, 0.0, 0.05, 0.005, DARK),
    ]
    return Model3D(
        tuple(parts), Surface((0, -0.03, 0.01), (0.2, 0.12), "on"), focus=(0, -0.05, 0.05), view_distance=0.75
    )


def faucet(o: ObjectState, width: float | None = None) -> Model3D:
    chrome = (0.85, 0.87, 0.9, 1)
    parts = [
        cyl(0.03, 0.01, z=0.01, rgba=chrome, **METAL),
        rod((0, 0, 0.01), (0, 0, 0.3), 0.016, chrome, **METAL),
        rod((0, 0, 0.3), (0, -0.2, 0.3), 0.014, chrome, **METAL),
        rod((0, -0.2, 0.3), (0, -0.2, 0.27), 0.014, chrome, **METAL),
        rod((0.0, 0, 0.2), (0.08, 0.0, 0.24 if o.is_on else 0.2), 0.008, chrome, **METAL),
        cyl(0.01, 0.01, 0.085, 0, 0.24 if o.is_on else 0.2, (0.2, 0.4, 0.9, 1) if o.is_on else (0.6, 0.6, 0.6, 1)),
    ]
    if o.is_on:
        parts += [
            rod((0, -0.2, 0.26), (0, -0.2, 0.005), 0.016, WATER_STREAM, shape="cylinder", emission=0.3, specular=1.0),
            rod((0, -0.2, 0.26), (0, -0.2, 0.005), 0.008, (0.9, 0.97, 1.0, 0.85), shape="cylinder", emission=0.5),
            ell(0.06, 0.05, 0.01, 0, -0.2, 0.01, (0.8, 0.92, 1.0, 0.7), emission=0.3),
        ]
    return Model3D(tuple(parts), None, focus=(0, -0.2, 0.15), view_distance=0.8)


def fridge(o: ObjectState, width: float | None = None) -> Model3D:
    body = (0.9, 0.91, 0.93, 1)
    inner = (0.97, 0.97, 0.99, 1)
    parts = [
        *_shell(0.4, 0.35, 0.9, 0.03, body, specular=0.7),
        box(0.37, 0.32, 0.01, 0, 0, 0.95, (0.85, 0.92, 0.95, 0.8)),
        box(0.37, 0.32, 0.01, 0, 0, 0.6, (0.85, 0.92, 0.95, 0.8)),
        box(0.37, 0.01, 0.85, 0, 0.31, 0.9, inner, emission=0.3 if o.is_open else 0.0),
        box(0.37, 0.33, 0.015, 0, 0, 1.28, body),
    ]
    parts += [
        box(0.4, 0.03, 0.26, 0, -0.36, 1.53, body, specular=0.7),
        rod((0.32, -0.41, 1.35), (0.32, -0.41, 1.6), 0.012, STEEL),
    ]
    if o.is_open:
        parts += _door(-0.4, -0.37, 0.8, 0.64, 0.6, body, depth=0.03)
    else:
        parts += [
            box(0.4, 0.03, 0.6, 0, -0.36, 0.64, body, specular=0.7),
            rod((0.32, -0.41, 0.9), (0.32, -0.41, 1.2), 0.012, STEEL, **METAL),
        ]
    return Model3D(tuple(parts), Surface((0, -0.05, 0.96), (0.3, 0.2), "in"), focus=(0, -0.3, 1.0), view_distance=1.4)


def counter_top(o: ObjectState, width: float | None = None) -> Model3D:
    hx = (width or 1.0) / 2
    parts = [
        box(hx, 0.29, 0.44, 0, 0.02, 0.44, WOOD, texture="wood"),
        box(hx + 0.01, 0.31, 0.02, 0, 0, 0.9, (0.95, 0.95, 0.95, 1), texture="marble", specular=0.8),
    ]
    n = max(1, round(hx * 2 / 0.5))
    for i in range(n):
        x = -hx + (i + 0.5) * 2 * hx / n
        parts += [
            box(hx / n - 0.01, 0.005, 0.3, x, -0.275, 0.4, (0.85, 0.7, 0.5, 1), texture="wood"),
            box(0.04, 0.008, 0.006, x, -0.285, 0.66, STEEL, **METAL),
        ]
    return Model3D(
        tuple(parts), Surface((0, -0.05, 0.92), (hx - 0.1, 0.2), "on"), focus=(0, -0.05, 0.95), view_distance=0.8
    )


def cabinet(o: ObjectState, width: float | None = None) -> Model3D:
    hx = (width or 0.8) / 2
    parts = [*_shell(hx, 0.17, 0.35, 0.015, WOOD, texture="wood"), box(hx - 0.02, 0.15, 0.008, 0, 0, 0.35, WOOD)]
    if o.is_open:
        parts += _door(-hx, -0.18, 2 * hx, 0.35, 0.34, (0.85, 0.7, 0.5, 1))
    else:
        glass = (0.7, 0.8, 0.85, 0.3)
        parts += [
            box(hx, 0.01, 0.04, 0, -0.18, 0.04, (0.85, 0.7, 0.5, 1)),
            box(hx, 0.01, 0.04, 0, -0.18, 0.66, (0.85, 0.7, 0.5, 1)),
            box(0.04, 0.01, 0.35, -hx + 0.04, -0.18, 0.35, (0.85, 0.7, 0.5, 1)),
            box(0.04, 0.01, 0.35, hx - 0.04, -0.18, 0.35, (0.85, 0.7, 0.5, 1)),
            box(0.02, 0.01, 0.35, 0, -0.18, 0.35, (0.85, 0.7, 0.5, 1)),
            box(hx - 0.06, 0.004, 0.28, 0, -0.18, 0.35, glass, specular=1.0),
        ]
    return Model3D(
        tuple(parts), Surface((0, 0, 0.36), (hx - 0.08, 0.1), "in"), focus=(0, -0.1, 0.35), view_distance=1.0
    )


def drawer(o: ObjectState, width: float | None = None) -> Model3D:
    y = -0.3 if o.is_open else 0.0
    parts = [
        box(0.25, 0.01, 0.08, 0, y - 0.2, 0.08, (0.85, 0.7, 0.5, 1), texture="wood"),
        box(0.05, 0.01, 0.008, 0, y - 0.215, 0.1, STEEL, **METAL),
    ]
    if o.is_open:
        parts += [
            box(0.23, 0.19, 0.005, 0, y, 0.01, WOOD),
            box(0.005, 0.19, 0.06, -0.23, y, 0.06, WOOD),
            box(0.005, 0.19, 0.06, 0.23, y, 0.06, WOOD),
        ]
    return Model3D(
        tuple(parts),
        Surface((0, y, 0.02 if o.is_open else 0.3), (0.18, 0.12), "on"),
        focus=(0, y - 0.1, 0.1),
        view_distance=0.8,
    )


# --- furniture -----------------------------------------------------------------------------
def _table(hx: float, hy: float, h: float, top: RGBA, legs: RGBA, texture: str | None = "wood") -> list[Part]:
    parts = [box(hx, hy, 0.02, 0, 0, h - 0.02, top, texture=texture)]
    parts += [
        box(0.025, 0.025, (h - 0.04) / 2, sx * (hx - 0.05), sy * (hy - 0.05), (h - 0.04) / 2, legs)
        for sx in (-1, 1)
        for sy in (-1, 1)
    ]
    return parts


def dining_table(o: ObjectState, width: float | None = None) -> Model3D:
    return Model3D(
        tuple(_table(0.7, 0.45, 0.76, WOOD, DARK_WOOD)),
        Surface((0, -0.05, 0.76), (0.55, 0.3), "on"),
        focus=(0, -0.1, 0.76),
        view_distance=1.0,
    )


def coffee_table(o: ObjectState, width: float | None = None) -> Model3D:
    return Model3D(
        tuple(_table(0.5, 0.28, 0.42, DARK_WOOD, DARK_WOOD)),
        Surface((0, 0, 0.42), (0.4, 0.18), "on"),
        focus=(0, 0, 0.42),
        view_distance=0.9,
    )


def side_table(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        *_table(0.24, 0.22, 0.6, WOOD, DARK_WOOD),
        box(0.22, 0.2, 0.08, 0, 0, 0.48, WOOD, texture="wood"),
        box(0.03, 0.006, 0.01, 0, -0.205, 0.48, STEEL),
    ]
    return Model3D(tuple(parts), Surface((0, 0, 0.6), (0.17, 0.15), "on"), focus=(0, 0, 0.62), view_distance=0.8)


def desk(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        box(0.65, 0.33, 0.02, 0, 0, 0.74, (0.9, 0.88, 0.84, 1)),
        box(0.2, 0.3, 0.36, 0.43, 0, 0.36, WOOD, texture="wood"),
        box(0.02, 0.3, 0.36, -0.62, 0, 0.36, WOOD, texture="wood"),
    ]
    parts += [box(0.19, 0.005, 0.1, 0.43, -0.3, z, (0.85, 0.7, 0.5, 1)) for z in (0.6, 0.36, 0.12)]
    parts += [box(0.03, 0.006, 0.008, 0.43, -0.31, z, STEEL) for z in (0.6, 0.36, 0.12)]
    return Model3D(
        tuple(parts), Surface((-0.05, -0.05, 0.76), (0.5, 0.22), "on"), focus=(-0.05, -0.1, 0.76), view_distance=0.95
    )


def _seat(hx: float, depth: float, rgba: RGBA, cushions: int) -> list[Part]:
    parts = [
        box(hx, depth / 2, 0.12, 0, 0, 0.2, rgba),
        box(hx, 0.12, 0.28, 0, depth / 2 - 0.12, 0.55, rgba),
        box(0.1, depth / 2, 0.15, -hx + 0.1, 0, 0.45, rgba),
        box(0.1, depth / 2, 0.15, hx - 0.1, 0, 0.45, rgba),
    ]
    inner = hx - 0.2
    light = (min(rgba[0] + 0.08, 1), min(rgba[1] + 0.08, 1), min(rgba[2] + 0.08, 1), 1.0)
    for i in range(cushions):
        cx = -inner + (i + 0.5) * 2 * inner / cushions
        parts.append(box(inner / cushions - 0.01, depth / 2 - 0.15, 0.06, cx, -0.1, 0.37, light))
    parts += [
        box(0.03, 0.03, 0.04, sx * (hx - 0.05), sy * (depth / 2 - 0.05), 0.04, DARK_WOOD)
        for sx in (-1, 1)
        for sy in (-1, 1)
    ]
    return parts


def sofa(o: ObjectState, width: float | None = None) -> Model3D:
    return Model3D(
        tuple(_seat(1.0, 0.9, FABRIC, 3)),
        Surface((0, -0.1, 0.43), (0.7, 0.22), "on"),
        focus=(0, -0.15, 0.45),
        view_distance=1.3,
    )


def arm_chair(o: ObjectState, width: float | None = None) -> Model3D:
    return Model3D(
        tuple(_seat(0.45, 0.85, (0.6, 0.25, 0.2, 1), 1)),
        Surface((0, -0.1, 0.43), (0.2, 0.2), "on"),
        focus=(0, -0.1, 0.45),
        view_distance=1.1,
    )


def chair(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        box(0.22, 0.22, 0.025, 0, 0, 0.46, WOOD, texture="wood"),
        box(0.22, 0.02, 0.22, 0, 0.2, 0.7, WOOD, texture="wood"),
    ]
    parts += [box(0.02, 0.02, 0.23, sx * 0.19, sy * 0.19, 0.23, DARK_WOOD) for sx in (-1, 1) for sy in (-1, 1)]
    return Model3D(tuple(parts), Surface((0, -0.02, 0.485), (0.15, 0.15), "on"), focus=(0, 0, 0.5), view_distance=0.9)


def bed(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        box(0.8, 1.05, 0.15, 0, 0, 0.2, DARK_WOOD),
        box(0.78, 1.0, 0.1, 0, 0, 0.45, WHITE),
        box(0.8, 0.04, 0.5, 0, 1.03, 0.5, DARK_WOOD, texture="wood"),
        box(0.79, 0.65, 0.03, 0, -0.35, 0.56, (0.45, 0.6, 0.8, 1)),
        ell(0.3, 0.15, 0.07, -0.38, 0.78, 0.6, WHITE),
        ell(0.3, 0.15, 0.07, 0.38, 0.78, 0.6, WHITE),
    ]
    return Model3D(tuple(parts), Surface((0, -0.45, 0.59), (0.6, 0.3), "on"), focus=(0, -0.45, 0.6), view_distance=1.2)


def shelf(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        box(0.45, 0.01, 0.9, 0, 0.16, 0.9, DARK_WOOD),
        box(0.015, 0.17, 0.9, -0.45, 0, 0.9, WOOD, texture="wood"),
        box(0.015, 0.17, 0.9, 0.45, 0, 0.9, WOOD, texture="wood"),
    ]
    parts += [box(0.45, 0.17, 0.012, 0, 0, z, WOOD, texture="wood") for z in (0.05, 0.5, 1.0, 1.45, 1.78)]
    cols = [(0.7, 0.15, 0.15, 1), (0.15, 0.35, 0.65, 1), (0.2, 0.55, 0.3, 1), (0.85, 0.65, 0.2, 1)]
    parts += [
        box(0.02, 0.1, 0.15 - 0.02 * (i % 3), -0.4 + 0.045 * i, 0.03, 1.62 - 0.02 * (i % 3), cols[i % 4])
        for i in range(8)
    ]
    parts += [
        box(0.02, 0.1, 0.15 - 0.02 * (i % 2), 0.1 + 0.045 * i, 0.03, 0.2 - 0.02 * (i % 2), cols[(i + 1) % 4])
        for i in range(6)
    ]
    return Model3D(tuple(parts), Surface((0, -0.02, 1.012), (0.38, 0.1), "on"), focus=(0, 0, 1.05), view_distance=1.0)


def tv_stand(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        box(0.7, 0.22, 0.24, 0, 0, 0.26, DARK_WOOD, texture="wood"),
        box(0.32, 0.005, 0.16, -0.35, -0.22, 0.26, WOOD),
        box(0.32, 0.005, 0.16, 0.35, -0.22, 0.26, WOOD),
    ]
    return Model3D(tuple(parts), Surface((0.35, -0.05, 0.5), (0.25, 0.12), "on"), focus=(0, 0, 0.5), view_distance=1.1)


def television(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        box(0.15, 0.08, 0.01, 0, 0, 0.01, DARK),
        box(0.02, 0.02, 0.08, 0, 0.02, 0.09, DARK),
        box(0.55, 0.025, 0.32, 0, 0.02, 0.48, DARK, specular=0.9),
    ]
    if o.is_on:
        parts += [
            box(0.52, 0.002, 0.29, 0, -0.006, 0.48, (0.3, 0.6, 0.95, 1), emission=0.8),
            box(0.52, 0.0025, 0.1, 0, -0.007, 0.29, (0.3, 0.75, 0.35, 1), emission=0.8),
            ell(0.08, 0.003, 0.08, 0.3, -0.008, 0.62, (1.0, 0.9, 0.3, 1), emission=1.0),
        ]
    else:
        parts.append(box(0.52, 0.002, 0.29, 0, -0.006, 0.48, (0.05, 0.06, 0.08, 1), specular=1.0, reflectance=0.3))
    return Model3D(tuple(parts), Surface((0, -0.05, 0.02), (0.12, 0.05), "on"), focus=(0, 0, 0.45), view_distance=1.4)


def dresser(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [box(0.5, 0.24, 0.45, 0, 0, 0.45, WOOD, texture="wood")]
    parts += [box(0.47, 0.005, 0.12, 0, -0.245, z, (0.85, 0.7, 0.5, 1)) for z in (0.16, 0.45, 0.74)]
    parts += [box(0.05, 0.008, 0.008, 0, -0.255, z, STEEL) for z in (0.16, 0.45, 0.74)]
    return Model3D(tuple(parts), Surface((0, 0, 0.9), (0.4, 0.15), "on"), focus=(0, 0, 0.92), view_distance=1.0)


# --- bathroom, bins, bags, floor -------------------------------------------------------------
def garbage_can(o: ObjectState, width: float | None = None) -> Model3D:
    grey = (0.45, 0.47, 0.5, 1)
    parts = [cyl(0.18, 0.005, z=0.005, rgba=grey)]
    for i in range(12):
        a = 2 * math.pi * i / 12
        parts.append(
            box(
                0.05,
                0.008,
                0.22,
                0.175 * math.cos(a),
                0.175 * math.sin(a),
                0.22,
                grey,
                euler=(0, 0, math.degrees(a) + 90),
            )
        )
    parts += [cyl(0.17, 0.003, z=0.3, rgba=(0.08, 0.08, 0.08, 1))]
    return Model3D(
        tuple(parts), Surface((0, 0, 0.3), (0.09, 0.09), "deep", rim=0.14), focus=(0, 0, 0.38), view_distance=0.8
    )


def toilet(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        ell(0.2, 0.26, 0.2, 0, -0.05, 0.2, WHITE, specular=0.8),
        box(0.12, 0.12, 0.15, 0, 0, 0.12, WHITE),
        box(0.22, 0.1, 0.2, 0, 0.25, 0.6, WHITE, specular=0.8),
        ell(0.2, 0.26, 0.02, 0, -0.05, 0.4, (0.92, 0.92, 0.92, 1)),
        ell(0.14, 0.19, 0.022, 0, -0.06, 0.4, (0.45, 0.7, 0.9, 1), specular=1.0),
    ]
    return Model3D(
        tuple(parts), Surface((0, -0.06, 0.41), (0.08, 0.1), "on"), focus=(0, -0.05, 0.42), view_distance=0.8
    )


def bathtub(o: ObjectState, width: float | None = None) -> Model3D:
    parts = [
        *[p for p in _shell(0.8, 0.38, 0.28, 0.04, WHITE)[:1]],
        box(0.04, 0.38, 0.28, -0.76, 0, 0.28, WHITE),
        box(0.04, 0.38, 0.28, 0.76, 0, 0.28, WHITE),
        box(0.8, 0.04, 0.28, 0, 0.34, 0.28, WHITE),
        box(0.8, 0.04, 0.28, 0, -0.34, 0.28, WHITE),
        box(0.72, 0.3, 0.01, 0, 0, 0.3, WATER),
    ]
    return Model3D(tuple(parts), Surface((0, 0, 0.31), (0.5, 0.2), "on"), focus=(0, 0, 0.35), view_distance=1.1)


def bag(o: ObjectState, width: float | None = None) -> Model3D:
    navy = (0.12, 0.2, 0.45, 1)
    strap = (0.08, 0.12, 0.3, 1)
    parts = [
        box(0.26, 0.14, 0.01, z=0.01, rgba=navy),
        box(0.26, 0.01, 0.1, 0, -0.14, 0.1, navy),
        box(0.26, 0.01, 0.15, 0, 0.14, 0.15, navy),
        box(0.01, 0.14, 0.12, -0.26, 0, 0.12, navy),
        box(0.01, 0.14, 0.12, 0.26, 0, 0.12, navy),
        box(0.16, 0.006, 0.05, 0, -0.15, 0.09, (0.2, 0.3, 0.6, 1)),
        box(0.05, 0.005, 0.008, 0, -0.157, 0.12, (0.85, 0.85, 0.85, 1)),
        rod((-0.12, -0.14, 0.2), (-0.06, -0.14, 0.32), 0.012, strap),
        rod((-0.06, -0.14, 0.32), (0.06, -0.14, 0.32), 0.012, strap),
        rod((0.06, -0.14, 0.32), (0.12, -0.14, 0.2), 0.012, strap),
        rod((-0.12, 0.14, 0.3), (-0.06, 0.14, 0.4), 0.012, strap),
        rod((-0.06, 0.14, 0.4), (0.06, 0.14, 0.4), 0.012, strap),
        rod((0.06, 0.14, 0.4), (0.12, 0.14, 0.3), 0.012, strap),
    ]
    return Model3D(
        tuple(parts), Surface((0, 0, 0.02), (0.2, 0.09), "deep", rim=0.18), focus=(0, 0, 0.2), view_distance=0.7
    )


def cardboard_box(o: ObjectState, width: float | None = None) -> Model3D:
    card = (0.72, 0.55, 0.35, 1)
    parts = [
        box(0.25, 0.18, 0.01, z=0.01, rgba=card),
        box(0.25, 0.01, 0.15, 0, -0.18, 0.15, card),
        box(0.25, 0.01, 0.15, 0, 0.18, 0.15, card),
        box(0.01, 0.18, 0.15, -0.25, 0, 0.15, card),
        box(0.01, 0.18, 0.15, 0.25, 0, 0.15, card),
        box(0.25, 0.01, 0.09, 0, -0.24, 0.32, (0.68, 0.5, 0.32, 1), euler=(-40, 0, 0)),
        box(0.25, 0.01, 0.09, 0, 0.24, 0.32, (0.68, 0.5, 0.32, 1), euler=(40, 0, 0)),
    ]
    return Model3D(
        tuple(parts), Surface((0, 0, 0.02), (0.18, 0.1), "deep", rim=0.28), focus=(0, 0, 0.2), view_distance=0.8
    )


def floor(o: ObjectState, width: float | None = None) -> Model3D:
    """The floor is drawn by the room; as a receptacle it is just an open patch."""
    return Model3D((), Surface((0, 0, 0.0), (0.45, 0.3), "on"), focus=(0, 0, 0.0), view_distance=1.2)


FIXTURE_BUILDERS: dict[str, FixtureBuilder] = {
    "Microwave": microwave,
    "StoveBurner": stove_burner,
    "Oven": oven,
    "SinkBasin": sink_basin,
    "Faucet": faucet,
    "Fridge": fridge,
    "CounterTop": counter_top,
    "DiningTable": dining_table,
    "CoffeeTable": coffee_table,
    "SideTable": side_table,
    "Desk": desk,
    "Sofa": sofa,
    "ArmChair": arm_chair,
    "Chair": chair,
    "Bed": bed,
    "GarbageCan": garbage_can,
    "Toilet": toilet,
    "Bathtub": bathtub,
    "Shelf": shelf,
    "Cabinet": cabinet,
    "Drawer": drawer,
    "TVStand": tv_stand,
    "Television": television,
    "Dresser": dresser,
    "Floor": floor,
    "Bag": bag,
    "Box": cardboard_box,
}


def basin_water(model: Model3D) -> Part:
    """A thin translucent water layer filling a basin's surface area."""
    s = model.surface
    assert s is not None
    return box(
        s.half[0] + 0.05,
        s.half[1] + 0.05,
        0.006,
        s.center[0],
        s.center[1] + 0.03,
        s.center[2] + 0.006,
        WATER,
        specular=1.0,
        emission=0.15,
    )
