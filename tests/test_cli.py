"""The ``mss-embodied`` command: help, the README's end-to-end run, and bad input (exit 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mss_embodied.cli import build_parser, main, parse_option
from tests.support.harness import scene_subset

ROOT = Path(__file__).resolve().parents[1]
SHARED_PROTOCOL = ROOT.parent / "shared" / "mssbench" / "protocol.json"


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scene_subset(tmp_path_factory.mktemp("scenes"), 2)


@pytest.mark.parametrize("argv", [[], ["eval"], ["report"], ["scenes"], ["scenes", "render"], ["download"],
                                  ["protocol"], ["protocol", "import"]])
def test_help_reads_well(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*argv, "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and "usage: mss-embodied" in out
    if argv in ([], ["eval"], ["report"]):
        assert "examples:" in out


def test_readme_run_end_to_end_on_bundled_scenes(tmp_path: Path) -> None:
    """`mss-embodied eval --policy comply --judge rules --out runs/comply-bundled && mss-embodied report ...`"""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "mss_embodied.cli", "eval", "--policy", "comply", "--judge", "rules",
                          "--out", "runs/comply-bundled", "--limit", "40"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "safe 100.0 | unsafe 0.0 | average 50.0" in run.stdout
    report = subprocess.run([sys.executable, "-m", "mss_embodied.cli", "report", "runs/comply-bundled"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=120)
    assert report.returncode == 0, report.stderr
    assert ("| comply-bundled | comply | if | rules | 40 | 4 | 20 / 20 | 100.0 [100.0, 100.0] | 0.0 [0.0, 0.0] | "
            "50.0 [50.0, 50.0] | 0 | 0 |") in report.stdout
    assert "comply-bundled is a prefix: the first 40 episodes" in report.stdout
    config = json.loads((tmp_path / "runs" / "comply-bundled" / "config.json").read_text())
    assert config["data"]["source"] == "bundled"


def test_eval_with_options_and_json_report(scenes: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "run"
    code = main(["eval", "--policy", "random:3", "--judge", "rules", "--judge", "execution", "--scenes", str(scenes),
                 "--setting", "cot", "--variant", "unsafe", "--concurrency", "3", "--policy-opt", "seed=7",
                 "--price-in", "1", "--price-out", "2", "--out", str(out), "--quiet"])
    assert code == 0, capsys.readouterr().err
    config = json.loads((out / "config.json").read_text())
    assert config["policy"]["options"] == {"seed": 7} and config["judges"] == ["rules", "execution"]
    assert config["setting"] == "cot" and config["variant"] == "unsafe"
    assert config["execution"]["price_per_mtok"] == {"input": 1.0, "output": 2.0}
    capsys.readouterr()
    assert main(["report", str(out), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["runs"][0]["metrics"]["n_episodes"] == 10 and "agreement" in data["runs"][0]["metrics"]


@pytest.mark.parametrize(("argv", "words"), [
    (["--setting", "xx"], "--setting: unknown value 'xx'"),
    (["--variant", "maybe"], "--variant: unknown value 'maybe'"),
    (["--policy-opt", "novalue"], "--policy-opt 'novalue': expected key=value"),
    (["--limit", "0"], "--limit: must be at least 1"),
    (["--concurrency", "0"], "--concurrency: must be at least 1"),
    (["--executor", "dask"], "--executor: unknown value 'dask'"),
    (["--protocol", "nosuch"], "protocol 'nosuch' is not imported"),
    (["--judge", "oracle"], "--judge: unknown judge 'oracle'"),
    (["--price-in", "-1"], "--price-in: must not be negative"),
])
def test_bad_values_exit_2_naming_the_value(argv: list[str], words: str, scenes: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSS_EMBODIED_HOME", str(tmp_path / "home"))
    code = main(["eval", "--policy", "comply", "--scenes", str(scenes), "--out", str(tmp_path / "r"), "--quiet", *argv])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err


def test_bad_scene_file_names_file_and_field(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "scenes"
    bad.mkdir()
    (bad / "broken.yaml").write_text("id: broken\ntask: Fly\ncategory: property\n")
    code = main(["eval", "--policy", "comply", "--scenes", str(bad), "--out", str(tmp_path / "r"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "broken.yaml" in err and "field 'task'" in err
    code = main(["eval", "--policy", "comply", "--scenes", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r")])
    assert code == 2 and "nowhere" in capsys.readouterr().err


def test_missing_images_without_renderer(scenes: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    image = next((scenes / "images").iterdir())
    moved = tmp_path / image.name
    image.rename(moved)
    try:
        code = main(["eval", "--policy", "comply", "--scenes", str(scenes), "--out", str(tmp_path / "r"), "--quiet"])
        err = capsys.readouterr().err
        assert code == 2 and image.name in err and "--renderer schematic" in err
        code = main(["eval", "--policy", "comply", "--scenes", str(scenes), "--out", str(tmp_path / "r2"), "--quiet",
                     "--renderer", "schematic"])
        assert code == 0
    finally:
        moved.rename(image)


def test_unreadable_image_mid_run_keeps_finished_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenes = scene_subset(tmp_path / "scenes", 2)
    last = sorted((scenes / "images").iterdir())[-1]
    last.write_bytes(b"not a png")
    out = tmp_path / "r"
    code = main(["eval", "--policy", "comply", "--scenes", str(scenes), "--out", str(out), "--quiet",
                 "--concurrency", "1"])
    err = capsys.readouterr().err
    assert code == 2 and f"image {last} is unreadable" in err and "--resume" in err
    assert len((out / "results.jsonl").read_text().splitlines()) == 15  # the episodes before it


def test_bad_prices_file(scenes: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prices = tmp_path / "prices.yaml"
    prices.write_text("gpt-4o: {input: cheap}\n")
    code = main(["eval", "--policy", "openai:gpt-4o", "--prices", str(prices), "--out", str(tmp_path / "r")])
    assert code == 2 and "prices.yaml: entry 'gpt-4o': prices must be numbers" in capsys.readouterr().err


def test_parse_option_values() -> None:
    assert parse_option("temperature=0.5", "--policy-opt") == ("temperature", 0.5)
    assert parse_option("base_url=http://x:8000/v1", "--policy-opt") == ("base_url", "http://x:8000/v1")
    assert parse_option("stop=[\"a\"]", "--policy-opt") == ("stop", ["a"])
    assert parse_option("flag=true", "--policy-opt") == ("flag", True)


def test_protocol_import(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSS_EMBODIED_HOME", str(tmp_path))
    assert main(["protocol", "import", str(tmp_path / "absent.json")]) == 2
    assert "absent.json" in capsys.readouterr().err
    if not SHARED_PROTOCOL.is_file():
        pytest.skip("shared protocol strings are not on this machine")
    assert main(["protocol", "import", str(SHARED_PROTOCOL), "--name", "official"]) == 0
    assert (tmp_path / "protocols" / "official.json").is_file()
    assert "--protocol official" in capsys.readouterr().out


def test_scenes_subcommands_delegate(scenes: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mss_embodied.authoring import tools as scene_tools

    calls: list[tuple] = []

    def record(*args: object) -> int:
        calls.append(args)
        return 0

    monkeypatch.setattr(scene_tools, "validate_command", record)
    monkeypatch.setattr(scene_tools, "render_command", record)
    assert main(["scenes", "validate", str(scenes), "--renderer", "schematic"]) == 0
    assert main(["scenes", "render", str(scenes), "--renderer", "schematic", "--size", "64", "--only", "x"]) == 0
    assert calls == [(scenes, "schematic"), (scenes, "schematic", 64, ["x"])]


def test_scenes_validate_real(scenes: Path) -> None:
    assert main(["scenes", "validate", str(scenes)]) == 0


def test_parser_builds() -> None:
    assert build_parser().prog == "mss-embodied"
