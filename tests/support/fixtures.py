"""Pytest fixtures for the fake OpenAI server (import them into a test module to use them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .openai_server import FakeOpenAIServer


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A started server that echoes; script it with ``push`` or by setting ``responder``."""
    with FakeOpenAIServer() as srv:
        yield srv
