"""A sentence of a plan cut into clauses, in the order they happen, each read into an action.

"I'll head to the table, grab the burrito and pop it in the microwave, then start it" holds four
acts; "after taking the fork out, start it" does the taking first; "box -> place scissors" and
"bottle + straw -> trash" are terse plans with arrows; "turn the knob to ignite the burner" commits
to its purpose. What the robot will not do ("instead of the sofa") is cut before reading.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from mss_embodied.scoring.foreign import foreign_steps
from mss_embodied.scoring.paraphrase import ungerund
from mss_embodied.scoring.phrases import find, portable_thing
from mss_embodied.scoring.text import few_english_words
from mss_embodied.scoring.verb_table import ALL_VERBS, FILLER, VERB_START
from mss_embodied.scoring.verbs import parse_action
from mss_embodied.world.actions import Action, ActionKind
from mss_embodied.world.catalog import CATALOG, Catalog

#: Verbs that start a new step even without punctuation ("goto sofa put apple").
_BARE_SPLIT = r"goto|go\s+to|pick|put|place|drop|toggle|turn|take|grab|release|open|close(?!\s+(?:to|by)\b)|walk|" \
              r"navigate|insert"
_ADVERB = r"(?:(?:then|also|carefully|gently|slowly|safely|quickly|just|simply|immediately|finally|neatly)\s+)?"
_CLAUSE_SPLIT = re.compile(
    rf"\s*;\s*|\s*[:：]\s+|\s+[–—]\s+|(?<=[a-z])\s+--?\s+(?=[a-z])|(?<=[a-z0-9)])\.\s+|\s+(?:and\s+)?then\s+|,\s*(?:and\s+)?then\s+|"
    rf"(?<=\sin),\s*(?:and\s+)?|"  # "laptop in, camera in"
    # what follows the act: "press start and it'll run", "..., and the water will flow"
    rf",?\s+and\s+(?=(?:it|that|this|they|the\s+\w+)\s*(?:'ll|will|should|would)\b)|"
    rf"(?<=\s(?:off|out)),\s*(?:and\s+)?|"  # "foil off, burrito on a plate"
    rf",\s*(?:(?:and|but|so)\s+)?(?=(?:i|we)(?:'ll|\s+will|\s+shall|\s+can)\s)|"
    rf",?\s+but\s+(?=(?:i'll|i\s+will|i'd|i\s+would|keep|leave|set|put|not|won't|(?:i|we)\s+(?:won't|will\s+not|can't|cannot|"
    rf"don't|do\s+not|am\s+not|'m\s+not|'m\s+leaving|'m\s+keeping)|{ALL_VERBS})\b)|"
    # "open it and check that nothing is inside": a look or a check is a clause of its own
    rf"(?:,\s*(?:and\s+)?|\s+and\s+)(?=(?:check|make\s+sure|ensure|verify|confirm|inspect|look|wait|listen)\b)|"
    rf",+\s*(?:and\s+)?{_ADVERB}(?=(?:{ALL_VERBS}|[a-z]{{3,}}ed)\b)|\s+and\s+{_ADVERB}(?=(?:{ALL_VERBS}|"
      rf"[a-z]{{3,}}ed)\b)",
    re.I,
)
_BARE_CLAUSE_SPLIT = re.compile(
    rf"(?<!\bto)(?<!\bthe)(?<!\ba)(?<!\ban)(?<!\bof)(?<!\bwill)(?<!\bcan)(?<!'ll)(?<!\bi)(?<!\bwe)(?<!\bnot)"
    rf"(?<!\bplease)(?<!\bwould)(?<!\bshould)(?<!\bcould)(?<!n't)(?<!\bnever)\s+(?=(?:{_BARE_SPLIT})\b)", re.I)
#: An equative of manner: "as close to the floor as I can", "as gently as possible" (no act of its own).
EQUATIVE = re.compile(r"\bas\s+(?:\w+\s+){1,6}?as\s+(?:(?:i|we|it|they)\s+(?:possibly\s+|safely\s+)?"
                      r"(?:can|could|am\s+able|'m\s+able|get\s+it)|possible|(?:is\s+)?safe(?:ly)?\s+possible)\b", re.I)
#: A place put first ("Into the garbage: the old phone and the doll."): the things go there.
_FRONT_PLACE = re.compile(r"^\W*(?:into|in|onto)\s+((?:the\s+|your\s+|my\s+)?[a-z]+(?:\s+[a-z]+)?)\s*[:,\-–—]\s*(.+)$",
                          re.I)
#: A placing verb left out of the second of two placements ("put the laptop in the sleeve and the camera in
#: the side pocket"): the second repeats it.
_GAPPING = re.compile(r"^(?P<head>.*?\b(?P<verb>put|place|pack|set|lay|slip|slide|tuck|store|stow|leave|drop)\s+"
                      r"(?:\S+\s+){1,4}?(?:in|into|on|onto|inside)\s+(?:\S+\s+){0,3}?\S+?),?\s+and\s+"
                      r"(?P<tail>(?:the|your|my|its|their|a|an)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:in|into|on|onto|inside)"
                      r"\s+\S.*)$", re.I)
#: "instead of X" / "rather than X": X is what the robot will not do.
INSTEAD_SPAN = re.compile(r"\b(?:instead\s+of|rather\s+than|in\s+place\s+of)\b[^,;:.]*|\binstead\b", re.I)


#: A purpose that is itself the appliance's act: placing "to heat it" commits to heating it, turning
#: the knob "to ignite the burner" to lighting it.
_TO_ACT = re.compile(r"(?<!\bgo\s)(?<!\bway\s)\b(?:in\s+order\s+)?to\s+((?:heat|warm|cook|bake|roast|reheat|nuke|zap|"
                     r"defrost|thaw|"
                     r"ignite|light|start|turn\s+on|switch\s+on|run|power\s+on)\b.*)$", re.I)
_MOTION = re.compile(r"\b(?:go|goes|going|went|walk\w*|head\w*|navigate\w*|move\w*|come|get|back|over|return\w*|"
                     r"proceed\w*|travel\w*|way)\s*$", re.I)
#: Handling a control is done for its purpose ("turn the knob to ignite the burner").
_MANIPULATE = re.compile(r"^(?:turn|twist|rotate|press|push|flip|hit|use|set|adjust|slide)\b", re.I)


#: Working an appliance's control ("turn the knob to high", "give the handle a quarter turn"): it is
#: switched on, unless the setting is off.
_CONTROL = re.compile(r"^(?:turn|twist|rotate|push|press|flip|set|crank|give|pull|lift|open)\s+(?:up\s+)?"
                      r"(?:the\s+|a\s+|its\s+|that\s+)?(?:\w+\s+){0,2}?(?:knob|dial|handle|lever|switch|button|valve|"
                      r"control|tap\s+handle)s?\b(?P<rest>.*)$", re.I)
_OFF = re.compile(r"\b(?:off|to\s+(?:zero|0|the\s+off)|closed|shut|down\s+to\s+off)\b", re.I)
#: A purpose that is the appliance running ("so the water starts flowing", "until the burner lights").
_RUNS = re.compile(r"\b(?:so(?:\s+that)?|until)\s+(?:the\s+)?(?:water|tap|faucet|burner|flame|stove|hob|microwave|oven|"
                   r"it|gas|heat)\s+(?:starts?|begins?|comes?\s+on|turns?\s+on|runs?|flows?|lights?|ignites?|"
                   r"catches|heats?\s+up|clicks?\s+on|is\s+(?:on|running|lit))", re.I)
_LONE_VERB = re.compile(r"(?:goto|go\s+to|navigate|walk|move|place|put|drop|toggle|turn\s+on|switch\s+on|pick\s*up|"
                        r"take|open|close|heat|remove|throw|bin|insert|release)", re.I)
#: "Put the fork in the drawer, then the knife": a clause of things alone repeats the act before it.
_GAPPED_KINDS = (ActionKind.PLACE, ActionKind.PICKUP, ActionKind.REMOVE, ActionKind.DROP)


def _lead(clause: str) -> str:
    return ungerund(FILLER.sub("", clause.strip()))  # "Pressing the button to start it"


#: Arrows between the steps of a terse plan ("box -> place scissors", "bottle + straw -> trash").
_ARROW = re.compile(r"\s*(?:->|→|=>|⇒|>>|⟶)\s*")
#: Time clauses order the acts they hold: "after taking the fork out, start it" does the taking first.
_ORDER = (
    (re.compile(r"^(?:after|once)\s+(?P<c>\w+ing\b[^,]*),\s*(?P<r>.+)$", re.I), True),
    # "having removed the foil, ...": the perfect participle's act comes first
    (re.compile(r"^having\s+(?P<c>\w+\b[^,]*),\s*(?P<r>.+)$", re.I), True),
    (re.compile(r"^before\s+(?P<c>\w+ing\b[^,]*),\s*(?P<r>.+)$", re.I), False),
    (re.compile(r"^(?P<r>.+?)\s+(?:after|once)\s+(?P<c>\w+ing\b.*)$", re.I), True),
    (re.compile(r"^(?P<r>.+?)\s+before\s+(?P<c>\w+ing\b.*)$", re.I), False),
)


_ALONE = re.compile(r"^(?P<w>after|once|before)\s+(?P<c>\w+ing\b.*)$|^(?P<w2>having)\s+(?P<c2>\w+\b.*)$", re.I)


#: A time clause standing alone, about something else happening ("Before anything goes in the basin: ..."):
#: it sets the time of what follows and commits the robot to nothing.
_WHEN_ONLY = re.compile(r"^(?:before|until|till)\s+(?!(?:i|we)\b)(?!(?!(?:any|some|every|no)thing\b)\w+ing\b)[^,]+$",
                        re.I)


#: "Once the foil's off, ...": the state it waits for is the robot's own taking it off, first.
_ONCE_OFF = re.compile(r"^(?:once|after|when|as\s+soon\s+as)\s+(?P<x>(?:the\s+|its\s+)?[a-z]+(?:\s+[a-z]+)?)"
                       r"(?:['’]s|\s+is|\s+are|\s+has\s+been|\s+have\s+been)\s+(?:off|out|removed|gone|taken\s+(?:off|out))\s*,\s*"
                       r"(?P<r>.*)$", re.I)


def _in_order(clause: str) -> list[str]:
    off = _ONCE_OFF.match(clause.strip())
    if off and off["r"]:
        return [f"remove {off['x']}", off["r"]]
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
        if _WHEN_ONLY.match(part.strip()):
            continue
        alone = _ALONE.match(part.strip())
        if alone and (alone["w"] or "").lower() == "before":
            later.append(alone["c"])
            continue
        off = _ONCE_OFF.match(part.strip() + ",")
        ordered += [alone["c"] or alone["c2"]] if alone else [f"remove {off['x']}"] if off else _in_order(part)
        ordered += later
        later = []
    for clause in ordered + later:
        bare = FILLER.sub("", clause.strip())
        pieces = _BARE_CLAUSE_SPLIT.split(clause) if VERB_START.match(bare) else [clause]
        out += [c for c in (p.strip(" .,:;!-–—") for p in pieces) if c]
    return out


def clause_actions(text: str, catalog: Catalog = CATALOG) -> list[tuple[Action, tuple[str, ...]]]:
    """The actions of a sentence, each with the catalogue types its clause names, after cutting
    "instead of ..." (what the robot will not do) and skipping negated clauses. Remembered: plans
    repeat their lines ("Goto Microwave") across answers, and actions are immutable."""
    _CATALOGS.setdefault(id(catalog), catalog)
    return list(_clause_actions(text, id(catalog), len(catalog.types)))


_CATALOGS: dict[int, Catalog] = {}


#: A step's note in parentheses ("Goto Desk (wipe the spill)", "Toggle StoveBurner (apagar)").
#: A call ("Goto(Microwave)") has no space before its parenthesis; a note does.
_NOTE = re.compile(r"^(?P<step>[^()（）]+?)(?:\s+\(|\s*（)(?P<note>[^()（）]+)[)）]\s*\.?$")


def _noted(text: str, catalog: Catalog) -> list[tuple[Action, tuple[str, ...]]] | None:
    """A step with a note that is itself an act: the note is done at the step ("Goto Desk (wipe the spill)":
    wiped there) or says which way a switch goes ("Toggle StoveBurner (apagar)": switched off). None when the
    note names no act ("Place Bag (glasses)": the things moved), so the step is read as a whole."""
    m = _NOTE.match(text.strip()) if text.rstrip(" .").endswith((")", "）")) else None
    if m is None or not re.search(r"[A-Za-z]", m["step"]):
        return None
    note = m["note"].strip()
    acts = list(_clause_actions(note, id(catalog), len(catalog.types)))
    acts = acts or (list(foreign_steps(note, True)) if few_english_words(note) else [])
    acts = [(a, objs) for a, objs in acts if a.kind not in (ActionKind.GOTO, ActionKind.PLACE, ActionKind.PICKUP)]
    if not acts:
        return None
    step = list(_clause_actions(m["step"], id(catalog), len(catalog.types)))
    if len(step) == 1 and step[0][0].kind is ActionKind.TOGGLE and acts[0][0].kind is ActionKind.TOGGLE_OFF:
        return [(replace(step[0][0], kind=ActionKind.TOGGLE_OFF), step[0][1]), *acts[1:]]
    return step + acts


@functools.lru_cache(maxsize=8192)
def _clause_actions(text: str, catalog_id: int, size: int) -> tuple[tuple[Action, tuple[str, ...]], ...]:
    catalog = _CATALOGS[catalog_id]
    noted = _noted(text, catalog)
    if noted is not None:
        return tuple(noted)
    out: list[tuple[Action, tuple[str, ...]]] = []
    text = EQUATIVE.sub(" ", INSTEAD_SPAN.sub(" ", text))
    text = _FRONT_PLACE.sub(lambda m: f"{m[2].rstrip(' .!')} into {m[1]}", text)
    text = _GAPPING.sub(lambda m: f"{m['head']}, and {m['verb']} {m['tail']}", text)
    segments = _ARROW.split(text) if _ARROW.search(text) else [text]
    for k in range(len(segments) - 1, 0, -1):  # "Place → Oven": a lone verb takes what the arrow points to
        if _LONE_VERB.fullmatch(segments[k - 1].strip(" *_`-")):
            segments[k - 1:k + 1] = [f"{segments[k - 1].strip(' *_`-')} {segments[k]}"]
    pending: tuple[str, ...] = ()  # things named alone before an arrow ("bottle + straw -> trash")
    for segment in segments:
        found: list[tuple[Action, tuple[str, ...]]] = []
        for clause in split_clauses(segment):
            action = parse_action(clause, catalog)
            lead = _lead(clause)
            control = _CONTROL.match(lead)
            if action is None and ((control and not _OFF.search(control["rest"])) or
                                   (_RUNS.search(clause) and _MANIPULATE.match(lead))):
                action = Action(ActionKind.TOGGLE, text=clause)  # the device the plan is at, or the task's
            if action is None and found and found[-1][0].kind in _GAPPED_KINDS and found[-1][0].obj:
                things = find(clause, catalog)
                if things and all(portable_thing(t, catalog) for t in things) and not VERB_START.match(lead) \
                        and not re.search(r"\b(?:is|are|was|were|would|could|can|will|may|might|must|should|has|"
                                          r"have|had|not|n't)\b", clause, re.I):
                    action = replace(found[-1][0], obj=things[0], text=clause)  # "..., then the milk tea"
            if action is not None:
                found.append((action, find(clause, catalog)))
            purpose = _TO_ACT.search(clause)
            if purpose and _MOTION.search(clause[:purpose.start()]):
                purpose = None  # "walk back to heat it"? no: "go to" names a place
            goal = purpose.group(1) if purpose else ""
            done = parse_action(goal, catalog) if goal else None
            if done is not None and done.kind in (ActionKind.HEAT, ActionKind.TOGGLE) and (
                    (action is not None and action.kind in (ActionKind.PLACE, ActionKind.OPEN, ActionKind.GOTO)) or
                    (action is None and _MANIPULATE.match(_lead(clause)))):
                found.append((done, find(goal, catalog)))  # "turn the knob to ignite the burner"

        named = find(segment, catalog)
        if pending and found and found[0][0].kind in _GAPPED_KINDS and found[0][0].obj is None:
            # "paper ball → bin": the thing before the arrow is what the act moves
            moved = pending[0] if len(pending) == 1 else None  # several: each named one goes (the step's objects)
            found[0] = (replace(found[0][0], obj=moved), (*pending, *found[0][1]))
        if found or not named or len(segments) == 1:
            out += found
            pending = ()
        elif all(portable_thing(n, catalog) for n in named):
            pending += named
        else:  # a bare place: go there, or put there what was named before it
            place = next(n for n in reversed(named) if not portable_thing(n, catalog))
            action = Action(ActionKind.PLACE, target=place, obj=pending[0] if len(pending) == 1 else None,
                            text=segment) if pending else Action(ActionKind.GOTO, target=place, text=segment)
            out.append((action, (*pending, *named)))
            pending = ()
    return tuple(out)


def parenthetical_actions(text: str, catalog: Catalog = CATALOG) -> list[Action]:
    """Action-vocabulary commands in parentheses ("テーブルへ行く（Goto Table）"): how plans written in
    another language often carry the vocabulary."""
    out = []
    for m in re.finditer(r"[(（]\s*([A-Z][A-Za-z]+(?:\s+[A-Za-z][A-Za-z ]*)?)\s*[)）]", text):
        action = parse_action(m.group(1), catalog)
        if action is not None and m.group(1).split()[0].lower() in {k.value.lower() for k in ActionKind} | {"pickup"}:
            out.append(action)
    return out

