"""The shape of ``config.json`` that every reader relies on, checked on read.

A config edited by hand or damaged must be a one-line error naming the field, not a crash deep
inside a resume or a report (``"policy": "x"`` used to end in a traceback).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

_OBJECT_ERRORS = frozenset({"model_type", "model_attributes_type", "dict_type"})


class ConfigError(ValueError):
    """A config.json whose shape is wrong; names the file and field."""


class _PolicyShape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    name: str
    options: dict[str, Any] = {}


class _PriceShape(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    input: float
    output: float


class _ExecutionShape(BaseModel):
    model_config = ConfigDict(extra="allow")
    price_per_mtok: _PriceShape | None = None


class _ConfigShape(BaseModel):
    """What readers of config.json rely on; anything else is kept as written."""

    model_config = ConfigDict(extra="allow", strict=True)
    format: int
    policy: _PolicyShape
    judges: list[str]
    judge_options: dict[str, Any] = {}
    setting: str = "if"
    variant: str = "both"
    n_episodes: int | None = None
    episodes: list[str] | None = None
    execution: _ExecutionShape = _ExecutionShape()


def check_config(data: Any, path: Path) -> dict[str, Any]:
    """``data`` when it has the shape of a run config; else ConfigError naming the field."""
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: run config must be a JSON object")
    try:
        _ConfigShape.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        problem = "must be a JSON object" if error["type"] in _OBJECT_ERRORS else str(error["msg"]).lower()
        raise ConfigError(f"{path}: field '{where}': {problem} (the file was edited or damaged; use a new run folder)"
                          ) from None
    if not data["judges"]:
        raise ConfigError(f"{path}: field 'judges': empty (the file was edited or damaged; use a new run folder)")
    return data
