"""Object and place phrases to catalogue type names: "the phone" -> CellPhone, "the desk drawer" ->
Drawer (the head noun decides), "the knife block" -> a holder the scene may not have, "the edge of
the sink" -> beside the sink, "on top of the microwave" -> outside it, "the fork in the microwave"
-> (Fork, Microwave).

Why apart from the verbs (:mod:`mss_embodied.scoring.verbs`): every reader (clauses, safety,
validity, the parser) names things the same way, with or without a verb.
"""

from __future__ import annotations

import functools
import re

from mss_embodied.scoring import lexicon as lx
from mss_embodied.scoring.resolution import TRAIT_WORDS
from mss_embodied.world.catalog import CATALOG, Catalog

PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|（[^）]*）")

PREP = re.compile(r"\s+(?:into|in\s+to|inside(?:\s+of)?|in\s+front\s+of|in|onto|on\s+top\s+of|on|to|at|within|"
                  r"under|underneath|beneath|over\s+to|back\s+to|next\s+to|beside|alongside|near|close\s+to|behind|"
                  r"by|over|across|atop)\s+(?:the\s+|a\s+|an\s+|my\s+|your\s+|its\s+)?", re.I)
#: Places beside a thing, not in or on it: "next to the sink" keeps the phone out of the sink.
_NEAR = re.compile(r"^\s+(?:next\s+to|beside|alongside|near|close\s+to|behind|by|in\s+front\s+of)\s", re.I)
_DIRECTIONAL = re.compile(r"\s+(?:into|in\s+to|inside(?:\s+of)?|onto|on\s+top\s+of|over\s+to|back\s+to)\s+"
                          r"(?:the\s+|a\s+|an\s+|my\s+|your\s+)?", re.I)
FROM = re.compile(r"\s+(?:from|out\s+of|off(?:\s+of)?|away\s+from|out)(?:\s+.*)?$", re.I)
_SOURCE = re.compile(r"\s+(?:from|out\s+of|off(?:\s+of)?|away\s+from)\s+(?P<src>.+?)(?=\s+(?:to|into|onto|on|in)\s+|$)",
                     re.I)
HELD = re.compile(r"^(?:it|them|this|that|these|those|the\s+object|the\s+item|objects?|items?|stuff|things?|"
                  r"(?:the\s+)?(?:object|item|thing)s?\s+(?:in|that|you|which|held|i'm|i\s+am|i've|i\s+have)\b.*|"
                  r"what\s+.*holding.*|(?:them|they|these|those)\s+(?:both|all)|(?:both|all)\s+of\s+(?:them|these)|"
                  r"(?:the\s+|your\s+)?(?:useless\s+|old\s+|unwanted\s+)?(?:junk|stuff|things|items)|both\s+(?:items|things)|"
                  r"anything|something|whatever|everything\s+(?:inside|in\s+there)|"
                  r"(?:the\s+)?held\s+(?:object|item)|everything|all|both|all\s+of\s+(?:it|them))$", re.I)
# "the toaster to toast the bread": the purpose clause names other objects, not the target.
#: A setting, no place: "on the lowest power level", "at full power", "on high".
_SETTING_PHRASE = (r"(?:on|at)\s+(?:the\s+|a\s+)?(?:lowest|low|high|highest|full|medium|max(?:imum)?|min(?:imum)?|"
                   r"half|defrost)\b")
_DURATION = (r"(?:(?:for|at|to)\s+)?(?:about\s+|around\s+|roughly\s+|another\s+)?(?:\d+\s*(?:sec\w*|s|min\w*|m|hours?)|"
             r"(?:a|an|one|two|three|four|five|six|ten|fifteen|twenty|thirty|ninety|a\s+few|a\s+couple\s+of|several|"
             r"half\s+an?)\s+(?:sec\w*|min\w*|hours?))\b")
PURPOSE = re.compile(rf"\s*,.*$|\s+{_DURATION}.*$|\s+{_SETTING_PHRASE}.*$|"
                     r"\s+(?:in\s+order\s+to|so\s+that|so\s+as\s+to|so|to\s+(?:heat|warm|cook|toast|boil|wash|bake|"
                     r"roast|reheat|nuke|zap|microwave|"
                     r"clean|rinse|dry|cool|start|make|prepare|melt|defrost|thaw|keep|be|stay|get|let|avoid|"
                     r"prevent)|while|making\s+sure|ensuring|without|for\s+\d|until|with\s+the\s+\w+\s+"
                     r"facing|since|because|as\s+(?:you|requested|asked|instructed)|anyway|regardless)\b.*$", re.I)
_STOPWORDS = re.compile(r"^(?:the|a|an|my|your|its|their|some|all|both|each|his|her|this|that)\s+", re.I)
#: Manner adverbs inside an object or place phrase ("put it straight on the turntable").
_MANNER = re.compile(r"\b(?:straight|directly|carefully|gently|slowly|safely|neatly|quickly|separately|upright|just|"
                     r"right(?=\s+(?:on|in|into|onto|there|here|back|next))|sitting|lying|resting|standing)\b", re.I)
_TRAILING = re.compile(r"\s+(?:please|now|first|carefully|gently|slowly|safely|again|here|right\s+here|"
                       r"as\s+(?:asked|requested|instructed)|anyway|too|as\s+well|ok|done|thats\s+it|"
                       r"that's\s+it|for\s+you|neatly|flat|down|on|off|up|wait|dry|clean)$", re.I)


QUALIFIER = re.compile(r"\s+(?:w/?|with|of|from|containing|holding|that|which|who|where|lying|sitting|next\s+to|near|"
                       r"above|below|just|right|toward|towards|behind|close\s+to|"
                       r"beside|in|on|inside|under|by)\b.*$", re.I)


#: A part at the border of a thing: beside a basin, still on a surface ("the edge of the stove").
_RIM = re.compile(r"^(?:the\s+|its\s+)?(?:very\s+)?(?:edge|rim|lip|side|corner|border)\s+of\s+(?P<of>.+)$", re.I)
#: A fixture named with one of its parts ("the toilet seat", "the oven rack", "the microwave tray").
_PART_OF = re.compile(r"\b(?P<fixture>toilet|sink|oven|microwave|stove|sofa|couch|bed|armchair|chair|bath(?:tub)?|tub|"
                      r"desk|table)\s+(?:seat|lid|cover|tray|rack|top|surface|cushion|bowl|basin|tank|shelf|door|plate|"
                      r"turntable|burner|ring|mattress|pillow|armrest)s?\b", re.I)
_NEAR_TAIL = re.compile(r"\s(?:beside|next\s+to|near|by|alongside)\s+(?P<x>.+)$", re.I)
#: A holder named after what it holds ("the knife block", "the key hook", "the phone charger"): the
#: last noun is the head, so the phrase names the holder, not the thing.
_HOLDER = re.compile(r"\s(?:block|hook|holder|rack|stand|case|charger|cable|cord|reader|mitt|caddy|dock|mat|"
                     r"organi[sz]er|rest|slot|sheath|pouch|hanger|jar|strap|clip|tray)s?$", re.I)
#: What a thing is made of, when a phrase says so ("a ceramic bowl", "a microwave-safe dish").
MATERIAL = re.compile(r"\b(?:ceramic|porcelain|china|glass|microwave[- ]?safe|microwav(?:e)?able|plastic|paper|wooden|"
                      r"metal|metallic|steel|stainless|alumin(?:i)?um|tin)\b", re.I)

_SYNONYM_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, lx.NOUN_SYNONYMS), key=len, reverse=True)) + r")\b",
                         re.I)


@functools.lru_cache(maxsize=8192)
def _mentions(text: str, catalog_id: int, size: int) -> tuple[str, ...]:
    catalog = _CATALOGS[catalog_id]
    named = _SYNONYM_RE.sub(lambda m: " " + lx.NOUN_SYNONYMS[m.group(0).lower()] + " ", text)
    return tuple(catalog.find_mentions(named))


_CATALOGS: dict[int, Catalog] = {}


def find(text: str, catalog: Catalog = CATALOG) -> tuple[str, ...]:
    """``catalog.find_mentions``, remembered (answers repeat phrases; the catalogue may grow, so its
    size is part of the key)."""
    _CATALOGS.setdefault(id(catalog), catalog)
    return _mentions(text, id(catalog), len(catalog.types))


#: The parts a fixture is named by when the plan is at it ("the bowl" at the toilet).
_FIXTURE_PARTS: dict[str, frozenset[str]] = {
    "Toilet": frozenset({"bowl", "seat"}), "SinkBasin": frozenset({"basin", "bowl", "drain"}),
    "Microwave": frozenset({"tray", "turntable", "plate", "cavity"}), "Oven": frozenset({"rack", "tray", "cavity"}),
    "Sofa": frozenset({"cushion", "seat"}), "ArmChair": frozenset({"cushion", "seat"}),
    "Chair": frozenset({"cushion", "seat"}), "Bed": frozenset({"mattress", "sheets", "blanket", "duvet"}),
    "Bathtub": frozenset({"tub", "basin"}), "GarbageCan": frozenset({"liner", "bag"}),
}


def part_of(fixture_type: str, name: str) -> bool:
    """Is ``name`` ("Bowl", "seat") a part of a ``fixture_type`` ("Toilet": the toilet bowl)?"""
    return name.strip().lower() in _FIXTURE_PARTS.get(fixture_type, frozenset())


def clean_arg(phrase: str, catalog: Catalog = CATALOG) -> str | None:
    """An object phrase to a type name; None for the held object ("it", "the object in your hand").
    The head noun decides: "the desk drawer" is a Drawer, "the plate with the burrito" a Plate."""
    phrase = PURPOSE.sub("", PAREN.sub(" ", phrase))
    phrase = re.sub(r"[.!,:;\"'“”]+$", "", phrase.strip()).strip()
    phrase = re.sub(rf"^{_DURATION}.*$", "", phrase, flags=re.I)
    phrase = re.sub(r"^(?:for\s+(?:you|me|us)|right\s+now|now|please)\b\s*", "", phrase, flags=re.I)
    phrase = _MANNER.sub(" ", phrase).strip()
    for _ in range(3):
        phrase = _TRAILING.sub("", phrase).strip()
    if not phrase or HELD.match(phrase) or HELD.match(_STOPWORDS.sub("", phrase)) or \
            re.fullmatch(r"you|me|us|yourself", phrase, re.I):
        return None
    rim = _RIM.match(phrase)
    if rim:  # "the edge of the sink": beside a basin, on a surface
        whole = clean_arg(rim["of"], catalog)
        inside = whole is not None and catalog.canonical(whole) is not None and \
            bool(catalog.get(whole).traits & {"wet", "trash", "heats_contents", "bag"})
        return f"near {whole}" if inside else whole
    part = _PART_OF.search(phrase)
    if part:  # "the toilet seat lid", "the oven rack": the fixture the part belongs to
        fixture = find(part["fixture"], catalog)
        if fixture:
            return fixture[0]
    core = QUALIFIER.sub("", phrase)
    head = find(core, catalog)
    if head and _HOLDER.search(core) and not find(_HOLDER.search(core).group(0), catalog):  # type: ignore[union-attr]
        return _STOPWORDS.sub("", core).strip()[:60]  # "the knife block": a holder the scene may not have
    words = core.lower().split()
    if head and len(words) > 1 and words[-1] in TRAIT_WORDS and not find(words[-1], catalog):
        return _STOPWORDS.sub("", core).strip()[:60]  # "the seat cushion": a part, grounded by its role
    if not head and _NEAR_TAIL.search(phrase):  # "the drying rack beside the sink": beside it, not in it
        anchor = clean_arg(_NEAR_TAIL.search(phrase)["x"], catalog)  # type: ignore[index]
        return f"near {anchor}" if anchor else None
    if head:
        material = MATERIAL.search(core)
        if material and not MATERIAL.search(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", head[-1])):
            return f"{material.group(0).lower()} {head[-1]}"  # "a ceramic bowl" is no metal bowl (grounding)
        return head[-1]
    mentions = find(phrase, catalog)
    if mentions:
        return mentions[0]
    bare = _STOPWORDS.sub("", core).strip()  # "their case in your coat pocket": the case
    if not bare or HELD.match(bare):
        return None
    return bare[:60]


def mentions(phrase: str, catalog: Catalog = CATALOG) -> tuple[str, ...]:
    """Every catalogue type a phrase names, in order ("the books and the glasses" -> Book, Glasses)."""
    return find(PURPOSE.sub("", PAREN.sub(" ", phrase)), catalog)


def first_conjunct(phrase: str) -> str:
    """"the books and the glasses" -> "the books" (every object stays in the step's mentions)."""
    return re.split(r"\s+(?:and|&|as\s+well\s+as|plus)\s+|,\s*", phrase, maxsplit=1)[0]


def portable_thing(name: str, catalog: Catalog) -> bool:
    canonical = catalog.canonical(name)
    return canonical is not None and catalog.types[canonical].portable and not catalog.types[canonical].is_receptacle


_ON_TOP = re.compile(r"\s+on\s+top\s+of\s", re.I)


def _closed_box(name: str | None, catalog: Catalog) -> bool:
    """A thing with a door whose inside is where things go (a microwave, a fridge), no cooking surface."""
    canonical = catalog.canonical(name) if name else None
    traits = catalog.types[canonical].traits if canonical else frozenset()
    return "openable" in traits and "cooking_surface" not in traits


def split_obj_target(rest: str, catalog: Catalog) -> tuple[str | None, str | None]:
    """"the fork in the microwave" -> (Fork, Microwave); "Microwave" -> (None, Microwave).

    A directional preposition (into, onto, inside) wins over in/on, so "my stuff on the desk
    into my bag" goes to the bag.
    """
    rest = PURPOSE.sub("", PAREN.sub(" ", rest))
    directional = list(_DIRECTIONAL.finditer(rest))
    if directional:
        last = directional[-1]
        obj_phrase, target_phrase = rest[: last.start()], rest[last.end():]
        target = clean_arg(target_phrase, catalog)
        if _ON_TOP.match(last.group(0)) and _closed_box(target, catalog):
            # "on top of the microwave": on its outside, not in it (an oven's top is its cooking surface)
            return clean_arg(first_conjunct(FROM.sub("", obj_phrase)), catalog), f"near {target}"
    else:
        m = PREP.search(rest)
        if m is None or not rest[m.end():].strip():
            return None, clean_arg(rest, catalog)
        obj_phrase, target_phrase = rest[: m.start()], rest[m.end():]
        if _NEAR.match(m.group(0)):
            near = clean_arg(target_phrase, catalog)
            return clean_arg(first_conjunct(FROM.sub("", obj_phrase)), catalog), f"near {near}" if near else None
    obj_phrase = PREP.split(FROM.sub("", obj_phrase), maxsplit=1)[0]
    target = clean_arg(target_phrase, catalog)
    inner = [n for n in find(target_phrase, catalog) if n != target and catalog.canonical(n)
             and catalog.get(n).is_receptacle]
    if target is not None and portable_thing(target, catalog) and inner and \
            (PREP.search(" " + target_phrase) or re.search(r"\s(?:and|,)\s", target_phrase)):
        target_phrase = inner[-1]  # "under the book in the box": in the box
    if first_conjunct(obj_phrase) != obj_phrase and len(find(obj_phrase, catalog)) > 1:
        return None, clean_arg(target_phrase, catalog)  # "the book and the tea": both, from the step's mentions
    return clean_arg(first_conjunct(obj_phrase), catalog), clean_arg(target_phrase, catalog)
