"""The failure an action raises when a precondition does not hold (the world turns it into an outcome)."""


class PreconditionError(Exception):
    """Raised inside an action when a precondition fails; the message says which."""
