"""The LLM judge: prompt layout in our own wording, verdict parsing as the paper does, failures."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from support.openai_server import FakeOpenAIServer, Fault, serve

from mss_embodied.protocol.prompts import DEFAULT_JUDGE, Protocol
from mss_embodied.scoring.judges import Judgement, make_judge
from mss_embodied.scoring.llm import LLMJudge, construct_rubric, parse_verdict
from mss_embodied.scoring.parser import response_part

pytest.importorskip("aiohttp", reason="the openai extra is not installed")


def review(judge: LLMJudge, text: str) -> Judgement:
    return asyncio.run(judge.review(text))


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    yield from serve()


@pytest.mark.parametrize(("review", "label"), [
    ("The plan ignores the hazard. <answer>2</answer>", 2),
    ("<answer>0</answer>", 0),
    ("Reasons...\n<answer> 1 </answer>\n", 1),
    ("First I thought <answer>2</answer>, but on reflection <answer>3</answer>", 3),  # the last tag wins
    ("<answer>1: points out the risk</answer>", 1),
    ("<answer>3", 3),
])
def test_parse_valid(review: str, label: int) -> None:
    assert parse_verdict(review) == (label, None)


@pytest.mark.parametrize(("review", "reason"), [
    ("The answer is class 2.", "no <answer> tag"),
    ("<answer>   </answer>", "does not start with a class number"),
    ("<answer>two</answer>", "does not start with a class number"),
    ("<answer>7</answer>", "class 7 is not one of"),
    ("I conclude: <answer>", "does not start with a class number"),  # the official rule reads the text before it
    ("<ANSWER>2</ANSWER>", "no <answer> tag"),  # case-sensitive, as in the official parser
    ("<answer><answer>", "empty <answer>"),
])
def test_parse_invalid_is_never_guessed(review: str, reason: str) -> None:
    label, error = parse_verdict(review)
    assert label is None and error is not None
    assert error.startswith("invalid verdict:") and reason in error


def test_response_part_and_rubric() -> None:
    assert response_part("Safety reasoning: x\nResponse to instruction: 1. Goto Sink") == " 1. Goto Sink"
    assert response_part("a Response to instruction: b Response to instruction: c") == " c"
    assert response_part("plain plan") == "plain plan"
    assert construct_rubric({"0": "a", "1": "b"}) == "\n0: a\n1: b\n"


def test_default_wording_request(openai_server: FakeOpenAIServer) -> None:
    openai_server.push("It names the danger. <answer>1</answer>")
    judge = make_judge("llm:judge-model", base_url=openai_server.base_url, api_key="k", max_tokens=200)
    assert isinstance(judge, LLMJudge)
    v = review(judge, "Safety reasoning: hot\nResponse to instruction: I must warn that this is unsafe.")
    judge.close()
    assert v.valid and v.label == 1 and v.judge == "llm:judge-model" and v.raw and "<answer>1" in v.raw
    (req,) = openai_server.requests
    assert [m["role"] for m in req.messages] == ["system", "user"]
    assert req.messages[0]["content"] == DEFAULT_JUDGE["prompt_embodied"]["sys_prompt"]
    user = req.messages[1]["content"]
    assert " I must warn that this is unsafe." in user and "Safety reasoning" not in user
    classes = DEFAULT_JUDGE["annotation_aspects_embodied"]["do_not_answer"]
    assert "\n" + "".join(f"{k}: {v}\n" for k, v in classes.items()) in user
    assert user.rstrip().endswith("<answer>number</answer>.")
    assert req.body["temperature"] == 0 and req.body["max_tokens"] == 200


def test_invalid_verdict_and_failed_call(openai_server: FakeOpenAIServer) -> None:
    openai_server.push("I cannot decide.", Fault("500"), Fault("500"))
    judge = LLMJudge("m", base_url=openai_server.base_url, api_key="k", max_attempts=2, backoff_base_s=0.001)
    v = review(judge, "1. Goto Sink")
    assert v.label is None and v.error == "invalid verdict: no <answer> tag" and v.raw == "I cannot decide."
    v = review(judge, "1. Goto Sink")
    assert v.label is None and v.error is not None and v.error.startswith("judge call failed: HTTP 500")
    judge.close()
    assert len(openai_server.requests) == 3


def test_system_prompt_switch_and_custom_protocol(openai_server: FakeOpenAIServer) -> None:
    custom = Protocol(name="custom", judge={"prompt_embodied": {
        "sys_prompt": "S", "prompt_template": "{prompt1}|{response}|{prompt2}", "prompt1": "P1",
        "prompt2": "P2{rubric}"}, "annotation_aspects_embodied": {"do_not_answer": {"0": "a", "1": "b"}}},
        judge_system_prompt=False)
    openai_server.push("<answer>0</answer>", "<answer>0</answer>")
    judge = LLMJudge("m", protocol=custom, base_url=openai_server.base_url, api_key="k")
    assert review(judge, "x {braces} stay").label == 0
    judge.close()
    judge = LLMJudge("m", protocol=custom, system_prompt=True, base_url=openai_server.base_url, api_key="k")
    review(judge, "y")
    judge.close()
    first, second = openai_server.requests
    assert first.messages == [{"role": "user", "content": "P1|x {braces} stay|P2\n0: a\n1: b\n"}]
    assert second.messages[0] == {"role": "system", "content": "S"}
    with pytest.raises(ValueError, match="no judge strings for aspect 'chat'"):
        LLMJudge("m", protocol=custom, aspect="chat", base_url=openai_server.base_url)
    with pytest.raises(ValueError, match="needs a model"):
        make_judge("llm")
