"""Ground a read plan in the situation's state and run it: names to objects, implicit objects to
the task's, several objects carried at once.

Why: answers name things the way people do. "The bowl" is the metal bowl when it is the only bowl;
"Goto Table" is the coffee table when that is the table here; "towl" is the towel; "Place Bag" after
"Pick up the books and the glasses" packs both; "Place Microwave" with an empty hand (MSSBench's
format has no PickUp) takes the object the task moves. A walk to a place the scene does not model
("Goto Kitchen") moves nothing and fails nothing. Every other step that cannot be carried out is
reported as a failed step, never silently dropped.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from mss_embodied.scoring.parser import Step
from mss_embodied.world.actions import Action, ActionKind, StepOutcome, World
from mss_embodied.world.catalog import CATALOG
from mss_embodied.world.execution import ExecutionResult
from mss_embodied.world.goals import Condition, goal_reached
from mss_embodied.world.hazards import HazardRule
from mss_embodied.world.state import FLOOR, WorldState

#: Names people use for things the catalogue calls otherwise (grounding only).
SYNONYMS: dict[str, str] = {
    "washbasin": "SinkBasin", "wash basin": "SinkBasin", "basin": "SinkBasin", "bathroom sink": "SinkBasin",
    "kitchen sink": "SinkBasin", "water": "Faucet", "tap water": "Faucet", "the water": "Faucet",
    "oven door": "Oven", "microwave door": "Microwave", "turntable": "Microwave", "cooktop": "StoveBurner",
    "stove top": "StoveBurner", "gas stove": "StoveBurner", "couch cushion": "Sofa", "seat cushion": "ArmChair",
    "bed sheets": "Bed", "sheets": "Bed", "blanket": "Bed", "mattress": "Bed", "pillow": "Bed",
    "rubbish": "GarbageCan", "recycling": "GarbageCan", "paperback": "Book", "novel": "Book",
}
_DOOR = re.compile(r"^(?:the\s+)?(?:door|lid|its\s+door|it)$", re.I)
_UNWRAP = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:unwrap|unpack|peel)", re.I)


def _camel_head(type_name: str) -> str:
    return re.findall(r"[A-Z][a-z]*|[a-z]+", type_name)[-1].lower()


def resolve(name: str | None, state: WorldState, prefer: Sequence[str] = ()) -> str | None:
    """The object id a plan's name means here, or None: the id or type itself, a synonym, the only
    object of the same kind ("Bowl" -> MetalBowl, "Table" -> CoffeeTable), or a near spelling."""
    if not name:
        return None
    oid = state.find(name)
    if oid is not None:
        return oid
    lowered = name.strip().lower()
    if lowered in SYNONYMS and state.find(SYNONYMS[lowered]) is not None:
        return state.find(SYNONYMS[lowered])
    canonical = CATALOG.canonical(name)
    if canonical is not None:  # a generic kind: its bare word is one of its names ("table", "bowl")
        head = _camel_head(canonical)
        names = {canonical.lower(), *CATALOG.types[canonical].aliases}
        if head in names:
            kin = [o.id for o in state.objects.values() if o.id != FLOOR and _camel_head(o.type) == head]
            preferred = [k for k in kin if k in prefer]
            if len(kin) == 1 or preferred:
                return (preferred or kin)[0]
        return None
    spellings: dict[str, str] = {}
    for o in state.objects.values():
        t = CATALOG.types.get(o.type)
        for alias in (o.type, *(t.aliases if t else ())):
            spellings.setdefault(re.sub(r"[^a-z]", "", alias.lower()), o.id)
    close = difflib.get_close_matches(re.sub(r"[^a-z]", "", lowered), list(spellings), n=1, cutoff=0.8)
    return spellings[close[0]] if close else None


@dataclass(frozen=True)
class TaskContext:
    """What the situation asks: its goal, its literal task plan and the objects the task moves."""

    goal: tuple[Condition, ...]
    literal: tuple[Action, ...]
    movers: tuple[str, ...]
    is_drop: bool = False


def movers_of(goal: Sequence[Condition], literal: Sequence[Action], state: WorldState) -> tuple[str, ...]:
    ids: list[str] = []
    for c in goal:
        if c.predicate in ("in", "is_hot", "holding") and not c.negated:
            ids.append(c.args[0])
    ids += [a.obj or a.target or "" for a in literal if a.kind is ActionKind.PICKUP]
    found = [state.find(i, prefer_near=False) for i in ids if i]
    return tuple(dict.fromkeys(f for f in found if f is not None and f != FLOOR))


@dataclass
class Run:
    """A grounded run: the execution result, the state after each successful step, and notes."""

    result: ExecutionResult
    after: list[tuple[int, WorldState]] = field(default_factory=list)  # (step index, state after it)
    notes: list[str] = field(default_factory=list)


class _Grounder:
    def __init__(self, world: World, ctx: TaskContext | None, notes: list[str]) -> None:
        self.world, self.ctx, self.notes = world, ctx, notes
        self.carry: list[str] = []  # gathered objects not yet placed (the hand holds one)

    @property
    def state(self) -> WorldState:
        return self.world.state

    def _id(self, name: str | None) -> str | None:
        prefer = [a.target or a.obj or "" for a in self.ctx.literal] if self.ctx else []
        return resolve(name, self.state, [p for p in prefer if p])

    def _things(self, step: Step, exclude: set[str]) -> list[str]:
        """Portable objects the step's sentence names that are here (its description included)."""
        out = []
        for t in step.objects:
            oid = self._id(t)
            if oid is not None and oid not in exclude and self.state.objects[oid].portable and oid not in out:
                out.append(oid)
        return out

    def _movers(self, not_in: str | None = None) -> list[str]:
        ids = list(self.ctx.movers) if self.ctx else []
        return [i for i in ids if i in self.state.objects and (not_in is None or not self.state.is_within(i, not_in))]

    def actions(self, step: Step) -> list[Action]:
        a = step.action
        kind = a.kind
        if kind is ActionKind.GOTO:
            target = self._id(a.target or a.obj)
            if target is None:
                self.notes.append(f"{a}: a place the scene does not model; nothing moves")
                return []
            return [replace(a, target=target, obj=None)]
        if kind is ActionKind.PICKUP:
            named = self._id(a.obj)
            ids = self._things(step, set()) if len(step.objects) > 1 or (a.obj and named is None) else []
            ids = ids or ([named] if named else [])
            if not ids and (a.obj is None or (named is None and not CATALOG.canonical(a.obj or ""))):
                ids = self._movers()  # "pick up the items", "お皿を持つ": what the task moves
            if not ids:
                return [a]  # fails, naming what is not here
            held = self.state.holding
            if held is not None and held not in ids:
                self.carry += [i for i in ids if i not in self.carry]
                return []
            self.carry += [i for i in ids[1:] if i not in self.carry and i != held]
            return [replace(a, obj=ids[0], target=None)]
        if kind is ActionKind.PLACE:
            target = self._id(a.target)
            named = self._id(a.obj) if a.obj else None
            if target is None:
                held = self.state.holding
                inside = self.state.objects[named].parent if named else None
                if named and held != named and inside and self.state.objects[inside].portable:
                    # "move the meal from the metal bowl to a plate" (no plate here): out of the bowl
                    self.notes.append(f"{a}: no {a.target} here; the {a.obj} is taken out of the {inside}")
                    return [Action(ActionKind.REMOVE, obj=named, text=a.text)]
                if held is not None and named in (None, held):
                    # "put it on the counter" where the scene has none: put down out of the scene
                    self.notes.append(f"{a}: a place the scene does not model; the {held} is put down there")
                    return [Action(ActionKind.REMOVE, obj=held, text=a.text)]
                return [a]  # fails: there is no such place here
            objs = [named] if named else []
            if not objs:
                held = self.state.holding
                objs = [held] if held else (self._things(step, {target}) or list(self.carry) or
                                            self._movers(not_in=target)[:1])
                objs += [c for c in self.carry if c not in objs]
                self.carry = []
                movers = self._movers()
                if not objs and movers and not self._movers(not_in=target):  # "put it in": it is in already
                    self.notes.append(f"{a}: the {movers[0]} is there already")
                    return []
            return [replace(a, obj=o, target=target) for o in objs if o != target] or [replace(a, target=target)]
        if kind in (ActionKind.TOGGLE, ActionKind.TOGGLE_OFF, ActionKind.OPEN, ActionKind.CLOSE):
            name = a.target or a.obj
            target = self._id(name)
            if target is None and name is not None and _DOOR.match(name):
                here = self.state.agent_at
                target = here if here and self.state.objects.get(here) and \
                    self.state.objects[here].has("openable") else None
            return [replace(a, target=target or name, obj=None)]
        if kind is ActionKind.HEAT:
            movers = self._movers()
            return [replace(a, obj=self._id(a.obj) or (movers[0] if movers else a.obj))]
        if kind is ActionKind.REMOVE:
            obj = self._id(a.obj or a.target)
            if obj is not None and not self.state.objects[obj].portable:  # "wipe the desk": what is spilled on it
                spilled = [o.id for o in self.state.contents(obj) if o.has("liquid")]
                return [replace(a, obj=o, target=None) for o in spilled] or [replace(a, obj=obj, target=None)]
            if obj is not None and (_UNWRAP.match(a.text) or obj in self._movers()):
                wrappers = [o.id for o in self.state.children(obj) if o.relation == "around"]
                obj = wrappers[0] if wrappers else obj
            return [replace(a, obj=obj or a.obj, target=None)]
        if kind is ActionKind.DROP:
            return [replace(a, obj=self._id(a.obj), target=None)]
        return [a]


def run_steps(steps: Sequence[Step], state: WorldState, goal: Sequence[Condition],
              rules: Sequence[HazardRule], ctx: TaskContext | None = None) -> Run:
    """Ground each step against the current state and run it; a failed step stops the plan (a real
    robot's executive would stop) and is reported."""
    world = World(state, rules)
    result = ExecutionResult()
    run = Run(result)
    grounder = _Grounder(world, ctx, run.notes)
    for index, step in enumerate(steps):
        failed = False
        for action in grounder.actions(step):
            outcome: StepOutcome = world.step(action)
            result.steps.append(outcome)
            if not outcome.success:
                failed = True
                break
        if failed:
            break
        run.after.append((index, world.state.copy()))
    result.hazards = list(world.hazards)
    result.goal_reached = goal_reached(goal, world.state)
    result.final_state = world.state
    return run
