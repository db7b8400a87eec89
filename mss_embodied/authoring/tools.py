"""What ``mss-embodied scenes validate|render`` do, as plain functions (the CLI only parses flags).

``validate_command`` checks scene files against the schema and the oracle (what the loader also
checks, so a file either loads and validates or does neither), the renderer's object vocabulary,
and warns on pairs whose two images would differ away from the hazard (:mod:`.pairs`);
``render_command`` regenerates the shipped images from the symbolic states, so an image never drifts
from the state it depicts. Neither shows a traceback: every failure is one line naming the file.
"""

from __future__ import annotations

import importlib
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import numpy as np
from PIL import Image

from mss_embodied.authoring.pairs import check_pair
from mss_embodied.data.scenario import VARIANTS, Scenario
from mss_embodied.data.scene_files import (
    SceneError,
    ValidationReport,
    load_scene_file,
    load_scenes,
    scene_files,
    validate_folder,
)
from mss_embodied.registry import RegistryError
from mss_embodied.render.base import RENDERERS, Renderer, get_renderer
from mss_embodied.world.catalog import CATALOG

#: The shipped image set must stay below this (bytes), so the wheel stays small.
IMAGE_BUDGET_BYTES = 25 * 1024 * 1024
#: Above this a frame is stored as a 256-colour palette PNG instead of full RGB.
MAX_IMAGE_BYTES = 150 * 1024
DEFAULT_RENDERER = "mujoco"


@dataclass(frozen=True)
class TypeCheck:
    """Which object types a scene may use, and a line saying where that list came from."""

    known: Callable[[str], bool]
    source: str


def _catalogue_check(reason: str) -> TypeCheck:
    source = f"object types checked against the catalogue ({reason})"
    return TypeCheck(lambda t: CATALOG.canonical(t) is not None, source)


def type_check(renderer: str | None) -> TypeCheck:
    """The renderer's ``supports`` when its module imports, else the catalogue (and why).

    ``None`` means the default renderer (MuJoCo). Only the module is imported, never a GL context
    made, so validation works on machines without a display or the ``sim`` extra.
    """
    name = renderer or DEFAULT_RENDERER
    try:
        target = RENDERERS.entry(name).target
        module_name = target.partition(":")[0] if isinstance(target, str) else target.__module__
        module = importlib.import_module(module_name)
    except (ImportError, RegistryError) as exc:
        return _catalogue_check(f"renderer {name!r} is not importable: {exc}")
    supports = getattr(module, "supports", None)
    if not callable(supports):
        return _catalogue_check(f"renderer {name!r} draws every catalogue type")
    return TypeCheck(lambda t: bool(supports(t)), f"object types checked against the {name} renderer")


def _one_line(report: ValidationReport) -> str:
    """``OK path (id)`` or ``FAIL path: error | error`` with multi-line errors folded."""
    if report.ok:
        return f"OK   {report.path} ({report.scenario_id})"
    prefix = f"{report.path}: "
    parts = []
    for error in report.errors:
        text = error[len(prefix):] if error.startswith(prefix) else error
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        parts.append(lines[0] + (": " + "; ".join(lines[1:]) if len(lines) > 1 else ""))
    return f"FAIL {report.path}: " + " | ".join(parts)


def _validate_each(path: Path, known: Callable[[str], bool]) -> list[ValidationReport]:
    """``validate_folder`` file by file, so that a file crashing the loader cannot hide the others."""
    reports: list[ValidationReport] = []
    first_use: dict[str, Path] = {}
    for file in scene_files(path):
        found = validate_folder(file, known)
        for report in found:
            sid = report.scenario_id
            if sid is not None and sid in first_use:
                report.errors.append(f"{file}: field 'id': {sid!r} is already used by {first_use[sid]}")
            elif sid is not None:
                first_use[sid] = file
        reports += found
    return reports


def pair_warnings(report: ValidationReport) -> list[str]:
    """``WARN`` lines for a valid file whose safe and unsafe images would differ away from the hazard."""
    if not report.ok:
        return []
    try:
        found = check_pair(report.scenario if report.scenario is not None else load_scene_file(report.path))
    except (SceneError, ValueError) as exc:  # a type no layout can place: already a validation error elsewhere
        return [f"WARN {report.path}: pair not checked ({exc})"]
    return [f"WARN {report.path}: pair: {p}" for p in (found.problems() if found is not None else [])]


def validate_command(path: Path, renderer: str | None = None, echo: Callable[[str], None] = print) -> int:
    """Validate every scene file under ``path``; one line per file, then pair warnings. Exit code 0 ok
    (warnings included), 1 invalid, 2 no files."""
    check = type_check(renderer)
    try:
        reports = _validate_each(path, check.known)
    except SceneError as exc:
        echo(f"FAIL {exc}")
        return 2
    if not reports:
        echo(f"FAIL {path}: no scene files")
        return 2
    warnings: list[str] = []
    for report in reports:
        echo(_one_line(report))
        warnings += pair_warnings(report)
    for line in warnings:
        echo(line)
    failed = sum(not r.ok for r in reports)
    echo(f"{len(reports)} file(s), {failed} invalid, {len(warnings)} pair warning(s); {check.source}")
    return 1 if failed else 0


def encode_png(frame: np.ndarray, max_bytes: int = MAX_IMAGE_BYTES) -> bytes:
    """Optimised PNG bytes; a large frame is palette-quantised (deterministic) to fit the budget."""
    image = Image.fromarray(np.asarray(frame, dtype=np.uint8), "RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    if out.tell() <= max_bytes:
        return out.getvalue()
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        out, format="PNG", optimize=True)
    return out.getvalue()


def render_scenario(scenario: Scenario, renderer: Renderer, size: tuple[int, int]) -> list[tuple[Path, bytes]]:
    """The PNG bytes for each situation of ``scenario`` that names an ``image:`` file."""
    out = []
    for variant in VARIANTS:
        target = scenario.image_path(variant)
        state = scenario.world_state(variant)
        if target is None or state is None:
            continue
        frame = renderer.render(state, scenario.view(variant), size, seed=0)
        out.append((target, encode_png(frame)))
    return out


def _select(scenarios: Iterable[Scenario], only: list[str] | None) -> list[Scenario]:
    chosen = [s for s in scenarios if not only or s.id in only]
    missing = sorted(set(only or ()) - {s.id for s in chosen})
    if missing:
        raise SceneError(f"unknown scenario id(s) {missing}")
    return chosen


def render_command(path: Path, renderer: str = DEFAULT_RENDERER, size: int | tuple[int, int] = (512, 512),
                   only: list[str] | None = None, echo: Callable[[str], None] = print) -> int:
    """Re-render every scenario's ``image:`` files from its state (seed 0) and report the total size.

    ``size`` is (width, height) or one number for a square. Exit code 0 when all images were
    written and the whole image set fits the 25 MB budget; 2 when nothing could be rendered.
    """
    size = (size, size) if isinstance(size, int) else size
    try:
        scenarios = _select(load_scenes(path), only)
    except SceneError as exc:
        echo(f"FAIL {exc}")
        return 2
    try:
        backend = get_renderer(renderer)
    except (ImportError, ValueError, RuntimeError) as exc:  # missing extra, unknown name, no GL context
        echo(f"FAIL renderer {renderer!r} is unavailable: {exc}")
        return 2
    written, failed = 0, 0
    try:
        for scenario in scenarios:
            try:
                images = render_scenario(scenario, backend, size)
            except (ValueError, RuntimeError) as exc:  # a type this renderer cannot draw, a GL failure
                failed += 1
                echo(f"FAIL {scenario.id}: {exc}")
                continue
            for target, data in images:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written += 1
                echo(f"wrote {target} ({len(data) / 1024:.0f} KiB)")
    finally:
        backend.close()
    total = image_set_bytes(scenarios)
    echo(f"{written} image(s) written with {renderer}, {failed} scenario(s) failed; image set "
         f"{total / 2**20:.2f} MiB (budget {IMAGE_BUDGET_BYTES / 2**20:.0f} MiB)")
    return 0 if total <= IMAGE_BUDGET_BYTES and not failed else 1


def image_set_bytes(scenarios: Iterable[Scenario]) -> int:
    """Total size of the distinct image files the scenarios reference (those that exist)."""
    paths = {p.resolve() for s in scenarios for v in VARIANTS if (p := s.image_path(v)) is not None}
    return sum(p.stat().st_size for p in paths if p.is_file())


class SceneCounts(TypedDict):
    """What :func:`scene_counts` returns (a plain dict, JSON-ready)."""

    scenarios: int
    task: dict[str, int]
    category: dict[str, int]
    task_category: dict[str, int]
    room: dict[str, int]
    portable_object_types: int


def scene_counts(scenarios: Iterable[Scenario]) -> SceneCounts:
    """Counts for reports: per task, per category, per task and category, rooms and object types."""
    items = list(scenarios)
    types: set[str] = set()
    for s in items:
        for v in VARIANTS:
            state = s.world_state(v)
            if state is not None:
                types |= {o.type for o in state.objects.values() if o.portable}
    return {
        "scenarios": len(items),
        "task": dict(sorted(Counter(s.task for s in items).items())),
        "category": dict(sorted(Counter(s.category for s in items).items())),
        "task_category": dict(sorted(Counter(f"{s.task}/{s.category}" for s in items).items())),
        "room": dict(sorted(Counter(s.room or "unknown" for s in items).items())),
        "portable_object_types": len(types),
    }
