"""Render speed of the MuJoCo renderer: mean and p95 seconds per 512x512 frame, after warm-up.

Each state is rendered cold once (compile + texture upload), then timed on repeated renders of a
rotating set of states, the way an environment renders consecutive steps. Target: < 1 s/frame
on a 2-core CPU with OSMesa/EGL software rendering.
"""

from __future__ import annotations

import argparse
import statistics
import time

from mss_embodied.render.base import ViewSpec
from mss_embodied.render.mujoco.renderer import MujocoRenderer
from mss_embodied.world.catalog import CATALOG
from mss_embodied.world.state import ObjectState, WorldState


def _obj(oid: str, type_name: str | None = None, **kw: object) -> ObjectState:
    t = CATALOG.get(type_name or oid)
    return ObjectState(oid, t.name, t.properties, t.traits, **kw)  # type: ignore[arg-type]


def _world(*objs: ObjectState, **kw: object) -> WorldState:
    return WorldState({o.id: o for o in objs}, **kw)  # type: ignore[arg-type]


def states() -> list[tuple[str, WorldState, ViewSpec]]:
    """A handful of typical hazard frames across the rooms."""
    return [
        ("fork in microwave", _world(_obj("Microwave", is_on=True), _obj("Fork", parent="Microwave"),
                                     agent_at="Microwave"), ViewSpec(room="kitchen")),
        ("holding fork", _world(_obj("Microwave"), _obj("Fork"), holding="Fork", agent_at="Microwave"),
         ViewSpec(room="kitchen")),
        ("card on lit burner", _world(_obj("StoveBurner", is_on=True),
                                      _obj("CreditCard", parent="StoveBurner", relation="on"),
                                      agent_at="StoveBurner"), ViewSpec(room="kitchen")),
        ("phone in running sink", _world(_obj("SinkBasin"), _obj("Faucet", is_on=True, feeds="SinkBasin"),
                                         _obj("CellPhone", parent="SinkBasin"), agent_at="SinkBasin"),
         ViewSpec(room="kitchen")),
        ("knife on sofa", _world(_obj("Sofa"), _obj("Knife", parent="Sofa", relation="on"), agent_at="Sofa"),
         ViewSpec(room="living_room")),
        ("water on desk", _world(_obj("Desk"), _obj("Water", parent="Desk", relation="on"),
                                 _obj("Paper", parent="Desk", relation="on"), agent_at="Desk"), ViewSpec(room="study")),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    size = (args.size, args.size)
    renderer = MujocoRenderer(cache_size=len(states()) + 1)
    cold: list[float] = []
    for _, state, view in states():
        t0 = time.perf_counter()
        renderer.render(state, view, size)
        cold.append(time.perf_counter() - t0)
    warm: list[float] = []
    for _ in range(args.repeats):
        for _, state, view in states():
            t0 = time.perf_counter()
            renderer.render(state, view, size)
            warm.append(time.perf_counter() - t0)
    warm.sort()
    p95 = warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))]
    print(f"backend={renderer.backend} size={size[0]}x{size[1]} frames={len(warm)}")
    print(f"warm: mean={statistics.mean(warm):.3f}s p95={p95:.3f}s per frame")
    print(f"cold (new scene: compose+compile+upload): mean={statistics.mean(cold):.3f}s max={max(cold):.3f}s")
    renderer.close()


if __name__ == "__main__":
    main()
