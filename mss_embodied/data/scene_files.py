"""Reading and validating declarative scene files (one scenario per YAML or JSON file)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from mss_embodied.data.scenario import VARIANTS, Scenario
from mss_embodied.world.actions import parse_plan
from mss_embodied.world.execution import execute_plan

SCENE_SUFFIXES = (".yaml", ".yml", ".json")
#: libyaml's safe loader when PyYAML was built with it (6x faster: a run loads every scene file), else PyYAML's.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SceneError(ValueError):
    """A scene file that does not load or validate; the message names the file and field."""


def _format_validation(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: invalid scene file"]
    for err in exc.errors():
        message = err["msg"].removeprefix("Value error, ")
        if err["loc"]:
            loc = ".".join(str(p) for p in err["loc"])
            lines.append(f"  field '{loc}': {message}")
        else:  # scenario-level checks name their field themselves
            lines.append(f"  {message}")
    return "\n".join(lines)


def load_scene_file(path: Path) -> Scenario:
    """Parse and validate one scene file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SceneError(f"{path}: cannot read ({exc})") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=_YAML_LOADER)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise SceneError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from None
    if not isinstance(data, dict):
        raise SceneError(f"{path}: a scene file must hold one mapping (a scenario), got {type(data).__name__}")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise SceneError(_format_validation(path, exc)) from None
    except ValueError as exc:  # raised by nested builders (rules, goals)
        raise SceneError(f"{path}: {exc}") from None
    return scenario.with_base_dir(path.parent)


def scene_files(folder: Path) -> list[Path]:
    if not folder.exists():
        raise SceneError(f"{folder}: scene folder does not exist")
    if folder.is_file():
        return [folder]
    return sorted(p for p in folder.rglob("*") if p.suffix in SCENE_SUFFIXES and p.is_file())


def load_scenes(folder: str | Path) -> list[Scenario]:
    """Every scenario under ``folder``, sorted by file name; ids must be unique."""
    folder = Path(folder)
    scenarios: list[Scenario] = []
    seen: dict[str, Path] = {}
    for path in scene_files(folder):
        scenario = load_scene_file(path)
        if scenario.id in seen:
            raise SceneError(f"{path}: field 'id': {scenario.id!r} is already used by {seen[scenario.id]}")
        seen[scenario.id] = path
        scenarios.append(scenario)
    if not scenarios:
        raise SceneError(f"{folder}: no scene files ({', '.join(SCENE_SUFFIXES)})")
    return scenarios


@dataclass
class ValidationReport:
    """What ``scenes validate`` found for one file."""

    path: Path
    scenario_id: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def check_scenario(scenario: Scenario, known_type: Callable[[str], bool] | None = None) -> list[str]:
    """Semantic checks beyond the schema: the oracle (safe plan reaches the goal with no hazard,
    unsafe plan raises one) and, optionally, every object type known to a renderer."""
    errors: list[str] = []
    for variant in VARIANTS:
        situation = scenario.situation(variant)
        state = scenario.world_state(variant)
        if state is None:
            errors.append(f"field '{variant}.state': missing (bundled scenes need a symbolic state)")
            continue
        if known_type is not None:
            errors += [f"field '{variant}.state.objects': type {o.type!r} is unknown to the renderer"
                       for o in state.objects.values() if not known_type(o.type)]
        if not situation.goal:
            errors.append(f"field '{variant}.goal': empty")
        try:
            plan = parse_plan(situation.plan)
        except ValueError as exc:
            errors.append(f"field '{variant}.plan': {exc}")
            continue
        if not plan:
            errors.append(f"field '{variant}.plan': empty")
            continue
        result = execute_plan(state, plan, scenario.goal(variant), scenario.hazard_rules(), lenient=True)
        errors += [f"field '{variant}.plan': step failed: {s.message}" for s in result.failures]
        if variant == "safe":
            if not result.goal_reached:
                errors.append("field 'safe.plan': does not reach the goal " + str(situation.goal))
            if result.hazards:
                errors.append("field 'safe.plan': raises hazards: " + "; ".join(h.message for h in result.hazards))
        elif not result.hazards:
            errors.append("field 'unsafe.plan': raises no hazard (the unsafe situation must be unsafe to act in)")
    return errors


def validate_folder(folder: str | Path, known_type: Callable[[str], bool] | None = None) -> list[ValidationReport]:
    """Validate every scene file under ``folder``; never stops at the first bad file."""
    reports = []
    ids: dict[str, Path] = {}
    for path in scene_files(Path(folder)):
        report = ValidationReport(path)
        try:
            scenario = load_scene_file(path)
        except SceneError as exc:
            report.errors.append(str(exc))
            reports.append(report)
            continue
        report.scenario_id = scenario.id
        if scenario.id in ids:
            report.errors.append(f"{path}: field 'id': {scenario.id!r} is already used by {ids[scenario.id]}")
        ids[scenario.id] = path
        report.errors += [f"{path}: {e}" for e in check_scenario(scenario, known_type)]
        image_errors = [f"{path}: field '{v}.image': {scenario.image_path(v)} is missing" for v in VARIANTS
                        if scenario.situation(v).image and (p := scenario.image_path(v)) is not None
                        and not p.exists() and scenario.situation(v).render is None]
        report.errors += image_errors
        reports.append(report)
    return reports
