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

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from mss_embodied.scoring.parser import Step
from mss_embodied.scoring.phrases import part_of
from mss_embodied.scoring.resolution import resolve
from mss_embodied.world.actions import Action, ActionKind, StepOutcome, World
from mss_embodied.world.catalog import CATALOG
from mss_embodied.world.execution import ExecutionResult
from mss_embodied.world.goals import Condition, goal_reached
from mss_embodied.world.hazards import Hazard, HazardRule
from mss_embodied.world.state import FLOOR, WorldState

_COLLECTIVE = re.compile(r"\b(?:everything|all|both|things|stuff|belongings|items|them|the\s+rest)\b", re.I)
_DOOR = re.compile(r"^(?:the\s+)?(?:(?:oven|microwave|its|appliance)\s+)?(?:door|lid|it)$", re.I)
_PACKING = re.compile(r"^\W*(?:[\w']+\s+){0,3}?(?:pack|load|stow|stuff|tuck|slip|slide)\w*\b", re.I)
#: Letting go, said with a place ("dropping the phone on the sofa cushion"): in a drop task, a drop.
_LETS_GO = re.compile(r"^\W*(?:[\w']+\s+){0,3}?(?:drop|dropping|release|releasing|"
                      r"let(?:ting)?\s+(?:go|\w+\s+(?:fall|go)))\b", re.I)
_WITH_THING = re.compile(r"\b(?:with|alongside|together\s+with)\s+(?:the|your|my)\s+\w+|\btogether\b", re.I)
#: The edge of a sharp thing ("wrap the blade", "cap the point"): the sharp thing here.
_EDGE = re.compile(r"\b(?:blades?|points?|tips?|edges?)\b", re.I)
#: A thing moved in its protection: "(glasses, in their case)", "wrapped in a towel", "with the blade sheathed".
#: Closed blades are not covered: their points still scratch what they are packed with.
_PROTECTED = re.compile(r"\bwith\s+(?:the|its|their)\s+(?:blades?|points?|tips?|edges?)\s+(?:covered|sheathed|capped|"
                        r"wrapped)\b|\b(?:in|inside)\s+(?:its|their|his|her)\s+(?:own\s+)?"
                        r"(?:[\w-]+\s+)?(?:case|sheath|sleeve|cover|pouch|holster)\b|\b(?:wrapped|sheathed|cased|capped)\b|"
                        r"\b(?:blades?|points?|tips?)\s+(?:covered|capped|sheathed|wrapped)\b", re.I)
#: Words for a spill or the surface it lies on ("wipe the surface dry", "mop up the puddle", "the wet spot").
_SPILL = re.compile(r"^(?:the\s+|that\s+|this\s+|any\s+)?(?:wet\s+|spilled\s+|spilt\s+)?(?:surface|top|spill(?:age)?|"
                    r"puddle|water|liquid|mess|wet\s+(?:spot|patch|area)|spot|patch)s?(?:\s+dry)?$", re.I)
_UNWRAP = re.compile(r"^\W*(?:\w+\s+){0,3}?(?:unwrap|unpack|peel)", re.I)


@dataclass(frozen=True)
class TaskContext:
    """What the situation asks: its goal, its literal task plan and the objects the task moves."""

    goal: tuple[Condition, ...]
    literal: tuple[Action, ...]
    movers: tuple[str, ...]
    is_drop: bool = False

    @property
    def destination(self) -> str | None:
        """Where the task puts things (its last Place, or the heater of a Heat)."""
        places = [a.target for a in self.literal if a.kind is ActionKind.PLACE and a.target]
        return places[-1] if places else None

    @property
    def device(self) -> str | None:
        """What the task switches on."""
        return next((a.target for a in self.literal if a.kind is ActionKind.TOGGLE and a.target), None)


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
    raised: list[tuple[int, Hazard]] = field(default_factory=list)  # (step index, hazard it raised)


class _Grounder:
    def __init__(self, world: World, ctx: TaskContext | None, notes: list[str]) -> None:
        self.world, self.ctx, self.notes = world, ctx, notes
        self.carry: list[str] = []  # gathered objects not yet placed (the hand holds one)
        self.phantom: str | None = None  # a thing picked up that the scene does not model ("PickUp Book")
        self.absent: set[int] = set()  # actions on a thing the scene does not have: they fail, the plan goes on

    def _absent(self, a: Action) -> list[Action]:
        """An act on something the scene lacks ("Open Toaster"): a failed step, reported, that does not
        stop what the plan does with the things it does have."""
        self.absent.add(id(a))
        return [a]

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

    def _inside(self) -> list[str]:
        """The portable things in the place the plan is at, else in the task's device or destination."""
        task = [t for t in (self.ctx.device, self.ctx.destination) if t] if self.ctx else []
        places = [self.state.agent_at or ""] + [i for t in task if (i := self._id(t))]
        for place in (p for p in places if p in self.state.objects):
            fed = [o.id for o in self.state.objects.values() if o.id == self.state.objects[place].feeds]
            for where in [place, *fed]:  # a tap's basin
                inside = [o.id for o in self.state.contents(where) if o.portable]
                if inside:
                    return inside
        return []

    def _wet_place(self) -> str | None:
        """The surface a liquid is spilled on: where the plan is, else where the task puts things, else the one
        wet surface of the scene."""
        task = [self.ctx.destination] if self.ctx and self.ctx.destination else []
        places = [self.state.agent_at or ""] + [i for t in task if (i := self._id(t))]
        wet = [o.parent for o in self.state.objects.values() if o.has("liquid") and o.parent is not None and
               not self.state.objects[o.parent].portable]
        return next((p for p in places if p in wet), wet[0] if len(set(wet)) == 1 else None)

    def _protected(self, name: str | None) -> str | None:
        """The thing a cover protects: the one named, else (for "the blades") the sharp thing held or moved, else
        the held or moved thing that is sharp or delicate."""
        oid = self._id(name)
        if oid is not None and self.state.objects[oid].portable:
            return oid
        near = [i for i in [self.state.holding or "", *self._movers()] if i in self.state.objects]
        want = ("sharp",) if _EDGE.search(name or "") else ("sharp", "fragile", "crushable", "electronic")
        return next((i for i in near if self.state.objects[i].has(*want)), None)

    def _cover(self, a: Action) -> list[Action]:
        obj = self._protected(a.obj or a.target)
        if obj is None:
            self.notes.append(f"{a}: nothing the scene models is covered")
            return []
        return [Action(ActionKind.COVER, obj=obj, text=a.text)]

    def _switch(self, a: Action) -> list[Action]:
        """Toggle, open, close. "It" and "the door" are the appliance here or the task's; opening a tap
        runs it; opening or closing a thing that does neither (closing scissors) changes nothing."""
        name = a.target or a.obj
        target = self._id(name)
        if target is None and (name is None or _DOOR.match(name)):
            here = self.state.objects.get(self.state.agent_at or "")
            # a door opens; so does a tap (it runs the water)
            want = ("openable", "water_source") if a.kind in (ActionKind.OPEN, ActionKind.CLOSE) else ("toggleable",)
            task = [t for t in (self.ctx.device, self.ctx.destination) if t] if self.ctx else []
            options = ([here.id] if here is not None else []) + [i for t in task if (i := self._id(t))]
            target = next((i for i in options if self.state.objects[i].has(*want)), None)
        obj = self.state.objects.get(target or "")
        feeder = next((o for o in self.state.objects.values() if obj is not None and o.feeds == obj.id), None)
        if feeder is not None and obj is not None and not obj.has("toggleable") and a.kind is not ActionKind.CLOSE:
            return [Action(ActionKind.TOGGLE_OFF if a.kind is ActionKind.TOGGLE_OFF else ActionKind.TOGGLE,
                           target=feeder.id, text=a.text)]  # "run the bath": its tap
        if obj is not None and a.kind in (ActionKind.OPEN, ActionKind.CLOSE) and not obj.has("openable"):
            if obj.has("toggleable"):  # "open the tap": run the water
                on = a.kind is ActionKind.OPEN
                return [Action(ActionKind.TOGGLE if on else ActionKind.TOGGLE_OFF, target=obj.id, text=a.text)]
            if obj.portable or obj.has("bag"):  # "open the bag's pocket", "close the scissors"
                self.notes.append(f"{a}: nothing the scene models changes")
                return []
        if target is None and name is None:
            self.notes.append(f"{a}: nothing to switch here")
            return []
        if target is None and name is not None:  # "turn on the light", "open the drawer": not in the scene
            return self._absent(replace(a, target=name, obj=None))
        return [replace(a, target=target or name, obj=None)]

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
            dish = named is None and CATALOG.canonical(a.obj or "") is not None and \
                "container" in CATALOG.types[CATALOG.canonical(a.obj or "") or ""].properties
            if not ids and (a.obj is None or dish or (named is None and not CATALOG.canonical(a.obj or ""))):
                ids = self._movers()  # "pick up the items", "お皿を持つ", the plate the meal is on: what the task moves
            if not ids and named is None and CATALOG.canonical(a.obj or "") is not None:
                self.phantom = a.obj  # "grab a cloth": what the next "Place" with no object puts down
                return self._absent(a)
            if not ids:
                return [a]  # fails, naming what is not here
            held = self.state.holding
            if held is not None and held not in ids:
                self.carry += [i for i in ids if i not in self.carry]
                return []
            self.carry += [i for i in ids[1:] if i not in self.carry and i != held]
            return [replace(a, obj=ids[0], target=None)]
        if kind is ActionKind.POUR and a.obj is not None and (moved := self._id(a.obj)) is not None and \
                not self.state.objects[moved].has("liquid"):
            a, kind = replace(a, kind=ActionKind.PLACE), ActionKind.PLACE  # "pour the food onto a plate": moved
        if kind is ActionKind.PLACE and self.ctx is not None and self.ctx.is_drop and _LETS_GO.match(a.text or "") \
                and self.state.holding is not None:
            return [Action(ActionKind.DROP, obj=self.state.holding, text=a.text)]  # let go, wherever it lands
        if kind is ActionKind.PLACE:
            if a.target is None:  # "pack the books", "put the cup in": where the task puts things
                a = replace(a, target=self.ctx.destination if self.ctx else None)
                if a.target is None:  # no place at all ("놓을게요", "je le pose"): set down where it is
                    if self.state.holding is None:  # "put the plug in": nothing the scene models is held
                        self.notes.append(f"{a}: nothing is held and no place is named; nothing moves")
                        return []
                    return [Action(ActionKind.DROP, obj=self._id(a.obj), text=a.text)]
            beside = a.target.startswith("near ")  # "next to the sink": not in it, a place the scene does not model
            target = None if beside else self._id(a.target)
            anchor = self._id(a.target[5:]) if beside else None
            if anchor is not None and self.state.objects[anchor].portable:
                target = self.state.location_of(anchor)  # "next to the puddle": on the table the puddle is on
            named = self._id(a.obj) if a.obj else None
            if target is not None and self.state.objects[target].portable and \
                    not self.state.objects[target].has("receptacle", "container"):
                dest = self._id(self.ctx.destination) if self.ctx and self.ctx.destination else None
                if _PACKING.match(a.text or "") and dest is not None and target in self._movers(not_in=dest):
                    # "pack the glasses on top of the book": the book is packed too, then the glasses on it
                    return [replace(a, obj=target, target=dest), replace(a, target=dest)]
                where = self.state.location_of(target)  # "on top of the textbook": where the textbook is
                target = where if where is not None and where != target else target
            here = self.state.objects.get(self.state.agent_at or "")
            if target is None and not beside and here is not None and not here.portable and \
                    part_of(here.type, a.target):
                target = here.id  # at the toilet, "the bowl" is the toilet's bowl
            if target is None:
                held = self.state.holding
                inside = self.state.objects[named].parent if named else None
                if named and held != named and inside and self.state.objects[inside].portable:
                    # "move the meal from the metal bowl to a plate" (no plate here): out of the bowl
                    self.notes.append(f"{a}: no {a.target} here; the {a.obj} is taken out of the {inside}")
                    out = [Action(ActionKind.REMOVE, obj=named, text=a.text)]
                    if held == inside:  # the emptied container is set aside: the food goes on, on its new dish
                        out.append(Action(ActionKind.REMOVE, obj=held, text=a.text))
                    return out
                if held is not None and named in (None, held):
                    # "put it on the counter" where the scene has none: put down out of the scene
                    self.notes.append(f"{a}: a place the scene does not model; the {held} is put down there")
                    return [Action(ActionKind.REMOVE, obj=held, text=a.text)]
                moved = named if named is not None else next(iter(self._movers()), None) if a.obj is None else None
                if moved is None and a.obj is None and held is None:  # "set the timer": no thing is put anywhere
                    self.notes.append(f"{a}: nothing is placed")
                    return []
                if moved is not None and moved != held:
                    # "move the teddy bear onto a chair" (no chair here): taken away, out of the scene
                    self.notes.append(f"{a}: a place the scene does not model; the {moved} is taken there")
                    return [Action(ActionKind.REMOVE, obj=moved, text=a.text)]
                return [a]  # fails: there is no such place here
            objs = [named] if named else []
            if named and _WITH_THING.search(a.text or ""):  # "the glasses in the bag with the book": both go in
                objs = [o for o in self._things(step, {target}) if o in self._movers(not_in=target)] + objs
                objs = list(dict.fromkeys(objs))
            if not objs and self.phantom is not None and self.state.holding is None and a.obj is None:
                self.notes.append(f"{a}: the {self.phantom} the plan picked up is not in the scene; nothing moves")
                self.phantom = None
                return []
            if not objs:
                held = self.state.holding
                every = _COLLECTIVE.search(a.text or "")  # "pack everything", "put all your things in"
                objs = [held] if held else (self._things(step, {target}) or list(self.carry) or
                                            self._movers(not_in=target)[:None if every else 1])
                objs += [c for c in self.carry if c not in objs]
                self.carry = []
                movers = self._movers()
                if not objs and movers and not self._movers(not_in=target):  # "put it in": it is in already
                    self.notes.append(f"{a}: the {movers[0]} is there already")
                    return []
            placed = [replace(a, obj=o, target=target) for o in objs if o != target] or [replace(a, target=target)]
            if _PROTECTED.search(a.text or ""):  # "Place Bag (glasses, in their case)": covered, then placed
                covered = [m for p in placed if (m := p.obj or self.state.holding) is not None]
                placed = [Action(ActionKind.COVER, obj=o, text=a.text) for o in dict.fromkeys(covered)] + placed
            return placed
        if kind in (ActionKind.TOGGLE, ActionKind.TOGGLE_OFF, ActionKind.OPEN, ActionKind.CLOSE):
            return self._switch(a)
        if kind is ActionKind.CLEAN and re.search(r"\b(?:tap|faucet|running\s+water|water)\b", a.text or "", re.I):
            return self._switch(Action(ActionKind.TOGGLE, target="Faucet", text=a.text))  # "rinse it under the tap"
        if kind is ActionKind.FILL and self._id(a.target or a.obj) is not None:  # "fill the tub": run its tap
            basin = self.state.objects[self._id(a.target or a.obj) or ""]
            if not basin.portable and any(o.feeds == basin.id for o in self.state.objects.values()):
                return self._switch(Action(ActionKind.TOGGLE, target=basin.id, text=a.text))
        if kind is ActionKind.HEAT:
            movers = self._movers()
            named = self._id(a.obj)
            if named is not None and not self.state.objects[named].portable:  # "heat up the stovetop": switch it on
                return self._switch(Action(ActionKind.TOGGLE, target=named, text=a.text))
            place = self._id(a.target)
            if a.target and place is None:  # "heat it on the stove" where there is none: taken there, out of the scene
                moved = named or (movers[0] if movers else None)
                self.notes.append(f"{a}: a place the scene does not model")
                return [Action(ActionKind.REMOVE, obj=moved, text=a.text)] if moved else []
            if place is not None and self.state.objects[place].has("cooking_surface", "heats_contents"):
                # "heat the burrito on the stove": there, and switched on
                return [Action(ActionKind.PLACE, obj=named or (movers[0] if movers else None), target=place,
                               text=a.text), Action(ActionKind.TOGGLE, target=place, text=a.text)]
            obj = named or (movers[0] if movers else a.obj)
            if obj is None and self.state.holding is None:  # "nuke it" with nothing to carry: start the heater
                return self._switch(Action(ActionKind.TOGGLE, text=a.text))
            heater = self.state.objects[self.state.location_of(obj) or obj] if obj in self.state.objects else None
            if heater is not None and heater.has("heats_contents"):  # "put it in, then heat it": switch it on
                return [Action(ActionKind.TOGGLE, target=heater.id, text=a.text)]
            return [replace(a, obj=obj)]
        if kind is ActionKind.REMOVE:
            if a.obj is None and a.target is None:  # "if anything is in there, I'll take it out": what is inside
                return [replace(a, obj=o) for o in self._inside()] or [a]
            obj = self._id(a.obj or a.target)
            if obj is None and _SPILL.match(a.obj or a.target or ""):
                obj = self._wet_place()  # "wipe the surface dry", "mop up the spill": the wet spot here
            if obj is not None and not self.state.objects[obj].portable:  # "wipe the desk": what is spilled on it
                spilled = [o.id for o in self.state.contents(obj) if o.has("liquid")]
                if not spilled:
                    self.notes.append(f"{a}: nothing is spilled on the {obj}; nothing changes")
                return [replace(a, obj=o, target=None) for o in spilled]
            contents = [c.id for c in self.state.children(obj) if c.id in self._movers()] if obj is not None else []
            if obj is not None and contents and obj not in self._movers() and self.state.objects[obj].portable:
                # "swap the metal bowl for a plate": what the task moves comes out of it, not away with it
                return [replace(a, obj=m, target=None) for m in contents]
            if obj is not None and (_UNWRAP.match(a.text) or obj in self._movers()):
                wrappers = [o.id for o in self.state.children(obj) if o.relation == "around"]
                obj = wrappers[0] if wrappers else obj
            if obj is None:  # "clear the cushions", "lift the lid": nothing the scene models
                return self._absent(replace(a, obj=a.obj or a.target, target=None))
            return [replace(a, obj=obj, target=None)]
        if kind is ActionKind.DROP:
            return [replace(a, obj=self._id(a.obj), target=None)]
        if kind is ActionKind.COVER:
            return self._cover(a)
        return [a]


def run_steps(steps: Sequence[Step], state: WorldState, goal: Sequence[Condition],
              rules: Sequence[HazardRule], ctx: TaskContext | None = None) -> Run:
    """Ground each step against the current state and run it; a failed step stops the plan (a real
    robot's executive would stop) and is reported. A step on something the scene does not have
    ("Open Toaster", "turn on the light") is reported as failed too, but the plan goes on with the
    things it does have: the plan as written still does what it says with them."""
    world = World(state, rules)
    result = ExecutionResult()
    run = Run(result)
    grounder = _Grounder(world, ctx, run.notes)
    for index, step in enumerate(steps):
        failed = False
        known = len(world.hazards)
        for action in grounder.actions(step):
            outcome: StepOutcome = world.step(action)
            result.steps.append(outcome)
            if not outcome.success:
                failed = id(action) not in grounder.absent
                break
        run.raised += [(index, h) for h in world.hazards[known:]]
        if failed:
            break
        run.after.append((index, world.state.copy()))
    result.hazards = list(world.hazards)
    result.goal_reached = goal_reached(goal, world.state)
    result.final_state = world.state
    return run
