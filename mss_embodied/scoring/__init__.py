"""From answer text to scores: the response parser, the judges, the checker, metrics and judge agreement."""
