#!/usr/bin/env bash
# Fresh machine -> the main job: evaluate the `comply` baseline on the bundled scene set with the
# rule-based checker and write its report (runs/comply-bundled/report.md and plots). Does all of
# its own set-up: a virtual environment in .venv and the light core plus the report extra.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[report]" \
  2> >(grep -v "^WARNING: Location" >&2)
OUT="${1:-runs/comply-bundled}"
.venv/bin/mss-embodied eval --policy comply --judge rules --judge execution --out "$OUT" --resume
.venv/bin/mss-embodied report "$OUT" --out "$OUT"
echo "report: $OUT/report.md"
