"""Write the review table of the official records' derived states (docs/derived_states.md).

    python scripts/derived_states.py --data-root data/mssbench [--out docs/derived_states.md]

Needs the official annotation file only (images are not read). The table holds derived facts
(types, relations, goals, plans, hazard rules), never the dataset's captions or instructions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mss_embodied.data.derived_report import render_table
from mss_embodied.data.official import DatasetError, load_official


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", required=True, help="folder holding combined.json")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "derived_states.md")
    args = parser.parse_args(argv)
    try:
        ds = load_official(args.data_root, check_images=False)
    except DatasetError as exc:
        print(f"derived_states: error: {exc}", file=sys.stderr)
        return 2
    args.out.write_text(render_table(ds), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
