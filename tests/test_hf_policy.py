"""The hf policy end to end on a tiny random-weight LLaVA built offline in a temporary folder."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may be downloaded
pytest.importorskip("torch", reason="the hf extra (torch) is not installed")
pytest.importorskip("transformers", reason="the hf extra (transformers) is not installed")

from support.tiny_vlm import build_tiny_llava

import mss_embodied.policies.hf_policy  # noqa: F401  (registers "hf")
from mss_embodied.policies.base import PolicyInput, make_policy
from mss_embodied.policies.hf_policy import HFPolicy, pick_device, pick_dtype
from mss_embodied.protocol.prompts import DEFAULT_PROTOCOL

MAX_NEW = 6


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> HFPolicy:
    folder = build_tiny_llava(tmp_path_factory.mktemp("tiny") / "llava")
    p = make_policy(f"hf:{folder}", device="cpu", max_new_tokens=MAX_NEW, batch_size=4, local_files_only=True,
                    generate_kwargs={"min_new_tokens": MAX_NEW})
    assert isinstance(p, HFPolicy)
    return p


def episodes(n: int = 10) -> list[PolicyInput]:
    rng = np.random.default_rng(0)
    words = ["place the knife in the sink", "toggle the stove", "drop the cup", "place the fork in the microwave"]
    out = []
    for i in range(n):
        instruction = words[i % len(words)] + " ." * (i % 3)  # varied lengths exercise left padding
        out.append(PolicyInput(prompt=DEFAULT_PROTOCOL.build_prompt("if", instruction), instruction=instruction,
                               image=rng.integers(0, 256, (48, 64, 3), dtype=np.uint8), image_id=f"img{i}"))
    return out


def test_batch_generates_real_tokens_for_ten_episodes(policy: HFPolicy) -> None:
    inputs = episodes()
    results = policy.act_batch(inputs)
    assert len(results) == 10
    vocab = set(policy.tokenizer.get_vocab())
    for r in results:
        assert r.ok, r.error
        assert r.usage["completion_tokens"] == MAX_NEW
        assert r.usage["prompt_tokens"] > 4  # the image tokens plus the prompt
        assert r.text and all(w in vocab for w in r.text.split())
        assert r.meta["batch_size"] in (4, 2) and r.meta["device"] == "cpu"
    # batched (left-padded) greedy decoding gives what one-at-a-time decoding gives
    singles = [policy.act(x) for x in inputs[:3]]
    assert [s.text for s in singles] == [r.text for r in results[:3]]


def test_concurrent_aact_calls_are_batched(policy: HFPolicy) -> None:
    inputs = episodes(6)

    async def run() -> list[str | None]:
        rs = await asyncio.gather(*[policy.aact(x) for x in inputs])
        assert [r.meta["batch_size"] for r in rs] == [4, 4, 4, 4, 2, 2]
        return [r.text for r in rs]

    assert asyncio.run(run()) == [r.text for r in policy.act_batch(inputs)]


def test_chat_template_and_text_only(policy: HFPolicy) -> None:
    x = episodes(1)[0]
    rendered = policy.render(x)
    assert rendered.startswith("user: <image>\n") and x.prompt in rendered and rendered.endswith("assistant:")
    text_only = PolicyInput(prompt="toggle the stove", instruction="toggle the stove")
    assert "<image>" not in policy.render(text_only)
    mixed = policy.act_batch([text_only, x])
    assert all(r.ok for r in mixed) and mixed[0].meta["batch_size"] == 1


def test_device_and_dtype_selection() -> None:
    import torch

    assert pick_device("cpu") == "cpu"
    assert pick_device() == ("cuda" if torch.cuda.is_available() else "cpu")
    assert pick_dtype("auto", "cpu") == torch.float32
    assert pick_dtype("bfloat16", "cpu") == torch.bfloat16
    with pytest.raises(ValueError, match="unknown dtype"):
        pick_dtype("int8", "cpu")
    with pytest.raises(ValueError, match="needs a model"):
        make_policy("hf")


def test_missing_model_folder_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises((OSError, ValueError)):
        make_policy(f"hf:{tmp_path / 'absent'}", local_files_only=True)
