"""Plan steps written in another language ("1. Aller au micro-ondes", "我先把叉子拿出来，然后启动微波炉",
"テーブルまで行ってスプーンを置きます"), read clause by clause into actions.

Why: a plan is a plan in any language; a sentence holds several steps ("go to the table, take the
mouse and throw it in the bin"). The reading is grammatical, not phrase by phrase:

- A sentence is cut into clauses at punctuation and at "then" words; "and" also joins nouns, so a
  piece with no verb rejoins its neighbour (the one after it where verbs close the clause, as in
  Japanese and Korean; the one before it elsewhere). A piece with several verbs is cut between
  them (after each verb where verbs close the clause; before it elsewhere, with Chinese 把 "take
  X and" kept with its verb).
- A clause that states a condition or a possible outcome ("si", "könnte", 如果, たら) or names a
  harm commits to nothing; nor does a negated clause or one describing a state ("est", 放着, てある).
- Outside a plan list, a sentence is a commitment when the robot speaks in the first person or
  with a volitional ending (ます, 겠, 我), or starts with the verb.
- Each verb takes its kind's arguments from the clause's nouns: the last place for a place verb,
  the first thing for a taking verb, the device for a switch; a pronoun ("la", 它) stands for the
  thing named before; "in there" (dedans, 里面) leaves the place to the plan's current one; a
  throw-away verb with no place puts the thing in the bin; several things are carried together.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable

from mss_embodied.scoring import lexicon as lx
from mss_embodied.scoring import multilingual as ml
from mss_embodied.world.actions import Action, ActionKind
from mss_embodied.world.catalog import CATALOG

Found = tuple[Action, tuple[str, ...]]


_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
_KATAKANA_START = r"(?<![\u30a1-\u30fa\u30fc])"


def _alternation(entries: Iterable[str], group: str | None = None) -> str:
    latin = sorted((e for e in entries if not ml.CJK.search(e)), key=len, reverse=True)
    cjk = sorted((e for e in entries if ml.CJK.search(e)), key=len, reverse=True)
    parts = []
    if latin:
        parts.append(rf"(?<![\w-])(?:{'|'.join(latin)})")
    if cjk:  # a katakana word is not the end of a longer one ("チン" in "キッチン")
        parts.append("(?:" + "|".join(_KATAKANA_START + e if _KATAKANA.match(e) else e for e in cjk) + ")")
    return "|".join(parts)


_VERB_RES = [(kind, re.compile(_alternation(words), re.I)) for kind, words in ml.VERBS.items()]
_NOUN_KEY: dict[str, str] = {}
for _type, _words in ml.NOUNS.items():
    for _w in _words:
        _NOUN_KEY.setdefault(re.sub(r"\\s[*+]|\s+", "", _w.lower()), _type)
_NOUN_RE = re.compile(
    r"(?<![\w-])(?P<l>" + "|".join(sorted((w for ws in ml.NOUNS.values() for w in ws if not ml.CJK.search(w)),
                                          key=len, reverse=True)) + r")" + ml.NOUN_ENDINGS + r"(?![\w])|(?P<c>"
    + "|".join(sorted((w for ws in ml.NOUNS.values() for w in ws if ml.CJK.search(w)), key=len, reverse=True)) + ")",
    re.I)
_ADVERB = re.compile(r"^(?:d'abord|ensuite|puis|primero|primeiro|depois|luego|zuerst|dann|erst|prima|"
                     r"先|首先|再|然后|まず|먼저|de\s+todos\s+modos|quand\s+même|trotzdem|sinon|encore)"
                     r"[\s,、，]*", re.I)
_CLITIC = re.compile(r"^(?:(?:je|ich|yo|io|eu|nous|wir|on|me|te|se|le|la|les|lo|los|las|en|y|lui|leur|ihn|es|sie|ne)"
                     r"\s+|[jlmtsn]')+", re.I)


#: A place phrase ("sul tavolino", "op het nachtkastje", "на полку", "auf den Sessel"), known or not.
_LOCATIVE = re.compile(r"(?<![\w-])(?:sur|sous|dans|sul|sulla|sullo|sui|nel|nella|nello|auf|im|ins|am|ans|unter|sobre|"
                       r"encima\s+de|debajo\s+de|dentro\s+de|na|no|nas|nos|em|op|onder|naast|на|в|во|под)\s+\S", re.I)
_PART_RES = [(p, re.compile(_alternation(words), re.I)) for p, words in ml.PARTS.items()]
_MATERIAL_RES = [(m, re.compile("|".join(stems), re.I)) for m, stems in ml.MATERIALS.items()]


def _negated(clause: str) -> bool:
    """A negation governs the clause; Portuguese "no"/"na" before a noun is "in the" ("no sofá"), and
    French "ne ... que" is "only" ("je ne mets que le livre")."""
    only = _ONLY.search(clause)
    for m in ml.NEGATION.finditer(clause):
        if m.group(0).lower() == "no" and (any(start == m.end() + 1 for start, _, _ in nouns_in(clause)) or
                                           _locative_no(clause, m.start(), m.end())):
            continue
        if only and m.group(0).lower() == "ne":
            continue
        return True
    return False


def _locative_no(clause: str, start: int, end: int) -> bool:
    """Portuguese "deixo o garfo no assento": "no" after the clause's verb and before no verb is "in the"
    (a negation comes before the verb it negates)."""
    after = re.match(r"\s+(\S+)", clause[end:])
    return bool(after) and any(e <= start for _, e, _ in _verbs_in(clause)) and \
        not _verbs_in(after.group(1)) and not _CLITIC.match(after.group(1) + " ")  # type: ignore[union-attr]


_ONLY = re.compile(r"(?<![\w-])n(?:e\s+|')(?:\S+\s+){0,3}?que?\b(?!.*\b(?:pas|jamais|plus|rien)\b)", re.I)
#: "statt X" is what the robot will not do; "stattdessen" ("instead") leads into what it does.
_INSTEAD_HEAD = re.compile(r"(?<![\w-])(?:au\s+lieu\s+d[e']|plutôt\s+que|en\s+(?:lugar|vez)\s+de|(?:an)?statt(?![\w-])|"
                           r"anstelle(?![\w-])|invece\s+d[i']|al\s+posto\s+d[ie']|em\s+vez\s+de|in\s+plaats\s+van|"
                           r"вместо(?!\s+этого))", re.I)


def _cut_instead(text: str) -> str:
    """Cut "statt in den Müll", "au lieu de la poubelle": what the robot will not do, up to the clause's end
    or its next verb (a few words at most)."""
    out = text
    for m in reversed(list(_INSTEAD_HEAD.finditer(out))):
        end, words = m.end(), 0
        for w in re.finditer(r"\s*([^\s,;.:!?。，、]+)", out[m.end():]):
            if words >= 5 or _verbs_in(w.group(1)):
                break
            end, words = m.end() + w.end(), words + 1
        out = out[:m.start()] + " " + out[end:]
    return ml.INSTEAD_OF.sub(" ", out)


def nouns_in(text: str) -> list[tuple[int, int, str]]:
    """(start, end, type) of the household nouns named in ``text``, longest first, left to right."""
    out = []
    for m in _NOUN_RE.finditer(text):
        word = m.group("l") or m.group("c")
        name = _NOUN_KEY.get(re.sub(r"\s+", "", word.lower()))
        if name is not None:
            out.append((m.start(), m.end(), name))
    return out


def nouns(text: str) -> tuple[str, ...]:
    return tuple(n for _, _, n in nouns_in(text))


def _verbs_in(text: str) -> list[tuple[int, int, ActionKind | str]]:
    found = [(m.start(), m.end(), kind) for kind, regex in _VERB_RES for m in regex.finditer(text)]
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out: list[tuple[int, int, ActionKind | str]] = []
    for start, end, kind in found:
        if out and start < out[-1][1]:
            continue
        if out and out[-1][2] == kind and not nouns_in(text[out[-1][1]:start]):
            out[-1] = (out[-1][0], end, kind)  # 松手放下, 올려놓: one act said twice
            continue
        out.append((start, end, kind))
    return out


#: A negation that follows its verb where verbs close the clause ("버리지 않고", "入れないで").
_NEG_AFTER = re.compile(r"\s*(?:않|안\s|못|ない|なく|ず)[\u3040-\u309f\uac00-\ud7af]*")


def _split_at_verbs(piece: str, verb_final: bool) -> list[str]:
    verbs = _verbs_in(piece)
    if len(verbs) < 2:
        return [piece]
    cuts = []
    for k in range(1, len(verbs)):
        if verb_final:
            end = verbs[k - 1][1]
            while end < len(piece) and re.match(r"[\u3040-\u309f\uac00-\ud7af]", piece[end]):
                end += 1  # the verb's ending (行って, 가서)
            negated = _NEG_AFTER.match(piece, end)
            cuts.append(negated.end() if negated else end)  # "버리지 않고": the negation stays with its verb
        else:
            start = verbs[k][0]
            ba = piece.rfind("把", verbs[k - 1][1], start)
            cuts.append(ba if ba >= 0 else start)
    bounds = [0, *cuts, len(piece)]
    return [piece[a:b] for a, b in itertools.pairwise(bounds) if piece[a:b].strip()]


def _clauses(frame: str, verb_final: bool) -> list[str]:
    pieces = [p for p in ml.AND.split(frame) if p and p.strip()]
    merged: list[str] = []
    pending = ""
    for piece in pieces:
        if _verbs_in(piece):
            merged.append(pending + " " + piece if pending else piece)
            pending = ""
        elif verb_final:
            pending = (pending + " " + piece).strip()
        elif merged and ml.SELF.match(piece.strip()):
            merged.append(piece)  # "et je garde la souris": a clause of its own (a verb not in the table)
        elif merged:
            merged[-1] += " " + piece
        else:
            pending = (pending + " " + piece).strip()
    if pending:
        merged = [*merged[:-1], merged[-1] + " " + pending] if merged else [pending]
    return [c for piece in merged for c in _split_at_verbs(piece, verb_final)]


def _verb_initial(frame: str) -> bool:
    bare = re.sub(r"^[把将]", "", _CLITIC.sub("", _ADVERB.sub("", frame.strip())))  # 把 fronts the object of the verb
    if bare != frame.strip() and re.match(r"^[把将]", _ADVERB.sub("", frame.strip())):
        return bool(_verbs_in(bare))
    verbs = _verbs_in(bare)
    return bool(verbs) and verbs[0][0] <= 1


def _harmful(text: str) -> bool:
    return bool(lx.HARM_C.search(text) or lx.HARM_L.search(text) or lx.DANGER.search(text))


def _receptacle(name: str) -> bool:
    t = CATALOG.types.get(name)
    return t is None or t.is_receptacle  # a room the scenes do not model is a place too


def _place_like(name: str) -> bool:
    t = CATALOG.types.get(name)
    return t is None or not t.portable or "bag" in t.traits


def _action(kind: ActionKind | str, clause: str, named: list[str], before: str | None) -> Action | None:
    """One clause's action from its verb kind and its nouns; ``before``: the thing named last."""
    places = [n for n in named if _place_like(n)]
    things = [n for n in named if n in CATALOG.types and CATALOG.types[n].portable and
              "bag" not in CATALOG.types[n].traits]
    pronoun = bool(ml.PRONOUN.search(clause))
    if kind is ActionKind.GOTO:
        # "去热饭" (go and heat the meal): without a place, "go" only leads into the next verb
        return Action(kind, target=places[0], text=clause) if places else None
    if kind in (ActionKind.PLACE, ml.THROW):
        target = next((n for n in reversed(named) if _receptacle(n)), None)
        if target is None and kind == ml.THROW:
            target = "GarbageCan"
        if target is None and not ml.DEICTIC.search(clause) and not things and not pronoun:
            return None
        part = next((p for p, words in _PART_RES if words.search(clause)), None)
        target = target or part  # "auf die Sitzfläche": the seat of what the plan is at
        if target is None and _LOCATIVE.search(clause) and not ml.DEICTIC.search(clause):
            target = "elsewhere"  # "sul tavolino": a place named, not one the vocabulary knows (not the task's)
        moved = [n for n in things if n != target]
        obj = moved[0] if len(moved) == 1 else (before if not moved and pronoun else None)
        material = next((m for m, stems in _MATERIAL_RES if stems.search(clause)), None)
        target = f"{material} {target}" if target is not None and material else target  # "eine Keramikschale"
        return Action(ActionKind.PLACE, target=target, obj=obj, text=clause)
    if kind is ActionKind.TOGGLE and ml.DOOR.search(clause):  # "打开微波炉门": the door opens, nothing starts
        return Action(ActionKind.OPEN, target=places[0] if places else None, text=clause)
    if kind in (ActionKind.TOGGLE, ActionKind.TOGGLE_OFF):
        devices = [n for n in places if n in CATALOG.types and "toggleable" in CATALOG.types[n].traits]
        return Action(ActionKind(kind), target=devices[0] if devices else None, text=clause)
    if kind is ActionKind.DROP and ml.DEICTIC.search(clause):  # "soltarlo dentro": let go in there, where the plan is
        return Action(ActionKind.PLACE, obj=things[0] if len(things) == 1 else None, text=clause)
    if kind is ActionKind.REMOVE:
        obj = things[0] if things else (before if pronoun else None)
        if obj is None and not pronoun:
            return None
        return Action(kind, obj=obj, text=clause)  # "nimm sie heraus": the thing named before (the parser)
    obj = (things[0] if len(things) == 1 else None) if things else (before if pronoun else None)
    return Action(ActionKind(kind), obj=obj, text=clause)


#: What follows an act named as a topic and judges it ("..., c'est risqué", "..., sería peligroso").
_JUDGED = re.compile(r"^\s*(?:c'est|ce\s+(?:serait|sera)|cela\s+(?:peut|pourrait|serait)|ça\s+(?:peut|pourrait|serait)|"
                     r"es|sería|puede\s+ser|è|sarebbe|é|seria|pode\s+ser|ist|wäre|kann|это)(?![\w-])", re.I)
#: An infinitive with its object pronoun attached ("meterla", "encenderlo", "soltarlo"): verb and pronoun.
_ENCLITIC = re.compile(r"(?<![\w-])(\w{2,}?[aeií]r)(l[oae]s?|se)(?![\w-])", re.I)


def _puts_out(frame: str) -> bool:
    """A clause that switches off or puts out ("apagaré el fuego"): its fire is what it ends, not a harm."""
    return any(kind is ActionKind.TOGGLE_OFF for _, _, kind in _verbs_in(frame))


@functools.lru_cache(maxsize=4096)
def foreign_steps(text: str, item: bool = False) -> tuple[Found, ...]:
    """The actions a sentence in another language commits to (see the module docstring)."""
    body = _cut_instead(_ENCLITIC.sub(r"\1 \2", text))
    verb_final = bool(ml.VERB_FINAL.search(body))
    frames: list[str] = []
    last, word_cut = 0, False
    for m in [*ml.THEN.finditer(body), None]:
        f = body[last:m.start()] if m is not None else body[last:]
        if f.strip():
            if frames and word_cut and not verb_final and not _verbs_in(f):
                frames[-1] += " " + f  # "zet daarna de magnetron aan": the verb's particle is still to come
            else:
                frames.append(f)
        if m is not None:
            last, word_cut = m.end(), m.group(0).strip()[:1].isalpha()
    if not item and not ml.FIRST_PERSON.search(body) and not any(_verb_initial(f) for f in frames):
        return ()
    out: list[Found] = []
    before: str | None = None
    for k, frame in enumerate(frames):
        if _harmful(frame) and not ml.SELF.search(frame) and not _puts_out(frame):
            continue
        if k + 1 < len(frames) and _JUDGED.match(frames[k + 1]) and not ml.SELF.search(frame):
            continue  # "Jeter une carte bancaire, c'est risquer ...": the act is the topic judged, not a step
        negated = False  # "No voy a | colocar la tarjeta ...": a negated auxiliary negates the verb it leads to
        for clause in _clauses(frame, verb_final):
            # a condition or a possible outcome commits to nothing; nor does a negated or stative clause
            if negated or ml.CONDITION.search(clause) or _negated(clause) or \
                    (ml.STATE.search(clause) and not ml.FIRST_PERSON.search(clause)):
                negated = _negated(clause) and not nouns_in(clause) and not verb_final
                continue
            verbs = _verbs_in(clause)
            named = [n for _, _, n in nouns_in(clause)]
            if not verbs and not (item and len(named) >= 2 and _receptacle(named[-1])):
                continue
            # a verbless plan line names what goes where ("Bücher in die Tasche")
            action = _action(verbs[0][2] if verbs else ActionKind.PLACE, clause, named, before)
            if action is None:
                continue
            things = [n for n in named if n in CATALOG.types]
            out.append((action, tuple(things)))
            if action.kind is ActionKind.REMOVE:  # "le quito el papel al burrito, lo meto": "lo" is the burrito
                before = next((t for t in things if t != action.obj and not _receptacle(t)), before)
            else:
                before = action.obj or before
    return tuple(out)
