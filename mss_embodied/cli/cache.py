"""``mss-embodied cache stats|clear``: the machine's shared cache of model and judge calls."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from mss_embodied.cli.common import EXIT_OK, EXIT_USAGE, err

CACHE_EPILOG = """\
examples:
  mss-embodied cache stats                       # where it is, entries and size per kind
  mss-embodied cache clear --kind judge          # forget the judge verdicts only
  mss-embodied cache clear --cache-dir /scratch/mss-cache

The cache lives in $MSS_EMBODIED_CACHE_DIR, else $XDG_CACHE_HOME/mss_embodied, else
~/.cache/mss_embodied; `eval --cache-dir DIR` uses another folder and `eval --no-cache` none.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("cache", help="show or empty the shared cache of model and judge calls",
                       description="Every run reads and writes one cache of successful model answers and valid "
                                   "judge verdicts, so a rerun or another run never pays twice for the same call.",
                       epilog=CACHE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    stats = actions.add_parser("stats", help="where the cache is, entries and bytes per kind")
    stats.add_argument("--json", action="store_true", help="print JSON")
    clear = actions.add_parser("clear", help="delete the entries (all, or one kind)")
    clear.add_argument("--kind", choices=("policy", "judge"), help="only this kind of entry")
    for action in (stats, clear):
        action.add_argument("--cache-dir", type=Path, metavar="DIR", help="the cache folder (default: see below)")
        action.set_defaults(func=cmd_cache)


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} B"


def cmd_cache(args: argparse.Namespace) -> int:
    from mss_embodied.harness.cache import CacheError, ResponseCache, default_cache_dir

    folder = args.cache_dir if args.cache_dir is not None else default_cache_dir()
    if folder.exists() and not folder.is_dir():
        err(f"--cache-dir: {folder} is not a folder")
        return EXIT_USAGE
    cache = ResponseCache(folder)
    try:
        if args.action == "clear":
            n = cache.clear(args.kind)
            print(f"{cache.path}: removed {n} {args.kind + ' ' if args.kind else ''}entries")
            return EXIT_OK
        stats = cache.stats()
    except CacheError as exc:
        err(str(exc))
        return EXIT_USAGE
    finally:
        cache.close()
    if args.json:
        print(json.dumps(stats, indent=2))
        return EXIT_OK
    print(f"{stats['path']}: {stats['entries']} entries, {_size(stats['file_bytes'])} on disk")
    for kind, k in stats["kinds"].items():
        print(f"  {kind:<7} {k['entries']:>8} entries  {_size(k['bytes']):>10}")
    return EXIT_OK
