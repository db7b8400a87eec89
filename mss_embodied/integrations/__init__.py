"""Bridges to other evaluation tools. Each imports its tool lazily: ``inspect_task`` needs the
``inspect`` extra (inspect_ai) and is loaded by inspect itself through the ``inspect_ai`` entry
point (``_registry``)."""
