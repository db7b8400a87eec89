"""The ``inspect_ai`` entry point: importing it registers this package's tasks with inspect, so
``inspect eval mss_embodied/embodied`` finds them (inspect_evals' convention)."""

from mss_embodied.integrations.inspect_task import embodied

__all__ = ["embodied"]
