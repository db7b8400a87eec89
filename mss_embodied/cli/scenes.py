"""``mss-embodied scenes``: validate or render scene files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_parser(sub: argparse._SubParsersAction) -> None:
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


#: Largest image side ``scenes render`` draws (a 16k frame is 768 MB of pixels).
MAX_RENDER_SIZE = 4096


def cmd_scenes_render(args: argparse.Namespace) -> int:
    from mss_embodied.cli.common import EXIT_USAGE, err
    from mss_embodied.scenes import bundled_scenes_dir

    if not 1 <= args.size <= MAX_RENDER_SIZE:
        err(f"--size: must be between 1 and {MAX_RENDER_SIZE} pixels, got {args.size}")
        return EXIT_USAGE
    path = args.path if args.path is not None else bundled_scenes_dir()
    tools = _scene_tools()
    return int(tools.render_command(path, args.renderer or tools.DEFAULT_RENDERER, args.size, args.only))
