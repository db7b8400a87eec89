"""The symbolic world: object catalogue, state, goals, hazard rules, actions and plan execution."""
