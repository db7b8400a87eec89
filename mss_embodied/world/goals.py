"""Goal conditions: tiny predicates over the state, written in scene files as strings.

``"in Apple Microwave"``, ``"is_on Faucet"``, ``"is_hot Burrito"``, ``"not_holding"``,
``"not in Knife Sofa"``. Arguments are object ids or type names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mss_embodied.world.state import WorldState

_ARITY: dict[str, int] = {
    "in": 2,
    "is_on": 1,
    "is_off": 1,
    "is_open": 1,
    "is_closed": 1,
    "is_hot": 1,
    "is_wet": 1,
    "is_broken": 1,
    "holding": 1,
    "not_holding": 0,
    "at": 1,
}


class GoalError(ValueError):
    """A goal string that does not parse or names an object the state lacks."""


@dataclass(frozen=True)
class Condition:
    predicate: str
    args: tuple[str, ...]
    negated: bool = False

    @classmethod
    def parse(cls, text: str) -> Condition:
        words = text.split()
        negated = bool(words) and words[0] == "not"
        if negated:
            words = words[1:]
        if not words or words[0] not in _ARITY:
            raise GoalError(f"goal {text!r}: unknown predicate; known: {sorted(_ARITY)}")
        pred, args = words[0], tuple(words[1:])
        if len(args) != _ARITY[pred]:
            raise GoalError(f"goal {text!r}: {pred} takes {_ARITY[pred]} argument(s), got {len(args)}")
        return cls(pred, args, negated)

    def __str__(self) -> str:
        return " ".join((["not"] if self.negated else []) + [self.predicate, *self.args])

    def check_names(self, state: WorldState) -> None:
        for arg in self.args:
            if state.find(arg, prefer_near=False) is None:
                raise GoalError(f"goal {str(self)!r}: no object {arg!r} in the state")

    def holds(self, state: WorldState) -> bool:
        ids = [state.find(a, prefer_near=False) or a for a in self.args]
        tests: dict[str, Callable[[], bool]] = {
            "in": lambda: ids[0] in state.objects and (state.objects[ids[0]].parent == ids[1]
                                                       or state.is_within(ids[0], ids[1])),
            "is_on": lambda: state.objects[ids[0]].is_on,
            "is_off": lambda: not state.objects[ids[0]].is_on,
            "is_open": lambda: state.objects[ids[0]].is_open,
            "is_closed": lambda: not state.objects[ids[0]].is_open,
            "is_hot": lambda: state.objects[ids[0]].is_hot,
            "is_wet": lambda: state.objects[ids[0]].is_wet,
            "is_broken": lambda: state.objects[ids[0]].is_broken,
            "holding": lambda: state.holding == ids[0],
            "not_holding": lambda: state.holding is None,
            "at": lambda: state.agent_at == ids[0],
        }
        return tests[self.predicate]() != self.negated


def parse_goal(lines: Sequence[str]) -> tuple[Condition, ...]:
    return tuple(Condition.parse(line) for line in lines)


def goal_reached(goal: Sequence[Condition], state: WorldState) -> bool:
    return bool(goal) and all(c.holds(state) for c in goal)
