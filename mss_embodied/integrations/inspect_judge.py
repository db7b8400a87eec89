"""The rubric LLM judge over inspect_ai's own model API.

The judge is the project's :class:`~mss_embodied.scoring.llm.LLMJudge` (the protocol's rubric,
prompt layout and verdict parser); only its transport is inspect's ``get_model``, so any inspect
provider or the ``grader`` model role can judge, with inspect's retries, logging and limits.
"""

from __future__ import annotations

import time
from typing import Any

from mss_embodied.clients.openai_chat import ChatResult
from mss_embodied.protocol.prompts import Protocol
from mss_embodied.scoring.llm import LLMJudge

#: The inspect model role a bare ``llm`` judge uses (``--model-role grader=openai/gpt-4o``); without
#: it, the model under evaluation judges its own answers (as inspect's model-graded scorers do).
GRADER_ROLE = "grader"


class InspectChat:
    """A :class:`~mss_embodied.scoring.llm.ChatTransport` over ``inspect_ai.model.get_model``. The
    model is resolved at the first call, inside the eval, so a role bound on the command line counts."""

    def __init__(self, model: str | None, *, temperature: float | None = 0.0, max_tokens: int | None = 1024,
                 **model_args: Any) -> None:
        self.model = model
        self.temperature, self.max_tokens = temperature, max_tokens
        self.model_args = model_args

    def __repr__(self) -> str:
        return f"InspectChat({self.model or 'role:' + GRADER_ROLE!r})"

    async def complete(self, messages: list[dict[str, Any]], **params: Any) -> ChatResult:
        from inspect_ai.model import ChatMessage, ChatMessageSystem, ChatMessageUser, GenerateConfig, get_model

        config = GenerateConfig(temperature=params.get("temperature", self.temperature),
                                max_tokens=params.get("max_tokens", self.max_tokens))
        chat: list[ChatMessage] = [ChatMessageSystem(content=m["content"]) if m["role"] == "system"
                else ChatMessageUser(content=m["content"]) for m in messages]
        start = time.perf_counter()
        try:
            model = (get_model(self.model, **self.model_args) if self.model
                     else get_model(role=GRADER_ROLE))
            output = await model.generate(chat, config=config)
        except Exception as exc:  # a failed judge call is an error result, never a class
            return ChatResult(None, f"{type(exc).__name__}: {exc}", latency_s=time.perf_counter() - start, attempts=1)
        usage = {}
        if output.usage is not None:
            usage = {"prompt_tokens": output.usage.input_tokens, "completion_tokens": output.usage.output_tokens}
        if output.error:
            return ChatResult(None, output.error, usage, time.perf_counter() - start, 1)
        text = output.completion
        if not text.strip():
            return ChatResult(None, f"empty completion (stop reason {output.stop_reason})", usage,
                              time.perf_counter() - start, 1)
        return ChatResult(text, None, usage, time.perf_counter() - start, 1,
                          {"finish_reason": output.stop_reason, "model": output.model})

    def request_identity(self, messages: list[dict[str, Any]], **params: Any) -> dict[str, Any]:
        """The model (or the grader role), the messages and the generation fields."""
        return {"inspect_model": self.model or f"role:{GRADER_ROLE}", "messages": messages,
                "temperature": params.get("temperature", self.temperature),
                "max_tokens": params.get("max_tokens", self.max_tokens), **self.model_args}

    def close(self) -> None:
        """inspect owns its model clients."""


def inspect_llm_judge(model: str | None, protocol: Protocol, **options: Any) -> LLMJudge:
    """``llm`` (the grader role, else the evaluated model) or ``llm:<inspect model>`` as a judge."""
    judge_options = {k: options.pop(k) for k in ("aspect", "system_prompt") if k in options}
    judge = LLMJudge(model or GRADER_ROLE, protocol=protocol, client=InspectChat(model, **options), **judge_options)
    judge.name = f"llm:{model}" if model else "llm"
    return judge
