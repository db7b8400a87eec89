"""``mss-embodied eval``: run a policy over the episodes and score it."""

from __future__ import annotations

import argparse
from pathlib import Path

from mss_embodied.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    default_out,
    err,
    eval_error,
    parse_options,
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
metrics.json and report.md. API keys come from the environment (OPENAI_API_KEY); options named
like api_key, hf_token, client_secret or password are never written to disk.
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
                      help="policy option, repeatable: base_url, temperature, max_tokens, seed, timeout_s, ...")
    what.add_argument("--judge", action="append", metavar="NAME",
                      help="rules (default), execution or llm:<model>; repeat for several (the first is primary)")
    what.add_argument("--judge-opt", action="append", metavar="KEY=VALUE", help="option for the judges, repeatable")
    data = what.add_mutually_exclusive_group()
    data.add_argument("--data-root", metavar="DIR", help="the official MSSBench data (see `mss-embodied download`)")
    data.add_argument("--scenes", metavar="DIR", help="a folder of scene files (default: the bundled scenes)")
    what.add_argument("--setting", default="if", help="if (default), qc, ic, ic_cap or cot")
    what.add_argument("--variant", default="both", help="safe, unsafe or both (default)")
    what.add_argument("--protocol", default="default", help="prompt wording: default, or an imported one (official)")
    what.add_argument("--limit", type=int, metavar="N", help="only the first N episodes")
    what.add_argument("--renderer", metavar="NAME",
                      help="render missing images live: schematic or mujoco (the bundled scenes fall back to "
                           "schematic when their images are not rendered yet)")
    what.add_argument("--plugin", action="append", metavar="MODULE",
                      help="import MODULE first (it may register policies or judges), repeatable")
    how = p.add_argument_group("how to run")
    how.add_argument("--out", type=Path, metavar="DIR", help="run folder (default: runs/<policy>-<setting>)")
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
    cost = p.add_argument_group("cost estimate (USD per million tokens)")
    cost.add_argument("--prices", type=Path, metavar="FILE", help="JSON/YAML {model: {input: X, output: Y}}")
    cost.add_argument("--price-in", type=float, metavar="USD", help="input price for this run's model")
    cost.add_argument("--price-out", type=float, metavar="USD", help="output price for this run's model")
    p.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from mss_embodied.harness.pricing import PriceError, resolve_price
    from mss_embodied.harness.runner import run_eval
    from mss_embodied.harness.spec import EvalError, ExecOptions, RunSpec

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
                   plugins=tuple(args.plugin or []))
    opts = ExecOptions(concurrency=args.concurrency, rpm=args.rpm, tpm=args.tpm, executor=args.executor,
                       ray_address=args.ray_address, ray_num_cpus=args.ray_num_cpus, workers=args.workers,
                       resume=args.resume,
                       retry_errors=args.retry_errors, cache=not args.no_cache, cache_dir=args.cache_dir,
                       price=price, progress=not args.quiet)
    out = args.out or default_out(args.policy, args.setting, args.variant)
    bundled = args.data_root is None and args.scenes is None
    try:
        summary = run_eval(spec, out, opts, default_renderer="schematic" if bundled else None)
    except EvalError as exc:
        err(eval_error(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        err(f"interrupted; finished episodes are kept in {out}: continue with the same command and --resume")
        return EXIT_INTERRUPTED
    m = summary.metrics
    from mss_embodied.harness.report import percent

    print(f"{out}: {m['n_episodes']} episodes ({summary.n_skipped} from before, {summary.cache_hits} cached) "
          f"in {summary.wall_s:.1f}s | safe {percent(m['safe_accuracy'])} | unsafe {percent(m['unsafe_accuracy'])} | "
          f"average {percent(m['average_accuracy'])} | errors {m['n_errors']}")
    print(f"report: mss-embodied report {out}")
    return EXIT_OK
