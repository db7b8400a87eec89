"""What a run is (:class:`RunSpec`) and how it runs (:class:`ExecOptions`), validated once.

Errors name the field (``concurrency: must be at least 1``); the CLI turns field names into its
flags, so the library never speaks in command-line words.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mss_embodied.data.sampling import Selection, SelectionError
from mss_embodied.harness.pricing import Price, price_problem
from mss_embodied.pipeline import ComponentError, EpisodePipeline
from mss_embodied.policies.base import POLICIES
from mss_embodied.protocol.prompts import ProtocolError, check_protocol_name
from mss_embodied.registry import OptionsError, RegistryError
from mss_embodied.scoring.judges import JUDGES, judge_options_for
from mss_embodied.vocabulary import VocabularyError, parse_setting, parse_variant_choice

EXECUTORS = ("local", "ray")
#: Failed episodes in a row that stop a run (harness/breaker.py): one wave of 8 concurrent calls
#: against a dead server, a few seconds of retries, not ten minutes of error rows.
DEFAULT_MAX_CONSECUTIVE_ERRORS = 8


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
    """Import modules that register extra policies, judges or renderers. Any failure of the import
    (a missing module, a syntax error, an exception at import time) is the user's plugin at fault."""
    for name in plugins:
        try:
            importlib.import_module(name)
        except SyntaxError as exc:
            raise EvalError(f"cannot import {name!r}: syntax error in {exc.filename}, line {exc.lineno}: {exc.msg}",
                            "plugins") from None
        except Exception as exc:
            raise EvalError(f"cannot import {name!r} ({type(exc).__name__}: {exc})", "plugins") from None


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
    tasks: tuple[str, ...] = ()  # task types to keep
    episodes: tuple[str, ...] = ()  # glob patterns over episode ids
    sample: int | None = None  # a stratified sample of about N episodes (whole pairs)
    seed: int = 0  # the sample's seed

    @property
    def selection(self) -> Selection:
        """Filters and sample (``limit`` stays a prefix applied after them, by the pipeline)."""
        return Selection(tasks=tuple(self.tasks), episodes=tuple(self.episodes), sample=self.sample, seed=self.seed)

    def validate(self) -> None:
        try:
            parse_setting(self.setting)
            parse_variant_choice(self.variant)
        except VocabularyError as exc:
            name, _, message = str(exc).partition(": ")
            raise EvalError(message, name) from None
        if self.limit is not None and self.limit < 1:
            raise EvalError(f"must be at least 1, got {self.limit}", "limit")
        if self.sample is not None and self.sample < 1:
            raise EvalError(f"must be at least 1, got {self.sample}", "sample")
        if not self.judges:
            raise EvalError("at least one judge is needed", "judges")
        if len(set(self.judges)) != len(self.judges):
            raise EvalError(f"a judge is named twice in {list(self.judges)}", "judges")
        if self.protocol != "default":
            try:
                check_protocol_name(self.protocol)
            except ProtocolError as exc:
                raise EvalError(str(exc), "protocol") from None
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
        self.check_options()

    def check_options(self) -> None:
        """Every option against the declaring entry's model, before anything is built or written."""
        for field_name, options_field, check in (
                ("policy", "policy_options", lambda: POLICIES.check_options(self.policy, self.policy_options)),
                ("judges", "judge_options", lambda: judge_options_for(self.judges, self.judge_options))):
            try:
                check()
            except OptionsError as exc:
                raise EvalError(str(exc), options_field if exc.option is not None else field_name) from None
            except RegistryError as exc:  # a wrapped policy that does not exist
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
                judges=self.judges, judge_options=self.judge_options,
                selection=None if self.selection.is_default else self.selection)
        except SelectionError as exc:
            raise EvalError(str(exc).partition(": ")[2], exc.field) from None
        except (FileNotFoundError, ProtocolError) as exc:  # a protocol that is not imported, or damaged
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
    #: Stop after this many failed episodes in all (None: no limit).
    max_errors: int | None = None
    #: Stop after this many failed episodes in a row (0: never); see harness/breaker.py.
    max_consecutive_errors: int = DEFAULT_MAX_CONSECUTIVE_ERRORS

    def validate(self) -> None:
        for name, value, least in (("concurrency", self.concurrency, 1), ("ray_num_cpus", self.ray_num_cpus, 1),
                                   ("workers", self.workers, 1),
                                   ("max_errors", self.max_errors, 1),
                                   ("max_consecutive_errors", self.max_consecutive_errors, 0)):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise EvalError(f"must be a whole number, got {value!r}", name)
            if value < least:
                raise EvalError(f"must be at least {least}, got {value}", name)
        for name, rate in (("rpm", self.rpm), ("tpm", self.tpm)):
            if rate is not None and not (isinstance(rate, (int, float)) and 0 < rate < math.inf):
                raise EvalError(f"must be positive and finite, got {rate}", name)  # NaN would disable it
        if self.executor not in EXECUTORS:
            raise EvalError(f"unknown value {self.executor!r}; choose one of {', '.join(EXECUTORS)}", "executor")
        if self.price is not None:
            for name, price in (("price_in", self.price.input), ("price_out", self.price.output)):
                problem = price_problem(price)
                if problem:
                    raise EvalError(problem, name)
