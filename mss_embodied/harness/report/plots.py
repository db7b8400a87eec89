"""PNG plots for a paper: safe and unsafe accuracy side by side (the trade-off is the point, the
average alone hides it), value labels on every bar, zero bars drawn visibly, 95% intervals as error
bars, group sizes in the tick labels, execution outcomes and every judge. matplotlib (extra
``report``) is imported only here, only when plots are asked for."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mss_embodied.harness.report.runs import RunData

COLOURS = {"safe": "#2a9d8f", "unsafe": "#e76f51", "average": "#6c757d",
           "hazard_rate_unsafe": "#d62828", "task_success_safe": "#2a9d8f", "over_refusal_safe": "#f4a261"}
ACCURACIES = (("safe_accuracy", "safe"), ("unsafe_accuracy", "unsafe"), ("average_accuracy", "average"))
CI_NOTE = "error bars: 95% CI, bootstrap over scenarios"


class PlotsUnavailableError(RuntimeError):
    """matplotlib is not installed."""


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise PlotsUnavailableError(
            "plots need matplotlib: pip install 'mss-embodied[report]' (tables were still written)") from None
    return plt


def _bars(ax: Any, xs: Sequence[float], values: Sequence[float | None], cis: Sequence[Sequence[float] | None],
          width: float, colour: str, label: str | None) -> None:
    """Bars in percent with error bars and a value label each; a zero is a visible stub, a missing
    value says n/a, so neither is mistaken for an absent bar."""
    heights = [0.0 if v is None else 100 * v for v in values]
    ax.bar(xs, heights, width, color=colour, label=label, edgecolor="black", linewidth=0.4, zorder=2)
    for x, v, ci in zip(xs, values, cis, strict=True):
        top = 0.0 if v is None else 100 * v
        if v is not None and ci:
            low, high = 100 * ci[0], 100 * ci[1]
            ax.errorbar([x], [top], yerr=[[max(0.0, top - low)], [max(0.0, high - top)]], fmt="none",
                        ecolor="black", elinewidth=0.8, capsize=2, zorder=3)
            top = max(top, high)
        if v is not None and v == 0:
            ax.plot([x - width / 2, x + width / 2], [0.6, 0.6], color=colour, lw=2.5, solid_capstyle="butt", zorder=3)
        text = "n/a" if v is None else f"{100 * v:.0f}"
        ax.annotate(text, (x, top), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize=7, color="grey" if v is None else "black", zorder=4)


def _accuracy_axes(ax: Any, ylabel: str = "accuracy (%)") -> None:
    ax.set_ylim(0, 118)
    ax.set_yticks(range(0, 101, 20))
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", lw=0.4, alpha=0.5, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)


def _save(fig: Any, plt: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def _triple_plot(plt: Any, out: Path, labels: list[str], blocks: list[dict[str, Any]],
                 cis: list[dict[str, Any] | None], title: str, filename: str, note: str = CI_NOTE) -> Path:
    fig, ax = plt.subplots(figsize=(max(5.5, 1.9 * len(labels) + 2), 4.2))
    width = 0.26
    for i, (key, name) in enumerate(ACCURACIES):
        xs = [x + (i - 1) * width for x in range(len(labels))]
        _bars(ax, xs, [b.get(key) for b in blocks], [(c or {}).get(key) for c in cis], width, COLOURS[name], name)
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
    _accuracy_axes(ax)
    ax.set_title(f"{title}\n{note}", fontsize=10)
    ax.legend(fontsize=8, ncol=3, loc="upper center", frameon=False)
    return _save(fig, plt, out / filename)


def _run_label(r: RunData) -> str:
    m = r.metrics
    return f"{r.name}\n{m.get('judge')} · {m.get('n_safe', 0)}+{m.get('n_unsafe', 0)} ep."


def accuracy_plot(plt: Any, runs: Sequence[RunData], out: Path) -> Path:
    return _triple_plot(plt, out, [_run_label(r) for r in runs], [r.metrics for r in runs],
                        [r.metrics.get("ci", {}).get("overall") for r in runs],
                        "Safe, unsafe and average accuracy per run", "accuracy.png")


def scatter_plot(plt: Any, runs: Sequence[RunData], out: Path) -> Path:
    fig, ax = plt.subplots(figsize=(5.2, 5.2))
    for avg in (25, 50, 75):
        ax.plot([0, min(100, 2 * avg)], [min(100, 2 * avg), 0] if avg <= 50 else [100, 2 * avg - 100],
                ls=":", c="grey", lw=0.8)
        ax.annotate(f"avg {avg}", (avg, avg), fontsize=7, color="grey", ha="center", va="bottom")
    for r in runs:
        m, ci = r.metrics, r.metrics.get("ci", {}).get("overall") or {}
        if m.get("safe_accuracy") is None or m.get("unsafe_accuracy") is None:
            continue
        x, y = 100 * m["safe_accuracy"], 100 * m["unsafe_accuracy"]
        xerr = ([[x - 100 * ci["safe_accuracy"][0]], [100 * ci["safe_accuracy"][1] - x]]
                if ci.get("safe_accuracy") else None)
        yerr = ([[y - 100 * ci["unsafe_accuracy"][0]], [100 * ci["unsafe_accuracy"][1] - y]]
                if ci.get("unsafe_accuracy") else None)
        ax.errorbar([x], [y], xerr=xerr, yerr=yerr, fmt="o", ms=6, capsize=3, lw=1)
        ax.annotate(f"{r.name} ({x:.0f}, {y:.0f})", (x, y), textcoords="offset points", fontsize=8,
                    xytext=(-6 if x > 70 else 6, -12 if y > 90 else 6), ha="right" if x > 70 else "left")
    ax.set_xlim(-3, 103)
    ax.set_ylim(-3, 103)
    ax.set_xlabel("safe accuracy (%): plans when it is safe")
    ax.set_ylabel("unsafe accuracy (%): refuses or warns when it is not")
    ax.set_title(f"Safe vs unsafe accuracy\n{CI_NOTE}", fontsize=10)
    ax.grid(lw=0.4, alpha=0.5)
    return _save(fig, plt, out / "safe_vs_unsafe.png")


def group_plot(plt: Any, runs: Sequence[RunData], out: Path, key: str, title: str, filename: str) -> Path:
    """One panel per run: every group's safe, unsafe and average accuracy, sizes under the names."""
    groups = sorted({n for r in runs for n in r.metrics.get(key, {})})
    fig, axes = plt.subplots(len(runs), 1, figsize=(max(6.5, 1.5 * len(groups) + 2), 2.9 * len(runs) + 0.6),
                             squeeze=False)
    width = 0.26
    for ax, r in zip(axes[:, 0], runs, strict=True):
        blocks = [r.metrics.get(key, {}).get(g, {}) for g in groups]
        cis = [r.metrics.get("ci", {}).get(key, {}).get(g) for g in groups]
        for i, (stat, name) in enumerate(ACCURACIES):
            xs = [x + (i - 1) * width for x in range(len(groups))]
            _bars(ax, xs, [b.get(stat) for b in blocks], [(c or {}).get(stat) for c in cis], width,
                  COLOURS[name], name if ax is axes[0, 0] else None)
        ticks = [f"{g}\n{b.get('n_scenarios', 0)} sc. · {b.get('n_safe', 0)}+{b.get('n_unsafe', 0)} ep."
                 for g, b in zip(groups, blocks, strict=True)]
        ax.set_xticks(range(len(groups)), ticks, fontsize=7)
        _accuracy_axes(ax)
        ax.set_title(f"{r.name} (judge {r.metrics.get('judge')})", fontsize=9, loc="left")
    axes[0, 0].legend(fontsize=8, ncol=3, loc="upper right", frameon=False, bbox_to_anchor=(1, 1.25))
    fig.suptitle(f"{title}\n{CI_NOTE}\nsc. = scenarios, ep. = scored safe+unsafe episodes", fontsize=10)
    return _save(fig, plt, out / filename)


def execution_plot(plt: Any, runs: Sequence[RunData], out: Path) -> Path:
    stats = (("hazard_rate_unsafe", "hazard rate (unsafe)"), ("task_success_safe", "task success (safe)"),
             ("over_refusal_safe", "over-refusal (safe)"))
    fig, ax = plt.subplots(figsize=(max(5.5, 1.9 * len(runs) + 2), 4.2))
    width = 0.26
    for i, (key, name) in enumerate(stats):
        xs = [x + (i - 1) * width for x in range(len(runs))]
        _bars(ax, xs, [r.metrics.get("execution", {}).get(key) for r in runs],
              [(r.metrics.get("ci", {}).get("overall") or {}).get(key) for r in runs], width, COLOURS[key], name)
    labels = [f"{r.name}\n{r.metrics.get('execution', {}).get('n_with_state', 0)} ep. with state" for r in runs]
    ax.set_xticks(range(len(runs)), labels, fontsize=8)
    _accuracy_axes(ax, "rate (%)")
    ax.set_title(f"What the plans did in the symbolic world\n{CI_NOTE}", fontsize=10)
    ax.legend(fontsize=8, ncol=3, loc="upper center", frameon=False)
    return _save(fig, plt, out / "execution.png")


def judges_plot(plt: Any, runs: Sequence[RunData], out: Path) -> Path | None:
    """Every judge of every run, with its failed and invalid counts under its name."""
    pairs = [(r, j, b) for r in runs for j, b in (r.metrics.get("by_judge") or {}).items()]
    if not any(len(r.metrics.get("by_judge") or {}) > 1 for r in runs):
        return None
    labels = [f"{r.name}\n{j}\nscored {b.get('n_scored', 0)} · failed {b.get('n_failed', 0)} · "
              f"invalid {b.get('n_invalid', 0)}" for r, j, b in pairs]
    return _triple_plot(plt, out, labels, [b for _, _, b in pairs], [None] * len(pairs),
                        "Accuracy by judge", "judges.png",
                        "every judge of every run; failed and invalid verdicts are counted, never scored")


def write_plots(runs: Sequence[RunData], out: Path) -> list[Path]:
    """accuracy, safe_vs_unsafe, by_task, by_category, execution and (with several judges) judges PNGs."""
    plt = _pyplot()
    out.mkdir(parents=True, exist_ok=True)
    paths = [accuracy_plot(plt, runs, out), scatter_plot(plt, runs, out),
             group_plot(plt, runs, out, "by_task", "Accuracy per task type", "by_task.png"),
             group_plot(plt, runs, out, "by_category", "Accuracy per category", "by_category.png"),
             execution_plot(plt, runs, out)]
    judges = judges_plot(plt, runs, out)
    if judges is not None:
        paths.append(judges)
    return paths
