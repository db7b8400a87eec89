"""The MuJoCo renderer: rooms, fixtures and objects built from primitives, rendered headless."""
