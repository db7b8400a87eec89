"""Shared fixtures: the official MSSBench file (from ../shared, never committed) with placeholder
images generated in a temporary folder, and small helpers."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

SHARED_MSSBENCH = Path(__file__).resolve().parents[1].parent / "shared" / "mssbench"
COMBINED = SHARED_MSSBENCH / "combined.json"


@pytest.fixture(scope="session", autouse=True)
def _session_call_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Runs share one call cache per machine by default: tests never touch the user's, and fixtures
    shared by several tests (module scope) use one for the session."""
    old = os.environ.get("MSS_EMBODIED_CACHE_DIR")
    os.environ["MSS_EMBODIED_CACHE_DIR"] = str(tmp_path_factory.mktemp("call-cache"))
    yield
    if old is None:
        os.environ.pop("MSS_EMBODIED_CACHE_DIR", None)
    else:
        os.environ["MSS_EMBODIED_CACHE_DIR"] = old


@pytest.fixture(autouse=True)
def _call_cache_per_test(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own call cache (subprocesses inherit it), so no test sees another's answers."""
    monkeypatch.setenv("MSS_EMBODIED_CACHE_DIR", str(tmp_path_factory.mktemp("test-call-cache")))


def make_placeholder_images(root: Path, records: list[dict]) -> None:
    """One small image per file name the records use, in the format its suffix names."""
    folder = root / "embodied"
    folder.mkdir(parents=True, exist_ok=True)
    for i, rec in enumerate(records):
        for key in ("safe", "unsafe"):
            name = rec[key]
            colour = (i * 3 % 256, 100 if key == "safe" else 200, 50)
            Image.new("RGB", (64, 48), colour).save(folder / name)


@pytest.fixture(scope="session")
def official_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A dataset root with the shared combined.json and placeholder images."""
    if not COMBINED.is_file():
        pytest.skip(f"the official MSSBench file is not on this machine ({COMBINED} is absent)")
    root = tmp_path_factory.mktemp("mssbench")
    shutil.copy(COMBINED, root / "combined.json")
    make_placeholder_images(root, json.loads(COMBINED.read_text())["embodied"])
    return root


@pytest.fixture()
def official_copy(official_root: Path, tmp_path: Path) -> Path:
    """A writable copy of the dataset root, for tests that break it."""
    dest = tmp_path / "mss"
    shutil.copytree(official_root, dest)
    return dest
