"""``mss-embodied view``: a static page to look at every episode of one or more runs."""

from __future__ import annotations

import argparse
from pathlib import Path

from mss_embodied.cli.common import EXIT_OK, EXIT_USAGE, err


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("view", help="write a static page showing every episode of one or more runs",
                       description="Write a static site (index.html, data.js, images/) that opens from disk "
                                   "without a server: per episode the image, instruction, prompt, answer, every "
                                   "judge's class and explanation, hazards and the executed plan, with filters; "
                                   "several runs side by side.",
                       epilog="examples:\n  mss-embodied view runs/gpt4o-if --out views/gpt4o\n"
                              "  mss-embodied view runs/gpt4o-if runs/qwen-if --out views/compare\n"
                              "  then open views/compare/index.html in a browser\n",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("runs", nargs="+", type=Path, metavar="RUN", help="run folder(s) written by `eval`")
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the site to")
    p.set_defaults(func=cmd_view)


def cmd_view(args: argparse.Namespace) -> int:
    from mss_embodied.harness.report import ReportError
    from mss_embodied.viewer import write_site

    try:
        index = write_site(args.runs, args.out)
    except ReportError as exc:
        err(str(exc))
        return EXIT_USAGE
    except OSError as exc:
        err(f"--out {args.out}: cannot write the site ({exc})")
        return EXIT_USAGE
    print(f"wrote {index} (open it in a browser)")
    return EXIT_OK
