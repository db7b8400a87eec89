"""The bundled scene set: declarative scenario files and their pre-rendered images."""

from __future__ import annotations

from pathlib import Path

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"


def bundled_scenes_dir() -> Path:
    """Where the bundled scenario files live (installed with the package)."""
    return BUNDLED_DIR
