"""Which iTHOR FloorPlan to load for a room and the receptacles a situation needs.

The ai2thor wheel carries no per-scene object inventory (only ``Controller.ithor_scenes``' ranges:
kitchens 1-30, living rooms 201-230, bedrooms 301-330, bathrooms 401-430), so the table below is
curated: a subset of FloorPlans with their object types as listed by ALFRED's scene dumps
(github.com/askforalfred/alfred, ``gen/layouts/FloorPlan<N>-objects.json``). Those dumps predate
AI2-THOR 5.0, so :class:`~mss_embodied.thor.renderer.ThorRenderer` re-checks the live scene metadata
after loading and falls back to the next candidate when a needed type is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: FloorPlan number ranges per room type (ai2thor ``Controller.ithor_scenes``).
ROOM_RANGES: dict[str, range] = {"kitchen": range(1, 31), "living_room": range(201, 231),
                                 "bedroom": range(301, 331), "bathroom": range(401, 431)}

#: Room types to search for each room a scene names, in order of preference.
ROOM_ORDER: dict[str, tuple[str, ...]] = {
    "kitchen": ("kitchen", "living_room"),
    "living_room": ("living_room", "bedroom", "kitchen"),
    "bedroom": ("bedroom", "living_room"),
    "study": ("bedroom", "living_room"),  # desks live in bedrooms and some living rooms
    "bathroom": ("bathroom",),
}

_T = str.split
#: Object types per FloorPlan (ALFRED gen/layouts/FloorPlan<N>-objects.json).
FLOORPLAN_TYPES: dict[int, frozenset[str]] = {n: frozenset(_T(types)) for n, types in {
    1: "Statue StoveKnob Book Faucet Fridge Stool Tomato SaltShaker PepperShaker Cup Pan Egg StoveBurner Plate "
       "Bread CreditCard Window SinkBasin Lettuce Bowl DishSponge LightSwitch ShelvingUnit HousePlant Sink Mug "
       "CoffeeMachine Cabinet Fork Kettle Vase Drawer GarbageCan Bottle Spoon Pot CounterTop Microwave Potato "
       "Floor SoapBottle Knife WineBottle Spatula Shelf Apple PaperTowelRoll ButterKnife Toaster",
    2: "Floor Cabinet Apple Toaster CoffeeMachine CellPhone PepperShaker Bowl GarbageCan Chair Window Spoon "
       "LightSwitch Pan Ladle StoveKnob Potato Pot Tomato Spatula Fridge Kettle Cup SaltShaker Microwave Lettuce "
       "Egg Faucet SinkBasin Sink CounterTop SoapBottle Drawer DishSponge Bread Fork Knife ButterKnife "
       "StoveBurner Plate Mug",
    3: "Floor Cabinet Apple Stool Bowl Toaster CoffeeMachine PepperShaker GarbageCan Window WineBottle HousePlant "
       "Spoon LightSwitch Pan StoveKnob StoveBurner Pot PaperTowelRoll Tomato Spatula Fridge Kettle Cup SaltShaker "
       "Microwave Lettuce Egg Faucet SinkBasin Sink CounterTop SoapBottle Drawer DishSponge SideTable Bread Knife "
       "Fork ButterKnife Potato Plate Mug",
    4: "Floor Cabinet Apple Toaster CoffeeMachine Bowl PepperShaker GarbageCan Window HousePlant Spoon LightSwitch "
       "Pan Ladle StoveKnob StoveBurner Pot Tomato Spatula Fridge DiningTable Cup SaltShaker Microwave Lettuce Egg "
       "Faucet SinkBasin Sink CounterTop SoapBottle Drawer DishSponge Bread Fork Knife ButterKnife Potato Plate Mug",
    5: "Floor Cabinet Apple Stool Bowl Toaster CoffeeMachine PepperShaker ShelvingUnit GarbageCan HousePlant Spoon "
       "LightSwitch Pan Shelf Ladle StoveKnob Potato Pot PaperTowelRoll Tomato Spatula Fridge Vase Kettle Cup "
       "SaltShaker Microwave Lettuce Statue Egg Faucet SinkBasin Sink CounterTop SoapBottle Drawer DishSponge Bread "
       "Knife Fork ButterKnife StoveBurner Plate Mug",
    6: "StoveKnob Faucet Fridge Stool PepperShaker SaltShaker Tomato Cup Pan Egg StoveBurner Plate Bread Window "
       "SinkBasin Lettuce Bowl LightSwitch DishSponge Sink Mug CoffeeMachine Cabinet Fork Kettle Drawer GarbageCan "
       "Spoon Pot CounterTop Potato Microwave Floor SoapBottle Knife Apple Spatula PaperTowelRoll ButterKnife "
       "Toaster",
    7: "Statue Book StoveKnob Faucet Fridge Stool Tomato SaltShaker PepperShaker Chair Cup Pan Egg StoveBurner "
       "Plate Bread Window SinkBasin Lettuce LightSwitch DishSponge ShelvingUnit Bowl HousePlant DiningTable Sink "
       "Mug CoffeeMachine Cabinet Fork Kettle Vase Drawer GarbageCan Spoon Pot CounterTop Microwave Potato Floor "
       "SoapBottle WineBottle Spatula Knife Shelf Apple ButterKnife Toaster",
    8: "StoveKnob Faucet Fridge Stool Tomato SaltShaker PepperShaker Cup Pan Egg StoveBurner Plate Bread Window "
       "SinkBasin Lettuce LightSwitch Bowl DishSponge HousePlant Sink Mug CoffeeMachine Cabinet Fork SprayBottle "
       "Kettle Drawer GarbageCan Bottle Spoon Pot Pen CounterTop Potato Microwave Ladle Floor SoapBottle Knife "
       "Spatula Apple ButterKnife Toaster",
    201: "Floor FloorLamp Sofa Bowl Chair GarbageCan HousePlant RemoteControl Window DeskLamp LightSwitch Painting "
         "Shelf TVStand Curtains CoffeeTable Box Pencil Vase Watch Pen Newspaper DiningTable Laptop TissueBox Statue "
         "Television KeyChain Drawer SideTable Pillow CreditCard ArmChair Book Plate",
    202: "Floor FloorLamp Sofa GarbageCan HousePlant RemoteControl Window LightSwitch Painting Shelf TVStand "
         "Curtains CoffeeTable Box Watch Laptop Statue Television KeyChain SideTable Pillow ArmChair Book CreditCard",
    203: "Floor FloorLamp Sofa Bowl WateringCan CellPhone Chair GarbageCan RemoteControl HousePlant Window Ottoman "
         "LightSwitch Painting Plate CoffeeTable Box Pencil Vase Watch Newspaper DiningTable Laptop TissueBox "
         "Television KeyChain Drawer SideTable Pillow Boots ArmChair Book CreditCard",
    204: "Floor FloorLamp Sofa WateringCan Desk CellPhone Chair GarbageCan Window RemoteControl HousePlant DeskLamp "
         "LightSwitch Painting Shelf TVStand CoffeeTable Box Vase Safe DiningTable Laptop Statue Television "
         "KeyChain Drawer Pillow ArmChair CreditCard",
    205: "Floor FloorLamp Sofa WateringCan Chair GarbageCan HousePlant RemoteControl Window Ottoman DeskLamp "
         "LightSwitch Painting Curtains Box Watch DiningTable Laptop Dresser Statue Television KeyChain Drawer "
         "SideTable Pillow ArmChair CreditCard",
    301: "Laptop Dresser Statue Book Chair DeskLamp CreditCard Window Bowl LightSwitch DogBed KeyChain Mug "
         "BasketBall Desk AlarmClock Watch TissueBox Pillow Drawer GarbageCan Bed Pen BaseballBat Boots Mirror "
         "Pencil CD Floor CellPhone Shelf Box Blinds",
    302: "Floor Bowl CellPhone Desk Chair GarbageCan HousePlant Window DeskLamp LightSwitch Shelf TennisRacket "
         "Painting Blinds Pencil Pen Mirror Safe Laptop AlarmClock TeddyBear Bed KeyChain Drawer SideTable Pillow "
         "CD Book CreditCard",
    303: "Laptop Book Chair DeskLamp CreditCard Window Poster LightSwitch ShelvingUnit GarbageBag KeyChain Mug Desk "
         "AlarmClock Vase Drawer Pillow GarbageCan SideTable TennisRacket Dumbbell Pen Bed Cloth BaseballBat Mirror "
         "CD Pencil Floor CellPhone Shelf Box Blinds",
    304: "Floor Bowl CellPhone Desk Chair GarbageCan Window DeskLamp LightSwitch Shelf Blinds Box Pencil BasketBall "
         "LaundryHamper Pen Mirror Laptop AlarmClock Statue Bed KeyChain Drawer Pillow CD Book CreditCard Mug",
    401: "Floor HandTowel Cloth SprayBottle ScrubBrush GarbageCan Window LightSwitch Shelf TowelHolder Bathtub Towel "
         "ShowerHead SoapBar PaperTowelRoll BathtubBasin ToiletPaper ToiletPaperHanger Mirror Candle Toilet "
         "HandTowelHolder Faucet SinkBasin Sink SoapBottle DishSponge SideTable ShowerCurtain Plunger",
    402: "Floor HandTowel Cabinet Cloth SprayBottle ScrubBrush GarbageCan Window ShowerGlass LightSwitch Shelf "
         "TowelHolder ShowerDoor Bathtub Towel ShowerHead SoapBar BathtubBasin ToiletPaper ToiletPaperHanger Mirror "
         "Candle TissueBox Toilet HandTowelHolder Faucet SinkBasin Sink CounterTop SoapBottle Plunger",
    403: "Floor HandTowel Cabinet Cloth ScrubBrush SprayBottle GarbageCan Window ShowerGlass LightSwitch Shelf "
         "TowelHolder ShowerDoor Bathtub Towel ShowerHead SoapBar PaperTowelRoll BathtubBasin ToiletPaper "
         "ToiletPaperHanger Mirror Candle Toilet HandTowelHolder Faucet SinkBasin Sink CounterTop SoapBottle "
         "DishSponge Plunger",
}.items()}


@dataclass(frozen=True)
class Need:
    """One thing the situation needs in the scene: any of ``candidates`` (THOR types), ``count`` times."""

    key: str  # the catalogue type, for reports
    candidates: tuple[str, ...]
    count: int = 1
    fixture: bool = False  # a fixture must be in the scene; a portable may be reported missing


@dataclass
class FloorPlanChoice:
    """The chosen FloorPlan, what each need resolved to, and what it lacks."""

    number: int
    room: str
    resolved: dict[str, str] = field(default_factory=dict)  # need key -> THOR type used
    missing: list[str] = field(default_factory=list)  # portable needs the scene lacks
    cross_room: bool = False  # no FloorPlan of the scene's own room had the fixtures

    @property
    def scene(self) -> str:
        return f"FloorPlan{self.number}"


class NoFloorPlanError(LookupError):
    """No known FloorPlan holds every fixture the situation needs."""


def _resolve(needs: Sequence[Need], types: frozenset[str]) -> tuple[dict[str, str], list[str], bool]:
    resolved: dict[str, str] = {}
    missing: list[str] = []
    for need in needs:
        hit = next((c for c in need.candidates if c in types), None)
        if hit is not None:
            resolved[need.key] = hit
        elif need.fixture:
            return resolved, missing, False
        else:
            missing.append(need.key)
    return resolved, missing, True


def choose_floorplan(room: str, needs: Sequence[Need], table: dict[int, frozenset[str]] | None = None,
                     exclude: Iterable[int] = ()) -> FloorPlanChoice:
    """The FloorPlan of ``room`` (else a related room) with every fixture and the most portables.

    Ties go to the lowest number, so the choice is deterministic.
    """
    table = FLOORPLAN_TYPES if table is None else table
    skip = set(exclude)
    order = ROOM_ORDER.get(room, (room,))
    for i, kind in enumerate(order):
        best: FloorPlanChoice | None = None
        for number in sorted(n for n in table if n in ROOM_RANGES.get(kind, ()) and n not in skip):
            resolved, missing, ok = _resolve(needs, table[number])
            if ok and (best is None or len(missing) < len(best.missing)):
                best = FloorPlanChoice(number, kind, resolved, missing, cross_room=i > 0)
        if best is not None:
            return best
    fixtures = sorted({"/".join(n.candidates) for n in needs if n.fixture})
    raise NoFloorPlanError(f"no known FloorPlan for room {room!r} holds all of {fixtures} "
                           f"(searched {', '.join(order)})")
