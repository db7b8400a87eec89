"""Portable objects built from MuJoCo primitives, one small function per AI2-THOR type.

Sizes are roughly real; colours are chosen to be told apart at a glance (a blue credit card
with a gold chip, a black phone with a lit screen), since recognisability is the point.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict

from mss_embodied.render.mujoco.parts import RGBA, Model3D, Part, Surface, box, cyl, ell, rod, sph
from mss_embodied.world.state import ObjectState

STEEL: RGBA = (0.78, 0.80, 0.84, 1)
DARK: RGBA = (0.08, 0.08, 0.09, 1)
WHITE: RGBA = (0.95, 0.95, 0.93, 1)
PAPER: RGBA = (0.97, 0.97, 0.95, 1)
INK: RGBA = (0.25, 0.25, 0.28, 1)
GLASS: RGBA = (0.75, 0.88, 0.95, 0.35)
WATER: RGBA = (0.35, 0.62, 0.98, 0.55)
GOLD: RGBA = (0.92, 0.75, 0.25, 1)


class Finish(TypedDict):
    """Material keywords for shiny metal parts."""

    specular: float
    reflectance: float


METAL: Finish = {"specular": 0.9, "reflectance": 0.25}

Builder = Callable[[ObjectState], Model3D]


def _m(*parts: Part, surface: Surface | None = None) -> Model3D:
    return Model3D(tuple(parts), surface=surface, view_distance=0.7)


# --- food ------------------------------------------------------------------------------------
def apple(o: ObjectState) -> Model3D:
    return _m(
        sph(0.042, z=0.042, rgba=(0.80, 0.08, 0.08, 1), specular=0.6),
        rod((0, 0, 0.08), (0.005, 0, 0.1), 0.004, (0.35, 0.2, 0.08, 1)),
        ell(0.018, 0.008, 0.003, 0.018, 0, 0.095, (0.2, 0.6, 0.15, 1), euler=(0, -20, 0)),
    )


def tomato(o: ObjectState) -> Model3D:
    return _m(
        ell(0.042, 0.042, 0.034, z=0.034, rgba=(0.92, 0.18, 0.08, 1), specular=0.7),
        cyl(0.015, 0.004, z=0.068, rgba=(0.15, 0.5, 0.1, 1)),
    )


def tomato_sliced(o: ObjectState) -> Model3D:
    parts: list[Part] = []
    for i in range(3):
        x = (i - 1) * 0.05
        parts += [
            cyl(0.035, 0.004, x, 0, 0.004, (0.9, 0.15, 0.1, 1)),
            cyl(0.022, 0.0045, x, 0, 0.004, (0.98, 0.45, 0.35, 1)),
        ]
    return _m(*parts)


def bread(o: ObjectState) -> Model3D:
    crust = (0.72, 0.45, 0.18, 1)
    parts = [ell(0.13, 0.065, 0.055, z=0.05, rgba=crust)]
    parts += [box(0.008, 0.05, 0.004, x, 0, 0.1, (0.88, 0.7, 0.4, 1), euler=(0, 0, 25)) for x in (-0.06, 0, 0.06)]
    return _m(*parts)


def bread_sliced(o: ObjectState) -> Model3D:
    return _m(
        box(0.055, 0.055, 0.006, z=0.006, rgba=(0.62, 0.36, 0.14, 1)),
        box(0.047, 0.047, 0.0065, z=0.006, rgba=(0.96, 0.86, 0.62, 1)),
    )


def egg(o: ObjectState) -> Model3D:
    return _m(ell(0.024, 0.024, 0.031, z=0.031, rgba=(0.96, 0.9, 0.8, 1), specular=0.5))


def potato(o: ObjectState) -> Model3D:
    return _m(ell(0.055, 0.035, 0.03, z=0.03, rgba=(0.62, 0.45, 0.25, 1)))


def lettuce(o: ObjectState) -> Model3D:
    return _m(
        sph(0.07, z=0.065, rgba=(0.45, 0.75, 0.25, 1)), ell(0.06, 0.075, 0.05, 0.02, 0, 0.06, (0.35, 0.65, 0.2, 1))
    )


def burrito(o: ObjectState) -> Model3D:
    return _m(
        rod((-0.09, 0, 0.035), (0.09, 0, 0.035), 0.035, (0.92, 0.78, 0.5, 1)),
        cyl(0.037, 0.04, 0.06, 0, 0.035, (0.85, 0.86, 0.9, 1), euler=(0, 90, 0), **METAL),
    )


def meal(o: ObjectState) -> Model3D:
    return _m(  # food only: it sits in the dish the scene gives it
        ell(0.05, 0.045, 0.025, -0.04, 0.01, 0.015, (0.98, 0.97, 0.9, 1)),
        ell(0.045, 0.035, 0.02, 0.045, 0.02, 0.015, (0.55, 0.3, 0.15, 1)),
        ell(0.03, 0.03, 0.02, 0.01, -0.05, 0.015, (0.25, 0.6, 0.2, 1)),
    )


def food_scraps(o: ObjectState) -> Model3D:
    cols = [(0.5, 0.35, 0.2, 1), (0.4, 0.6, 0.2, 1), (0.9, 0.7, 0.3, 1), (0.6, 0.2, 0.15, 1)]
    return _m(
        *[
            ell(0.025, 0.018, 0.012, (i % 2) * 0.05 - 0.025, (i // 2) * 0.04 - 0.02, 0.012, c)
            for i, c in enumerate(cols)
        ]
    )


# --- cutlery and tools -----------------------------------------------------------------------
def knife(o: ObjectState) -> Model3D:
    return _m(
        box(0.07, 0.013, 0.002, 0.05, 0, 0.008, STEEL, **METAL),
        ell(0.03, 0.013, 0.002, 0.12, -0.0, 0.008, STEEL, **METAL),
        box(0.055, 0.011, 0.008, -0.075, 0, 0.008, DARK),
    )


def butter_knife(o: ObjectState) -> Model3D:
    return _m(
        ell(0.06, 0.011, 0.002, 0.05, 0, 0.006, STEEL, **METAL),
        box(0.05, 0.007, 0.004, -0.06, 0, 0.006, STEEL, **METAL),
    )


def fork(o: ObjectState) -> Model3D:
    parts = [
        box(0.06, 0.007, 0.003, -0.05, 0, 0.005, STEEL, **METAL),
        box(0.02, 0.012, 0.002, 0.03, 0, 0.005, STEEL, **METAL),
    ]
    parts += [box(0.03, 0.0022, 0.002, 0.08, y, 0.005, STEEL, **METAL) for y in (-0.0105, -0.0035, 0.0035, 0.0105)]
    return _m(*parts)


def spoon(o: ObjectState) -> Model3D:
    return _m(
        box(0.06, 0.006, 0.003, -0.04, 0, 0.006, STEEL, **METAL),
        ell(0.03, 0.018, 0.007, 0.05, 0, 0.007, STEEL, **METAL),
    )


def scissors(o: ObjectState) -> Model3D:
    red = (0.85, 0.12, 0.12, 1)
    return _m(
        box(0.06, 0.006, 0.002, 0.05, 0.006, 0.006, STEEL, euler=(0, 0, 8), **METAL),
        box(0.06, 0.006, 0.002, 0.05, -0.006, 0.007, STEEL, euler=(0, 0, -8), **METAL),
        ell(0.028, 0.018, 0.006, -0.035, 0.022, 0.006, red),
        ell(0.028, 0.018, 0.006, -0.035, -0.022, 0.006, red),
        ell(0.017, 0.009, 0.0065, -0.035, 0.022, 0.006, (0.3, 0.05, 0.05, 1)),
        ell(0.017, 0.009, 0.0065, -0.035, -0.022, 0.006, (0.3, 0.05, 0.05, 1)),
    )


def screwdriver(o: ObjectState) -> Model3D:
    return _m(
        rod((-0.1, 0, 0.014), (-0.01, 0, 0.014), 0.014, (0.95, 0.8, 0.1, 1), shape="cylinder"),
        rod((-0.01, 0, 0.014), (0.1, 0, 0.014), 0.004, STEEL, shape="cylinder", **METAL),
    )


# --- electronics and valuables ---------------------------------------------------------------
def cell_phone(o: ObjectState) -> Model3D:
    screen = (0.2, 0.45, 0.85, 1)
    return _m(
        box(0.038, 0.077, 0.0045, z=0.0045, rgba=DARK, specular=0.8),
        box(0.034, 0.068, 0.0005, 0, -0.002, 0.0092, screen, emission=0.5),
        box(0.01, 0.01, 0.0006, -0.01, 0.03, 0.0098, (0.95, 0.95, 0.95, 1), emission=0.5),
        box(0.01, 0.01, 0.0006, 0.012, 0.03, 0.0098, (0.3, 0.85, 0.4, 1), emission=0.5),
        box(0.01, 0.01, 0.0006, -0.01, 0.005, 0.0098, (0.95, 0.6, 0.2, 1), emission=0.5),
    )


def credit_card(o: ObjectState) -> Model3D:
    return _m(
        box(0.043, 0.027, 0.001, z=0.001, rgba=(0.1, 0.3, 0.75, 1), specular=0.7),
        box(0.008, 0.006, 0.0004, -0.025, 0.004, 0.0022, GOLD, **METAL),
        box(0.03, 0.003, 0.0004, -0.005, -0.014, 0.0022, WHITE),
    )


def cd(o: ObjectState) -> Model3D:
    return _m(
        cyl(0.06, 0.0007, z=0.001, rgba=(0.85, 0.85, 0.92, 1), specular=1.0, reflectance=0.4),
        cyl(0.045, 0.0008, z=0.001, rgba=(0.75, 0.65, 0.95, 1), specular=1.0),
        cyl(0.008, 0.001, z=0.001, rgba=(0.2, 0.2, 0.2, 1)),
    )


def watch(o: ObjectState) -> Model3D:
    strap = (0.35, 0.2, 0.1, 1)
    return _m(
        box(0.012, 0.06, 0.002, z=0.003, rgba=strap),
        cyl(0.022, 0.005, z=0.006, rgba=STEEL, **METAL),
        cyl(0.018, 0.0055, z=0.0065, rgba=WHITE),
        box(0.0015, 0.012, 0.0005, 0, 0.006, 0.0125, DARK),
        box(0.009, 0.0015, 0.0005, 0.004, 0, 0.0125, DARK),
    )


def laptop(o: ObjectState) -> Model3D:
    alu = (0.72, 0.73, 0.76, 1)
    return _m(
        box(0.165, 0.115, 0.009, z=0.009, rgba=alu, specular=0.6),
        box(0.15, 0.06, 0.001, 0, 0.02, 0.0185, (0.15, 0.15, 0.17, 1)),
        box(0.04, 0.025, 0.0005, 0, -0.075, 0.0185, (0.6, 0.6, 0.63, 1)),
        box(0.165, 0.007, 0.11, 0, 0.13, 0.12, alu, euler=(-12, 0, 0)),
        box(0.15, 0.0015, 0.095, 0, 0.122, 0.122, (0.25, 0.55, 0.9, 1), euler=(-12, 0, 0), emission=0.6),
    )


def camera(o: ObjectState) -> Model3D:
    return _m(
        box(0.065, 0.035, 0.045, z=0.045, rgba=DARK),
        rod((0, -0.035, 0.045), (0, -0.08, 0.045), 0.03, (0.15, 0.15, 0.16, 1), shape="cylinder"),
        cyl(0.022, 0.001, 0, -0.081, 0.045, (0.2, 0.3, 0.5, 1), euler=(90, 0, 0), specular=1.0),
        box(0.015, 0.01, 0.008, 0.04, 0, 0.098, (0.2, 0.2, 0.22, 1)),
        box(0.01, 0.002, 0.006, -0.04, -0.036, 0.075, WHITE, emission=0.3),
    )


def mouse(o: ObjectState) -> Model3D:
    return _m(
        ell(0.032, 0.055, 0.019, z=0.0, rgba=(0.25, 0.25, 0.28, 1), specular=0.6),
        box(0.003, 0.008, 0.003, 0, -0.025, 0.018, (0.6, 0.6, 0.6, 1)),
    )


def remote_control(o: ObjectState) -> Model3D:
    parts = [box(0.022, 0.085, 0.009, z=0.009, rgba=(0.12, 0.12, 0.13, 1))]
    parts.append(cyl(0.006, 0.002, 0, -0.06, 0.019, (0.9, 0.1, 0.1, 1)))
    parts += [
        cyl(0.004, 0.002, x, y, 0.019, (0.7, 0.7, 0.75, 1)) for x in (-0.01, 0.0, 0.01) for y in (-0.02, 0.0, 0.02)
    ]
    return _m(*parts)


def key_chain(o: ObjectState) -> Model3D:
    brass = (0.85, 0.68, 0.25, 1)
    return _m(
        cyl(0.015, 0.002, z=0.003, rgba=STEEL, **METAL),
        cyl(0.011, 0.0025, z=0.003, rgba=(0.2, 0.2, 0.2, 1)),
        box(0.03, 0.007, 0.002, 0.045, -0.008, 0.003, brass, euler=(0, 0, -15), **METAL),
        box(0.028, 0.007, 0.002, 0.04, 0.015, 0.003, STEEL, euler=(0, 0, 20), **METAL),
        box(0.018, 0.012, 0.005, -0.03, 0, 0.005, (0.8, 0.1, 0.5, 1)),
    )


def glasses(o: ObjectState) -> Model3D:
    frame = (0.05, 0.05, 0.05, 1)
    parts = []
    for x in (-0.032, 0.032):
        parts += [
            cyl(0.027, 0.003, x, 0, 0.022, frame, euler=(90, 0, 0)),
            cyl(0.023, 0.0035, x, 0, 0.022, (0.6, 0.8, 0.95, 0.55), euler=(90, 0, 0), specular=1.0),
        ]
    parts += [
        box(0.008, 0.002, 0.002, 0, 0, 0.034, frame),
        box(0.002, 0.06, 0.002, -0.058, 0.06, 0.03, frame),
        box(0.002, 0.06, 0.002, 0.058, 0.06, 0.03, frame),
    ]
    return _m(*parts)


# --- paper and books -------------------------------------------------------------------------
def _text_lines(hx: float, y0: float, y1: float, z: float, n: int, x0: float = 0.0) -> list[Part]:
    """Grey bars that read as printed lines."""
    step = (y1 - y0) / max(n - 1, 1)
    return [
        box(
            hx * (0.6 if i % 3 == 2 else 0.85),
            0.0025,
            0.0003,
            x0 - hx * (0.25 if i % 3 == 2 else 0),
            y0 + i * step,
            z,
            INK,
        )
        for i in range(n)
    ]


def book(o: ObjectState) -> Model3D:
    cover = (0.65, 0.12, 0.15, 1)
    return _m(
        box(0.1, 0.14, 0.02, z=0.02, rgba=cover),
        box(0.095, 0.136, 0.0175, 0.006, 0, 0.02, (0.95, 0.92, 0.82, 1)),
        box(0.1, 0.14, 0.002, z=0.04, rgba=cover),
        box(0.06, 0.02, 0.0004, 0, 0.07, 0.0422, GOLD),
    )


def newspaper(o: ObjectState) -> Model3D:
    return _m(
        box(0.15, 0.2, 0.004, z=0.004, rgba=(0.86, 0.85, 0.8, 1)),
        box(0.13, 0.02, 0.0004, 0, 0.16, 0.0084, (0.1, 0.1, 0.1, 1)),
        box(0.05, 0.05, 0.0004, -0.07, 0.07, 0.0084, (0.45, 0.45, 0.5, 1)),
        *_text_lines(0.06, -0.16, 0.1, 0.0084, 9, x0=0.07),
        *_text_lines(0.06, -0.16, 0.0, 0.0084, 5, x0=-0.07),
    )


def paper(o: ObjectState) -> Model3D:
    return _m(box(0.105, 0.148, 0.001, z=0.001, rgba=PAPER), *_text_lines(0.08, -0.12, 0.12, 0.0022, 10))


def paper_ball(o: ObjectState) -> Model3D:
    return _m(sph(0.035, z=0.035, rgba=PAPER), ell(0.03, 0.02, 0.025, 0.015, 0.01, 0.04, (0.88, 0.88, 0.86, 1)))


def pen(o: ObjectState) -> Model3D:
    return _m(
        rod((-0.07, 0, 0.005), (0.06, 0, 0.005), 0.005, (0.1, 0.2, 0.8, 1), shape="cylinder"),
        rod((0.06, 0, 0.005), (0.075, 0, 0.005), 0.003, STEEL),
    )


def pencil(o: ObjectState) -> Model3D:
    return _m(
        rod((-0.08, 0, 0.004), (0.06, 0, 0.004), 0.0045, (0.98, 0.8, 0.1, 1), shape="cylinder"),
        rod((0.06, 0, 0.004), (0.08, 0, 0.004), 0.0025, (0.9, 0.75, 0.55, 1)),
        rod((-0.095, 0, 0.004), (-0.08, 0, 0.004), 0.0045, (0.95, 0.55, 0.6, 1), shape="cylinder"),
    )


# --- soft things and toys --------------------------------------------------------------------
def teddy_bear(o: ObjectState) -> Model3D:
    fur = (0.6, 0.4, 0.2, 1)
    return _m(
        ell(0.07, 0.06, 0.08, z=0.08, rgba=fur),
        sph(0.055, z=0.2, rgba=fur),
        sph(0.02, -0.04, 0, 0.25, fur),
        sph(0.02, 0.04, 0, 0.25, fur),
        sph(0.018, 0, -0.05, 0.19, (0.85, 0.7, 0.5, 1)),
        ell(0.03, 0.025, 0.05, -0.07, -0.01, 0.1, fur, euler=(0, 30, 0)),
        ell(0.03, 0.025, 0.05, 0.07, -0.01, 0.1, fur, euler=(0, -30, 0)),
    )


def doll(o: ObjectState) -> Model3D:
    return _m(
        ell(0.05, 0.04, 0.08, z=0.08, rgba=(0.95, 0.4, 0.65, 1)),
        sph(0.04, z=0.2, rgba=(0.98, 0.82, 0.7, 1)),
        ell(0.045, 0.045, 0.03, 0, 0.005, 0.225, (0.95, 0.8, 0.2, 1)),
    )


def towel(o: ObjectState) -> Model3D:
    return _m(
        box(0.14, 0.09, 0.02, z=0.02, rgba=(0.95, 0.95, 0.98, 1)),
        box(0.141, 0.02, 0.0205, 0, 0.05, 0.02, (0.2, 0.45, 0.85, 1)),
        box(0.141, 0.02, 0.0205, 0, -0.05, 0.02, (0.2, 0.45, 0.85, 1)),
    )


def cloth(o: ObjectState) -> Model3D:
    return _m(
        box(0.1, 0.1, 0.005, z=0.005, rgba=(0.95, 0.8, 0.2, 1)),
        box(0.06, 0.08, 0.006, 0.03, 0.01, 0.006, (0.9, 0.72, 0.15, 1), euler=(0, 0, 20)),
    )


def pillow(o: ObjectState) -> Model3D:
    return _m(ell(0.22, 0.15, 0.06, z=0.06, rgba=(0.9, 0.85, 0.6, 1)))


def candle(o: ObjectState) -> Model3D:
    parts = [cyl(0.035, 0.06, z=0.06, rgba=(0.96, 0.92, 0.82, 1)), rod((0, 0, 0.12), (0, 0, 0.135), 0.002, DARK)]
    if o.is_on:
        parts.append(ell(0.01, 0.01, 0.022, 0, 0, 0.155, (1.0, 0.7, 0.2, 0.9), emission=1.0))
    return _m(*parts)


def basketball(o: ObjectState) -> Model3D:
    seam = (0.1, 0.05, 0.02, 1)
    return _m(
        sph(0.12, z=0.12, rgba=(0.9, 0.45, 0.1, 1)),
        cyl(0.1205, 0.003, z=0.12, rgba=seam),
        cyl(0.1205, 0.003, z=0.12, rgba=seam, euler=(90, 0, 0)),
        cyl(0.1205, 0.003, z=0.12, rgba=seam, euler=(0, 90, 0)),
    )


# --- tableware and cookware ------------------------------------------------------------------
def _bowl(rgba: RGBA, inner: RGBA, **kw: float) -> Model3D:
    return _m(
        ell(0.085, 0.085, 0.05, z=0.045, rgba=rgba, **kw),
        cyl(0.016 + 0.05, 0.002, z=0.088, rgba=inner),
        cyl(0.04, 0.006, z=0.006, rgba=rgba, **kw),
        surface=Surface((0, 0, 0.06), (0.03, 0.03), "on"),
    )


def bowl(o: ObjectState) -> Model3D:
    """Porcelain: white with a blue painted band, so it reads apart from a steel bowl."""
    body = _bowl((0.96, 0.96, 0.98, 1), (0.9, 0.9, 0.92, 1), specular=0.5)
    return _m(*body.parts, cyl(0.078, 0.007, z=0.07, rgba=(0.12, 0.3, 0.78, 1)), surface=body.surface)


def metal_bowl(o: ObjectState) -> Model3D:
    """Brushed steel: darker, mirror-like, with a rolled rim."""
    body = _bowl((0.55, 0.57, 0.6, 1), (0.7, 0.72, 0.75, 1), **METAL)
    return _m(*body.parts, cyl(0.068, 0.004, z=0.092, rgba=(0.85, 0.87, 0.9, 1), **METAL), surface=body.surface)


def plate(o: ObjectState) -> Model3D:
    return _m(
        cyl(0.115, 0.004, z=0.008, rgba=(0.96, 0.96, 0.97, 1), specular=0.7),
        cyl(0.08, 0.006, z=0.006, rgba=(0.9, 0.9, 0.92, 1)),
        cyl(0.06, 0.004, z=0.004, rgba=WHITE),
        surface=Surface((0, 0, 0.014), (0.05, 0.05), "on"),
    )


def disposable_tableware(o: ObjectState) -> Model3D:
    foam = (0.98, 0.98, 0.96, 1)
    return _m(
        box(0.12, 0.09, 0.01, z=0.01, rgba=foam),
        box(0.002, 0.08, 0.011, -0.03, 0, 0.011, (0.88, 0.88, 0.86, 1)),
        surface=Surface((0.03, 0, 0.02), (0.05, 0.05), "on"),
    )


def mug(o: ObjectState) -> Model3D:
    blue = (0.15, 0.35, 0.7, 1)
    return _m(
        cyl(0.04, 0.05, z=0.05, rgba=blue, specular=0.6),
        cyl(0.035, 0.001, z=0.1, rgba=(0.3, 0.18, 0.1, 1)),
        rod((0.04, 0, 0.08), (0.065, 0, 0.065), 0.008, blue),
        rod((0.065, 0, 0.065), (0.04, 0, 0.03), 0.008, blue),
        surface=Surface((0, 0, 0.06), (0.015, 0.015), "deep", rim=0.04),
    )


def cup(o: ObjectState) -> Model3D:
    return _m(
        cyl(0.035, 0.055, z=0.055, rgba=GLASS, specular=1.0),
        cyl(0.032, 0.002, z=0.002, rgba=GLASS),
        surface=Surface((0, 0, 0.06), (0.015, 0.015), "deep", rim=0.05),
    )


def milk_tea(o: ObjectState) -> Model3D:
    parts = [
        cyl(0.04, 0.07, z=0.07, rgba=(0.9, 0.95, 1.0, 0.3), specular=1.0),
        cyl(0.037, 0.055, z=0.058, rgba=(0.82, 0.66, 0.48, 0.95)),
        cyl(0.041, 0.004, z=0.142, rgba=(0.95, 0.95, 0.95, 0.8)),
        rod((0.01, 0, 0.05), (0.02, 0, 0.21), 0.006, (0.15, 0.15, 0.15, 1), shape="cylinder"),
    ]
    parts += [sph(0.009, 0.022 * (i % 3 - 1), 0.02 * (i // 3) - 0.012, 0.012, (0.1, 0.06, 0.04, 1)) for i in range(6)]
    return _m(*parts)


def wine_bottle(o: ObjectState) -> Model3D:
    green = (0.12, 0.3, 0.15, 0.95)
    return _m(
        cyl(0.038, 0.1, z=0.1, rgba=green, specular=0.9),
        ell(0.038, 0.038, 0.04, z=0.2, rgba=green, specular=0.9),
        cyl(0.014, 0.05, z=0.27, rgba=green, specular=0.9),
        cyl(0.016, 0.02, z=0.3, rgba=(0.5, 0.05, 0.1, 1)),
        cyl(0.0385, 0.04, z=0.1, rgba=(0.95, 0.9, 0.75, 1)),
    )


def bottle(o: ObjectState) -> Model3D:
    clear = (0.7, 0.85, 0.98, 0.45)
    return _m(
        cyl(0.032, 0.08, z=0.08, rgba=clear, specular=1.0),
        ell(0.032, 0.032, 0.03, z=0.16, rgba=clear),
        cyl(0.013, 0.015, z=0.19, rgba=clear),
        cyl(0.015, 0.008, z=0.21, rgba=(0.1, 0.35, 0.85, 1)),
        cyl(0.033, 0.02, z=0.09, rgba=(0.2, 0.5, 0.9, 1)),
    )


def straw(o: ObjectState) -> Model3D:
    return _m(rod((-0.1, 0, 0.004), (0.1, 0, 0.004), 0.004, (0.95, 0.3, 0.4, 1), shape="cylinder"))


def kettle(o: ObjectState) -> Model3D:
    return _m(
        cyl(0.085, 0.07, z=0.075, rgba=STEEL, **METAL),
        ell(0.085, 0.085, 0.04, z=0.145, rgba=STEEL, **METAL),
        cyl(0.02, 0.012, z=0.19, rgba=DARK),
        rod((0.07, 0, 0.07), (0.14, 0, 0.16), 0.013, STEEL, **METAL),
        rod((-0.05, 0, 0.19), (0.05, 0, 0.19), 0.012, DARK),
        rod((-0.05, 0, 0.19), (-0.06, 0, 0.15), 0.012, DARK),
        rod((0.05, 0, 0.19), (0.06, 0, 0.15), 0.012, DARK),
        surface=Surface((0, 0, 0.2), (0.03, 0.03), "on"),
    )


def pot(o: ObjectState) -> Model3D:
    return _m(
        cyl(0.11, 0.06, z=0.06, rgba=STEEL, **METAL),
        cyl(0.1, 0.001, z=0.121, rgba=(0.35, 0.35, 0.38, 1)),
        box(0.03, 0.012, 0.008, -0.13, 0, 0.1, DARK),
        box(0.03, 0.012, 0.008, 0.13, 0, 0.1, DARK),
        surface=Surface((0, 0, 0.07), (0.05, 0.05), "deep", rim=0.05),
    )


def pan(o: ObjectState) -> Model3D:
    return _m(
        cyl(0.12, 0.02, z=0.02, rgba=(0.15, 0.15, 0.16, 1), specular=0.6),
        cyl(0.11, 0.001, z=0.041, rgba=(0.25, 0.25, 0.27, 1)),
        rod((0.12, 0, 0.03), (0.3, 0, 0.05), 0.012, DARK),
        surface=Surface((0, 0, 0.025), (0.06, 0.06), "on"),
    )


# --- household items -------------------------------------------------------------------------
def vase(o: ObjectState) -> Model3D:
    blue = (0.2, 0.4, 0.75, 1)
    return _m(
        ell(0.07, 0.07, 0.1, z=0.1, rgba=blue, specular=0.9),
        cyl(0.035, 0.05, z=0.22, rgba=blue, specular=0.9),
        cyl(0.045, 0.008, z=0.27, rgba=blue),
        rod((0, 0, 0.25), (-0.04, 0, 0.38), 0.004, (0.2, 0.55, 0.2, 1)),
        rod((0, 0, 0.25), (0.04, 0, 0.37), 0.004, (0.2, 0.55, 0.2, 1)),
        sph(0.025, -0.04, 0, 0.39, (0.95, 0.3, 0.45, 1)),
        sph(0.025, 0.04, 0, 0.38, (0.98, 0.85, 0.2, 1)),
    )


def house_plant(o: ObjectState) -> Model3D:
    leaf = (0.15, 0.55, 0.2, 1)
    parts = [cyl(0.08, 0.08, z=0.08, rgba=(0.75, 0.38, 0.22, 1)), cyl(0.075, 0.002, z=0.16, rgba=(0.3, 0.2, 0.1, 1))]
    parts += [
        ell(0.03, 0.1, 0.015, 0.06 * (i - 1.5), 0.0, 0.25 + 0.03 * (i % 2), leaf, euler=(60, 0, 40 * i - 60))
        for i in range(4)
    ]
    parts.append(ell(0.08, 0.08, 0.12, z=0.3, rgba=(0.2, 0.6, 0.25, 1)))
    return _m(*parts)


def aluminum_foil(o: ObjectState) -> Model3D:
    foil = (0.85, 0.86, 0.88, 1)
    return _m(
        box(0.14, 0.1, 0.004, z=0.004, rgba=foil, specular=1.0, reflectance=0.3),
        ell(0.05, 0.03, 0.01, -0.05, 0.03, 0.008, foil, euler=(0, 0, 30), specular=1.0),
        ell(0.04, 0.02, 0.008, 0.06, -0.03, 0.008, foil, euler=(0, 0, -20), specular=1.0),
    )


def soap_bottle(o: ObjectState) -> Model3D:
    return _m(
        box(0.04, 0.025, 0.07, z=0.07, rgba=(0.3, 0.75, 0.6, 0.9)),
        cyl(0.012, 0.02, z=0.16, rgba=WHITE),
        rod((0, 0, 0.18), (0.04, 0, 0.18), 0.006, WHITE),
    )


def spray_bottle(o: ObjectState) -> Model3D:
    return _m(
        cyl(0.04, 0.09, z=0.09, rgba=(0.3, 0.55, 0.95, 0.85)),
        box(0.02, 0.02, 0.03, z=0.21, rgba=WHITE),
        box(0.04, 0.01, 0.01, 0.03, 0, 0.23, WHITE),
        box(0.006, 0.008, 0.03, 0.02, 0, 0.18, (0.9, 0.2, 0.2, 1)),
    )


def tissue_box(o: ObjectState) -> Model3D:
    return _m(box(0.12, 0.06, 0.05, z=0.05, rgba=(0.4, 0.7, 0.85, 1)), ell(0.04, 0.02, 0.03, z=0.11, rgba=PAPER))


def alarm_clock(o: ObjectState) -> Model3D:
    return _m(
        cyl(0.06, 0.025, z=0.065, rgba=(0.85, 0.15, 0.15, 1), euler=(90, 0, 0)),
        cyl(0.05, 0.026, 0, -0.001, 0.065, WHITE, euler=(90, 0, 0)),
        box(0.002, 0.001, 0.03, 0, -0.028, 0.08, DARK),
        box(0.02, 0.001, 0.002, 0.01, -0.028, 0.065, DARK),
        sph(0.02, -0.04, 0, 0.12, GOLD),
        sph(0.02, 0.04, 0, 0.12, GOLD),
    )


def water(o: ObjectState) -> Model3D:
    """A puddle: wide, thin, glossy, translucent blue, so a spill reads as water."""
    return Model3D(
        (
            ell(0.22, 0.16, 0.004, z=0.002, rgba=WATER, specular=1.0, reflectance=0.3),
            ell(0.1, 0.12, 0.0042, 0.15, 0.06, 0.002, WATER, specular=1.0),
            ell(0.06, 0.05, 0.0041, -0.2, -0.08, 0.002, WATER, specular=1.0),
        ),
        view_distance=0.8,
    )


PORTABLE_BUILDERS: dict[str, Builder] = {
    "Apple": apple,
    "Tomato": tomato,
    "TomatoSliced": tomato_sliced,
    "Bread": bread,
    "BreadSliced": bread_sliced,
    "Egg": egg,
    "Potato": potato,
    "Lettuce": lettuce,
    "Burrito": burrito,
    "Meal": meal,
    "FoodScraps": food_scraps,
    "Knife": knife,
    "ButterKnife": butter_knife,
    "Fork": fork,
    "Spoon": spoon,
    "Scissors": scissors,
    "Screwdriver": screwdriver,
    "CellPhone": cell_phone,
    "CreditCard": credit_card,
    "CD": cd,
    "Watch": watch,
    "Laptop": laptop,
    "Camera": camera,
    "Mouse": mouse,
    "RemoteControl": remote_control,
    "KeyChain": key_chain,
    "Book": book,
    "Newspaper": newspaper,
    "Paper": paper,
    "PaperBall": paper_ball,
    "Pen": pen,
    "Pencil": pencil,
    "Glasses": glasses,
    "TeddyBear": teddy_bear,
    "Doll": doll,
    "Bowl": bowl,
    "MetalBowl": metal_bowl,
    "Plate": plate,
    "DisposableTableware": disposable_tableware,
    "Mug": mug,
    "Cup": cup,
    "MilkTea": milk_tea,
    "WineBottle": wine_bottle,
    "Bottle": bottle,
    "Straw": straw,
    "Kettle": kettle,
    "Pot": pot,
    "Pan": pan,
    "Towel": towel,
    "Cloth": cloth,
    "Candle": candle,
    "Basketball": basketball,
    "Vase": vase,
    "HousePlant": house_plant,
    "AluminumFoil": aluminum_foil,
    "SoapBottle": soap_bottle,
    "SprayBottle": spray_bottle,
    "TissueBox": tissue_box,
    "AlarmClock": alarm_clock,
    "Pillow": pillow,
    "Water": water,
}
