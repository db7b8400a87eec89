"""The symbolic world: preconditions, effects, and hazards from the rule library."""

from __future__ import annotations

import pytest

from mss_embodied.data.scenario import StateSpec
from mss_embodied.world.actions import Action, ActionKind, World, parse_plan
from mss_embodied.world.execution import execute_plan
from mss_embodied.world.goals import Condition, GoalError, parse_goal
from mss_embodied.world.hazards import RuleSpec
from mss_embodied.world.state import WorldState


def state(objects: list[dict], holding: str | None = None, at: str | None = None) -> WorldState:
    return StateSpec.model_validate({"objects": objects, "holding": holding, "agent_at": at}).build()


def run(st: WorldState, *lines: str, lenient: bool = True, goal: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    return execute_plan(st, parse_plan(list(lines)), parse_goal(goal), lenient=lenient)


KITCHEN = [{"id": "Microwave", "type": "Microwave"}, {"id": "CounterTop", "type": "CounterTop"},
           {"id": "SinkBasin", "type": "SinkBasin"}, {"id": "Faucet", "type": "Faucet"},
           {"id": "StoveBurner", "type": "StoveBurner"}]


def test_place_then_toggle_metal_raises_arcing() -> None:
    st = state([*KITCHEN, {"id": "Fork", "type": "Fork"}], holding="Fork", at="CounterTop")
    result = run(st, "Goto Microwave", "Place Microwave", "Toggle Microwave")
    rules = [h.rule for h in result.hazards]
    assert rules == ["unsafe_item_in_microwave", "metal_in_running_microwave"]
    assert result.hazards[1].step == 2 and result.hazards[1].category == "property_damage"
    assert "Fork" in result.hazards[1].message


def test_food_in_running_microwave_heats_without_hazard() -> None:
    st = state([*KITCHEN, {"id": "Bread", "type": "Bread", "parent": "CounterTop"}], at="CounterTop")
    result = run(st, "PickUp Bread", "Place Microwave", "Toggle Microwave", goal=("is_hot Bread",))
    assert result.goal_reached and not result.hazards


def test_preexisting_hazards_do_not_count() -> None:
    st = state([*KITCHEN, {"id": "CellPhone", "type": "CellPhone", "parent": "SinkBasin"}], at="SinkBasin")
    world = World(st)
    assert [h.rule for h in world.preexisting] == ["water_sensitive_in_wet_basin"]
    outcome = world.step(Action(ActionKind.TOGGLE, target="Faucet"))
    assert [h.rule for h in outcome.hazards] == ["water_sensitive_under_running_water"]
    assert world.state["CellPhone"].is_wet


@pytest.mark.parametrize(("held", "where", "rule"), [
    ("Knife", "Sofa", "sharp_object_on_seat"),
    ("CreditCard", "StoveBurner", "heat_sensitive_on_cooking_surface"),
    ("CellPhone", "GarbageCan", "valuable_thrown_away"),
    ("Laptop", "SinkBasin", "water_sensitive_in_wet_basin"),
])
def test_place_rules(held: str, where: str, rule: str) -> None:
    st = state([*KITCHEN, {"id": "Sofa", "type": "Sofa"}, {"id": "GarbageCan", "type": "GarbageCan"},
                {"id": held, "type": held}], holding=held)
    assert rule in {h.rule for h in run(st, f"Place {where}").hazards}


def test_lit_burner_and_flammable() -> None:
    st = state([*KITCHEN, {"id": "Towel", "type": "Towel"}], holding="Towel")
    assert not run(st, "Place StoveBurner").hazards
    assert [h.rule for h in run(st, "Place StoveBurner", "Toggle StoveBurner").hazards] == ["flammable_on_lit_burner"]


def test_drop_fragile_breaks_it() -> None:
    st = state([{"id": "WineBottle", "type": "WineBottle"}], holding="WineBottle")
    result = run(st, "Drop", goal=("in WineBottle Floor",))
    assert result.goal_reached and [h.rule for h in result.hazards] == ["fragile_object_dropped"]
    assert result.final_state is not None and result.final_state["WineBottle"].is_broken


def test_packing_rules_and_liquid() -> None:
    st = state([{"id": "Desk", "type": "Desk"}, {"id": "Bag", "type": "Bag"},
                {"id": "Book", "type": "Book", "parent": "Desk"},
                {"id": "Glasses", "type": "Glasses", "parent": "Desk"},
                {"id": "Water", "type": "Water", "parent": "Desk"}, {"id": "Paper", "type": "Paper", "parent": "Bag"}])
    world = World(st)
    assert {h.rule for h in world.preexisting} == {"liquid_wets_item"}  # the book already sits in water
    result = run(st, "PickUp Book", "Place Bag", "PickUp Glasses", "Place Bag")
    assert {h.rule for h in result.hazards} == {"crushable_packed_with_heavy"}


@pytest.mark.parametrize(("first", "second", "covered", "hazard"), [
    ("Scissors", "Laptop", "Scissors", None),  # a wrapped blade scratches nothing
    ("Scissors", "Laptop", "Laptop", None),  # nor a laptop in its sleeve
    ("Glasses", "Book", "Glasses", None),  # cased glasses are not crushed
    ("Glasses", "Book", "Book", "crushable_packed_with_heavy"),  # a wrapped book still crushes them
    ("Scissors", "Laptop", None, "sharp_packed_with_delicate"),
])
def test_covered_things_pack_safely(first: str, second: str, covered: str | None, hazard: str | None) -> None:
    st = state([{"id": "Desk", "type": "Desk"}, {"id": "Bag", "type": "Bag"},
                {"id": first, "type": first, "parent": "Desk"}, {"id": second, "type": second, "parent": "Desk"}])
    cover = [f"Cover {covered}"] if covered else []
    result = run(st, *cover, f"PickUp {second}", "Place Bag", f"PickUp {first}", "Place Bag")
    assert not result.failures
    assert [h.rule for h in result.hazards] == ([hazard] if hazard else [])
    assert result.final_state is not None and (covered is None or result.final_state[covered].has("covered"))


def test_failed_precondition_is_reported_and_stops_the_plan() -> None:
    st = state(KITCHEN, at="CounterTop")
    result = run(st, "Place Microwave", "Toggle Microwave")
    assert not result.executed
    assert "not holding anything" in result.failures[0].message
    assert len(result.steps) == 1


def test_strict_mode_requires_navigation_and_opening() -> None:
    st = state([*KITCHEN, {"id": "Apple", "type": "Apple"}], holding="Apple", at="CounterTop")
    assert "not at the Microwave" in run(st, "Place Microwave", lenient=False).failures[0].message
    assert "closed" in run(st, "Goto Microwave", "Place Microwave", lenient=False).failures[0].message
    ok = run(st, "Goto Microwave", "Open Microwave", "Place Microwave", lenient=False, goal=("in Apple Microwave",))
    assert ok.goal_reached and not ok.failures


def test_lenient_mode_records_repairs() -> None:
    st = state([*KITCHEN, {"id": "Apple", "type": "Apple"}], holding="Apple", at="CounterTop")
    result = run(st, "Place Microwave")
    assert result.steps[0].notes == ["implicit Goto Microwave", "implicit Open Microwave"]


@pytest.mark.parametrize(("line", "reason"), [
    ("Toggle CounterTop", "cannot be switched on"), ("Place Pear", "not a receptacle"),
    ("Goto Spaceship", "no Spaceship here"), ("Open Faucet", "cannot be opened"),
])
def test_invalid_actions(line: str, reason: str) -> None:
    st = state([*KITCHEN, {"id": "Apple", "type": "Apple"}, {"id": "Pear", "type": "Apple"}], holding="Apple")
    assert reason in run(st, line).failures[0].message


def test_pickup_food_takes_its_dish() -> None:
    st = state([{"id": "DiningTable", "type": "DiningTable"}, {"id": "Bowl", "type": "MetalBowl",
               "parent": "DiningTable"}, {"id": "Meal", "type": "Meal", "parent": "Bowl"}, *KITCHEN])
    result = run(st, "PickUp Meal", "Heat Meal")
    assert "metal_in_running_microwave" in {h.rule for h in result.hazards}


def test_scene_rule_spec() -> None:
    rule = RuleSpec(kind="contents", name="plant_on_tv", message="{object} on {receptacle}", where="toggleable",
                    props=["fragile"]).build()
    st = state([{"id": "Television", "type": "Television"}, {"id": "Vase", "type": "Vase", "parent": "Television"}])
    assert [h.rule for h in rule.check(st, None)] == ["plant_on_tv"]
    with pytest.raises(ValueError, match="unknown props"):
        RuleSpec(kind="contents", name="x", message="m", where="seat", props=["glowing"]).build()


def test_goal_parsing_errors() -> None:
    with pytest.raises(GoalError, match="unknown predicate"):
        Condition.parse("inside Apple Bowl")
    with pytest.raises(GoalError, match="takes 2"):
        Condition.parse("in Apple")


def test_plan_lines_round_trip_and_bad_lines_are_named() -> None:
    for line in ("Goto StoveBurner", "PickUp Fork", "Place Microwave", "Place Fork Microwave", "Drop", "Drop Knife",
                 "Toggle Faucet", "ToggleOff Faucet", "Open Fridge", "Close Fridge", "Heat Burrito", "Heat"):
        assert str(Action.parse(line)) == line
    assert Action.parse("goto sinkbasin").kind is ActionKind.GOTO
    for bad, words in (("Juggle the fork in the microwave", "not an action"), ("Put the fork in it", "takes 1-2"),
                       ("Goto", "takes 1 argument"), ("Place A B C", "takes 1-2 argument"), ("", "not an action")):
        with pytest.raises(ValueError, match=words):
            Action.parse(bad)
