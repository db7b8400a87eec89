"""The ``mss-embodied`` command: eval, report, view, scenes, judges, cache, download, protocol.

Bad input (a file, field or value) is reported in one message naming it, with exit code 2; a run
stopped by Ctrl-C exits 130 and keeps every finished episode (continue with ``--resume``).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from mss_embodied import __version__
from mss_embodied.cli import cache, data, evaluate, judges, report, scenes, view
from mss_embodied.cli.common import EXIT_FAIL, EXIT_OK, err, parse_option

__all__ = ["build_parser", "main", "parse_option"]


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
    evaluate.add_parser(sub)
    report.add_parser(sub)
    view.add_parser(sub)
    scenes.add_parser(sub)
    judges.add_parser(sub)
    data.add_download_parser(sub)
    data.add_protocol_parser(sub)
    cache.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except RuntimeError as exc:
        err(str(exc))
        return EXIT_FAIL
    except BrokenPipeError:
        return EXIT_OK
