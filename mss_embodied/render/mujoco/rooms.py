"""Room layouts: where each fixture type stands, and the walls, floor and decor around it.

Rooms are 6 m x 6 m, walls at x = +-3 and y = +-3. A slot's yaw turns the fixture's front
(local -y) to face into the room; ``decor`` slots are filled with a default instance when the
state has none of that type (a kitchen always has a counter and a stove), other slots only hold
fixtures the state names, so the picture never invents a hazard-relevant appliance.
"""

from __future__ import annotations

from dataclasses import dataclass

from mss_embodied.render.mujoco.parts import RGBA, Part, box, cyl, ell, rod


@dataclass(frozen=True)
class Slot:
    type: str
    pos: tuple[float, float, float]
    yaw: float = 0.0
    decor: bool = False
    width: float | None = None


@dataclass(frozen=True)
class RoomSpec:
    name: str
    floor_texture: str
    wall: RGBA
    slots: tuple[Slot, ...]
    decor: tuple[Part, ...] = ()


BACK, WEST, EAST, SOUTH = 0.0, 90.0, -90.0, 180.0

#: Free floor spots for fixtures a room has no slot for (they face into the room).
OVERFLOW: tuple[tuple[float, float, float], ...] = (
    (-2.55, -0.6, WEST),
    (2.55, -0.6, EAST),
    (-2.55, -1.9, WEST),
    (2.55, -1.9, EAST),
    (-0.9, -2.55, SOUTH),
    (0.9, -2.55, SOUTH),
    (-1.6, 0.2, BACK),
    (1.6, 0.2, BACK),
    (0.0, -0.8, BACK),
    (-1.0, -1.2, BACK),
    (1.0, -1.2, BACK),
    (0.0, -2.0, BACK),
)

#: Types that stand on a counter; out of their usual room they get a counter underneath.
COUNTER_MOUNTED: frozenset[str] = frozenset({"Microwave", "StoveBurner", "SinkBasin", "Faucet", "Television"})


def _window(x: float, y: float, z: float, yaw: float) -> tuple[Part, ...]:
    """A bright window on a side wall; light and a view of sky make the room read as a home."""
    sky = (0.65, 0.82, 0.98, 1)
    frame = (0.95, 0.95, 0.95, 1)
    if yaw in (WEST, EAST):
        return (
            box(0.01, 0.6, 0.5, x, y, z, sky, emission=0.8),
            box(0.02, 0.62, 0.03, x, y, z, frame),
            box(0.02, 0.03, 0.52, x, y, z, frame),
            box(0.03, 0.66, 0.03, x, y, z - 0.52, frame),
        )
    return (
        box(0.6, 0.01, 0.5, x, y, z, sky, emission=0.8),
        box(0.62, 0.02, 0.03, x, y, z, frame),
        box(0.03, 0.02, 0.52, x, y, z, frame),
        box(0.66, 0.03, 0.03, x, y, z - 0.52, frame),
    )


_KITCHEN_DECOR: tuple[Part, ...] = (
    box(2.5, 0.01, 0.27, 0.4, 2.985, 1.19, (0.9, 0.93, 0.95, 1), specular=0.8),
    *(box(2.5, 0.012, 0.003, 0.4, 2.985, 0.92 + 0.09 * i, (0.75, 0.78, 0.8, 1)) for i in range(1, 6)),
    box(0.32, 0.2, 0.12, 0.3, 2.8, 2.0, (0.75, 0.76, 0.78, 1), specular=0.8),
    box(0.1, 0.1, 0.25, 0.3, 2.9, 2.35, (0.75, 0.76, 0.78, 1)),
    *_window(-2.99, 0.8, 1.5, WEST),
)

_LIVING_DECOR: tuple[Part, ...] = (
    box(1.3, 0.9, 0.003, 0.0, 1.4, 0.003, (0.7, 0.3, 0.25, 1)),
    box(1.1, 0.75, 0.0035, 0.0, 1.4, 0.003, (0.85, 0.75, 0.55, 1)),
    box(0.5, 0.01, 0.35, 0.0, 2.985, 1.55, (0.25, 0.45, 0.55, 1)),
    box(0.45, 0.012, 0.3, 0.0, 2.985, 1.55, (0.9, 0.75, 0.4, 1)),
    cyl(0.015, 0.35, 1.35, 2.7, 0.95, (0.2, 0.2, 0.2, 1)),
    cyl(0.15, 0.12, 1.35, 2.7, 1.35, (0.98, 0.95, 0.85, 1), emission=0.4),
    *_window(-2.99, 0.6, 1.5, WEST),
)

_BEDROOM_DECOR: tuple[Part, ...] = (
    cyl(0.012, 0.15, -0.75, 2.7, 0.75, (0.2, 0.2, 0.2, 1)),
    ell(0.12, 0.12, 0.1, -0.75, 2.7, 0.92, (0.98, 0.92, 0.75, 1), emission=0.4),
    box(1.0, 0.8, 0.003, 0.4, 0.4, 0.003, (0.55, 0.65, 0.75, 1)),
    *_window(2.99, 1.8, 1.5, EAST),
)

_STUDY_DECOR: tuple[Part, ...] = (
    rod((0.5, 2.8, 0.76), (0.5, 2.8, 1.15), 0.01, (0.2, 0.2, 0.2, 1)),
    ell(0.1, 0.08, 0.06, 0.42, 2.72, 1.15, (0.2, 0.2, 0.2, 1)),
    box(0.4, 0.01, 0.3, -0.1, 2.985, 1.6, (0.95, 0.95, 0.9, 1)),
    box(0.35, 0.012, 0.25, -0.1, 2.985, 1.6, (0.4, 0.6, 0.4, 1)),
    *_window(2.99, 1.0, 1.5, EAST),
)

_BATH_DECOR: tuple[Part, ...] = (
    box(2.9, 0.01, 0.6, 0.0, 2.985, 0.6, (0.85, 0.9, 0.95, 1), specular=0.8),
    box(0.35, 0.01, 0.4, 0.6, 2.98, 1.5, (0.8, 0.88, 0.95, 1), specular=1.0, reflectance=0.5),
)

ROOMS: dict[str, RoomSpec] = {
    "kitchen": RoomSpec(
        "kitchen",
        "floor_tiles",
        (0.93, 0.9, 0.82, 1),
        (
            Slot("Fridge", (-2.5, 2.62, 0.0), BACK, True),
            Slot("CounterTop", (-0.5, 2.69, 0.0), BACK, True, 1.0),
            Slot("CounterTop", (-1.55, 2.69, 0.0), BACK, True, 1.1),
            Slot("CounterTop", (1.35, 2.69, 0.0), BACK, True, 1.5),
            Slot("CounterTop", (2.5, 2.69, 0.0), BACK, True, 0.8),
            Slot("SinkBasin", (-1.55, 2.64, 0.92), BACK, True),
            Slot("Faucet", (-1.55, 2.88, 0.92), BACK, True),
            Slot("Oven", (0.3, 2.69, 0.0), BACK, True),
            Slot("StoveBurner", (0.16, 2.56, 0.92), BACK, True),
            Slot("StoveBurner", (0.44, 2.56, 0.92), BACK, True),
            Slot("StoveBurner", (0.16, 2.83, 0.92), BACK, True),
            Slot("StoveBurner", (0.44, 2.83, 0.92), BACK, True),
            Slot("Microwave", (1.15, 2.75, 0.92), BACK),
            Slot("Cabinet", (-0.5, 2.82, 1.5), BACK, True, 0.95),
            Slot("Cabinet", (-1.55, 2.82, 1.5), BACK, True, 1.05),
            Slot("Cabinet", (1.6, 2.82, 1.5), BACK, True, 1.0),
            Slot("Drawer", (-0.5, 2.6, 0.7), BACK),
            Slot("DiningTable", (1.2, 0.0, 0.0), BACK),
            Slot("Chair", (1.2, 0.7, 0.0), BACK),
            Slot("Chair", (0.3, 0.0, 0.0), WEST),
            Slot("GarbageCan", (2.65, 1.9, 0.0), EAST, True),
            Slot("Shelf", (-2.8, -0.6, 0.0), WEST),
            Slot("Floor", (-0.5, 1.3, 0.0), BACK),
        ),
        _KITCHEN_DECOR,
    ),
    "living_room": RoomSpec(
        "living_room",
        "wood_floor",
        (0.86, 0.82, 0.74, 1),
        (
            Slot("Sofa", (0.0, 2.5, 0.0), BACK, True),
            Slot("SideTable", (1.35, 2.7, 0.0), BACK, True),
            Slot("SideTable", (-1.35, 2.7, 0.0), BACK),
            Slot("CoffeeTable", (0.0, 1.4, 0.0), BACK, True),
            Slot("TVStand", (2.75, 0.6, 0.0), EAST, True),
            Slot("Television", (2.8, 0.6, 0.5), EAST, True),
            Slot("ArmChair", (-2.35, 1.0, 0.0), WEST, True),
            Slot("Shelf", (-2.8, -0.8, 0.0), WEST, True),
            Slot("DiningTable", (0.8, -1.2, 0.0), BACK),
            Slot("Chair", (0.8, -0.5, 0.0), BACK),
            Slot("GarbageCan", (2.6, 2.55, 0.0), EAST),
            Slot("Floor", (-0.9, 0.6, 0.0), BACK),
            Slot("Bag", (1.0, 0.5, 0.0), BACK),
            Slot("Box", (-1.0, 0.2, 0.0), BACK),
        ),
        _LIVING_DECOR,
    ),
    "bedroom": RoomSpec(
        "bedroom",
        "carpet",
        (0.8, 0.84, 0.9, 1),
        (
            Slot("Bed", (0.4, 1.9, 0.0), BACK, True),
            Slot("SideTable", (-0.75, 2.7, 0.0), BACK, True),
            Slot("SideTable", (1.55, 2.7, 0.0), BACK),
            Slot("Desk", (2.62, -0.4, 0.0), EAST, True),
            Slot("Chair", (2.0, -1.0, 0.0), WEST, True),
            Slot("Dresser", (-2.72, 0.6, 0.0), WEST, True),
            Slot("Shelf", (-2.8, -1.3, 0.0), WEST),
            Slot("Bag", (-1.3, 1.0, 0.0), BACK),
            Slot("Box", (-1.3, 0.2, 0.0), BACK),
            Slot("TVStand", (0.4, -2.75, 0.0), SOUTH),
            Slot("Television", (0.4, -2.8, 0.5), SOUTH),
            Slot("GarbageCan", (2.6, 2.55, 0.0), EAST),
            Slot("ArmChair", (-2.3, -2.2, 0.0), WEST),
            Slot("Floor", (-0.6, 0.3, 0.0), BACK),
        ),
        _BEDROOM_DECOR,
    ),
    "study": RoomSpec(
        "study",
        "wood_floor",
        (0.9, 0.88, 0.8, 1),
        (
            Slot("Desk", (0.1, 2.63, 0.0), BACK, True),
            Slot("Chair", (0.75, 1.95, 0.0), SOUTH, True),
            Slot("Shelf", (-1.5, 2.8, 0.0), BACK, True),
            Slot("SideTable", (1.45, 2.73, 0.0), BACK),
            Slot("GarbageCan", (-0.85, 2.7, 0.0), BACK, True),
            Slot("Bag", (1.2, 1.4, 0.0), BACK),
            Slot("Box", (-0.5, 1.2, 0.0), BACK),
            Slot("Sofa", (2.5, 0.2, 0.0), EAST),
            Slot("CoffeeTable", (1.5, 0.2, 0.0), EAST),
            Slot("ArmChair", (-2.35, 0.5, 0.0), WEST),
            Slot("Bed", (-1.9, -1.6, 0.0), WEST),
            Slot("Floor", (-0.3, 1.0, 0.0), BACK),
        ),
        _STUDY_DECOR,
    ),
    "bathroom": RoomSpec(
        "bathroom",
        "floor_tiles",
        (0.88, 0.92, 0.95, 1),
        (
            Slot("Toilet", (-1.0, 2.62, 0.0), BACK, True),
            Slot("CounterTop", (0.6, 2.69, 0.0), BACK, True, 0.9),
            Slot("SinkBasin", (0.6, 2.64, 0.92), BACK, True),
            Slot("Faucet", (0.6, 2.88, 0.92), BACK, True),
            Slot("Bathtub", (2.55, 1.3, 0.0), EAST, True),
            Slot("Shelf", (-2.8, 0.8, 0.0), WEST),
            Slot("GarbageCan", (-0.2, 2.75, 0.0), BACK),
            Slot("Floor", (0.0, 1.2, 0.0), BACK),
        ),
        _BATH_DECOR,
    ),
}

_ALIASES: dict[str, str] = {
    "kitchen": "kitchen",
    "dining": "kitchen",
    "pantry": "kitchen",
    "cook": "kitchen",
    "living": "living_room",
    "lounge": "living_room",
    "family": "living_room",
    "tv": "living_room",
    "sitting": "living_room",
    "hall": "living_room",
    "bed": "bedroom",
    "nursery": "bedroom",
    "guest": "bedroom",
    "dorm": "bedroom",
    "study": "study",
    "office": "study",
    "library": "study",
    "work": "study",
    "class": "study",
    "bath": "bathroom",
    "toilet": "bathroom",
    "restroom": "bathroom",
    "washroom": "bathroom",
    "shower": "bathroom",
}


def resolve_room(name: str | None) -> RoomSpec:
    """Map a room name (exact or free text like "home office") to the nearest built room."""
    key = (name or "kitchen").strip().lower().replace("-", "_").replace(" ", "_")
    if key in ROOMS:
        return ROOMS[key]
    for word, room in _ALIASES.items():
        if word in key:
            return ROOMS[room]
    return ROOMS["living_room"]


def room_shell(room: RoomSpec) -> tuple[Part, ...]:
    """Walls and ceiling (the floor is a textured plane added by the scene builder)."""
    wall, h = room.wall, 1.4
    return (
        box(3.0, 0.02, h, 0, 3.02, h, wall),
        box(3.0, 0.02, h, 0, -3.02, h, wall),
        box(0.02, 3.0, h, -3.02, 0, h, wall),
        box(0.02, 3.0, h, 3.02, 0, h, wall),
        box(3.0, 3.0, 0.02, 0, 0, 2.82, (0.97, 0.97, 0.96, 1)),
        box(3.0, 0.015, 0.05, 0, 2.99, 0.05, (0.95, 0.95, 0.93, 1)),
        box(0.015, 3.0, 0.05, -2.99, 0, 0.05, (0.95, 0.95, 0.93, 1)),
        box(0.015, 3.0, 0.05, 2.99, 0, 0.05, (0.95, 0.95, 0.93, 1)),
    )
