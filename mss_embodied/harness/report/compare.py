"""What a reader must know before comparing runs: differences in data, setting, protocol, judge,
variant or episode selection, prefixes taken with ``--limit``, samples, and unfinished runs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from mss_embodied.harness.cache import TRANSPORT_OPTIONS
from mss_embodied.harness.report.runs import RunData


def _selection(config: dict[str, Any]) -> str:
    selection, limit = config.get("selection") or {}, config.get("limit")
    parts = []
    if selection.get("tasks"):
        parts.append("task types " + ", ".join(selection["tasks"]))
    if selection.get("episodes"):
        parts.append("ids " + ", ".join(selection["episodes"]))
    if selection.get("sample") is not None:
        parts.append(f"a sample of {selection['sample']} (seed {selection.get('seed', 0)})")
    if limit is not None:
        parts.append(f"the first {limit} (--limit)")
    return "; then ".join(parts) or "all episodes"


def _judge_options(config: dict[str, Any]) -> dict[str, Any]:
    """Options that may change a verdict (timeouts and retries do not)."""
    return {k: v for k, v in (config.get("judge_options") or {}).items() if k not in TRANSPORT_OPTIONS}


def _data(config: dict[str, Any]) -> Any:
    data = config.get("data") or {}
    return data.get("fingerprint") or data.get("path") or data.get("source")


#: What must agree for two runs' numbers to be compared, and how to read it from config.json.
ASPECTS: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = (
    ("data", _data),
    ("setting", lambda c: c.get("setting")),
    ("protocol", lambda c: c.get("protocol")),
    ("primary judge", lambda c: (c.get("judges") or ["rules"])[0]),
    ("judge options", _judge_options),
    ("variant", lambda c: c.get("variant", "both")),
    ("episode selection", _selection),
)


def _show(value: Any) -> str:
    return value if isinstance(value, str) and " " in value else json.dumps(value, default=str)


def comparability_warnings(runs: Sequence[RunData]) -> list[str]:
    """One line per aspect on which the runs differ (none for a single run)."""
    if len(runs) < 2:
        return []
    out = []
    for aspect, read in ASPECTS:
        values = [read(r.config) for r in runs]
        if any(v != values[0] for v in values[1:]):
            shown = "; ".join(f"{r.name}: {_show(v)}" for r, v in zip(runs, values, strict=True))
            out.append(f"the runs differ in {aspect} ({shown}), so their numbers are not directly comparable")
    return out


def run_notes(runs: Sequence[RunData]) -> list[str]:
    """Per-run caveats: a prefix, a sample, an unfinished run, secondary judges that failed."""
    out = []
    for r in runs:
        limit, selection = r.config.get("limit"), r.config.get("selection") or {}
        if limit is not None:
            out.append(f"{r.name} is a prefix: the first {limit} episodes of the selection in order (--limit), "
                       "not a sample, so task types and variants may be missing or unbalanced")
        if selection.get("sample") is not None:
            out.append(f"{r.name} is a stratified sample of about {selection['sample']} episodes "
                       f"(seed {selection.get('seed', 0)}), safe/unsafe pairs kept together")
        if selection.get("tasks") or selection.get("episodes"):
            parts = [f"task types {', '.join(selection['tasks'])}" if selection.get("tasks") else "",
                     f"episode ids {', '.join(selection['episodes'])}" if selection.get("episodes") else ""]
            out.append(f"{r.name} is filtered to " + " and ".join(p for p in parts if p))
        if not r.metrics.get("complete", True):
            out.append(f"{r.name} is unfinished: {r.metrics['n_episodes']} of {r.metrics.get('n_expected')} episodes")
        dup, outside = r.metrics.get("n_duplicate_rows", 0), r.metrics.get("n_outside_rows", 0)
        if dup or outside:  # rows results.jsonl holds but no count uses (a second writer, a hand edit)
            out.append(f"{r.name}: set aside {dup} duplicate row(s) (the first row of an episode counts) and "
                       f"{outside} row(s) for episodes outside the run")
        for judge, block in (r.metrics.get("by_judge") or {}).items():
            bad = block.get("n_failed", 0) + block.get("n_invalid", 0)
            if bad and bad >= max(1, block.get("n_scored", 0)):
                out.append(f"{r.name}: judge {judge} failed or gave no valid verdict on {bad} of "
                           f"{bad + block.get('n_scored', 0)} answers; its numbers do not stand")
    return out
