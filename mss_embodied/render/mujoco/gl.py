"""Pick a headless OpenGL backend for MuJoCo before ``mujoco`` is first imported.

MuJoCo reads ``MUJOCO_GL`` once, at import time, so the choice has to be made up front. A
user's ``MUJOCO_GL`` always wins; otherwise EGL (GPU, or Mesa's software EGL) is tried, then
OSMesa (pure CPU). Each candidate is probed in a subprocess, because a backend that fails to
create a context can leave the importing process unable to try another one.

Mesa's software rasteriser (llvmpipe, behind OSMesa and software EGL) starts worker threads with its
first context; a process forked after that (an async vector env's workers) inherits the thread pool
without its threads and hangs at the first texture upload. ``LP_NUM_THREADS=0`` (set here unless the
user chose a value) keeps llvmpipe on the rendering thread, which is fork-safe and, with one env per
core, no slower (benchmarks/render_speed.py: 0.044 s vs 0.043 s per 512 px frame on 2 cores).
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from functools import lru_cache
from typing import Any

#: Backends tried in order when MUJOCO_GL is unset.
CANDIDATES: tuple[str, ...] = ("egl", "osmesa")

_LIBRARIES = {"egl": "libEGL.so", "osmesa": "libOSMesa.so"}
_PROBE = (
    "import mujoco\n"
    "ctx = mujoco.GLContext(16, 16)\n"
    "ctx.make_current()\n"
    "ctx.free()\n"
)


class BackendUnavailableError(RuntimeError):
    """No headless OpenGL backend works; the message says which library to install."""


def _probe(backend: str, timeout: float = 60.0) -> str | None:
    """Try to create a GL context with ``backend`` in a child process; return the error or None."""
    env = dict(os.environ, MUJOCO_GL=backend, PYOPENGL_PLATFORM=backend)
    try:
        proc = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return str(exc)
    if proc.returncode == 0:
        return None
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"exit code {proc.returncode}"


def _missing_message(errors: dict[str, str]) -> str:
    details = "; ".join(f"{name} ({_LIBRARIES.get(name, name)}): {err}" for name, err in errors.items())
    return (
        "MuJoCo cannot create a headless OpenGL context. Neither libEGL.so (EGL) nor libOSMesa.so "
        "(OSMesa) is usable. On Debian/Ubuntu install one with `apt-get install libosmesa6` "
        "(CPU) or `apt-get install libegl1 libgl1` plus a GPU driver (EGL). Details: " + details
    )


@lru_cache(maxsize=1)
def select_backend() -> str:
    """Return the GL backend to use, setting MUJOCO_GL/PYOPENGL_PLATFORM if they are unset.

    Works even when mujoco was imported first: contexts come from ``gl_context_class``, which
    loads the backend module directly instead of the one mujoco chose at import.
    """
    os.environ.setdefault("LP_NUM_THREADS", "0")  # fork-safe llvmpipe (see the module docstring)
    chosen = os.environ.get("MUJOCO_GL", "").strip().lower()
    if chosen:
        if chosen in _LIBRARIES:
            os.environ.setdefault("PYOPENGL_PLATFORM", chosen)
        return chosen
    errors: dict[str, str] = {}
    for backend in CANDIDATES:
        err = _probe(backend)
        if err is None:
            os.environ["MUJOCO_GL"] = backend
            os.environ["PYOPENGL_PLATFORM"] = backend
            return backend
        errors[backend] = err
    raise BackendUnavailableError(_missing_message(errors))


def gl_context_class(backend: str) -> Any:
    """The GLContext class for a backend (egl/osmesa directly; anything else via mujoco)."""
    if backend in _LIBRARIES:
        return importlib.import_module(f"mujoco.{backend}").GLContext
    import mujoco

    return mujoco.GLContext


def make_context(backend: str, width: int, height: int) -> Any:
    """A current offscreen GL context; fails with install advice when the backend is unusable."""
    try:
        ctx = gl_context_class(backend)(width, height)
        ctx.make_current()
    except Exception as exc:  # the GL wrappers raise many unrelated types
        raise BackendUnavailableError(_missing_message({backend: repr(exc)})) from exc
    return ctx
