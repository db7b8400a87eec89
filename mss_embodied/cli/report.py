"""``mss-embodied report``: tables and plots for one run or several side by side."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mss_embodied.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, err

REPORT_EPILOG = """\
examples:
  mss-embodied report runs/comply-bundled
  mss-embodied report runs/gpt4o-if runs/qwen-cot --out reports/compare      # tables + PNG plots
  mss-embodied report runs/gpt4o-if --format json
  mss-embodied report runs/a runs/b --format latex --out paper/tables   # booktabs tables + plots
  mss-embodied report runs/a runs/b --format csv > results.csv          # long format for your own plots

Intervals are 95% bootstrap intervals over scenarios (seeded); runs that differ in data, setting,
protocol, judge or episode selection are compared with a warning.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="tables and plots for one run or several side by side",
                       description="Recompute the metrics of one or more run folders from their results.jsonl "
                                   "and print the paper's table (safe, unsafe, average; per task type and "
                                   "category, with 95% intervals and group sizes), execution metrics, every "
                                   "judge with its failures, judge agreement, errors and usage.",
                       epilog=REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("runs", nargs="+", type=Path, metavar="RUN", help="run folder(s) written by `eval`")
    p.add_argument("--format", choices=("md", "json", "csv", "latex"), default="md",
                   help="output format (default md)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="write report.<md|json|csv|tex> and PNG plots to DIR instead of printing")
    p.add_argument("--no-plots", action="store_true", help="with --out: tables only")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from mss_embodied.harness.report import (
        RENDERERS,
        SUFFIXES,
        PlotsUnavailableError,
        ReportError,
        comparability_warnings,
        load_runs,
        write_plots,
    )

    try:
        runs = load_runs(args.runs)
    except ReportError as exc:
        err(str(exc))
        return EXIT_USAGE
    for warning in comparability_warnings(runs):
        print(f"mss-embodied: warning: {warning}", file=sys.stderr)
    text = RENDERERS[args.format](runs)
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        err(f"--out {args.out}: cannot create the folder ({exc})")
        return EXIT_USAGE
    target = args.out / f"report.{SUFFIXES[args.format]}"
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    if not args.no_plots:
        try:
            for path in write_plots(runs, args.out):
                print(f"wrote {path}")
        except PlotsUnavailableError as exc:
            err(str(exc))
            return EXIT_FAIL
    return EXIT_OK
