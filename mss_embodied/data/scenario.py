"""Scenario model: one safe/unsafe pair of situations with the same kind of task.

Scene files (YAML/JSON) are validated by these pydantic models, so every error names the field;
the loaders add the file. Object and receptacle types are AI2-THOR object types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from mss_embodied.data.looks import LookSpec
from mss_embodied.data.state_spec import ObjectTypeSpec, StateSpec
from mss_embodied.vocabulary import CLASSIFICATION_SETTINGS, VARIANTS, Setting, Variant
from mss_embodied.world.catalog import CATALOG, PROPERTIES, TRAITS, ObjectType
from mss_embodied.world.goals import Condition, GoalError, parse_goal
from mss_embodied.world.hazards import DEFAULT_RULES, HazardRule, RuleSpec
from mss_embodied.world.state import WorldState

#: Task types, extensible with :func:`register_task_type`. Keys are lower-case lookups.
TASK_TYPES: dict[str, str] = {"place": "Place", "toggle": "Toggle", "drop": "Drop", "heat": "Heat",
                              "pickplace": "PickPlace", "pour": "Pour"}
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


_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _unquoted_keys(data: object, path: str = "") -> str | None:
    """The first mapping key YAML turned into a non-string (a bare ``on:`` is the boolean true)."""
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                return where
            found = _unquoted_keys(value, where)
            if found:
                return found
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found = _unquoted_keys(value, f"{path}.{i}" if path else str(i))
            if found:
                return found
    return None


class ViewSpec(_Strict):
    """What the camera shows: the room and the object the robot faces. A scene file's ``render:``
    block, and the request every renderer (schematic, MuJoCo, THOR) takes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    room: str = "kitchen"  # kitchen | living_room | bedroom | study | bathroom
    focus: str | None = None
    #: How to draw the scene's own object types (from its ``types:``; :meth:`Scenario.view` fills it in).
    looks: dict[str, LookSpec] = Field(default_factory=dict)


class SituationSpec(_Strict):
    caption: str = Field(min_length=1)
    image: str | None = None  # path relative to the scene file (bundled) or data root (official)
    render: ViewSpec | None = None

    @field_validator("render")
    @classmethod
    def _no_looks(cls, v: ViewSpec | None) -> ViewSpec | None:
        if v is not None and v.looks:
            raise ValueError("looks belong to the scenario's 'types' (each with its 'look'), not to 'render'")
        return v

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
    #: New property names this scene's types, objects and rules use (the catalogue's are always known).
    properties: list[str] = Field(default_factory=list)

    _base_dir: Path | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _string_keys(cls, data: object) -> object:
        where = _unquoted_keys(data)
        if where is not None:
            raise ValueError(f"field '{where}': a key is not text: YAML reads a bare on/off/yes/no key as a "
                             'boolean, so quote it ("on": true)')
        return data

    @field_validator("properties")
    @classmethod
    def _new_properties(cls, v: list[str]) -> list[str]:
        for name in v:
            if not _NAME.match(name):
                raise ValueError(f"property {name!r}: use lower_snake_case")
            if name in PROPERTIES or name in TRAITS:
                raise ValueError(f"property {name!r} is already known: drop it from 'properties'")
        return v

    def vocabulary(self) -> frozenset[str]:
        """Every property name this scenario may use: the catalogue's and its own."""
        return PROPERTIES | frozenset(self.properties)

    @field_validator("task")
    @classmethod
    def _task(cls, v: str) -> str:
        return canonical_task(v)

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        return canonical_category(v)

    def _check_properties(self) -> None:
        vocab = self.vocabulary()
        hint = f"known: {sorted(vocab)}; declare new ones under the scenario's 'properties'"
        for i, t in enumerate(self.types):
            bad = [p for p in t.properties if p not in vocab]
            if bad:
                raise ValueError(f"field 'types.{i}.properties': unknown properties {bad}; {hint}")
        for variant in VARIANTS:
            state = self.situation(variant).state
            for i, o in enumerate(state.objects if state else []):
                bad = [p for p in o.add_properties + o.remove_properties if p not in vocab]
                if bad:
                    raise ValueError(f"field '{variant}.state.objects.{i}': unknown properties {bad}; {hint}")

    @model_validator(mode="after")
    def _types_known(self) -> Scenario:
        self._check_properties()
        extra = self.extra_types()
        names = [t.name for t in self.types]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"field 'types': {dupes} declared twice")
        for variant in VARIANTS:
            situation = self.situation(variant)
            if situation.state is None:
                continue
            for i, o in enumerate(situation.state.objects):
                if o.type not in extra and CATALOG.canonical(o.type) is None:
                    raise ValueError(f"field '{variant}.state.objects.{i}.type': unknown object type {o.type!r} "
                                     "(not in the catalogue; declare it under the scenario's 'types', with a look)")
            built = situation.state.build(extra)
            for i, o in enumerate(situation.state.objects):
                if o.lit and not built.objects[o.id].has("ignition_source"):
                    raise ValueError(f"field '{variant}.state.objects.{i}.lit': a {o.type} is not an ignition source "
                                     "(give its type the property ignition_source)")
            for condition in parse_goal(situation.goal):
                try:
                    condition.check_names(built)
                except GoalError as exc:
                    raise ValueError(f"field '{variant}.goal': {exc}") from None
        for rule in self.rules:
            rule.build(frozenset(self.properties))
        return self

    def situation(self, variant: Variant) -> SituationSpec:
        return self.safe if variant == "safe" else self.unsafe

    def view(self, variant: Variant) -> ViewSpec:
        """The camera request of a situation: its ``render:`` block (else the scenario's room), with
        the looks of the scenario's own types."""
        view = self.situation(variant).render or ViewSpec(room=self.room or "kitchen")
        return view.model_copy(update={"looks": self.looks()}) if self.types else view

    def looks(self) -> dict[str, LookSpec]:
        return {t.name: t.look for t in self.types}

    def hazard_rules(self) -> tuple[HazardRule, ...]:
        return DEFAULT_RULES + tuple(r.build(frozenset(self.properties)) for r in self.rules)

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
