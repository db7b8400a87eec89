#!/usr/bin/env bash
# mypy over the installed layout. The top-level envs/, policies/ and scenes/ folders are the
# subpackages mss_embodied.envs/.policies/.scenes (setuptools package-dir); mypy has no such
# mapping, so we check a link tree that mirrors the installed package.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tree="$root/.cache/mypy-tree"
rm -rf "$tree" && mkdir -p "$tree/mss_embodied"
for f in "$root"/mss_embodied/*; do ln -s "$f" "$tree/mss_embodied/"; done
for sub in envs policies scenes; do ln -s "$root/$sub" "$tree/mss_embodied/$sub"; done
ln -s "$root/tests" "$tree/tests"
ln -s "$root/benchmarks" "$tree/benchmarks"
cd "$tree"
"${MYPY:-$root/.venv/bin/mypy}" --config-file "$root/pyproject.toml" mss_embodied tests benchmarks
