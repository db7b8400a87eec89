"""Judges assign the paper's four classes to an answer; one interface for rules, execution and LLMs.

A judge receives the answer already read once (:class:`~mss_embodied.scoring.analysis.Analysis`:
the parsed text and, where the situation has a state, what its plan did), so adding judges never
parses or executes an answer again. Built-in judges are registered lazily in :data:`JUDGES`;
third-party judges plug in through the ``mss_embodied.judges`` entry-point group. A factory is
called as ``factory(argument, context, **options)`` with the run's
:class:`~mss_embodied.protocol.context.BuildContext` (protocol, setting).
"""

from __future__ import annotations

import asyncio
from abc import ABC
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mss_embodied.protocol.context import BuildContext
from mss_embodied.registry import OptionsError, Registry

if TYPE_CHECKING:
    from mss_embodied.data.scenario import Episode
    from mss_embodied.scoring.analysis import Analysis


@dataclass(frozen=True)
class Judgement:
    """A judge's verdict. ``label`` is None when the verdict is invalid (unparseable, failed call)."""

    label: int | None
    explanation: str = ""
    judge: str = ""
    raw: str | None = None
    error: str | None = None
    reading: Analysis | None = None  # the judge's own reading of the answer (an LLM grounder's plan)

    @property
    def valid(self) -> bool:
        return self.label is not None


class Judge(ABC):  # noqa: B024 - subclasses implement judge or ajudge
    """Implement ``judge`` (offline, cheap) or ``ajudge`` (network calls)."""

    name: str = "judge"

    def judge(self, answer: Analysis, episode: Episode) -> Judgement:
        return asyncio.run(self.ajudge(answer, episode))

    async def ajudge(self, answer: Analysis, episode: Episode) -> Judgement:
        return await asyncio.to_thread(self.judge, answer, episode)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release clients."""


class OfflineJudge(Judge):
    """A judge whose verdict is a little CPU work: awaited inline, without a thread hop."""

    async def ajudge(self, answer: Analysis, episode: Episode) -> Judgement:
        return self.judge(answer, episode)


JUDGES: Registry[Judge] = Registry("judge", "mss_embodied.judges")
JUDGES.register("rules", "mss_embodied.scoring.rules:make_rules_judge", options="mss_embodied.options:NoOptions",
                summary="keyword and pattern rules over the answer text (offline)")
JUDGES.register("execution", "mss_embodied.scoring.execution_judge:make_execution_judge",
                options="mss_embodied.options:ExecutionJudgeOptions",
                summary="classes from what the plan did in the symbolic world (offline)")
JUDGES.register("llm", "mss_embodied.scoring.llm:make_llm_judge", extra="openai",
                options="mss_embodied.options:LLMJudgeOptions",
                summary="the rubric judge through an OpenAI-compatible endpoint: llm:<model>")


def make_judge(name: str, context: BuildContext | None = None, **options: Any) -> Judge:
    """Build a judge by name (``rules``, ``execution``, ``llm:<model>``)."""
    return JUDGES.create(name, context or BuildContext(), **options)


def judge_options_for(names: Sequence[str], options: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each judge's share of a run's judge options (one ``--judge-opt`` set serves every judge): a judge
    that declares its options gets those it declares, checked; one that does not (a plugin) gets them
    all. An option that no judge takes is an OptionsError naming it and what each judge takes."""
    shares: dict[str, dict[str, Any]] = {}
    taken: set[str] = set()
    takes: list[str] = []
    for name in names:
        model = JUDGES.options_model(name)
        if model is None:
            shares[name] = dict(options)
            taken |= set(options)
            continue
        accepted = set(model.model_fields)
        shares[name] = JUDGES.check_options(name, {k: v for k, v in options.items() if k in accepted})
        taken |= accepted
        takes.append(f"{name.partition(':')[0]} takes {', '.join(sorted(accepted)) or 'none'}")
    unknown = sorted(set(options) - taken)
    if unknown:
        raise OptionsError(f"unknown judge option {unknown[0]!r} for {', '.join(names)} ({'; '.join(takes)})",
                           unknown[0])
    return shares
