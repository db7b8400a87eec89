"""The symbolic state of a situation as scene files write it: objects, their types and flags.

Validated by pydantic, so every error names its field; :meth:`StateSpec.build` turns a spec into a
:class:`~mss_embodied.world.state.WorldState` with the catalogue's (or the scene's own) properties.
"""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from mss_embodied.data.looks import LookSpec
from mss_embodied.world.catalog import CATALOG, TRAITS, ObjectType
from mss_embodied.world.state import FLOOR, ObjectState, WorldState


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ObjectTypeSpec(_Strict):
    """A scene-defined object type (for things the catalogue lacks): its properties and traits, which
    the world and the hazard rules read, and its ``look``, which every renderer draws."""

    name: str = Field(pattern=r"^[A-Z][A-Za-z0-9]*$")
    properties: list[str] = Field(default_factory=list)
    traits: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    relation: Literal["in", "on"] = "in"  # how text phrases placing something here
    look: LookSpec

    @field_validator("name")
    @classmethod
    def _new(cls, v: str) -> str:
        known = CATALOG.canonical(v)
        if known is not None:
            raise ValueError(f"{v!r} is already the catalogue type {known!r}: use it, or pick a new name")
        return v

    @field_validator("traits")
    @classmethod
    def _traits(cls, v: list[str]) -> list[str]:
        bad = [t for t in v if t not in TRAITS]
        if bad:
            raise ValueError(f"unknown traits {bad}; known: {sorted(TRAITS)} (traits drive the world's mechanics; "
                             "new names go under 'properties')")
        return v

    def build(self) -> ObjectType:
        return ObjectType(self.name, frozenset(self.properties), frozenset(self.traits), tuple(self.aliases),
                          thor=False, relation=self.relation)


class ObjectSpec(_Strict):
    id: str
    type: str
    parent: str | None = None
    relation: Literal["in", "on", "around"] | None = None
    on: bool = False
    open: bool = False
    hot: bool = False
    wet: bool = False
    broken: bool = False
    lit: bool = False  # an ignition source (a candle) burning: adds the "lit" property and is "on"
    feeds: str | None = None
    add_properties: list[str] = Field(default_factory=list)
    remove_properties: list[str] = Field(default_factory=list)

    def properties_of(self, base: frozenset[str]) -> frozenset[str]:
        """The instance's properties: its type's, adjusted, plus ``lit`` when burning."""
        return frozenset((base | set(self.add_properties) | ({"lit"} if self.lit else set()))
                         - set(self.remove_properties))


class StateSpec(_Strict):
    agent_at: str | None = None
    holding: str | None = None
    objects: list[ObjectSpec]

    @model_validator(mode="after")
    def _consistent(self) -> StateSpec:
        ids = [o.id for o in self.objects]
        dupes = sorted(i for i, n in Counter(ids).items() if n > 1)  # linear: scenes may hold 20,000 objects
        if dupes:
            raise ValueError(f"duplicate object ids {dupes}")
        known = set(ids) | {FLOOR}
        for o in self.objects:
            if o.parent is not None and o.parent not in known:
                raise ValueError(f"object {o.id!r}: parent {o.parent!r} is not an object id")
            if o.feeds is not None and o.feeds not in known:
                raise ValueError(f"object {o.id!r}: feeds {o.feeds!r} is not an object id")
        if self.holding is not None:
            if self.holding not in known:
                raise ValueError(f"holding {self.holding!r} is not an object id")
            held = next(o for o in self.objects if o.id == self.holding)
            if held.parent is not None:
                raise ValueError(f"holding {self.holding!r}: a held object has no parent")
        if self.agent_at is not None and self.agent_at not in known:
            raise ValueError(f"agent_at {self.agent_at!r} is not an object id")
        return self

    def _relation_in(self, parent: str | None, extra_types: dict[str, ObjectType],
                     type_of: dict[str, str]) -> str:
        """How something sits in/on ``parent`` (by the parent's type; "in" when unknown)."""
        if parent is None:
            return "in"
        type_name = type_of.get(parent, "Floor")
        if type_name in extra_types:
            return extra_types[type_name].relation
        return CATALOG.get(type_name).relation if CATALOG.canonical(type_name) else "in"

    def build(self, extra_types: dict[str, ObjectType] | None = None) -> WorldState:
        """Turn the spec into a world state, with catalogue properties filled in."""
        state = WorldState(agent_at=self.agent_at, holding=self.holding)
        type_of = {p.id: p.type for p in self.objects}  # one lookup per object, not a scan
        for o in self.objects:
            t = (extra_types or {}).get(o.type)
            if t is None:
                if CATALOG.canonical(o.type) is None:
                    raise ValueError(f"object {o.id!r}: unknown object type {o.type!r} (not in the catalogue; "
                                     "declare it under the scenario's 'types')")
                t = CATALOG.get(o.type)
            props = o.properties_of(t.properties)
            relation = o.relation or self._relation_in(o.parent, extra_types or {}, type_of)
            state.objects[o.id] = ObjectState(
                id=o.id, type=t.name, properties=frozenset(props), traits=t.traits, parent=o.parent,
                relation=relation, is_on=o.on or o.lit, is_open=o.open, is_hot=o.hot, is_wet=o.wet,
                is_broken=o.broken, feeds=o.feeds)
        if FLOOR not in state.objects:  # every room has a floor to drop things on
            floor = CATALOG.get(FLOOR)
            state.objects[FLOOR] = ObjectState(FLOOR, FLOOR, floor.properties, floor.traits)
        # A faucet with no explicit basin runs into the only sink basin, if there is one.
        basins = [b.id for b in state.objects.values() if b.type == "SinkBasin"]
        for obj in state.objects.values():
            if obj.has("water_source") and obj.feeds is None and len(basins) == 1:
                obj.feeds = basins[0]
        return state
