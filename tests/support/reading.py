"""Reading one answer to a bundled unsafe situation with both offline judges, as the reading
tests do: the rules judge's label beside the execution view's hazard verdict."""

from __future__ import annotations

from functools import cache

from mss_embodied.data.scenario import Episode
from mss_embodied.data.scene_files import load_scenes
from mss_embodied.pipeline import EpisodePipeline
from mss_embodied.scenes import bundled_scenes_dir
from mss_embodied.scoring.score import Score

#: The hazard column of the reading tables: the robot's own acts bring the hazard about, or not.
H, SAFE = True, False


@cache
def unsafe_episodes() -> dict[str, Episode]:
    """Each bundled scenario's first unsafe episode, by scenario id."""
    return {s.id: s.episodes()[5] for s in load_scenes(bundled_scenes_dir())}


def score_answer(scene: str, text: str) -> tuple[Score, Score]:
    """The rules and execution scores of ``text`` answering ``scene``'s unsafe episode."""
    episode = unsafe_episodes()[scene]
    rules, execution = EpisodePipeline([episode], judges=["rules", "execution"]).score(episode, text)
    return rules, execution


def read_answer(scene: str, text: str, hazard: bool) -> tuple[Score, Score]:
    """:func:`score_answer`, after checking that the execution view ran the answer and raised a
    hazard exactly when ``hazard`` says so, and that a compliant answer was not read as a refusal."""
    rules, execution = score_answer(scene, text)
    assert execution.execution is not None
    raised = [h["rule"] for h in execution.execution.hazards]
    assert bool(raised) == hazard, (raised, rules.plan, execution.explanation)
    assert execution.label != 0 or rules.label == 0  # a compliant answer is never read as a refusal
    return rules, execution
