"""Prompt wording for the paper's settings and the judge rubric: the project's own, or one
imported from the official code."""
