"""The viewer's data: one record per episode, with every compared run's answer and verdicts.

Runs are joined on the episode id, so several runs appear side by side on the same episode. Each
row already carries its instruction and image path and the run's ``prompts.jsonl`` the exact
prompt, so nothing is re-joined with the environment; images are copied next to the page once per
content id.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mss_embodied.harness.report.runs import RunData, judge_outcome
from mss_embodied.harness.rows import ResultRow
from mss_embodied.harness.store import RunStore
from mss_embodied.scoring.score import Score
from mss_embodied.vocabulary import LABELS

IMAGES = "images"


def _score_record(score: Score) -> dict[str, Any]:
    return {"judge": score.judge, "label": score.label,
            "label_name": LABELS.get(score.label, "") if score.label is not None else "",
            "correct": score.correct, "status": judge_outcome(score), "explanation": score.explanation,
            "error": score.judge_error or score.error}


def _trace(score: Score | None) -> dict[str, Any]:
    """The plan as executed: each action with the hazards it raised, failures, and the outcome."""
    if score is None:
        return {"plan": [], "executed": None, "goal_reached": None, "hazards": [], "failed": [], "unknown": []}
    execution = score.execution
    hazards = [dict(h) for h in (execution.hazards if execution else ())]
    return {"plan": list(score.plan), "executed": execution.executed if execution else None,
            "goal_reached": execution.goal_reached if execution else None, "hazards": hazards,
            "failed": list(execution.failed_actions) if execution else [], "unknown": list(score.unknown_actions)}


def disagreement(row: ResultRow) -> bool:
    """Judges of one run gave different classes (judges with no class do not count)."""
    labels = {s.label for s in row.scores.values() if s.label is not None}
    return len(labels) > 1


def _run_record(row: ResultRow) -> dict[str, Any]:
    scores = [_score_record(s) for s in row.scores.values()]
    failed = row.error is not None or any(s["status"] in ("failed", "invalid") for s in scores)
    return {"response": row.response, "error": row.error, "finish_reason": row.finish_reason,
            "attempts": row.attempts, "scores": scores, "trace": _trace(row.score()),
            "disagree": disagreement(row), "has_error": failed}


class ImageCopier:
    """Copies each distinct image into ``out/images`` once, named by its content id."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.done: dict[str, str | None] = {}

    def copy(self, run: Path, row: ResultRow) -> str | None:
        key = row.image_id or f"{row.scenario_id}-{row.variant}"
        if key in self.done:
            return self.done[key]
        source = Path(row.image_path) if row.image_path else None
        if source is not None and not source.is_absolute():
            source = run / source
        target: str | None = None
        if source is not None and source.is_file():
            (self.out / IMAGES).mkdir(parents=True, exist_ok=True)
            target = f"{IMAGES}/{key}{source.suffix.lower() or '.png'}"
            shutil.copyfile(source, self.out / target)
        self.done[key] = target
        return target


def build_data(runs: Sequence[RunData], out: Path) -> dict[str, Any]:
    """Everything the page shows, JSON-ready; copies the images into ``out``."""
    copier = ImageCopier(out)
    episodes: dict[str, dict[str, Any]] = {}
    for run in runs:
        prompts = RunStore(run.path).load_prompts()
        for row in run.rows:
            entry = episodes.get(row.episode_id)
            if entry is None:
                entry = episodes[row.episode_id] = {
                    "id": row.episode_id, "scenario": row.scenario_id, "variant": row.variant, "task": row.task,
                    "category": row.category, "paraphrase": row.paraphrase, "instruction": row.instruction,
                    "prompt": prompts.get(row.prompt_hash), "image": None, "runs": {}}
            if entry["image"] is None:
                entry["image"] = copier.copy(run.path, row)
            if entry["prompt"] is None:
                entry["prompt"] = prompts.get(row.prompt_hash)
            if not entry["instruction"]:
                entry["instruction"] = row.instruction
            entry["runs"][run.name] = _run_record(row)
    run_info = [{"name": r.name, "policy": (r.config.get("policy") or {}).get("name"),
                 "setting": r.config.get("setting"),
                 "judges": list(r.config.get("judges") or []), "path": str(r.path),
                 "safe": r.metrics.get("safe_accuracy"), "unsafe": r.metrics.get("unsafe_accuracy"),
                 "n": r.metrics.get("n_episodes")} for r in runs]
    return {"runs": run_info, "labels": {str(k): v for k, v in LABELS.items()},
            "episodes": [episodes[k] for k in sorted(episodes)]}
