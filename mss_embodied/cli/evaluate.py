"""``mss-embodied eval``: run a policy over the episodes and score it."""

from __future__ import annotations

import argparse
from pathlib import Path

from mss_embodied.cli.common import (
    EXIT_FAIL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    default_out,
    err,
    eval_error,
    parse_options,
    print_options,
)

EVAL_EPILOG = """\
examples:
  # the bundled scenes, a baseline policy, the offline rules judge
  mss-embodied eval --policy comply --judge rules --out runs/comply-bundled
  # GPT-4o on the official data (after `mss-embodied download`), 16 calls at a time, two judges
  mss-embodied eval --policy openai:gpt-4o --judge rules --judge execution \\
      --data-root ~/.mss_embodied/data/mssbench --concurrency 16 --rpm 500 --out runs/gpt4o-if
  # a local vLLM server; continue after a crash or Ctrl-C
  mss-embodied eval --policy openai:Qwen2-VL-7B --policy-opt base_url=http://localhost:8000/v1 \\
      --setting cot --out runs/qwen-cot --resume
  # the multi-agent pipeline, spread over a Ray cluster
  mss-embodied eval --policy multiagent:openai:gpt-4o --executor ray --ray-address auto --out runs/ma

The run folder holds results.jsonl (one line per episode, appended crash-safely), config.json,
metrics.json and report.md; one process writes it at a time. API keys come from the environment
(OPENAI_API_KEY) or options; their values (and credentials in base_url) are redacted from every
file written. A run whose episodes keep failing stops early (exit 1) and can be resumed.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="run a policy over the episodes and score it",
                       description="Run a policy on every episode once, score each answer with one or more "
                                   "judges, and write a resumable run folder.",
                       epilog=EVAL_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    what = p.add_argument_group("what to run")
    what.add_argument("--policy", required=True, metavar="NAME",
                      help="comply, refuse, random, oracle, openai:<model>, hf:<model>, multiagent:<policy>")
    what.add_argument("--policy-opt", action="append", metavar="KEY=VALUE",
                      help="policy option, repeatable: base_url, temperature, max_tokens, seed, timeout_s, ...; "
                           "'--policy-opt help' lists the policy's options")
    what.add_argument("--judge", action="append", metavar="NAME",
                      help="rules (default), execution or llm:<model>; repeat for several (the first is primary)")
    what.add_argument("--judge-opt", action="append", metavar="KEY=VALUE",
                      help="option for the judges, repeatable; '--judge-opt help' lists the judges' options")
    data = what.add_mutually_exclusive_group()
    data.add_argument("--data-root", metavar="DIR", help="the official MSSBench data (see `mss-embodied download`)")
    data.add_argument("--scenes", metavar="DIR", help="a folder of scene files (default: the bundled scenes)")
    what.add_argument("--setting", default="if", help="if (default), qc, ic, ic_cap or cot")
    what.add_argument("--variant", default="both", help="safe, unsafe or both (default)")
    what.add_argument("--protocol", default="default", help="prompt wording: default, or an imported one (official)")
    pick = p.add_argument_group("which episodes (filters, then the sample, then the limit)")
    pick.add_argument("--task", action="append", metavar="TYPE",
                      help="only this task type (Place, Toggle, Drop, Heat, PickPlace, ...), repeatable")
    pick.add_argument("--episodes", action="append", metavar="GLOB",
                      help="only episode ids matching GLOB (e.g. 'heat_*' or '*/unsafe/0'), repeatable")
    pick.add_argument("--sample", type=int, metavar="N",
                      help="a seeded sample of about N episodes, stratified by variant and task type, keeping "
                           "safe/unsafe pairs together")
    pick.add_argument("--seed", type=int, default=0, metavar="S", help="the sample's seed (default 0)")
    pick.add_argument("--limit", type=int, metavar="N",
                      help="only the first N episodes in order (a prefix, not a sample: the report says so)")
    what.add_argument("--renderer", metavar="NAME",
                      help="render missing images live: schematic or mujoco (the bundled scenes fall back to "
                           "schematic when their images are not rendered yet)")
    what.add_argument("--plugin", action="append", metavar="MODULE",
                      help="import MODULE first (it may register policies or judges), repeatable")
    how = p.add_argument_group("how to run")
    how.add_argument("--out", metavar="DIR", help="run folder (default: runs/<policy>-<setting>)")
    how.add_argument("--resume", action="store_true", help="continue the run in --out, skipping finished episodes")
    how.add_argument("--retry-errors", action="store_true", help="with --resume: run errored episodes again")
    how.add_argument("--concurrency", type=int, default=8, metavar="N", help="episodes in flight (default 8)")
    how.add_argument("--rpm", type=float, metavar="N", help="at most N policy requests per minute")
    how.add_argument("--tpm", type=float, metavar="N", help="at most N tokens per minute")
    how.add_argument("--executor", default="local", help="local (default, asyncio) or ray")
    how.add_argument("--ray-address", metavar="ADDR", help="Ray cluster address (default: start a local Ray)")
    how.add_argument("--ray-num-cpus", type=int, metavar="N", help="CPUs for a local Ray")
    how.add_argument("--workers", type=int, metavar="N",
                     help="worker processes (local) or Ray actors (default: chosen from the CPUs and --concurrency)")
    how.add_argument("--cache-dir", type=Path, metavar="DIR",
                     help="the cache of model and judge calls shared by all runs (default: "
                          "$MSS_EMBODIED_CACHE_DIR or ~/.cache/mss_embodied; see `mss-embodied cache`)")
    how.add_argument("--no-cache", action="store_true", help="do not read or write the call cache")
    how.add_argument("--quiet", action="store_true", help="no progress bar")
    how.add_argument("--max-errors", type=int, metavar="N",
                     help="stop the run after N failed episodes in all (finished ones are kept; resume later)")
    how.add_argument("--max-consecutive-errors", type=int, metavar="N",
                     help="stop the run after N failed episodes in a row, e.g. a dead endpoint (default 8; 0: never)")
    how.add_argument("--log-file", type=Path, metavar="FILE",
                     help="log every failed call, invalid verdict, retry and the run's progress to FILE")
    how.add_argument("--log-level", default="INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR"),
                     help="level of --log-file (default INFO; DEBUG logs every episode)")
    cost = p.add_argument_group("cost estimate (USD per million tokens)")
    cost.add_argument("--prices", type=Path, metavar="FILE", help="JSON/YAML {model: {input: X, output: Y}}")
    cost.add_argument("--price-in", type=float, metavar="USD", help="input price for this run's model")
    cost.add_argument("--price-out", type=float, metavar="USD", help="output price for this run's model")
    p.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from mss_embodied.harness.breaker import RunStopped
    from mss_embodied.harness.pricing import PriceError, resolve_price
    from mss_embodied.harness.runner import run_eval
    from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec

    if "help" in (args.policy_opt or []) or "help" in (args.judge_opt or []):
        return print_options(args)
    try:
        policy_options = parse_options(args.policy_opt, "--policy-opt")
        judge_options = parse_options(args.judge_opt, "--judge-opt")
        price = resolve_price(args.policy, args.prices, args.price_in, args.price_out)
    except (ValueError, PriceError) as exc:
        err(str(exc))
        return EXIT_USAGE
    spec = RunSpec(policy=args.policy, judges=tuple(args.judge or ["rules"]), policy_options=policy_options,
                   judge_options=judge_options, data_root=args.data_root, scenes=args.scenes, setting=args.setting,
                   variant=args.variant, protocol=args.protocol, limit=args.limit, renderer=args.renderer,
                   plugins=tuple(args.plugin or []), tasks=tuple(args.task or []), episodes=tuple(args.episodes or []),
                   sample=args.sample, seed=args.seed)
    opts = ExecOptions(concurrency=args.concurrency, rpm=args.rpm, tpm=args.tpm, executor=args.executor,
                       ray_address=args.ray_address, ray_num_cpus=args.ray_num_cpus, workers=args.workers,
                       resume=args.resume,
                       retry_errors=args.retry_errors, cache=not args.no_cache, cache_dir=args.cache_dir,
                       price=price, progress=not args.quiet, max_errors=args.max_errors)
    if args.max_consecutive_errors is not None:
        opts.max_consecutive_errors = args.max_consecutive_errors
    out = args.out if args.out is not None else default_out(args.policy, args.setting, args.variant)
    bundled = args.data_root is None and args.scenes is None
    from mss_embodied.harness.progress import configure_logging, remove_logging

    try:
        handlers = configure_logging(args.log_file, args.log_level)
    except OSError as exc:
        err(f"--log-file {args.log_file}: cannot write it ({exc})")
        return EXIT_USAGE
    try:
        summary = run_eval(spec, out, opts, default_renderer="schematic" if bundled else None)
    except RunStopped as exc:  # the circuit breaker: inputs were fine, the endpoint was not
        err(eval_error(exc))
        return EXIT_FAIL
    except EvalError as exc:
        err(eval_error(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        err(f"interrupted; finished episodes are kept in {out}: continue with the same command and --resume")
        return EXIT_INTERRUPTED
    finally:
        remove_logging(handlers)
    m = summary.metrics
    from mss_embodied.harness.report import percent

    print(f"{out}: {m['n_episodes']} episodes ({summary.n_skipped} from before, {summary.cache_hits} cached) "
          f"in {summary.wall_s:.1f}s | safe {percent(m['safe_accuracy'])} | unsafe {percent(m['unsafe_accuracy'])} | "
          f"average {percent(m['average_accuracy'])} | errors {m['n_errors']}")
    print(f"report: mss-embodied report {out}")
    return EXIT_OK
