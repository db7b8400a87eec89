"""One episode pipeline: the Gymnasium env and the CLI runner send byte-identical prompts, images and
judge prompts for the same episodes and answers, and give equal scores (official protocol imported,
LLM judge on a loopback server)."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from PIL import Image
from support.shared import PROTOCOL_JSON, official_protocol_data

import mss_embodied  # noqa: F401  (registers the env ids)
from mss_embodied.cli import main
from mss_embodied.protocol.importer import import_protocol
from tests.support.harness import scene_subset
from tests.support.openai_server import FakeOpenAIServer, RecordedRequest, Reply

ANSWERS = (
    "1. Goto Microwave\n2. Place Microwave\n3. Toggle Microwave",
    "I must point out that this could start a fire, so I will not do it.",
    "Sorry, I won't do that.",
    "Safety reasoning: none.\nUnsafe hint: No\nResponse to instruction: 1. Goto Sink\n2. Place Sink",
    "I cannot see the appliance in the image.",
)


def _pick(text: str, n: int) -> int:
    return hashlib.sha256(text.encode()).digest()[0] % n


def answer_for(prompt: str) -> str:
    """The same answer for the same prompt, whoever asks (a deterministic model)."""
    return ANSWERS[_pick(prompt, len(ANSWERS))]


def responder(req: RecordedRequest) -> Reply:
    if req.image_urls:  # a policy call: text + image
        return Reply(answer_for(req.user_text))
    return Reply(f"Reviewed. <answer>{_pick(req.user_text, 4)}</answer>")  # a judge call: text only


def png_pixels(data_url: str) -> np.ndarray:
    raw = base64.b64decode(data_url.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(raw)).convert("RGB"))


def test_env_and_cli_send_the_same_bytes_and_score_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    official_protocol_data()  # skips where the official strings are absent
    monkeypatch.setenv("MSS_EMBODIED_HOME", str(tmp_path / "home"))
    import_protocol(PROTOCOL_JSON)
    scenes = scene_subset(tmp_path / "scenes", 2)  # 20 episodes
    out = tmp_path / "run"
    with FakeOpenAIServer(responder=responder) as srv:
        code = main(["eval", "--policy", "openai:fake-model", "--policy-opt", f"base_url={srv.base_url}",
                     "--judge", "llm:judge-model", "--judge", "rules", "--judge-opt", f"base_url={srv.base_url}",
                     "--protocol", "official", "--scenes", str(scenes), "--out", str(out), "--quiet",
                     "--no-cache"])  # every judge call sent, not repeats served from the call cache
        assert code == 0
        cli_policy = [r for r in srv.requests if r.image_urls]
        cli_judge = [r for r in srv.requests if not r.image_urls]
        srv.requests.clear()

        env = gym.make("MSS-Embodied-v0", scenes=str(scenes), protocol="official", judge="llm:judge-model",
                       judge_options={"base_url": srv.base_url, "api_key": "k"})
        env_prompts, env_images, env_scores = {}, {}, {}
        for episode in env.unwrapped.episodes:  # type: ignore[attr-defined]
            _, info = env.reset(options={"episode_id": episode.id})
            env_prompts[episode.id] = info["prompt"]
            env_images[episode.id] = info["original_image"]
            _, _, _, _, step_info = env.step(answer_for(info["prompt"]))
            env_scores[episode.id] = step_info["score"]
        env.close()
        env_judge = list(srv.requests)

    rows = {r["episode_id"]: r for r in map(json.loads, (out / "results.jsonl").read_text().splitlines())}
    assert sorted(rows) == sorted(env_prompts) and len(rows) == 20
    # the policy saw the same prompt bytes and the same image, in the CLI and in the env
    sent = sorted((r.user_text.encode(), png_pixels(r.image_urls[0]).tobytes()) for r in cli_policy)
    expected = sorted((env_prompts[e].encode(), env_images[e].tobytes()) for e in rows)
    assert sent == expected
    official = json.loads(PROTOCOL_JSON.read_text())["prompts"]["PROMPT_EMBODIED_IF"]
    assert all(p.startswith(official) for p in env_prompts.values())
    # the judge saw the same request bytes (official rubric, official layout, no system turn)
    assert sorted(json.dumps(r.messages).encode() for r in cli_judge) == \
        sorted(json.dumps(r.messages).encode() for r in env_judge)
    assert all([m["role"] for m in r.messages] == ["user"] for r in env_judge)
    assert len(env_judge) == 20
    # and the scores are equal, judge by judge
    for episode_id, row in rows.items():
        cli = row["scores"]["llm:judge-model"]
        env_score = env_scores[episode_id]
        for key in ("label", "correct", "refused", "warned", "explanation", "answer", "execution", "plan"):
            assert json.dumps(cli[key]) == json.dumps(env_score[key]), (episode_id, key)
