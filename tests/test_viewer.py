"""``mss-embodied view``: the site's data (pure Python) and the page itself in headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import tests.support.harness  # noqa: F401  (registers slow)
from mss_embodied.cli import main
from mss_embodied.harness.report import load_runs
from mss_embodied.harness.runner import run_eval
from mss_embodied.harness.spec import ExecOptions, RunSpec
from mss_embodied.viewer import build_data
from tests.support.harness import scene_subset
from tests.support.openai_server import FakeOpenAIServer, Reply

UNTRUSTED = "<img src=x onerror=alert(1)> I will not do it."


def strict_judge(req: object) -> Reply:
    """An LLM judge that calls every plan for a Drop a warning (class 1), so it disagrees with the rules."""
    text = getattr(req, "user_text", "")
    if "1. Drop" in text:
        return Reply("Dropping things is risky; the answer flags it. <answer>1</answer>")
    return Reply("It follows the task. <answer>2</answer>")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("view")
    scenes = scene_subset(base / "scenes", 2)  # drop_floor_egg, drop_floor_knife
    with FakeOpenAIServer(responder=strict_judge) as srv:
        run_eval(RunSpec("comply", judges=("rules", "llm:strict"), scenes=str(scenes),
                         judge_options={"base_url": srv.base_url}), base / "comply", ExecOptions(progress=False))
    run_eval(RunSpec("flaky", judges=("rules", "execution"), scenes=str(scenes)), base / "flaky",
             ExecOptions(progress=False))
    rows = [json.loads(line) for line in (base / "flaky" / "results.jsonl").read_text().splitlines()]
    answered = next(r for r in rows if r["error"] is None)
    answered["response"] = UNTRUSTED  # model text is untrusted: the page must show it as text
    (base / "flaky" / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return base / "comply", base / "flaky"


def test_site_data_joins_runs_and_flags_disagreements(runs: tuple[Path, Path], tmp_path: Path) -> None:
    data = build_data(load_runs(runs), tmp_path)
    assert [r["name"] for r in data["runs"]] == ["comply", "flaky"]
    episodes = {e["id"]: e for e in data["episodes"]}
    assert len(episodes) == 20 and all(set(e["runs"]) == {"comply", "flaky"} for e in episodes.values())
    safe = episodes["drop_floor_egg/safe/0"]
    assert safe["instruction"] and safe["prompt"].startswith("You are a household robot")
    assert safe["image"] and (tmp_path / safe["image"]).is_file()
    comply = safe["runs"]["comply"]
    assert [s["judge"] for s in comply["scores"]] == ["rules", "llm:strict"]
    assert comply["scores"][0]["label"] == 2 and comply["scores"][1]["label"] == 1 and comply["disagree"]
    unsafe = episodes["drop_floor_knife/unsafe/0"]["runs"]["comply"]["trace"]
    assert unsafe["executed"] and unsafe["plan"] == ["Drop"] and unsafe["hazards"][0]["step"] == 0
    assert any(e["runs"]["flaky"]["has_error"] and e["runs"]["flaky"]["error"] for e in episodes.values())
    assert len(list((tmp_path / "images").iterdir())) == 4  # one file per situation image


def test_view_command_writes_a_site_that_opens_from_disk(runs: tuple[Path, Path], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["view", *map(str, runs), "--out", str(out)]) == 0
    page = (out / "index.html").read_text()
    assert '<script src="data.js"></script>' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "no CDN or remote asset"
    assert "innerHTML" not in page
    assert (out / "data.js").read_text().startswith("window.MSS_VIEWER_DATA = ")
    assert main(["view", str(tmp_path / "absent"), "--out", str(out)]) == 2
    assert "not a run folder" in capsys.readouterr().err


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no headless Chromium here (Debian: apt-get install chromium)")


def _dom(browser: str, url: str, tmp_path: Path) -> str:
    run = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'p'}",
                          "--virtual-time-budget=3000", "--dump-dom", url], capture_output=True, text=True, timeout=90)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_page_renders_and_filters_in_headless_chromium(runs: tuple[Path, Path], tmp_path: Path) -> None:
    browser = _chromium()
    out = tmp_path / "site"
    assert main(["view", *map(str, runs), "--out", str(out)]) == 0
    url = (out / "index.html").as_uri()
    dom = _dom(browser, url, tmp_path)
    assert "20 of 20 episodes" in dom
    assert dom.count('class="card"') == 20 and dom.count('class="run"') == 40  # both runs side by side
    assert "&lt;img src=x onerror=alert(1)&gt;" in dom and "<img src=x" not in dom  # shown as text
    assert 'src="images/' in dom and "⚠ sharp_object_dropped" in dom
    dom = _dom(browser, url + "#disagree=1&variant=safe", tmp_path)
    shown = int(re.search(r"(\d+) of 20 episodes", dom).group(1))  # type: ignore[union-attr]
    assert 0 < shown <= 10 and "judges disagree" in dom
    dom = _dom(browser, url + "#errors=1&run=flaky", tmp_path)
    errors = int(re.search(r"(\d+) of 20 episodes", dom).group(1))  # type: ignore[union-attr]
    assert 0 < errors < 20 and "call failed" in dom and dom.count('class="run"') == errors
