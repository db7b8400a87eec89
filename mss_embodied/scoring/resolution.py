"""A plan's names to the objects of the situation: "the bowl" is the metal bowl when it is the only
bowl, "Goto Table" the coffee table when that is the table here, "towl" the towel, "the rack" the
oven's, "the seat" the sofa's, "any metal utensils" the knife in the microwave.

Why apart from running the plan (:mod:`mss_embodied.scoring.grounding`): the analysis and the
condition reader resolve names too, without running anything.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from mss_embodied.scoring.multilingual import ANY_TABLE
from mss_embodied.world.catalog import CATALOG
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
#: Words for a kind of thing, matched by the property every such thing has ("any metal utensils" -> the
#: knife in the microwave, "food" -> an apple).
KINDS: dict[str, str] = {
    "food": "food", "meal": "food", "fruit": "food", "metal": "metallic", "metallic": "metallic", "steel": "metallic",
    "cutlery": "metallic", "utensil": "metallic", "utensils": "metallic", "silverware": "metallic",
    "electronics": "electronic", "electronic": "electronic", "device": "electronic", "gadget": "electronic",
    "battery": "electronic", "batteries": "electronic", "blade": "sharp", "blades": "sharp", "sharp": "sharp",
    "drink": "liquid", "liquid": "liquid", "glass": "fragile", "paper": "flammable", "fabric": "flammable",
    "plastic": "heat_sensitive", "valuables": "valuable", "valuable": "valuable",
    "spill": "liquid", "spills": "liquid", "puddle": "liquid", "puddles": "liquid", "spot": "liquid", "drips": "liquid",
}
#: Words for a part or a role of a fixture, matched by its trait ("the rack" -> the oven, "the middle
#: cushion" -> the sofa, "the appliance" -> the microwave the task uses).
TRAIT_WORDS: dict[str, tuple[str, ...]] = {
    "cushion": ("seat",), "cushions": ("seat",), "seat": ("seat",), "rack": ("cooking_surface", "heats_contents"),
    "grate": ("cooking_surface",), "ring": ("cooking_surface",), "hotplate": ("cooking_surface",),
    "range": ("cooking_surface",), "cooker": ("cooking_surface",), "flame": ("cooking_surface",),
    "turntable": ("heats_contents",), "tray": ("heats_contents",),
    "appliance": ("toggleable",), "machine": ("toggleable",), "basin": ("wet",), "bath": ("wet",),
    "heat": ("cooking_surface", "heats_contents"), "gas": ("cooking_surface",),
    "bin": ("trash",), "compartment": ("bag",), "pocket": ("bag",), "sleeve": ("bag",), "Pillow": ("seat",),
}


def _camel_head(type_name: str) -> str:
    return re.findall(r"[A-Z][a-z]*|[a-z]+", type_name)[-1].lower()


#: A material a name states ("ceramic Bowl"): the thing must not contradict it.
_MATERIAL = re.compile(r"^(?P<m>ceramic|porcelain|china|glass|microwave[- ]?safe|microwav(?:e)?able|plastic|paper|"
                       r"wooden|metal|metallic|steel|stainless|alumin(?:i)?um|tin)\s+(?P<rest>\S.*)$", re.I)
_METAL_WORDS = frozenset({"metal", "metallic", "steel", "stainless", "aluminum", "aluminium", "tin"})


def resolve(name: str | None, state: WorldState, prefer: Sequence[str] = ()) -> str | None:
    """The object id a plan's name means here, or None: the id or type itself, a synonym, the only
    object of the same kind ("Bowl" -> MetalBowl, "Table" -> CoffeeTable), or a near spelling; a
    stated material rules out what contradicts it ("ceramic Bowl" is not the MetalBowl)."""
    material = _MATERIAL.match(name or "")
    if material is None:
        return _resolve(name, state, prefer)
    oid = _resolve(material["rest"], state, prefer)
    metal = material["m"].lower() in _METAL_WORDS
    return oid if oid is not None and state.objects[oid].has("metallic") == metal else None


def _resolve(name: str | None, state: WorldState, prefer: Sequence[str] = ()) -> str | None:
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
            kin = [o.id for o in state.objects.values() if o.id != FLOOR and _camel_head(o.type) == head] or \
                [o.id for o in state.objects.values() if name == ANY_TABLE and _camel_head(o.type) == "desk"]
            preferred = [k for k in kin if k in prefer]
            if len(kin) == 1 or preferred:
                return (preferred or kin)[0]
        # "the seat" (a Chair's name) with no chair here: the seat the scene has, by the role it names
        return _by_trait(canonical.lower(), canonical, state, prefer) or (
            _by_trait(lowered, name, state, prefer) if lowered in TRAIT_WORDS else None)
    by_role = _by_trait(lowered, name, state, prefer)
    if by_role is not None:
        return by_role
    spellings: dict[str, str] = {}
    for o in state.objects.values():
        t = CATALOG.types.get(o.type)
        for alias in (o.type, *(t.aliases if t else ())):
            spellings.setdefault(re.sub(r"[^a-z]", "", alias.lower()), o.id)
    close = difflib.get_close_matches(re.sub(r"[^a-z]", "", lowered), list(spellings), n=1, cutoff=0.8)
    return spellings[close[0]] if close else None


def _one(ids: Sequence[str], prefer: Sequence[str]) -> str | None:
    preferred = [i for i in ids if i in prefer]
    return (preferred or list(ids))[0] if len(ids) == 1 or preferred else None


#: Words that place a part on its fixture ("the middle cushion", "the front pocket", "the glass tray").
_PART_MODIFIERS = frozenset({"the", "a", "an", "its", "their", "this", "that", "middle", "left", "right", "front",
                             "back", "top", "bottom", "main", "side", "inner", "outer", "upper", "lower", "center",
                             "centre",
                             "glass", "padded", "big", "small", "large", "little", "seat", "wire", "rotating", "any",
                             "hot", "lit", "open", "nearest", "closest", "other", "second", "first", "on", "in", "at",
                             "inside", "into", "onto", "of", "to"})


_GENERIC_HEADS = frozenset({"item", "items", "thing", "things", "object", "objects", "stuff", "one", "ones", "piece",
                            "pieces"})


def _fixture_word(word: str) -> bool:
    canonical = CATALOG.canonical(word)
    return canonical is not None and not CATALOG.types[canonical].portable


def _by_trait(lowered: str, name: str, state: WorldState, prefer: Sequence[str]) -> str | None:
    """A name by the role or material it states: a part of a fixture ("rack", "cushion"), a generic
    role ("appliance"), a kind ("any metal utensils"), or a thing's head noun ("the open tea" -> the
    MilkTea): the one such object here, or the one the task uses."""
    words = re.findall(r"[a-z]+", re.sub(r"['’]s\b", "", lowered))  # "the microwave's turntable"
    if not words:
        return None
    head = words[-1] if name not in TRAIT_WORDS else name
    objects = [o for o in state.objects.values() if o.id != FLOOR]
    traits = TRAIT_WORDS.get(head) or TRAIT_WORDS.get(name)
    if any(w not in _PART_MODIFIERS and not _fixture_word(w) for w in words[:-1]):
        traits = None  # "the knife rack", "the cutlery tray", "your jacket pocket": a part of something else
    if traits:
        found = _one([o.id for o in objects if any(t in o.traits for t in traits)], prefer)
        if found is not None:
            return found
    # "any metal utensils", "the food items": a kind names the thing; "the cutlery tray" is a tray
    kinds = {KINDS[w] for w in words if w in KINDS} if head in KINDS or head in _GENERIC_HEADS else set()
    if kinds:
        found = _one([o.id for o in objects if o.portable and o.has(*kinds)], prefer)
        if found is not None:
            return found
        inside = [o.id for o in objects if o.portable and o.has(*kinds) and any(o.parent == p for p in prefer)]
        if inside:
            return inside[0]
    heads = [o.id for o in objects if head in (w.lower() for w in re.findall(r"[A-Z][a-z]*", o.type))]
    return _one(heads, prefer)
