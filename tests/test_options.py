"""Options are declared once per registry entry (mss_embodied/options.py) and checked wherever the
entry is built: unknown names refused by name, wrong types and out-of-range values refused with the
range; each model stays equal to the keyword arguments its factory really takes."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from typing import Any

import pytest

from mss_embodied.clients.openai_chat import ChatClient
from mss_embodied.options import ChatOptions, HFPolicyOptions, LLMJudgeOptions, OpenAIPolicyOptions
from mss_embodied.policies.base import POLICIES, make_policy
from mss_embodied.registry import OptionsError
from mss_embodied.scoring.judges import JUDGES, judge_options_for, make_judge


def _keywords(*functions: Callable[..., Any], drop: set[str]) -> set[str]:
    names: set[str] = set()
    for fn in functions:
        for p in inspect.signature(fn).parameters.values():
            if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.name not in drop:
                names.add(p.name)
    return names


def test_models_match_what_the_factories_take() -> None:
    from mss_embodied.policies.hf_policy import HFPolicy
    from mss_embodied.policies.openai_policy import OpenAIPolicy
    from mss_embodied.scoring.llm import LLMJudge

    client = _keywords(ChatClient.__init__, drop={"self", "model", "retry"})  # retry: a RetryPolicy object
    assert set(ChatOptions.model_fields) == client
    assert set(OpenAIPolicyOptions.model_fields) == client | _keywords(OpenAIPolicy.__init__,
                                                                       drop={"self", "model"})
    assert set(LLMJudgeOptions.model_fields) == client | _keywords(LLMJudge.__init__, drop={"self", "model",
                                                                                            "protocol", "client"})
    assert set(HFPolicyOptions.model_fields) == _keywords(HFPolicy.__init__, drop={"self", "model_id"})
    from mss_embodied.options import ExecutionJudgeOptions
    from mss_embodied.scoring.execution_judge import make_execution_judge

    assert set(ExecutionJudgeOptions.model_fields) == client | _keywords(make_execution_judge,
                                                                         drop={"argument", "context"})


@pytest.mark.parametrize(("spec", "options", "words"), [
    ("comply", {"temperature": 0}, "unknown option 'temperature' for policy 'comply' (it takes no options)"),
    ("random", {"sed": 1}, "unknown option 'sed' for policy 'random' (it takes seed)"),
    ("openai:m", {"timeout_s": -1}, "option 'timeout_s' of policy 'openai': input should be greater than 0, got -1"),
    ("openai:m", {"timeout_s": math.inf}, "'timeout_s'"),
    ("openai:m", {"temperature": "hot"}, "option 'temperature' of policy 'openai': input should be a valid number"),
    ("openai:m", {"temperature": math.nan}, "finite number"),
    ("openai:m", {"max_tokens": -1}, "greater than or equal to 1"),
    ("openai:m", {"jitter": 2}, "less than or equal to 1"),
    ("openai:m", {"base_url": "localhost:8000"}, "must be an http(s) URL with a host"),
    ("openai:m", {"image_detail": "ultra"}, "'image_detail'"),
    ("openai", {}, "policy 'openai' needs a model: openai:<model>"),
    ("comply:x", {}, "policy 'comply' takes no argument"),
    ("multiagent", {}, "policy 'multiagent' needs the policy it wraps"),
    ("multiagent:openai:m", {"max_tokens": 0}, "option 'max_tokens' of policy 'openai'"),
    ("hf:m", {"batch_size": 0}, "'batch_size'"),
])
def test_bad_policy_options_are_refused_by_name(spec: str, options: dict[str, Any], words: str) -> None:
    with pytest.raises(OptionsError) as exc:
        POLICIES.check_options(spec, options)
    assert words in str(exc.value)
    if spec != "multiagent":  # programmatic use may hand multiagent its inner policy as an object
        with pytest.raises(OptionsError):  # the same check guards every build, not only the CLI's
            make_policy(spec, **options)


def test_good_options_pass_validated() -> None:
    assert POLICIES.check_options("openai:m", {"temperature": 0, "extra_body": {"top_k": 5}}) == \
        {"temperature": 0.0, "extra_body": {"top_k": 5}}
    assert POLICIES.check_options("random:3", {"seed": 4}) == {"seed": 4}
    assert POLICIES.check_options("multiagent:comply", {}) == {}


def test_judge_options_are_shared_out_and_unknown_ones_refused() -> None:
    shares = judge_options_for(["rules", "llm:m"], {"base_url": "http://h:1/v1", "max_attempts": 2})
    assert shares == {"rules": {}, "llm:m": {"base_url": "http://h:1/v1", "max_attempts": 2}}
    with pytest.raises(OptionsError, match="unknown judge option 'foo' for rules \\(rules takes none\\)"):
        judge_options_for(["rules"], {"foo": 1})
    with pytest.raises(OptionsError, match="option 'temperature' of judge 'llm': input should be greater"):
        judge_options_for(["rules", "llm:m"], {"temperature": -1})
    with pytest.raises(OptionsError, match="unknown option 'foo' for judge 'rules'"):
        make_judge("rules", foo=1)
    assert JUDGES.options_model("rules") is not None
