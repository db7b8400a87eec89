"""The AI2-THOR backend against a fake controller (everywhere) and a real build (``-m thor``)."""

from __future__ import annotations

import ast
import glob
import os
import sys
import types
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from mss_embodied.data.scene_files import load_scenes
from mss_embodied.envs.thor import ThorInteractiveEnv, make_interactive_env
from mss_embodied.render.base import ViewSpec, get_renderer
from mss_embodied.scenes import bundled_scenes_dir
from mss_embodied.thor.dryrun import dry_run, main
from mss_embodied.thor.floorplans import FLOORPLAN_TYPES, Need, NoFloorPlanError, choose_floorplan
from mss_embodied.thor.plan import FACE, plan_scene
from mss_embodied.thor.renderer import ThorMappingError, ThorRenderer
from mss_embodied.thor.runtime import (
    AI2THOR_COMMIT_ID,
    AI2THOR_VERSION,
    ThorConfig,
    ThorNotInstalledError,
    ThorStartupError,
    ThorTimeoutError,
    build_dir,
    check_environment,
    controller_arguments,
    installed_build,
    select_platform,
    start_controller,
)
from mss_embodied.thor.types import EXPLICIT, THOR_OBJECT_TYPES, stale_catalogue_flags, unmapped_catalogue_types
from mss_embodied.thor.world import ThorWorld
from mss_embodied.world.actions import Action, ActionKind
from mss_embodied.world.catalog import CATALOG
from mss_embodied.world.state import ObjectState, WorldState
from tests.support.fake_thor import ACTIONS, CONTROLLER_PARAMS, INITIALIZE_PARAMS, FakeController


@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    return {s.id: s for s in load_scenes(bundled_scenes_dir())}


def _renderer(fail: tuple[str, ...] = ()) -> ThorRenderer:
    return ThorRenderer(ThorConfig(width=64, height=48), controller_factory=lambda **a: FakeController(fail, **a))


# ---- type mapping and FloorPlans --------------------------------------------------------------
def test_every_catalogue_type_has_a_thor_mapping() -> None:
    assert unmapped_catalogue_types() == []


def test_mappings_name_real_thor_types_and_explain_substitutions() -> None:
    for m in EXPLICIT.values():
        assert set(m.candidates) <= THOR_OBJECT_TYPES, m
        if m.kind == "substitute":
            assert m.note, m
    for name, t in CATALOG.types.items():
        if not t.thor:
            assert name in EXPLICIT, f"{name} is thor=False but has no explicit mapping"


def test_catalogue_thor_flags_agree_with_thor_types() -> None:
    assert stale_catalogue_flags() == []


def test_floorplan_table_covers_every_room_and_uses_thor_types() -> None:
    for number, thor_types in FLOORPLAN_TYPES.items():
        assert thor_types <= THOR_OBJECT_TYPES, (number, thor_types - THOR_OBJECT_TYPES)
    rooms = {n // 100 for n in FLOORPLAN_TYPES}
    assert rooms == {0, 2, 3, 4}


def test_choose_floorplan_prefers_the_room_then_portables() -> None:
    needs = [Need("Microwave", ("Microwave",), fixture=True), Need("DiningTable", ("DiningTable",), fixture=True)]
    assert choose_floorplan("kitchen", needs).scene in ("FloorPlan4", "FloorPlan7")
    desk = choose_floorplan("study", [Need("Desk", ("Desk",), fixture=True), Need("Laptop", ("Laptop",))])
    assert desk.room == "bedroom" and not desk.missing
    with pytest.raises(NoFloorPlanError, match="Toilet"):
        choose_floorplan("kitchen", [Need("Toilet", ("Toilet",), fixture=True), Need("Bed", ("Bed",), fixture=True)])


# ---- dry run ----------------------------------------------------------------------------------
def test_dry_run_over_bundled_scenes_has_no_unmapped_types_or_errors(bundled) -> None:  # type: ignore[no-untyped-def]
    report = dry_run(list(bundled.values()))
    assert report.situations and report.scenarios == len(bundled)
    assert report.unmapped == []
    assert report.errors == []
    for s in report.situations:
        assert s.floorplan is not None and s.staging, s
        assert all(c.split("(")[0] in {*ACTIONS, FACE} for c in s.staging + s.execution), s


def test_dry_run_reports_substitutions_and_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quiet"]) == 0
    out = capsys.readouterr().out
    assert "unmapped types: 0" in out and "Bag -> Box" in out and "FloorPlan" in out


def test_dry_run_flags_unmapped_scene_types() -> None:
    state = WorldState({"Gizmo": ObjectState("Gizmo", "Gizmo"), "Desk": ObjectState("Desk", "Desk")})
    plan = plan_scene(state, ViewSpec(room="study", focus="Desk"))
    assert plan.unmapped == ["Gizmo (Gizmo)"] and not plan.ok


# ---- renderer on the fake controller ----------------------------------------------------------
def test_renderer_stages_state_with_checked_actions_and_caches(bundled) -> None:  # type: ignore[no-untyped-def]
    scenario = bundled["toggle_microwave_metalbowl"]
    renderer = get_renderer("thor", config=ThorConfig(width=64, height=48), controller_factory=FakeController)
    assert isinstance(renderer, ThorRenderer)
    state = scenario.world_state("unsafe")
    frame = renderer.render(state, ViewSpec(room="kitchen", focus="Microwave"), (64, 48))
    assert frame.shape == (48, 64, 3) and frame.dtype == np.uint8
    report = renderer.last_report
    assert report is not None and report.failures == []
    assert any("MetalBowl -> Bowl" in s for s in report.plan.substitutions)
    session = renderer.active_session
    assert session is not None
    bowl, micro = session.obj(session.ids["MetalBowl"]), session.ids["Microwave"]
    assert bowl is not None and micro in bowl["parentReceptacles"]
    controller = session.controller
    sent = len(controller.calls)
    again = renderer.render(state, ViewSpec(room="kitchen", focus="Microwave"), (64, 48))
    assert np.array_equal(frame, again) and len(controller.calls) == sent  # cached: no THOR calls
    renderer.close()
    assert controller.stopped


def test_renderer_slices_fills_holds_and_switches_burners_by_knob() -> None:
    state = WorldState({
        "Oven": ObjectState("Oven", "Oven", traits=CATALOG.get("Oven").traits, is_on=True),
        "CounterTop": ObjectState("CounterTop", "CounterTop", traits=CATALOG.get("CounterTop").traits),
        "BreadSliced": ObjectState("BreadSliced", "BreadSliced", parent="CounterTop", relation="on"),
        "Water": ObjectState("Water", "Water", parent="CounterTop", relation="on"),
        "Knife": ObjectState("Knife", "Knife"),
    }, agent_at="CounterTop", holding="Knife")
    renderer = _renderer()
    renderer.render(state, ViewSpec(room="kitchen", focus="Oven"), (64, 48))
    report = renderer.last_report
    assert report is not None
    assert report.failures == [], report.lines()
    session = renderer.active_session
    assert session is not None
    assert "BreadSliced" in session.ids["BreadSliced"]
    burner = session.obj(session.ids["Oven"])
    assert burner is not None and burner["isToggled"]  # via the StoveKnob's controlledObjects
    water = session.obj(session.ids["Water"])
    assert water is not None and water["isFilledWithLiquid"] and water["fillLiquid"] == "water"
    knife = session.obj(session.ids["Knife"])
    assert knife is not None and knife["isPickedUp"]
    assert any(call[0] == "TeleportFull" for call in session.controller.calls)


def test_renderer_refuses_unmapped_states() -> None:
    state = WorldState({"Gizmo": ObjectState("Gizmo", "Gizmo")})
    with pytest.raises(ThorMappingError, match="Gizmo"):
        _renderer().render(state, ViewSpec(room="kitchen"), (64, 48))


def test_every_bundled_situation_stages_on_the_fake(bundled) -> None:  # type: ignore[no-untyped-def]
    renderer = _renderer()
    for scenario in bundled.values():
        for variant in ("safe", "unsafe"):
            state = scenario.world_state(variant)
            renderer.render(state, scenario.view(variant), (32, 32))
            report = renderer.last_report
            assert report is not None
            assert report.failures == [], (scenario.id, variant, report.lines())


# ---- interactive world and env ----------------------------------------------------------------
def test_thor_world_mirrors_actions_and_reports_no_disagreement(bundled) -> None:  # type: ignore[no-untyped-def]
    scenario = bundled["toggle_microwave_metalbowl"]
    world = ThorWorld(scenario.world_state("unsafe"), scenario.hazard_rules(), renderer=_renderer(),
                      view=ViewSpec(room="kitchen", focus="Microwave"))
    assert world.initial_disagreements == []
    out = world.step(Action(ActionKind.GOTO, target="Microwave"))
    assert out.success and out.disagreements == [] and out.thor_calls[0].call.action == FACE
    out = world.step(Action(ActionKind.TOGGLE, target="Microwave"))
    assert out.success and [r.call.action for r in out.thor_calls] == ["ToggleObjectOn"]
    assert out.disagreements == [] and out.hazards  # metal in a running microwave, symbolically


def test_thor_world_reports_a_failed_thor_action(bundled) -> None:  # type: ignore[no-untyped-def]
    scenario = bundled["place_microwave_fork"]
    world = ThorWorld(scenario.world_state("unsafe"), scenario.hazard_rules(), renderer=_renderer(fail=("PutObject",)),
                      view=ViewSpec(room="kitchen", focus="Microwave"))
    out = world.step(Action(ActionKind.PLACE, target="Microwave"))
    assert out.success  # the symbolic world placed it...
    assert any("PutObject failed" in d for d in out.disagreements)  # ...THOR did not, and says so
    assert any("held=False" in d or "parent" in d for d in out.disagreements)
    assert "THOR disagrees" in out.message


def test_interactive_env_on_thor(bundled) -> None:  # type: ignore[no-untyped-def]
    env = make_interactive_env("thor", scenes=[bundled["toggle_faucet_phone"]], image_size=32,
                               controller_factory=FakeController)
    assert isinstance(env, ThorInteractiveEnv)
    obs, info = env.reset(seed=0, options={"episode_id": "toggle_faucet_phone/unsafe/0"})
    truth = env.reveal()
    assert obs["image"].shape == (32, 32, 3) and truth["thor_scene"].startswith("FloorPlan")
    assert truth["thor_initial_disagreements"] == [] and "thor_scene" not in info
    obs, reward, terminated, _, info = env.step("Toggle Faucet")
    assert info["thor_disagreements"] == [] and obs["image"].shape == (32, 32, 3)
    assert terminated and reward < 0  # the phone in the basin gets wet
    env.close()
    with pytest.raises(ValueError, match="backend"):
        make_interactive_env("unity")


# ---- start-up -----------------------------------------------------------------------------------
def test_platform_selection_and_build_folder() -> None:
    assert select_platform({"DISPLAY": ":0"}) == "Linux64"
    assert select_platform({}) == "CloudRendering"
    where = build_dir("CloudRendering")
    assert where.parts[-2:] == ("releases", f"thor-CloudRendering-{AI2THOR_COMMIT_ID}")
    assert ".ai2thor" in where.parts


def test_controller_arguments_exist_in_the_pinned_signature() -> None:
    kwargs = controller_arguments(ThorConfig(platform="Linux64", x_display=":1", gpu_device=0), "FloorPlan1")
    assert set(kwargs) <= CONTROLLER_PARAMS | INITIALIZE_PARAMS
    assert kwargs["x_display"] == ":1" and kwargs["commit_id"] == AI2THOR_COMMIT_ID


def test_missing_ai2thor_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ai2thor", None)
    with pytest.raises(ThorNotInstalledError, match=r"mss-embodied\[thor\]"):
        check_environment(ThorConfig())


def test_missing_vulkan_and_wrong_version(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("ai2thor")
    fake.__version__ = AI2THOR_VERSION  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ai2thor", fake)
    monkeypatch.setattr("mss_embodied.thor.runtime.vulkan_available", lambda: False)
    with pytest.raises(ThorStartupError, match="libvulkan1"):
        check_environment(ThorConfig(platform="CloudRendering"))
    check_environment(ThorConfig(platform="Linux64"))  # X11 needs no Vulkan
    fake.__version__ = "4.3.0"  # type: ignore[attr-defined]
    with pytest.raises(ThorStartupError, match=r"5\.0\.0"):
        check_environment(ThorConfig(platform="Linux64"))


def test_blocked_download_and_timeouts_are_explained() -> None:
    def no_build(**kwargs: object) -> None:
        raise ValueError("Invalid commit_id: f08 - no build exists for arch=Linux platforms=CloudRendering")

    with pytest.raises(ThorStartupError) as err:
        start_controller(ThorConfig(platform="CloudRendering"), "FloorPlan1", factory=no_build)
    assert f"thor-CloudRendering-{AI2THOR_COMMIT_ID}" in str(err.value) and "download_only" in str(err.value)

    def slow(**kwargs: object) -> None:
        raise TimeoutError("Reading from AI2-THOR backend timed out (using 300.0s) timeout.")

    with pytest.raises(ThorTimeoutError, match="start_timeout"):
        start_controller(ThorConfig(), "FloorPlan1", factory=slow)

    def crash(**kwargs: object) -> None:
        raise Exception("Unity process has exited - check Player.log. Confirm that Vulkan is properly configured")

    with pytest.raises(ThorStartupError, match="vulkaninfo"):
        start_controller(ThorConfig(), "FloorPlan1", factory=crash)


# ---- agreement with the ai2thor wheel itself (where it has been downloaded) -------------------------
def _wheel() -> Path | None:
    hits = [os.environ.get("MSS_THOR_WHEEL", ""), *glob.glob(f"/tmp/*/ai2thor-{AI2THOR_VERSION}-*.whl")]
    return next((Path(h) for h in hits if h and Path(h).is_file()), None)


def test_pins_and_signature_match_the_wheel_source() -> None:
    wheel = _wheel()
    if wheel is None:
        pytest.skip(f"no ai2thor-{AI2THOR_VERSION} wheel (pip download --no-deps -d /tmp/thorwheel ai2thor=="
                    f"{AI2THOR_VERSION}, or set MSS_THOR_WHEEL)")
    with zipfile.ZipFile(wheel) as z:
        builds = z.read("ai2thor/_builds.py").decode()
        controller = z.read("ai2thor/controller.py").decode()
        build = z.read("ai2thor/build.py").decode()
    assert f"COMMIT_ID = '{AI2THOR_COMMIT_ID}'" in builds
    assert '"thor-%s-%s" % (arch, commit_id)' in build
    with warnings.catch_warnings():  # the wheel's own source has invalid escapes
        warnings.simplefilter("ignore", DeprecationWarning)
        tree = ast.parse(controller)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Controller")
    init = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__")
    params = {a.arg for a in init.args.args[1:]}
    assert params == CONTROLLER_PARAMS
    step = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "step")
    assert [a.arg for a in step.args.args] == ["self", "action"] and step.args.kwarg is not None
    reset = next(n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "reset")
    assert [a.arg for a in reset.args.args] == ["self", "scene"] and reset.args.kwarg is not None
    for name in ("GetReachablePositions", "TeleportFull", "PickupObject", "OpenObject", "CloseObject"):
        assert f'"{name}"' in z_text(wheel), name


def z_text(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as z:
        return "".join(z.read(n).decode(errors="ignore") for n in z.namelist() if n.endswith(".py"))


# ---- real THOR ----------------------------------------------------------------------------------
def _real_thor() -> ThorConfig:
    try:
        import ai2thor  # noqa: F401
    except ImportError:
        pytest.skip("ai2thor is not installed (pip install 'mss-embodied[thor]')")
    config = ThorConfig(width=256, height=256)
    if installed_build(config) is None:
        pytest.skip(f"no AI2-THOR build at {build_dir(config.resolved_platform())} (pre-seed it: docs/thor.md)")
    try:
        check_environment(config)
    except ThorStartupError as exc:
        pytest.skip(str(exc))
    return config


@pytest.mark.thor
def test_real_thor_renders_a_bundled_situation(bundled) -> None:  # type: ignore[no-untyped-def]
    renderer = ThorRenderer(_real_thor())
    try:
        scenario = bundled["toggle_microwave_metalbowl"]
        frame = renderer.render(scenario.world_state("unsafe"), ViewSpec(room="kitchen", focus="Microwave"), (256, 256))
        assert frame.shape == (256, 256, 3) and frame.std() > 5
        report = renderer.last_report
        assert report is not None
        assert report.failures == [], report.lines()
    finally:
        renderer.close()


@pytest.mark.thor
def test_real_thor_world_toggles_the_microwave(bundled) -> None:  # type: ignore[no-untyped-def]
    renderer = ThorRenderer(_real_thor())
    try:
        scenario = bundled["toggle_microwave_metalbowl"]
        world = ThorWorld(scenario.world_state("safe"), renderer=renderer,
                          view=ViewSpec(room="kitchen", focus="Microwave"))
        out = world.step(Action(ActionKind.TOGGLE, target="Microwave"))
        assert out.success and out.disagreements == [], out.message
    finally:
        renderer.close()
