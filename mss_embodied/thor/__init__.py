"""The AI2-THOR backend: type mapping, floor plans, runtime, scene staging, session, renderer and world."""
