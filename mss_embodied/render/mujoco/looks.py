"""Geometry for scene-declared object types, from their ``look`` (box, cylinder, sphere, composite).

Each primitive becomes one geom whose base sits at the part's offset; a receptacle gets its top as
the surface its contents stand on; a ``label`` floats just above the object as MuJoCo geom text.
"""

from __future__ import annotations

from dataclasses import replace

from mss_embodied.data.looks import LookSpec, PartSpec
from mss_embodied.render.mujoco.parts import Model3D, Part, Surface, bounds, box, cyl, ell, sph
from mss_embodied.world.state import ObjectState

#: A flame on a lit ignition source.
FLAME = ((1.0, 0.62, 0.1, 1.0), (1.0, 0.95, 0.6, 1.0))


def _part(p: PartSpec) -> Part:
    x, y, z = p.offset
    rgba = (*p.colour, 1.0)
    if p.shape == "box":
        w, d, h = p.size
        return box(w / 2, d / 2, h / 2, x, y, z + h / 2, rgba)
    if p.shape == "cylinder":
        diameter, h = p.size
        return cyl(diameter / 2, h / 2, x, y, z + h / 2, rgba)
    r = p.size[0] / 2
    return sph(r, x, y, z + r, rgba)


def model_from_look(look: LookSpec, o: ObjectState) -> Model3D:
    """The object's geometry, with a flame on top when it is a lit ignition source."""
    parts = [_part(p) for p in look.primitives()]
    lo, hi = bounds(parts)
    cx, cy = float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2
    surface = None
    if o.has("receptacle", "container"):
        half = (max(float(hi[0] - lo[0]) / 2 - 0.01, 0.03), max(float(hi[1] - lo[1]) / 2 - 0.01, 0.03))
        surface = Surface((float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2, float(hi[2])), half, "on")
    if o.has("lit"):
        parts += [ell(0.012, 0.012, 0.028, cx, cy, float(hi[2]) + 0.03, FLAME[0], emission=1.0),
                  ell(0.006, 0.006, 0.014, cx, cy, float(hi[2]) + 0.022, FLAME[1], emission=1.0)]
    if look.label:  # MuJoCo draws a geom's label at the geom: anchor it on a speck atop the object
        parts.append(replace(sph(0.002, cx, cy, float(hi[2]) - 0.001, parts[0].rgba), label=look.label))
    extent = max(float(hi[0] - lo[0]), float(hi[2] - lo[2]))
    return Model3D(tuple(parts), surface, view_distance=max(0.7, 2.2 * extent))
