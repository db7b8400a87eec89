#!/usr/bin/env bash
# Fresh machine -> full test suite. Does all of its own set-up: the system library for headless
# MuJoCo rendering (Debian's libosmesa6), Chromium for the viewer test, a virtual environment in .venv, the package with every
# extra the tests exercise (torch pinned to the 2.13.0 CPU build), then ruff, mypy and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ldconfig -p 2>/dev/null | grep -q libOSMesa; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libosmesa6 >/dev/null
fi

# headless Chromium for the episode viewer's browser test (best effort: that test skips, saying why, without it)
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium; } >/dev/null 2>&1 \
    || echo "note: chromium could not be installed; the viewer's browser test will be skipped" >&2
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
pip_install() {  # quiet, without the notes about local package-index folders some machines print
  .venv/bin/python -m pip install -q --disable-pip-version-check "$@" 2> >(grep -v "^WARNING: Location" >&2)
}
pip_install "torch==2.13.0"   # the CPU build; never let a dependency pull a CUDA one
pip_install -e ".[dev,openai,hf,sim,ray,report,hub,inspect]"

export MUJOCO_GL="${MUJOCO_GL:-osmesa}" PYOPENGL_PLATFORM="${PYOPENGL_PLATFORM:-osmesa}"
.venv/bin/ruff check .
.venv/bin/mypy
.venv/bin/python -m pytest -q "$@"
