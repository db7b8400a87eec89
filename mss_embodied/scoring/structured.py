"""Plans written as data: a JSON or YAML document ("{"plan": ["Goto Microwave", ...]}", "- goto: sofa",
"{"pack": ["Scissors", "Camera"], "into": "Bag"}", function-style identifiers like "turn_on") read
into plan lines and the other fields as "key: value" lines.

Why apart: the unit reader (:mod:`mss_embodied.scoring.text`) reads prose; a document is read by its
keys, whatever their order or nesting.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from mss_embodied.scoring.verb_table import VERB_START

_FENCE = re.compile(r"^\s*```[\w-]*\s*\n?(.*?)\n?```\s*$", re.S)
_PLAN_KEYS = ("plan", "steps", "actions", "action_plan", "task_plan", "sequence", "étapes", "etapes", "pasos", "passos",
              "passi", "schritte", "stappen", "шаги", "步骤", "ステップ", "단계")


def identifier_words(name: str) -> str:
    """An identifier as words: "turn_on" -> "turn on", "robot.toggleOn" -> "toggle On", "PickUp" -> "Pick Up"."""
    name = re.sub(r"^(?:[a-z]\w*\.)+", "", name.strip())
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", re.sub(r"[_\-]+", " ", name)).strip()


# the same keys in the other languages a plan is written in ("Aktion: Platzieren / Objekt: Löffel / Ziel: Mikrowelle")
_OBJ_KEYS = ("object", "obj", "item", "thing", "what", "objects", "items", "objekt", "objet", "objeto", "oggetto",
             "gegenstand", "объект", "предмет", "物体", "対象", "물체")
_TARGET_KEYS = ("target", "receptacle", "destination", "location", "container", "device", "appliance", "place", "where",
                "ziel", "ort", "cible", "lieu", "destino", "lugar", "destinazione", "luogo", "doel", "цель", "место",
                "目标", "位置", "目的地", "場所", "목표", "위치",
                "to", "into")
_STEP_KEYS = ("action", "verb", "name", "step", "command", "op", "function", "tool", "aktion", "handlung", "acción",
              "accion", "azione", "ação", "acao", "actie", "действие", "动作", "操作", "行動", "動作", "동작", "행동")


#: Where a tool call keeps its arguments.
_ARG_KEYS = ("arguments", "args", "parameters", "params", "input", "kwargs")


def _verb_keyed(entry: dict[Any, Any]) -> str | None:
    """An entry keyed by its verb: {"pack": ["Scissors", "Camera"], "into": "Bag"}, {"place": {"object": "CD",
    "receptacle": "Microwave"}}; its value is what the verb acts on, the other keys where."""
    lowered = {str(k).lower(): v for k, v in entry.items()}
    args = (*_OBJ_KEYS, *_TARGET_KEYS)
    verbs = [k for k in lowered if (k not in args or isinstance(lowered[k], dict)) and
             VERB_START.match(identifier_words(k))]
    if len(verbs) != 1 or any(k not in (*args, verbs[0]) for k in lowered):
        return None
    value, rest = lowered[verbs[0]], {k: v for k, v in lowered.items() if k != verbs[0]}
    if isinstance(value, dict):
        return _step_text({**value, **rest, "action": verbs[0]})
    things = [str(v) for v in (value if isinstance(value, list) else [value]) if isinstance(v, (str, int))]
    target = next((str(rest[k]) for k in _TARGET_KEYS if isinstance(rest.get(k), (str, int))), None)
    words = " ".join([identifier_words(verbs[0]), " and ".join(things)]).strip()
    return f"{words} in {target}" if target else words


def _step_text(entry: Any) -> str | None:
    """A plan entry as one action line: "Goto X", {"action": "Goto", "target": "X"}, {"Goto": "X"},
    {"verb": "put_in", "object": "fork", "receptacle": "microwave"}."""
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict):
        lowered = {str(k).lower(): v for k, v in entry.items()}
        for nest in _ARG_KEYS:  # {"name": "place", "arguments": {"object": "fork", "receptacle": "ArmChair"}}
            if isinstance(lowered.get(nest), dict):
                lowered = {**{str(k).lower(): v for k, v in lowered.pop(nest).items()}, **lowered}
        for k in _OBJ_KEYS:  # {"objects": ["Laptop", "Scissors"]}
            if isinstance(lowered.get(k), list):
                lowered[k] = " and ".join(str(v) for v in lowered[k] if isinstance(v, (str, int)))
        verb = next((lowered[k] for k in _STEP_KEYS if isinstance(lowered.get(k), str)), None)
        if isinstance(verb, str):
            obj = next((str(lowered[k]) for k in _OBJ_KEYS if isinstance(lowered.get(k), (str, int))), None)
            target = next((str(lowered[k]) for k in _TARGET_KEYS if isinstance(lowered.get(k), (str, int))), None)
            args = [str(lowered[k]) for k in ("argument", "arg", "args",
                                              "parameter") if isinstance(lowered.get(k), (str, int))]
            for k in ("args", "arguments", "parameters"):
                if isinstance(lowered.get(k), list):
                    args += [str(a) for a in lowered[k]]
            words = identifier_words(verb)
            if obj and target:
                return f"{words} {obj} in {target}"
            if obj and " " in words:  # "Objects: CellPhone, Doll / Action: throw into GarbageCan"
                first, rest = words.split(" ", 1)
                return f"{first} {obj} {rest}"
            return " ".join(a for a in [words, obj, target, *args] if a)
        keyed = _verb_keyed(entry)
        if keyed is not None:
            return keyed
        if len(entry) == 1:
            (k, v), = entry.items()
            if isinstance(v, (str, int)) or v is None:
                return f"{identifier_words(str(k))} {v if v is not None else ''}".strip()
    return None


def _walk(data: Any, plan: list[str], fields: list[str], key: str = "") -> None:
    if isinstance(data, list):
        steps = [_step_text(e) for e in data]
        if data and all(s is not None for s in steps) and (key.lower() in _PLAN_KEYS or not key):
            plan += [s for s in steps if s]
            return
        for entry in data:
            _walk(entry, plan, fields, key)
    elif isinstance(data, dict):
        if not key and _verb_keyed(data) is not None:  # {"pack": ["Scissors", "Camera"], "into": "Bag"}
            plan.append(str(_verb_keyed(data)))
            return
        called = any(str(k).lower() in _STEP_KEYS and isinstance(v, str) and VERB_START.match(identifier_words(v))
                     for k, v in data.items())  # {"name": "place", "arguments": {...}}: a tool call
        if not key and _step_text(data) is not None and \
                (called or any(str(k).lower() in ("action", "verb") for k in data)):
            plan.append(str(_step_text(data)))
            fields += [f"{k}: {v}" for k, v in data.items() if isinstance(v, str) and str(k).lower() not in
                       (*_STEP_KEYS, *_OBJ_KEYS, *_TARGET_KEYS)]
            return
        for k, v in data.items():
            if (str(k).lower() in _PLAN_KEYS and isinstance(v, list)) or isinstance(v, (dict, list)):
                _walk(v, plan, fields, str(k))
            else:
                fields.append(f"{k}: {v}")
    elif data is not None and key:
        fields.append(f"{key}: {data}")


#: A block of "Key: value" lines ("Action: Place / Object: Fork / Target: Microwave"); blocks are parted by
#: blank lines or a "Step 2" line.
_FIELD = re.compile(r"^\s*[-*•]?\s*(?P<k>[^\W\d_][\w ]{0,20}?)\s*[:：]\s*(?P<v>\S.*?)\s*$")
_BLOCK_BREAK = re.compile(r"^\s*(?:(?:step|schritt|étape|paso|passo|stap|шаг|步骤|ステップ|단계)\s*\d+\s*[:.)]?)?\s*$",
                          re.I)


def _field_blocks(body: str) -> tuple[list[str], list[str]] | None:
    """(plan lines, other fields) from field blocks, when every line is a field or a break and some block
    names an action."""
    blocks: list[dict[str, str]] = [{}]
    for line in body.splitlines():
        field = _FIELD.match(line)
        if field is None and not _BLOCK_BREAK.match(line):
            return None
        if field is None or field["k"].strip().lower() in blocks[-1]:
            blocks.append({})
        if field is not None:
            blocks[-1][field["k"].strip().lower()] = field["v"]
    steps = [s for b in blocks if b and any(k in b for k in _STEP_KEYS) if (s := _step_text(b))]
    args = (*_STEP_KEYS, *_OBJ_KEYS, *_TARGET_KEYS)
    return (steps, [f"{k}: {v}" for b in blocks for k, v in b.items() if k not in args]) if steps else None


def structured(part: str) -> tuple[list[str], list[str]] | None:
    """(plan lines, other fields as ``key: value`` lines) when the answer is a JSON or YAML document
    holding a plan; None otherwise."""
    body = part.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1).strip()
    blocks = _field_blocks(body) if body and body[0] not in "[{" else None
    if blocks is not None:
        return blocks
    if not body or (body[0] not in "[{" and not fenced and not re.match(r"^(?:-\s|\w+\s*:\s*(?:\n|$))", body)):
        return None
    data: Any = None
    try:
        data = json.loads(body)
    except ValueError:
        try:
            data = yaml.safe_load(body)
        except yaml.YAMLError:
            return None
    if not isinstance(data, (dict, list)):
        return None
    plan: list[str] = []
    fields: list[str] = []
    _walk(data, plan, fields)
    if not plan and not any(re.match(rf"^(?:{'|'.join(_PLAN_KEYS)}):", f, re.I) for f in fields) and \
            not isinstance(data, dict):
        return None
    return plan, fields
