"""Catalogue type -> AI2-THOR object type, with every substitution explicit and explained.

THOR has a fixed set of object types (https://ai2thor.allenai.org/ithor/documentation/objects/object-types)
and iTHOR FloorPlans cannot spawn objects a scene does not already hold (allenai/ai2thor#503, #773), so
a type THOR lacks is drawn as the nearest THOR type. Each entry below says what stands in and why,
so a report can list it: nothing is substituted silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from mss_embodied.world.catalog import CATALOG, Catalog

#: iTHOR object types (ai2thor.allenai.org/ithor/documentation/objects/object-types, AI2-THOR 5.0).
#: Only used to check that every mapping names a real THOR type.
_TYPES_TEXT = """
AlarmClock AluminumFoil Apple AppleSliced ArmChair BaseballBat BasketBall Bathtub BathtubBasin Bed Blinds
Book Boots Bottle Bowl Box Bread BreadSliced ButterKnife Cabinet Candle CD CellPhone Chair Cloth
CoffeeMachine CoffeeTable CounterTop CreditCard Cup Curtains Desk DeskLamp Desktop DiningTable DishSponge
DogBed Drawer Dresser Dumbbell Egg EggCracked Faucet Floor FloorLamp Footstool Fork Fridge GarbageBag
GarbageCan HandTowel HandTowelHolder HousePlant Kettle KeyChain Knife Ladle Laptop LaundryHamper Lettuce
LettuceSliced LightSwitch Microwave Mirror Mug Newspaper Ottoman Painting Pan PaperTowelRoll Pen Pencil
PepperShaker Pillow Plate Plunger Poster Pot Potato PotatoSliced RemoteControl RoomDecor Safe SaltShaker
ScrubBrush Shelf ShelvingUnit ShowerCurtain ShowerDoor ShowerGlass ShowerHead SideTable Sink SinkBasin
SoapBar SoapBottle Sofa Spatula Spoon SprayBottle Statue Stool StoveBurner StoveKnob TableTopDecor
TargetCircle TeddyBear Television TennisRacket TissueBox Toaster Toilet ToiletPaper ToiletPaperHanger Tomato
TomatoSliced Towel TowelHolder TVStand VacuumCleaner Vase Watch WateringCan Window WineBottle
"""
THOR_OBJECT_TYPES: frozenset[str] = frozenset(_TYPES_TEXT.split())

#: THOR liquids accepted by ``FillObjectWithLiquid`` (object-state-changes documentation).
THOR_LIQUIDS: frozenset[str] = frozenset({"water", "coffee", "wine"})


@dataclass(frozen=True)
class ThorMapping:
    """How one catalogue type appears in THOR.

    ``candidates``: THOR types to use, best first (the first one the FloorPlan holds is taken).
    ``kind``: ``same`` (identical type), ``renamed`` (same thing, THOR spells it differently or keeps
    it in a sub-object) or ``substitute`` (a different object stands in: see ``note``).
    ``sliced_from``: the whole THOR type a ``...Sliced`` object is cut from with ``SliceObject``.
    ``fill``: a THOR liquid to pour in with ``FillObjectWithLiquid`` (drinks, water).
    """

    source: str
    candidates: tuple[str, ...]
    kind: str = "same"
    note: str = ""
    sliced_from: str | None = None
    fill: str | None = None

    @property
    def exact(self) -> bool:
        return self.kind != "substitute"

    def describe(self, used: str | None = None) -> str:
        alts = used or "/".join(self.candidates)
        extra = f" (+SliceObject {self.sliced_from})" if self.sliced_from else ""
        extra += f" (+FillObjectWithLiquid {self.fill})" if self.fill else ""
        text = f"{self.source} -> {alts}{extra}"
        return f"{text}: {self.note}" if self.note else text


def _sub(source: str, *candidates: str, note: str, fill: str | None = None) -> ThorMapping:
    if fill is not None and fill not in THOR_LIQUIDS:
        raise ValueError(f"{source}: THOR cannot fill with {fill!r}; its liquids are {sorted(THOR_LIQUIDS)}")
    return ThorMapping(source, tuple(candidates), "substitute", note, fill=fill)


def _ren(source: str, target: str, note: str, sliced_from: str | None = None) -> ThorMapping:
    return ThorMapping(source, (target,), "renamed", note, sliced_from=sliced_from)


#: Every catalogue type whose THOR counterpart is not simply the same name.
EXPLICIT: dict[str, ThorMapping] = {m.source: m for m in (
    # --- same thing, different THOR name or structure --------------------------------------------
    _ren("Basketball", "BasketBall", "THOR spells it BasketBall"),
    _ren("Bathtub", "BathtubBasin", "THOR's Bathtub is the shell; things go into its BathtubBasin receptacle"),
    _ren("BreadSliced", "BreadSliced", "exists only after slicing a Bread", sliced_from="Bread"),
    _ren("TomatoSliced", "TomatoSliced", "exists only after slicing a Tomato", sliced_from="Tomato"),
    _ren("AluminumFoil", "AluminumFoil", "THOR has AluminumFoil (since 2.4.0; the catalogue's thor=False is "
         "stale) but only in 1 of 30 kitchens, and cannot wrap: it is put beside what it wraps"),
    ThorMapping("CounterTop", ("CounterTop", "DiningTable", "SideTable", "Desk"), "same",
                "where the FloorPlan has no counter, another table-height surface stands in"),
    # --- fixtures THOR lacks ---------------------------------------------------------------------
    _sub("Oven", "StoveBurner", note="iTHOR has no Oven type; a stove burner (switched by its StoveKnob) "
         "is the cooking surface that stands in"),
    _sub("Bag", "Box", note="THOR has no bag; a cardboard Box is the portable container that stands in"),
    # --- portable objects THOR lacks -------------------------------------------------------------
    _sub("Glasses", "Watch", "KeyChain", note="no eyewear in THOR; a small fragile valuable (Watch) stands in"),
    _sub("Burrito", "Bread", "Potato", note="no burrito; a bread loaf stands in for wrapped food"),
    _sub("Meal", "Potato", "Apple", "Bread", note="no prepared meal; a potato stands in for leftovers"),
    _sub("FoodScraps", "Apple", "Tomato", "Potato", note="no scraps; a piece of fruit stands in"),
    _sub("Camera", "CellPhone", note="no camera; a phone is the nearest handheld fragile electronic"),
    _sub("Mouse", "RemoteControl", "CellPhone", note="no computer mouse; a remote is the nearest small "
         "handheld electronic"),
    _sub("MilkTea", "Cup", "Mug", note="no drinks as objects; a cup filled with coffee stands in",
         fill="coffee"),
    _sub("Water", "Cup", "Mug", "Bowl", note="a spilled puddle is not representable; a cup filled with water "
         "stands on the surface instead", fill="water"),
    _sub("Scissors", "Knife", "ButterKnife", note="no scissors; a knife is the nearest sharp metal tool"),
    _sub("Screwdriver", "ButterKnife", "Knife", note="no screwdriver; a butter knife is the nearest slim metal "
         "tool (blunt where the screwdriver is pointed)"),
    _sub("Paper", "Newspaper", "Book", note="no loose paper; a newspaper (else a book) stands in"),
    _sub("PaperBall", "Newspaper", "TissueBox", "Book", note="no crumpled paper; a newspaper stands in"),
    _sub("Doll", "TeddyBear", note="no doll; a teddy bear is the nearest soft toy"),
    _sub("MetalBowl", "Bowl", "Pot", note="THOR bowls are ceramic/glass: the material differs (no metal in the "
         "frame); a Pot is metal but rarely fits a microwave"),
    _sub("DisposableTableware", "Plate", "Bowl", note="no paper plates; a ceramic Plate stands in (material "
         "differs)"),
    _sub("Straw", "Pencil", "Pen", note="no drinking straw; a pencil is the nearest thin stick"),
)}


def thor_mapping(type_name: str, catalog: Catalog = CATALOG) -> ThorMapping | None:
    """The THOR mapping for a catalogue type (by name or alias); None when it has none."""
    canonical = catalog.canonical(type_name) or type_name
    if canonical in EXPLICIT:
        return EXPLICIT[canonical]
    if canonical in THOR_OBJECT_TYPES:
        return ThorMapping(canonical, (canonical,))
    return None


def unmapped_catalogue_types(catalog: Catalog = CATALOG) -> list[str]:
    """Catalogue types with no THOR mapping (should be empty; a test checks it)."""
    return sorted(name for name in catalog.types if thor_mapping(name, catalog) is None)


def stale_catalogue_flags(catalog: Catalog = CATALOG) -> list[str]:
    """Types whose ``thor`` flag disagrees with THOR's own type list, for the dry-run report."""
    out = []
    for name, t in sorted(catalog.types.items()):
        in_thor = name in THOR_OBJECT_TYPES
        if t.thor and not in_thor:
            out.append(f"{name}: catalogue says thor=True but THOR has no such type")
        elif not t.thor and in_thor:
            out.append(f"{name}: catalogue says thor=False but THOR has this type")
    return out
