"""Derive a symbolic state, goal and task plan from MSSBench's captions and instructions.

MSSBench's embodied records carry no state, but their text is regular: "The robot is holding a
Knife.", "The CellPhone is in the Microwave.", "There are books and a pair of glasses on the
desk.", "Place the object in your hand ... on the Sofa.". Where caption and instruction together
determine the situation, we build it, so that plans on the official benchmark can be executed
too. Where they do not, :class:`DerivationError` says why.

Three rules keep a derived state faithful to its record. Every place or object type that any
paraphrase of the situation names is in the state (a Drop record's paraphrases walk to the sink,
the fridge, the microwave or the table). A negation in the caption is kept ("a non-open milk tea" is
no spillable drink). And no hazard comes from a property the caption does not give: a fragile
device is not taken for a crushing weight, so "a laptop and a camera" pack without one crushing the
other. The notes say what each rule changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mss_embodied.world.catalog import CATALOG

_HOLDING = re.compile(r"^the robot is holding (?:an?\s+|the\s+)?(?P<x>.+?)\.?$", re.I)
_IN_DISH = re.compile(r"^the (?P<x>.+?) is (?:in|on) an? (?P<dish>.+?(?:bowl|plate))\.?$", re.I)
_WRAPPED = re.compile(r"^the (?P<x>.+?) is wrapped (?:with|in) (?P<w>.+?)\.?$", re.I)
_IN = re.compile(r"^the (?P<x>.+?) is (?:in|inside|on) the (?P<y>.+?)\.?$", re.I)
_THERE = re.compile(r"^there (?:is|are) (?P<list>.+?) (?:on|in) the (?P<y>.+?)\.?$", re.I)
_DRY = re.compile(r"^the (?P<y>.+?) is (?:dry|clean|empty)\.?$", re.I)

_PLACE = re.compile(r"place the object in your hand.*?\b(?:in|on|into|onto) the (?P<y>[A-Za-z ]+?)\s*\.?$", re.I)
_TOGGLE = re.compile(r"^turn on the (?P<y>.+?)\.?$", re.I)
_DROP = re.compile(r"^drop the object", re.I)
_HEAT = re.compile(r"^heat my (?P<x>\w+) on the (?P<y>\w+) with the (?P<z>\w+)", re.I)
_PACK = re.compile(r"^put my stuffs? on the (?P<y>\w+) into my (?P<z>\w+)", re.I)
_TRASH = re.compile(r"useless (?:junk|stuff) on (?:my|the) (?P<y>\w+).*\btrash", re.I)
_FETCH = re.compile(r"^take the (?P<x>\w+) from my (?P<b>\w+) on the (?P<c>\w+) and put them on the (?P<y>\w+)", re.I)


class DerivationError(ValueError):
    """The caption and instruction do not determine a state."""


@dataclass
class DerivedSituation:
    """A state spec (as scene-file data), goal and task plan for one situation."""

    objects: list[dict[str, object]] = field(default_factory=list)
    holding: str | None = None
    goal: list[str] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)
    room: str = "kitchen"
    focus: str | None = None
    notes: list[str] = field(default_factory=list)  # what the faithfulness rules changed, for the report

    def add(self, type_name: str, parent: str | None = None, relation: str | None = None,
            **flags: object) -> str:
        taken = {str(o["id"]) for o in self.objects}
        oid, n = type_name, 2
        while oid in taken:
            oid, n = f"{type_name}{n}", n + 1
        spec: dict[str, object] = {"id": oid, "type": type_name}
        if parent is not None:
            spec["parent"] = parent
        if relation is not None:
            spec["relation"] = relation
        spec.update(flags)
        self.objects.append(spec)
        return oid

    def fixture(self, type_name: str) -> str:
        for o in self.objects:
            if o["type"] == type_name:
                return str(o["id"])
        return self.add(type_name)

    def state(self) -> dict[str, object]:
        return {"holding": self.holding, "objects": self.objects}


#: Caption words that deny a property's premise: a closed drink does not spill.
_NEGATED = re.compile(r"\b(?:non-?open(?:ed)?|un-?opened|not\s+open(?:ed)?|sealed|closed|capped|lidded|"
                      r"with\s+(?:a|its)\s+lid)\b", re.I)
_DENIED_BY_NEGATION = ("spillable", "liquid")


def _item(d: DerivedSituation, phrase: str, parent: str, what: str) -> str:
    """Add the object a caption phrase names, keeping a negation the phrase states."""
    type_name = _type(phrase, what)
    removed: list[str] = []
    props = CATALOG.get(type_name).properties
    if _NEGATED.search(phrase) and props & set(_DENIED_BY_NEGATION):
        removed += [p for p in _DENIED_BY_NEGATION if p in props]
        d.notes.append(f"{type_name}: the caption says it is not open, so it is no spillable liquid")
    if {"fragile", "heavy"} <= props:
        removed.append("heavy")
        d.notes.append(f"{type_name}: fragile, so not taken for a crushing weight (the caption gives no load)")
    if removed:
        return d.add(type_name, parent=parent, remove_properties=removed)
    return d.add(type_name, parent=parent)


def _phrases(listing: str) -> list[str]:
    """"a book and a non-open milk tea" -> ["a book", "a non-open milk tea"]."""
    return [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", listing) if p.strip()]


def _type(phrase: str, what: str) -> str:
    mentions = CATALOG.find_mentions(phrase)
    if not mentions:
        raise DerivationError(f"{what}: no known object type in {phrase!r}")
    return mentions[0]


def _types(phrase: str) -> list[str]:
    types = CATALOG.find_mentions(phrase)
    if not types:
        raise DerivationError(f"no known object type in {phrase!r}")
    return types


_ROOMS = {"Microwave": "kitchen", "StoveBurner": "kitchen", "Oven": "kitchen", "SinkBasin": "kitchen",
          "Faucet": "kitchen", "CounterTop": "kitchen", "DiningTable": "kitchen", "Sofa": "living_room",
          "ArmChair": "living_room", "Bed": "bedroom", "Desk": "study", "Toilet": "bathroom",
          "GarbageCan": "living_room", "Bag": "study", "Chair": "study"}


def _caption_facts(caption: str, d: DerivedSituation) -> None:
    """Add what the caption states to ``d``."""
    text = caption.strip()
    if m := _HOLDING.match(text):
        d.holding = d.add(_type(m["x"], "held object"))
    elif m := _WRAPPED.match(text):
        food = d.add(_type(m["x"], "wrapped object"), parent=d.fixture("DiningTable"))
        d.add(_type(m["w"], "wrapper"), parent=food, relation="around")
    elif m := _IN_DISH.match(text):
        dish = d.add(_type(m["dish"], "dish"), parent=d.fixture("DiningTable"))
        d.add(_type(m["x"], "object in the dish"), parent=dish)
    elif m := _THERE.match(text):
        where = d.fixture(_type(m["y"], "surface"))
        for phrase in _phrases(m["list"]):
            if CATALOG.find_mentions(phrase):
                _item(d, phrase, where, "listed object")
        if not _portables_on(d, where):
            _types(m["list"])  # raises: the caption lists nothing the catalogue knows
    elif m := _IN.match(text):
        where = d.fixture(_type(m["y"], "receptacle"))
        d.add(_type(m["x"], "object"), parent=where)
    elif _DRY.match(text):
        d.fixture(_type(_DRY.match(text)["y"], "surface"))  # type: ignore[index]
    else:
        raise DerivationError(f"caption {caption!r} matches no known pattern")


def _portables_on(d: DerivedSituation, where: str) -> list[str]:
    return [str(o["id"]) for o in d.objects if o.get("parent") == where]


def _named_places(d: DerivedSituation, paraphrases: list[str]) -> None:
    """Every fixture type a paraphrase names exists in the state (the robot may be told to walk there)."""
    present = {str(o["type"]) for o in d.objects}
    for text in paraphrases:
        for type_name in CATALOG.find_mentions(text):
            if type_name not in present and not CATALOG.get(type_name).portable:
                d.fixture(type_name)
                present.add(type_name)
                d.notes.append(f"{type_name}: named by a paraphrase")


def derive_situation(caption: str, instruction: str, paraphrases: list[str] | None = None) -> DerivedSituation:
    """Build the state, goal and literal task plan for one MSSBench situation; ``paraphrases`` are
    all the instructions of the situation (their places are added to the state)."""
    d = DerivedSituation()
    _caption_facts(caption, d)
    text = instruction.strip()
    if m := _PLACE.search(text):
        if d.holding is None:
            raise DerivationError("the instruction places the held object but the caption names none")
        target = d.fixture(_type(m["y"], "target receptacle"))
        d.goal = [f"in {d.holding} {target}"]
        d.plan = [f"Goto {target}", f"Place {target}"]
        d.focus = target
    elif m := _TOGGLE.match(text):
        device = d.fixture(_type(m["y"], "device"))
        if device == "Faucet":
            d.fixture("SinkBasin")
        d.goal = [f"is_on {device}"]
        d.plan = [f"Goto {device}", f"Toggle {device}"]
        d.focus = device
    elif _DROP.match(text):
        if d.holding is None:
            raise DerivationError("the instruction drops the held object but the caption names none")
        d.goal = [f"in {d.holding} Floor"]
        d.plan = ["Drop"]
    elif m := _HEAT.match(text):
        food = next((str(o["id"]) for o in d.objects if o["type"] == _type(m["x"], "food")), None)
        if food is None:
            raise DerivationError(f"the caption does not place the {m['x']} anywhere")
        table = d.fixture(_type(m["y"], "table"))
        heater = d.fixture(_type(m["z"], "heater"))
        d.goal = [f"is_hot {food}"]
        d.plan = [f"Goto {table}", f"PickUp {food}", f"Goto {heater}", f"Place {heater}", f"Toggle {heater}"]
        d.focus = table
    elif m := _PACK.match(text):
        desk = d.fixture(_type(m["y"], "surface"))
        bag = d.fixture(_type(m["z"], "bag"))
        items = _portables_on(d, desk)
        if not items:
            raise DerivationError(f"the caption puts nothing on the {m['y']}")
        d.goal = [f"in {i} {bag}" for i in items]
        d.plan = [step for i in items for step in (f"Goto {desk}", f"PickUp {i}", f"Goto {bag}", f"Place {bag}")]
        d.focus = desk
    elif m := _TRASH.search(text):
        table = d.fixture(_type(m["y"], "surface"))
        bin_ = d.fixture("GarbageCan")
        items = _portables_on(d, table)
        if not items:
            raise DerivationError(f"the caption puts nothing on the {m['y']}")
        d.goal = [f"in {i} {bin_}" for i in items]
        d.plan = [step for i in items for step in (f"Goto {table}", f"PickUp {i}", f"Goto {bin_}",
                                                   f"Place {bin_}")]
        d.focus = table
    elif m := _FETCH.match(text):
        chair = d.fixture(_type(m["c"], "seat"))
        bag = d.add(_type(m["b"], "bag"), parent=chair)
        docs = d.add(_type(m["x"], "documents"), parent=bag)
        desk = d.fixture(_type(m["y"], "surface"))
        d.goal = [f"in {docs} {desk}"]
        d.plan = [f"Goto {bag}", f"PickUp {docs}", f"Goto {desk}", f"Place {desk}"]
        d.focus = desk
    else:
        raise DerivationError(f"instruction {instruction!r} matches no known task pattern")
    room_fixtures = [str(o["type"]) for o in d.objects if "parent" not in o]
    _named_places(d, [instruction, *(paraphrases or [])])
    fixtures = room_fixtures
    d.room = next((_ROOMS[f] for f in fixtures if f in _ROOMS), "kitchen")
    return d
