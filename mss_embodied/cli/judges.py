"""``mss-embodied judges check``: every judge against a user's own hand labels.

Each labelled answer is scored through the one episode pipeline (the same reading, the same judge
calls and the same invalid-answer rule as an evaluation run), then compared with its label.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mss_embodied.cli.common import EXIT_OK, EXIT_USAGE, err, parse_options

CHECK_EPILOG = """\
examples:
  mss-embodied judges check labels.jsonl --data-root data/mssbench
  mss-embodied judges check labels.jsonl --judge rules --judge execution --format json
  mss-embodied judges check labels.jsonl --judge llm:gpt-4o --judge-opt base_url=http://localhost:8000/v1

A labels line: {"id": ..., "episode_id": "mssbench-012/unsafe/3" or "<scene id>/safe/0",
"response": ..., "label": 0-3 or "invalid"}, optionally "style", "acts", "hazard", "sure",
"finish_reason" and "note". Official episode ids need --data-root (images are not needed);
other ids are looked up in --scenes (default: the bundled scenes).
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("judges", help="validate the judges against your own hand labels",
                       description="Tools for the judges.")
    jsub = p.add_subparsers(dest="judges_command", metavar="{check}", required=True)
    c = jsub.add_parser("check", help="agreement of every judge with a labels file",
                        description="Score every labelled answer with each judge through the episode pipeline "
                                    "and report the confusion matrix, observed agreement, Cohen's kappa, "
                                    "agreement on correctness (the paper's rule), invalid-answer handling, the "
                                    "execution view's hazard verdicts and the disagreements.",
                        epilog=CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    c.add_argument("labels", type=Path, metavar="LABELS.jsonl", help="the hand-labelled answers")
    c.add_argument("--judge", action="append", metavar="NAME",
                   help="judge to check, repeatable (default: rules and execution)")
    c.add_argument("--judge-opt", action="append", metavar="KEY=VALUE", help="option for the judges, repeatable")
    c.add_argument("--data-root", metavar="DIR", help="the official MSSBench data, for mssbench-NNN episode ids")
    c.add_argument("--scenes", metavar="DIR", help="scene folder or pack for the other ids (default: bundled)")
    c.add_argument("--format", choices=("md", "json"), default="md", help="output format (default md)")
    c.add_argument("--summary", action="store_true", help="tables only, without the lists of items")
    c.add_argument("--concurrency", type=int, default=8, metavar="N", help="judge calls at a time (LLM judges)")
    c.set_defaults(func=cmd_judges_check)


def resolve_episodes(items: Sequence[Any], data_root: str | None, scenes: str | None) -> list[Any]:
    """Each item's episode: official ids from ``data_root``, the others from ``scenes``. Raises
    LabelsError naming the item and field."""
    from mss_embodied.data.sources import load_scenarios
    from mss_embodied.scoring.validation import LabelsError

    official = [i for i in items if i.episode_id.startswith("mssbench-")]
    other = [i for i in items if not i.episode_id.startswith("mssbench-")]
    by_id: dict[str, Any] = {}
    if official:
        if data_root is None:
            raise LabelsError(f"item {official[0].id} field 'episode_id': {official[0].episode_id!r} is an "
                              "official MSSBench episode; pass --data-root")
        for s in load_scenarios(data_root=data_root, check_images=False):
            by_id.update({e.id: e for e in s.episodes()})
    if other:
        for s in load_scenarios(scenes=scenes):
            by_id.update({e.id: e for e in s.episodes()})
    missing = [i for i in items if i.episode_id not in by_id]
    if missing:
        raise LabelsError(f"item {missing[0].id} field 'episode_id': no episode {missing[0].episode_id!r} in "
                          + ("the official data" if missing[0].episode_id.startswith("mssbench-") else
                             f"the scenes ({scenes or 'bundled'})") + f" ({len(missing)} item(s) unresolved)")
    return [by_id[i.episode_id] for i in items]


async def _score_all(pipeline: Any, items: Sequence[Any], episodes: Sequence[Any], concurrency: int) -> list[Any]:
    from mss_embodied.policies.base import PolicyResponse

    gate = asyncio.Semaphore(max(1, concurrency))

    async def one(item: Any, episode: Any) -> Any:
        meta = {"finish_reason": item.finish_reason} if item.finish_reason else {}
        async with gate:
            return await pipeline.ascore(episode, PolicyResponse(text=item.response, meta=meta))

    return list(await asyncio.gather(*(one(i, e) for i, e in zip(items, episodes, strict=True))))


def check_labels(labels: Path, judges: Sequence[str], judge_options: dict[str, Any] | None = None,
                 data_root: str | None = None, scenes: str | None = None, concurrency: int = 8) -> Any:
    """Load, resolve, score through the pipeline and measure: the ValidationReport."""
    from mss_embodied.pipeline import EpisodePipeline
    from mss_embodied.scoring.validation import build_report, load_labels

    items = load_labels(labels)
    episodes = resolve_episodes(items, data_root, scenes)
    pipeline = EpisodePipeline(list({e.id: e for e in episodes}.values()), judges=list(judges),
                               judge_options=judge_options or {})
    try:
        per_item = asyncio.run(_score_all(pipeline, items, episodes, concurrency))
    finally:
        pipeline.close()
    names = pipeline.judge_names
    return build_report(str(labels), items, {name: [scores[k] for scores in per_item] for k, name in enumerate(names)})


def cmd_judges_check(args: argparse.Namespace) -> int:
    from mss_embodied.data.official import DatasetError
    from mss_embodied.pipeline import ComponentError
    from mss_embodied.scoring.validation import LabelsError, render_json, render_markdown

    if args.data_root is not None and not Path(args.data_root).is_dir():
        err(f"--data-root {args.data_root}: not a folder")
        return EXIT_USAGE
    try:
        options = parse_options(args.judge_opt, "--judge-opt")
        report = check_labels(args.labels, args.judge or ["rules", "execution"], options, args.data_root,
                              args.scenes, args.concurrency)
    except ComponentError as exc:
        err(f"--judge {exc.reason}")
        return EXIT_USAGE
    except (LabelsError, DatasetError, ValueError) as exc:
        err(str(exc))
        return EXIT_USAGE
    render = render_markdown if args.format == "md" else render_json
    sys.stdout.write(render(report, lists=not args.summary))
    return EXIT_OK
