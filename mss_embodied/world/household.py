"""The household actions beyond MSSBench's four: pour, fill, empty, slice, break, throw, clean,
dirty, and lighting an ignition source.

Together with :mod:`mss_embodied.world.actions` they cover the high-level actions household-safety
benchmarks use (find, pick, put, open, close, slice, turn on/off, drop, throw, break, cook, dirty,
clean, fill, empty, pour; :data:`ACTION_MAP` says which action each one is). They are a mixin of
:class:`~mss_embodied.world.actions.World`, so they share its preconditions, lenient repairs and
hazard checks. States that only these actions change (lit, dirty, sliced, covered) are instance
properties, so hazard rules read them like any property.
"""

from __future__ import annotations

from mss_embodied.world.catalog import CATALOG
from mss_embodied.world.errors import PreconditionError
from mss_embodied.world.hazards import COVERED, Event
from mss_embodied.world.state import FLOOR, ObjectState, WorldState

#: The actions peers name, and the action of this world that does it.
ACTION_MAP: dict[str, str] = {
    "find": "Goto", "pick": "PickUp", "put": "Place", "open": "Open", "close": "Close", "slice": "Slice",
    "turn on": "Toggle", "turn off": "ToggleOff", "drop": "Drop", "throw": "Throw", "break": "Break",
    "cook": "Heat", "dirty": "Dirty", "clean": "Clean", "fill": "Fill", "empty": "Empty", "pour": "Pour",
    "light": "Toggle (on an ignition source)", "extinguish": "ToggleOff (on an ignition source)",
}


class HouseholdActions:
    """Handlers for the extra actions; :class:`World` provides ``state``, ``lenient`` and the helpers."""

    state: WorldState
    lenient: bool

    # Provided by World (declared here for the type checker).
    def _resolve(self, name: str | None, what: str) -> ObjectState:
        raise NotImplementedError

    def _reach(self, obj: ObjectState, notes: list[str]) -> None:
        raise NotImplementedError

    def _carrying(self, oid: str | None) -> bool:
        raise NotImplementedError

    def _pickup_named(self, name: str, notes: list[str]) -> None:
        raise NotImplementedError

    # ---- helpers ---------------------------------------------------------------------------
    def _liquids(self, source: ObjectState) -> list[ObjectState]:
        """The liquid a container holds (or the object itself, when it is a liquid)."""
        if source.has("liquid"):
            return [source]
        return [o for o in self.state.contents(source.id) if o.has("liquid")]

    def _new_id(self, base: str) -> str:
        k = 1
        while f"{base}{k}" in self.state.objects:
            k += 1
        return f"{base}{k}"

    def _set_property(self, obj: ObjectState, name: str, on: bool) -> None:
        obj.properties = obj.properties | {name} if on else obj.properties - {name}

    # ---- actions ---------------------------------------------------------------------------
    def _pour(self, action_obj: str | None, target_name: str | None, notes: list[str]) -> Event:
        """Pour the held container's liquid (or the named one's) into/onto the target."""
        source = self._resolve(action_obj, "Pour") if action_obj else (
            self.state.objects[self.state.holding] if self.state.holding else None)
        if source is None:
            raise PreconditionError("nothing to pour: the robot holds nothing")
        if not self._carrying(source.id):
            if self.state.holding is not None or not self.lenient:
                raise PreconditionError(f"the robot is not holding the {source.type}")
            self._pickup_named(source.id, notes)
        liquids = self._liquids(source)
        if not liquids:
            raise PreconditionError(f"the {source.type} holds no liquid")
        target = self._resolve(target_name, "Pour")
        if target.id == source.id or self.state.is_within(target.id, source.id):
            raise PreconditionError(f"cannot pour the {source.type} into itself")
        self._reach(target, notes)
        if target.has("receptacle", "container", "floor"):
            host, relation = target.id, "on" if target.has("floor") else "in"
        else:  # poured over something that holds nothing: it runs onto what that stands on, wetting it
            host, relation = self.state.location_of(target.id) or FLOOR, "on"
            target.is_wet = True
        for liquid in liquids:
            if liquid.id == self.state.holding:
                self.state.holding = None
            liquid.parent, liquid.relation = host, relation
        return Event("Pour", object=liquids[0].id, target=target.id)

    def _fill(self, name: str | None, notes: list[str]) -> Event:
        """Fill a container with water at a tap."""
        container = self._resolve(name, "Fill")
        if not container.has("container"):
            raise PreconditionError(f"the {container.type} cannot be filled")
        taps = [o for o in self.state.objects.values() if o.has("water_source")]
        if not taps:
            raise PreconditionError("there is no tap here to fill from")
        self._reach(taps[0], notes)
        if self._liquids(container):
            notes.append(f"the {container.type} was already full")
            return Event("Fill", object=container.id)
        water = self._new_id("Water")
        t = CATALOG.get("Water")
        self.state.objects[water] = ObjectState(water, t.name, t.properties, t.traits, parent=container.id,
                                                relation="in")
        return Event("Fill", object=container.id, target=water)

    def _empty(self, name: str | None, notes: list[str]) -> Event:
        """Pour a container's liquid away: into the basin the robot stands at, else where it stands."""
        container = self._resolve(name, "Empty") if name else (
            self.state.objects[self.state.holding] if self.state.holding else None)
        if container is None:
            raise PreconditionError("nothing to empty: the robot holds nothing")
        liquids = self._liquids(container)
        if not liquids or container.has("liquid"):
            raise PreconditionError(f"the {container.type} holds no liquid to empty")
        self._reach(container, notes)
        at = self.state.objects.get(self.state.agent_at or "")
        host = at.id if at is not None and at.has("receptacle") and at.id != container.id else FLOOR
        for liquid in liquids:
            liquid.parent, liquid.relation = host, "in" if host != FLOOR and at is not None and at.has("wet") else "on"
        return Event("Empty", object=liquids[0].id, target=host)

    def _slice(self, name: str | None, notes: list[str]) -> Event:
        """Cut food with a sharp tool in hand (lenient: picks up a knife when the hand is free)."""
        food = self._resolve(name, "Slice")
        if not food.has("food"):
            raise PreconditionError(f"the {food.type} cannot be sliced")
        held = self.state.objects.get(self.state.holding or "")
        if held is None or not held.has("sharp"):
            knives = [o.id for o in self.state.objects.values() if o.has("sharp") and o.portable]
            if held is not None or not knives or not self.lenient:
                raise PreconditionError("slicing needs a knife in hand")
            self._pickup_named(knives[0], notes)
            notes.append(f"implicit PickUp {self.state.objects[knives[0]].type}")
        self._reach(food, notes)
        sliced = CATALOG.canonical(f"{food.type}Sliced")
        if sliced is not None and sliced != food.type:  # Bread -> BreadSliced, keeping instance extras
            base = CATALOG.get(food.type).properties if CATALOG.canonical(food.type) else frozenset()
            food.type, food.properties = sliced, CATALOG.get(sliced).properties | (food.properties - base)
        else:
            self._set_property(food, "sliced", True)
        return Event("Slice", object=food.id, target=self.state.holding)

    def _break(self, name: str | None, notes: list[str]) -> Event:
        obj = self._resolve(name, "Break")
        self._reach(obj, notes)
        obj.is_broken = True
        return Event("Break", object=obj.id)

    def _throw(self, name: str | None, notes: list[str]) -> Event:
        """Throw the held object: it lands on the floor, and a fragile one breaks."""
        if self.state.holding is None:
            raise PreconditionError("the robot is not holding anything to throw")
        held = self.state.objects[self.state.holding]
        if name is not None:
            named = self.state.find(name)
            if named is not None and not self._carrying(named):
                raise PreconditionError(f"the robot is holding the {held.type}, not the {name}")
        held.parent, held.relation = FLOOR, "on"
        self.state.holding = None
        if held.has("fragile"):
            held.is_broken = True
        return Event("Throw", object=held.id)

    def _soil(self, name: str | None, notes: list[str], dirty: bool) -> Event:
        obj = self._resolve(name, "Dirty" if dirty else "Clean")
        self._reach(obj, notes)
        if obj.has("dirty") == dirty:
            notes.append(f"the {obj.type} was already {'dirty' if dirty else 'clean'}")
        self._set_property(obj, "dirty", dirty)
        return Event("Dirty" if dirty else "Clean", object=obj.id)

    def _cover(self, name: str | None, notes: list[str]) -> Event:
        """Sheathe, case or wrap a thing (a blade wrapped in a towel, glasses folded into their case;
        closing a pair of scissors leaves its points bare, so it is not this). Why a state: packing such
        a thing with what it would scratch, or what would crush it, does no harm, and the hazard rules
        must see that in the world rather than in the answer's words (``COVERED`` in world/hazards.py)."""
        obj = self._resolve(name, "Cover")
        if not obj.portable:
            raise PreconditionError(f"the {obj.type} cannot be covered")
        if obj.has(COVERED):
            notes.append(f"the {obj.type} was already covered")
        self._set_property(obj, COVERED, True)
        return Event("Cover", object=obj.id)

    def _light(self, device: ObjectState, notes: list[str], on: bool, action: str) -> Event:
        """Light or put out an ignition source (Toggle / ToggleOff on a candle)."""
        self._reach(device, notes)
        if device.has("lit") == on:
            notes.append(f"the {device.type} was already {'lit' if on else 'out'}")
        self._set_property(device, "lit", on)
        device.is_on = on  # lit is "on" for goals (is_on Candle) and renderers alike
        return Event(action, target=device.id)
