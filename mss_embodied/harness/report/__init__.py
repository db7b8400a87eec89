"""Reports over run folders: the paper's table with intervals and group sizes, breakdowns, execution,
every judge, agreement, errors and usage, as Markdown, JSON, CSV or LaTeX, and PNG plots.

Metrics are always recomputed from ``results.jsonl`` (the single source of truth), so a report over
a killed or resumed run is as correct as its results file. Modules: ``runs`` (loading and metrics),
``bootstrap`` (clustered intervals), ``compare`` (comparability warnings), ``tables`` (one table
model, four formats), ``plots`` (matplotlib, optional).
"""

from mss_embodied.harness.report.bootstrap import BootstrapSpec, cluster_intervals
from mss_embodied.harness.report.compare import comparability_warnings, run_notes
from mss_embodied.harness.report.plots import PlotsUnavailableError, write_plots
from mss_embodied.harness.report.runs import (
    HEADLINE,
    ReportError,
    RunData,
    load_run,
    load_runs,
    price_of,
    run_metrics,
    usage_totals,
)
from mss_embodied.harness.report.tables import (
    RENDERERS,
    SUFFIXES,
    build_tables,
    render_csv,
    render_json,
    render_latex,
    render_markdown,
)

__all__ = ["HEADLINE", "RENDERERS", "SUFFIXES", "BootstrapSpec", "PlotsUnavailableError", "ReportError", "RunData",
           "build_tables", "cluster_intervals", "comparability_warnings", "load_run", "load_runs", "percent",
           "price_of", "render_csv", "render_json", "render_latex", "render_markdown", "run_metrics", "run_notes",
           "usage_totals", "write_plots"]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}"
