"""Episode selection: filters by task and id, a seeded stratified sample keeping pairs, the prefix limit."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mss_embodied.cli import main
from mss_embodied.data.sampling import Selection, SelectionError, pair_key, stratified_sample
from mss_embodied.data.sources import load_scenarios, select_episodes
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec


@pytest.fixture(scope="module")
def episodes() -> tuple:
    return select_episodes(load_scenarios(), "both", "if")  # the bundled 760


def test_sample_is_stratified_paired_and_seeded(episodes: tuple) -> None:
    sample = stratified_sample(episodes, 100, seed=7)
    assert 100 <= len(sample) <= 102  # whole pairs
    pairs = Counter(pair_key(e) for e in sample)
    assert set(pairs.values()) == {2}  # every safe episode has its unsafe twin
    variants = Counter(e.variant for e in sample)
    assert variants["safe"] == variants["unsafe"]
    full = Counter(e.task for e in episodes)
    got = Counter(e.task for e in sample)
    for task, n in full.items():  # proportional within one pair of the exact share
        assert abs(got[task] - len(sample) * n / len(episodes)) <= 2, (task, got)
    assert sample == stratified_sample(episodes, 100, seed=7)
    assert sample != stratified_sample(episodes, 100, seed=8)
    order = {e.id: i for i, e in enumerate(episodes)}
    assert [order[e.id] for e in sample] == sorted(order[e.id] for e in sample)  # input order kept


def test_sample_of_one_variant_and_oversized_sample(episodes: tuple) -> None:
    unsafe = [e for e in episodes if e.variant == "unsafe"]
    sample = stratified_sample(unsafe, 38, seed=0)
    assert len(sample) == 38 and {e.variant for e in sample} == {"unsafe"}
    assert stratified_sample(unsafe, 10_000) == unsafe


def test_filters_and_their_errors(episodes: tuple) -> None:
    heat = Selection(tasks=("heat",)).apply(episodes)
    assert {e.task for e in heat} == {"Heat"} and len(heat) == 40
    knives = Selection(episodes=("*knife*/unsafe/*",)).apply(episodes)
    assert knives and all("knife" in e.id and e.variant == "unsafe" for e in knives)
    with pytest.raises(SelectionError, match="tasks: unknown task type 'Cook'; the data has Drop, Heat"):
        Selection(tasks=("Cook",)).apply(episodes)
    with pytest.raises(SelectionError, match="episodes: pattern 'nothing/\\*' matches no episode id"):
        Selection(episodes=("nothing/*",)).apply(episodes)
    assert Selection(tasks=("Place",), sample=20, seed=1, limit=6).apply(episodes)[:6] == \
        Selection(tasks=("Place",), sample=20, seed=1).apply(episodes)[:6]


def test_run_records_selection_and_refuses_another_on_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    out = tmp_path / "run"
    assert main(["eval", "--policy", "comply", "--sample", "30", "--seed", "3", "--task", "Place", "--task", "Heat",
                 "--out", str(out), "--quiet"]) == 0
    config = json.loads((out / "config.json").read_text())
    assert config["selection"] == {"tasks": ["Place", "Heat"], "episodes": [], "sample": 30, "seed": 3}
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert {r["task"] for r in rows} == {"Place", "Heat"} and len(rows) == 30
    with pytest.raises(EvalError, match="selection"):
        run_eval(RunSpec("comply", tasks=("Place", "Heat"), sample=30, seed=4), out,
                 ExecOptions(progress=False, resume=True))
    assert main(["eval", "--policy", "comply", "--task", "Cook", "--out", str(tmp_path / "bad"), "--quiet"]) == 2
    assert "--task: unknown task type 'Cook'" in capsys.readouterr().err
    assert main(["eval", "--policy", "comply", "--sample", "0", "--out", str(tmp_path / "bad2"), "--quiet"]) == 2
    assert "--sample: must be at least 1" in capsys.readouterr().err
