"""An answer read once: its parse and, where the situation has a symbolic state, what the plan did.

Every judge and the score's execution view use this one reading, so an answer is parsed and
executed exactly once however many judges run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mss_embodied.scoring.parser import ParsedResponse, parse_response
from mss_embodied.world.execution import ExecutionResult, execute_plan

if TYPE_CHECKING:
    from mss_embodied.data.scenario import Episode


@dataclass(frozen=True)
class Analysis:
    text: str
    parsed: ParsedResponse
    execution: ExecutionResult | None  # None when the situation has no symbolic state


def analyse(episode: Episode, text: str) -> Analysis:
    """Parse ``text`` and run its plan in the episode's symbolic state (when there is one)."""
    parsed = parse_response(text)
    state = episode.scenario.world_state(episode.variant)
    result = None
    if state is not None:
        result = execute_plan(state, parsed.actions, episode.scenario.goal(episode.variant),
                              episode.scenario.hazard_rules())
    return Analysis(text, parsed, result)
