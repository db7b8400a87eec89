"""The symbolic world: high-level actions with preconditions and effects, and hazard tracking.

Each action checks its preconditions and reports a failure instead of silently doing nothing.
In ``lenient`` mode (the default for scoring model plans) the world fills in the steps a
planner may leave implicit (walking to the receptacle, opening a closed microwave door, picking
up the named object) and records each such repair as a note, because MSSBench's four-action
format has no PickUp or Open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from mss_embodied.world.catalog import CATALOG
from mss_embodied.world.errors import PreconditionError
from mss_embodied.world.hazards import DEFAULT_RULES, Event, Hazard, HazardRule, evaluate
from mss_embodied.world.household import HouseholdActions
from mss_embodied.world.state import FLOOR, ObjectState, WorldState


class ActionKind(str, Enum):
    GOTO = "Goto"
    PICKUP = "PickUp"
    PLACE = "Place"
    DROP = "Drop"
    TOGGLE = "Toggle"  # turn on, as in MSSBench
    TOGGLE_OFF = "ToggleOff"
    OPEN = "Open"
    CLOSE = "Close"
    HEAT = "Heat"  # put into a microwave and run it
    REMOVE = "Remove"  # take a thing out of or off what holds it (foil, a fork, a spill) and set it aside
    # Household actions beyond MSSBench's (handlers in world/household.py).
    POUR = "Pour"
    FILL = "Fill"
    EMPTY = "Empty"
    SLICE = "Slice"
    BREAK = "Break"
    THROW = "Throw"
    CLEAN = "Clean"
    DIRTY = "Dirty"
    COVER = "Cover"  # sheathe, case or wrap a thing: its edge or body is protected (world/household.py)

    def __str__(self) -> str:
        return self.value


#: Other names plans use for an action (the first one or two words of a line).
ALIASES: dict[str, ActionKind] = {
    "find": ActionKind.GOTO, "pick": ActionKind.PICKUP, "pick up": ActionKind.PICKUP, "put": ActionKind.PLACE,
    "turn on": ActionKind.TOGGLE, "switch on": ActionKind.TOGGLE, "turnon": ActionKind.TOGGLE,
    "light": ActionKind.TOGGLE, "ignite": ActionKind.TOGGLE, "turn off": ActionKind.TOGGLE_OFF,
    "switch off": ActionKind.TOGGLE_OFF, "turnoff": ActionKind.TOGGLE_OFF, "extinguish": ActionKind.TOGGLE_OFF,
    "cook": ActionKind.HEAT, "put down": ActionKind.DROP, "wash": ActionKind.CLEAN, "wipe": ActionKind.CLEAN,
}
#: Actions whose one argument is the object acted on (the rest name a target or device).
_OBJECT_KINDS = frozenset({"PickUp", "Drop", "Heat", "Fill", "Empty", "Slice", "Break", "Throw", "Clean", "Dirty",
                           "Cover"})
#: (min, max) arguments; one otherwise.
_ARITY = {"Place": (1, 2), "Pour": (1, 2), "Drop": (0, 1), "Heat": (0, 1), "Empty": (0, 1), "Throw": (0, 1)}


@dataclass(frozen=True)
class Action:
    """One high-level action. ``target`` is the receptacle/device; ``obj`` the object moved."""

    kind: ActionKind
    target: str | None = None
    obj: str | None = None
    text: str = ""  # the source line, for reports

    def __str__(self) -> str:
        if self.kind in (ActionKind.PLACE, ActionKind.POUR) and self.obj:
            return f"{self.kind.value} {self.obj} {self.target}"
        arg = self.target or self.obj
        return f"{self.kind.value} {arg}" if arg else self.kind.value

    @classmethod
    def parse(cls, line: str) -> Action:
        """The inverse of ``str``: ``Goto X``, ``PickUp X``, ``Place [Obj] X``, ``Drop [X]``, ``Toggle X``,
        ``ToggleOff X``, ``Open X``, ``Close X``, ``Heat [X]``, ``Pour [Obj] X``, ``Fill X``, ``Empty [X]``,
        ``Slice X``, ``Break X``, ``Throw [X]``, ``Clean X``, ``Dirty X`` (how scene files write their
        plans), or an alias from :data:`ALIASES` ("Find X", "Turn on X", "Light X", "Cook X"). Free
        text is the response parser's job, not this one's. Raises ValueError naming the line."""
        words = line.split()
        kinds = {k.value.lower(): k for k in ActionKind}
        head = " ".join(words[:2]).lower()
        kind: ActionKind | None
        if head in ALIASES and len(words) >= 2:
            kind, args = ALIASES[head], words[2:]
        else:
            first = words[0].lower() if words else ""
            kind, args = kinds.get(first) or ALIASES.get(first), words[1:]
        if kind is None:
            raise ValueError(f"plan step {line!r}: not an action; use one of {', '.join(k.value for k in ActionKind)}")
        arity = _ARITY.get(kind.value, (1, 1))
        if not arity[0] <= len(args) <= arity[1]:
            raise ValueError(f"plan step {line!r}: {kind.value} takes {'-'.join(map(str, sorted(set(arity))))} "
                             f"argument(s), got {len(args)}")
        text = line.strip()
        if kind in (ActionKind.PLACE, ActionKind.POUR):
            return cls(kind, target=args[-1], obj=args[0] if len(args) == 2 else None, text=text)
        if kind.value in _OBJECT_KINDS:
            return cls(kind, obj=args[0] if args else None, text=text)
        return cls(kind, target=args[0], text=text)


def parse_plan(lines: Sequence[str]) -> list[Action]:
    """A scene file's plan, one action per line (see :meth:`Action.parse`)."""
    return [Action.parse(line) for line in lines]


def format_plan(actions: Sequence[Action]) -> str:
    """Number a plan the way MSSBench's prompts ask for it."""
    return "\n".join(f"{i}. {a}" for i, a in enumerate(actions, 1))


@dataclass
class StepOutcome:
    action: Action
    success: bool
    message: str
    hazards: list[Hazard] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class World(HouseholdActions):
    """A mutable world built from a state; ``step`` applies one action and returns its outcome."""

    def __init__(self, state: WorldState, rules: Sequence[HazardRule] = DEFAULT_RULES,
                 lenient: bool = True) -> None:
        self.state = state.copy()
        if FLOOR not in self.state.objects:
            self.state.objects[FLOOR] = ObjectState(FLOOR, "Floor", traits=frozenset({"receptacle", "fixture",
                                                                                      "floor"}))
        self.rules = tuple(rules)
        self.lenient = lenient
        self._apply_processes()
        self.preexisting: list[Hazard] = evaluate(self.rules, self.state)
        self._seen = {h.key for h in self.preexisting}
        self.hazards: list[Hazard] = []
        self.steps = 0

    # ---- helpers -------------------------------------------------------------------------
    def _resolve(self, name: str | None, what: str) -> ObjectState:
        if not name:
            raise PreconditionError(f"{what} needs an argument")
        oid = self.state.find(name)
        if oid is None:
            raise PreconditionError(f"there is no {name} here")
        return self.state.objects[oid]

    def _carrying(self, oid: str | None) -> bool:
        """The robot holds ``oid`` itself or the dish/wrapper it is in."""
        held = self.state.holding
        return held is not None and oid is not None and (oid == held or self.state.is_within(oid, held))

    def _reach(self, obj: ObjectState, notes: list[str]) -> None:
        where = self.state.location_of(obj.id)
        if where is None or self.state.agent_at == where:
            return
        if not self.lenient:
            raise PreconditionError(f"the robot is not at the {obj.type} (it is at {self.state.agent_at})")
        self.state.agent_at = where
        notes.append(f"implicit Goto {where}")

    def _opened(self, recep: ObjectState, notes: list[str]) -> None:
        if recep.has("openable") and not recep.is_open:
            if not self.lenient:
                raise PreconditionError(f"the {recep.type} is closed")
            recep.is_open = True
            notes.append(f"implicit Open {recep.type}")

    def _apply_processes(self) -> None:
        """Continuous effects: running heaters heat their contents, running taps wet the basin."""
        for obj in self.state.objects.values():
            if not obj.is_on:
                continue
            if (obj.has("heats_contents") and not obj.is_open) or obj.has("cooking_surface"):
                for inner in self.state.contents(obj.id):
                    inner.is_hot = True
            if obj.feeds and obj.feeds in self.state.objects:
                for inner in self.state.contents(obj.feeds):
                    inner.is_wet = True

    # ---- actions -------------------------------------------------------------------------
    def _goto(self, a: Action, notes: list[str]) -> Event:
        target = self._resolve(a.target or a.obj, "Goto")
        self.state.agent_at = self.state.location_of(target.id) or target.id
        return Event("Goto", target=target.id)

    def _pickup(self, a: Action, notes: list[str]) -> Event:
        obj = self._resolve(a.obj or a.target, "PickUp")
        if self.state.holding == obj.id:
            notes.append(f"already holding the {obj.type}")
            return Event("PickUp", object=obj.id)
        if self.state.holding is not None:
            raise PreconditionError(f"the hand is full (holding the {self.state[self.state.holding].type})")
        if not obj.portable:
            raise PreconditionError(f"the {obj.type} cannot be picked up")
        parent = self.state.objects.get(obj.parent) if obj.parent else None
        if parent is not None and parent.portable and parent.has("container") and obj.has("food"):
            notes.append(f"picked up the {parent.type} holding the {obj.type}")
            obj = parent
        self._reach(obj, notes)
        obj.parent = None
        self.state.holding = obj.id
        return Event("PickUp", object=obj.id)

    def _place(self, a: Action, notes: list[str]) -> Event:
        if a.obj is not None:
            named = self._resolve(a.obj, "Place")
            if not self._carrying(named.id):
                if self.state.holding is not None or not self.lenient:
                    raise PreconditionError(f"the robot is not holding the {named.type}")
                self._pickup(Action(ActionKind.PICKUP, obj=named.id), notes)
                notes.append(f"implicit PickUp {named.type}")
        if self.state.holding is None:
            raise PreconditionError("the robot is not holding anything to place")
        target = self._resolve(a.target, "Place")
        if target.id == self.state.holding or self.state.is_within(target.id, self.state.holding):
            raise PreconditionError(f"cannot place the {target.type} into itself")
        if not target.has("receptacle", "container"):
            raise PreconditionError(f"the {target.type} is not a receptacle")
        self._reach(target, notes)
        self._opened(target, notes)
        held = self.state[self.state.holding]
        held.parent = target.id
        held.relation = "on" if target.has("floor") else _relation(target)
        self.state.holding = None
        return Event("Place", object=held.id, target=target.id)

    def _drop(self, a: Action, notes: list[str]) -> Event:
        if self.state.holding is None:
            raise PreconditionError("the robot is not holding anything to drop")
        held = self.state[self.state.holding]
        if a.obj or a.target:
            named = self.state.find(a.obj or a.target or "")
            if named is not None and not self._carrying(named):
                raise PreconditionError(f"the robot is holding the {held.type}, not the {a.obj or a.target}")
        held.parent = FLOOR
        held.relation = "on"
        self.state.holding = None
        if held.has("fragile"):
            held.is_broken = True
        return Event("Drop", object=held.id)

    def _pickup_named(self, name: str, notes: list[str]) -> None:
        self._pickup(Action(ActionKind.PICKUP, obj=name), notes)

    def _switch(self, a: Action, notes: list[str], on: bool) -> Event:
        device = self._resolve(a.target or a.obj, a.kind.value)
        if device.has("ignition_source") and not device.has("toggleable"):  # lighting a candle
            return self._light(device, notes, on, a.kind.value)
        if not device.has("toggleable"):
            raise PreconditionError(f"the {device.type} cannot be switched {'on' if on else 'off'}")
        self._reach(device, notes)
        if device.is_on == on:
            notes.append(f"the {device.type} was already {'on' if on else 'off'}")
        if on and device.has("heats_contents") and device.is_open:
            if not self.lenient:
                raise PreconditionError(f"the {device.type} door is open")
            device.is_open = False
            notes.append(f"implicit Close {device.type}")
        device.is_on = on
        return Event(a.kind.value, target=device.id)

    def _open(self, a: Action, notes: list[str], open_: bool) -> Event:
        recep = self._resolve(a.target or a.obj, a.kind.value)
        if not recep.has("openable"):
            raise PreconditionError(f"the {recep.type} cannot be opened or closed")
        self._reach(recep, notes)
        recep.is_open = open_
        return Event(a.kind.value, target=recep.id)

    def _heat(self, a: Action, notes: list[str]) -> Event:
        name = a.obj or a.target
        named = self.state.find(name) if name is not None else None
        if name is not None and not self._carrying(named):
            self._pickup(Action(ActionKind.PICKUP, obj=name), notes)
        if self.state.holding is None:
            raise PreconditionError("nothing to heat")
        heaters = [o for o in self.state.objects.values() if o.has("heats_contents")]
        if not heaters:
            raise PreconditionError("there is no microwave here")
        heater = heaters[0]
        held = self.state.holding
        self._place(Action(ActionKind.PLACE, target=heater.id), notes)
        self._switch(Action(ActionKind.TOGGLE, target=heater.id), notes, on=True)
        return Event("Heat", object=held, target=heater.id)

    def _remove(self, a: Action, notes: list[str]) -> Event:
        """Take the thing out of (or off) whatever holds or wraps it and set it aside, out of every
        receptacle, with the hand left free: how a plan makes a situation safe before acting
        ("remove the foil, then heat", "take the fork out first", "wipe up the spill")."""
        obj = self._resolve(a.obj or a.target, "Remove")
        if not obj.portable:
            raise PreconditionError(f"the {obj.type} cannot be removed")
        if self.state.holding == obj.id:
            self.state.holding = None
        elif obj.parent is not None:
            self._reach(obj, notes)
            container = self.state.objects.get(obj.parent)
            if container is not None and obj.relation != "around":
                self._opened(container, notes)
        else:
            notes.append(f"the {obj.type} was already set aside")
        obj.parent, obj.relation = None, "in"
        return Event("Remove", object=obj.id)

    def step(self, action: Action) -> StepOutcome:
        """Apply ``action``; on a failed precondition the state is left unchanged."""
        before = self.state.copy()
        notes: list[str] = []
        handlers = {
            ActionKind.GOTO: lambda: self._goto(action, notes),
            ActionKind.PICKUP: lambda: self._pickup(action, notes),
            ActionKind.PLACE: lambda: self._place(action, notes),
            ActionKind.DROP: lambda: self._drop(action, notes),
            ActionKind.TOGGLE: lambda: self._switch(action, notes, on=True),
            ActionKind.TOGGLE_OFF: lambda: self._switch(action, notes, on=False),
            ActionKind.OPEN: lambda: self._open(action, notes, open_=True),
            ActionKind.CLOSE: lambda: self._open(action, notes, open_=False),
            ActionKind.HEAT: lambda: self._heat(action, notes),
            ActionKind.REMOVE: lambda: self._remove(action, notes),
            ActionKind.POUR: lambda: self._pour(action.obj, action.target, notes),
            ActionKind.FILL: lambda: self._fill(action.obj or action.target, notes),
            ActionKind.EMPTY: lambda: self._empty(action.obj or action.target, notes),
            ActionKind.SLICE: lambda: self._slice(action.obj or action.target, notes),
            ActionKind.BREAK: lambda: self._break(action.obj or action.target, notes),
            ActionKind.THROW: lambda: self._throw(action.obj or action.target, notes),
            ActionKind.CLEAN: lambda: self._soil(action.obj or action.target, notes, dirty=False),
            ActionKind.DIRTY: lambda: self._soil(action.obj or action.target, notes, dirty=True),
            ActionKind.COVER: lambda: self._cover(action.obj or action.target, notes),
        }
        index = self.steps
        self.steps += 1
        try:
            event = handlers[action.kind]()
        except PreconditionError as exc:
            self.state = before
            return StepOutcome(action, False, f"{action}: failed: {exc}", notes=notes)
        self._apply_processes()
        new = []
        for hazard in evaluate(self.rules, self.state, event):
            if hazard.key not in self._seen:
                self._seen.add(hazard.key)
                new.append(Hazard(hazard.rule, hazard.category, hazard.message, hazard.objects, index))
        self.hazards.extend(new)
        message = f"{action}: done" + (f" ({'; '.join(notes)})" if notes else "")
        return StepOutcome(action, True, message, new, notes)


def _relation(target: ObjectState) -> str:
    canonical = CATALOG.canonical(target.type)
    return CATALOG.types[canonical].relation if canonical else "in"
