"""Test helpers: a real local OpenAI-compatible HTTP server with scripted replies and faults."""
