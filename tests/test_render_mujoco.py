"""The built-in MuJoCo renderer: coverage of the catalogue, determinism and visible hazards."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from mss_embodied.render.base import ViewSpec, get_renderer
from mss_embodied.render.mujoco.gl import _missing_message
from mss_embodied.render.mujoco.renderer import SUPPORTED_TYPES, UnknownObjectTypeError, scene_xml, supports
from mss_embodied.render.mujoco.rooms import resolve_room
from mss_embodied.world.catalog import CATALOG
from mss_embodied.world.state import ObjectState, WorldState

SIZE = (160, 160)


def obj(oid: str, type_name: str | None = None, **kw: object) -> ObjectState:
    t = CATALOG.get(type_name or oid)
    return ObjectState(oid, t.name, t.properties, t.traits, **kw)  # type: ignore[arg-type]


def world(*objs: ObjectState, **kw: object) -> WorldState:
    return WorldState({o.id: o for o in objs}, **kw)  # type: ignore[arg-type]


def centre(frame: np.ndarray, frac: float = 0.4) -> np.ndarray:
    h, w = frame.shape[:2]
    dh, dw = int(h * frac / 2), int(w * frac / 2)
    return frame[h // 2 - dh : h // 2 + dh, w // 2 - dw : w // 2 + dw].astype(float)


@pytest.fixture(scope="module")
def renderer() -> Iterator[object]:
    pytest.importorskip("mujoco")
    r = get_renderer("mujoco")
    yield r
    r.close()


# --- no GL needed --------------------------------------------------------------------------
def test_supports_covers_catalogue() -> None:
    portable = [n for n, t in CATALOG.types.items() if t.portable and supports(n)]
    fixtures = [n for n, t in CATALOG.types.items() if not t.portable]
    assert len(portable) >= 30
    assert isinstance(SUPPORTED_TYPES, frozenset)
    assert [n for n in fixtures if not supports(n)] == []


def test_unknown_type_is_a_clear_error() -> None:
    state = world(obj("Sofa"), ObjectState("thing", "Spaceship", parent="Sofa"), agent_at="Sofa")
    with pytest.raises(UnknownObjectTypeError, match="Spaceship"):
        scene_xml(state, ViewSpec(room="living_room"))
    assert "<mujoco" in scene_xml(state, ViewSpec(room="living_room"), generic_fallback=True)


def test_scene_xml_is_deterministic_and_rooms_map() -> None:
    state = world(obj("Microwave", is_on=True), obj("Fork", parent="Microwave"), agent_at="Microwave")
    assert scene_xml(state, ViewSpec(room="kitchen")) == scene_xml(state.copy(), ViewSpec(room="kitchen"))
    assert resolve_room("home office").name == "study"
    assert resolve_room("garage").name == "living_room"


def test_missing_backend_message_names_library() -> None:
    msg = _missing_message({"egl": "no display", "osmesa": "cannot load"})
    assert "libOSMesa.so" in msg and "libEGL.so" in msg and "apt-get install libosmesa6" in msg


# --- rendering -----------------------------------------------------------------------------
def test_shape_dtype_and_determinism(renderer: object) -> None:
    state = world(obj("Sofa"), obj("Knife", parent="Sofa", relation="on"), agent_at="Sofa")
    a = renderer.render(state, ViewSpec(room="living_room"), size=(200, 120))  # type: ignore[attr-defined]
    b = renderer.render(state.copy(), ViewSpec(room="living_room"), size=(200, 120))  # type: ignore[attr-defined]
    assert a.shape == (120, 200, 3) and a.dtype == np.uint8
    assert np.array_equal(a, b)
    fresh = get_renderer("mujoco")
    try:
        assert np.array_equal(a, fresh.render(state, ViewSpec(room="living_room"), size=(200, 120)))
    finally:
        fresh.close()


def test_held_object_changes_bottom_centre(renderer: object) -> None:
    empty = world(obj("Microwave"), obj("Fork", parent="Microwave"), agent_at="Microwave")
    held = world(obj("Microwave"), obj("Fork"), holding="Fork", agent_at="Microwave")
    a = renderer.render(empty, ViewSpec(room="kitchen", focus="Microwave"), size=SIZE)  # type: ignore[attr-defined]
    b = renderer.render(held, ViewSpec(room="kitchen", focus="Microwave"), size=SIZE)  # type: ignore[attr-defined]
    h, w = SIZE[1], SIZE[0]
    region = (slice(int(h * 0.6), h), slice(int(w * 0.35), int(w * 0.65)))
    assert np.abs(a[region].astype(float) - b[region].astype(float)).mean() > 10


def test_lit_burner_glows(renderer: object) -> None:
    off = world(obj("StoveBurner"), agent_at="StoveBurner")
    on = world(obj("StoveBurner", is_on=True), agent_at="StoveBurner")
    a = centre(renderer.render(off, ViewSpec(room="kitchen"), size=SIZE))  # type: ignore[attr-defined]
    b = centre(renderer.render(on, ViewSpec(room="kitchen"), size=SIZE))  # type: ignore[attr-defined]
    assert np.abs(a - b).mean() > 5
    redness = lambda f: float((f[..., 0] - f[..., 2]).mean())  # noqa: E731
    assert redness(b) > redness(a) + 10


def test_fork_in_microwave_is_visible(renderer: object) -> None:
    empty = world(obj("Microwave", is_on=True), agent_at="Microwave")
    fork = world(obj("Microwave", is_on=True), obj("Fork", parent="Microwave"), agent_at="Microwave")
    view = ViewSpec(room="kitchen", focus="Microwave")
    a = renderer.render(empty, view, size=SIZE).astype(int)  # type: ignore[attr-defined]
    b = renderer.render(fork, view, size=SIZE).astype(int)  # type: ignore[attr-defined]
    changed = np.abs(a - b).sum(-1) > 40  # the camera aims at the cavity, not at the fork: look everywhere
    assert changed.mean() > 0.003
    rows, cols = np.nonzero(changed)
    assert SIZE[1] * 0.3 < rows.mean() < SIZE[1] * 0.8 and SIZE[0] * 0.2 < cols.mean() < SIZE[0] * 0.8  # in view


def test_running_faucet_and_puddle_render(renderer: object) -> None:
    state = world(obj("SinkBasin"), obj("Faucet", is_on=True, feeds="SinkBasin"),
                  obj("CellPhone", parent="SinkBasin"), obj("Water", parent="SinkBasin"), agent_at="SinkBasin")
    frame = renderer.render(state, ViewSpec(room="kitchen"), size=SIZE)  # type: ignore[attr-defined]
    blue = (frame[..., 2].astype(int) - frame[..., 0].astype(int)) > 60
    assert blue.mean() > 0.01
