"""``mss-embodied report``: tables over runs side by side, JSON, and PNG plots."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import tests.support.harness  # noqa: F401  (registers flaky)
from mss_embodied.cli import main
from mss_embodied.harness.report import PlotsUnavailableError, load_run, render_markdown, write_plots
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import ExecOptions, RunSpec
from tests.support.harness import scene_subset

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("runs")
    scenes = scene_subset(base / "scenes", 4)
    opts = ExecOptions(progress=False)
    run_eval(RunSpec("comply", scenes=str(scenes)), base / "comply", opts)
    run_eval(RunSpec("flaky", judges=("rules", "execution"), scenes=str(scenes)), base / "flaky", opts)
    return base / "comply", base / "flaky"


def test_report_two_runs_writes_tables_and_valid_pngs(runs: tuple[Path, Path], tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "report"
    assert main(["report", *map(str, runs), "--out", str(out)]) == 0
    text = (out / "report.md").read_text()
    for heading in ("## Accuracy", "## By task type", "## By category", "## Execution", "## Every judge",
                    "## Errors", "## Judge agreement"):
        assert heading in text
    assert ("| comply | comply | if | rules | 40 | 4 | 20 / 20 | 100.0 [100.0, 100.0] | 0.0 [0.0, 0.0] | "
            "50.0 [50.0, 50.0] | 0 | 0 |") in text
    assert "RuntimeError: connection reset" in text and "| flaky | rules vs execution |" in text
    assert "| flaky | execution |" in text  # the secondary judge has its own row
    for name in ("accuracy.png", "safe_vs_unsafe.png", "by_category.png", "by_task.png", "execution.png",
                 "judges.png"):
        data = (out / name).read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 1000, name
        from PIL import Image

        with Image.open(out / name) as img:
            img.verify()


def test_report_json_and_stdout(runs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", *map(str, runs), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    comply, flaky = data["runs"]
    assert comply["metrics"]["average_accuracy"] == 0.5 and comply["metrics"]["execution"]["hazard_rate_unsafe"] == 1
    assert flaky["metrics"]["n_errors"] > 0 and flaky["config"]["judges"] == ["rules", "execution"]
    assert main(["report", str(runs[0])]) == 0
    assert capsys.readouterr().out.startswith("# MSS-Embodied report")


def test_report_matches_metrics_json(runs: tuple[Path, Path]) -> None:
    for run in runs:
        stored = json.loads((run / "metrics.json").read_text())
        assert load_run(run).metrics == stored


def test_report_over_an_unfinished_run(runs: tuple[Path, Path], tmp_path: Path) -> None:
    import shutil

    partial = tmp_path / "partial"
    shutil.copytree(runs[0], partial)
    lines = (partial / "results.jsonl").read_text().splitlines(keepends=True)
    (partial / "results.jsonl").write_text("".join(lines[:15]) + lines[15][:20])  # killed mid-write
    run = load_run(partial)
    assert run.metrics["n_episodes"] == 15 and not run.metrics["complete"]
    assert "15 of 40" in render_markdown([run])
    assert (partial / "results.jsonl").read_text().endswith(lines[15][:20])  # report never edits a run


def test_report_bad_folders_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "absent")]) == 2
    assert "absent: not a run folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty")]) == 2
    assert "no results.jsonl" in capsys.readouterr().err


def test_missing_matplotlib_is_a_clear_message(runs: tuple[Path, Path], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(PlotsUnavailableError, match=r"mss-embodied\[report\]"):
        write_plots([load_run(runs[0])], tmp_path)
    assert main(["report", str(runs[0]), "--out", str(tmp_path / "r")]) == 1
    assert (tmp_path / "r" / "report.md").is_file()
    assert "pip install 'mss-embodied[report]'" in capsys.readouterr().err


def test_report_over_a_run_killed_before_its_first_result(runs: tuple[Path, Path], tmp_path: Path) -> None:
    started = tmp_path / "started"
    started.mkdir()
    (started / "config.json").write_bytes((runs[0] / "config.json").read_bytes())
    run = load_run(started)
    assert run.metrics["n_episodes"] == 0 and not run.metrics["complete"]
    assert "0 of 40" in render_markdown([run])
