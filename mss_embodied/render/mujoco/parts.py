"""Geometry primitives shared by the MuJoCo object library and scene builder.

Objects are plain tuples of ``Part`` (one MuJoCo geom each) in a local frame whose origin is the
centre of the object's base, z up, front facing -y. Keeping them as data, not XML, lets the scene
builder scale, tilt, tint and lay them out, and keeps the generated XML (the cache key) stable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

Vec3 = tuple[float, float, float]
RGBA = tuple[float, float, float, float]


@dataclass(frozen=True)
class Part:
    """One geom: MuJoCo half-sizes; either pos+euler (degrees, intrinsic xyz) or fromto."""

    shape: str
    size: tuple[float, ...]
    pos: Vec3 = (0.0, 0.0, 0.0)
    rgba: RGBA = (0.7, 0.7, 0.7, 1.0)
    euler: Vec3 = (0.0, 0.0, 0.0)
    fromto: tuple[float, float, float, float, float, float] | None = None
    texture: str | None = None  # a shared textured material (see mujoco_scene.TEXTURES)
    emission: float = 0.0
    specular: float = 0.3
    reflectance: float = 0.0
    label: str | None = None  # text MuJoCo draws at the geom (scene-declared types' labels)


@dataclass(frozen=True)
class Surface:
    """Where children go, in the owner's local frame: a rectangle at height ``z``.

    ``mode`` is "on" (lie on top), "in" (an enclosure seen through a door: flat things lean
    towards the viewer) or "deep" (an open-topped container: things stick out of the rim).
    """

    center: Vec3
    half: tuple[float, float]
    mode: str = "on"
    rim: float = 0.0  # for "deep": rim height above ``center`` z


@dataclass(frozen=True)
class Model3D:
    """An object's geometry plus where its contents go and where a camera should aim."""

    parts: tuple[Part, ...]
    surface: Surface | None = None
    focus: Vec3 | None = None  # camera target, local; default: bbox centre
    view_distance: float = 1.0  # horizontal camera distance when this is the focus


def box(hx: float, hy: float, hz: float, x: float = 0, y: float = 0, z: float = 0,
        rgba: RGBA = (0.7, 0.7, 0.7, 1), **kw: object) -> Part:
    return Part("box", (hx, hy, hz), (x, y, z), rgba, **kw)  # type: ignore[arg-type]


def cyl(r: float, hh: float, x: float = 0, y: float = 0, z: float = 0,
        rgba: RGBA = (0.7, 0.7, 0.7, 1), **kw: object) -> Part:
    return Part("cylinder", (r, hh), (x, y, z), rgba, **kw)  # type: ignore[arg-type]


def sph(r: float, x: float = 0, y: float = 0, z: float = 0, rgba: RGBA = (0.7, 0.7, 0.7, 1),
        **kw: object) -> Part:
    return Part("sphere", (r,), (x, y, z), rgba, **kw)  # type: ignore[arg-type]


def ell(a: float, b: float, c: float, x: float = 0, y: float = 0, z: float = 0,
        rgba: RGBA = (0.7, 0.7, 0.7, 1), **kw: object) -> Part:
    return Part("ellipsoid", (a, b, c), (x, y, z), rgba, **kw)  # type: ignore[arg-type]


def rod(p0: Vec3, p1: Vec3, r: float, rgba: RGBA = (0.7, 0.7, 0.7, 1), *, shape: str = "capsule",
        **kw: object) -> Part:
    """A capsule or cylinder between two points."""
    return Part(shape, (r,), rgba=rgba, fromto=(*p0, *p1), **kw)  # type: ignore[arg-type]


def euler_matrix(euler_deg: Vec3) -> np.ndarray:
    """Rotation for MuJoCo's default intrinsic "xyz" Euler sequence."""
    ax, ay, az = (math.radians(a) for a in euler_deg)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    return rx @ ry @ rz


def _half_extents(p: Part) -> np.ndarray:
    s = p.size
    if p.shape == "box" or p.shape == "ellipsoid":
        return np.array(s[:3])
    if p.shape == "sphere":
        return np.array([s[0]] * 3)
    if p.shape == "cylinder":
        return np.array([s[0], s[0], s[1]])
    return np.array([s[0], s[0], s[1] + s[0]])  # capsule


def part_bounds(p: Part) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned (min, max) corners of a part in its object's frame."""
    if p.fromto is not None:
        a, b = np.array(p.fromto[:3]), np.array(p.fromto[3:])
        r = p.size[0]
        return np.minimum(a, b) - r, np.maximum(a, b) + r
    half = np.abs(euler_matrix(p.euler)) @ _half_extents(p)
    c = np.array(p.pos)
    return c - half, c + half


def bounds(parts: tuple[Part, ...] | list[Part]) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned bounds of a whole object."""
    if not parts:
        return np.zeros(3), np.zeros(3)
    mins, maxs = zip(*(part_bounds(p) for p in parts), strict=True)
    return np.min(mins, axis=0), np.max(maxs, axis=0)


def scale_part(p: Part, s: float) -> Part:
    """Uniformly scale a part about the object origin."""
    if p.fromto is not None:
        return replace(p, size=tuple(v * s for v in p.size), fromto=tuple(v * s for v in p.fromto))  # type: ignore[arg-type]
    return replace(p, size=tuple(v * s for v in p.size), pos=tuple(v * s for v in p.pos))  # type: ignore[arg-type]


def tint(p: Part, factor: float, toward: RGBA | None = None, amount: float = 0.0) -> Part:
    """Darken a part (wet look) and optionally blend it towards another colour."""
    r, g, b, a = p.rgba
    rgb = [c * factor for c in (r, g, b)]
    if toward is not None:
        rgb = [(1 - amount) * c + amount * t for c, t in zip(rgb, toward[:3], strict=True)]
    return replace(p, rgba=(rgb[0], rgb[1], rgb[2], a))


def fmt(values: tuple[float, ...] | list[float] | np.ndarray) -> str:
    """Format numbers for XML with fixed precision, so equal states give byte-equal XML."""
    return " ".join(_num(float(v)) for v in values)


def _num(v: float) -> str:
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
