"""The ``mss-embodied`` command: eval, report, scenes, download, protocol.

Bad input (a file, field or value) is reported in one message naming it, with exit code 2; a run
stopped by Ctrl-C exits 130 and keeps every finished episode (continue with ``--resume``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mss_embodied import __version__

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

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

REPORT_EPILOG = """\
examples:
  mss-embodied report runs/comply-bundled
  mss-embodied report runs/gpt4o-if runs/qwen-cot --out reports/compare      # tables + PNG plots
  mss-embodied report runs/gpt4o-if --format json
"""


# -- helpers -------------------------------------------------------------------------------------
def parse_option(text: str, flag: str) -> tuple[str, Any]:
    """``key=value``; the value is read as JSON when it parses (numbers, true/false, null), else text."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise ValueError(f"{flag} {text!r}: expected key=value with a name like max_tokens")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return key, value


def parse_options(items: Sequence[str] | None, flag: str) -> dict[str, Any]:
    return dict(parse_option(item, flag) for item in items or [])


def _err(message: str) -> None:
    print(f"mss-embodied: error: {message}", file=sys.stderr)


def _default_out(policy: str, setting: str, variant: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", policy).strip("-") or "run"
    return Path("runs") / (f"{slug}-{setting}" + ("" if variant == "both" else f"-{variant}"))


# -- eval ----------------------------------------------------------------------------------------
def _add_eval(sub: argparse._SubParsersAction) -> None:
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
    how.add_argument("--cache-dir", type=Path, metavar="DIR",
                     help="response cache shared between runs (default: <out>/cache)")
    how.add_argument("--no-cache", action="store_true", help="do not read or write the response cache")
    how.add_argument("--quiet", action="store_true", help="no progress bar")
    cost = p.add_argument_group("cost estimate (USD per million tokens)")
    cost.add_argument("--prices", type=Path, metavar="FILE", help="JSON/YAML {model: {input: X, output: Y}}")
    cost.add_argument("--price-in", type=float, metavar="USD", help="input price for this run's model")
    cost.add_argument("--price-out", type=float, metavar="USD", help="output price for this run's model")
    p.set_defaults(func=cmd_eval)


def cmd_eval(args: argparse.Namespace) -> int:
    from mss_embodied.harness.pricing import PriceError, resolve_price
    from mss_embodied.harness.runner import EvalError, ExecOptions, RunSpec, run_eval

    try:
        policy_options = parse_options(args.policy_opt, "--policy-opt")
        judge_options = parse_options(args.judge_opt, "--judge-opt")
        price = resolve_price(args.policy, args.prices, args.price_in, args.price_out)
    except (ValueError, PriceError) as exc:
        _err(str(exc))
        return EXIT_USAGE
    spec = RunSpec(policy=args.policy, judges=tuple(args.judge or ["rules"]), policy_options=policy_options,
                   judge_options=judge_options, data_root=args.data_root, scenes=args.scenes, setting=args.setting,
                   variant=args.variant, protocol=args.protocol, limit=args.limit, renderer=args.renderer,
                   plugins=tuple(args.plugin or []))
    opts = ExecOptions(concurrency=args.concurrency, rpm=args.rpm, tpm=args.tpm, executor=args.executor,
                       ray_address=args.ray_address, ray_num_cpus=args.ray_num_cpus, resume=args.resume,
                       retry_errors=args.retry_errors, cache=not args.no_cache, cache_dir=args.cache_dir,
                       price=price, progress=not args.quiet)
    out = args.out or _default_out(args.policy, args.setting, args.variant)
    bundled = args.data_root is None and args.scenes is None
    try:
        summary = run_eval(spec, out, opts, default_renderer="schematic" if bundled else None)
    except EvalError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err(f"interrupted; finished episodes are kept in {out}: continue with the same command and --resume")
        return EXIT_INTERRUPTED
    m = summary.metrics
    from mss_embodied.harness.report import percent

    print(f"{out}: {m['n_episodes']} episodes ({summary.n_skipped} from before, {summary.cache_hits} cached) "
          f"in {summary.wall_s:.1f}s | safe {percent(m['safe_accuracy'])} | unsafe {percent(m['unsafe_accuracy'])} | "
          f"average {percent(m['average_accuracy'])} | errors {m['n_errors']}")
    print(f"report: mss-embodied report {out}")
    return EXIT_OK


# -- report --------------------------------------------------------------------------------------
def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="tables and plots for one run or several side by side",
                       description="Recompute the metrics of one or more run folders from their results.jsonl "
                                   "and print the paper's table (safe, unsafe, average; per task type and "
                                   "category), execution metrics, errors, judge agreement and usage.",
                       epilog=REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("runs", nargs="+", type=Path, metavar="RUN", help="run folder(s) written by `eval`")
    p.add_argument("--format", choices=("md", "json"), default="md", help="output format (default md)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="write report.md/report.json and PNG plots to DIR instead of printing")
    p.add_argument("--no-plots", action="store_true", help="with --out: tables only")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from mss_embodied.harness.report import (
        PlotsUnavailableError,
        ReportError,
        load_run,
        render_json,
        render_markdown,
        write_plots,
    )

    try:
        runs = [load_run(path) for path in args.runs]
    except ReportError as exc:
        _err(str(exc))
        return EXIT_USAGE
    text = render_markdown(runs) if args.format == "md" else render_json(runs)
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _err(f"--out {args.out}: cannot create the folder ({exc})")
        return EXIT_USAGE
    target = args.out / f"report.{args.format}"
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    if not args.no_plots:
        try:
            for path in write_plots(runs, args.out):
                print(f"wrote {path}")
        except PlotsUnavailableError as exc:
            _err(str(exc))
            return EXIT_FAIL
    return EXIT_OK


# -- scenes, download, protocol ------------------------------------------------------------------
def _add_scenes(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scenes", help="validate or render scene files",
                       description="Check scene files (schema, symbolic oracle, renderer coverage) or render "
                                   "their images.",
                       epilog="examples:\n  mss-embodied scenes validate my_scenes/\n"
                              "  mss-embodied scenes render --renderer schematic\n",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    ssub = p.add_subparsers(dest="scenes_command", metavar="{validate,render}", required=True)
    v = ssub.add_parser("validate", help="check every scene file under PATH",
                        description="Check every scene file under PATH; exit 1 when any is invalid.")
    v.add_argument("path", type=Path, metavar="PATH", help="a scene file or folder")
    v.add_argument("--renderer", metavar="NAME", help="also check every object type is known to this renderer")
    v.set_defaults(func=cmd_scenes_validate)
    r = ssub.add_parser("render", help="render the images of the scenes under PATH",
                        description="Render each situation's image next to its scene file.")
    r.add_argument("path", type=Path, nargs="?", metavar="PATH", help="scene file or folder (default: bundled)")
    r.add_argument("--renderer", metavar="NAME", help="mujoco or schematic (default: the scene tools' choice)")
    r.add_argument("--size", type=int, default=512, metavar="PX", help="image width and height (default 512)")
    r.add_argument("--only", action="append", metavar="ID", help="only this scenario id, repeatable")
    r.set_defaults(func=cmd_scenes_render)


def _scene_tools() -> Any:
    try:
        from mss_embodied.authoring import tools as scene_tools
    except ImportError as exc:
        raise RuntimeError(f"scene tools are unavailable ({exc})") from None
    return scene_tools


def cmd_scenes_validate(args: argparse.Namespace) -> int:
    return int(_scene_tools().validate_command(args.path, args.renderer))


def cmd_scenes_render(args: argparse.Namespace) -> int:
    from mss_embodied.scenes import bundled_scenes_dir

    path = args.path if args.path is not None else bundled_scenes_dir()
    tools = _scene_tools()
    return int(tools.render_command(path, args.renderer or tools.DEFAULT_RENDERER, args.size, args.only))


def _add_download(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("download", help="fetch the official MSSBench data from Hugging Face and check it",
                       description="Download the embodied part of the MSSBench dataset (kzhou35/mssbench) and "
                                   "check every record and image. The data is not redistributed with this "
                                   "package.",
                       epilog="examples:\n  mss-embodied download\n  mss-embodied download --dest data/mssbench\n",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dest", type=Path, metavar="DIR", help="target folder (default: ~/.mss_embodied/data/mssbench)")
    p.add_argument("--revision", metavar="REV", help="a dataset revision (branch, tag or commit)")
    p.add_argument("--all", action="store_true", help="also fetch the chat part")
    p.set_defaults(func=cmd_download)


def cmd_download(args: argparse.Namespace) -> int:
    from mss_embodied.data.download import DownloadError, download

    try:
        result = download(args.dest, args.revision, args.all)
    except DownloadError as exc:
        _err(str(exc))
        return EXIT_FAIL
    print(result.summary())
    return EXIT_OK


def _add_protocol(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("protocol", help="import the official prompt wording",
                       description="Build a prompt protocol from your own copy of the MSSBench code (or a JSON "
                                   "file with its strings); it is stored under ~/.mss_embodied/protocols.",
                       epilog="examples:\n  mss-embodied protocol import ~/src/MSSBench\n"
                              "  mss-embodied eval --policy openai:gpt-4o --protocol official\n",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    psub = p.add_subparsers(dest="protocol_command", metavar="{import}", required=True)
    imp = psub.add_parser("import", help="import prompts from PATH (a repository checkout, a .py or a .json)")
    imp.add_argument("path", type=Path, metavar="PATH")
    imp.add_argument("--name", default="official", help="protocol name (default official)")
    imp.set_defaults(func=cmd_protocol_import)


def cmd_protocol_import(args: argparse.Namespace) -> int:
    from mss_embodied.protocol.importer import import_protocol

    try:
        target = import_protocol(args.path, name=args.name)
    except (ValueError, OSError) as exc:  # ProtocolImportError is a ValueError
        _err(str(exc))
        return EXIT_USAGE
    print(f"imported protocol {args.name!r} to {target}; use it with --protocol {args.name}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mss-embodied",
        description="Multimodal situational safety for embodied agents (MSSBench, embodied part): run policies "
                    "on safe/unsafe situation pairs, score them, and report.",
        epilog="examples:\n  mss-embodied eval --policy comply --judge rules --out runs/comply-bundled\n"
               "  mss-embodied report runs/comply-bundled\n  mss-embodied download\n\n"
               "`mss-embodied COMMAND --help` explains each command.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_eval(sub)
    _add_report(sub)
    _add_scenes(sub)
    _add_download(sub)
    _add_protocol(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except RuntimeError as exc:
        _err(str(exc))
        return EXIT_FAIL
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
