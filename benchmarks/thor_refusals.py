"""Calls real AI2-THOR 5.0 would refuse, for the planner of any git revision, side by side with this one.

Loads ``mss_embodied/thor/plan.py`` as it was at ``--rev`` (the rest of the package is today's),
plans every bundled situation, replays each situation's literal task plan, and checks all the calls
with today's :mod:`mss_embodied.thor.rules` (what 5.0 refuses). Prints the count per reason.

    .venv/bin/python benchmarks/thor_refusals.py --rev bf126f3
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from types import ModuleType

from mss_embodied.data.scene_files import load_scenes
from mss_embodied.scenes import bundled_scenes_dir
from mss_embodied.thor.dryrun import check_calls
from mss_embodied.thor.plan import ThorCall
from mss_embodied.world.actions import Action, World


def planner_at(rev: str) -> ModuleType:
    source = subprocess.run(["git", "show", f"{rev}:mss_embodied/thor/plan.py"], capture_output=True, text=True,
                            check=True).stdout
    path = Path(tempfile.mkdtemp()) / "plan_at_rev.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"mss_embodied.thor.plan_{rev}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def refusals(planner: ModuleType) -> list[str]:
    """Every refused call of every bundled situation (staging, then the literal plan)."""
    out = []
    typed = "thor_types" in planner.transition_calls.__code__.co_varnames
    for scenario in load_scenes(bundled_scenes_dir()):
        for variant in ("safe", "unsafe"):
            state = scenario.world_state(variant)
            assert state is not None
            plan = planner.plan_scene(state, scenario.view(variant))
            calls = [ThorCall(c.action, c.args, c.why, c.when, getattr(c, "needs", ())) for c in plan.calls]
            world = World(state, scenario.hazard_rules())
            for line in scenario.situation(variant).plan:
                before = world.state.copy()
                if not world.step(Action.parse(line)).success:
                    break
                step = planner.transition_calls(before, world.state, plan.thor_types) if typed else \
                    planner.transition_calls(before, world.state)
                calls += [ThorCall(c.action, c.args, c.why, c.when, getattr(c, "needs", ())) for c in step]
            refused, _ = check_calls(plan, calls)
            out += [f"{scenario.id}/{variant}: {r}" for r in refused]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rev", default="bf126f3", help="git revision of the planner to compare (default: before "
                                                         "issue 14)")
    args = parser.parse_args()
    current = importlib.import_module("mss_embodied.thor.plan")
    for label, planner in ((args.rev, planner_at(args.rev)), ("now", current)):
        found = refusals(planner)
        reasons = Counter(r.split(": ", 2)[2].split(" (")[0] for r in found)
        print(f"{label}: {len(found)} calls real THOR 5.0 would refuse")
        for reason, n in reasons.most_common():
            print(f"  {n:4d}  {reason}")


if __name__ == "__main__":
    main()
