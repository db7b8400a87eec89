"""The one episode pipeline: situation -> policy input -> answer -> one reading -> every judge's score.

In the spirit of inspect_ai's ``Task``: an :class:`EpisodePipeline` holds the episodes (the
dataset), the protocol (prompt wording and judge rubric), the policy-input builder (the solver's
input) and the judges (the scorers). The Gymnasium envs, the CLI runner, its local and Ray
executors and the inspect_ai adapter all call it, so the same episode and answer get the same
prompt, the same judge prompts and the same scores everywhere. Options such as the protocol reach
policies and judges through one :class:`~mss_embodied.protocol.context.BuildContext`.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from typing import Protocol as TypingProtocol

from mss_embodied.data.sampling import Selection
from mss_embodied.data.scenario import Episode, Scenario
from mss_embodied.data.sources import load_scenarios, select_episodes
from mss_embodied.policies.base import Policy, PolicyInput, PolicyResponse, make_policy
from mss_embodied.protocol.context import BuildContext
from mss_embodied.protocol.prompts import Protocol, load_protocol
from mss_embodied.registry import RegistryError
from mss_embodied.render.base import Renderer
from mss_embodied.render.provider import ImageProvider
from mss_embodied.scoring.analysis import Analysis, analyse
from mss_embodied.scoring.judges import Judge, Judgement, OfflineJudge, judge_options_for, make_judge
from mss_embodied.scoring.score import Score
from mss_embodied.textguard import cap, repair
from mss_embodied.vocabulary import Setting, VariantChoice, parse_setting

#: Longest reply kept (characters): far above any plan (max_tokens 16k), far below a runaway 20 MB one.
MAX_REPLY_CHARS = 65_536
#: Longest error message kept: a server's error body can be anything.
MAX_ERROR_CHARS = 2_000


class CallGate(TypingProtocol):
    """What a run puts around each policy call (the harness's rate limiter)."""

    async def acquire(self) -> None: ...

    def record(self, usage: Mapping[str, int]) -> None: ...


def text_hash(text: str) -> str:
    """A short content hash of a prompt (stored per row, so a resume can tell that wording changed)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def guard_response(response: PolicyResponse, max_reply_chars: int = MAX_REPLY_CHARS) -> PolicyResponse:
    """The response with text that can be written: unpaired surrogates replaced and the reply (and
    error) length bounded, each change recorded in ``meta`` (so in the row). Applied before the
    answer is scored or cached, so a bad reply can neither crash a run nor poison the cache."""
    meta = dict(response.meta)
    text, error = response.text, response.error
    if text is not None:
        text, replaced = repair(text)
        if replaced:
            meta["text_repaired"] = f"{replaced} unencodable character(s) (lone UTF-16 surrogates) replaced by U+FFFD"
        text, original = cap(text, max_reply_chars)
        if original is not None:
            meta["reply_truncated"] = {"chars": original, "kept": max_reply_chars}
    if error is not None:
        error, _ = repair(error)
        error, original = cap(error, MAX_ERROR_CHARS)
        if original is not None:
            error += f"... [{original - MAX_ERROR_CHARS} more characters cut]"
    if text is response.text and error is response.error and meta == response.meta:
        return response
    return replace(response, text=text, error=error, meta=meta)


class ComponentError(ValueError):
    """A judge (or policy) that cannot be built as named; ``reason`` says why (an unknown name
    already names itself)."""

    def __init__(self, kind: str, name: str, exc: Exception) -> None:
        self.kind, self.name = kind, name
        self.reason = str(exc) if isinstance(exc, RegistryError) else f"{name!r}: {exc}"
        super().__init__(self.reason if isinstance(exc, RegistryError) else f"{kind} {self.reason}")


@dataclass
class EpisodeResult:
    """One episode run through the pipeline: its input, the answer and every judge's score."""

    episode: Episode
    inp: PolicyInput
    prompt_hash: str
    response: PolicyResponse
    scores: list[Score]
    timings: dict[str, Any] = field(default_factory=dict)


class EpisodePipeline:
    """Episodes, protocol, policy inputs and judges for one setting.

    ``judges`` are names (``rules``, ``execution``, ``llm:<model>``) built with ``judge_options`` and
    this pipeline's context, or ready :class:`Judge` objects. The first judge is the primary one.
    """

    def __init__(self, episodes: Sequence[Episode], *, setting: Setting | str = "if",
                 protocol: str | Protocol = "default", judges: Sequence[str | Judge] = ("rules",),
                 judge_options: Mapping[str, Any] | None = None, images: ImageProvider | None = None,
                 scenarios: Sequence[Scenario] | None = None, max_reply_chars: int = MAX_REPLY_CHARS) -> None:
        self.setting: Setting = parse_setting(setting)
        self.max_reply_chars = max_reply_chars
        self.protocol = load_protocol(protocol) if isinstance(protocol, str) else protocol
        self.episodes: tuple[Episode, ...] = tuple(episodes)
        self.by_id: dict[str, Episode] = {e.id: e for e in self.episodes}
        #: The data the episodes were selected from (it identifies a run's data, whatever its limit).
        self.scenarios: tuple[Scenario, ...] = tuple(scenarios) if scenarios is not None else tuple(
            {e.scenario.id: e.scenario for e in self.episodes}.values())
        self.context = BuildContext(protocol=self.protocol, setting=self.setting)
        self.images = images if images is not None else ImageProvider()
        self.judges: list[Judge] = []
        names = [j for j in judges if isinstance(j, str)]
        shares = judge_options_for(names, judge_options or {}) if names else {}
        for judge in judges:
            if isinstance(judge, Judge):
                self.judges.append(judge)
                continue
            try:
                self.judges.append(make_judge(judge, self.context, **shares[judge]))
            except (ValueError, TypeError, ImportError) as exc:
                self.close()
                raise ComponentError("judge", judge, exc) from None
        if not self.judges:
            raise ValueError("judges: at least one judge is needed")

    @classmethod
    def from_source(cls, *, data_root: str | Path | None = None,
                    scenes: str | Path | Sequence[Scenario] | None = None, variant: VariantChoice | str = "both",
                    setting: Setting | str = "if", limit: int | None = None, check_images: bool = True,
                    renderer: str | Renderer | None = None, image_cache: int = 256,
                    selection: Selection | None = None, **kwargs: Any) -> EpisodePipeline:
        """Load scenarios (official data, a scene folder or pack, or a list; bundled by default),
        select the episodes of ``variant`` in ``setting`` (filtered and sampled by ``selection``,
        then the first ``limit``), and build."""
        scenarios = load_scenarios(data_root, scenes, check_images)
        episodes = select_episodes(scenarios, variant, setting)
        if selection is not None:
            episodes = selection.apply(episodes)
        if limit is not None:
            episodes = episodes[:limit]
        return cls(episodes, setting=setting, images=ImageProvider(renderer, cache_size=image_cache),
                   scenarios=scenarios, **kwargs)

    @property
    def judge_names(self) -> list[str]:
        return [j.name for j in self.judges]

    def make_policy(self, name: str, **options: Any) -> Policy:
        """A policy built with this pipeline's context (the multi-agent policy takes its protocol)."""
        try:
            return make_policy(name, self.context, **options)
        except (ValueError, TypeError, ImportError) as exc:
            raise ComponentError("policy", name, exc) from None

    # -- the policy's side ------------------------------------------------------------------------
    def prompt(self, episode: Episode) -> str:
        return self.protocol.build_prompt(self.setting, episode.instruction, episode.caption)

    def prompt_hash(self, episode: Episode) -> str:
        return text_hash(self.prompt(episode))

    def policy_input(self, episode: Episode) -> PolicyInput:
        """What a policy sees: the full prompt and the full-resolution image (caption only in ic_cap)."""
        image, content_id = self.images.original(episode)
        caption = episode.caption if self.setting == "ic_cap" else None
        return PolicyInput(prompt=self.prompt(episode), instruction=episode.instruction, image=image,
                           image_id=content_id, setting=self.setting, caption=caption, episode=episode,
                           image_file=self.images.original_file(episode))

    async def call(self, policy: Policy, inp: PolicyInput) -> PolicyResponse:
        """The policy's answer; an exception or a missing text becomes an error (never a refusal)."""
        start = time.perf_counter()
        try:
            response = await policy.aact(inp)
        except Exception as exc:
            return PolicyResponse(text=None, error=error_text(exc), latency_s=time.perf_counter() - start)
        if response.error is None and response.text is None:
            response.error = "the policy returned no text"
        if not response.latency_s:
            response.latency_s = time.perf_counter() - start
        return response

    # -- the judges' side -------------------------------------------------------------------------
    def analyse(self, episode: Episode, text: str, finish_reason: str | None = None) -> Analysis:
        return analyse(episode, text, finish_reason)

    def _read(self, episode: Episode, response: PolicyResponse) -> Analysis | list[Score]:
        """The answer read once, or the scores every judge gets without judging: a failed call is an
        error, a reply that is no answer (empty, cut off, filtered, unintelligible) is invalid."""
        if not response.ok:
            return [Score.policy_failed(j.name, response.error or "no response") for j in self.judges]
        assert response.text is not None
        finish = response.meta.get("finish_reason")
        answer = self.analyse(episode, response.text, finish if isinstance(finish, str) else None)
        if answer.invalid is not None:
            return [Score.invalid_answer(j.name, answer.invalid, answer.parsed.response) for j in self.judges]
        return answer

    async def ascore(self, episode: Episode, response: PolicyResponse) -> list[Score]:
        """Every judge's score of ``response``; the answer is read once. A failed call scores as an
        error for every judge, a reply that is no answer as invalid; a judge that raises gives its
        own error, never a class."""
        answer = self._read(episode, response)
        if isinstance(answer, list):
            return answer
        verdicts: list[Judgement | Exception] = []
        for judge in self.judges:
            try:
                verdicts.append(await judge.ajudge(answer, episode))
            except Exception as exc:
                verdicts.append(exc)
        return self._scores(episode, answer, verdicts)

    def score(self, episode: Episode, response: PolicyResponse | str) -> list[Score]:
        """Synchronous :meth:`ascore` (an answer text is taken as the policy's response). Offline
        judges run inline, without an event loop, so an env step stays cheap."""
        if isinstance(response, str):
            response = PolicyResponse(text=response)
        if not all(isinstance(j, OfflineJudge) for j in self.judges) or not response.ok:
            return asyncio.run(self.ascore(episode, response))
        answer = self._read(episode, response)
        if isinstance(answer, list):
            return answer
        verdicts: list[Judgement | Exception] = []
        for judge in self.judges:
            try:
                verdicts.append(judge.judge(answer, episode))
            except Exception as exc:
                verdicts.append(exc)
        return self._scores(episode, answer, verdicts)

    def _scores(self, episode: Episode, answer: Analysis, verdicts: Sequence[Judgement | Exception]) -> list[Score]:
        """One score per judge, in order; a judge that raised scores as its own error, never a class."""
        scores = []
        for judge, verdict in zip(self.judges, verdicts, strict=True):
            if isinstance(verdict, Exception):
                scores.append(Score.judge_failed(judge.name, error_text(verdict), answer.parsed.response))
            else:
                scores.append(self._score(episode, answer, judge, verdict))
        return scores

    @staticmethod
    def _score(episode: Episode, answer: Analysis, judge: Judge, judgement: Judgement) -> Score:
        if not judgement.judge:
            judgement = replace(judgement, judge=judge.name)
        return Score.of(episode, answer, judgement)

    # -- one whole episode ------------------------------------------------------------------------
    async def arun(self, episode: Episode, policy: Policy | None, *, cached: PolicyResponse | None = None,
                   gate: CallGate | None = None, inp: PolicyInput | None = None) -> EpisodeResult:
        """Build the input, call the policy (unless ``cached`` holds its answer) and score."""
        inp = inp if inp is not None else self.policy_input(episode)
        t0 = time.perf_counter()
        response = cached
        if response is None:
            if policy is None:
                raise ValueError("no policy to call and no cached answer")
            if gate is not None:
                await gate.acquire()
            response = await self.call(policy, inp)
            if gate is not None:
                gate.record(response.usage)
        response = guard_response(response, self.max_reply_chars)
        t1 = time.perf_counter()
        scores = await self.ascore(episode, response)
        t2 = time.perf_counter()
        timings = {"policy_s": round(t1 - t0, 6), "score_s": round(t2 - t1, 6), "cache_hit": cached is not None}
        return EpisodeResult(episode, inp, text_hash(inp.prompt), response, scores, timings)

    def missing_images(self) -> list[str]:
        """Situations whose image is neither on disk nor renderable live, one line each."""
        problems: list[str] = []
        seen: set[tuple[str, str]] = set()
        for ep in self.episodes:
            key = (ep.scenario.id, ep.variant)
            if key in seen or self.images.has_image(ep):
                seen.add(key)
                continue
            seen.add(key)
            path = ep.scenario.image_path(ep.variant)
            problems.append(f"scenario {ep.scenario.id!r} field '{ep.variant}.image': "
                            + (f"{path} is missing" if path is not None else "no image given"))
        return problems

    def close(self) -> None:
        for judge in self.judges:
            judge.close()
        self.images.close()
