"""The entry points of every registered id, in one module.

``gym.pprint_registry()`` groups ids by the third part of their entry point's module path, so
pointing every id here lists them together under ``mss_embodied`` instead of one heading per
module. Classes are imported on first use, so listing the registry imports no env module.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE: dict[str, str] = {
    "MSSEmbodiedEnv": "mss_embodied.envs.single_step",
    "MSSEmbodiedInteractiveEnv": "mss_embodied.envs.interactive",
    "MSSEmbodiedProceduralEnv": "mss_embodied.envs.procedural",
    "ThorInteractiveEnv": "mss_embodied.envs.thor",
    "single_step_vector_env": "mss_embodied.envs.vector",
    "interactive_vector_env": "mss_embodied.envs.vector",
    "procedural_vector_env": "mss_embodied.envs.vector",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
