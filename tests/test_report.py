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


# -- intervals, every judge, comparability, formats ----------------------------------------------
@pytest.fixture(scope="module")
def contrast(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """comply, refuse and the scripted cautious model on 12 scenarios; comply also in the qc setting."""
    base = tmp_path_factory.mktemp("contrast")
    scenes = scene_subset(base / "scenes", 12)
    opts = ExecOptions(progress=False)
    runs = {}
    for name in ("comply", "refuse", "cautious"):
        runs[name] = base / name
        run_eval(RunSpec(name, judges=("rules", "execution"), scenes=str(scenes), plugins=("tests.support.harness",)),
                 runs[name], opts)
    runs["comply-qc"] = base / "comply-qc"
    run_eval(RunSpec("comply", scenes=str(scenes), setting="qc"), runs["comply-qc"], opts)
    return runs


def test_bootstrap_intervals_are_seeded_clustered_and_honest(contrast: dict[str, Path]) -> None:
    from mss_embodied.harness.report import BootstrapSpec, cluster_intervals

    comply, cautious = load_run(contrast["comply"]), load_run(contrast["cautious"])
    assert comply.metrics["ci"]["overall"]["safe_accuracy"] == [1.0, 1.0]  # a constant policy: no spread
    ci = cautious.metrics["ci"]["overall"]
    for key in ("safe_accuracy", "unsafe_accuracy", "average_accuracy", "hazard_rate_unsafe", "over_refusal_safe"):
        point = cautious.metrics.get(key, cautious.metrics["execution"].get(key))
        assert ci[key][0] <= point <= ci[key][1] and ci[key][0] < ci[key][1], key
    rows = cautious.rows
    assert cluster_intervals(rows, "rules", BootstrapSpec(seed=5)) == cluster_intervals(rows, "rules",
                                                                                        BootstrapSpec(seed=5))
    assert cluster_intervals(rows, "rules", BootstrapSpec(seed=5)) != cluster_intervals(rows, "rules",
                                                                                        BootstrapSpec(seed=6))
    # resampling whole scenarios: one scenario copied ten times is no more certain than once
    one = [r for r in rows if r.scenario_id == rows[0].scenario_id]
    assert cluster_intervals(one, "rules")["safe_accuracy"] is None  # a single cluster has no interval
    sizes = {name: b["n_scenarios"] for name, b in cautious.metrics["by_task"].items()}
    assert sum(sizes.values()) == 12 and cautious.metrics["n_scenarios"] == 12


def test_contrasting_runs_report_the_trade_off(contrast: dict[str, Path], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    paths = [str(contrast[n]) for n in ("comply", "refuse", "cautious")]
    assert main(["report", *paths, "--out", str(tmp_path / "r")]) == 0
    text = (tmp_path / "r" / "report.md").read_text()
    assert "> **Warning:**" not in text  # same data, setting, protocol, judges and selection
    assert "| Drop | cautious |" in text and "| Heat | refuse |" in text
    assert "| cautious | execution |" in text and "Hazard rate (unsafe)" in text
    assert capsys.readouterr().err == ""
    assert main(["report", str(contrast["comply"]), str(contrast["comply-qc"])]) == 0
    captured = capsys.readouterr()
    assert "the runs differ in setting (comply: \"if\"; comply-qc: \"qc\")" in captured.err
    assert "> **Warning:** the runs differ in setting" in captured.out
    assert "primary judge" not in captured.err  # both use rules


def test_failed_secondary_judge_is_visible(tmp_path: Path) -> None:
    from tests.support.openai_server import FakeOpenAIServer, Fault

    scenes = scene_subset(tmp_path / "scenes", 2)
    with FakeOpenAIServer(responder=lambda req: Fault("500")) as srv:
        run_eval(RunSpec("comply", judges=("rules", "llm:judge-model"), scenes=str(scenes),
                         judge_options={"base_url": srv.base_url, "max_attempts": 1}), tmp_path / "r",
                 ExecOptions(progress=False, max_consecutive_errors=0))  # the breaker would stop a dead judge
    run = load_run(tmp_path / "r")
    block = run.metrics["by_judge"]["llm:judge-model"]
    assert block["n_failed"] == 20 and block["n_scored"] == 0 and block["n_invalid"] == 0
    text = render_markdown([run])
    assert "| r | llm:judge-model | 0 | – | – | – | 20 | 0 | 0 | judge call failed: HTTP 500" in text
    assert "judge llm:judge-model failed or gave no valid verdict on 20 of 20 answers" in text
    assert run.metrics["agreement"]["llm:judge-model"]["four_class"]["excluded_b"] == 20


def test_csv_latex_and_json_formats(contrast: dict[str, Path], tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    paths = [str(contrast[n]) for n in ("comply", "cautious")]
    assert main(["report", *paths, "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    overall = {(r["run"], r["statistic"]): r for r in table if r["section"] == "overall"}
    assert float(overall[("comply", "safe_accuracy")]["value"]) == 1.0
    cautious = overall[("cautious", "unsafe_accuracy")]
    assert float(cautious["ci_low"]) <= float(cautious["value"]) <= float(cautious["ci_high"])
    assert {r["section"] for r in table} == {"overall", "task", "category", "execution", "judge"}
    assert main(["report", *paths, "--format", "latex", "--out", str(tmp_path / "tex"), "--no-plots"]) == 0
    tex = (tmp_path / "tex" / "report.tex").read_text()
    assert "\\begin{tabular}" in tex and "\\toprule" in tex and "property\\_damage" in tex
    assert "{\\scriptsize[" in tex
    capsys.readouterr()
    assert main(["report", *paths, str(contrast["comply-qc"]), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["warnings"] and data["runs"][1]["metrics"]["ci"]["resamples"] == 2000
