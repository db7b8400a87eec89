"""The installed package is the source tree: every module and every bundled scene file is in the wheel,
and the linked top-level folders resolve as subpackages without any helper script."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "mss_embodied"


def source_files(suffixes: tuple[str, ...]) -> set[str]:
    """Files of the package as Python sees it (through the links to envs/, policies/, scenes/)."""
    out = set()
    for folder, dirs, files in os.walk(PACKAGE, followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if name.endswith(suffixes):
                out.add(str((Path(folder) / name).relative_to(ROOT)))
    return out


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    dest = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dest),
                    str(ROOT)], check=True, capture_output=True, text=True)
    (wheel,) = dest.glob("mss_embodied-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def test_wheel_holds_every_module(wheel_names: set[str]) -> None:
    modules = source_files((".py",))
    assert {"mss_embodied/envs/single_step.py", "mss_embodied/policies/base.py",
            "mss_embodied/harness/executors/ray.py"} <= modules  # the walk sees the linked folders
    assert modules - wheel_names == set()


def test_wheel_holds_the_bundled_scenes(wheel_names: set[str]) -> None:
    data = source_files((".yaml", ".png"))
    assert len(data) >= 76 * 3  # a file and two images per pair
    assert data - wheel_names == set()


def test_subpackages_import_from_the_source_tree_alone() -> None:
    """``PYTHONPATH=.`` (what static tools and IDEs see) resolves the linked subpackages. ``-S`` keeps the
    editable install's path hook out; third-party packages come from site-packages on the path."""
    code = ("import mss_embodied.envs.single_step, mss_embodied.policies.baselines, mss_embodied.scenes, "
            "mss_embodied.envs.spaces; print(mss_embodied.__file__); print(mss_embodied.scenes.__file__)")
    path = os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([sys.executable, "-S", "-c", code], cwd=ROOT, env={**env, "PYTHONPATH": path},
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    package_file, scenes_file = run.stdout.split()
    assert package_file == str(PACKAGE / "__init__.py") and scenes_file == str(PACKAGE / "scenes" / "__init__.py")
