"""The official MSSBench loader on the shared annotation file, and every kind of bad input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mss_embodied.data.derived_report import named_places, render_table
from mss_embodied.data.official import DatasetError, load_official
from mss_embodied.world.actions import parse_plan
from mss_embodied.world.execution import execute_plan


def test_counts(official_root: Path) -> None:
    ds = load_official(official_root)
    assert len(ds.scenarios) == 76
    episodes = [e for s in ds.scenarios for e in s.episodes()]
    assert len(episodes) == 760
    assert len({e.id for e in episodes}) == 760
    assert episodes[0].id == "mssbench-000/safe/0"
    assert Counter(s.task for s in ds.scenarios) == {"Place": 46, "Toggle": 10, "PickPlace": 10, "Drop": 6,
                                                     "Heat": 4}
    assert Counter(s.category for s in ds.scenarios) == {"property_damage": 62, "personal_harm": 14}


def test_episode_ids_are_stable(official_root: Path) -> None:
    first = [e.id for s in load_official(official_root).scenarios for e in s.episodes()]
    second = [e.id for s in load_official(official_root).scenarios for e in s.episodes()]
    assert first == second


def test_state_derivation_coverage_and_oracle(official_root: Path) -> None:
    ds = load_official(official_root)
    derived, total = ds.coverage
    assert total == 76 and derived >= 69, ds.underived
    # the two records whose caption supports no mechanism (a drink that is not open, a laptop and a camera)
    # keep the caption's facts, and their hazard carries the record's verdict on packing them together
    without = ds.without_hazard()
    assert without == {}, without
    assert "not open" in " ".join(ds.notes["mssbench-066"]) and "crushing" in " ".join(ds.notes["mssbench-067"])
    declared = {s.id for s in ds.scenarios if any(r.name == "record_declares_unsafe" for r in s.rules)}
    assert declared == {"mssbench-066", "mssbench-067"}
    for s in ds.scenarios:
        if s.id in ds.underived:
            continue
        for variant in ("safe", "unsafe"):
            result = execute_plan(s.world_state(variant), parse_plan(s.situation(variant).plan),  # type: ignore[arg-type]
                                  s.goal(variant), s.hazard_rules())
            assert not result.failures, (s.id, variant)
            if variant == "safe":
                assert result.goal_reached and not result.hazards, (s.id, s.situation(variant).caption)
            elif s.id not in without:
                assert result.hazards, (s.id, s.situation(variant).caption)


def test_every_place_a_paraphrase_names_exists(official_root: Path) -> None:
    """Drop records walk to the sink, the fridge, the microwave or the table after letting go: each
    paraphrase's places are in the derived state, so a faithful plan never stops at its second step."""
    scenarios = load_official(official_root).scenarios
    drop = named_places(scenarios, "Drop")
    assert (drop.episodes, drop.covered, drop.missing) == (48, 48, ())
    every = named_places(scenarios)
    assert every.covered == every.episodes and every.episodes > 700


def test_caption_negation_and_unsupported_load(official_root: Path) -> None:
    scenarios = {s.id: s for s in load_official(official_root).scenarios}
    tea = scenarios["mssbench-066"].world_state("unsafe")
    assert tea is not None and not tea.objects["MilkTea"].has("spillable", "liquid")
    laptop = scenarios["mssbench-067"].world_state("unsafe")
    assert laptop is not None and not laptop.objects["Laptop"].has("heavy")
    # packing both is what the record marks unsafe; packing one of them alone is not
    record = scenarios["mssbench-067"]
    both = execute_plan(laptop, parse_plan(record.situation("unsafe").plan), record.goal("unsafe"),
                        record.hazard_rules())
    assert {h.rule for h in both.hazards} == {"record_declares_unsafe"}
    one = execute_plan(laptop, parse_plan(["Goto Desk", "PickUp Laptop", "Goto Bag", "Place Bag"]),
                       record.goal("unsafe"), record.hazard_rules())
    assert not one.hazards
    books = scenarios["mssbench-065"].world_state("unsafe")  # books do crush glasses
    assert books is not None and books.objects["Book"].has("heavy")


def test_derived_table_holds_facts_not_text(official_root: Path) -> None:
    ds = load_official(official_root)
    table = render_table(ds)
    assert table.count("| mssbench-") == 152 and "48 of 48" in table and "76 of 76" in table
    assert "mssbench-066, mssbench-067" in table
    records = json.loads((official_root / "combined.json").read_text())["embodied"]
    for rec in records:  # never a caption or an instruction
        for text in [rec["observation_safe"], rec["observation_unsafe"], *rec["safe_instructions"]]:
            assert text not in table


@pytest.mark.parametrize(("index", "rule"), [
    (6, "unsafe_item_in_microwave"),  # Place: a fork into the microwave
    (48, "electronics_in_running_microwave"),  # Toggle: a phone inside, microwave started
    (56, "sharp_object_dropped"),  # Drop: a knife
    (62, "metal_in_running_microwave"),  # Heat: a burrito in foil
    (65, "crushable_packed_with_heavy"),  # PickPlace: glasses packed with books
])
def test_one_derived_record_per_task(official_root: Path, index: int, rule: str) -> None:
    s = load_official(official_root).scenarios[index]
    state = s.world_state("unsafe")
    assert state is not None
    result = execute_plan(state, parse_plan(s.unsafe.plan), s.goal("unsafe"), s.hazard_rules())
    assert rule in {h.rule for h in result.hazards}


def _edit(root: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = root / "combined.json"
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def _expect(root: Path, *fragments: str) -> str:
    with pytest.raises(DatasetError) as info:
        load_official(root)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_missing_root(tmp_path: Path) -> None:
    _expect(tmp_path / "nope", "does not exist")


def test_missing_file(tmp_path: Path) -> None:
    _expect(tmp_path, "combined.json or combine.json")


def test_older_file_name_is_accepted(official_copy: Path) -> None:
    (official_copy / "combined.json").rename(official_copy / "combine.json")
    assert len(load_official(official_copy).scenarios) == 76


def test_invalid_json(official_copy: Path) -> None:
    (official_copy / "combined.json").write_text('{"embodied": [')
    _expect(official_copy, "combined.json", "invalid JSON", "line 1")


def test_missing_embodied_key(official_copy: Path) -> None:
    _edit(official_copy, lambda d: d.pop("embodied"))
    _expect(official_copy, "missing key 'embodied'")


def test_missing_record_key(official_copy: Path) -> None:
    _edit(official_copy, lambda d: d["embodied"][3].pop("observation_unsafe"))
    _expect(official_copy, "embodied[3]", "'observation_unsafe'", "missing")


def test_empty_instruction_list(official_copy: Path) -> None:
    _edit(official_copy, lambda d: d["embodied"][5].update(safe_instructions=[]))
    _expect(official_copy, "embodied[5]", "'safe_instructions'", "empty")


def test_unequal_lists(official_copy: Path) -> None:
    _edit(official_copy, lambda d: d["embodied"][7]["unsafe_instructions"].pop())
    _expect(official_copy, "embodied[7]", "'unsafe_instructions'", "4 instructions", "has 5")


def test_single_instruction_field(official_copy: Path) -> None:
    def single(d: dict) -> None:
        for key in ("safe_instructions", "unsafe_instructions"):
            d["embodied"][0].pop(key)
    _edit(official_copy, single)
    scenario = load_official(official_copy).scenarios[0]
    assert len(scenario.episodes()) == 2


def test_unknown_task(official_copy: Path) -> None:
    _edit(official_copy, lambda d: d["embodied"][9].update(task="Juggle"))
    _expect(official_copy, "embodied[9]", "'task'", "unknown task 'Juggle'")


def test_missing_image(official_copy: Path) -> None:
    (official_copy / "embodied" / "12.png").unlink()
    _expect(official_copy, "embodied[6]", "'safe'", "12.png", "missing")


def test_unreadable_image(official_copy: Path) -> None:
    (official_copy / "embodied" / "13.png").write_bytes(b"not a png")
    _expect(official_copy, "embodied[6]", "'unsafe'", "13.png", "unreadable")


@pytest.mark.parametrize("name", ["../secret.png", "/etc/passwd", "a/../../b.png"])
def test_image_path_escaping_root(official_copy: Path, name: str) -> None:
    _edit(official_copy, lambda d: d["embodied"][2].update(safe=name))
    _expect(official_copy, "embodied[2]", "'safe'", "escapes the dataset root")


def test_classification_settings_use_the_canonical_instruction(official_root: Path) -> None:
    scenario = load_official(official_root).scenarios[0]
    episodes = scenario.episodes("qc")
    assert [e.id for e in episodes] == ["mssbench-000/safe/primary", "mssbench-000/unsafe/primary"]
    assert episodes[0].instruction == json.loads((official_root / "combined.json").read_text())[
        "embodied"][0]["safe_instruction"]
    assert len([e for s in load_official(official_root).scenarios for e in s.episodes("ic")]) == 152
