"""The typed line of a results file (:class:`ResultRow`) and how every reader counts a run's rows
(:class:`RunRows`: the first row of an episode wins, duplicates and rows outside the run are set aside)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter, ValidationError

from mss_embodied.scoring.score import EpisodeScores, Score
from mss_embodied.vocabulary import parse_variant

if TYPE_CHECKING:
    from mss_embodied.pipeline import EpisodeResult


@dataclass(frozen=True, kw_only=True)
class ResultRow(EpisodeScores):
    """One line of ``results.jsonl``: the episode, the answer, every judge's score (first: primary)."""

    paraphrase: int
    setting: str
    prompt_hash: str
    image_id: str
    response: str | None
    error: str | None = None  # the policy call failed
    usage: dict[str, int] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, Any] = field(default_factory=dict)
    #: So a row can be read alone: the instruction, the image file (absolute, or relative to the run
    #: folder for a live render), why the model stopped, and how many attempts the call took.
    instruction: str = ""
    image_path: str | None = None
    finish_reason: str | None = None
    attempts: int | None = None

    @classmethod
    def from_result(cls, result: EpisodeResult) -> ResultRow:
        ep = result.episode
        meta = dict(result.response.meta)
        path = ep.scenario.image_path(ep.variant)
        attempts = meta.get("attempts")
        return cls(episode_id=ep.id, scenario_id=ep.scenario.id, variant=ep.variant, task=ep.task,
                   category=ep.category, scores={s.judge: s for s in result.scores}, paraphrase=ep.paraphrase,
                   setting=result.inp.setting, prompt_hash=result.prompt_hash, image_id=result.inp.image_id,
                   response=result.response.text, error=result.response.error, usage=dict(result.response.usage),
                   meta=meta, timings=dict(result.timings), instruction=ep.instruction,
                   image_path=str(path.resolve()) if path is not None and path.is_file() else None,
                   finish_reason=meta.get("finish_reason"),
                   attempts=int(attempts) if isinstance(attempts, int) else 1)

    @property
    def retries(self) -> int:
        """Attempts beyond the first (0 when unknown)."""
        return max(0, (self.attempts or 1) - 1)

    def to_json(self) -> dict[str, Any]:
        return {"episode_id": self.episode_id, "scenario_id": self.scenario_id, "paraphrase": self.paraphrase,
                "setting": self.setting, "variant": self.variant, "task": self.task, "category": self.category,
                "instruction": self.instruction, "prompt_hash": self.prompt_hash, "image_id": self.image_id,
                "image_path": self.image_path, "response": self.response, "error": self.error,
                "finish_reason": self.finish_reason, "attempts": self.attempts, "usage": self.usage,
                "meta": self.meta, "scores": {name: s.to_dict() for name, s in self.scores.items()},
                "timings": self.timings}

    @classmethod
    def parse_line(cls, raw: bytes) -> ResultRow:
        """One results line, every field type-checked; raises ValueError naming the first bad field."""
        try:
            return _ROW.validate_json(raw, strict=True)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            if error["type"] == "json_invalid":
                raise ValueError("not JSON") from None
            raise ValueError(f"field '{where}': {error['msg'].lower()}" if where else "not a JSON object") from None

    @classmethod
    def from_json(cls, data: Any) -> ResultRow:
        """Raises ValueError naming what is wrong with the line."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        try:
            scores = data["scores"]
            if not isinstance(scores, dict):
                raise ValueError("'scores' is not an object")
            return cls(episode_id=str(data["episode_id"]), scenario_id=str(data["scenario_id"]),
                       variant=parse_variant(data["variant"]), task=str(data["task"]),
                       category=str(data["category"]),
                       scores={str(k): Score.from_dict(v) for k, v in scores.items()},
                       paraphrase=int(data["paraphrase"]), setting=str(data["setting"]),
                       prompt_hash=str(data["prompt_hash"]), image_id=str(data["image_id"]),
                       response=data.get("response"), error=data.get("error"), usage=dict(data.get("usage") or {}),
                       meta=dict(data.get("meta") or {}), timings=dict(data.get("timings") or {}),
                       instruction=str(data.get("instruction") or ""), image_path=data.get("image_path"),
                       finish_reason=data.get("finish_reason"),
                       attempts=None if data.get("attempts") is None else int(data["attempts"]))
        except KeyError as exc:
            raise ValueError(f"field {exc} is missing") from None
        except (TypeError, AttributeError) as exc:
            raise ValueError(f"a field has the wrong type ({exc})") from None


_ROW: TypeAdapter[ResultRow] = TypeAdapter(ResultRow)


@dataclass(frozen=True)
class RunRows:
    """The rows of a run as every reader counts them: one per episode of the run, the first written
    winning; ``duplicates`` later rows for an episode already seen and ``outside`` rows for episodes
    not in the run are set aside (and reported), never counted twice or silently."""

    rows: list[ResultRow]
    duplicates: int = 0
    outside: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        return {"n_duplicate_rows": self.duplicates, "n_outside_rows": len(self.outside)}


def select_rows(rows: Sequence[ResultRow], episode_ids: Collection[str] | None = None) -> RunRows:
    """First row per episode, in file order; ``episode_ids`` (when known) bounds the run."""
    seen: set[str] = set()
    kept: list[ResultRow] = []
    duplicates = 0
    outside: list[str] = []
    for row in rows:
        if row.episode_id in seen:
            duplicates += 1
            continue
        seen.add(row.episode_id)
        if episode_ids is not None and row.episode_id not in episode_ids:
            outside.append(row.episode_id)
            continue
        kept.append(row)
    return RunRows(kept, duplicates, tuple(outside))
