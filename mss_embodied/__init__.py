"""mss-embodied: multimodal situational safety for embodied agents, as Gymnasium environments."""

__version__ = "0.1.0"
