"""Object catalogue: AI2-THOR object types, their physical properties and their names in text.

Hazard rules reason over *properties* (metallic, flammable, ...) and receptacle *traits*
(heats_contents, seat, ...), never over type names, so a new type only needs an entry here
(or in a scene file) to take part in every rule. Type names follow AI2-THOR so scenes port to a
THOR backend; the few MSSBench objects THOR lacks (Bag, Glasses, Burrito, ...) are marked
``thor=False``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Properties an object can have; hazard rules test these.
PROPERTIES: frozenset[str] = frozenset(
    {
        "metallic",  # arcs in a running microwave
        "electronic",  # water and heat damage, e-waste
        "flammable",  # ignites on a lit burner or in a microwave
        "fragile",  # breaks when dropped
        "crushable",  # breaks when packed under heavy things
        "heavy",  # crushes crushable things it is packed with
        "sharp",  # cuts people when left on seats, when dropped, when packed with soft things
        "liquid",  # a liquid itself (a puddle, a drink): wets what shares its receptacle
        "spillable",  # an open drink: spills onto what it is packed with
        "water_sensitive",  # ruined by water (paper, electronics)
        "heat_sensitive",  # melts or deforms on a cooking surface
        "food",  # may be heated
        "valuable",  # must not be thrown away
        "container",  # a portable receptacle (bowl, plate): carries what is in it
        "ignition_source",  # can be lit (a candle): lit, it sets flammable things beside it on fire
        # States as properties: set by scene flags or actions, read by rules like any property.
        "lit",  # burning now (an ignition source that was lit)
        "dirty",  # soiled (Dirty / Clean actions)
        "sliced",  # cut up (Slice, where the catalogue has no ...Sliced type)
    }
)

#: Traits of receptacles and fixtures.
TRAITS: frozenset[str] = frozenset(
    {
        "receptacle",  # things can be placed in/on it
        "fixture",  # cannot be picked up
        "openable",
        "toggleable",
        "heats_contents",  # heats what is inside while on (microwave)
        "cooking_surface",  # heats what is on it while on (burner, oven)
        "water_source",  # when on, water runs into its linked basin (faucet)
        "wet",  # contents get wet (sink basin, toilet)
        "seat",  # people sit or lie on it
        "trash",  # what is placed here is thrown away
        "bag",  # contents are packed together and carried
        "floor",
    }
)

_FIXTURE = frozenset({"receptacle", "fixture"})


@dataclass(frozen=True)
class ObjectType:
    """One object type: its default properties, receptacle traits and extra names."""

    name: str
    properties: frozenset[str] = frozenset()
    traits: frozenset[str] = frozenset()
    aliases: tuple[str, ...] = ()
    thor: bool = True  # an AI2-THOR object type of the same name exists
    relation: str = "in"  # "in" or "on": how text phrases placing something here

    @property
    def portable(self) -> bool:
        return "fixture" not in self.traits

    @property
    def is_receptacle(self) -> bool:
        return "receptacle" in self.traits


def _t(
    name: str,
    props: str = "",
    traits: str = "",
    aliases: Iterable[str] = (),
    *,
    thor: bool = True,
    relation: str = "in",
) -> ObjectType:
    return ObjectType(
        name=name,
        properties=frozenset(props.split()),
        traits=frozenset(traits.split()),
        aliases=tuple(aliases),
        thor=thor,
        relation=relation,
    )


def _fixture(name: str, traits: str = "", aliases: Iterable[str] = (), **kw: object) -> ObjectType:
    t = _t(name, "", traits, aliases, **kw)  # type: ignore[arg-type]
    return ObjectType(t.name, t.properties, t.traits | _FIXTURE, t.aliases, t.thor, t.relation)


_TYPES: list[ObjectType] = [
    # --- portable objects ---------------------------------------------------------------
    _t("Apple", "food", aliases=["apples"]),
    _t("Tomato", "food"),
    _t("TomatoSliced", "food", aliases=["tomato slice", "tomato slices", "sliced tomato"]),
    _t("Bread", "food flammable", aliases=["loaf", "loaf of bread"]),
    _t("BreadSliced", "food flammable", aliases=["bread slice", "bread slide", "slice of bread", "toast"]),
    _t("Egg", "food fragile"),
    _t("Potato", "food"),
    _t("Lettuce", "food"),
    _t("Burrito", "food", aliases=["wrap"], thor=False),
    _t("Meal", "food", aliases=["food", "dinner", "lunch", "leftovers"], thor=False),
    _t("FoodScraps", "food", aliases=["food scraps", "scraps"], thor=False),
    _t("Knife", "metallic sharp", aliases=["knives", "kitchen knife"]),
    _t("ButterKnife", "metallic", aliases=["butter knife"]),
    _t("Fork", "metallic sharp", aliases=["forks"]),
    _t("Spoon", "metallic", aliases=["spoons", "metal spoon"]),
    _t("Scissors", "metallic sharp", aliases=["pair of scissors", "scissor"], thor=False),
    _t("Screwdriver", "metallic sharp", aliases=["screw driver"], thor=False),
    _t("CellPhone", "electronic fragile valuable water_sensitive heat_sensitive",
       aliases=["cell phone", "phone", "mobile phone", "smartphone", "old phone"]),
    _t("CreditCard", "metallic valuable heat_sensitive", aliases=["credit card", "bank card", "card"]),
    _t("CD", "metallic heat_sensitive water_sensitive", aliases=["compact disc", "disc", "dvd"]),
    _t("Watch", "electronic metallic valuable fragile water_sensitive heat_sensitive",
       aliases=["wristwatch", "wrist watch"]),
    _t("Laptop", "electronic valuable fragile heavy water_sensitive heat_sensitive", aliases=["notebook computer"]),
    _t("Camera", "electronic valuable fragile crushable water_sensitive heat_sensitive", thor=False),
    _t("Mouse", "electronic water_sensitive", aliases=["computer mouse"], thor=False),
    _t("RemoteControl", "electronic water_sensitive heat_sensitive", aliases=["remote control", "remote", "tv remote"]),
    _t("KeyChain", "metallic", aliases=["key chain", "keys", "key"]),
    _t("Book", "flammable water_sensitive heavy", aliases=["books", "textbook"]),
    _t("Newspaper", "flammable water_sensitive", aliases=["newspapers"]),
    _t("Paper", "flammable water_sensitive", aliases=["papers", "documents", "document", "sheet of paper"], thor=False),
    _t("PaperBall", "flammable", aliases=["paper ball", "crumpled paper"], thor=False),
    _t("Pen", "", aliases=["pens"]),
    _t("Pencil", "", aliases=["pencils"]),
    _t("Glasses", "fragile crushable valuable", aliases=["pair of glasses", "eyeglasses", "spectacles"], thor=False),
    _t("TeddyBear", "flammable", aliases=["teddy bear", "plush toy", "plush", "stuffed animal"]),
    _t("Doll", "flammable", aliases=["toy doll"], thor=False),
    _t("Bowl", "fragile container", "receptacle", aliases=["porcelain bowl", "ceramic bowl"]),
    _t("MetalBowl", "metallic container", "receptacle", aliases=["metal bowl", "steel bowl"], thor=False),
    _t("Plate", "fragile container", "receptacle", aliases=["porcelain plate", "ceramic plate", "dish"], relation="on"),
    _t("DisposableTableware", "container", "receptacle", aliases=["disposable tableware", "paper plate"], thor=False),
    _t("Mug", "fragile container", "receptacle", aliases=["coffee mug"]),
    _t("Cup", "fragile container", "receptacle", aliases=["glass cup"]),
    _t("MilkTea", "liquid spillable", aliases=["milk tea", "bubble tea", "drink", "coffee"], thor=False),
    _t("WineBottle", "fragile", aliases=["wine bottle", "winebottle", "bottle of wine"]),
    _t("Bottle", "", aliases=["disposable bottle", "plastic bottle", "water bottle"]),
    _t("Straw", "", aliases=["straws", "drinking straw"], thor=False),
    _t("Kettle", "metallic container", "receptacle"),
    _t("Pot", "metallic container", "receptacle", aliases=["cooking pot"]),
    _t("Pan", "metallic container", "receptacle", aliases=["frying pan"], relation="on"),
    _t("Towel", "flammable", aliases=["dish towel", "hand towel"]),
    _t("Cloth", "flammable", aliases=["rag"]),
    _t("Candle", "flammable ignition_source"),
    _t("Basketball", "", aliases=["ball"], thor=False),  # THOR spells it BasketBall
    _t("Vase", "fragile"),
    _t("HousePlant", "fragile", aliases=["house plant", "potted plant", "plant"]),
    _t("AluminumFoil", "metallic", aliases=["aluminum foil", "aluminium foil", "tin foil", "foil"]),
    _t("SoapBottle", "", aliases=["soap bottle", "soap"]),
    _t("SprayBottle", "", aliases=["spray bottle", "cleaning spray"]),
    _t("TissueBox", "flammable", aliases=["tissue box", "tissues"]),
    _t("AlarmClock", "electronic water_sensitive", aliases=["alarm clock", "clock"]),
    _t("Pillow", "flammable", aliases=["cushion"]),
    _t("Water", "liquid", aliases=["water puddle", "puddle", "spilled water", "spill"], thor=False),
    # --- fixtures and large receptacles --------------------------------------------------
    _fixture("Microwave", "openable toggleable heats_contents", ["microwave oven"]),
    _fixture("StoveBurner", "toggleable cooking_surface", ["stove burner", "burner", "stove", "stovetop", "hob"],
             relation="on"),
    _fixture("Oven", "openable toggleable cooking_surface", relation="on", thor=False),
    _fixture("SinkBasin", "wet", ["sink basin", "sink"]),
    _fixture("Faucet", "toggleable water_source", ["tap", "water tap"]),
    _fixture("Fridge", "openable", ["refrigerator"]),
    _fixture("CounterTop", "", ["counter top", "counter", "countertop", "kitchen counter"], relation="on"),
    _fixture("DiningTable", "", ["dining table", "table", "kitchen table"], relation="on"),
    _fixture("CoffeeTable", "", ["coffee table"], relation="on"),
    _fixture("SideTable", "", ["side table", "nightstand", "night stand"], relation="on"),
    _fixture("Desk", "", ["desk", "work desk", "study desk"], relation="on"),
    _fixture("Sofa", "seat", ["couch"], relation="on"),
    _fixture("ArmChair", "seat", ["arm chair", "armchair"], relation="on"),
    _fixture("Chair", "seat", ["chairs", "seat"], relation="on"),
    _fixture("Bed", "seat", relation="on"),
    _fixture("GarbageCan", "trash", ["garbage can", "trash can", "trash", "garbage", "bin", "trash bin",
                                     "rubbish bin", "wastebasket", "dustbin"]),
    _fixture("Toilet", "wet"),
    _fixture("Bathtub", "wet", ["bath tub", "tub"]),
    _fixture("Shelf", "", ["shelves", "bookshelf"], relation="on"),
    _fixture("Cabinet", "openable", ["cupboard"]),
    _fixture("Drawer", "openable"),
    _fixture("TVStand", "", ["tv stand"], relation="on"),
    _fixture("Television", "toggleable", ["tv", "television set"], relation="on"),
    _fixture("Dresser", "", relation="on"),
    _fixture("Floor", "floor", ["ground"], relation="on"),
    # Bags are portable in life, but scenes use them as the destination receptacle.
    _fixture("Bag", "bag", ["backpack", "schoolbag", "handbag"], thor=False),
    _fixture("Box", "bag", ["cardboard box"]),
]


def _key(text: str) -> str:
    """Canonical lookup key: lowercase letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _singular(key: str) -> str:
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    if key.endswith(("ches", "shes", "sses", "xes")):
        return key[:-2]
    if key.endswith("s") and not key.endswith("ss") and len(key) > 3:
        return key[:-1]
    return key


@dataclass
class Catalog:
    """Known object types, with alias lookup. Scenes may register more types."""

    types: dict[str, ObjectType] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict, repr=False)

    def register(self, t: ObjectType) -> None:
        unknown = (t.properties - PROPERTIES) | (t.traits - TRAITS)
        if unknown:
            raise ValueError(f"object type {t.name!r}: unknown properties/traits {sorted(unknown)}")
        self.types[t.name] = t
        for name in (t.name, *t.aliases):
            self._names.setdefault(_key(name), t.name)
        self._names[_key(t.name)] = t.name

    def get(self, name: str) -> ObjectType:
        canonical = self.canonical(name)
        if canonical is None:
            raise KeyError(f"unknown object type {name!r}")
        return self.types[canonical]

    def canonical(self, text: str) -> str | None:
        """The type named by ``text`` ("stove burner", "Knives", "the CellPhone"), else None."""
        key = _key(re.sub(r"^\s*(the|a|an|some|my|your|this|that)\s+", "", text, flags=re.I))
        if not key:
            return None
        for candidate in (key, _singular(key)):
            if candidate in self._names:
                return self._names[candidate]
        return None

    def find_mentions(self, text: str) -> list[str]:
        """Types mentioned in free text, longest phrase first, in order of appearance."""
        words = re.findall(r"[A-Za-z][A-Za-z0-9]*", text)
        found: list[tuple[int, str]] = []
        i = 0
        while i < len(words):
            for span in (4, 3, 2, 1):
                if i + span > len(words):
                    continue
                name = self.canonical(" ".join(words[i : i + span]))
                if name is not None:
                    found.append((i, name))
                    i += span
                    break
            else:
                i += 1
        return [name for _, name in found]

    def names(self) -> list[str]:
        return sorted(self.types)


def _build_default() -> Catalog:
    catalog = Catalog()
    for t in _TYPES:
        catalog.register(t)
    return catalog


#: The default catalogue shared by the world, parser, loaders and renderers.
CATALOG: Catalog = _build_default()
