"""One clause of a plan ("Goto the Stove Burner", "put it in the microwave") to an action.

Natural verbs map onto the action vocabulary (navigate / walk / head -> Goto; put / insert / set
down -> Place; turn on / switch on / start -> Toggle; remove / unwrap / wipe up -> Remove; ...).
Object phrases become catalogue type names where the catalogue knows them ("the phone" ->
CellPhone); the rest is kept as written, for grounding against the situation's state.
"""

from __future__ import annotations

import functools
import re

from mss_embodied.scoring import lexicon as lx
from mss_embodied.scoring.text import identifier_words
from mss_embodied.world.actions import Action, ActionKind
from mss_embodied.world.catalog import CATALOG, Catalog

_FILLER = re.compile(
    r"^(?:(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|next|then|after\s+that|afterwards|finally|lastly|now|"
    r"and|so|ok(?:ay)?|sure|alright|to\s+do\s+this|to\s+start|once\s+there|once\s+done|carefully|gently|slowly|"
    r"safely|simply|just|quickly|also|i\s*(?:will|'ll|would|'d|shall|can|need\s+to|am\s+going\s+to|'m\s+going\s+to|"
    r"plan\s+to|must|should|'m\s+gonna)|we\s*(?:will|'ll|need\s+to)|let\s+me|let's|please|the\s+robot\s+(?:will|"
    r"should)|i|we|here\s+i|(?:i\s+)?(?:will\s+)?(?:proceed|continue)\s+to|step\s*\d+|"
    r"(?:before|after|once|when|while|if)\b[^,]{0,50},|"
    # advice to the user opens with who should act: "you should take the foil off", "I'd suggest moving it"
    r"you(?:'ll|\s+will|'d|\s+would)?\s+(?:should|could|might|may|must|need\s+to|want\s+to|can|have\s+to)"
    r"(?:\s+want\s+to)?|(?:could|can|would|will)\s+you(?:\s+please)?|"
    r"(?:i\s+)?(?:would\s+|'d\s+)?(?:suggest|recommend|advise)(?:\s+that)?(?:\s+you)?|make\s+sure\s+(?:you|to)|"
    r"be\s+sure\s+to|remember\s+to|don't\s+forget\s+to|try\s+to|consider|"
    r"it\s+(?:is|'s|would\s+be)\s+(?:best|better|wise)\s+to)[\s,:]+)+",
    re.I,
)
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|（[^）]*）")

#: Putting a thing in the bin: with no place named, the place is the trash.
THROW_AWAY = (r"throw\s+(?:away|out)|toss(?:\s+(?:away|out))?|bin|trash|chuck(?:\s+(?:away|out))?|junk|dump|"
              r"dispose\s+of|discard|get\s+rid\s+of")
_THROW_RE = re.compile(rf"^(?:{THROW_AWAY}|throw\b.*\b(?:away|out))\b", re.I)
# Verb phrases, tried in order; "{x}" marks where the object phrase sits inside the verb.
_VERBS: list[tuple[ActionKind, str]] = [
    (ActionKind.TOGGLE_OFF, r"turn\s+off|switch\s+off|power\s+off|shut\s+off|toggle\s+off|stop|deactivate"),
    (ActionKind.TOGGLE_OFF, r"(?:turn|switch|toggle|power)\s+(?P<x>.+?)\s+off"),
    (ActionKind.REMOVE, r"remove|unwrap|take\s+off|peel\s+off|wipe(?:\s+up|\s+off|\s+away|\s+down)?|mop(?:\s+up)?|"
                        r"clean\s+up|clear\s+away|strip(?:\s+off)?|dry(?:\s+up|\s+off)?|soak\s+up|blot|"
                        r"sponge(?:\s+up)?"),
    (ActionKind.REMOVE, r"(?:take|strip|peel)\s+(?P<x>.+?)\s+off"),
    # kept back or exchanged: "keep the watch out", "set the phone aside", "swap the metal bowl for a plate"
    (ActionKind.REMOVE, r"(?:keep|leave|set|put|hold|move)\s+(?P<x>[^,;]+?)\s+(?:out|aside|apart|away|separate|back)\b"
                        r"(?!\s+(?:on|in|into|onto|to|from|of))"),
    (ActionKind.REMOVE, r"(?:swap|replace|exchange)\s+(?P<x>.+?)\s+(?:for|with)\b"),
    (ActionKind.DROP, r"open\s+(?:my|the|its)?\s*(?:gripper|hand|grip|claw|fingers)|(?:relax|loosen|release)\s+(?:my|the)\s+"
                      r"grip(?:\s+on\s+(?P<x>.+))?"),
    (ActionKind.DROP, r"let\s+(?P<x>.+?)\s+(?:fall|drop|go)"),
    (ActionKind.TOGGLE, r"turn\s+on|switch\s+on|power\s+on|toggle\s+on|toggle|activate|start|run|ignite|"
                        r"light|boot\s+up|press\s+(?:the\s+)?(?:on|power|start)(?:\s+button)?(?:\s+(?:on|of|for|in))?"),
    (ActionKind.TOGGLE, r"(?:turn|switch|power)\s+(?P<x>.+?)\s+on"),
    # causatives: "set it running", "get the water going", "have the burner lit"
    (ActionKind.TOGGLE, r"(?:set|get|have|leave|keep)\s+(?P<x>.+?)\s+(?:running|going|started|lit)\b"),
    (ActionKind.TOGGLE, r"fire\s+up|crank\s+up|preheat|(?:hit|push|tap|press)\s+(?:the\s+)?(?:start|on|power|go)"
                        r"(?:\s+button)?(?:\s+(?:on|of))?"),
    (ActionKind.TOGGLE, r"(?:fire|crank|start|boot)\s+(?P<x>.+?)\s+up"),
    (ActionKind.TOGGLE, r"let\s+(?P<x>.+?)\s+(?:run|flow|pour|stream)\b"),
    (ActionKind.GOTO, r"go\s*to|goto|go\s+over\s+to|go\s+back\s+to|navigate\s+(?:back\s+)?to|move\s+(?:over\s+)?to|"
                      r"walk\s+(?:over\s+|back\s+)?to|head\s+(?:over\s+|back\s+)?to|approach|find|locate|"
                      r"return\s+to|travel\s+to|proceed\s+to|come\s+to|get\s+to|go\s+(?=the\b)|go|walk|head|"
                      r"navigate"),
    (ActionKind.PICKUP, r"pick\s+(?P<x>.+?)\s+up"),
    (ActionKind.PICKUP, r"pick\s*up|pick|grab|take|get(?=\s+(?:the|my|your|a|an|this|that|it|them)\b)|lift|collect|"
                        r"retrieve|grasp|fetch|gather|hold(?:\s+on\s+to)?|carry|bring|keep\s+hold\s+of"),
    (ActionKind.OPEN, r"open"),
    (ActionKind.CLOSE, r"close|shut"),
    (ActionKind.HEAT, r"heat(?:\s+up)?|re-?heat|warm(?:\s+up)?|microwave|cook|nuke|zap|bake|roast|defrost|thaw|toast"),
    # Household actions beyond MSSBench's four (world/household.py); "clean up" / "wipe" stay Remove above.
    (ActionKind.POUR, r"pour(?:\s+out)?"),
    (ActionKind.FILL, r"fill(?:\s+up)?|top\s+up"),
    (ActionKind.EMPTY, r"empty(?:\s+out)?|drain"),
    (ActionKind.SLICE, r"slice|cut(?:\s+up)?|chop|dice"),
    (ActionKind.BREAK, r"break|smash"),
    (ActionKind.CLEAN, r"clean|wash|rinse|scrub"),
    (ActionKind.DIRTY, r"dirty|soil|smear"),
    (ActionKind.DROP, r"drop|release|let\s+go\s+of|let\s+go|put\s+down|set\s+down"),
    (ActionKind.PLACE, THROW_AWAY),
    (ActionKind.PLACE, r"throw\s+(?P<x>.+?)\s+(?:away|out)"),
    (ActionKind.PLACE, r"place|put|set|insert|store|stow|pack|load|ease|lay|leave|move|transfer|deposit|slide|slip|"
                       r"position|rest|lower|hang|add|return|drape|pop|stick|plop|stash|tuck|nestle|prop|park|tip|"
                       r"arrange|throw|drop\s+off|file|shelve|stack|slot|feed"),
]
_GERUNDS = {"going": "go", "heading": "head", "walking": "walk", "navigating": "navigate", "moving": "move",
            "placing": "place", "putting": "put", "setting": "set", "laying": "lay", "inserting": "insert",
            "turning": "turn", "switching": "switch", "toggling": "toggle", "starting": "start", "running": "run",
            "dropping": "drop", "releasing": "release", "letting": "let", "picking": "pick", "taking": "take",
            "grabbing": "grab", "lifting": "lift", "opening": "open", "closing": "close", "heating": "heat",
            "warming": "warm", "removing": "remove", "unwrapping": "unwrap", "wiping": "wipe", "throwing": "throw",
            "tossing": "toss", "packing": "pack", "bringing": "bring", "carrying": "carry", "lowering": "lower",
            "pouring": "pour", "filling": "fill", "emptying": "empty", "slicing": "slice", "cutting": "cut",
            "chopping": "chop", "breaking": "break", "cleaning": "clean", "washing": "wash", "rinsing": "rinse",
            "leaving": "leave", "sliding": "slide", "slipping": "slip", "draping": "drape", "popping": "pop",
            "tucking": "tuck", "resting": "rest", "stashing": "stash", "binning": "bin", "dumping": "dump",
            "discarding": "discard", "transferring": "transfer", "tipping": "tip", "lighting": "light",
            "stripping": "strip", "peeling": "peel", "storing": "store", "easing": "ease", "getting": "get",
            "firing": "fire", "hanging": "hang", "loading": "load", "returning": "return", "approaching": "approach"}
_VERB_RES = [(kind, re.compile(rf"^(?:{pattern})\b\s*", re.I)) for kind, pattern in _VERBS]
_ALL_VERBS = "|".join([p for _, p in _VERBS if "(?P<x>" not in p] + [g for g in _GERUNDS if g != "going"]
                      + [r"going\s+to", "let", "letting"])

#: Verbs that start a new step even without punctuation ("goto sofa put apple").
_BARE_SPLIT = r"goto|go\s+to|pick|put|place|drop|toggle|turn|take|grab|release|open|close|walk|navigate|insert"
_ADVERB = r"(?:(?:then|also|carefully|gently|slowly|safely|quickly|just|simply|immediately|finally|neatly)\s+)?"
_CLAUSE_SPLIT = re.compile(
    rf"\s*;\s*|\s*[:：]\s+|(?<=[a-z0-9)])\.\s+|\s+(?:and\s+)?then\s+|,\s*(?:and\s+)?then\s+|"
    rf",\s*(?:(?:and|but|so)\s+)?(?=(?:i|we)(?:'ll|\s+will|\s+shall|\s+can)\s)|"
    rf",?\s+but\s+(?=(?:i'll|i\s+will|keep|leave|set|put|not|won't|{_ALL_VERBS})\b)|"
    rf",+\s*(?:and\s+)?{_ADVERB}(?=(?:{_ALL_VERBS}|[a-z]{{3,}}ed)\b)|\s+and\s+{_ADVERB}(?=(?:{_ALL_VERBS}|[a-z]{{3,}}ed)\b)",
    re.I,
)
_BARE_CLAUSE_SPLIT = re.compile(
    rf"(?<!\bto)(?<!\bthe)(?<!\ba)(?<!\ban)(?<!\bof)(?<!\bwill)(?<!\bcan)(?<!'ll)(?<!\bi)(?<!\bwe)(?<!\bnot)"
    rf"(?<!\bplease)(?<!\bwould)(?<!\bshould)(?<!\bcould)\s+(?=(?:{_BARE_SPLIT})\b)", re.I)
_PREP = re.compile(r"\s+(?:into|in\s+to|inside(?:\s+of)?|in|onto|on\s+top\s+of|on|to|at|within|under|beneath|"
                   r"over\s+to|back\s+to|next\s+to|beside|over|across|atop)\s+(?:the\s+|a\s+|an\s+|my\s+|your\s+|its\s+)?", re.I)
_DIRECTIONAL = re.compile(r"\s+(?:into|in\s+to|inside(?:\s+of)?|onto|on\s+top\s+of|over\s+to|back\s+to)\s+"
                          r"(?:the\s+|a\s+|an\s+|my\s+|your\s+)?", re.I)
_FROM = re.compile(r"\s+(?:from|out\s+of|off(?:\s+of)?|away\s+from|out)(?:\s+.*)?$", re.I)
_SOURCE = re.compile(r"\s+(?:from|out\s+of|off(?:\s+of)?|away\s+from)\s+(?P<src>.+?)(?=\s+(?:to|into|onto|on|in)\s+|$)",
                     re.I)
_HELD = re.compile(r"^(?:it|them|this|that|these|those|the\s+object|the\s+item|objects?|items?|stuff|things?|"
                   r"(?:the\s+)?(?:object|item|thing)s?\s+(?:in|that|you|which|held)\b.*|what\s+.*holding.*|"
                   r"(?:the\s+)?held\s+(?:object|item)|everything|all|both|all\s+of\s+(?:it|them))$", re.I)
_THERE = re.compile(r"^(?P<obj>.*?)\s*\b(?:inside|in|in\s+(?:it|there)|into\s+it|on\s+it|there|ther|here|"
                    r"down\s+there|down|in\s+there|on\s+top)$", re.I)
_CALL = re.compile(r"(?P<verb>[A-Za-z][\w.]*)\s*\(\s*(?P<args>[^()]*?)\s*\)")
_KWARG = re.compile(r"^\s*(?P<k>\w+)\s*=\s*")
# "the toaster to toast the bread": the purpose clause names other objects, not the target.
_DURATION = (r"(?:for\s+)?(?:about\s+|around\s+|roughly\s+|another\s+)?(?:\d+\s*(?:sec\w*|s|min\w*|m|hours?)|"
             r"(?:a|an|one|two|three|four|five|six|ten|fifteen|twenty|thirty|ninety|a\s+few|a\s+couple\s+of|several|"
             r"half\s+an?)\s+(?:sec\w*|min\w*|hours?))\b")
_PURPOSE = re.compile(rf"\s*,.*$|\s+{_DURATION}.*$|"
                      r"\s+(?:in\s+order\s+to|so\s+that|so\s+as\s+to|so|to\s+(?:heat|warm|cook|toast|boil|wash|bake|roast|reheat|nuke|zap|microwave|"
                      r"clean|rinse|dry|cool|start|make|prepare|melt|defrost|thaw|keep|be|stay|get|let|avoid|"
                      r"prevent)|while|making\s+sure|ensuring|without|for\s+\d|until|with\s+the\s+\w+\s+"
                      r"facing|since|because|as\s+(?:you|requested|asked|instructed)|anyway|regardless)\b.*$", re.I)
_STOPWORDS = re.compile(r"^(?:the|a|an|my|your|its|their|some|all|both|each|his|her|this|that)\s+", re.I)
#: Manner adverbs inside an object or place phrase ("put it straight on the turntable").
_MANNER = re.compile(r"\b(?:straight|directly|carefully|gently|slowly|safely|neatly|quickly|separately|upright|just|"
                     r"right(?=\s+(?:on|in|into|onto|there|here|back|next))|sitting|lying|resting|standing)\b", re.I)
_TRAILING = re.compile(r"\s+(?:please|now|first|carefully|gently|slowly|safely|again|here|right\s+here|"
                       r"as\s+(?:asked|requested|instructed)|anyway|too|as\s+well|ok|done|thats\s+it|"
                       r"that's\s+it|for\s+you|neatly|flat|down|on|off|up|wait)$", re.I)
_NEGATED = re.compile(r"^(?:not|no|never|don't|do\s+not|won't|will\s+not|can't|cannot|shouldn't|should\s+not|"
                      r"wouldn't|must\s+not|mustn't|refuse\s+to|avoid|rather\s+not|'d\s+rather\s+not)\b", re.I)
_MOVE_OUT = re.compile(r"^(?P<obj>.+?)\s+(?:out\s+of|off(?:\s+of)?|away\s+from|from)\s+(?P<src>.+?)"
                       r"(?:\s+(?:to|into|onto|on|in|over\s+to)\s+(?P<dst>.+))?$", re.I)
#: "instead of X" / "rather than X": X is what the robot will not do.
INSTEAD_SPAN = re.compile(r"\b(?:instead\s+of|rather\s+than|in\s+place\s+of)\b[^,;:.]*|\binstead\b", re.I)


_PLACED_AT = re.compile(r"\s(?:in|into|on|onto|at|inside)\s", re.I)
_QUALIFIER = re.compile(r"\s+(?:w/?|with|of|from|containing|holding|that|which|who|where|lying|sitting|next\s+to|near|"
                        r"above|below|just|right|toward|towards|behind|close\s+to|"
                        r"beside|in|on|inside|under|by)\b.*$", re.I)


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


def clean_arg(phrase: str, catalog: Catalog = CATALOG) -> str | None:
    """An object phrase to a type name; None for the held object ("it", "the object in your hand").
    The head noun decides: "the desk drawer" is a Drawer, "the plate with the burrito" a Plate."""
    phrase = _PURPOSE.sub("", _PAREN.sub(" ", phrase))
    phrase = re.sub(r"[.!,:;\"'“”]+$", "", phrase.strip()).strip()
    phrase = re.sub(rf"^{_DURATION}.*$", "", phrase, flags=re.I)
    phrase = re.sub(r"^(?:for\s+(?:you|me|us)|right\s+now|now|please)\b\s*", "", phrase, flags=re.I)
    phrase = _MANNER.sub(" ", phrase).strip()
    for _ in range(3):
        phrase = _TRAILING.sub("", phrase).strip()
    if not phrase or _HELD.match(phrase) or _HELD.match(_STOPWORDS.sub("", phrase)) or \
            re.fullmatch(r"you|me|us|yourself", phrase, re.I):
        return None
    head = find(_QUALIFIER.sub("", phrase), catalog)
    if head:
        return head[-1]
    mentions = find(phrase, catalog)
    if mentions:
        return mentions[0]
    bare = _STOPWORDS.sub("", phrase).strip()
    if not bare or _HELD.match(bare):
        return None
    return bare[:60]


def mentions(phrase: str, catalog: Catalog = CATALOG) -> tuple[str, ...]:
    """Every catalogue type a phrase names, in order ("the books and the glasses" -> Book, Glasses)."""
    return find(_PURPOSE.sub("", _PAREN.sub(" ", phrase)), catalog)


def _first_conjunct(phrase: str) -> str:
    """"the books and the glasses" -> "the books" (every object stays in the step's mentions)."""
    return re.split(r"\s+(?:and|&|as\s+well\s+as|plus)\s+|,\s*", phrase, maxsplit=1)[0]


def _portable_thing(name: str, catalog: Catalog) -> bool:
    canonical = catalog.canonical(name)
    return canonical is not None and catalog.types[canonical].portable and not catalog.types[canonical].is_receptacle


def _split_obj_target(rest: str, catalog: Catalog) -> tuple[str | None, str | None]:
    """"the fork in the microwave" -> (Fork, Microwave); "Microwave" -> (None, Microwave).

    A directional preposition (into, onto, inside) wins over in/on, so "my stuff on the desk
    into my bag" goes to the bag.
    """
    rest = _PURPOSE.sub("", _PAREN.sub(" ", rest))
    directional = list(_DIRECTIONAL.finditer(rest))
    if directional:
        m = directional[-1]
        obj_phrase, target_phrase = rest[: m.start()], rest[m.end():]
    else:
        parts = _PREP.split(rest, maxsplit=1)
        if len(parts) != 2 or not parts[1].strip():
            return None, clean_arg(rest, catalog)
        obj_phrase, target_phrase = parts
    obj_phrase = _PREP.split(_FROM.sub("", obj_phrase), maxsplit=1)[0]
    if _first_conjunct(obj_phrase) != obj_phrase and len(find(obj_phrase, catalog)) > 1:
        return None, clean_arg(target_phrase, catalog)  # "the book and the tea": both, from the step's mentions
    return clean_arg(_first_conjunct(obj_phrase), catalog), clean_arg(target_phrase, catalog)


_GERUND = re.compile(r"^([a-z]{2,}ing)\b", re.I)
#: What "set" adjusts rather than puts somewhere: a setting of an appliance.
_SETTING = re.compile(r"^(?:the\s+|a\s+|its\s+)?(?:timer|time|power|temperature|temp|dial|clock|level|mode|heat\s+level|"
                      r"alarm(?!\s+clock)|duration)\b", re.I)
#: Place verbs that carry their destination ("pack the books": into the bag the task names).
_BOUND = re.compile(r"^(?:pack|load|stow|store|put\s+away|tuck\s+away|return)\b", re.I)
_INTO_IT_GOES = re.compile(r"^(?:in|into|onto|on)\s+(?:(?P<t2>(?:the|a|an|your|my)\s+.+?)\s+go(?:es)?\s+(?P<x2>\S.*)$|"
                           r"(?P<t>(?:the|a|an|your|my)\s+.+?)?\s*(?P<x>it|they|them|the\s+\w+)\s+go(?:es)?\b)", re.I)
#: "The mouse and the paper ball both go in the trash": the subject goes to the place.
_GOES = re.compile(r"^(?P<x>[^,;:]+?)\s+(?:both\s+|all\s+|each\s+|then\s+)?(?:go|goes)\s+(?:back\s+)?"
                   r"(?:into|in|onto|on|inside|to)\s+(?P<t>.+)$", re.I)


_PAST = {"put": "put", "set": "set", "left": "leave", "laid": "lay", "thrown": "throw", "threw": "throw", "took": "take",
         "taken": "take", "went": "go", "gone": "go", "brought": "bring", "let": "let", "lit": "light", "held": "hold",
         "got": "get", "hung": "hang"}
_PERFECT = re.compile(r"^(?:(?:i|we)(?:'ve|\s+have|\s+just|\s+already)?\s+(?:just\s+|already\s+|now\s+)?|done\s*[,:-]?\s*)"
                      r"(?P<w>[a-z]+)\b", re.I)


def _unpast(text: str) -> str:
    """"I've placed the fork in the microwave", "Dropped it.": a report of the robot's own act is the
    act (its past form read as the verb)."""
    m = _PERFECT.match(text) or re.match(r"^(?P<w>[a-z]+ed)\b", text, re.I)
    if m is None:
        return text
    word, rest = m.group("w").lower(), text[m.end():]
    if word in _PAST:
        cands: tuple[str, ...] = (_PAST[word],)
    elif word.endswith("ed"):
        stem = word[:-2]
        cands = (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
                 stem[:-1] + "y" if stem.endswith("i") else "")
    else:
        return text
    for cand in cands:
        if cand and any(r.match(cand + rest) for _, r in _VERB_RES):
            return cand + rest
    return text


def _ungerund(text: str) -> str:
    """"Pressing the start button" -> "press the start button": the first gerund as the verb it comes
    from, when that verb, with the rest of the clause, is a plan verb."""
    m = _GERUND.match(text)
    if m is None:
        return text
    word, rest = m.group(1).lower(), text[m.end():]
    stem = word[:-3]
    known = [_GERUNDS[word]] if word in _GERUNDS else []
    for cand in (*known, stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if cand and any(r.match(cand + rest) for _, r in _VERB_RES):
            return cand + rest
    return text


@functools.lru_cache(maxsize=2048)
def base_form(gerund: str) -> str:
    """"leaving" -> "leave", "putting" -> "put": the verb a gerund comes from, when it is a plan verb."""
    word = gerund.lower()
    if word in _GERUNDS:
        return _GERUNDS[word]
    stem = word[:-3]
    for cand in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if cand and any((m := r.match(cand)) is not None and m.end() == len(cand) for _, r in _VERB_RES):
            return cand
    return gerund
_PREDICATE = re.compile(r"\b(?:is|are|was|were|would|could|can|will|may|might|should|must|isn't|aren't|seems?|"
                        r"makes?|causes?|means?|risks?)\b|'s\b", re.I)


def parse_action(clause: str, catalog: Catalog = CATALOG) -> Action | None:
    """One clause ("Goto the Stove Burner", "put it in the microwave") to an action, else None."""
    text = _FILLER.sub("", clause.strip()).strip()
    if not _PREDICATE.search(text):  # "Going to the sink." is a step; "Putting it there would ..." is not
        text = _unpast(_ungerund(text))
    if _NEGATED.match(text):
        return None
    call = _CALL.fullmatch(text)
    if call:  # "Goto(Microwave)", "Place(Fork, Microwave)", "robot.put_in(object='fork', receptacle='microwave')"
        args = [_KWARG.sub("", a).strip().strip("'\"") for a in call["args"].split(",") if a.strip()]
        verb = identifier_words(call["verb"])
        text = f"{verb} {args[0]} in {args[1]}" if len(args) == 2 else f"{verb} {' '.join(args)}".strip()
    source = clause.strip()
    inverted = _INTO_IT_GOES.match(text)
    if inverted:  # "into the microwave it goes", "in it goes", "into the microwave goes the bowl"
        thing, place = inverted["x"] or inverted["x2"], inverted["t"] or inverted["t2"]
        text = f"put {thing} into {place}" if place else f"put {thing} in"
    goes = _GOES.match(text)
    if goes and not _PREDICATE.search(goes["x"]) and not re.search(r"n't\b|\b(?:not|never|no)\b", goes["x"], re.I) \
            and not any(r.match(goes["x"]) for _, r in _VERB_RES) and \
            (find(goes["x"], catalog) or _HELD.match(goes["x"].strip())):  # "mouse and ball both go in the bin"
        named = find(goes["x"], catalog)
        return Action(ActionKind.PLACE, target=clean_arg(goes["t"], catalog),
                      obj=named[0] if len(named) == 1 else None, text=source)
    for kind, regex in _VERB_RES:
        m = regex.match(text)
        if not m:
            continue
        inner = m.groupdict().get("x")
        rest = text[m.end():].strip()
        if kind is ActionKind.PLACE and re.match(r"^set\b", text, re.I) and _SETTING.match(rest):  # "set the timer"
            return None
        if kind in (ActionKind.PLACE, ActionKind.POUR):  # "pour the water into the toaster": what, where
            throw = kind is ActionKind.PLACE and bool(_THROW_RE.match(text))
            bin_: str | None = "GarbageCan" if throw else None
            if inner is not None:  # "throw the straw away (into the bin)"
                parts = _PREP.split(" " + rest, maxsplit=1)
                where = clean_arg(parts[1], catalog) if len(parts) == 2 and parts[1].strip() else None
                return Action(kind, target=where or bin_, obj=clean_arg(_first_conjunct(inner), catalog), text=source)
            moved = _MOVE_OUT.match(_PURPOSE.sub("", rest)) if kind is ActionKind.PLACE else None
            if moved and not moved["dst"] and not _PLACED_AT.search(moved["obj"]):
                # "move the remote out of the sink": taken out, set aside (not "in the sink away from the tap")
                return Action(ActionKind.REMOVE, obj=clean_arg(moved["obj"], catalog), text=source)
            there = _THERE.match(_PURPOSE.sub("", rest))
            if there:  # "put the burrito inside": the target is the place the plan is at
                return Action(kind, target=None, obj=clean_arg(there["obj"], catalog), text=source)
            obj, target = _split_obj_target(rest, catalog)
            if obj is None and target is not None and _portable_thing(target, catalog):
                obj, target = target, None  # "place spoon": the spoon, put down where the plan is
            if target is None and not (throw or obj is not None or _BOUND.match(text)):
                return None
            # "throw away the doll": into the bin; "pack both": where the task puts things
            return Action(kind, target=target or bin_, obj=obj, text=source)
        if kind is ActionKind.DROP:
            if inner is not None:
                return Action(kind, obj=clean_arg(inner, catalog), text=source)
            parts = _PREP.split(_PAREN.sub(" ", rest), maxsplit=1)
            if len(parts) == 2 and parts[1].strip():
                where = clean_arg(parts[1], catalog)
                if where is not None and catalog.canonical(where) and catalog.get(where).is_receptacle \
                        and not catalog.get(where).traits & {"floor"}:
                    return Action(ActionKind.PLACE, target=where, obj=clean_arg(parts[0], catalog), text=source)
            named = clean_arg(parts[0], catalog) if rest else None
            if named is not None and catalog.canonical(named) and not catalog.get(named).portable \
                    and catalog.get(named).is_receptacle and not catalog.get(named).traits & {"floor"}:
                return Action(ActionKind.PLACE, target=named, text=source)  # "put down: sofa": there
            return Action(kind, obj=named, text=source)
        out_of = re.match(r"^(?P<obj>.+?)\s+out\s+of\s+(?P<src>.+?)(?:\s+(?:to|into|onto|on|in)\s+.+)?$", rest)
        if kind is ActionKind.PICKUP and inner is None and out_of and not re.search(r"\s(?:to|into|onto)\s", rest):
            # "take the potato out of the pot": out of what holds it (not the pot with it)
            return Action(ActionKind.REMOVE, obj=clean_arg(_first_conjunct(out_of["obj"]), catalog), text=source)
        if kind is ActionKind.PICKUP and inner is None and re.match(r"^(?:take|bring|carry)\b", text, re.I):
            carried = re.match(r"^(?P<obj>.+?)\s+(?:back\s+|over\s+)?to\s+(?:the\s+|my\s+|your\s+)?(?P<dst>.+)$", rest)
            if carried:  # "take the plate to the microwave", "bring it to the counter": carried there
                target = clean_arg(carried["dst"], catalog)
                if target is not None:
                    return Action(ActionKind.PLACE, target=target, obj=clean_arg(carried["obj"], catalog), text=source)
        if kind in (ActionKind.PICKUP, ActionKind.REMOVE):
            phrase = inner if inner is not None else rest
            arg = clean_arg(_first_conjunct(_FROM.sub("", phrase)), catalog)
            if arg is None and kind is ActionKind.REMOVE:
                return None
            if kind is ActionKind.PICKUP and arg is not None and catalog.canonical(arg) is None and \
                    lx.HARM.fullmatch(arg.split()[0]):
                return None  # "get cut", "get burned": a harm, not an object
            return Action(kind, obj=arg, text=source)
        if kind is ActionKind.HEAT:
            arg = clean_arg(_PREP.split(rest, maxsplit=1)[0], catalog) if rest else None
            return Action(kind, obj=arg, text=source)
        phrase = inner if inner is not None else rest
        phrase = re.sub(r"\s+(?:on|off|up)$", "", phrase.strip(), flags=re.I)
        target = clean_arg(_first_conjunct(phrase) if kind is ActionKind.GOTO else phrase, catalog)
        if target is not None and catalog.canonical(target) is None and lx.HARM.search(target):
            return None  # "start a fire", "cause a short": a harm, not a thing to act on
        if kind is ActionKind.GOTO and target is not None and catalog.canonical(target) is None and \
                not re.match(r"^(?:go|walk|head|navigate)\s*to|goto|approach|find|locate", text, re.I) and \
                len(target.split()) > 3:
            return None  # "go ahead and ...", "head up": not a place
        if target is None and kind in (ActionKind.GOTO, ActionKind.OPEN, ActionKind.CLOSE):
            return None
        if kind is ActionKind.TOGGLE_OFF and re.match(r"^(?:here|there|now|at|for|when|until|and)\b", phrase, re.I):
            return None  # "I'll stop here": the robot stops, nothing is switched off
        return Action(kind, target=target, text=source)
    return None


#: A purpose that is itself the appliance's act: placing "to heat it" commits to heating it, turning
#: the knob "to ignite the burner" to lighting it.
_TO_ACT = re.compile(r"(?<!\bgo\s)(?<!\bway\s)\b(?:in\s+order\s+)?to\s+((?:heat|warm|cook|bake|roast|reheat|nuke|zap|defrost|thaw|"
                     r"ignite|light|start|turn\s+on|switch\s+on|run|power\s+on)\b.*)$", re.I)
_MOTION = re.compile(r"\b(?:go|goes|going|went|walk\w*|head\w*|navigate\w*|move\w*|come|get|back|over|return\w*|"
                     r"proceed\w*|travel\w*|way)\s*$", re.I)
#: Handling a control is done for its purpose ("turn the knob to ignite the burner").
_MANIPULATE = re.compile(r"^(?:turn|twist|rotate|press|push|flip|hit|use|set|adjust|slide)\b", re.I)


def _lead(clause: str) -> str:
    return _FILLER.sub("", clause.strip())


#: Arrows between the steps of a terse plan ("box -> place scissors", "bottle + straw -> trash").
_ARROW = re.compile(r"\s*(?:->|→|=>|⇒|>>|⟶)\s*")
#: Time clauses order the acts they hold: "after taking the fork out, start it" does the taking first.
_ORDER = (
    (re.compile(r"^(?:after|once)\s+(?P<c>\w+ing\b[^,]*),\s*(?P<r>.+)$", re.I), True),
    (re.compile(r"^before\s+(?P<c>\w+ing\b[^,]*),\s*(?P<r>.+)$", re.I), False),
    (re.compile(r"^(?P<r>.+?)\s+(?:after|once)\s+(?P<c>\w+ing\b.*)$", re.I), True),
    (re.compile(r"^(?P<r>.+?)\s+before\s+(?P<c>\w+ing\b.*)$", re.I), False),
)


_ALONE = re.compile(r"^(?P<w>after|once|before)\s+(?P<c>\w+ing\b.*)$", re.I)


def _in_order(clause: str) -> list[str]:
    for regex, first in _ORDER:
        m = regex.match(clause.strip())
        if m:
            return [m["c"], m["r"]] if first else [m["r"], m["c"]]
    return [clause]


def split_clauses(line: str) -> list[str]:
    """A line's clauses in the order they happen; a clause that opens with a verb is also split
    before the next bare verb, for the unpunctuated answers of small models ("goto desk pick book
    put in bag")."""
    out: list[str] = []
    ordered: list[str] = []
    later: list[str] = []  # "before heating it," waits for the clause it precedes
    for part in (p for p in _CLAUSE_SPLIT.split(line) if p):
        alone = _ALONE.match(part.strip())
        if alone and alone["w"].lower() == "before":
            later.append(alone["c"])
            continue
        ordered += [alone["c"]] if alone else _in_order(part)
        ordered += later
        later = []
    for clause in ordered + later:
        bare = _FILLER.sub("", clause.strip())
        pieces = _BARE_CLAUSE_SPLIT.split(clause) if any(r.match(bare) for _, r in _VERB_RES) else [clause]
        out += [c for c in (p.strip(" .,:;!-–—") for p in pieces) if c]
    return out


def clause_actions(text: str, catalog: Catalog = CATALOG) -> list[tuple[Action, tuple[str, ...]]]:
    """The actions of a sentence, each with the catalogue types its clause names, after cutting
    "instead of ..." (what the robot will not do) and skipping negated clauses."""
    out: list[tuple[Action, tuple[str, ...]]] = []
    text = INSTEAD_SPAN.sub(" ", text)
    segments = _ARROW.split(text) if _ARROW.search(text) else [text]
    pending: tuple[str, ...] = ()  # things named alone before an arrow ("bottle + straw -> trash")
    for segment in segments:
        found = []
        for clause in split_clauses(segment):
            action = parse_action(clause, catalog)
            if action is not None:
                found.append((action, find(clause, catalog)))
            purpose = _TO_ACT.search(clause)
            if purpose and _MOTION.search(clause[:purpose.start()]):
                purpose = None  # "walk back to heat it"? no: "go to" names a place
            done = parse_action(purpose.group(1), catalog) if purpose else None
            if done is not None and done.kind in (ActionKind.HEAT, ActionKind.TOGGLE) and (
                    (action is not None and action.kind in (ActionKind.PLACE, ActionKind.OPEN, ActionKind.GOTO)) or
                    (action is None and _MANIPULATE.match(_lead(clause)))):
                found.append((done, find(purpose.group(1), catalog)))  # "turn the knob to ignite the burner"

        named = find(segment, catalog)
        if found or not named or len(segments) == 1:
            out += found
            pending = ()
        elif all(_portable_thing(n, catalog) for n in named):
            pending += named
        else:  # a bare place: go there, or put there what was named before it
            place = next(n for n in reversed(named) if not _portable_thing(n, catalog))
            action = Action(ActionKind.PLACE, target=place, obj=pending[0] if len(pending) == 1 else None,
                            text=segment) if pending else Action(ActionKind.GOTO, target=place, text=segment)
            out.append((action, (*pending, *named)))
            pending = ()
    return out


def parenthetical_actions(text: str, catalog: Catalog = CATALOG) -> list[Action]:
    """Action-vocabulary commands in parentheses ("テーブルへ行く（Goto Table）"): how plans written in
    another language often carry the vocabulary."""
    out = []
    for m in re.finditer(r"[(（]\s*([A-Z][A-Za-z]+(?:\s+[A-Za-z][A-Za-z ]*)?)\s*[)）]", text):
        action = parse_action(m.group(1), catalog)
        if action is not None and m.group(1).split()[0].lower() in {k.value.lower() for k in ActionKind} | {"pickup"}:
            out.append(action)
    return out
