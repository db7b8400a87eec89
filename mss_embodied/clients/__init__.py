"""Network clients shared by policies and judges."""
