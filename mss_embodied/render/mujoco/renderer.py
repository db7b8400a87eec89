"""Built-in MuJoCo renderer (extra ``sim``): a symbolic WorldState as an egocentric RGB frame.

The scene is composed from primitives (see ``mujoco_scene``), compiled once per distinct scene
and rendered offscreen with EGL or OSMesa. Importing this module needs no MuJoCo, so scene
validators can use ``supports``/``SUPPORTED_TYPES`` on machines without the extra installed.
"""

from __future__ import annotations

import atexit
import html
import os
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from mss_embodied.render.base import Renderer, ViewSpec
from mss_embodied.render.mujoco.gl import BackendUnavailableError, make_context, select_backend
from mss_embodied.render.mujoco.scene import SUPPORTED_TYPES, UnknownObjectTypeError, compose
from mss_embodied.render.mujoco.xml import LABEL_PREFIX, texture_assets, to_xml
from mss_embodied.world.state import ObjectState, WorldState

__all__ = ["SUPPORTED_TYPES", "BackendUnavailableError", "MujocoRenderer", "UnknownObjectTypeError", "scene_xml",
           "supports"]


def supports(type_name: str) -> bool:
    """True when the renderer has a model for this catalogue type (a scene's own types bring their look)."""
    return type_name in SUPPORTED_TYPES


def scene_xml(state: WorldState, view: ViewSpec, size: tuple[int, int] = (512, 512), seed: int = 0,
              generic_fallback: bool = False) -> str:
    """The MJCF text for a frame; equal inputs give byte-equal text (it is the cache key)."""
    scene = compose(state, view.room, view.focus, generic_fallback, view.looks)
    rng = np.random.default_rng(seed)
    jitter = 1.0 + rng.uniform(-0.03, 0.03, size=3)
    wall = tuple(float(np.clip(c * j, 0.0, 1.0)) for c, j in zip(scene.room.wall[:3], jitter, strict=True))
    scene.room = replace(scene.room, wall=(wall[0], wall[1], wall[2], 1.0))
    return to_xml(scene, size, texture_assets())


_OBJECT_FIELDS = tuple(f.name for f in fields(ObjectState))
_STATE_FIELDS = tuple(f.name for f in fields(WorldState) if f.name != "objects")


def _frozen(value: Any) -> Hashable:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return frozenset(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _frozen(v)) for k, v in value.items())
    return value  # type: ignore[no-any-return]


def frame_key(state: WorldState, view: ViewSpec, size: tuple[int, int], seed: int,
              generic_fallback: bool) -> Hashable:
    """Everything :func:`scene_xml` reads (every field of the state and its objects, in order), as a
    hashable value: the compiled-scene cache key, without composing the scene and writing its XML."""
    objects = tuple(tuple(_frozen(getattr(o, f)) for f in _OBJECT_FIELDS) for o in state.objects.values())
    rest = tuple(_frozen(getattr(state, f)) for f in _STATE_FIELDS)
    looks = tuple(sorted((name, look.model_dump_json()) for name, look in view.looks.items()))
    return (objects, rest, view.room, view.focus, looks, tuple(size), seed, generic_fallback)


@dataclass
class _Compiled:
    """A compiled scene and its GPU-side resources (uploaded textures, scene buffers)."""

    model: Any
    data: Any
    scene: Any
    context: Any
    camera: Any
    labels: dict[int, str]  # geom id -> the text drawn at it


_LIVE: weakref.WeakSet[MujocoRenderer] = weakref.WeakSet()


_HOOKED: list[bool] = []


def _close_all() -> None:
    """Free GL contexts before interpreter teardown (OSMesa otherwise errors in __del__)."""
    for r in list(_LIVE):
        try:
            r.close()
        except Exception:  # the display may already be gone at exit; nothing left to free
            r._gl = None


def _hook_exit() -> None:
    """Register after the GL backend module, so (LIFO) ours runs before it tears the display down."""
    if not _HOOKED:
        atexit.register(_close_all)
        _HOOKED.append(True)


class MujocoRenderer(Renderer):
    """Renders with MuJoCo through one offscreen GL context, caching the last few compiled scenes.

    The GL context is made lazily, at the first frame, in the process that renders: an env built in
    a parent process and forked into vector-env workers never carries a context across ``fork``
    (a forked OSMesa/EGL context hangs the child). A renderer that did render before a fork drops
    the inherited context and caches in the child and makes its own.
    """

    name = "mujoco"

    def __init__(self, cache_size: int = 4, generic_fallback: bool = False) -> None:
        self.backend = select_backend()
        import mujoco

        self._mj = mujoco
        self._gl: Any = None
        self._gl_size = (0, 0)
        self.cache_size = max(1, cache_size)
        self.generic_fallback = generic_fallback
        self._cache: OrderedDict[Hashable, _Compiled] = OrderedDict()
        self._pid = os.getpid()
        _LIVE.add(self)
        _hook_exit()

    def _ensure_gl(self, size: tuple[int, int]) -> None:
        """One context for all scenes; grown (and the cache dropped) when a bigger frame is asked for."""
        if self._pid != os.getpid():  # forked: the parent's context and GPU buffers are not ours to use or free
            self._gl, self._gl_size, self._pid = None, (0, 0), os.getpid()
            self._cache = OrderedDict()
        if self._gl is not None and size[0] <= self._gl_size[0] and size[1] <= self._gl_size[1]:
            self._gl.make_current()
            return
        self.close()
        want = (max(size[0], self._gl_size[0], 512), max(size[1], self._gl_size[1], 512))
        self._gl = make_context(self.backend, *want)
        self._gl_size = want

    def render(self, state: WorldState, view: ViewSpec, size: tuple[int, int] = (512, 512),
               seed: int = 0) -> np.ndarray:
        """Return an HxWx3 uint8 frame (size is (width, height))."""
        self._ensure_gl(size)
        entry = self._compiled(frame_key(state, view, size, seed, self.generic_fallback),
                               lambda: scene_xml(state, view, size, seed, self.generic_fallback))
        mj = self._mj
        width, height = size
        viewport = mj.MjrRect(0, 0, width, height)
        mj.mjv_updateScene(entry.model, entry.data, mj.MjvOption(), None, entry.camera, mj.mjtCatBit.mjCAT_ALL,
                           entry.scene)
        if entry.labels:
            for i in range(entry.scene.ngeom):
                geom = entry.scene.geoms[i]
                if geom.objtype == mj.mjtObj.mjOBJ_GEOM and geom.objid in entry.labels:
                    geom.label = entry.labels[geom.objid]
        mj.mjr_setBuffer(mj.mjtFramebuffer.mjFB_OFFSCREEN, entry.context)
        mj.mjr_render(viewport, entry.scene, entry.context)
        out = np.empty((height, width, 3), dtype=np.uint8)
        mj.mjr_readPixels(out, None, viewport, entry.context)
        return np.ascontiguousarray(np.flipud(out))

    def _compiled(self, key: Hashable, xml: Callable[[], str]) -> _Compiled:
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        mj = self._mj
        model = mj.MjModel.from_xml_string(xml(), assets=texture_assets())
        data = mj.MjData(model)
        mj.mj_forward(model, data)
        camera = mj.MjvCamera()
        camera.type = mj.mjtCamera.mjCAMERA_FIXED
        camera.fixedcamid = model.camera("ego").id
        labels = {i: html.unescape(name.split(":", 1)[1]) for i in range(model.ngeom)
                  if (name := model.geom(i).name).startswith(LABEL_PREFIX) and ":" in name}
        entry = _Compiled(model, data, mj.MjvScene(model, maxgeom=4000),
                          mj.MjrContext(model, mj.mjtFontScale.mjFONTSCALE_150), camera, labels)
        self._cache[key] = entry
        while len(self._cache) > self.cache_size:
            _, old = self._cache.popitem(last=False)
            old.context.free()
        return entry

    def close(self) -> None:
        """Release GL resources (safe to call twice; a forked child leaves the parent's alone)."""
        if self._gl is None or self._pid != os.getpid():
            return
        self._gl.make_current()
        while self._cache:
            _, entry = self._cache.popitem()
            entry.context.free()
        self._gl.free()
        self._gl = None


