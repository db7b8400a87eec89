"""mss-embodied: multimodal situational safety for embodied agents, as Gymnasium environments.

Importing the package registers ``MSS-Embodied-v0``, ``MSS-Embodied-Interactive-v0`` and
``MSS-Embodied-Procedural-v0`` (Gymnasium 1.x has no plugin entry points).
"""

from mss_embodied.envs.registration import register_envs

__version__ = "0.1.0"

register_envs()

__all__ = ["__version__", "register_envs"]
