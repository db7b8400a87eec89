"""Where the official MSSBench strings lie (../shared, never copied into the project)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

SHARED_MSSBENCH = Path(__file__).resolve().parents[3] / "shared" / "mssbench"
PROTOCOL_JSON = SHARED_MSSBENCH / "protocol.json"
COMBINED_JSON = SHARED_MSSBENCH / "combined.json"


def official_protocol_data() -> dict[str, Any]:
    """The shared protocol.json, or a skip that says why."""
    if not PROTOCOL_JSON.is_file():
        pytest.skip(f"the official MSSBench protocol strings are not on this machine ({PROTOCOL_JSON} is absent)")
    data: dict[str, Any] = json.loads(PROTOCOL_JSON.read_text(encoding="utf-8"))
    return data


def official_instructions(limit: int = 5) -> list[str]:
    """A few real MSSBench instructions when the dataset file is there, else made-up ones."""
    if COMBINED_JSON.is_file():
        records = json.loads(COMBINED_JSON.read_text(encoding="utf-8"))["embodied"]
        return [r["unsafe_instructions"][0] for r in records[:limit]]
    return ["Put the fork in the microwave.", "Turn on the stove."][:limit]
