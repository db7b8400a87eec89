"""How a scene-declared object type looks: primitives every renderer can draw.

A scene file that declares a type the catalogue lacks (a toaster, curtains) gives it a ``look``:
one primitive (``box``, ``cylinder``, ``sphere``) or a ``composite`` of several, with sizes in
metres, colours, and an optional text label. The MuJoCo renderer builds geoms from it and the
schematic renderer draws its outline and colour, so a new type needs no package code.

Sizes are full extents: a box ``[width, depth, height]``, a cylinder ``[diameter, height]``, a
sphere ``[diameter]``. A part's ``offset`` places the middle of its base relative to the middle of
the object's base (x right, y away from the viewer, z up). Colours are ``#rrggbb``, a name from
:data:`COLOURS`, or ``[r, g, b]`` in 0-255.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

RGB = tuple[float, float, float]

#: Named colours (sRGB, 0-1).
COLOURS: dict[str, RGB] = {
    "white": (0.95, 0.95, 0.93), "black": (0.08, 0.08, 0.09), "grey": (0.55, 0.55, 0.57),
    "gray": (0.55, 0.55, 0.57), "silver": (0.78, 0.80, 0.84), "steel": (0.70, 0.72, 0.76),
    "red": (0.80, 0.10, 0.10), "green": (0.20, 0.60, 0.20), "blue": (0.15, 0.35, 0.80),
    "yellow": (0.95, 0.85, 0.20), "orange": (0.95, 0.55, 0.10), "brown": (0.45, 0.30, 0.18),
    "beige": (0.90, 0.85, 0.72), "cream": (0.97, 0.94, 0.85), "pink": (0.95, 0.60, 0.70),
    "purple": (0.50, 0.25, 0.60), "wood": (0.62, 0.45, 0.30),
}
SHAPE_ARITY: dict[str, int] = {"box": 3, "cylinder": 2, "sphere": 1}
MAX_EXTENT = 5.0  # metres: anything bigger is a typo
_HEX = re.compile(r"^#([0-9a-fA-F]{6})$")


def parse_colour(value: object) -> RGB:
    """``#rrggbb``, a colour name or ``[r, g, b]`` (0-255) as floats in 0-1; ValueError otherwise."""
    if isinstance(value, str):
        key = value.strip().lower()
        if key in COLOURS:
            return COLOURS[key]
        m = _HEX.match(value.strip())
        if m:
            h = m.group(1)
            return int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255
        raise ValueError(f"unknown colour {value!r}: use #rrggbb, [r, g, b] (0-255) or one of {sorted(COLOURS)}")
    if isinstance(value, (list, tuple)) and len(value) == 3 and all(isinstance(c, (int, float)) for c in value):
        if not all(0 <= c <= 255 for c in value):
            raise ValueError(f"colour {list(value)}: components must be in 0-255")
        return value[0] / 255, value[1] / 255, value[2] / 255
    raise ValueError(f"colour {value!r}: use #rrggbb, [r, g, b] (0-255) or a name")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_size(shape: str, size: tuple[float, ...]) -> None:
    want = SHAPE_ARITY[shape]
    if len(size) != want:
        names = {"box": "[width, depth, height]", "cylinder": "[diameter, height]", "sphere": "[diameter]"}[shape]
        raise ValueError(f"a {shape} takes size {names}, got {list(size)}")
    if not all(0 < v <= MAX_EXTENT for v in size):
        raise ValueError(f"size {list(size)}: every extent must be in (0, {MAX_EXTENT}] metres")


class PartSpec(_Strict):
    """One primitive of a composite look."""

    shape: Literal["box", "cylinder", "sphere"]
    size: tuple[float, ...]
    colour: RGB = COLOURS["grey"]
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @field_validator("colour", mode="before")
    @classmethod
    def _colour(cls, v: object) -> RGB:
        return parse_colour(v)

    @model_validator(mode="after")
    def _size(self) -> PartSpec:
        _check_size(self.shape, self.size)
        if not all(abs(v) <= MAX_EXTENT for v in self.offset):
            raise ValueError(f"offset {list(self.offset)}: keep parts within {MAX_EXTENT} m of the object")
        return self


class LookSpec(_Strict):
    """A type's look: one primitive (``shape`` + ``size`` + ``colour``) or ``composite`` ``parts``."""

    shape: Literal["box", "cylinder", "sphere", "composite"]
    size: tuple[float, ...] | None = None
    colour: RGB = COLOURS["grey"]
    parts: tuple[PartSpec, ...] = ()
    label: str | None = Field(default=None, min_length=1, max_length=32)

    @field_validator("colour", mode="before")
    @classmethod
    def _colour(cls, v: object) -> RGB:
        return parse_colour(v)

    @field_validator("label")
    @classmethod
    def _label(cls, v: str | None) -> str | None:
        if v is not None and not v.isprintable():
            raise ValueError("label: printable text only")
        return v

    @model_validator(mode="after")
    def _shape(self) -> LookSpec:
        if self.shape == "composite":
            if not self.parts:
                raise ValueError("a composite look needs 'parts'")
            if self.size is not None:
                raise ValueError("a composite look takes its size from its parts: drop 'size'")
        else:
            if self.parts:
                raise ValueError(f"'parts' belong to a composite look, not a {self.shape}")
            if self.size is None:
                raise ValueError(f"a {self.shape} look needs 'size'")
            _check_size(self.shape, self.size)
        return self

    def primitives(self) -> tuple[PartSpec, ...]:
        """The look as parts (a single primitive is one part at the origin)."""
        if self.shape == "composite":
            return self.parts
        assert self.size is not None and self.shape != "composite"
        return (PartSpec(shape=self.shape, size=self.size, colour=self.colour),)

    def extent(self) -> tuple[float, float, float]:
        """Full bounding-box extents (width, depth, height) in metres."""
        lo, hi = [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
        for p in self.primitives():
            w, d, h = _part_extent(p)
            x, y, z = p.offset
            lo = [min(lo[0], x - w / 2), min(lo[1], y - d / 2), min(lo[2], z)]
            hi = [max(hi[0], x + w / 2), max(hi[1], y + d / 2), max(hi[2], z + h)]
        return hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]


def _part_extent(p: PartSpec) -> tuple[float, float, float]:
    if p.shape == "box":
        return p.size[0], p.size[1], p.size[2]
    if p.shape == "cylinder":
        return p.size[0], p.size[0], p.size[1]
    return p.size[0], p.size[0], p.size[0]
