"""A run folder read back, and its metrics recomputed from ``results.jsonl`` (the single source of
truth): the paper's headline, breakdowns with group sizes and bootstrap intervals, every judge's
accuracy with its failed and invalid counts, agreement, retries and usage."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mss_embodied.harness.pricing import Price
from mss_embodied.harness.report.bootstrap import BootstrapSpec, cluster_intervals, grouped_intervals
from mss_embodied.harness.rows import ResultRow
from mss_embodied.harness.store import CONFIG, RESULTS, RunStore, RunStoreError
from mss_embodied.scoring.agreement import cohen_kappa, collapse, flags_risk
from mss_embodied.scoring.metrics import accuracy_block, compute_metrics
from mss_embodied.scoring.score import Score

DEFAULT_BOOTSTRAP = BootstrapSpec()
HEADLINE = ("safe_accuracy", "unsafe_accuracy", "average_accuracy", "n_episodes", "n_errors")


class ReportError(ValueError):
    """A run folder that cannot be reported on; names the folder or file."""


@dataclass
class RunData:
    path: Path
    config: dict[str, Any]
    rows: list[ResultRow]
    metrics: dict[str, Any]
    label: str | None = None  # a display name given by the caller (unique among compared runs)

    @property
    def name(self) -> str:
        return self.label or self.path.name or str(self.path)


def _labels(rows: Sequence[ResultRow], judge: str) -> list[int | None]:
    out: list[int | None] = []
    for r in rows:
        score = r.score(judge)
        out.append(score.label if score is not None and score.error is None else None)
    return out


def judge_outcome(score: Score) -> str:
    """``scored``, ``policy_error`` (nothing to judge), ``invalid`` (the judge answered but gave no
    class) or ``failed`` (the judge's call or code failed): a judge's failures are its own count."""
    if score.status != "judge_error":
        return score.status
    return "invalid" if (score.judge_error or "").startswith("invalid verdict") else "failed"


def judge_block(rows: Sequence[ResultRow], judge: str) -> dict[str, Any]:
    """One judge's accuracies and what it could not judge."""
    block = accuracy_block(rows, judge)
    outcomes = Counter(judge_outcome(s) for r in rows if (s := r.score(judge)) is not None)
    reasons = Counter((s.judge_error or "")[:120] for r in rows
                      if (s := r.score(judge)) is not None and s.status == "judge_error")
    block.update(n_scored=outcomes["scored"], n_failed=outcomes["failed"], n_invalid=outcomes["invalid"],
                 n_policy_errors=outcomes["policy_error"], n_missing=sum(r.score(judge) is None for r in rows),
                 failure_reasons=dict(reasons.most_common(3)))
    return block


def usage_totals(rows: Sequence[ResultRow], price: Price | None) -> dict[str, Any]:
    prompt = sum(int(r.usage.get("prompt_tokens", 0)) for r in rows)
    completion = sum(int(r.usage.get("completion_tokens", 0)) for r in rows)
    cost = price.cost({"prompt_tokens": prompt, "completion_tokens": completion}) if price else None
    return {"prompt_tokens": prompt, "completion_tokens": completion, "cost_usd_estimate": cost}


def _with_sizes(blocks: dict[str, dict[str, Any]], rows: Sequence[ResultRow], key: str) -> None:
    for name, block in blocks.items():
        block["n_scenarios"] = len({r.scenario_id for r in rows if str(getattr(r, key)) == name})


def run_metrics(rows: Sequence[ResultRow], judges: Sequence[str], price: Price | None = None,
                bootstrap: BootstrapSpec = DEFAULT_BOOTSTRAP) -> dict[str, Any]:
    """metrics.json: the paper's headline first, then breakdowns (with scenario counts), 95%
    intervals, every judge's block, agreement, retries and usage. ``judges[0]`` is the primary judge."""
    rows = sorted(rows, key=lambda r: r.episode_id)
    primary = judges[0] if judges else None
    full = compute_metrics(rows, primary)
    out: dict[str, Any] = {k: full.pop(k) for k in HEADLINE}
    out["judge"] = primary
    out.update(full)
    out["n_scenarios"] = len({r.scenario_id for r in rows})
    _with_sizes(out["by_task"], rows, "task")
    _with_sizes(out["by_category"], rows, "category")
    out["ci"] = {"overall": cluster_intervals(rows, primary, bootstrap),
                 "by_task": grouped_intervals(rows, primary, "task", bootstrap),
                 "by_category": grouped_intervals(rows, primary, "category", bootstrap),
                 **bootstrap.describe()}
    out["by_judge"] = {judge: judge_block(rows, judge) for judge in judges}
    if primary is not None and len(judges) > 1:
        primary_labels = _labels(rows, primary)
        out["agreement"] = {}
        for other in judges[1:]:
            labels = _labels(rows, other)
            out["agreement"][other] = {
                "with": primary,
                "four_class": cohen_kappa(primary_labels, labels).as_dict(),
                "binary": cohen_kappa(collapse(primary_labels, flags_risk), collapse(labels, flags_risk),
                                      (0, 1)).as_dict(),
            }
    out["usage"] = usage_totals(rows, price)
    out["retries"] = {"calls_retried": sum(r.retries > 0 for r in rows), "extra_attempts": sum(r.retries for r in rows)}
    out["finish_reasons"] = dict(Counter(str(r.finish_reason) for r in rows if r.finish_reason is not None))
    errors = Counter(str(r.error).split(" (after")[0][:120] for r in rows if r.error is not None)
    out["error_messages"] = dict(errors.most_common(5))
    return out


def price_of(config: dict[str, Any]) -> Price | None:
    p = (config.get("execution") or {}).get("price_per_mtok")
    return Price(float(p["input"]), float(p["output"])) if p else None


def load_run(path: str | Path) -> RunData:
    folder = Path(path)
    if not folder.is_dir():
        raise ReportError(f"{folder}: not a run folder (it does not exist)")
    store = RunStore(folder)
    if not store.exists():  # config.json alone is a run killed before its first result: 0 of N
        raise ReportError(f"{folder}: not a run folder (no {RESULTS})")
    try:
        config = store.read_config() or {}
        if not config:
            raise ReportError(f"{folder}: no {CONFIG}; was this folder written by `mss-embodied eval`?")
        judges = list(config.get("judges") or ["rules"])
        episodes = config.get("episodes")  # the run's episodes: a row for any other is set aside and counted
        selected = store.run_rows(set(episodes) if episodes is not None else None, judges)
    except RunStoreError as exc:
        raise ReportError(str(exc)) from None
    rows = selected.rows
    metrics = run_metrics(rows, judges, price_of(config))
    metrics.update(selected.counts())
    metrics["n_expected"] = config.get("n_episodes")
    metrics["complete"] = config.get("n_episodes") in (None, len(rows))
    return RunData(folder, config, rows, metrics)


def load_runs(paths: Sequence[str | Path]) -> list[RunData]:
    """Several runs; display names are the folder names, made unique with their parents when two clash."""
    runs = [load_run(p) for p in paths]
    names = Counter(r.path.name for r in runs)
    for r in runs:
        if names[r.path.name] > 1:
            r.label = f"{r.path.parent.name}/{r.path.name}"
    return runs
