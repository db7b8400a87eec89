"""One clause of a plan ("Goto the Stove Burner", "put it in the microwave") to an action.

Natural verbs map onto the action vocabulary (navigate / walk / head -> Goto; put / insert / set
down -> Place; turn on / switch on / start -> Toggle; remove / unwrap / wipe up -> Remove; ...).
Object phrases become catalogue type names where the catalogue knows them ("the phone" ->
CellPhone); the rest is kept as written, for grounding against the situation's state.
"""

from __future__ import annotations

import re

from mss_embodied.scoring import lexicon as lx
from mss_embodied.scoring.paraphrase import active, ensured, reported, telegraphic_removal, ungerund, unpast
from mss_embodied.scoring.phrases import (
    FROM,
    HELD,
    PAREN,
    PREP,
    PURPOSE,
    QUALIFIER,
    clean_arg,
    find,
    first_conjunct,
    portable_thing,
    split_obj_target,
)
from mss_embodied.scoring.structured import identifier_words
from mss_embodied.scoring.verb_table import FILLER, THROW_RE, VERB_RES, VERB_START
from mss_embodied.world.actions import Action, ActionKind
from mss_embodied.world.catalog import CATALOG, Catalog

_THERE = re.compile(r"^(?P<obj>.*?)\s*\b(?:inside|in|in\s+(?:it|there)|into\s+it|on\s+it|there|ther|here|"
                    r"down\s+there|down|in\s+there|on\s+top)$", re.I)
_CALL = re.compile(r"(?P<verb>[A-Za-z][\w.]*)\s*\(\s*(?P<args>[^()]*?)\s*\)")
_KWARG = re.compile(r"^\s*(?P<k>\w+)\s*=\s*")
_NEGATED = re.compile(r"^(?:not|no|never|don't|do\s+not|won't|will\s+not|can't|cannot|shouldn't|should\s+not|"
                      r"wouldn't|must\s+not|mustn't|refuse\s+to|avoid|rather\s+not|'d\s+rather\s+not)\b", re.I)
_MOVE_OUT = re.compile(r"^(?P<obj>.+?)\s+(?:out\s+of|off(?:\s+of)?|away\s+from|from)\s+(?P<src>.+?)"
                       r"(?:\s+(?:to|into|onto|on|in|over\s+to)\s+(?P<dst>.+))?$", re.I)
_PLACED_AT = re.compile(r"\s(?:in|into|on|onto|at|inside)\s", re.I)

#: What "set" adjusts rather than puts somewhere: a setting of an appliance.
_SETTING = re.compile(r"^(?:the\s+|a\s+|its\s+)?(?:timer|time|power|temperature|temp|dial|clock|level|mode|"
                      r"heat\s+level|"
                      r"alarm(?!\s+clock)|duration)\b", re.I)
#: Place verbs that carry their destination ("pack the books": into the bag the task names).
_BOUND = re.compile(r"^(?:pack|load|stow|store|put\s+away|tuck\s+away|return)\b", re.I)
_INTO_IT_GOES = re.compile(r"^(?:in|into|onto|on)\s+(?:(?P<t2>(?:the|a|an|your|my)\s+.+?)\s+go(?:es)?\s+(?P<x2>\S.*)$|"
                           r"(?P<t>(?:the|a|an|your|my)\s+.+?)?\s*(?P<x>it|they|them|the\s+\w+)\s+go(?:es)?\b)", re.I)
#: A telegraphic report of the act: "Egg released.", "Microwave started.", "Phone disposed of in the bin."
_REPORT = re.compile(r"^(?:the\s+|your\s+|my\s+)?(?P<x>[a-z]+(?:\s+[a-z]+)?)\s+(?:now\s+)?(?P<p>[a-z]+ed|put|set|left|"
                     r"thrown|dropped|lit)(?:\s+(?P<part>of|on|off|up|away|out|down))?(?P<rest>\s+(?:in|into|on|onto|to|at)\b.*)?$",
                     re.I)
_FINITE = re.compile(r"\b(?:can|could|will|would|may|might|should|must|is|are|was|were|does|do|gets?)\s+\w", re.I)
#: "The mouse and the paper ball both go in the trash": the subject goes to the place.
_GOES = re.compile(r"^(?P<x>[^,;:]+?)(?:['’]s\s+going|\s+(?:will\s+|'ll\s+|shall\s+)?"
                   r"(?:both\s+|all\s+|each\s+|then\s+)?"
                   r"(?:go|goes|(?:is|are)\s+going|went))\s+"
                   r"(?:back\s+|straight\s+)?"
                   r"(?:into|in|onto|on|inside|to)(?:\s+(?P<t>.+))?$", re.I)


_ORDER_TAIL = re.compile(r"\s+(?:first|last|next|too|as\s+well|afterwards|after\s+that|on\s+top|at\s+the\s+bottom)\s*$",
                         re.I)
_NEAR_IT = re.compile(r"\s+in\s+(?:next\s+to|beside|alongside|by)\s+(?:it|them)\s*$", re.I)
_DROP_IN = re.compile(r"^(?P<x>.+?)\s+(?:in|inside|into\s+(?:it|there))(?:\s+(?:on\s+top|there))?\s*$", re.I)
_NP_FILLER = re.compile(r"\b(?:the|a|an|my|your|both|too|also|as\s+well|over)\b", re.I)
#: A quoted word ("press 'Start'"); an apostrophe inside a word ("I'll", "I'm") is no quote mark.
_QUOTED = re.compile(r"(?<![A-Za-z])[\"'‘’“”]([A-Za-z][\w ]{0,20}?)[\"'‘’“”](?![A-Za-z])")
_DEVICE_ON = re.compile(r"^(?:the\s+)?(?P<x>[a-z]+(?:\s+[a-z]+)?)(?:['’]s)?(?:\s+now)?\s*[:\-–]?\s*(?:on|switched\s+on|"
                        r"turned\s+on)\b(?!\s+(?:the|a|an|it|top|to|my|your)\b)|"
                        # "Microwave is running.", "Water's running now": the robot reports the device it started
                        r"^(?:the\s+)?(?P<y>[a-z]+(?:\s+[a-z]+)?)(?:['’]s|\s+is|\s+are)\s+(?:now\s+)?(?:running|started|"
                        r"going|heating(?:\s+up)?)(?=\s*(?:now|again|for\s.*)?\s*[.!✔✅]*\s*$)", re.I)
#: The water itself, named for its tap ("the water's on").
_WATER = re.compile(r"^(?:the\s+)?(?:tap\s+|running\s+|faucet\s+)?water(?:\s+is)?$", re.I)
#: A control reported pressed ("start pressed", "power button hit"): the device the plan is at is started.
_PRESSED = re.compile(r"^(?:the\s+)?(?:start|power|on)(?:\s+button)?\s+(?:now\s+)?(?:pressed|hit|pushed|tapped)$", re.I)
#: "Walk over", "head back": a direction, no place.
_NOWHERE = re.compile(r"^(?:over|back|ahead(?:\s+and)?|away|around|along|out|up|down|off|there|here|closer|"
                      r"nearer|forward|over\s+there|back\s+there|over\s+here)$", re.I)
#: A verb word that is the subject of a copula ("the microwave is running"): a noun, not a step.
_COPULA = re.compile(r"^(?:is|are|was|were|'s|’s|has\s+been|have\s+been)\b", re.I)
#: A report whose subject is the container: "bag packed with both items", "microwave loaded with the bowl".
_FILLED_WITH = re.compile(r"^(?P<c>(?:the\s+|your\s+|my\s+)?[a-z]+(?:\s+[a-z]+)?)\s+(?:is\s+|now\s+|all\s+)*"
                          r"(?:packed|loaded|filled|stuffed|stocked)\s+(?:up\s+)?with\s+(?P<x>.+)$", re.I)
#: The robot's own body moves ("lower my arm", "bring the gripper down"): no thing is put anywhere.
_BODY = re.compile(r"^(?:my|the|its|the\s+robot's|your)\s+(?:\w+\s+)?(?:arms?|grippers?|hands?|claws?|body|wrist|"
                   r"end[- ]effector|manipulator)\b|^(?:myself|itself)\b", re.I)

#: A verbless placement: "scissors and camera into the bag", "into the garbage: the phone and the doll",
#: "laptop in" (where the task puts things).
_TELEGRAM = re.compile(r"^(?P<x>(?!into\b|in\b|onto\b)[^,;:]+?)\s+(?:into|inside|onto|in(?=$))(?:\s+(?P<t>.+))?$", re.I)
#: A bare noun with no article "in" or "on" a place: "fork on the armchair", "Bowl in microwave".
_COVERING = re.compile(r"^\W*(?:\w+ing|wrap|sheathe|encase|cap|cover|put|place|slip|slide|fold|tuck|pop|stow|zip|"
                       r"return)\b", re.I)
_BARE_TELEGRAM = re.compile(r"^(?!(?:a|an|the|this|that|there|here|your|my|its|his|her|their|some|one|it|nothing|"
                            r"everything|all)\b)(?P<x>[a-z]+)\s+(?:in|on)\s+(?P<t>.+)$", re.I)
_MOTION_WORD = re.compile(r"\b(?:gets?|got|falls?|fell|leaks?|spills?|runs?|flows?|drips?|seeps?|splash(?:es)?|could|"
                          r"can|would|will|might|may|looks?|seems?|is|are|was|were)\b", re.I)
_EVERYTHING = re.compile(r"^(?:everything|all\s+(?:of\s+)?(?:the|your|my)?\s*(?:things|stuff|items)|all|"
                         r"both(?:\s+(?:items|things|of\s+them))?)\b", re.I)

_PREDICATE = re.compile(r"\b(?:is|are|was|were|would|could|(?<!garbage\s)(?<!trash\s)(?<!waste\s)(?<!watering\s)"
                        r"(?<!tin\s)(?<!soda\s)can|will|may|might|should|must|isn't|aren't|seems?|"
                        r"makes?|causes?|means?|risks?)\b|"
                        # "it's", "that's": a verb; "the microwave's turntable": a possessive
                        r"\b(?:it|that|there|here|what|this|he|she|who|everything|nothing|something)['’]s\b", re.I)


#: A condition without its comma ("if anything is in the basin I'll take it out"): the act is what follows.
_COND_LEAD = re.compile(r"^(?:if|when|once|as\s+soon\s+as)\b[^,;:]{0,60}?\s+(?=(?:then\s+)?(?:i|we)(?:'ll|\s+will|"
                        r"\s+shall|\s+can)\b)", re.I)
_PURPOSE_TAIL = re.compile(r"\s+(?:so\s+that|so|because|since|in\s+order\s+to|to\s+(?:avoid|prevent|keep|make\s+sure)|"
                           r"making\s+sure|ensuring)\b.*$", re.I)


def parse_action(clause: str, catalog: Catalog = CATALOG) -> Action | None:
    """One clause ("Goto the Stove Burner", "put it in the microwave") to an action, else None."""
    text = FILLER.sub("", _COND_LEAD.sub("", _QUOTED.sub(r"\1", clause.strip().strip("[]")))).strip()
    core = _PURPOSE_TAIL.sub("", text)  # "releasing the phone so the screen is safe": the act, then its purpose
    if not _PREDICATE.search(core):  # "Going to the sink." is a step; "Putting it there would ..." is not
        text = unpast(ungerund(text))
    if _NEGATED.match(text):
        return None
    text = ensured(reported(active(text)))  # "the card will be placed inside", "the CD is now in the toilet"
    text = telegraphic_removal(text, tuple(n for n in find(text, catalog) if portable_thing(n, catalog)))
    call = _CALL.fullmatch(text)
    if call:  # "Goto(Microwave)", "Place(Fork, Microwave)", "robot.put_in(object='fork', receptacle='microwave')"
        args = [_KWARG.sub("", a).strip().strip("'\"") for a in call["args"].split(",") if a.strip()]
        verb = identifier_words(call["verb"])
        text = f"{verb} {args[0]} in {args[1]}" if len(args) == 2 else f"{verb} {' '.join(args)}".strip()
    source = clause.strip()
    report = _REPORT.match(text)
    if report and find(report["x"], catalog) and not _FINITE.search(report["rest"] or ""):
        # a report, not a subject with a participle ("food left on upholstery can leave stains")
        said = report["p"] + (f" {report['part']}" if report["part"] else "")
        verb = unpast(said)
        if verb != said:
            text = f"{verb} {report['x']}{report['rest'] or ''}"
    device = _DEVICE_ON.match(text)
    if device:  # "Microwave on for 30s.", "Tap on.", "microwave is running": a telegraphic switching on
        said = (device["x"] or device["y"]).strip()
        devices = ("Faucet",) if _WATER.match(said) else find(said, catalog)
        if devices and catalog.get(devices[-1]).traits & {"toggleable", "water_source"}:
            return Action(ActionKind.TOGGLE, target=devices[-1], text=source)
    if _PRESSED.match(text.strip(" .!✔✅")):
        return Action(ActionKind.TOGGLE, text=source)  # the device the plan is at, or the task's
    filled = _FILLED_WITH.match(text)
    if filled and not _FINITE.search(filled["c"]):  # "bag packed with both items": they are in the bag
        holder = clean_arg(filled["c"], catalog)
        if holder is not None and catalog.canonical(holder) and catalog.get(holder).is_receptacle:
            named = find(filled["x"], catalog)
            return Action(ActionKind.PLACE, target=holder, obj=named[0] if len(named) == 1 else None, text=source)
    inverted = _INTO_IT_GOES.match(text)
    if inverted:  # "into the microwave it goes", "in it goes", "into the microwave goes the bowl"
        thing, place = inverted["x"] or inverted["x2"], inverted["t"] or inverted["t2"]
        text = f"put {thing} into {place}" if place else f"put {thing} in"
    goes = _GOES.match(text) or _TELEGRAM.match(text) or _BARE_TELEGRAM.match(text.strip(" .!"))
    if goes and goes.re in (_TELEGRAM, _BARE_TELEGRAM) and (
            _MOTION_WORD.search(goes["x"]) or _MOTION_WORD.search(goes["t"] or "") or
            len(_NP_FILLER.sub(" ", goes["x"]).split()) > 4 or (goes["t"] and not find(goes["t"], catalog))):
        goes = None  # "water gets into the phone": a thing that moves by itself, not a placement
    if goes and not _PREDICATE.search(goes["x"]) and not re.search(r"n't\b|\b(?:not|never|no)\b", goes["x"], re.I) \
            and not VERB_START.match(goes["x"]) and \
            (find(goes["x"], catalog) or HELD.match(goes["x"].strip()) or _EVERYTHING.match(goes["x"])):
        # "mouse and ball both go in the bin", "scissors and camera into the bag", "laptop in"
        named = tuple(n for n in find(QUALIFIER.sub("", goes["x"]), catalog) if portable_thing(n, catalog))
        spot = re.sub(r"^(?:first|last|next|too|now|as\s+well)\b.*$", "", (goes["t"] or "").strip(), flags=re.I)
        return Action(ActionKind.PLACE, target=clean_arg(spot, catalog) if spot else None,
                      obj=named[0] if len(named) == 1 else None, text=source)
    for kind, regex in VERB_RES:
        m = regex.match(text)
        if not m:
            continue
        inner = m.groupdict().get("x")
        rest = text[m.end():].strip()
        if _COPULA.match(rest):
            continue  # "the microwave is running": the subject of a state, not the verb "to microwave"
        if kind is ActionKind.PLACE and re.match(r"^set\b", text, re.I) and _SETTING.match(rest):  # "set the timer"
            return None
        if kind in (ActionKind.PLACE, ActionKind.DROP) and _BODY.match(inner if inner is not None else rest):
            return None  # "lower my arm close to the floor": the robot moves, nothing is placed
        if kind in (ActionKind.PLACE, ActionKind.POUR):  # "pour the water into the toaster": what, where
            throw = kind is ActionKind.PLACE and bool(THROW_RE.match(text))
            bin_: str | None = "GarbageCan" if throw else "Toilet" if re.match(r"^flush\b", text, re.I) else \
                "Box" if re.match(r"^box\b", text, re.I) else None
            if inner is not None:  # "throw the straw away (into the bin)"
                parts = PREP.split(" " + rest, maxsplit=1)
                where = clean_arg(parts[1], catalog) if len(parts) == 2 and parts[1].strip() else None
                return Action(kind, target=where or bin_, obj=clean_arg(first_conjunct(inner), catalog), text=source)
            moved = _MOVE_OUT.match(PURPOSE.sub("", rest)) if kind is ActionKind.PLACE else None
            if moved and not moved["dst"] and not _PLACED_AT.search(moved["obj"]):
                # "move the remote out of the sink": taken out, set aside (not "in the sink away from the tap")
                return Action(ActionKind.REMOVE, obj=clean_arg(moved["obj"], catalog), text=source)
            rest = _ORDER_TAIL.sub("", rest)  # "put the laptop in first"
            rest = _NEAR_IT.sub(" in", rest)  # "tuck the scissors in next to it": in, where the plan is
            there = _THERE.match(PURPOSE.sub("", rest))
            if there:  # "put the burrito inside": the target is the place the plan is at
                return Action(kind, target=None, obj=clean_arg(there["obj"], catalog), text=source)
            listed = _PURPOSE_TAIL.sub("", PAREN.sub(" ", rest)).strip(" ,.")
            conjuncts = [p for p in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s+plus\s+", listed) if p]
            several = [n for n in find(listed, catalog) if portable_thing(n, catalog)]
            if len(several) > 1 and len(conjuncts) == len(several) and not PREP.search(listed) and \
                    all(len(find(p, catalog)) == 1 and len(_NP_FILLER.sub(" ", p).split()) <= 3 for p in conjuncts):
                return Action(kind, target=bin_, text=source)  # "pack the book, and the milk tea too": both
            obj, target = split_obj_target(rest, catalog)
            if throw and target is not None and not re.search(r"\b(?:in|into|inside|down)\b", rest, re.I):
                target = bin_  # "throw out the junk on the table": where it lies, not where it goes
            if obj is None and target is not None and portable_thing(target, catalog):
                obj, target = target, None  # "place spoon": the spoon, put down where the plan is
            if target is None and obj is not None and re.match(r"^(?:move|shift|relocate)\b", text, re.I):
                return Action(ActionKind.REMOVE, obj=obj, text=source)  # "move your phone": away, out of the way
            if target is None and re.match(r"^(?:leave|keep)\b", text, re.I):
                return None  # "leave the screwdriver for you": it stays where it is
            bare = re.fullmatch(r"\W*(?:place|put\s+(?:it\s+)?down)\W*", source, re.I)  # "2. Place": put down here
            if target is None and not (throw or obj is not None or _BOUND.match(text) or bare):
                return None
            # "throw away the doll": into the bin; "pack both": where the task puts things
            return Action(kind, target=target or bin_, obj=obj, text=source)
        if kind is ActionKind.DROP:
            if inner is not None:
                return Action(kind, obj=clean_arg(inner, catalog), text=source)
            dropped_in = _DROP_IN.match(_ORDER_TAIL.sub("", rest))
            if dropped_in:  # "drop the scissors in on top": into where the plan is (the bag)
                return Action(ActionKind.PLACE, obj=clean_arg(dropped_in["x"], catalog), text=source)
            parts = PREP.split(" " + PAREN.sub(" ", rest), maxsplit=1)
            if len(parts) == 2 and parts[1].strip():
                where = clean_arg(parts[1], catalog)
                if where is not None and catalog.canonical(where) and catalog.get(where).is_receptacle \
                        and not catalog.get(where).traits & {"floor"}:
                    return Action(ActionKind.PLACE, target=where, obj=clean_arg(parts[0], catalog), text=source)
            thing = clean_arg(parts[0], catalog) if rest else None
            if thing is not None and catalog.canonical(thing) and not catalog.get(thing).portable \
                    and catalog.get(thing).is_receptacle and not catalog.get(thing).traits & {"floor"}:
                return Action(ActionKind.PLACE, target=thing, text=source)  # "put down: sofa": there
            return Action(kind, obj=thing, text=source)
        out_of = re.match(r"^(?P<obj>.+?)\s+out\s+of\s+(?P<src>.+?)(?:\s+(?:to|into|onto|on|in)\s+.+)?$", rest)
        if kind is ActionKind.PICKUP and inner is None and out_of and not re.search(r"\s(?:to|into|onto)\s", rest):
            # "take the potato out of the pot": out of what holds it (not the pot with it)
            return Action(ActionKind.REMOVE, obj=clean_arg(first_conjunct(out_of["obj"]), catalog), text=source)
        if kind is ActionKind.PICKUP and inner is None and re.match(r"^(?:take|bring|carry)\b", text, re.I):
            carried = re.match(r"^(?P<obj>.+?)\s+(?:back\s+|over\s+)?to\s+(?:the\s+|my\s+|your\s+)?(?P<dst>.+)$", rest)
            if carried:  # "take the plate to the sink", "bring it to the counter": carried there
                target = clean_arg(carried["dst"], catalog)
                canonical = catalog.canonical(target) if target else None
                if canonical is not None and "openable" in catalog.types[canonical].traits:
                    return Action(ActionKind.GOTO, target=target, text=source)  # to the microwave: not yet inside
                if target is not None:
                    return Action(ActionKind.PLACE, target=target, obj=clean_arg(carried["obj"], catalog), text=source)
        if kind is ActionKind.COVER:  # "wrap the blade in a towel", "put the glasses in their case": what is covered
            if not _COVERING.match(FILLER.sub("", source)):
                return None  # "the burrito is wrapped in foil": how it is, not an act
            phrase = inner if inner is not None else PREP.split(" " + rest, maxsplit=1)[0]
            return Action(kind, obj=clean_arg(first_conjunct(phrase), catalog) if phrase.strip() else None,
                          text=source)
        if kind in (ActionKind.PICKUP, ActionKind.REMOVE):
            phrase = inner if inner is not None else rest
            arg = clean_arg(first_conjunct(FROM.sub("", phrase)), catalog)
            if arg is None and kind is ActionKind.REMOVE:  # "take it out": what "it" is, the parser says
                said = re.sub(r"\s+(?:first|now|then|again|too)$", "", PURPOSE.sub("", FROM.sub("", phrase)).strip())
                pronoun = re.fullmatch(r"\s*(?:it|them|this|that|these|those)(?:\s+(?:dry|clean|up|down|away))?\s*",
                                       said, re.I) or \
                    HELD.match(QUALIFIER.sub("", FROM.sub("", phrase)).strip())  # "anything that shouldn't be there"
                return Action(kind, text=source) if pronoun else None
            if kind is ActionKind.PICKUP and arg is not None and catalog.canonical(arg) is None and \
                    lx.HARM.fullmatch(arg.split()[0]):
                return None  # "get cut", "get burned": a harm, not an object
            return Action(kind, obj=arg, text=source)
        if kind is ActionKind.HEAT:  # "heat the burrito on the stove": the place it is heated in, if named
            parts = PREP.split(rest, maxsplit=1) if rest else [""]
            where = clean_arg(parts[1], catalog) if len(parts) == 2 and parts[1].strip() else None
            # "on high" is no place; the microwave is where Heat heats anyway
            where = where if where is not None and catalog.canonical(where) and \
                "heats_contents" not in catalog.get(where).traits else None
            return Action(kind, obj=clean_arg(parts[0], catalog) if parts[0].strip() else None, target=where,
                          text=source)
        phrase = inner if inner is not None else rest
        # "press the button to start it": the purpose is no object
        phrase = re.sub(r"^(?:to|in\s+order\s+to)\s.*$", "", phrase.strip(), flags=re.I)
        phrase = re.sub(r"\s+(?:on|off|up)$", "", phrase.strip(), flags=re.I)
        target = clean_arg(first_conjunct(phrase) if kind is ActionKind.GOTO else phrase, catalog)
        if target is not None and catalog.canonical(target) is None and lx.HARM.search(target):
            return None  # "start a fire", "cause a short": a harm, not a thing to act on
        if kind is ActionKind.GOTO and target is not None and _NOWHERE.match(target):
            return None  # "walk over": the robot moves, to no place named
        if kind is ActionKind.GOTO and target is not None and catalog.canonical(target) is None and \
                not re.match(r"^(?:go|walk|head|navigate)\s*to|goto|approach|find|locate", text, re.I) and \
                len(target.split()) > 3:
            return None  # "go ahead and ...", "head up": not a place
        if target is None and kind in (ActionKind.OPEN, ActionKind.CLOSE) and HELD.match(phrase.strip()) and \
                re.fullmatch(r"it|this|that|them", phrase.strip(), re.I):
            return Action(kind, text=source)  # "open it": the thing the plan is at (see the parser)
        if target is None and kind in (ActionKind.GOTO, ActionKind.OPEN, ActionKind.CLOSE):
            return None
        if kind is ActionKind.TOGGLE_OFF and re.match(r"^(?:here|there|now|at|for|when|until|and)\b", phrase, re.I):
            return None  # "I'll stop here": the robot stops, nothing is switched off
        return Action(kind, target=target, text=source)
    return None


