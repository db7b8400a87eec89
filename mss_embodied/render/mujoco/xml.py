"""MJCF text for a composed scene: textures, deduplicated materials, bodies, camera and gripper."""

from __future__ import annotations

import html
import importlib.util
import io
from functools import lru_cache
from pathlib import Path

import numpy as np

from mss_embodied.render.mujoco.layout import Node, is_flat, scaled
from mss_embodied.render.mujoco.parts import (
    Part,
    bounds,
    box,
    euler_matrix,
    fmt,
    rod,
)
from mss_embodied.render.mujoco.rooms import room_shell
from mss_embodied.render.mujoco.scene import Scene

#: Geoms named with this prefix carry a text label (see ``MujocoRenderer``).
LABEL_PREFIX = "label"

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


# --- XML -----------------------------------------------------------------------------------
_TEX_REPEAT = {"wood": 1.5, "marble": 1.5, "tile": 10}


class _Materials:
    """Deduplicated materials: one per distinct look, named in first-use order (deterministic)."""

    def __init__(self) -> None:
        self.names: dict[tuple[object, ...], str] = {}
        self.labels = 0  # labelled geoms so far (their names must be unique)

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
    name = ""
    if p.label:  # the renderer shows a geom named LABEL_PREFIX<k>:<text> with that text
        name = f' name="{LABEL_PREFIX}{mats.labels}:{html.escape(p.label, quote=True)}"'
        mats.labels += 1
    return f'<geom type="{p.shape}"{name} size="{fmt(p.size)}" {where} material="{mats.get(p)}"/>'


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
    held.model = scaled(base, s)
    flat = is_flat(held.model)
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
