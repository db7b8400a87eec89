"""What AI2-THOR 5.0 refuses, as data, and a checker that replays a call list against it.

The facts come from the AI2-THOR 5.0 C# source and real 5.0.0 scene metadata, as reported in
issue 14 (they cannot be fetched here):

* ``forceAction`` on ``PutObject`` lifts only the default placement-restriction lists. It does not
  lift: an empty hand; a target that is no receptacle; a closed Drawer, Cabinet, LaundryHamper,
  Microwave, Fridge or Box (other closed openables, a Toilet, a Safe, still accept); an
  object-specific receptacle (a StoveBurner takes only a Pot, Pan or Kettle) or a full one; an
  object that does not physically fit ("No valid positions": a Book of 0.53 x 0.49 m or an open
  Laptop into a Box of 0.44 x 0.50 m).
* ``ToggleObjectOn``/``Off`` fail on an object already on/off; a Microwave must be closed to turn on
  and off to open. Each StoveKnob switches one burner.
* 5.0.0 scenes start with every Box and Laptop open, DeskLamps and LightSwitches on, everything
  else closed and off; in FloorPlan4 and FloorPlan7 one burner already holds a Pot or Pan.

``PlaceObjectAtPoint`` (objectId, position) puts an object at a point, where ``PutObject`` cannot
(iTHOR object-placement documentation; used with ai2thor 5.0.0): the backend uses it to set a
phone or a loaf on a burner and to rest what does not fit on top of its receptacle.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

#: Receptacles that take only some types, even with forceAction (``ObjectSpecificReceptacle``).
OBJECT_SPECIFIC: dict[str, frozenset[str]] = {"StoveBurner": frozenset({"Pot", "Pan", "Kettle"})}
#: Closed openables PutObject refuses even with forceAction.
CLOSED_REFUSES_PUT: frozenset[str] = frozenset({"Drawer", "Cabinet", "LaundryHamper", "Microwave", "Fridge", "Box"})
#: Initial states of 5.0.0 scenes that differ from "closed and off".
INITIALLY_OPEN: frozenset[str] = frozenset({"Box", "Laptop"})
INITIALLY_ON: frozenset[str] = frozenset({"DeskLamp", "LightSwitch"})
#: Toggle rules: closed to turn on, off to open.
CLOSED_TO_TURN_ON: frozenset[str] = frozenset({"Microwave"})
OFF_TO_OPEN: frozenset[str] = frozenset({"Microwave"})
#: Footprints (metres, the two horizontal extents) known from 5.0.0 metadata: an object fits a
#: receptacle when its footprint, turned either way, is within the receptacle's. Only measured
#: values are listed; a pair with an unknown size is assumed to fit (the live session then checks
#: the real bounding boxes before it places anything).
FOOTPRINTS: dict[str, tuple[float, float]] = {"Book": (0.53, 0.49), "Box": (0.44, 0.50)}
#: Pairs known not to fit whose sizes are not listed: 5.0.0 Laptops start open.
KNOWN_MISFITS: frozenset[tuple[str, str]] = frozenset({("Laptop", "Box")})
#: Types THOR can open (object-types documentation, 5.0).
OPENABLE: frozenset[str] = frozenset({"Blinds", "Book", "Box", "Cabinet", "Drawer", "Fridge", "Laptop", "LaundryHamper",
                                      "Microwave", "Safe", "ShowerCurtain", "ShowerDoor", "Toilet"})
#: Types THOR can fill with a liquid (object-state-changes documentation, 5.0).
FILLABLE: frozenset[str] = frozenset({"Bottle", "Bowl", "Cup", "HousePlant", "Kettle", "Mug", "Pot", "WineBottle"})
#: Types THOR lets the agent pick up (object-types documentation, 5.0).
PICKUPABLE: frozenset[str] = frozenset(" ".join((
    "AlarmClock AluminumFoil Apple AppleSliced BaseballBat BasketBall Book Boots Bottle Bowl Box Bread BreadSliced "
    "ButterKnife Candle CD CellPhone Cloth CreditCard Cup DishSponge Dumbbell Egg Fork HandTowel Kettle KeyChain "
    "Knife Ladle Laptop Lettuce LettuceSliced Mug Newspaper Pan PaperTowelRoll Pen Pencil PepperShaker Pillow "
    "Plate Plunger Pot Potato PotatoSliced RemoteControl SaltShaker ScrubBrush SoapBar SoapBottle Spatula Spoon "
    "SprayBottle Statue TeddyBear TennisRacket TissueBox ToiletPaper Tomato TomatoSliced Towel Vase Watch "
    "WateringCan WineBottle",
)).split())


def fits(obj: str, receptacle: str, footprints: Mapping[str, tuple[float, float]] = FOOTPRINTS) -> bool:
    """False when the pair is a known misfit, or both footprints are known and the object is larger
    either way it is turned; True otherwise."""
    if (obj, receptacle) in KNOWN_MISFITS:
        return False
    if obj not in footprints or receptacle not in footprints:
        return True
    a, b = sorted(footprints[obj])
    c, d = sorted(footprints[receptacle])
    return a <= c and b <= d


def put_refusal(obj: str, receptacle: str, *, is_open: bool, contents: int, hand_empty: bool = False,
                force: bool = True, footprints: Mapping[str, tuple[float, float]] = FOOTPRINTS) -> str | None:
    """Why THOR 5.0 refuses PutObject of ``obj`` into ``receptacle`` (THOR types), or None."""
    if hand_empty:
        return "nothing in hand"
    if not force:
        return "without forceAction the placement-restriction lists apply (not modelled: always force)"
    if receptacle in CLOSED_REFUSES_PUT and not is_open:
        return f"the {receptacle} is closed"
    allowed = OBJECT_SPECIFIC.get(receptacle)
    if allowed is not None and obj not in allowed:
        return f"{obj} is not a valid Object Type to be placed in {receptacle} (takes {', '.join(sorted(allowed))})"
    if allowed is not None and contents:
        return f"the {receptacle} is full"
    if not fits(obj, receptacle, footprints):
        return f"No valid positions to place {obj} in {receptacle}: it does not fit"
    return None


def put_possible(obj: str, receptacle: str) -> bool:
    """PutObject can work once the receptacle is open and empty (type and fit allow it)."""
    return put_refusal(obj, receptacle, is_open=True, contents=0) is None


@dataclass
class ThorState:
    """What the checker tracks per symbolic id: THOR type, open/on, held object, contents."""

    types: dict[str, str]
    is_open: dict[str, bool] = field(default_factory=dict)
    is_on: dict[str, bool] = field(default_factory=dict)
    held: str | None = None
    contents: dict[str, int] = field(default_factory=dict)
    bound: set[str] = field(default_factory=set)

    @classmethod
    def initial(cls, types: Mapping[str, str], bound: Iterable[str] | None = None) -> ThorState:
        state = cls(dict(types))
        state.bound = set(types) if bound is None else set(bound)
        for oid, t in types.items():
            state.is_open[oid] = t in INITIALLY_OPEN
            state.is_on[oid] = t in INITIALLY_ON
        return state


def has_flag(thor_type: str, flag: str) -> bool:
    """A metadata flag a THOR type has in 5.0 (only the flags the backend conditions calls on)."""
    known = {"openable": OPENABLE, "pickupable": PICKUPABLE, "canFillWithLiquid": FILLABLE}.get(flag)
    return True if known is None else thor_type in known


def satisfied(call_action: str, oid: str, state: ThorState) -> bool:
    """The call would change nothing (the session skips it instead of sending it)."""
    if call_action in ("OpenObject", "CloseObject"):
        return state.is_open.get(oid, False) == (call_action == "OpenObject")
    if call_action in ("ToggleObjectOn", "ToggleObjectOff"):
        return state.is_on.get(oid, False) == (call_action == "ToggleObjectOn")
    return False


def refusal(call_action: str, kwargs: Mapping[str, object], state: ThorState) -> str | None:
    """Why THOR would refuse this call in ``state`` (ids in kwargs are symbolic ``@x``), else None;
    updates ``state`` when the call succeeds."""
    def sym(key: str) -> str | None:
        value = kwargs.get(key)
        return value[1:] if isinstance(value, str) and value.startswith("@") else None

    oid = sym("objectId")
    t = state.types.get(oid or "", "")
    if call_action == "PickupObject" and oid is not None:
        if state.held is not None:
            return "Agent hand is not empty"
        if t not in PICKUPABLE:
            return f"{t} is not pickupable"
        state.held = oid
    elif call_action == "PutObject" and oid is not None:
        held_type = state.types.get(state.held or "", "")
        why = put_refusal(held_type, t, is_open=state.is_open.get(oid, False), contents=state.contents.get(oid, 0),
                          hand_empty=state.held is None, force=bool(kwargs.get("forceAction")))
        if why:
            return why
        state.contents[oid] = state.contents.get(oid, 0) + 1
        state.held = None
    elif call_action == "DropHandObject":
        if state.held is None:
            return "nothing in hand"
        state.held = None
    elif call_action == "PlaceObjectAtPoint" and oid is not None:
        if oid == state.held:
            return "the object is in the agent's hand (drop it first)"
    elif call_action in ("OpenObject", "CloseObject") and oid is not None:
        opening = call_action == "OpenObject"
        if opening and t in OFF_TO_OPEN and state.is_on.get(oid):
            return f"the {t} must be off to open"
        state.is_open[oid] = opening
    elif call_action in ("ToggleObjectOn", "ToggleObjectOff") and oid is not None:
        on = call_action == "ToggleObjectOn"
        if state.is_on.get(oid, False) == on:
            return f"the {t} is already {'on' if on else 'off'}"
        if on and t in CLOSED_TO_TURN_ON and state.is_open.get(oid):
            return f"the {t} must be closed to turn on"
        state.is_on[oid] = on
    return None
