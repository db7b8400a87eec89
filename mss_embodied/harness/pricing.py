"""Token prices per model, to turn usage into an estimated spend while a run is going.

Prices are USD per million tokens (input, output). The built-in table is a convenience and goes
stale: a prices file (JSON or YAML ``{model: {input: X, output: Y}}``) or ``--price-in/--price-out``
override it. Unknown models cost nothing and are flagged as unpriced.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mss_embodied.userdata import DataFileError, read_data_file


@dataclass(frozen=True)
class Price:
    """USD per million input and output tokens."""

    input: float
    output: float

    def cost(self, usage: Mapping[str, int]) -> float:
        return (usage.get("prompt_tokens", 0) * self.input + usage.get("completion_tokens", 0) * self.output) / 1e6


#: List prices at the time of writing (USD / 1M tokens); override them for real accounting.
BUILTIN_PRICES: dict[str, Price] = {
    "gpt-4o": Price(2.50, 10.00),
    "gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4.1": Price(2.00, 8.00),
    "gpt-4.1-mini": Price(0.40, 1.60),
    "gpt-4.1-nano": Price(0.10, 0.40),
    "gpt-4-turbo": Price(10.00, 30.00),
    "o4-mini": Price(1.10, 4.40),
    "claude-3-5-sonnet": Price(3.00, 15.00),
    "claude-3-haiku": Price(0.25, 1.25),
    "gemini-1.5-pro": Price(1.25, 5.00),
    "gemini-1.5-flash": Price(0.075, 0.30),
}


class PriceError(ValueError):
    """A prices file or flag that cannot be used; names the file and entry."""


def model_of(policy_name: str) -> str:
    """The model behind a policy name: ``multiagent:openai:gpt-4o`` -> ``gpt-4o``."""
    return policy_name.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class PriceTable:
    prices: dict[str, Price]

    @classmethod
    def default(cls) -> PriceTable:
        return cls(dict(BUILTIN_PRICES))

    def lookup(self, model: str) -> Price | None:
        """Exact name, else the longest known prefix (``gpt-4o-2024-08-06`` -> ``gpt-4o``)."""
        if model in self.prices:
            return self.prices[model]
        matches = [k for k in self.prices if model.startswith(k)]
        return self.prices[max(matches, key=len)] if matches else None

    def update_from_file(self, path: Path) -> None:
        try:
            data = read_data_file(path)
        except DataFileError as exc:
            raise PriceError(f"prices file {exc}") from None
        if not isinstance(data, dict):
            raise PriceError(f"{path}: must map model names to {{input: X, output: Y}}")
        for model, entry in data.items():
            self.prices[str(model)] = _parse_entry(entry, f"{path}: entry {model!r}")


def _parse_entry(entry: Any, where: str) -> Price:
    if not isinstance(entry, dict) or set(entry) - {"input", "output"} or not entry:
        raise PriceError(f"{where}: must be {{input: USD per 1M tokens, output: USD per 1M tokens}}")
    values = {k: entry.get(k, 0.0) for k in ("input", "output")}
    for key, value in values.items():
        problem = price_problem(value)
        if problem:
            raise PriceError(f"{where}: {problem} for '{key}'")
    return Price(float(values["input"]), float(values["output"]))


def price_problem(value: Any) -> str | None:
    """Why ``value`` is no price (USD per million tokens), or None: a finite number, at least 0.
    NaN would silently disable the spend estimate and is not valid JSON in metrics.json."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"prices must be numbers, got {value!r}"
    if not math.isfinite(value):
        return f"must be a finite number, got {value}"
    if value < 0:
        return f"must not be negative, got {value}"
    return None


def resolve_price(policy_name: str, prices_file: Path | None = None, price_in: float | None = None,
                  price_out: float | None = None) -> Price | None:
    """The price for the run's policy: flags beat the file, the file beats the built-in table."""
    table = PriceTable.default()
    if prices_file is not None:
        table.update_from_file(prices_file)
    base = table.lookup(model_of(policy_name))
    if price_in is None and price_out is None:
        return base
    for name, value in (("--price-in", price_in), ("--price-out", price_out)):
        problem = None if value is None else price_problem(value)
        if problem:
            raise PriceError(f"{name}: {problem}")
    return Price(price_in if price_in is not None else (base.input if base else 0.0),
                 price_out if price_out is not None else (base.output if base else 0.0))
