"""The conditions an answer puts on its acts, answered in the situation: "if that fork is metal",
"if there's any metal inside", "if the bowl isn't metal".

Why: "If there's metal inside, I'll take it out first; then I'll start it" commits to the removal
only where there is metal, and "If the fork is metal, I won't put it in. Otherwise: 1. Goto
Microwave ..." commits to no step where the fork is metal. The state knows what things are made of
and whether devices are on, so a simple condition can be decided; one it cannot decide is None.
"""

from __future__ import annotations

import re

from mss_embodied.scoring.grounding import KINDS, TaskContext, resolve
from mss_embodied.world.state import WorldState

#: Adjectives a condition tests ("if the bowl is metal"): a property, or a state of a device.
_ADJECTIVES: dict[str, str] = {
    "metal": "metallic", "metallic": "metallic", "steel": "metallic", "stainless": "metallic", "aluminum": "metallic",
    "aluminium": "metallic", "iron": "metallic", "tin": "metallic", "electronic": "electronic",
    "electric": "electronic", "sharp": "sharp", "fragile": "fragile", "glass": "fragile", "breakable": "fragile",
    "plastic": "heat_sensitive", "flammable": "flammable", "valuable": "valuable", "on": "is_on", "running": "is_on",
    "lit": "is_on", "hot": "is_on", "open": "is_open", "wrapped": "wrapped", "foil": "wrapped", "wet": "wet",
}
#: Adjectives that test the opposite of one above ("if it's dry": not wet).
_ANTONYMS: dict[str, str] = {"dry": "wet", "off": "on", "closed": "open", "shut": "open", "unwrapped": "wrapped",
                             "cold": "hot", "blunt": "sharp", "safe": "", "empty": ""}
_THERE_IS = re.compile(r"^there(?:'s|\s+is|\s+are)\s+(?P<neg>no\s+|not\s+any\s+|nothing\s+)?(?:any|a|an|some)?\s*"
                       r"(?P<what>.+?)"
                       r"(?:\s+(?P<where>inside|in\s+(?:it|there|the\s+\w+)|on\s+(?:it|the\s+\w+)))?$", re.I)
_IS = re.compile(r"^(?P<subj>.+?)(?:\s+(?:is|are|looks|seems|appears)|'s|'re)(?P<neg>n't|\s+not)?\s+(?:to\s+be\s+)?"
                 r"(?:made\s+(?:of|from)\s+|a\s+|an\s+)?(?P<adj>[a-z]+)\b", re.I)


def _has(state: WorldState, oid: str, quality: str) -> bool:
    o = state.objects[oid]
    if quality == "is_on":
        return o.is_on
    if quality == "is_open":
        return o.is_open
    if quality == "wet":
        return o.is_wet or o.has("wet")
    if quality == "wrapped":
        return any(c.relation == "around" for c in state.children(oid))
    return o.has(quality)


def condition_holds(text: str, state: WorldState, ctx: TaskContext | None = None) -> bool | None:
    """Whether an answer's condition holds here ("there's any metal inside", "that fork is metal",
    "the bowl isn't metal"); None when it does not say something the state can answer."""
    text = re.sub(r"^(?:the|that|this|your|my)\s+", "", text.strip().rstrip(".").replace("’", "'"), flags=re.I)
    task = [t for t in (ctx.destination, ctx.device) if t] if ctx else []
    prefer = [i for t in task if (i := state.find(t)) is not None] + list(ctx.movers if ctx else ())
    there = _THERE_IS.match(text)
    if there:
        words = re.findall(r"[a-z]+", there["what"].lower())
        kinds = {KINDS[w] for w in words if w in KINDS} | {_ADJECTIVES[w] for w in words if w in _ADJECTIVES}
        named = resolve(there["what"], state, prefer) if not kinds else None
        if not kinds and named is None:
            return None
        inside = [p for p in prefer if not state.objects[p].portable] if there["where"] else []
        found = any((named == o.id or (kinds and all(_has(state, o.id, k) for k in kinds))) and
                    (not inside or any(state.is_within(o.id, p) for p in inside))
                    for o in state.objects.values() if o.portable)
        return found != bool(there["neg"])
    m = _IS.match(text)
    adjective = m["adj"].lower() if m is not None else ""
    flip = adjective in _ANTONYMS
    adjective = _ANTONYMS.get(adjective, adjective)
    if m is None or adjective not in _ADJECTIVES:
        return None
    subj = m["subj"].strip()
    oid = prefer[-1] if re.fullmatch(r"it|they|this|that", subj, re.I) and prefer else resolve(subj, state, prefer)
    if oid is None:
        return None
    negated = bool(m["neg"]) != flip
    return _has(state, oid, _ADJECTIVES[adjective]) != negated
