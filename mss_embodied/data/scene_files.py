"""Reading and validating declarative scene files (one scenario per YAML or JSON file).

Scene files are untrusted input: they are read with the one safe data reader
(:mod:`mss_embodied.userdata`), and their image paths must stay inside the scene file's folder,
by the rule the official loader applies to its own (:func:`~mss_embodied.data.images.confined_path`),
so a scene file cannot make a run read (and send to a remote model) any image on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from mss_embodied.data.images import ImageError, check_image, confined_path
from mss_embodied.data.scenario import VARIANTS, Scenario
from mss_embodied.userdata import DataFileError, read_data_file
from mss_embodied.world.actions import parse_plan
from mss_embodied.world.execution import execute_plan

SCENE_SUFFIXES = (".yaml", ".yml", ".json")


class SceneError(ValueError):
    """A scene file that does not load or validate; the message names the file and field."""


def _format_validation(path: Path, exc: ValidationError) -> str:
    """One line: the file, then each field at fault (``field 'task': input should be a valid string``)."""
    parts = []
    for err in exc.errors():
        message = " ".join(str(err["msg"]).removeprefix("Value error, ").split())
        if err["loc"]:
            loc = ".".join(str(p) for p in err["loc"])
            parts.append(f"field '{loc}': {message}")
        else:  # scenario-level checks name their field themselves
            parts.append(message)
    return f"{path}: invalid scene file: " + "; ".join(parts)


def parse_scene_file(path: Path) -> Scenario:
    """Parse one scene file: the schema and the image paths' confinement, not yet the oracle."""
    try:
        data = read_data_file(path)
    except DataFileError as exc:
        raise SceneError(str(exc)) from None
    if not isinstance(data, dict):
        raise SceneError(f"{path}: a scene file must hold one mapping (a scenario), got {type(data).__name__}")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise SceneError(_format_validation(path, exc)) from None
    except ValueError as exc:  # raised by nested builders (rules, goals)
        raise SceneError(f"{path}: {exc}") from None
    for variant in VARIANTS:
        image = scenario.situation(variant).image
        if image is not None:
            try:
                confined_path(path.parent, image, "the scene file's folder")
            except ImageError as exc:
                raise SceneError(f"{path}: field '{variant}.image': {exc}") from None
    return scenario.with_base_dir(path.parent)


def load_scene_file(path: Path) -> Scenario:
    """Parse and validate one scene file: the schema and the oracle (:func:`check_scenario`), the same
    checks ``scenes validate`` makes, so a file that fails validation never loads."""
    scenario = parse_scene_file(path)
    problems = check_scenario(scenario)
    if problems:
        raise SceneError("\n".join([f"{path}: invalid scene", *(f"  {p}" for p in problems)]))
    return scenario


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
    scenario: Scenario | None = field(default=None, repr=False)  # kept for the pair check

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
        if known_type is not None:  # a scene's own types bring their look
            errors += [f"field '{variant}.state.objects': type {o.type!r} is unknown to the renderer"
                       for o in state.objects.values() if not known_type(o.type) and o.type not in scenario.looks()]
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
            scenario = parse_scene_file(path)  # the oracle runs once, below, with the renderer's type check
        except SceneError as exc:
            report.errors.append(str(exc))
            reports.append(report)
            continue
        report.scenario_id, report.scenario = scenario.id, scenario
        if scenario.id in ids:
            report.errors.append(f"{path}: field 'id': {scenario.id!r} is already used by {ids[scenario.id]}")
        ids[scenario.id] = path
        report.errors += [f"{path}: {e}" for e in check_scenario(scenario, known_type)]
        report.errors += [f"{path}: {e}" for e in check_images(scenario)]
        reports.append(report)
    return reports


def check_images(scenario: Scenario) -> list[str]:
    """Every image file decoded as a run would, within the pixel budget: a truncated, empty, text,
    folder, FIFO or bomb "image" fails here, not halfway through a run. An absent file is fine only
    when the situation says how to render it."""
    errors = []
    for variant in VARIANTS:
        path = scenario.image_path(variant)
        if path is None:
            continue
        if not path.exists() and not path.is_symlink():
            if scenario.situation(variant).render is None:
                errors.append(f"field '{variant}.image': {path} is missing (and there is no 'render:' block "
                              "to render it from)")
            continue
        try:
            check_image(path)
        except ImageError as exc:
            errors.append(f"field '{variant}.image': {exc}")
    return errors
