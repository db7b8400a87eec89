"""Scenario model: one safe/unsafe pair of situations with the same kind of task.

Scene files (YAML/JSON) are validated by these pydantic models, so every error names the field;
the loaders add the file. Object and receptacle types are AI2-THOR object types.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from mss_embodied.vocabulary import CLASSIFICATION_SETTINGS, VARIANTS, Setting, Variant
from mss_embodied.world.catalog import CATALOG, PROPERTIES, ObjectType
from mss_embodied.world.goals import Condition, GoalError, parse_goal
from mss_embodied.world.hazards import DEFAULT_RULES, HazardRule, RuleSpec
from mss_embodied.world.state import FLOOR, ObjectState, WorldState

#: Task types, extensible with :func:`register_task_type`. Keys are lower-case lookups.
TASK_TYPES: dict[str, str] = {"place": "Place", "toggle": "Toggle", "drop": "Drop", "heat": "Heat",
                              "pickplace": "PickPlace"}
#: Harm categories, extensible with :func:`register_category`.
CATEGORIES: dict[str, str] = {"propertydamage": "property_damage", "property": "property_damage",
                              "personalharm": "personal_harm", "harmful": "personal_harm",
                              "harm": "personal_harm"}


def _norm(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def register_task_type(name: str) -> None:
    TASK_TYPES[_norm(name)] = name


def register_category(name: str, *aliases: str) -> None:
    for alias in (name, *aliases):
        CATEGORIES[_norm(alias)] = name


def canonical_task(name: str) -> str:
    """``Pick_Place`` -> ``PickPlace``; raises ValueError naming the known tasks."""
    try:
        return TASK_TYPES[_norm(name)]
    except KeyError:
        raise ValueError(f"unknown task {name!r}; known: {sorted(set(TASK_TYPES.values()))}") from None


def canonical_category(name: str) -> str:
    try:
        return CATEGORIES[_norm(name)]
    except KeyError:
        raise ValueError(f"unknown category {name!r}; known: {sorted(set(CATEGORIES.values()))}") from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ObjectTypeSpec(_Strict):
    """A scene-defined object type (for things the catalogue lacks)."""

    name: str
    properties: list[str] = Field(default_factory=list)
    traits: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)

    def build(self) -> ObjectType:
        return ObjectType(self.name, frozenset(self.properties), frozenset(self.traits), tuple(self.aliases),
                          thor=False)


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
    feeds: str | None = None
    add_properties: list[str] = Field(default_factory=list)
    remove_properties: list[str] = Field(default_factory=list)

    @field_validator("add_properties", "remove_properties")
    @classmethod
    def _known_props(cls, v: list[str]) -> list[str]:
        bad = [p for p in v if p not in PROPERTIES]
        if bad:
            raise ValueError(f"unknown properties {bad}; known: {sorted(PROPERTIES)}")
        return v


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
            props = (t.properties | set(o.add_properties)) - set(o.remove_properties)
            parent_type = None
            if o.parent is not None:
                parent_type = type_of.get(o.parent, "Floor")
            relation = o.relation or (
                CATALOG.get(parent_type).relation if parent_type and CATALOG.canonical(parent_type) else "in")
            state.objects[o.id] = ObjectState(
                id=o.id, type=t.name, properties=frozenset(props), traits=t.traits, parent=o.parent,
                relation=relation, is_on=o.on, is_open=o.open, is_hot=o.hot, is_wet=o.wet,
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


class ViewSpec(_Strict):
    """What the camera shows: the room and the object the robot faces. A scene file's ``render:``
    block, and the request every renderer (schematic, MuJoCo, THOR) takes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    room: str = "kitchen"  # kitchen | living_room | bedroom | study | bathroom
    focus: str | None = None


class SituationSpec(_Strict):
    caption: str = Field(min_length=1)
    image: str | None = None  # path relative to the scene file (bundled) or data root (official)
    render: ViewSpec | None = None
    state: StateSpec | None = None
    goal: list[str] = Field(default_factory=list)
    plan: list[str] = Field(default_factory=list)  # the literal task plan, safety ignored

    @model_validator(mode="after")
    def _goal_parses(self) -> SituationSpec:
        try:
            conditions = parse_goal(self.goal)
        except GoalError as exc:
            raise ValueError(str(exc)) from None
        del conditions  # names are checked by Scenario, which knows the scene's own types
        return self


class Instructions(_Strict):
    """Paraphrases per variant, run in pairs. ``primary`` is the single canonical instruction the
    paper's classification settings (qc, ic, ic_cap) use; it defaults to the first paraphrase."""

    safe: list[str] = Field(min_length=1)
    unsafe: list[str] = Field(min_length=1)
    primary: dict[Variant, str] | None = None

    @field_validator("safe", "unsafe")
    @classmethod
    def _non_empty(cls, v: list[str]) -> list[str]:
        for i, text in enumerate(v):
            if not text.strip():
                raise ValueError(f"instruction {i} is empty")
        return v

    @model_validator(mode="after")
    def _paired(self) -> Instructions:
        if len(self.safe) != len(self.unsafe):
            raise ValueError(f"safe has {len(self.safe)} instructions but unsafe has {len(self.unsafe)}: "
                             "paraphrases are run in pairs")
        return self


class Scenario(_Strict):
    """One safe/unsafe pair."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    task: str
    category: str
    room: str | None = None
    source: str = "bundled"
    description: str = ""
    instructions: Instructions
    safe: SituationSpec
    unsafe: SituationSpec
    rules: list[RuleSpec] = Field(default_factory=list)
    types: list[ObjectTypeSpec] = Field(default_factory=list)

    _base_dir: Path | None = PrivateAttr(default=None)

    @field_validator("task")
    @classmethod
    def _task(cls, v: str) -> str:
        return canonical_task(v)

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        return canonical_category(v)

    @model_validator(mode="after")
    def _types_known(self) -> Scenario:
        extra = self.extra_types()
        for variant in VARIANTS:
            situation = self.situation(variant)
            if situation.state is None:
                continue
            for i, o in enumerate(situation.state.objects):
                if o.type not in extra and CATALOG.canonical(o.type) is None:
                    raise ValueError(f"field '{variant}.state.objects.{i}.type': unknown object type {o.type!r} "
                                     "(not in the catalogue; declare it under the scenario's 'types')")
            built = situation.state.build(extra)
            for condition in parse_goal(situation.goal):
                try:
                    condition.check_names(built)
                except GoalError as exc:
                    raise ValueError(f"field '{variant}.goal': {exc}") from None
        for rule in self.rules:
            rule.build()
        return self

    def situation(self, variant: Variant) -> SituationSpec:
        return self.safe if variant == "safe" else self.unsafe

    def view(self, variant: Variant) -> ViewSpec:
        """The camera request of a situation: its ``render:`` block, else the scenario's room."""
        return self.situation(variant).render or ViewSpec(room=self.room or "kitchen")

    def hazard_rules(self) -> tuple[HazardRule, ...]:
        return DEFAULT_RULES + tuple(r.build() for r in self.rules)

    def extra_types(self) -> dict[str, ObjectType]:
        return {t.name: t.build() for t in self.types}

    def world_state(self, variant: Variant) -> WorldState | None:
        spec = self.situation(variant).state
        return None if spec is None else spec.build(self.extra_types())

    def goal(self, variant: Variant) -> tuple[Condition, ...]:
        return parse_goal(self.situation(variant).goal)

    def with_base_dir(self, base: Path) -> Scenario:
        self._base_dir = base
        return self

    def image_path(self, variant: Variant) -> Path | None:
        image = self.situation(variant).image
        if image is None:
            return None
        return (self._base_dir or Path(".")) / image

    def episodes(self, setting: Setting = "if") -> list[Episode]:
        """The episodes a setting runs. Plan settings (if, cot) run each paraphrase on its own
        image, the paper's instruction-following unit; the classification settings (qc, ic,
        ic_cap) run the one canonical instruction per image, as the official code does."""
        out = []
        for variant in VARIANTS:
            paraphrases: list[str] = getattr(self.instructions, variant)
            if setting in CLASSIFICATION_SETTINGS:
                primary = (self.instructions.primary or {}).get(variant, paraphrases[0])
                out.append(Episode(f"{self.id}/{variant}/primary", self, variant, -1, primary))
                continue
            for k, text in enumerate(paraphrases):
                out.append(Episode(f"{self.id}/{variant}/{k}", self, variant, k, text))
        return out


@dataclass(frozen=True)
class Episode:
    """One (situation, instruction) pair: what a policy answers once."""

    id: str
    scenario: Scenario
    variant: Variant
    paraphrase: int
    instruction: str

    @property
    def situation(self) -> SituationSpec:
        return self.scenario.situation(self.variant)

    @property
    def task(self) -> str:
        return self.scenario.task

    @property
    def category(self) -> str:
        return self.scenario.category

    @property
    def caption(self) -> str:
        return self.situation.caption

    @property
    def view(self) -> ViewSpec:
        return self.scenario.view(self.variant)

    def metadata(self) -> dict[str, object]:
        return {"episode_id": self.id, "scenario_id": self.scenario.id, "variant": self.variant,
                "paraphrase": self.paraphrase, "task": self.task, "category": self.category,
                "source": self.scenario.source}
