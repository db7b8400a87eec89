"""Loader for the official MSSBench embodied annotations (``combined.json`` + ``embodied/``).

Users download the dataset themselves (``mss-embodied download``); nothing of it ships here.
Every problem raises :class:`DatasetError` naming the file, the record and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from mss_embodied.data.derive import DerivationError, derive_situation
from mss_embodied.data.images import ImageError, confined_path
from mss_embodied.data.scenario import VARIANTS, Scenario, canonical_category, canonical_task
from mss_embodied.userdata import DataFileError, read_data_file
from mss_embodied.world.actions import parse_plan
from mss_embodied.world.execution import execute_plan

ANNOTATION_FILES = ("combined.json", "combine.json")
IMAGE_DIR = "embodied"
_REQUIRED = ("task", "category", "safe", "unsafe", "observation_safe", "observation_unsafe")


class DatasetError(ValueError):
    """A problem with the official dataset, with the file, record and field it concerns."""


@dataclass
class OfficialDataset:
    """The loaded scenarios plus the state-derivation report."""

    root: Path
    annotation_file: Path
    scenarios: list[Scenario]
    underived: dict[str, str] = field(default_factory=dict)  # scenario id -> reason
    notes: dict[str, list[str]] = field(default_factory=dict)  # scenario id -> what the derivation rules changed

    @property
    def coverage(self) -> tuple[int, int]:
        return len(self.scenarios) - len(self.underived), len(self.scenarios)

    def without_hazard(self) -> dict[str, str]:
        """Derived records whose literal unsafe plan raises no hazard, with the derivation notes that
        say why (the caption supports none)."""
        out = {}
        for s in self.scenarios:
            state = s.world_state("unsafe") if s.id not in self.underived else None
            if state is None:
                continue
            result = execute_plan(state, parse_plan(s.situation("unsafe").plan), s.goal("unsafe"), s.hazard_rules())
            if not result.hazards:
                out[s.id] = "; ".join(self.notes.get(s.id, [])) or "no rule fires"
        return out


def find_annotation_file(root: Path) -> Path:
    if not root.exists():
        raise DatasetError(f"{root}: dataset root does not exist (download it with `mss-embodied download`)")
    if not root.is_dir():
        raise DatasetError(f"{root}: dataset root is not a folder")
    for name in ANNOTATION_FILES:
        if (root / name).is_file():
            return root / name
    raise DatasetError(f"{root}: no annotation file (looked for {' or '.join(ANNOTATION_FILES)})")


def _instructions(rec: dict[str, Any], variant: str, where: str) -> list[str]:
    many, one = rec.get(f"{variant}_instructions"), rec.get(f"{variant}_instruction")
    if many is not None:
        if not isinstance(many, list) or not all(isinstance(x, str) for x in many):
            raise DatasetError(f"{where} field '{variant}_instructions': must be a list of strings")
        if not many:
            raise DatasetError(f"{where} field '{variant}_instructions': the list is empty")
        blank = [i for i, x in enumerate(many) if not x.strip()]
        if blank:
            raise DatasetError(f"{where} field '{variant}_instructions': instruction {blank[0]} is empty")
        return list(many)
    if isinstance(one, str) and one.strip():
        return [one]
    raise DatasetError(f"{where} field '{variant}_instructions': missing (and no '{variant}_instruction')")


def _image(root: Path, name: object, where: str, variant: str, check: bool) -> str:
    if not isinstance(name, str) or not name.strip():
        raise DatasetError(f"{where} field '{variant}': image file name must be a non-empty string")
    try:  # the rule scene files share: relative, no '..', no symbolic link out of the folder
        path = confined_path(root / IMAGE_DIR, name, "the dataset root")
    except ImageError as exc:
        raise DatasetError(f"{where} field '{variant}': {exc}") from None
    if check:
        if not path.is_file():
            raise DatasetError(f"{where} field '{variant}': image {path} is missing")
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(path) as img:
                img.verify()
        except (UnidentifiedImageError, OSError) as exc:
            raise DatasetError(f"{where} field '{variant}': image {path} is unreadable ({exc})") from None
    return f"{IMAGE_DIR}/{name}"


def _scenario(rec: Any, i: int, root: Path, file: Path, check_images: bool) -> tuple[Scenario, str | None, list[str]]:
    where = f"{file}: embodied[{i}]"
    if not isinstance(rec, dict):
        raise DatasetError(f"{where}: record must be an object, got {type(rec).__name__}")
    for key in _REQUIRED:
        if key not in rec:
            raise DatasetError(f"{where} field '{key}': missing")
    where = f"{file}: embodied[{i}] ({rec['safe']}/{rec['unsafe']})"
    try:
        task = canonical_task(str(rec["task"]))
    except ValueError as exc:
        raise DatasetError(f"{where} field 'task': {exc}") from None
    try:
        category = canonical_category(str(rec["category"]))
    except ValueError as exc:
        raise DatasetError(f"{where} field 'category': {exc}") from None
    instructions: dict[str, object] = {v: _instructions(rec, v, where) for v in VARIANTS}
    singles = {v: rec.get(f"{v}_instruction") for v in VARIANTS}
    if all(isinstance(t, str) and t.strip() for t in singles.values()):
        instructions["primary"] = singles
    n_safe, n_unsafe = len(instructions["safe"]), len(instructions["unsafe"])  # type: ignore[arg-type]
    if n_safe != n_unsafe:
        raise DatasetError(f"{where} field 'unsafe_instructions': {n_unsafe} instructions "
                           f"but 'safe_instructions' has {n_safe}")
    situations: dict[str, dict[str, Any]] = {}
    reason: str | None = None
    notes: list[str] = []
    for v in VARIANTS:
        caption = rec[f"observation_{v}"]
        if not isinstance(caption, str) or not caption.strip():
            raise DatasetError(f"{where} field 'observation_{v}': must be a non-empty string")
        situations[v] = {"caption": caption, "image": _image(root, rec[v], where, v, check_images)}
    try:
        paraphrases: dict[str, list[str]] = {v: list(instructions[v]) for v in VARIANTS}  # type: ignore[call-overload]
        derived = {v: derive_situation(rec[f"observation_{v}"], singles[v] or paraphrases[v][0], paraphrases[v])
                   for v in VARIANTS}
        for v in VARIANTS:
            d = derived[v]
            situations[v].update(state=d.state(), goal=d.goal, plan=d.plan,
                                 render={"room": d.room, "focus": d.focus})
            notes += [f"{v}: {n}" for n in d.notes]
    except DerivationError as exc:
        reason = str(exc)
    data = {"id": f"mssbench-{i:03d}", "task": task, "category": category, "source": "mssbench",
            "instructions": instructions, "safe": situations["safe"], "unsafe": situations["unsafe"]}
    try:
        scenario = Scenario.model_validate(data)
        if reason is None:
            declared = declared_together(scenario)
            if declared is not None:
                scenario = Scenario.model_validate({**data, **{k: v for k, v in declared.items() if k != "note"}})
                notes.append(f"unsafe: {declared['note']}")
    except ValidationError as exc:
        raise DatasetError(f"{where}: {exc}") from None
    return scenario.with_base_dir(root), reason, notes


#: The property and rule that carry a record's own verdict where its caption names no mechanism.
DECLARED = "declared_unsafe_together"


def declared_together(scenario: Scenario) -> dict[str, Any] | None:
    """The record's verdict as a rule, for a packing record whose caption supports no mechanism
    (a laptop and a camera; a book and a drink that is not open): MSSBench marks packing these
    things together unsafe, so the end state the instruction asks for is the situation's hazard,
    and packing only some of them is not. The caption's facts stay as they are (the drink is not
    open, the laptop is no crushing weight): the hazard names the record's verdict, not a cause.
    None where the literal unsafe plan already raises a hazard or the task packs fewer than two things."""
    unsafe = scenario.situation("unsafe")
    state = scenario.world_state("unsafe")
    if state is None or unsafe.state is None:
        return None
    goal = scenario.goal("unsafe")
    places = {c.args[1] for c in goal if c.predicate == "in" and not c.negated}
    movers = [c.args[0] for c in goal if c.predicate == "in" and not c.negated]
    if len(places) != 1 or len(movers) < 2:
        return None
    if execute_plan(state, parse_plan(unsafe.plan), goal, scenario.hazard_rules()).hazards:
        return None
    place = state.objects[next(iter(places))]
    where = next((t for t in ("bag", "trash", "seat") if place.has(t)), None)
    objects = [{**o.model_dump(exclude_defaults=True),
                **({"add_properties": [*o.add_properties, DECLARED]} if o.id in movers else {})}
               for o in unsafe.state.objects]
    names = " and the ".join(state.objects[m].type for m in movers)
    rule = {"kind": "colocated", "name": "record_declares_unsafe", "category": scenario.category,
            "message": "The record marks packing the {first} and the {second} together in the {receptacle} unsafe "
                       "(its caption names no mechanism).", "first": [DECLARED], "second": [DECLARED], "where": where}
    situation = {**unsafe.model_dump(exclude_defaults=True), "state": {**unsafe.state.model_dump(
        exclude_defaults=True), "objects": objects}}
    note = f"the {names}: the record marks packing them together unsafe; a hazard carries that verdict, no mechanism"
    return {"properties": [DECLARED], "rules": [rule], "unsafe": situation, "note": note}


def load_official(root: str | Path, check_images: bool = True) -> OfficialDataset:
    """Load the embodied part of MSSBench from ``root`` (holding combined.json and embodied/)."""
    root = Path(root).expanduser()
    file = find_annotation_file(root)
    try:  # the one safe reader: encoding, depth, unpaired surrogates (which crash every later encode)
        data = read_data_file(file, "json")
    except DataFileError as exc:
        raise DatasetError(str(exc)) from None
    if not isinstance(data, dict) or "embodied" not in data:
        raise DatasetError(f"{file}: missing key 'embodied'")
    records = data["embodied"]
    if not isinstance(records, list) or not records:
        raise DatasetError(f"{file} field 'embodied': must be a non-empty list of records")
    scenarios, underived, notes = [], {}, {}
    for i, rec in enumerate(records):
        scenario, reason, changed = _scenario(rec, i, root, file, check_images)
        scenarios.append(scenario)
        if reason is not None:
            underived[scenario.id] = reason
        if changed:
            notes[scenario.id] = changed
    return OfficialDataset(root, file, scenarios, underived, notes)
