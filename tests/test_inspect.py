"""The inspect_ai task: ``inspect eval mss_embodied/embodied`` offline with mockllm and against a loopback
OpenAI-compatible server; the image in the samples and the log; this project's checker as the scorer."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("inspect_ai")

from inspect_ai import eval as inspect_eval
from inspect_ai.log import read_eval_log
from inspect_ai.model import ModelOutput, ModelUsage, get_model

from mss_embodied.integrations.inspect_task import embodied
from tests.support.openai_server import FakeOpenAIServer, Reply

INSPECT = Path(sys.executable).with_name("inspect")
#: inspect namespaces a task by the installed package it comes from; with the source folder on PYTHONPATH it
#: would be plain ``embodied``, so the subprocesses see the installed (editable) package only.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def _text(message: Any) -> str:
    content = message.content
    return content if isinstance(content, str) else "".join(getattr(c, "text", "") for c in content)


def scripted(messages: list[Any], tools: Any, tool_choice: Any, config: Any) -> ModelOutput:
    """The policy plans for heating tasks and refuses the rest; as the judge (no image), it answers a class."""
    last = messages[-1]
    has_image = not isinstance(last.content, str) and any(c.type == "image" for c in last.content)
    text = _text(last)
    if not has_image:
        answer = "It declines. <answer>0</answer>" if "won't" in text else "It plans. <answer>2</answer>"
    elif "microwave" in text.lower():
        answer = "1. Goto Microwave\n2. Toggle Microwave"
    elif "fork" in text.lower():
        answer = ""  # an empty completion: a failed call, never a refusal
    else:
        answer = "I won't do this, it looks unsafe."
    out = ModelOutput.from_content(model="mockllm", content=answer)
    out.usage = ModelUsage(input_tokens=10, output_tokens=5, total_tokens=15)  # mockllm counts with tiktoken else
    return out


def test_entry_point_exposes_the_task() -> None:
    eps = {ep.name: ep.value for ep in metadata.entry_points(group="inspect_ai")}
    assert eps.get("mss_embodied") == "mss_embodied.integrations._registry"


def test_mockllm_offline_samples_images_scores_and_metrics(tmp_path: Path) -> None:
    task = embodied(judge="rules,execution,llm", task_type="Heat,Place", sample=24, seed=2)
    assert len(task.dataset) == 24
    sample = task.dataset[0]
    parts: Any = sample.input[0].content  # type: ignore[index, union-attr]
    assert [p.type for p in parts] == ["text", "image"] and parts[1].image.startswith("data:image/png;base64,")
    instruction = (sample.metadata or {})["instruction"]
    assert parts[0].text.startswith("You are a household robot") and instruction in parts[0].text
    logs = inspect_eval(task, model=get_model("mockllm/model", custom_outputs=scripted), log_dir=str(tmp_path),
                        display="none")
    log = read_eval_log(logs[0].location, resolve_attachments=True)
    assert log.status == "success" and log.samples is not None and len(log.samples) == 24
    image: Any = log.samples[0].input[0].content[1]  # type: ignore[index, union-attr]
    assert image.image.startswith("data:image/png;base64,")  # what `inspect view` shows with the sample
    metrics = {name: m.value for name, m in log.results.scores[0].metrics.items()}  # type: ignore[union-attr]
    for name in ("safe_accuracy", "unsafe_accuracy", "average_accuracy", "Heat/safe", "Place/unsafe",
                 "property_damage/average", "hazard_rate_unsafe", "warned_but_executed", "rules/average",
                 "execution/average", "llm/average", "llm/no_verdict"):
        assert name in metrics, name
    scored: list[Any] = [s.scores["mss_checker"] for s in log.samples]  # type: ignore[index]
    heat = [s for s in scored if s.metadata["task"] == "Heat"]
    assert all(set(s.metadata["scores"]) == {"rules", "execution", "llm"} for s in scored)
    assert all(s.metadata["scores"]["rules"]["label"] == 2 for s in heat if not math.isnan(s.value))
    unscored = [s for s in scored if isinstance(s.value, float) and math.isnan(s.value)]
    assert all("empty completion" in (s.explanation or "") for s in unscored)
    assert metrics["Heat/safe"] == 1.0 and metrics["Heat/unsafe"] == 0.0 and metrics["Place/unsafe"] == 1.0


def test_inspect_cli_against_a_loopback_openai_server(tmp_path: Path) -> None:
    def responder(req: Any) -> Reply:
        if req.image_urls:
            return Reply("1. Goto Microwave\n2. Place Microwave")
        return Reply("The answer plans the task. <answer>2</answer>")

    with FakeOpenAIServer(responder=responder) as srv:
        env = {**ENV, "OPENAI_API_KEY": "sk-test"}
        cmd = [str(INSPECT), "eval", "mss_embodied/embodied", "--model", "openai/fake-model", "--model-base-url",
               srv.base_url, "-M", "responses_api=false", "-T", "sample=10", "-T", "judge=[rules,llm]",
               "--log-dir", str(tmp_path), "--display", "plain", "--max-connections", "4"]
        run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240, cwd=tmp_path)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        policy = [r for r in srv.requests if r.image_urls]
        judge = [r for r in srv.requests if not r.image_urls]
    assert len(policy) == 10 and len(judge) == 10
    assert all(r.image_urls[0].startswith("data:image/png;base64,") and r.texts[0].startswith("You are")
               for r in policy)
    assert all("<answer>" in r.user_text for r in judge)  # the protocol's rubric prompt
    log = read_eval_log(str(next(tmp_path.glob("*.eval"))))
    metrics = log.results.scores[0].metrics  # type: ignore[union-attr]
    assert metrics["safe_accuracy"].value == 1.0 and metrics["unsafe_accuracy"].value == 0.0
    assert metrics["llm/average"].value == 0.5 and log.eval.task_args["sample"] == 10


def _tiktoken_offline() -> bool:
    try:
        import tiktoken

        tiktoken.get_encoding("o200k_base")
    except Exception:
        return False
    return True


def test_inspect_cli_with_mockllm(tmp_path: Path) -> None:
    if not _tiktoken_offline():
        pytest.skip("inspect's mockllm counts tokens with tiktoken's o200k_base, which is not cached here and "
                    "cannot be downloaded offline (the Python-API test above covers mockllm)")
    run = subprocess.run([str(INSPECT), "eval", "mss_embodied/embodied", "--model", "mockllm/model", "--limit", "6",
                          "--log-dir", str(tmp_path), "--display", "none"],
                         env=ENV, capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    log = read_eval_log(str(next(tmp_path.glob("*.eval"))))
    assert log.status == "success" and len(log.samples or []) == 6
