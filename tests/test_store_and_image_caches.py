"""Group commit of result rows, the image provider's byte-bounded cache and the renderer's frame key."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import mss_embodied.harness.group_commit as store_module
from mss_embodied.data.scenario import Episode
from mss_embodied.data.scene_files import load_scenes
from mss_embodied.harness.group_commit import SYNC_ROWS
from mss_embodied.harness.rows import ResultRow
from mss_embodied.harness.store import RunStore
from mss_embodied.render.base import ViewSpec
from mss_embodied.render.mujoco.renderer import frame_key
from mss_embodied.render.provider import ImageProvider
from mss_embodied.scoring.score import Score
from mss_embodied.world.state import ObjectState, WorldState
from tests.support.harness import scene_subset


def row(i: int) -> ResultRow:
    return ResultRow(episode_id=f"s/safe/{i}", scenario_id="s", variant="safe", task="Place", category="c",
                     scores={"rules": Score(judge="rules", label=2)}, paraphrase=i, setting="if",
                     prompt_hash="0" * 16, image_id="img", response="1. Goto Sink")


def recording(real: Callable[[int], None], calls: list[int]) -> Callable[[int], None]:
    """``real`` (a sync call), noting each file descriptor it is called with."""
    def call(fd: int) -> None:
        calls.append(fd)
        real(fd)

    return call


def test_rows_are_group_committed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    syncs: list[int] = []  # the group commit's data syncs
    full_syncs: list[int] = []  # one-off fsyncs
    monkeypatch.setattr(store_module, "_fdatasync", recording(store_module._fdatasync, syncs))
    monkeypatch.setattr(os, "fsync", recording(os.fsync, full_syncs))
    store = RunStore(tmp_path / "run")
    n = 5 * SYNC_ROWS
    for i in range(n):
        store.add_prompt(f"{i:016x}", f"prompt {i}")  # a new prompt for every row, written before it
        store.append(row(i))
    assert len(RunStore(tmp_path / "run").load_results(repair=False)) == n  # written at once, synced later
    assert len(RunStore(tmp_path / "run").load_prompts()) == n
    store.close()
    assert not full_syncs, "no fsync per prompt"
    assert 2 <= len(syncs) <= 2 * (n // SYNC_ROWS + 2), "one sync per group, not per row"
    prompts_fd, results_fd = syncs[0], syncs[1]
    assert prompts_fd != results_fd and syncs[::2] == [prompts_fd] * (len(syncs) // 2), "prompts first in each group"
    syncs.clear()
    store = RunStore(tmp_path / "run")
    store.append(row(n))
    deadline = time.monotonic() + 5
    while not syncs and time.monotonic() < deadline:  # a lone row reaches the disk within the interval
        time.sleep(0.01)
    assert syncs, "a single row was not synced in time"
    store.close()
    assert len(RunStore(tmp_path / "run").load_results()) == n + 1


def test_image_cache_holds_the_scene_set_and_is_bounded_by_bytes(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    scenes = load_scenes(scene_subset(tmp_path / "scenes", 8))
    episodes = [e for s in scenes for e in s.episodes()]
    loads: list[str] = []
    original = ImageProvider._load

    def counting(self: ImageProvider, episode: Episode) -> np.ndarray:
        loads.append(episode.id)
        return original(self, episode)

    monkeypatch.setattr(ImageProvider, "_load", counting)
    provider = ImageProvider()
    rng = np.random.default_rng(0)
    for _ in range(3):  # random-order sweeps decode each situation once
        for i in rng.permutation(len(episodes)):
            provider.original(episodes[i])
    assert len(loads) == 16
    path = episodes[0].scenario.image_path(episodes[0].variant)
    assert path is not None and provider.original_file(episodes[0]) == path.read_bytes()
    probe = ImageProvider()
    probe.original(episodes[0])
    one = probe._bytes  # pixels and file of one situation
    small = ImageProvider(cache_bytes=3 * one)
    for ep in episodes:
        small.original(ep)
    assert small._bytes <= 3 * one and 2 <= len(small._cache) <= 3
    counted = ImageProvider(cache_size=2)
    for ep in episodes[:30]:
        counted.original(ep)
    assert len(counted._cache) == 2


def test_frame_key_follows_every_field_without_building_the_scene() -> None:
    state = WorldState({"Fork": ObjectState("Fork", "Fork", parent="Microwave"),
                        "Microwave": ObjectState("Microwave", "Microwave")}, agent_at="Microwave")
    view = ViewSpec(room="kitchen", focus="Microwave")
    key = frame_key(state, view, (512, 512), 0, False)
    assert key == frame_key(state.copy(), view, (512, 512), 0, False)
    hash(key)
    on = state.copy()
    on.objects["Microwave"] = replace(on.objects["Microwave"], is_on=True)
    others = [frame_key(on, view, (512, 512), 0, False), frame_key(state, view, (256, 256), 0, False),
              frame_key(state, view, (512, 512), 1, False), frame_key(state, ViewSpec(room="study"), (512, 512), 0,
                                                                      False),
              frame_key(replace(state, holding="Fork"), view, (512, 512), 0, False)]
    assert len({key, *others}) == 6
