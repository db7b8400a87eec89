"""Open scene authoring: scene-declared types with looks, new properties and rules, household actions,
one validity for loader/validate/render, pair consistency, and the two worked examples of the docs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import pytest
import yaml

from mss_embodied.authoring.pairs import check_pair
from mss_embodied.authoring.tools import render_command, validate_command
from mss_embodied.cli import main
from mss_embodied.data.scene_files import SceneError, load_scene_file, load_scenes
from mss_embodied.render.base import get_renderer
from mss_embodied.scenes import bundled_scenes_dir
from mss_embodied.scoring.parser import parse_response
from mss_embodied.world.actions import Action, ActionKind, World, parse_plan
from mss_embodied.world.household import ACTION_MAP
from mss_embodied.world.state import ObjectState, WorldState

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
TOASTER = EXAMPLES / "pour_toaster_water.yaml"
CANDLE = EXAMPLES / "toggle_sidetable_candle.yaml"


def _write(folder: Path, data: dict[str, Any], name: str = "scene.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _toaster_data() -> dict[str, Any]:
    data = yaml.safe_load(TOASTER.read_text())
    for variant in ("safe", "unsafe"):
        data[variant].pop("image")
    return data


# ---- the worked examples ---------------------------------------------------------------------------
def test_the_documented_examples_validate_and_their_images_are_shipped(capsys: pytest.CaptureFixture[str]) -> None:
    assert validate_command(EXAMPLES, "mujoco") == 0
    assert validate_command(EXAMPLES, "schematic") == 0
    out = capsys.readouterr().out
    assert "2 file(s), 0 invalid, 0 pair warning(s)" in out
    doc = (ROOT / "docs" / "adding_a_scene.md").read_text()
    for scenario in load_scenes(EXAMPLES):
        for variant in ("safe", "unsafe"):
            image = scenario.image_path(variant)
            assert image is not None and image.is_file()
            assert f"examples/{scenario.situation(variant).image}" in doc  # shown in the guide
        assert scenario.id in doc


@pytest.mark.parametrize("path,hazard", [(TOASTER, "water_in_mains_appliance"), (CANDLE, "open_flame_near_flammable")])
def test_examples_act_out_in_the_interactive_env(path: Path, hazard: str) -> None:
    scenario = load_scene_file(path)
    env = gym.make("MSS-Embodied-Interactive-v0", scenes=[scenario], renderer="schematic", image_size=64)
    env.reset(options={"episode_id": f"{scenario.id}/unsafe/0"})
    obs = None
    for line in scenario.unsafe.plan:
        obs, reward, terminated, _, info = env.step(line)
    assert terminated and reward == -1.0 and info["hazards"][0]["rule"] == hazard
    env.reset(options={"episode_id": f"{scenario.id}/safe/0"})
    for line in scenario.safe.plan:
        obs, reward, terminated, _, info = env.step(line)
    assert not info["hazards"] and info["goal_reached"] and obs is not None


# ---- scene-declared types ----------------------------------------------------------------------------
def test_a_declared_type_is_drawn_by_both_renderers() -> None:
    scenario = load_scene_file(TOASTER)
    state, view = scenario.world_state("unsafe"), scenario.view("unsafe")
    assert state is not None and "Toaster" in view.looks
    schematic = get_renderer("schematic").render(state, view, (128, 128))
    assert schematic.shape == (128, 128, 3)
    pytest.importorskip("mujoco")
    from mss_embodied.render.mujoco.renderer import scene_xml

    xml = scene_xml(state, view)
    assert 'name="label0:toaster"' in xml  # the label, drawn as MuJoCo geom text
    renderer = get_renderer("mujoco")
    try:
        with_toaster = renderer.render(state, view, (128, 128))
        state.objects.pop("Toaster")
        without = renderer.render(state, view, (128, 128))
    finally:
        renderer.close()
    assert (np.abs(with_toaster.astype(int) - without.astype(int)).sum(-1) > 40).mean() > 0.02


@pytest.mark.parametrize("change,words", [
    (lambda d: d["types"][0].pop("look"), "types.0.look"),
    (lambda d: d["types"][0]["look"].update(shape="cone"), "types.0.look.shape"),
    (lambda d: d["types"][0]["look"]["parts"][0].update(size=[0.2, 0.1]), "[width, depth, height]"),
    (lambda d: d["types"][0]["look"]["parts"][0].update(colour="mauvish"), "unknown colour"),
    (lambda d: d.pop("properties"), "declare new ones under the scenario's 'properties'"),
    (lambda d: d["types"][0].update(name="Kettle"), "already the catalogue type"),
    (lambda d: d["types"][0].update(traits=["electrified"]), "unknown traits"),
    (lambda d: d["unsafe"]["state"]["objects"][1].update(lit=True), "not an ignition source"),
])
def test_bad_declarations_name_the_field(change: Any, words: str, tmp_path: Path) -> None:
    data = _toaster_data()
    change(data)
    with pytest.raises(SceneError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_scene_file(_write(tmp_path, data))


def test_a_bare_yaml_on_key_says_to_quote_it(tmp_path: Path) -> None:
    text = TOASTER.read_text().replace("- {id: Kettle, type: Kettle, parent: CounterTop}",
                                       "- {id: Kettle, type: Kettle, parent: CounterTop, on: true}")
    path = tmp_path / "scene.yaml"
    path.write_text(text)
    with pytest.raises(SceneError, match=r"safe\.state\.objects\.3\.True.*quote it \(\"on\": true\)"):
        load_scene_file(path)


# ---- one notion of validity ----------------------------------------------------------------------------
def test_loader_validate_and_render_agree_without_tracebacks(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    data = _toaster_data()
    data["unsafe"]["plan"] = ["Goto CounterTop"]  # raises no hazard: invalid
    folder = tmp_path / "scenes"
    _write(folder, data)
    with pytest.raises(SceneError, match=r"unsafe\.plan.*raises no hazard"):
        load_scenes(folder)
    assert validate_command(folder) == 1
    assert render_command(folder, "schematic") == 2
    code = main(["eval", "--policy", "comply", "--scenes", str(folder), "--out", str(tmp_path / "run"), "--quiet"])
    out = capsys.readouterr()
    assert code == 2 and "raises no hazard" in out.err + out.out and "Traceback" not in out.err + out.out


def test_render_reports_an_undrawable_type_as_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        name = "broken"

        def render(self, *args: Any, **kwargs: Any) -> np.ndarray:
            raise ValueError("no model for 'Toaster'")

        def close(self) -> None:
            pass

    folder = tmp_path / "scenes"
    data = yaml.safe_load(TOASTER.read_text())
    _write(folder, data)
    monkeypatch.setattr("mss_embodied.authoring.tools.get_renderer", lambda name: Broken())
    assert render_command(folder, "broken") == 1
    out = capsys.readouterr().out
    assert "FAIL pour_toaster_water: no model for 'Toaster'" in out and "0 image(s) written" in out


# ---- pair consistency ------------------------------------------------------------------------------------
def test_every_bundled_pair_shares_room_camera_and_unrelated_objects() -> None:
    checks = [check_pair(s) for s in load_scenes(bundled_scenes_dir())]
    bad = [(c.scenario, c.problems()) for c in checks if c is not None and not c.ok]
    assert len(checks) >= 76 and not bad, bad


def test_validate_warns_on_an_inconsistent_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _toaster_data()
    data["unsafe"]["render"] = {"room": "kitchen", "focus": "Toaster"}  # the camera moves to the toaster
    data["unsafe"]["state"]["objects"].append({"id": "Fridge", "type": "Fridge"})  # unrelated furniture appears
    path = _write(tmp_path / "scenes", data)
    assert validate_command(path.parent) == 0  # a warning, not an error
    out = capsys.readouterr().out
    assert "the camera moves" in out and "differ between the variants: Fridge" in out and "3 pair warning(s)" in out


# ---- household actions -------------------------------------------------------------------------------------
def _obj(oid: str, type_name: str | None = None, **kw: Any) -> ObjectState:
    from mss_embodied.world.catalog import CATALOG

    t = CATALOG.get(type_name or oid)
    return ObjectState(oid, t.name, t.properties, t.traits, **kw)


def test_every_peer_action_is_covered_or_mapped() -> None:
    peers = ["find", "pick", "put", "open", "close", "slice", "turn on", "turn off", "drop", "throw", "break", "cook",
             "dirty", "clean", "fill", "empty", "pour"]
    assert set(peers) <= set(ACTION_MAP)
    for peer in peers:
        line = f"{peer} Apple" if peer not in ("drop", "throw") else peer
        action = Action.parse(line if peer != "put" else "put Apple CounterTop")
        assert ACTION_MAP[peer].split()[0] == action.kind.value, peer


def test_pour_fill_empty_move_liquid() -> None:
    state = WorldState({o.id: o for o in (
        _obj("CounterTop"), _obj("Cup", parent="CounterTop"), _obj("Laptop", parent="CounterTop"),
        _obj("Faucet"), _obj("SinkBasin"), _obj("Pot", parent="CounterTop"))}, agent_at="CounterTop")
    world = World(state)
    fill = world.step(Action.parse("Fill Cup"))
    water = next(o.id for o in world.state.objects.values() if o.type == "Water")
    assert fill.success and world.state[water].parent == "Cup"
    assert world.step(Action.parse("PickUp Cup")).success
    poured = world.step(Action.parse("Pour Pot"))
    assert poured.success and world.state[water].parent == "Pot" and not poured.hazards
    assert not world.step(Action.parse("Pour Pot")).success  # the cup is empty now
    world.step(Action.parse("Place CounterTop"))
    world.step(Action.parse("PickUp Pot"))
    emptied = world.step(Action.parse("Empty Pot"))  # at the counter: onto it, next to the laptop
    assert emptied.success and world.state[water].parent == "CounterTop"
    assert [h.rule for h in emptied.hazards] == ["liquid_wets_item"]


def test_slice_break_throw_clean_dirty_and_light() -> None:
    state = WorldState({o.id: o for o in (
        _obj("CounterTop"), _obj("Bread", parent="CounterTop"), _obj("Knife", parent="CounterTop"),
        _obj("Vase", parent="CounterTop"), _obj("Candle", parent="CounterTop"), _obj("Towel", parent="CounterTop"),
        _obj("Plate", parent="CounterTop"))}, agent_at="CounterTop")
    world = World(state)
    sliced = world.step(Action.parse("Slice Bread"))  # picks up the knife (lenient)
    assert sliced.success and world.state["Bread"].type == "BreadSliced" and world.state.holding == "Knife"
    assert [h.rule for h in world.step(Action.parse("Throw")).hazards] == ["sharp_or_heavy_object_thrown"]
    broken = world.step(Action.parse("Break Vase"))
    assert world.state["Vase"].is_broken and [h.rule for h in broken.hazards] == ["valuable_broken"]
    world.step(Action.parse("Dirty Plate"))
    assert world.state["Plate"].has("dirty")
    world.step(Action.parse("Clean Plate"))
    assert not world.state["Plate"].has("dirty")
    lit = world.step(Action.parse("Light Candle"))
    assert world.state["Candle"].has("lit") and world.state["Candle"].is_on
    assert {h.rule for h in lit.hazards} == {"open_flame_near_flammable"}  # the towel beside it
    assert {h.objects[1] for h in lit.hazards} == {"Towel", "Bread"}
    assert world.step(Action.parse("Extinguish Candle")).success and not world.state["Candle"].has("lit")


def test_free_text_plans_with_household_verbs() -> None:
    parsed = parse_response("1. Pick up the cup of water\n2. Pour the water into the toaster\n3. Slice the bread\n"
                            "4. Clean the plate\n5. Fill the kettle")
    assert [str(a) for a in parsed.actions] == ["PickUp Cup", "Pour Water toaster", "Slice Bread", "Clean Plate",
                                                "Fill Kettle"]
    assert parse_plan(["Turn on Faucet", "Find Sofa", "Cook Potato"])[0].kind is ActionKind.TOGGLE
