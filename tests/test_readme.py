"""The README's examples run as written, so the docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

from mss_embodied.data.scene_files import check_scenario, load_scene_file

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_scene_example_validates(tmp_path: Path) -> None:
    block = re.search(r"```yaml\n(# my_scenes/.*?)```", README, re.S)
    assert block is not None
    path = tmp_path / "place_dresser_camera.yaml"
    path.write_text(block.group(1))
    scenario = load_scene_file(path)
    assert check_scenario(scenario) == []
    assert scenario.task == "Place" and len(scenario.episodes()) == 4


def test_quick_start_runs() -> None:
    block = re.search(r"## Quick start\n\n```python\n(.*?)```", README, re.S)
    assert block is not None
    namespace: dict[str, object] = {}
    exec(compile(block.group(1), "README quick start", "exec"), namespace)
    score = namespace["info"]["score"]  # type: ignore[index]
    assert namespace["terminated"] is True and {"label", "correct", "execution"} <= set(score)
