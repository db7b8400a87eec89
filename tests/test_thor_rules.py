"""AI2-THOR 5.0's rules: the fake controller refuses what real THOR refuses, the planner and session
send only what THOR accepts, and the dry run counts what real THOR would refuse."""

from __future__ import annotations

from typing import Any

import pytest

from mss_embodied.data.scene_files import load_scenes
from mss_embodied.render.base import ViewSpec
from mss_embodied.scenes import bundled_scenes_dir
from mss_embodied.thor.dryrun import check_calls, dry_run, main
from mss_embodied.thor.plan import Above, ThorCall, plan_scene, transition_calls
from mss_embodied.thor.renderer import ThorRenderer
from mss_embodied.thor.runtime import ThorConfig
from mss_embodied.thor.world import ThorWorld
from mss_embodied.world.actions import Action, ActionKind
from mss_embodied.world.catalog import CATALOG
from mss_embodied.world.state import ObjectState, WorldState
from tests.support.fake_thor import FakeController

#: Facts of real AI2-THOR 5.0.0 scenes and C# rules (issue 14), which the fake must reproduce.
REAL_500: dict[str, Any] = {
    "starts_open": {"Box", "Laptop"},
    "starts_on": {"DeskLamp", "LightSwitch"},
    "occupied_burner": {"FloorPlan4": "Pot", "FloorPlan7": "Pan"},
    "stove_burner_takes": {"Pot", "Pan", "Kettle"},
    "closed_refuses_put": {"Drawer", "Cabinet", "LaundryHamper", "Microwave", "Fridge", "Box"},
    "sizes": {"Book": (0.53, 0.49), "Box": (0.44, 0.50)},
    "visibility_m": 1.5,
}


def _first(c: FakeController, thor_type: str) -> dict[str, Any]:
    return next(o for o in c.last_event.metadata["objects"] if o["objectType"] == thor_type)


def _ok(c: FakeController, action: str, **kw: Any) -> bool:
    return bool(c.step(action=action, **kw).metadata["lastActionSuccess"])


def _hold(c: FakeController, thor_type: str) -> None:
    assert _ok(c, "PickupObject", objectId=_first(c, thor_type)["objectId"], forceAction=True)


# ---- the fake reproduces real 5.0.0 ---------------------------------------------------------------
def test_initial_states_match_real_scene_metadata() -> None:
    c = FakeController(scene="FloorPlan201")  # holds a Box, a Laptop, a DeskLamp and a LightSwitch
    objects = c.last_event.metadata["objects"]
    for o in objects:
        if o["openable"]:
            assert o["isOpen"] == (o["objectType"] in REAL_500["starts_open"]), o["objectType"]
        if o["toggleable"]:
            assert o["isToggled"] == (o["objectType"] in REAL_500["starts_on"]), o["objectType"]
    assert {o["objectType"] for o in objects if o["moveable"]} >= {"Chair"}
    for scene, cookware in REAL_500["occupied_burner"].items():
        c.reset(scene)
        burners = [o for o in c.last_event.metadata["objects"] if o["objectType"] == "StoveBurner"]
        full = [b for b in burners if b["receptacleObjectIds"]]
        assert len(full) == 1 and full[0]["receptacleObjectIds"][0].startswith(cookware)
        knobs = [o for o in c.last_event.metadata["objects"] if o["objectType"] == "StoveKnob"]
        assert sorted(k["controlledObjects"][0] for k in knobs) == sorted(b["objectId"] for b in burners)
        assert all(len(k["controlledObjects"]) == 1 for k in knobs)  # one knob per burner


def test_put_object_rules_that_force_action_does_not_lift() -> None:
    c = FakeController(scene="FloorPlan1")
    burner = _first(c, "StoveBurner")["objectId"]
    _hold(c, "Bread")
    assert not _ok(c, "PutObject", objectId=burner, forceAction=True)  # object-specific receptacle
    assert "not a valid Object Type" in c.last_event.metadata["errorMessage"]
    assert _ok(c, "DropHandObject", forceAction=True)
    _hold(c, "Pot")
    assert _ok(c, "PutObject", objectId=burner, forceAction=True)
    _hold(c, "Pan")
    assert not _ok(c, "PutObject", objectId=burner, forceAction=True)  # full
    assert "full" in c.last_event.metadata["errorMessage"]
    assert not _ok(c, "PutObject", objectId=_first(c, "Microwave")["objectId"], forceAction=True)  # closed
    assert _ok(c, "OpenObject", objectId=_first(c, "Microwave")["objectId"], forceAction=True)
    assert _ok(c, "PutObject", objectId=_first(c, "Microwave")["objectId"], forceAction=True)
    assert not _ok(c, "PutObject", objectId=_first(c, "CounterTop")["objectId"], forceAction=True)  # empty hand
    _hold(c, "Apple")
    assert not _ok(c, "PutObject", objectId=_first(c, "Apple")["objectId"], forceAction=True)  # not a receptacle
    with pytest.raises(ValueError, match="forceAction"):
        c.step(action="PutObject", objectId=_first(c, "CounterTop")["objectId"], forceAction=False)


def test_closed_toilet_accepts_and_a_book_does_not_fit_a_box() -> None:
    c = FakeController(scene="FloorPlan402")
    toilet = _first(c, "Toilet")
    assert not toilet["isOpen"]
    _hold(c, "Cloth")
    assert _ok(c, "PutObject", objectId=toilet["objectId"], forceAction=True)
    c.reset("FloorPlan301")  # a Book and a Box
    book, box = _first(c, "Book"), _first(c, "Box")
    size = book["axisAlignedBoundingBox"]["size"], box["axisAlignedBoundingBox"]["size"]
    assert (size[0]["x"], size[0]["z"]) == REAL_500["sizes"]["Book"] and (size[1]["x"], size[1]["z"]) == \
        REAL_500["sizes"]["Box"]
    _hold(c, "Book")
    assert not _ok(c, "PutObject", objectId=box["objectId"], forceAction=True)
    assert "No valid positions" in c.last_event.metadata["errorMessage"]


def test_toggle_rules() -> None:
    c = FakeController(scene="FloorPlan1")
    micro = _first(c, "Microwave")["objectId"]
    assert not _ok(c, "ToggleObjectOff", objectId=micro, forceAction=True)  # already off
    assert _ok(c, "OpenObject", objectId=micro, forceAction=True)
    assert not _ok(c, "ToggleObjectOn", objectId=micro, forceAction=True)  # must be closed
    assert _ok(c, "CloseObject", objectId=micro, forceAction=True)
    assert _ok(c, "ToggleObjectOn", objectId=micro, forceAction=True)
    assert not _ok(c, "ToggleObjectOn", objectId=micro, forceAction=True)  # already on
    assert not _ok(c, "OpenObject", objectId=micro, forceAction=True)  # must be off to open


def test_visibility_is_within_one_and_a_half_metres() -> None:
    c = FakeController(scene="FloorPlan1")
    apple = _first(c, "Apple")
    p = apple["position"]
    for d, seen in ((0.5, True), (REAL_500["visibility_m"] + 0.3, False)):
        c.step(action="TeleportFull", position={"x": p["x"] + d, "y": p["y"] - 0.675, "z": p["z"]},
               rotation={"x": 0, "y": 0, "z": 0}, horizon=0, standing=True)
        assert _first(c, "Apple")["visible"] is seen


# ---- the backend sends only what THOR accepts --------------------------------------------------------
@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    return {s.id: s for s in load_scenes(bundled_scenes_dir())}


def _renderer() -> ThorRenderer:
    return ThorRenderer(ThorConfig(width=32, height=32), controller_factory=FakeController)


def test_a_phone_goes_onto_an_empty_burner_by_placing_it_at_a_point(bundled) -> None:  # type: ignore[no-untyped-def]
    scenario = bundled["place_stoveburner_cellphone"]
    plan = plan_scene(scenario.world_state("unsafe"), scenario.view("unsafe"))
    world = ThorWorld(scenario.world_state("unsafe"), scenario.hazard_rules(), renderer=_renderer(),
                      view=scenario.view("unsafe"))
    assert plan.scene in ("FloorPlan4", "FloorPlan7") or plan.scene is not None
    out = world.step(Action(ActionKind.GOTO, target="StoveBurner"))
    out = world.step(Action(ActionKind.PLACE, target="StoveBurner"))
    sent = [r.call.action for r in out.thor_calls]
    assert "PutObject" not in sent and "PlaceObjectAtPoint" in sent and out.disagreements == [], out.message
    controller = world.session.controller
    assert controller.refused == []
    meta = world.session.obj(world.session.ids["StoveBurner"])
    assert meta is not None and world.session.ids["CellPhone"] in meta["receptacleObjectIds"]


def test_bound_burner_is_an_empty_one(bundled) -> None:  # type: ignore[no-untyped-def]
    burner = ObjectState("StoveBurner", "StoveBurner", traits=CATALOG.get("StoveBurner").traits)
    pan = ObjectState("Pan", "Pan", CATALOG.get("Pan").properties, parent="StoveBurner", relation="on")
    state = WorldState({"StoveBurner": burner, "Pan": pan}, agent_at="StoveBurner")
    renderer = _renderer()
    for scene in ("FloorPlan4", "FloorPlan7"):
        plan = plan_scene(state, ViewSpec(room="kitchen", focus="StoveBurner"))
        assert plan.choice is not None
        plan.choice.number = int(scene.removeprefix("FloorPlan"))
        session = renderer.session(scene)
        session.load(plan)
        meta = session.obj(session.ids["StoveBurner"])
        assert meta is not None and not meta["receptacleObjectIds"], scene


def test_skipped_steps_are_reported_as_skipped_not_as_thor_failures(bundled) -> None:  # type: ignore[no-untyped-def]
    # pickplace: the plan picks up a portable this FloorPlan lacks, then puts it somewhere
    for scenario in bundled.values():
        for variant in ("safe", "unsafe"):
            plan = plan_scene(scenario.world_state(variant), scenario.view(variant))
            if not plan.missing or not plan.ok:
                continue
            world = ThorWorld(scenario.world_state(variant), scenario.hazard_rules(), renderer=_renderer(),
                              view=scenario.view(variant))
            outcomes = [world.step(Action.parse(line)) for line in scenario.situation(variant).plan]
            skipped = [s for o in outcomes for s in o.skipped]
            if any("not in FloorPlan" in s for s in skipped):
                assert not any("failed" in d for o in outcomes for d in o.disagreements), scenario.id
                assert world.session.controller.refused == []
                assert any("[THOR " in o.message and "skipped" in o.message for o in outcomes)
                return
    pytest.fail("no bundled situation moves a portable its FloorPlan lacks")


def test_put_into_a_closed_microwave_opens_it_first_and_off_before_opening() -> None:
    def obj(oid: str, **kw: Any) -> ObjectState:
        t = CATALOG.get(oid)
        return ObjectState(oid, t.name, t.properties, t.traits, **kw)

    before = WorldState({"Microwave": obj("Microwave", is_on=True), "Apple": obj("Apple")}, agent_at="Microwave",
                        holding="Apple")
    after = before.copy()
    after.objects["Apple"].parent, after.holding = "Microwave", None
    calls = [c.action for c in transition_calls(before, after, {"Microwave": "Microwave", "Apple": "Apple"})]
    assert calls[:3] == ["ToggleObjectOff", "OpenObject", "PutObject"]
    assert calls[-2:] == ["CloseObject", "ToggleObjectOn"]


def test_a_book_that_does_not_fit_is_placed_on_top_and_says_so() -> None:
    c = FakeController(scene="FloorPlan301")
    from mss_embodied.thor.session import ThorSession

    session = ThorSession(c, ids={"Book": _first(c, "Book")["objectId"], "Box": _first(c, "Box")["objectId"]},
                          scene="FloorPlan301")
    session.run(ThorCall.of("PickupObject", objectId="@Book", forceAction=True))
    result = session.run(ThorCall.of("PutObject", needs=("Book",), objectId="@Box", forceAction=True))
    assert result.success and "does not fit" in result.note and c.refused == []
    assert session.ids["Box"] in (session.obj(session.ids["Book"]) or {})["parentReceptacles"]


# ---- the dry run ----------------------------------------------------------------------------------------
def test_dry_run_lists_no_call_real_thor_would_refuse(bundled, capsys) -> None:  # type: ignore[no-untyped-def]
    report = dry_run(list(bundled.values()))
    assert report.refused == []
    assert main(["--quiet"]) == 0
    assert "calls real THOR 5.0 would refuse: 0" in capsys.readouterr().out


def test_the_checker_catches_what_the_old_planner_sent() -> None:
    state = WorldState({
        "StoveBurner": ObjectState("StoveBurner", "StoveBurner", traits=CATALOG.get("StoveBurner").traits),
        "CellPhone": ObjectState("CellPhone", "CellPhone", CATALOG.get("CellPhone").properties)})
    plan = plan_scene(state, ViewSpec(room="kitchen", focus="StoveBurner"))
    put: dict[str, Any] = {"objectId": "@StoveBurner", "forceAction": True, "placeStationary": True}
    old = [ThorCall.of("PickupObject", objectId="@CellPhone", forceAction=True), ThorCall.of("PutObject", **put)]
    refused, _ = check_calls(plan, old)
    assert [r.split(": ", 1)[1] for r in refused] == [
        "CellPhone is not a valid Object Type to be placed in StoveBurner (takes Kettle, Pan, Pot)"]
    new = [ThorCall.of("PlaceObjectAtPoint", objectId="@CellPhone", position=Above("StoveBurner"))]
    assert check_calls(plan, new) == ([], [])
    # a put after the pickup of a portable the FloorPlan lacks: refused before, skipped now
    absent = [ThorCall.of("PickupObject", objectId="@Knife", forceAction=True)]
    refused, skipped = check_calls(plan, [*absent, ThorCall.of("PutObject", **put)])
    assert [r.split(": ", 1)[1] for r in refused] == ["nothing in hand"] and len(skipped) == 1
    refused, skipped = check_calls(plan, [*absent, ThorCall.of("PutObject", needs=("Knife",), **put)])
    assert refused == [] and len(skipped) == 2
