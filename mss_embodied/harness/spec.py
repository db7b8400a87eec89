"""What a run is (:class:`RunSpec`) and how it runs (:class:`ExecOptions`), validated once.

Errors name the field (``concurrency: must be at least 1``); the CLI turns field names into its
flags, so the library never speaks in command-line words.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mss_embodied.harness.pricing import Price
from mss_embodied.pipeline import ComponentError, EpisodePipeline
from mss_embodied.policies.base import POLICIES
from mss_embodied.registry import RegistryError
from mss_embodied.scoring.judges import JUDGES
from mss_embodied.vocabulary import VocabularyError, parse_setting, parse_variant_choice

EXECUTORS = ("local", "ray")


_OPTION = re.compile(r"\{option:(\w+)\}")


class EvalError(ValueError):
    """Bad input to a run (a file, field or value), reported in one line without a traceback.

    ``field`` names the RunSpec/ExecOptions field at fault, when one is; ``{option:name}`` in the
    message names another field. :meth:`render` lets a front end (the CLI) say them in its own
    words (``--resume``); ``str()`` says the field names."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        self.message = message
        super().__init__(self.render(lambda name: name))

    def render(self, name_of: Callable[[str], str]) -> str:
        text = _OPTION.sub(lambda m: name_of(m.group(1)), self.message)
        return f"{name_of(self.field)}: {text}" if self.field else text


def import_plugins(plugins: Sequence[str]) -> None:
    """Import modules that register extra policies, judges or renderers."""
    for name in plugins:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise EvalError(f"cannot import {name!r} ({exc})", "plugins") from None


@dataclass(frozen=True)
class RunSpec:
    """Everything that decides an episode's result; picklable, so Ray workers rebuild from it."""

    policy: str
    judges: tuple[str, ...] = ("rules",)
    policy_options: dict[str, Any] = field(default_factory=dict)
    judge_options: dict[str, Any] = field(default_factory=dict)
    data_root: str | None = None
    scenes: str | None = None
    setting: str = "if"
    variant: str = "both"
    protocol: str = "default"
    limit: int | None = None
    renderer: str | None = None
    plugins: tuple[str, ...] = ()

    def validate(self) -> None:
        try:
            parse_setting(self.setting)
            parse_variant_choice(self.variant)
        except VocabularyError as exc:
            name, _, message = str(exc).partition(": ")
            raise EvalError(message, name) from None
        if self.limit is not None and self.limit < 1:
            raise EvalError(f"must be at least 1, got {self.limit}", "limit")
        if not self.judges:
            raise EvalError("at least one judge is needed", "judges")
        if len(set(self.judges)) != len(self.judges):
            raise EvalError(f"a judge is named twice in {list(self.judges)}", "judges")
        if self.data_root is not None and self.scenes is not None:
            raise EvalError("pass either the official data ({option:data_root}) or a scene folder "
                            "({option:scenes}), not both")
        import_plugins(self.plugins)
        for registry, names, field_name in ((POLICIES, [self.policy], "policy"), (JUDGES, self.judges, "judges")):
            for name in names:
                try:
                    registry.entry(name.partition(":")[0])
                except RegistryError as exc:
                    raise EvalError(str(exc), field_name) from None

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True, default=str).encode()).hexdigest()[:16]

    def build_pipeline(self, *, image_cache: int = 256) -> EpisodePipeline:
        """The run's pipeline: episodes, protocol, judges and images; bad input is an EvalError."""
        self.validate()
        try:
            return EpisodePipeline.from_source(
                data_root=self.data_root, scenes=self.scenes, variant=self.variant, setting=self.setting,
                limit=self.limit, renderer=self.renderer, image_cache=image_cache, protocol=self.protocol,
                judges=self.judges, judge_options=self.judge_options)
        except FileNotFoundError as exc:  # a protocol that is not imported
            raise EvalError(str(exc), "protocol") from None
        except ComponentError as exc:
            raise EvalError(exc.reason, "judges") from None
        except RegistryError as exc:  # the renderer
            raise EvalError(str(exc), "renderer") from None
        except (ValueError, TypeError, ImportError) as exc:  # scene/dataset errors name file and field
            raise EvalError(str(exc)) from None


@dataclass
class ExecOptions:
    """How to run: none of this changes a result."""

    concurrency: int = 8
    rpm: float | None = None
    tpm: float | None = None
    executor: str = "local"
    ray_address: str | None = None
    ray_num_cpus: int | None = None
    #: Worker processes (local) or actors (Ray); None chooses (see the executors).
    workers: int | None = None
    resume: bool = False
    retry_errors: bool = False
    cache: bool = True
    cache_dir: Path | None = None
    price: Price | None = None
    progress: bool = True

    def validate(self) -> None:
        if self.concurrency < 1:
            raise EvalError(f"must be at least 1, got {self.concurrency}", "concurrency")
        if self.workers is not None and self.workers < 1:
            raise EvalError(f"must be at least 1, got {self.workers}", "workers")
        for name, value in (("rpm", self.rpm), ("tpm", self.tpm)):
            if value is not None and not value > 0:  # also refuses NaN, which would disable the limit
                raise EvalError(f"must be positive, got {value}", name)
        if self.executor not in EXECUTORS:
            raise EvalError(f"unknown value {self.executor!r}; choose one of {', '.join(EXECUTORS)}", "executor")
