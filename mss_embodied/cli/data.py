"""``mss-embodied download`` and ``mss-embodied protocol import``: the official data and wording."""

from __future__ import annotations

import argparse
from pathlib import Path

from mss_embodied.cli.common import EXIT_FAIL, EXIT_OK, EXIT_USAGE, err


def add_download_parser(sub: argparse._SubParsersAction) -> None:
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
        err(str(exc))
        return EXIT_FAIL
    print(result.summary())
    return EXIT_OK


def add_protocol_parser(sub: argparse._SubParsersAction) -> None:
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
        err(str(exc))
        return EXIT_USAGE
    print(f"imported protocol {args.name!r} to {target}; use it with --protocol {args.name}")
    return EXIT_OK
