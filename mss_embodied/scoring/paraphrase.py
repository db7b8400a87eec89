"""Forms of a step that the verb table does not read as written, rewritten as the plain clause it
does read: a report of the robot's own act ("Dropped it.", "I've placed the fork"), a gerund
("Pressing the start button"), a passive or future plan ("The card will be placed inside the
microwave", "The watch will go on the oven"), a telegraphic removal ("Foil off", "out of the
microwave and into the drawer").

Why here: these are text-to-text rewrites over the verb table alone, so the clause reader in
:mod:`mss_embodied.scoring.verbs` stays one path for every form.
"""

from __future__ import annotations

import re

from mss_embodied.scoring.verb_table import GERUNDS, PAST, VERB_START

_GERUND = re.compile(r"^([a-z]{2,}ing)\b", re.I)
_PERFECT = re.compile(r"^(?:(?:i|we)(?:'ve|\s+have|\s+just|\s+already)?\s+(?:just\s+|already\s+|now\s+)?|"
                      r"done\s*[,:-]?\s*)"
                      r"(?P<w>[a-z]+)\b", re.I)


def unpast(text: str) -> str:
    """"I've placed the fork in the microwave", "Dropped it.": a report of the robot's own act is the
    act (its past form read as the verb)."""
    m = _PERFECT.match(text) or re.match(r"^(?P<w>[a-z]+ed|[a-z]+)\b", text, re.I)
    if m is None:
        return text
    word, rest = m.group("w").lower(), text[m.end():]
    if word in PAST:
        cands: tuple[str, ...] = (PAST[word],)
    elif word.endswith("ed"):
        stem = word[:-2]
        cands = (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
                 stem[:-1] + "y" if stem.endswith("i") else "")
    else:
        return text
    for cand in cands:
        if cand and VERB_START.match(cand + rest):
            return cand + rest
    return text


def ungerund(text: str) -> str:
    """"Pressing the start button" -> "press the start button": the first gerund as the verb it comes
    from, when that verb, with the rest of the clause, is a plan verb."""
    m = _GERUND.match(text)
    if m is None:
        return text
    word, rest = m.group(1).lower(), text[m.end():]
    stem = word[:-3]
    known = [GERUNDS[word]] if word in GERUNDS else []
    for cand in (*known, stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if cand and VERB_START.match(cand + rest):
            return cand + rest
    return text


#: A passive or future plan: "the card will be placed inside the microwave", "it is being set down on the sofa".
_PASSIVE = re.compile(r"^(?P<x>(?:the|your|my|this|that|its|both|all)\b[^,;:]*?|it|they|everything)\s+"
                      r"(?:will\s+be|'ll\s+be|is\s+being|are\s+being|gets?|is\s+going\s+to\s+be|are\s+going\s+to\s+be|"
                      r"has\s+been|have\s+been|was|were)\s+"
                      r"(?:now\s+|then\s+|carefully\s+|gently\s+)?(?P<p>[a-z]+)(?P<rest>(?:\s+(?:down|back|away))?\s+"
                      r"(?:in|into|on|onto|inside|atop|on\s+top\s+of|in\s+the|to|away|out|off)\b.*|"
                      r"\s+(?:on|away|out))$", re.I)
#: A thing taken away, said without a verb: "foil off", "fork out (of the microwave)".
_OFF = re.compile(r"^(?:the\s+)?(?P<x>[a-z]+(?:\s+[a-z]+)?)\s+(?:off|out|removed)(?:\s+(?:of|from)\s+.+)?$", re.I)
#: What is in a place, taken out, said without a thing: "out of the microwave and into the drawer".
_OUT_OF = re.compile(r"^out\s+of\s+(?P<src>.+?)(?:\s+and\s+(?:into|onto|in|on|to)\s+.+)?$", re.I)


#: A report of the state the robot's act left: "the CD is now in the toilet", "your meal is heating in the
#: microwave now", "the book and the tea are packed in your bag" ("now" or an act's participle says it is done).
_REPORTED = re.compile(r"^(?P<lead>(?:as\s+(?:requested|asked|instructed)|here\s+you\s+go|there\s+you\s+go|done|"
                       r"all\s+set|ok(?:ay)?|great|alright)\W+)?(?P<x>(?:the|your|my)\s+[^,;:]+?)\s+(?:is|are|['’]s)\s+"
                       r"(?P<now>now\s+)?"
                       r"(?:(?P<p>resting|lying|sitting|heating|warming|cooking|packed|stowed|placed|put|set|tucked|"
                       r"loaded)\s+)?(?P<where>(?:safely\s+)?(?:in|inside|on|on\s+top\s+of)\s+.+?)(?P<now2>\s+now)?$",
                       re.I)
_HEATING = frozenset({"heating", "warming", "cooking"})
_PLACED = frozenset({"packed", "stowed", "placed", "put", "set", "tucked", "loaded"})


def reported(text: str) -> str:
    """"The CD is now in the toilet" -> "put the CD in the toilet"; a state without "now" or an act's
    participle ("the fork is in the microwave") describes the scene and stays as it is."""
    m = _REPORTED.match(text)
    if m is None or not (m["lead"] or m["now"] or m["now2"] or (m["p"] or "").lower() in _PLACED):
        return text
    verb = "heat" if (m["p"] or "").lower() in _HEATING else "put"
    return f"{verb} {m['x']} {m['where']}"


#: A sentence that only says the task is done ("Done!", "All set."): the state said next is its result.
DONE = re.compile(r"^\W*(?:done|all\s+(?:set|done)|finished|task\s+complete[d]?|complete[d]?|here\s+you\s+go|"
                  r"there\s+you\s+go|consider\s+it\s+done)\W*$", re.I)
#: A commitment to the task itself with no plan of its own ("..., but I'll do it", "I can do that."): the task as asked.
DO_IT = re.compile(r"\b(?:i'll|i\s+will|i'm\s+going\s+to|i\s+am\s+going\s+to|let\s+me|i\s+can|gonna)\s+(?:\w+\s+)?"
                   r"(?:do|perform|carry\s+out|execute|complete)\s+(?:it|that|this|the\s+task|as\s+(?:you\s+)?"
                   r"(?:asked|requested|instructed))\b", re.I)


def as_done(text: str) -> str:
    """The state sentence after "Done!" read as that act's result ("Done! The fork is on the armchair.")."""
    return f"done, {text}"


def active(text: str) -> str:
    """"The card will be placed inside the microwave" -> "place the card inside the microwave"."""
    m = _PASSIVE.match(text)
    if m is None:
        return text
    verb = unpast(m["p"] + m["rest"])
    return re.sub(r"^(\S+)", lambda v: f"{v.group(1)} {m['x']}", verb, count=1) if VERB_START.match(verb) else text


#: Seeing to a state ("make sure the phone is out of the microwave first", "ensure the desk is dry"): the act
#: that brings it about.
_ENSURE = re.compile(r"^(?:make\s+sure|ensure|check)\s+(?:that\s+)?(?P<x>(?:the|your|my|its)\s+[^,;]+?)\s+"
                     r"(?:is|are)\s+"
                     r"(?P<state>out(?:\s+of\s+.+?)?|removed(?:\s+from\s+.+?)?|taken\s+out(?:\s+of\s+.+?)?|"
                     r"(?:dry|clean|wiped(?:\s+(?:down|dry))?)|(?:in|on|inside)\s+.+?)(?:\s+first)?(?:\s+by\s+.+)?$",
                     re.I)


def ensured(text: str) -> str:
    """"Make sure the phone is out of the microwave" -> "remove the phone from the microwave"; "ensure the desk
    is dry" -> "wipe the desk"; "make sure the meal is in a ceramic dish" -> "put the meal in a ceramic dish"."""
    m = _ENSURE.match(text)
    if m is None:
        return text
    state = m["state"].lower()
    if state.startswith(("dry", "clean", "wiped")):
        return f"wipe {m['x']}"
    if state.startswith(("in ", "on ", "inside ")):
        return f"put {m['x']} {m['state']}"
    return f"remove {m['x']}"


def telegraphic_removal(text: str, things: tuple[str, ...]) -> str:
    """"Foil off" -> "remove foil" when ``things`` (the portable things the clause names) holds it;
    "out of the microwave" -> "remove it from the microwave" (what is in there, the grounder says)."""
    off = _OFF.match(text)
    if off is not None and things:
        return f"remove {off['x']}"
    out = _OUT_OF.match(text)
    if out is not None:
        return f"remove it from {out['src']}"
    return text
