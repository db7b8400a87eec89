"""The options each built-in policy and judge takes, declared once as typed models.

A registry entry names its model (``Registry.register(..., options="mss_embodied.options:...")``);
the registry checks every option against it before the factory runs: an unknown name is refused
by name (``comply`` given ``temperature``), a value of the wrong type or out of range is refused
with the range (``timeout_s=-1``, ``temperature=hot``, ``max_tokens=-1``, NaN, infinity). Entries
without a model (third-party plugins) receive their options unchecked. ``tests/test_options.py``
keeps each model equal to its factory's keyword arguments.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Options(BaseModel):
    """Base of every options model: no unknown names, no NaN or infinity."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    #: What the part after the colon names (``model`` for ``openai:<model>``); None: the entry takes none.
    argument: ClassVar[str | None] = None
    argument_required: ClassVar[bool] = False


class NoOptions(Options):
    """``comply``, ``refuse``, ``oracle``, ``rules``, ``execution``: nothing to set."""


class RandomOptions(Options):
    argument: ClassVar[str | None] = "seed"
    seed: int = 0


class ChatOptions(Options):
    """What the OpenAI-compatible client takes (policy and LLM judge alike)."""

    base_url: str | None = None
    api_key: str | None = Field(None, min_length=1)
    temperature: float | None = Field(0.0, ge=0)
    max_tokens: int | None = Field(1024, ge=1)
    seed: int | None = None
    timeout_s: float = Field(60.0, gt=0)
    max_attempts: int | None = Field(None, ge=1, le=100)
    backoff_base_s: float | None = Field(None, ge=0)
    backoff_max_s: float | None = Field(None, ge=0)
    retry_after_max_s: float | None = Field(None, ge=0)
    jitter: float | None = Field(None, ge=0, le=1)
    max_concurrency: int | None = Field(None, ge=1)
    rng_seed: int | None = None
    extra_body: dict[str, Any] | None = None

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return value
        try:
            parts = urlsplit(value)
            ok = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # a malformed port or bracket
            ok = False
        if not ok:
            raise ValueError("must be an http(s) URL with a host, e.g. http://localhost:8000/v1")
        return value


class OpenAIPolicyOptions(ChatOptions):
    argument: ClassVar[str | None] = "model"
    argument_required: ClassVar[bool] = True
    system_prompt: str | None = None
    image_detail: Literal["auto", "low", "high"] | None = None
    image_cache_size: int = Field(64, ge=1)


class HFPolicyOptions(Options):
    argument: ClassVar[str | None] = "model id or path"
    argument_required: ClassVar[bool] = True
    device: str | None = None
    dtype: str = "auto"
    max_new_tokens: int = Field(512, ge=1)
    batch_size: int = Field(8, ge=1)
    trust_remote_code: bool = False
    local_files_only: bool = False
    system_prompt: str | None = None
    generate_kwargs: dict[str, Any] | None = None


class ExecutionJudgeOptions(ChatOptions):
    """``execution``: offline by default; ``grounder=llm:<model>`` adds an LLM that reads plans the rules
    cannot (its client takes the chat options: base_url, api_key, timeouts, retries)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, arbitrary_types_allowed=True)
    grounder: str | None = None
    grounder_cache: Any = None  # any object with get(key) / put(key, value): the run's shared cache
    grounder_max_tokens: int = Field(512, ge=1)

    @field_validator("grounder")
    @classmethod
    def _llm_model(cls, value: str | None) -> str | None:
        if value is not None and (not value.startswith("llm:") or not value[4:].strip()):
            raise ValueError("expected llm:<model>")
        return value


class LLMJudgeOptions(ChatOptions):
    argument: ClassVar[str | None] = "model"
    argument_required: ClassVar[bool] = True
    aspect: str = "embodied"
    system_prompt: bool | None = None
