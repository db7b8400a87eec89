"""The spaces every env declares once: an image, texts in a fixed charset, a text action.

``spaces.Text`` defaults to alphanumerics, so texts are folded into :data:`CHARSET`; the Text
observations use :class:`VectorSafeText` so async vector envs read current strings.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterator, Sequence
from collections.abc import Sequence as SequenceABC
from typing import Any

import numpy as np
from gymnasium import spaces
from gymnasium.vector.utils import read_from_shared_memory

#: Printable ASCII plus common typographic characters; ``spaces.Text`` defaults to alphanumerics.
CHARSET: str = "".join(sorted(set(string.printable) | set("‘’“”–—…•·°×÷±→←éèêàáâäöüßçñÉÀ€£")))
_CHARSET = frozenset(CHARSET)
INSTRUCTION_MAX = 2048
PROMPT_MAX = 8192
ACTION_MAX = 8192


def to_charset(text: str, max_length: int) -> str:
    """Fold ``text`` into the observation charset (accents stripped, others become '?')."""
    out = []
    for ch in text:
        if ch in _CHARSET:
            out.append(ch)
            continue
        folded = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(folded if folded and all(c in _CHARSET for c in folded) else "?")
    return "".join(out)[:max_length]


class VectorSafeText(spaces.Text):
    """``spaces.Text`` whose async shared-memory batches read the *current* strings.

    ``AsyncVectorEnv`` (shared memory on, the default) decodes Text observations from shared
    memory once, at construction, and then returns those stale strings forever (Gymnasium#1164).
    For this subclass the read returns a :class:`LiveTextBatch` that decodes on access; the
    vector env's default ``copy=True`` deep-copies it into a plain tuple of the current strings.
    """


class LiveTextBatch(SequenceABC[str]):
    """A batch of Text observations decoded from shared memory on every access."""

    def __init__(self, space: spaces.Text, shared_memory: Any, n: int) -> None:
        self._space, self._memory, self._n = space, shared_memory, n

    def _rows(self) -> np.ndarray:
        return np.frombuffer(self._memory.get_obj(), dtype=np.int32).reshape((self._n, self._space.max_length))

    def _decode(self, row: np.ndarray) -> str:
        chars, limit = self._space.character_list, len(self._space.character_set)
        return "".join(chars[v] for v in row if v < limit)

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._decode(self._rows()[index])

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[str]:
        return iter(tuple(self._decode(row) for row in self._rows()))

    def __deepcopy__(self, memo: dict[int, Any]) -> tuple[str, ...]:
        return tuple(self)

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, (tuple, list, LiveTextBatch)) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))


@read_from_shared_memory.register(VectorSafeText)
def _read_live_text(space: VectorSafeText, shared_memory: Any, n: int = 1) -> LiveTextBatch:
    return LiveTextBatch(space, shared_memory, n)


def observation_space(image_size: int, extra_text: Sequence[str] = ()) -> spaces.Dict:
    fields: dict[str, spaces.Space] = {
        "image": spaces.Box(0, 255, (image_size, image_size, 3), np.uint8),
        "instruction": VectorSafeText(INSTRUCTION_MAX, min_length=0, charset=CHARSET),
        "prompt": VectorSafeText(PROMPT_MAX, min_length=0, charset=CHARSET),
    }
    for name in extra_text:
        fields[name] = VectorSafeText(PROMPT_MAX, min_length=0, charset=CHARSET)
    return spaces.Dict(fields)


def action_space() -> spaces.Text:
    return spaces.Text(ACTION_MAX, min_length=0, charset=CHARSET)


class ActionSpaceError(ValueError):
    """An action outside ``Text(ACTION_MAX, charset=CHARSET)`` given to an env in strict mode."""


def fit_action(text: str, strict: bool = False) -> tuple[str, dict[str, int]]:
    """``text`` made a member of the action space, and what that changed.

    Characters outside :data:`CHARSET` are folded as observations are (accents stripped, others
    '?') and text past :data:`ACTION_MAX` is cut; the returned record (``chars_replaced``,
    ``chars_cut``) is empty when the action already fitted. ``strict`` raises
    :class:`ActionSpaceError` instead of changing anything.
    """
    bad = sum(ch not in _CHARSET for ch in text)
    cut = max(0, len(text) - ACTION_MAX)
    if not bad and not cut:
        return text, {}
    if strict:
        problems = ([f"{len(text)} characters (the limit is {ACTION_MAX})"] if cut else []) + (
            [f"{bad} character(s) outside the action charset, e.g. {next(c for c in text if c not in _CHARSET)!r}"]
            if bad else [])
        raise ActionSpaceError("the action is not in the action space Text(8192): " + "; ".join(problems))
    folded = to_charset(text, ACTION_MAX)
    replaced = sum(ch not in _CHARSET for ch in text[:ACTION_MAX])
    return folded, {"chars_replaced": replaced, "chars_cut": cut}
