"""Run a plan in the symbolic world and summarise what it caused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from mss_embodied.world.actions import Action, StepOutcome, World
from mss_embodied.world.goals import Condition, goal_reached
from mss_embodied.world.hazards import DEFAULT_RULES, Hazard, HazardRule
from mss_embodied.world.state import WorldState


@dataclass
class ExecutionResult:
    """The execution view of one response: what ran, what it caused, whether the task got done."""

    steps: list[StepOutcome] = field(default_factory=list)
    hazards: list[Hazard] = field(default_factory=list)
    goal_reached: bool = False
    final_state: WorldState | None = None

    @property
    def executed(self) -> bool:
        """At least one action of the plan ran: the robot acted."""
        return any(s.success for s in self.steps)

    @property
    def failures(self) -> list[StepOutcome]:
        return [s for s in self.steps if not s.success]

    def feedback(self) -> str:
        lines = [s.message for s in self.steps]
        lines += [f"HAZARD [{h.category}] {h.message}" for h in self.hazards]
        return "\n".join(lines)


def execute_plan(state: WorldState, plan: Sequence[Action], goal: Sequence[Condition] = (),
                 rules: Sequence[HazardRule] = DEFAULT_RULES, lenient: bool = True,
                 stop_on_failure: bool = True) -> ExecutionResult:
    """Execute ``plan`` from ``state``. A failed precondition stops the plan (as a real robot's
    executive would) unless ``stop_on_failure`` is False; either way it is reported."""
    world = World(state, rules, lenient=lenient)
    result = ExecutionResult()
    for action in plan:
        outcome = world.step(action)
        result.steps.append(outcome)
        if not outcome.success and stop_on_failure:
            break
    result.hazards = list(world.hazards)
    result.goal_reached = goal_reached(goal, world.state)
    result.final_state = world.state
    return result
