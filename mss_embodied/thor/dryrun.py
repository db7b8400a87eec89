"""Dry run of the AI2-THOR backend: for every situation, the FloorPlan and THOR actions it needs.

Needs no THOR: it plans the staging (``thor_plan.plan_scene``) and replays each situation's task
plan in the symbolic world to list the THOR calls that execution would send. Unmapped object
types and situations no FloorPlan can hold are errors; substitutions and missing portables are
listed, never hidden. Every call is then replayed against what THOR 5.0 refuses
(:mod:`mss_embodied.thor.rules`): ``refused`` lists the calls real THOR would answer with failure
(it should be empty), ``skipped`` those the session would not send (a portable the FloorPlan
lacks, a state THOR is already in).

    python -m mss_embodied.thor.dryrun [--scenes DIR | --official ROOT] [--json] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mss_embodied.data.scenario import VARIANTS, Scenario
from mss_embodied.thor.plan import FACE, ScenePlan, ThorCall, plan_scene, transition_calls
from mss_embodied.thor.rules import ThorState, has_flag, refusal, satisfied
from mss_embodied.thor.runtime import AI2THOR_COMMIT_ID, AI2THOR_VERSION
from mss_embodied.thor.types import stale_catalogue_flags
from mss_embodied.world.actions import Action, World


@dataclass
class SituationReport:
    scenario: str
    variant: str
    room: str
    floorplan: str | None
    staging: list[str] = field(default_factory=list)
    execution: list[str] = field(default_factory=list)  # THOR calls the literal task plan sends
    substitutions: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # calls real THOR 5.0 would refuse, with why
    skipped: list[str] = field(default_factory=list)  # calls the session would not send, with why


def check_calls(plan: ScenePlan, calls: Sequence[ThorCall]) -> tuple[list[str], list[str]]:
    """Replay ``calls`` against THOR 5.0's rules from the FloorPlan's initial states: (refused, skipped)."""
    state = ThorState.initial(plan.thor_types)
    refused, skipped = [], []
    for call in calls:
        missing = sorted(oid for oid in call.symbols() if oid not in state.bound)
        target = call.target()
        if missing:
            skipped.append(f"{call}: {', '.join(missing)} not in {plan.scene}")
            continue
        if call.action in (FACE, "GetReachablePositions"):
            continue
        if call.when and not has_flag(plan.thor_types.get(call.when[0], ""), call.when[1]):
            skipped.append(f"{call}: {call.when[0]} is not {call.when[1]} in THOR")
            continue
        if target is not None and satisfied(call.action, target, state):
            skipped.append(f"{call}: already so in THOR")
            continue
        why = refusal(call.action, call.kwargs(), state)
        if why:
            refused.append(f"{call}: {why}")
    return refused, skipped


@dataclass
class DryRunReport:
    situations: list[SituationReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # situations without a symbolic state

    @property
    def scenarios(self) -> int:
        return len({s.scenario for s in self.situations})

    @property
    def unmapped(self) -> list[str]:
        return [f"{s.scenario}/{s.variant}: {u}" for s in self.situations for u in s.unmapped]

    @property
    def errors(self) -> list[str]:
        return [f"{s.scenario}/{s.variant}: {e}" for s in self.situations for e in s.errors]

    @property
    def refused(self) -> list[str]:
        return [f"{s.scenario}/{s.variant}: {r}" for s in self.situations for r in s.refused]

    def action_counts(self) -> Counter[str]:
        return Counter(c.split("(")[0] for s in self.situations for c in s.staging + s.execution)

    def substitution_counts(self) -> Counter[str]:
        return Counter(x.split(":")[0] for s in self.situations for x in s.substitutions)

    def floorplan_counts(self) -> Counter[str]:
        return Counter(s.floorplan or "none" for s in self.situations)

    def summary(self) -> str:
        missing = Counter(m for s in self.situations for m in s.missing)
        lines = [
            f"AI2-THOR dry run (ai2thor {AI2THOR_VERSION}, build {AI2THOR_COMMIT_ID[:10]}): "
            f"{self.scenarios} scenarios, {len(self.situations)} situations, {len(self.skipped)} skipped (no state)",
            f"errors: {len(self.errors)}; unmapped types: {len(self.unmapped)}",
            f"calls real THOR 5.0 would refuse: {len(self.refused)}; calls skipped (not sent): "
            f"{sum(len(s.skipped) for s in self.situations)}",
            "actions: " + ", ".join(f"{k} x{v}" for k, v in sorted(self.action_counts().items())),
            "FloorPlans: " + ", ".join(f"{k} x{v}" for k, v in sorted(self.floorplan_counts().items())),
            "substitutions: " + (", ".join(f"{k} x{v}" for k, v in sorted(self.substitution_counts().items()))
                                 or "none"),
            f"situations with portables absent from their FloorPlan: {sum(1 for s in self.situations if s.missing)} "
            f"({', '.join(f'{k} x{v}' for k, v in sorted(missing.items())) or 'none'})",
        ]
        lines += [f"catalogue: {flag}" for flag in stale_catalogue_flags()]
        lines += [f"ERROR {e}" for e in self.errors]
        lines += [f"REFUSED {r}" for r in self.refused]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        return {"situations": [asdict(s) for s in self.situations], "skipped": self.skipped,
                "errors": self.errors, "unmapped": self.unmapped, "refused": self.refused,
                "actions": dict(self.action_counts()), "substitutions": dict(self.substitution_counts())}


def _execution(scenario: Scenario, variant: str, plan: ScenePlan) -> list[ThorCall | str]:
    """The THOR calls the literal task plan sends (a failed symbolic step ends it, as a comment)."""
    state = scenario.world_state(variant)  # type: ignore[arg-type]
    assert state is not None
    world = World(state, scenario.hazard_rules())
    calls: list[ThorCall | str] = []
    for line in scenario.situation(variant).plan:  # type: ignore[arg-type]
        try:
            action = Action.parse(line)
        except ValueError as exc:
            calls.append(f"# {exc}")
            continue
        before = world.state.copy()
        outcome = world.step(action)
        if not outcome.success:
            calls.append(f"# {outcome.message}")
            break
        calls += transition_calls(before, world.state, plan.thor_types)
    return calls


def dry_run_situation(scenario: Scenario, variant: str) -> SituationReport | None:
    state = scenario.world_state(variant)  # type: ignore[arg-type]
    if state is None:
        return None
    view = scenario.view(variant)  # type: ignore[arg-type]
    plan = plan_scene(state, view)
    report = SituationReport(scenario.id, variant, view.room, plan.scene, [str(c) for c in plan.calls],
                             substitutions=plan.substitutions, missing=plan.missing, notes=list(plan.notes),
                             unmapped=list(plan.unmapped), errors=list(plan.errors))
    if plan.ok:
        execution = _execution(scenario, variant, plan)
        report.execution = [str(c) for c in execution]
        report.refused, report.skipped = check_calls(plan, [*plan.calls,
                                                            *(c for c in execution if isinstance(c, ThorCall))])
    return report


def dry_run(scenarios: Sequence[Scenario]) -> DryRunReport:
    """Plan every situation (both variants) of ``scenarios`` for THOR."""
    report = DryRunReport()
    for scenario in scenarios:
        for variant in VARIANTS:
            entry = dry_run_situation(scenario, variant)
            if entry is None:
                report.skipped.append(f"{scenario.id}/{variant}")
            else:
                report.situations.append(entry)
    return report


def _print_situation(s: SituationReport) -> None:
    print(f"== {s.scenario}/{s.variant} [{s.room}] -> {s.floorplan or 'NO FLOORPLAN'}")
    sections = (("substitution: ", s.substitutions), ("note: ", s.notes), ("stage: ", s.staging),
                ("plan:  ", s.execution), ("skipped: ", s.skipped), ("REFUSED: ", s.refused),
                ("UNMAPPED: ", s.unmapped), ("ERROR: ", s.errors))
    for head, lines in sections:
        for line in lines:
            print(f"   {head}{line}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mss_embodied.thor.dryrun", description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--scenes", type=Path, help="scene folder (default: the bundled scenes)")
    source.add_argument("--official", type=Path, help="MSSBench data root (combined.json + embodied/)")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    args = parser.parse_args(argv)
    if args.official is not None:
        from mss_embodied.data.official import load_official

        scenarios = load_official(args.official, check_images=False).scenarios
    else:
        from mss_embodied.data.scene_files import load_scenes
        from mss_embodied.scenes import bundled_scenes_dir

        scenarios = load_scenes(args.scenes or bundled_scenes_dir())
    report = dry_run(scenarios)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=1)
        print()
    else:
        if not args.quiet:
            for s in report.situations:
                _print_situation(s)
        print(report.summary())
    return 1 if report.errors or report.refused else 0


if __name__ == "__main__":
    raise SystemExit(main())
