"""The conditions an answer puts on its acts, answered in the situation: "if that fork is metal",
"if there's any metal inside", "if the bowl isn't microwave-safe", "as long as the sink is empty".

Why: "If there's metal inside, I'll take it out first; then I'll start it" commits to the removal
only where there is metal, and "If the fork is metal, I won't put it in. Otherwise: 1. Goto
Microwave ..." commits to no step where the fork is metal. A careful reader answers such a
condition from the situation ("the bowl here is metal, so it is not microwave-safe"), and so does
this module: the state knows what things are made of, what holds what and whether devices are on.
A condition it cannot decide is None (the plan the answer leads with is kept).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mss_embodied.scoring.grounding import TaskContext
from mss_embodied.scoring.resolution import KINDS, resolve
from mss_embodied.world.state import WorldState

Quality = Callable[[WorldState, str], bool]


def _prop(*names: str) -> Quality:
    return lambda state, oid: state.objects[oid].has(*names)


def _not(quality: Quality) -> Quality:
    return lambda state, oid: not quality(state, oid)


def _empty(state: WorldState, oid: str) -> bool:
    """Nothing portable in or on it (a tap counts its basin)."""
    basins = [oid] + [o.id for o in state.objects.values() if o.id == state.objects[oid].feeds]
    return not any(o.portable for b in basins for o in state.contents(b))


def _covered(state: WorldState, oid: str) -> bool:
    """Wrapped or sheathed: something around it."""
    return any(c.relation == "around" for c in state.children(oid))


#: Adjectives a condition tests ("if the bowl is metal"), each a quality of the thing named.
_QUALITIES: dict[str, Quality] = {
    **dict.fromkeys(("metal", "metallic", "steel", "stainless", "aluminum", "aluminium", "iron", "tin"),
                    _prop("metallic")),
    **dict.fromkeys(("electronic", "electric", "battery-powered"), _prop("electronic")),
    "sharp": _prop("sharp"), "fragile": _prop("fragile"), "glass": _prop("fragile"), "breakable": _prop("fragile"),
    "plastic": _prop("heat_sensitive"), "flammable": _prop("flammable"), "valuable": _prop("valuable"),
    **dict.fromkeys(("on", "running", "lit", "hot", "switched on", "turned on"), lambda s, o: s.objects[o].is_on),
    "open": lambda s, o: s.objects[o].is_open,
    **dict.fromkeys(("wrapped", "foil", "covered", "sheathed"), _covered),
    "wet": lambda s, o: s.objects[o].is_wet or s.objects[o].has("wet"),
    **dict.fromkeys(("broken", "dead", "useless", "junk", "worthless", "trash", "garbage"),
                    lambda s, o: s.objects[o].is_broken),
    **dict.fromkeys(("empty", "clear", "free"), _empty),
    # what a thing is safe for: its property says it is not ("microwave-safe" is neither metal nor electronic)
    **dict.fromkeys(("microwave-safe", "microwave safe", "microwavable", "microwaveable"),
                    _not(_prop("metallic", "electronic"))),
    **dict.fromkeys(("waterproof", "water-resistant", "water resistant", "water-safe", "water safe"),
                    _not(_prop("water_sensitive"))),
    **dict.fromkeys(("heat-resistant", "heat resistant", "heatproof", "oven-safe", "oven safe", "fireproof",
                     "heat-safe"), _not(_prop("heat_sensitive", "flammable"))),
    **dict.fromkeys(("sealed", "capped", "lidded"), _not(_prop("spillable"))),
}
#: Adjectives that test the opposite of one above ("if it's dry": not wet).
_ANTONYMS: dict[str, str] = {"dry": "wet", "off": "on", "closed": "open", "shut": "open", "unwrapped": "wrapped",
                             "cold": "hot", "blunt": "sharp", "working": "broken", "new": "broken",
                             "functional": "broken", "uncovered": "covered", "full": "empty", "occupied": "empty",
                             "unsealed": "sealed"}
_ADJECTIVE = r"(?P<adj>[a-z]+(?:[- ](?:safe|proof|resistant|powered|on))?)"
_THERE_IS = re.compile(r"^there(?:'s|\s+is|\s+are)\s+(?P<neg>no\s+|not\s+any\s+|nothing\s+)?(?:any|a|an|some)?\s*"
                       r"(?P<what>.+?)"
                       r"(?:\s+(?P<where>inside|in\s+(?:it|there|the\s+\w+)|on\s+(?:it|the\s+\w+)))?$", re.I)
_IS = re.compile(r"^(?P<subj>.+?)(?:\s+(?:is|are|looks|seems|appears|turns\s+out\s+to\s+be)|'s|'re)(?P<neg>n't|\s+not)?"
                 r"\s+(?:really\s+|actually\s+|still\s+|completely\s+)?(?:to\s+be\s+)?(?:made\s+(?:of|from)\s+|a\s+|an\s+)?"
                 + _ADJECTIVE + r"(?:\s+(?:\w+\s+)?(?:bowl|dish|fork|one|material|model|kind|type))?"
                 r"(?:\s+(?:in|with|from|by|of|inside|enough)\b.*)?\s*$", re.I)
#: "the cup has a lid", "the knife is in its sheath": something covers it.
_HAS = re.compile(r"^(?P<subj>.+?)\s+(?:(?:has|have)(?P<neg>n't|\s+no|\s+not\s+got)?\s+(?:a|an|its|the|any)?\s*|"
                  r"(?:is|are)(?P<neg2>n't|\s+not)?\s+in\s+(?:a|an|its|the)\s+)"
                  r"(?P<what>lid|cap|cover|sheath|case|sleeve|guard)\b", re.I)
#: "the microwave is empty", "nothing is in the sink", "the sink is clear of things".
_NOTHING_IN = re.compile(r"^(?:nothing|no\s*thing)\s+(?:is\s+)?(?:in|inside|on)\s+(?P<subj>.+)$", re.I)


_GENERIC = re.compile(r"(?:cup|mug|glass|drink|container|thing|item|object)s?", re.I)


def _subject(subj: str, state: WorldState, prefer: list[str]) -> str | None:
    subj = re.sub(r"^(?:the|that|this|your|my|its)\s+", "", subj.strip(), flags=re.I)
    if re.fullmatch(r"it|they|this|that", subj, re.I):
        return prefer[-1] if prefer else None
    found = resolve(subj, state, prefer)
    movers = [p for p in prefer if state.objects[p].portable]
    if found is None and _GENERIC.fullmatch(subj) and len(movers) >= 1:
        return movers[-1]  # "if the cup has a lid": the drink the task moves
    return found


def condition_holds(text: str, state: WorldState, ctx: TaskContext | None = None) -> bool | None:
    """Whether an answer's condition holds here ("there's any metal inside", "that fork is metal",
    "the bowl isn't microwave-safe", "the sink is empty"); None when it does not say something the
    state can answer."""
    text = re.sub(r"^(?:the|that|this|your|my)\s+", "", text.strip().rstrip(".").replace("’", "'"), flags=re.I)
    task = [t for t in (ctx.destination, ctx.device) if t] if ctx else []
    prefer = [i for t in task if (i := state.find(t)) is not None] + list(ctx.movers if ctx else ())
    there = _THERE_IS.match(text)
    if there:
        return _there_is(there, state, prefer)
    nothing = _NOTHING_IN.match(text)
    if nothing:
        oid = _subject(nothing["subj"], state, prefer)
        return None if oid is None else _empty(state, oid)
    has = _HAS.match(text)
    if has:
        oid = _subject(has["subj"], state, prefer)
        if oid is None:
            return None
        covered = _covered(state, oid) or (has["what"].lower() in ("lid", "cap") and not state.objects[oid].has(
            "spillable"))
        return covered != bool(has["neg"] or has["neg2"])
    m = _IS.match(text)
    if m is None:
        return None
    adjective = m["adj"].lower()
    flip = adjective in _ANTONYMS
    adjective = _ANTONYMS.get(adjective, adjective)
    quality = _QUALITIES.get(adjective)
    oid = _subject(m["subj"], state, prefer)
    if quality is None or oid is None:
        return None
    return quality(state, oid) != (bool(m["neg"]) != flip)


def _there_is(there: re.Match[str], state: WorldState, prefer: list[str]) -> bool | None:
    """"there's any metal inside", "there's foil on the burrito", "there's nothing in the sink"."""
    words = re.findall(r"[a-z]+", there["what"].lower())
    kinds = {KINDS[w] for w in words if w in KINDS}
    anything = bool(re.fullmatch(r"(?:any|some)?\s*(?:thing|things|anything|something|objects?|items?|stuff)", there[
        "what"].strip(), re.I))
    named = resolve(there["what"], state, prefer) if not kinds and not anything else None
    qualities = [] if named is not None else \
        [_QUALITIES[w] for w in words if w in _QUALITIES and w not in ("on", "open", "empty", "clear", "free")]
    if not kinds and not qualities and named is None and not anything:
        return None
    where = there["where"] or ""
    place = re.sub(r"^(?:in|on)\s+(?:the\s+|your\s+|my\s+)?", "", where).strip()
    holder = resolve(place, state, prefer) if place and place not in ("it", "there", "inside") else None
    inside = [holder] if holder is not None else [p for p in prefer if not state.objects[p].portable] if where else []
    fed = [o.id for p in inside for o in state.objects.values() if o.id == state.objects[p].feeds]
    found = any((anything or named == o.id or (kinds and all(o.has(k) for k in kinds)) or
                 (qualities and all(q(state, o.id) for q in qualities))) and
                (not inside or any(state.is_within(o.id, p) for p in inside + fed) or o.parent in inside)
                for o in state.objects.values() if o.portable)
    return found != bool(there["neg"])
